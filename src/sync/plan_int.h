/* plan_int.h: what a sync run fetches, pure.
 *
 * In: the stored passes' manifests, the time now, the settings, and (for the
 * recheck) the seconds of the scrobbles stored in the recent window.  Out: the
 * windows to fetch, newest last, and the count request that decides whether
 * the last weeks changed on the server.  Reads nothing, logs nothing: what a
 * decision means for the log is in `notes`.
 *
 *   plan_start()      a full read (asked, due, or nothing stored) or the holes
 *                     in stored time, and the stored seconds a recheck needs;
 *                     a stored window that ends after now (a clock that was
 *                     ahead) is not trusted: planning starts where the
 *                     trusted ones end, and the next run fetches from there
 *   plan_recheck()    with those seconds: the count request's window, the
 *                     stored count, and whether small passes want compacting
 *   plan_counted()    with the server's count: "new" or "recheck"
 *   plan_pop()        the next window to fetch
 */
#ifndef LASTFM_PLAN_H
#define LASTFM_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

/* Late scrobbles arrive up to 14 days back: recheck 15 days behind coverage. */
#define PLAN_RECHECK_SECONDS (15 * 86400)
/* Windows one run may plan: the full pair, or new/recheck plus holes. */
#define PLAN_MAX_WINDOWS 16
/* Compaction: this many small passes in the recheck window trigger a recheck,
 * which may reach back this far to replace a small pass whole. */
#define PLAN_COMPACT_PASSES 8
#define PLAN_COMPACT_BACK_SECONDS (30 * 86400)

/* A window to fetch as one pass: [from, to], inclusive, and its kind. */
struct plan_window {
    int64_t from, to;
    const char *kind; /* "full", "new" or "recheck" (a manifest's kind) */
};

/* A stored window may end this far after now before it counts as pinned by
 * a clock that ran ahead (a few minutes of drift are no reason to refetch). */
#define PLAN_CLOCK_SLACK 300

/* A line for the log about a decision, at its level. */
enum plan_level { PLAN_DEBUG, PLAN_INFO, PLAN_WARN };
struct plan_note {
    enum plan_level level;
    char text[320];
};

struct plan {
    struct plan_window w[PLAN_MAX_WINDOWS]; /* to fetch; plan_pop() takes the last */
    size_t n;
    struct plan_note notes[8]; /* in the order decided */
    size_t nnotes;

    size_t ahead; /* stored passes not trusted: their window ends after now */

    /* The recheck, when plan_start() wants one (not after a full read). */
    bool recheck;
    int64_t stored_lo, stored_hi; /* plan_recheck() wants the stored seconds in [lo, hi] */
    int64_t coverage_end;         /* the last second stored passes cover */
    int64_t count_from;           /* the count request's window: (count_from, coverage_end] */
    long stored_count;            /* scrobbles stored in that window */
    int64_t recheck_start;        /* where a recheck pass starts (<= count_from) */
    bool compact;                 /* too many small passes: recheck even if counts agree */
};

/* Settings that shape a plan. */
struct plan_input {
    const struct manifest *passes; /* the stored passes (any state), sorted by number */
    size_t npasses;
    int64_t now;                 /* Unix time the windows end at */
    bool full;                   /* --full */
    double full_resync_interval; /* seconds; 0: never a full read by age */
};

/* Plan a run.  -ENOMEM or 0. */
int plan_start(const struct plan_input *in, struct plan *pl);

/* `uts[0..n)`: the seconds of the scrobbles the stored passes hold (the newest
 * pass wins for each second) within [stored_lo, stored_hi], in any order. */
void plan_recheck(const struct plan_input *in, struct plan *pl, const int64_t *uts, size_t n);

/* The server counted `count` scrobbles in the count window. */
void plan_counted(struct plan *pl, long count, int64_t now);

/* This clock was behind the server's: a "new" window (cover, now] to fetch
 * last; false when there is nothing after cover. */
bool plan_catch_up(struct plan *pl, int64_t cover, int64_t now);

/* The next window to fetch; false when the plan is done. */
bool plan_pop(struct plan *pl, struct plan_window *ret);

#endif
