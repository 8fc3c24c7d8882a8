/* pass.c: one pass's phases, page bitmap, restart and completion. */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "pass_int.h"

static void free_pages(struct pass *p)
{
    if (p->pg)
        for (long i = 0; i <= p->m.total_pages + 1; i++)
            page_edge_free(&p->pg[i].edge);
    free(p->pg);
    p->pg = NULL;
}

static void reset_pages(struct pass *p)
{
    free_pages(p);
    p->phase = PHASE_SHAPE;
    p->next_page = 2;
    p->outstanding = 0;
    p->pages_done = 0;
    p->scrobbles = 0;
    p->m.total = -1;
    p->m.total_pages = -1;
}

void pass_init(struct pass *p, const struct manifest *m, bool on_disk)
{
    /* The shape stays as the manifest says: a resumed one may know it. */
    memset(p, 0, sizeof *p);
    p->m = *m;
    p->on_disk = on_disk;
    p->phase = PHASE_SHAPE;
    p->next_page = 2;
}

void pass_free(struct pass *p) { free_pages(p); }

int pass_set_shape(struct pass *p, long total, long total_pages)
{
    free_pages(p);
    p->m.total = total;
    p->m.total_pages = total_pages;
    p->pg = calloc((size_t)total_pages + 2, sizeof *p->pg);
    if (!p->pg)
        return -ENOMEM;
    p->phase = PHASE_PAGES;
    p->next_page = 1;
    return 0;
}

void pass_have_page(struct pass *p, long page, long scrobbles, struct page_edge *e)
{
    if (page < 1 || page > p->m.total_pages || p->pg[page].have) {
        if (e)
            page_edge_free(e);
        return;
    }
    struct pass_page *pg = &p->pg[page];
    pg->have = true;
    pg->scrobbles = scrobbles;
    page_edge_free(&pg->edge);
    if (e)
        pg->edge = *e;
    p->pages_done++;
    p->scrobbles += scrobbles;
}

/* A page that did not fit: not on disk for this attempt any more. */
static void forget_page(struct pass *p, long page)
{
    struct pass_page *pg = &p->pg[page];
    if (!pg->have)
        return;
    pg->have = false;
    page_edge_free(&pg->edge);
    p->pages_done--;
    p->scrobbles -= pg->scrobbles;
    pg->scrobbles = 0;
    if (p->next_page > page)
        p->next_page = page;
    if (p->phase == PHASE_VERIFY)
        p->phase = PHASE_PAGES;
}

bool pass_next(struct pass *p, long *ret_page, bool *ret_verify)
{
    *ret_verify = false;
    switch (p->phase) {
    case PHASE_SHAPE:
        if (p->outstanding)
            return false;
        *ret_page = 1;
        break;
    case PHASE_PAGES:
        /* Pages forgotten for not fitting move next_page back: the pages
         * after them that are stored or asked for are not asked again. */
        while (p->next_page <= p->m.total_pages &&
               (p->pg[p->next_page].have || p->pg[p->next_page].asked))
            p->next_page++;
        if (p->next_page <= p->m.total_pages) {
            p->pg[p->next_page].asked = true;
            *ret_page = p->next_page++;
            break;
        }
        if (p->outstanding || p->pages_done < p->m.total_pages)
            return false;
        p->phase = PHASE_VERIFY;
        *ret_page = 1;
        *ret_verify = true;
        break;
    case PHASE_VERIFY:
    case PHASE_DONE: return false;
    }
    p->outstanding++;
    return true;
}

struct window_count {
    const struct manifest *m;
    long n;
};

static int count_row(void *opaque, const struct page_row *row)
{
    struct window_count *c = opaque;
    if (row->uts >= c->m->window_from && row->uts <= c->m->window_to)
        c->n++;
    return 0;
}

/* Scrobbles of a page inside the pass window (-1 if the page does not parse). */
static long rows_in_window(const char *body, size_t len, const struct manifest *m)
{
    struct window_count c = {m, 0};
    const char *why;
    return page_parse(body, len, count_row, &c, &why) < 0 ? -1 : c.n;
}

enum pass_action pass_page_ok(struct pass *p, long page, const struct lastfm_result *r,
                              const char *body, size_t len, char why[static 128])
{
    if (p->outstanding)
        p->outstanding--;
    if (p->phase == PHASE_SHAPE) {
        if (pass_set_shape(p, r->total, r->total_pages) < 0)
            return PASS_ACT_NO_MEMORY;
        bool is_new = strcmp(p->m.kind, "new") == 0;
        if (r->total == 0 ||
            (r->total_pages == 1 && is_new && rows_in_window(body, len, &p->m) == 0)) {
            /* Nothing in the window (the response may still hold a scrobble of
             * the margin second, which the previous pass speaks for).  A "new"
             * pass leaves no trace; a pass over stored time must be recorded:
             * it says the stretch is now empty. */
            p->phase = PHASE_DONE;
            return is_new ? PASS_ACT_DROP : PASS_ACT_COMPLETE;
        }
        return PASS_ACT_STORE_SHAPED;
    }
    if (page >= 1 && page <= p->m.total_pages) {
        if (p->pg[page].have)
            return PASS_ACT_IGNORE;
        p->pg[page].asked = false;
    }
    if (r->total != p->m.total || r->total_pages != p->m.total_pages) {
        snprintf(why, 128, "page %ld says %ld scrobbles, page 1 said %ld", page, r->total,
                 p->m.total);
        return PASS_ACT_RESTART;
    }
    return PASS_ACT_STORE;
}

void pass_page_stored(struct pass *p, long page, long scrobbles, struct page_edge *e)
{
    pass_have_page(p, page, scrobbles, e);
    p->pages_fetched++;
    p->scrobbles_fetched += scrobbles;
}

/* The boundary between pages `a - 1` and `a` does not fit (`f`). */
static enum pass_fit misfit(struct pass *p, long a, enum page_fit f, long *ret_page,
                            char why[static 256])
{
    const struct page_edge *newer = &p->pg[a - 1].edge, *older = &p->pg[a].edge;
    *ret_page = a;
    if (f == PAGE_OVERLAP)
        snprintf(why, 256,
                 "page %ld is not the page asked for: its newest scrobble (%" PRId64
                 ") is newer than the oldest of page %ld (%" PRId64 ")",
                 a, older->newest, a - 1, newer->oldest);
    else
        snprintf(why, 256,
                 "page %ld is not the page asked for: it begins with a scrobble that page "
                 "%ld ends with (the same second %" PRId64 ", track, artist and album)",
                 a, a - 1, older->newest);
    if (p->pg[a].rereads < PASS_MAX_REREADS) {
        p->pg[a - 1].rereads++;
        p->pg[a].rereads++;
        forget_page(p, a - 1);
        forget_page(p, a);
        p->refetched += 2;
        return PASS_REREAD;
    }
    if (f == PAGE_REPEAT && !p->resized)
        return PASS_RESIZE;
    return PASS_WRONG;
}

enum pass_fit pass_fit(struct pass *p, long page, long *ret_page, char why[static 256])
{
    long lo = page > 0 ? page : 2, hi = page > 0 ? page + 1 : p->m.total_pages;
    if (lo < 2)
        lo = 2;
    if (hi > p->m.total_pages)
        hi = p->m.total_pages;
    for (long a = lo; a <= hi; a++) {
        if (!p->pg[a - 1].have || !p->pg[a].have)
            continue;
        enum page_fit f = page_edge_fit(&p->pg[a - 1].edge, &p->pg[a].edge);
        if (f != PAGE_FITS)
            return misfit(p, a, f, ret_page, why);
    }
    return PASS_FITS;
}

enum pass_action pass_count_ok(struct pass *p, long total, char why[static 128])
{
    if (p->outstanding)
        p->outstanding--;
    if (total == p->m.total && p->scrobbles == p->m.total) {
        p->phase = PHASE_DONE;
        return PASS_ACT_COMPLETE;
    }
    snprintf(why, 128, "%ld scrobbles at the start, %ld in the pages, %ld now", p->m.total,
             p->scrobbles, total);
    return PASS_ACT_RESTART;
}

bool pass_restart(struct pass *p)
{
    if (p->m.attempt >= PASS_MAX_ATTEMPTS)
        return false;
    p->m.attempt++;
    reset_pages(p);
    return true;
}

bool pass_restart_resized(struct pass *p)
{
    if (!pass_restart(p))
        return false;
    /* One item fewer per page moves the boundaries: a pair of identical
     * scrobbles at items k*limit - 1 and k*limit is now inside a page
     * (unless limit - 1 divides k, past page limit - 1). */
    p->m.limit = p->m.limit > 2 ? p->m.limit - 1 : p->m.limit + 1;
    p->resized = true;
    return true;
}
