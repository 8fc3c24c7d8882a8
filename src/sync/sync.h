/* sync.h: one sync run: resume an unfinished pass, plan what is new, fetch it.
 *
 * A run is a short list of passes.  Each pass pins a time window at its start,
 * fetches page 1, then every other page concurrently (rate limited, capped in
 * flight, retried with backoff), checks with a final count that the window did
 * not change under it, and marks its manifest complete.  Runs on the caller's
 * libev loop; never blocks it on the network.
 *
 * Where each job lives: sync.c runs the state machine of the run; plan.c
 * decides the windows, pass.c one pass's phases, passrun.c carries a pass out
 * on disk, fetch.c sends and retries the requests, stored.c reads back what
 * the raw pages hold, status.c draws the progress.
 */
#ifndef LASTFM_SYNC_H
#define LASTFM_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include <ev.h>

#include "config.h"
#include "store.h"

struct sync;

/* The API key's request budget: one token bucket at LASTFM_RATE_LIMIT that
 * every run draws from in turn (the scrobble pages and the tags share a key's
 * rate limit, lastfm-api.md), so that the rate holds across runs.  The daemon
 * owns one for its life. */
struct sync_budget;
struct sync_budget *sync_budget_new(void);
void sync_budget_free(struct sync_budget *b);

struct sync_options {
    bool full;                  /* --full: fetch the whole history again */
    bool progress_bar;          /* draw a progress bar on stderr (a terminal) */
    int64_t now;                /* pin windows at this Unix time; 0 = time(NULL) */
    struct sync_budget *budget; /* the key's budget, or NULL: the run's own */
};

/* What a run did, for the summary and for deciding to flatten. */
struct sync_stats {
    unsigned passes;   /* passes completed */
    unsigned pages;    /* pages written */
    long scrobbles;    /* scrobbles in the pages written */
    unsigned requests; /* HTTP requests made */
    unsigned retries;  /* of which retries */
    double seconds;    /* duration */
    bool changed;      /* the stored history changed: flatten */
};

/* exit_code is 0 or one of the EXIT_* codes in exitcodes.h (already logged). */
typedef void (*sync_done_fn)(void *opaque, int exit_code, const struct sync_stats *r);

/* Start a run; `done` is called once from the loop (never from inside this
 * call).  The run copies what it needs of `cfg` (a reload may free it while a
 * pass is out); `store` must outlive the run. */
int sync_start(struct ev_loop *loop, const struct config *cfg, struct store *store,
               const struct sync_options *o, sync_done_fn done, void *opaque, struct sync **ret);

/* Stop at once: abort transfers, no callback.  What was written stays valid and
 * the pass resumes next time.  NULL-safe. */
void sync_free(struct sync *s);

/* Progress for status lines: pass number, pages done / total (-1 unknown),
 * retries, and requests per second over the last ten seconds (call it twice
 * a second: each call is a sample). */
void sync_progress(struct sync *s, unsigned *ret_pass, long *ret_done, long *ret_total,
                   unsigned *ret_retries, double *ret_rate);

#endif
