/* tagignore.c: the tag ignore list (tagignore.h). */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "grow.h"
#include "tagignore.h"

void tagignore_free(struct tag_ignore *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->tags[i]);
    free(t->tags);
    t->tags = NULL;
    t->n = 0;
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool tagignore_parse(const char *path, const char *text, size_t len, struct tag_ignore *ret,
                     char *err, size_t errsize)
{
    struct tag_ignore t = {0};
    size_t cap = 0;
    unsigned line = 0;
    for (size_t at = 0; at < len;) {
        const char *p = text + at, *nl = memchr(p, '\n', len - at);
        size_t n = nl ? (size_t)(nl - p) : len - at;
        at += n + 1;
        line++;
        if (memchr(p, '\0', n)) {
            snprintf(err, errsize, "%s:%u: a NUL byte: this is not a text file of tags", path,
                     line);
            goto fail;
        }
        if (!csv_utf8_valid(p, n)) {
            snprintf(err, errsize, "%s:%u: not UTF-8: save the file as UTF-8", path, line);
            goto fail;
        }
        while (n && blank(*p))
            p++, n--;
        while (n && blank(p[n - 1]))
            n--;
        if (!n || *p == '#')
            continue;
        char *tag = strndup(p, n);
        if (!tag || grow(&t.tags, &cap, t.n + 1, sizeof *t.tags, 0) < 0) {
            free(tag);
            errno = ENOMEM;
            snprintf(err, errsize, "%s: out of memory", path);
            goto fail;
        }
        for (char *c = tag; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        t.tags[t.n++] = tag;
    }
    *ret = t;
    return true;
fail:
    tagignore_free(&t);
    return false;
}
