/* pass.c: one pass's phases, page bitmap, restart and completion. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "pass.h"

static void reset_pages(struct pass *p)
{
    free(p->have);
    p->have = NULL;
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

void pass_free(struct pass *p)
{
    free(p->have);
    p->have = NULL;
}

int pass_set_shape(struct pass *p, long total, long total_pages)
{
    free(p->have);
    p->m.total = total;
    p->m.total_pages = total_pages;
    p->have = calloc((size_t)total_pages + 2, 1);
    if (!p->have)
        return -ENOMEM;
    p->phase = PHASE_PAGES;
    p->next_page = 1;
    return 0;
}

void pass_have_page(struct pass *p, long page, long scrobbles)
{
    if (page < 1 || page > p->m.total_pages || p->have[page])
        return;
    p->have[page] = 1;
    p->pages_done++;
    p->scrobbles += scrobbles;
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
        while (p->next_page <= p->m.total_pages && p->have[p->next_page])
            p->next_page++;
        if (p->next_page <= p->m.total_pages) {
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
    if (r->total != p->m.total || r->total_pages != p->m.total_pages) {
        snprintf(why, 128, "page %ld says %ld scrobbles, page 1 said %ld", page, r->total,
                 p->m.total);
        return PASS_ACT_RESTART;
    }
    return PASS_ACT_STORE;
}

void pass_page_stored(struct pass *p, long page, long scrobbles)
{
    pass_have_page(p, page, scrobbles);
    p->pages_fetched++;
    p->scrobbles_fetched += scrobbles;
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
