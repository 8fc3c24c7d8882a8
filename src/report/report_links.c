/* report_links.c: the site's addresses (report_links_int.h), pure. */
#include "autoconfig.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_links_int.h"

uint64_t report_fnv1a(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

void report_artist_file(const char *name, size_t len, char out[REPORT_FILE_MAX])
{
    char slug[REPORT_SLUG_CHARS + 1];
    size_t n = 0;
    bool dash = false;
    for (size_t i = 0; i < len && n < REPORT_SLUG_CHARS; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && n > 0 && n < REPORT_SLUG_CHARS)
                slug[n++] = '-';
            dash = false;
            if (n < REPORT_SLUG_CHARS)
                slug[n++] = (char)c;
        } else {
            dash = true;
        }
    }
    slug[n] = '\0';
    unsigned long long h = (unsigned long long)report_fnv1a(name, len);
    snprintf(out, REPORT_FILE_MAX, "%s%s%016llx.html", slug, n ? "-" : "", h);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct page_artist *)a)->name, ((const struct page_artist *)b)->name);
}

static int by_file(const void *a, const void *b)
{
    const struct page_artist *x = *(const struct page_artist *const *)a,
                             *y = *(const struct page_artist *const *)b;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

const struct page_artist *report_links_find(const struct report_links *l, const char *name)
{
    if (!l || !l->n || !name)
        return NULL;
    struct page_artist key = {.name = (char *)name};
    return bsearch(&key, l->v, l->n, sizeof *l->v, by_name);
}

size_t report_links_finish(struct report_links *l)
{
    size_t dropped = 0;
    if (l->n > 1) {
        struct page_artist **p = malloc(l->n * sizeof *p);
        if (p) {
            for (size_t i = 0; i < l->n; i++)
                p[i] = &l->v[i];
            qsort(p, l->n, sizeof *p, by_file);
            /* the first of each file name keeps it (the most scrobbles) */
            for (size_t i = 1, keep = 0; i < l->n; i++) {
                if (strcmp(p[i]->file, p[keep]->file) == 0)
                    p[i]->dropped = true;
                else
                    keep = i;
            }
            free(p);
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!l->v[i].dropped) {
            l->v[k++] = l->v[i];
        } else {
            free(l->v[i].name);
            dropped++;
        }
    }
    l->n = k;
    if (l->n > 1) /* (qsort of no list: v may be NULL) */
        qsort(l->v, l->n, sizeof *l->v, by_name);
    /* The same shown name twice (two names of 1,024 equal bytes, cut): one page. */
    k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k && strcmp(l->v[k - 1].name, l->v[i].name) == 0) {
            if (l->v[i].n > l->v[k - 1].n) {
                free(l->v[k - 1].name);
                l->v[k - 1] = l->v[i];
            } else {
                free(l->v[i].name);
            }
            dropped++;
            continue;
        }
        l->v[k++] = l->v[i];
    }
    l->n = k;
    return dropped;
}

void report_links_free(struct report_links *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].name);
    free(l->v);
    memset(l, 0, sizeof *l);
}
