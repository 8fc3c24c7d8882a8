/* cfgerr.c: configuration errors in the order of the lines they are about. */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgerr_int.h"
#include "grow.h"
#include "log.h"

void cfgerr_file(struct cfgerr_list *l, const char *path)
{
    if (l->nfiles < CFGERR_MAX_FILES)
        l->files[l->nfiles++] = path;
}

/* Which file and line `origin` names: "FILE:LINE" or "FILE" of a file read. */
static void place(const struct cfgerr_list *l, const char *origin, struct cfgerr *e)
{
    e->rank = l->nfiles;
    e->line = 0;
    for (size_t i = 0; origin && i < l->nfiles; i++) {
        size_t n = strlen(l->files[i]);
        if (strncmp(origin, l->files[i], n) != 0)
            continue;
        char *end;
        if (origin[n] == '\0') {
            e->rank = i;
            return;
        }
        if (origin[n] == ':' && origin[n + 1] >= '0' && origin[n + 1] <= '9') {
            unsigned long line = strtoul(origin + n + 1, &end, 10);
            if (*end == '\0') {
                e->rank = i;
                e->line = line;
                return;
            }
        }
    }
}

void cfgerr_add(struct cfgerr_list *l, const char *origin, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char msg[1024 + 4300];
    if (origin)
        snprintf(msg, sizeof msg, "%s: %s", origin, text);
    else
        snprintf(msg, sizeof msg, "%s", text);
    if (grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 0) < 0) {
        log_err("%s", msg);
        l->oom = true;
        return;
    }
    struct cfgerr *e = &l->v[l->n];
    e->text = strdup(msg);
    if (!e->text) {
        log_err("%s", msg);
        l->oom = true;
        return;
    }
    place(l, origin, e);
    e->seq = l->n++;
}

void cfgerr_oom(struct cfgerr_list *l, const char *origin)
{
    l->oom = true;
    cfgerr_add(l, origin, "out of memory: free memory and run again");
}

static int by_place(const void *a, const void *b)
{
    const struct cfgerr *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void cfgerr_flush(struct cfgerr_list *l)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, by_place);
    /* One err line per problem, each with the configuration's MESSAGE_ID;
     * the count of several is only a note after them. */
    const char *none[] = {NULL};
    for (size_t i = 0; i < l->n; i++) {
        log_event(LOG_LVL_ERR, LOG_MSGID_CONFIG, none, "%s", l->v[i].text);
        free(l->v[i].text);
    }
    if (l->n > 1)
        log_info("%zu configuration errors above: fix them and run again", l->n);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
