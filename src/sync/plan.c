/* plan.c: the windows a run fetches and the recheck that decides them. */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "plan_int.h"

static void note(struct plan *pl, enum plan_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(struct plan *pl, enum plan_level level, const char *fmt, ...)
{
    va_list ap;
    if (pl->nnotes == sizeof pl->notes / sizeof pl->notes[0])
        return;
    struct plan_note *n = &pl->notes[pl->nnotes++];
    n->level = level;
    va_start(ap, fmt);
    vsnprintf(n->text, sizeof n->text, fmt, ap);
    va_end(ap);
}

static void push(struct plan *pl, int64_t from, int64_t to, const char *kind)
{
    if (pl->n < PLAN_MAX_WINDOWS)
        pl->w[pl->n++] = (struct plan_window){from, to, kind};
}

/* Holes in stored time (a pass moved aside as corrupt): fetch them again.
 * Pieces run newest first, down to second 0. */
static void plan_holes(struct plan *pl, const struct history_piece *pieces, size_t npieces,
                       int64_t cover)
{
    int64_t expect = cover;
    for (size_t i = 0; i < npieces && pl->n < PLAN_MAX_WINDOWS - 1; i++) {
        if (pieces[i].to < expect) {
            note(pl, PLAN_INFO, "no stored pass covers %" PRId64 "..%" PRId64 ": fetching it",
                 pieces[i].to + 1, expect);
            push(pl, pieces[i].to + 1, expect, "recheck");
        }
        expect = pieces[i].from - 1;
    }
    if (expect >= 0 && pl->n < PLAN_MAX_WINDOWS - 1) {
        note(pl, PLAN_INFO, "no stored pass covers 0..%" PRId64 ": fetching it", expect);
        push(pl, 0, expect, "recheck");
    }
}

/* The passes whose window ends by now (+ the slack); the others were pinned by
 * a clock that ran ahead: they may miss what arrived since they were read. */
static int trusted_passes(const struct plan_input *in, struct plan *pl, struct manifest **ret,
                          size_t *ret_n)
{
    struct manifest *t = malloc((in->npasses ? in->npasses : 1) * sizeof *t);
    size_t n = 0;
    if (!t)
        return -ENOMEM;
    const struct manifest *ahead = NULL;
    size_t nahead = 0;
    for (size_t i = 0; i < in->npasses; i++) {
        const struct manifest *m = &in->passes[i];
        if (m->window_to <= in->now + PLAN_CLOCK_SLACK) {
            t[n++] = *m;
            continue;
        }
        nahead++;
        if (!ahead || m->window_to > ahead->window_to)
            ahead = m;
    }
    pl->ahead = nahead;
    if (ahead)
        note(pl, PLAN_WARN,
             "%zu stored pass%s end%s after now (pass %u's window ends at %" PRId64 ", %" PRId64
             " s ahead): read while the clock ran ahead (or the clock is behind "
             "now), so not trusted: fetching again from where the trusted passes end",
             nahead, nahead == 1 ? "" : "es", nahead == 1 ? "s" : "", ahead->pass, ahead->window_to,
             ahead->window_to - in->now);
    *ret = t;
    *ret_n = n;
    return 0;
}

int plan_start(const struct plan_input *in, struct plan *pl)
{
    memset(pl, 0, sizeof *pl);
    int64_t now = in->now;
    struct manifest *passes;
    size_t npasses;
    if (trusted_passes(in, pl, &passes, &npasses) < 0)
        return -ENOMEM;
    int64_t cover = history_coverage_end(passes, npasses);
    struct history_piece *pieces = NULL;
    size_t npieces = 0;
    if (cover >= 0 && history_pieces(passes, npasses, &pieces, &npieces) < 0) {
        free(passes);
        return -ENOMEM;
    }
    /* Deletions older than the recheck window are seen only by reading the
     * whole history again: do so when the oldest stored part is too old, or
     * when it says it was read after now (its age is unknown). */
    bool full = in->full || cover < 0;
    int64_t oldest = history_oldest_fetch(passes, pieces, npieces);
    free(passes);
    if (!full && oldest > now + PLAN_CLOCK_SLACK) {
        note(pl, PLAN_WARN,
             "the stored history says it was read at %" PRId64 ", after now (a clock "
             "that ran ahead): its age is unknown, so reading the whole history again",
             oldest);
        full = true;
    }
    if (!full && in->full_resync_interval > 0 && oldest >= 0 &&
        now - oldest > in->full_resync_interval) {
        note(pl, PLAN_INFO,
             "the oldest stored part of the history was fetched %" PRId64 " days ago "
             "(LASTFM_FULL_RESYNC_INTERVAL is %g days): reading the whole history again",
             (now - oldest) / 86400, in->full_resync_interval / 86400.0);
        full = true;
    }
    if (full) {
        free(pieces);
        /* The whole history, as two passes: the old part rarely changes, the
         * last weeks may (late scrobbles); a change restarts only its own pass.
         * The old part is pushed last: it is fetched first. */
        if (now - PLAN_RECHECK_SECONDS > 0) {
            push(pl, now - PLAN_RECHECK_SECONDS + 1, now, "full");
            push(pl, 0, now - PLAN_RECHECK_SECONDS, "full");
        } else {
            push(pl, 0, now, "full");
        }
        return 0;
    }
    plan_holes(pl, pieces, npieces, cover);
    free(pieces);
    /* Late scrobbles: count the last 15 days of stored time on the server and
     * compare with what we hold.  plan_recheck() moves the window's start to a
     * second where we hold no scrobble; an hour of stored seconds before it is
     * enough to find one. */
    int64_t l0 = cover - PLAN_RECHECK_SECONDS;
    if (l0 < 1)
        l0 = 1;
    pl->recheck = true;
    pl->coverage_end = cover;
    pl->count_from = l0;
    pl->stored_lo = l0 - 3600 > 0 ? l0 - 3600 : 0;
    pl->stored_hi = cover;
    return 0;
}

static bool holds(const int64_t *uts, size_t n, int64_t t)
{
    for (size_t i = 0; i < n; i++)
        if (uts[i] == t)
            return true;
    return false;
}

/* Small passes pile up: a daemon that finds one new scrobble every 15 minutes
 * makes one pass each time.  A recheck of the last weeks replaces them (and
 * the garbage collector removes them), so: recheck when too many small passes
 * lie in the recheck window, and start a recheck at the beginning of the small
 * pass it would otherwise cut in two (back to 30 days at most), so that it
 * replaces that pass whole instead of leaving a sliver of it. */
static void plan_compaction(const struct plan_input *in, struct plan *pl)
{
    unsigned inside = 0;
    int64_t l = pl->count_from, from = l, cover = pl->coverage_end;
    for (size_t i = 0; i < in->npasses; i++) {
        const struct manifest *m = &in->passes[i];
        bool small = m->state == PASS_COMPLETE && strcmp(m->kind, "full") != 0;
        if (!small)
            continue;
        if (m->window_from >= l)
            inside++;
        else if (m->window_to >= l && m->window_from >= cover - PLAN_COMPACT_BACK_SECONDS &&
                 m->window_from < from)
            from = m->window_from;
    }
    pl->recheck_start = from;
    pl->compact = inside >= PLAN_COMPACT_PASSES;
}

void plan_recheck(const struct plan_input *in, struct plan *pl, const int64_t *uts, size_t n)
{
    /* The count window starts at a second where we hold no scrobble (so "from"
     * inclusive or exclusive counts the same) and more than 14 days back (so no
     * late scrobble can land on it). */
    int64_t l = pl->count_from;
    while (l > 0 && holds(uts, n, l))
        l--;
    long count = 0;
    for (size_t i = 0; i < n; i++)
        if (uts[i] >= l && uts[i] <= pl->coverage_end)
            count++;
    pl->count_from = l;
    pl->stored_count = count;
    plan_compaction(in, pl);
}

void plan_counted(struct plan *pl, long count, int64_t now)
{
    if (count == pl->stored_count && !pl->compact) {
        note(pl, PLAN_DEBUG, "recheck: %ld scrobbles since %" PRId64 " on both sides", count,
             pl->count_from);
        if (now > pl->coverage_end)
            push(pl, pl->coverage_end + 1, now, "new");
        return;
    }
    if (count != pl->stored_count)
        note(pl, PLAN_INFO,
             "the last 15 days changed on Last.fm (%ld scrobbles there, %ld stored): "
             "fetching them again",
             count, pl->stored_count);
    else
        note(pl, PLAN_INFO, "fetching the last 15 days again to replace the small passes there");
    push(pl, pl->recheck_start, now > pl->coverage_end ? now : pl->coverage_end, "recheck");
}

bool plan_catch_up(struct plan *pl, int64_t cover, int64_t now)
{
    if (now <= cover || pl->n >= PLAN_MAX_WINDOWS)
        return false;
    note(pl, PLAN_INFO, "the server's time is ahead of this clock: fetching %" PRId64 "..%" PRId64,
         cover + 1, now);
    push(pl, cover + 1, now, "new");
    return true;
}

bool plan_pop(struct plan *pl, struct plan_window *ret)
{
    if (pl->n == 0)
        return false;
    *ret = pl->w[--pl->n];
    return true;
}
