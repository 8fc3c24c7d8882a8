/* pagefit.c: a page's first and last second, and whether two pages fit. */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "page.h"
#include "pagefit_int.h"

/* FNV-1a, 64 bits: over the time's 8 bytes and the three names, each ended
 * by a byte no name holds in the middle of a field (0). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t page_scrobble_key(int64_t uts, const char *track, const char *artist, const char *album)
{
    uint64_t h = 14695981039346656037ull;
    uint64_t t = (uint64_t)uts;
    h = fnv(h, &t, sizeof t);
    h = fnv(h, track, strlen(track) + 1);
    h = fnv(h, artist, strlen(artist) + 1);
    return fnv(h, album, strlen(album) + 1);
}

/* Keys of one second, grown by doubling. */
struct keys {
    uint64_t *v;
    size_t n, cap;
};

static int keys_add(struct keys *k, uint64_t key)
{
    if (grow(&k->v, &k->cap, k->n + 1, sizeof *k->v, 0) < 0)
        return -ENOMEM;
    k->v[k->n++] = key;
    return 0;
}

struct reading {
    struct page_edge *e;
    struct keys head, tail; /* tail: the keys of the second read last */
    bool out_of_order;
};

static int edge_row(void *opaque, const struct page_row *row)
{
    struct reading *rd = opaque;
    struct page_edge *e = rd->e;
    uint64_t key = page_scrobble_key(row->uts, row->track, row->artist, row->album);
    if (e->scrobbles == 0) {
        e->newest = e->oldest = row->uts;
    } else if (row->uts > e->oldest) {
        rd->out_of_order = true;
        return 1;
    } else if (row->uts < e->oldest) {
        e->oldest = row->uts;
        rd->tail.n = 0;
    }
    e->scrobbles++;
    e->last_key = key;
    if (row->uts == e->newest && keys_add(&rd->head, key) < 0)
        return -ENOMEM;
    return keys_add(&rd->tail, key);
}

int page_edge_read(const char *body, size_t len, struct page_edge *ret, const char **ret_why)
{
    struct page_edge e = {.known = true};
    struct reading rd = {.e = &e};
    int r = page_parse(body, len, edge_row, &rd, ret_why);
    if (rd.out_of_order) {
        *ret_why = "its scrobbles are not newest first";
        r = -EINVAL;
    }
    if (r < 0) {
        free(rd.head.v);
        free(rd.tail.v);
        return r;
    }
    e.head = rd.head.v;
    e.nhead = rd.head.n;
    e.tail = rd.tail.v;
    e.ntail = rd.tail.n;
    *ret = e;
    return 0;
}

void page_edge_free(struct page_edge *e)
{
    free(e->head);
    free(e->tail);
    memset(e, 0, sizeof *e);
}

enum page_fit page_edge_fit(const struct page_edge *newer, const struct page_edge *older)
{
    if (!newer->known || !older->known || !newer->scrobbles || !older->scrobbles)
        return PAGE_FITS;
    if (older->newest > newer->oldest)
        return PAGE_OVERLAP;
    if (older->newest < newer->oldest)
        return PAGE_FITS;
    /* One second on both sides: no scrobble of it may be on both. */
    for (size_t i = 0; i < older->nhead; i++)
        for (size_t j = 0; j < newer->ntail; j++)
            if (older->head[i] == newer->tail[j])
                return PAGE_REPEAT;
    return PAGE_FITS;
}
