/* report_links.c: the site's addresses (report_links_int.h), pure. */
#include "autoconfig.h"

#include <stdbool.h>
#include <stdio.h>
#include <errno.h>
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

void report_pair_file(const char *artist, const char *name, char out[REPORT_FILE_MAX])
{
    /* the slug of the name, then the hash over "artist\0name" */
    report_artist_file(name, strlen(name), out);
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *s = artist;; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
        if (!*s)
            break;
    }
    for (const char *s = name; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    size_t len = strlen(out); /* "...-XXXXXXXXXXXXXXXX.html" */
    snprintf(out + len - 21, 22, "%016llx.html", (unsigned long long)h);
}

static int by_name(const void *a, const void *b)
{
    const struct page_link *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c || (!x->artist && !y->artist))
        return c;
    return strcmp(x->artist ? x->artist : "", y->artist ? y->artist : "");
}

static int by_file(const void *a, const void *b)
{
    const struct page_link *x = *(const struct page_link *const *)a,
                           *y = *(const struct page_link *const *)b;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return by_name(x, y);
}

const struct page_link *report_links_find(const struct page_set *l, const char *artist,
                                          const char *name)
{
    if (!l || !l->n || !name)
        return NULL;
    struct page_link key = {.name = (char *)name, .artist = (char *)artist};
    return bsearch(&key, l->v, l->n, sizeof *l->v, by_name);
}

static void link_free(struct page_link *p)
{
    free(p->name);
    free(p->artist);
}

long report_links_finish(struct page_set *l)
{
    long dropped = 0;
    if (l->n > 1) {
        struct page_link **p = malloc(l->n * sizeof *p);
        if (!p)
            return -ENOMEM; /* a clash left in would overwrite a page */
        {
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
            link_free(&l->v[i]);
            dropped++;
        }
    }
    l->n = k;
    if (l->n > 1) /* (qsort of no list: v may be NULL) */
        qsort(l->v, l->n, sizeof *l->v, by_name);
    /* The same shown name twice (two names of 1,024 equal bytes, cut): one page. */
    k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k && by_name(&l->v[k - 1], &l->v[i]) == 0) {
            if (l->v[i].n > l->v[k - 1].n) {
                link_free(&l->v[k - 1]);
                l->v[k - 1] = l->v[i];
            } else {
                link_free(&l->v[i]);
            }
            dropped++;
            continue;
        }
        l->v[k++] = l->v[i];
    }
    l->n = k;
    return dropped;
}

static void set_free(struct page_set *l)
{
    for (size_t i = 0; i < l->n; i++)
        link_free(&l->v[i]);
    free(l->v);
}

void report_links_free(struct report_links *l)
{
    set_free(&l->artists);
    set_free(&l->albums);
    set_free(&l->tracks);
    set_free(&l->tags);
    memset(l, 0, sizeof *l);
}
