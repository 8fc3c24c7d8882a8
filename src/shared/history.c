/* history.c: newest pass wins, as disjoint pieces of time. */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>

#include "grow.h"
#include "history.h"

int64_t history_coverage_end(const struct manifest *passes, size_t n)
{
    int64_t end = -1;
    for (size_t i = 0; i < n; i++)
        if (passes[i].state == PASS_COMPLETE && passes[i].window_to > end)
            end = passes[i].window_to;
    return end;
}

int64_t history_oldest_fetch(const struct manifest *passes, const struct history_piece *pieces,
                             size_t npieces)
{
    int64_t oldest = -1;
    for (size_t i = 0; i < npieces; i++) {
        int64_t t = passes[pieces[i].pass_index].started_at;
        if (oldest < 0 || t < oldest)
            oldest = t;
    }
    return oldest;
}

static int by_time_desc(const void *a, const void *b)
{
    const struct history_piece *x = a, *y = b;
    return (x->from < y->from) - (x->from > y->from);
}

int history_pieces(const struct manifest *passes, size_t n, struct history_piece **ret,
                   size_t *ret_n)
{
    /* Walk passes newest first; each claims what is still unclaimed of its window.
     * Claimed stretches are kept as pieces; a window minus the pieces already
     * made is at most (pieces + 1) new stretches. */
    struct history_piece *pieces = NULL;
    size_t count = 0, cap = 0;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return -ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (passes[i].state == PASS_COMPLETE)
            order[m++] = i;
    /* newest pass = highest pass number */
    for (size_t a = 1; a < m; a++)
        for (size_t b = a; b > 0 && passes[order[b]].pass > passes[order[b - 1]].pass; b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    for (size_t k = 0; k < m; k++) {
        const struct manifest *p = &passes[order[k]];
        /* Cut [from, to] by every existing piece; pieces are kept sorted by time. */
        int64_t cursor = p->window_from;
        size_t existing = count;
        if (existing > 1)
            qsort(pieces, existing, sizeof *pieces, by_time_desc);
        /* iterate existing pieces oldest first */
        for (size_t j = existing + 1; j-- > 0 && cursor <= p->window_to;) {
            int64_t gap_to = j == 0 ? p->window_to : pieces[j - 1].from - 1;
            if (j > 0 && pieces[j - 1].to < cursor)
                continue;
            if (gap_to > p->window_to)
                gap_to = p->window_to;
            if (gap_to >= cursor) {
                if (grow(&pieces, &cap, count + 1, sizeof *pieces, 0) < 0) {
                    free(pieces);
                    free(order);
                    return -ENOMEM;
                }
                pieces[count++] = (struct history_piece){order[k], cursor, gap_to};
            }
            if (j > 0 && pieces[j - 1].to + 1 > cursor)
                cursor = pieces[j - 1].to + 1;
        }
    }
    free(order);
    if (count)
        qsort(pieces, count, sizeof *pieces, by_time_desc);
    *ret = pieces;
    *ret_n = count;
    return 0;
}

bool history_pass_spent(const struct manifest *passes, size_t n, size_t i,
                        const struct history_piece *pieces, size_t npieces, int64_t server,
                        int64_t slack)
{
    const struct manifest *p = &passes[i];
    if (server <= 0 || p->state != PASS_COMPLETE || p->window_to <= server + slack)
        return false;
    int64_t after = -1; /* the end of the newest trusted pass pinned after p */
    for (size_t j = 0; j < n; j++)
        if (passes[j].pass > p->pass && passes[j].state == PASS_COMPLETE &&
            passes[j].window_to <= server + slack && passes[j].window_to > after)
            after = passes[j].window_to;
    if (after < 0)
        return false;
    for (size_t k = 0; k < npieces; k++)
        if (pieces[k].pass_index == i && pieces[k].from <= after)
            return false;
    return true;
}
