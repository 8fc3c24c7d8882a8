/* aliases.c: "Variant = Canonical" lines. */
#include "autoconfig.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aliases.h"

static char *trimmed(const char *s, const char *end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    return strndup(s, (size_t)(end - s));
}

void aliases_free(struct aliases *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->list[i].variant);
        free(a->list[i].canonical);
    }
    free(a->list);
    a->list = NULL;
    a->n = 0;
}

bool aliases_parse(const char *path, const char *text, size_t len, struct aliases *ret,
                   char *err, size_t errsize)
{
    struct aliases a = {0};
    size_t cap = 0;
    unsigned lineno = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        lineno++;
        const char *s = p;
        while (s < eol && isspace((unsigned char)*s))
            s++;
        if (s < eol && *s != '#') {
            const char *eq = NULL;
            for (const char *c = s; c + 3 <= eol; c++)
                if (c[0] == ' ' && c[1] == '=' && c[2] == ' ') {
                    eq = c;
                    break;
                }
            char *variant = eq ? trimmed(s, eq) : NULL;
            char *canonical = eq ? trimmed(eq + 3, eol) : NULL;
            const char *why = NULL;
            if (!eq)
                why = "expected 'Variant = Canonical' (an equals sign with a space on each side)";
            else if (!variant || !canonical)
                why = "out of memory";
            else if (!*variant || !*canonical)
                why = "a name is empty: write 'Variant = Canonical'";
            for (size_t i = 0; !why && i < a.n; i++)
                if (strcmp(a.list[i].variant, variant) == 0)
                    why = "this variant is listed twice: keep one line for it";
            if (!why && a.n == cap) {
                cap = cap ? cap * 2 : 16;
                struct alias *t = realloc(a.list, cap * sizeof *t);
                if (!t)
                    why = "out of memory";
                else
                    a.list = t;
            }
            if (why) {
                snprintf(err, errsize, "%s:%u: %s", path, lineno, why);
                free(variant);
                free(canonical);
                aliases_free(&a);
                return false;
            }
            a.list[a.n++] = (struct alias){variant, canonical};
        }
        p = nl ? nl + 1 : end;
    }
    *ret = a;
    return true;
}
