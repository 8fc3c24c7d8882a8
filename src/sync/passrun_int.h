/* passrun_int.h: one pass carried out on disk.
 *
 * pass.c decides what a pass does; this does it through the store (the pass
 * directory, its manifest, its pages), tells fetch_int.h when there is work or
 * when requests went stale, and logs the pass's story (started, resumed,
 * restarted, complete).  The run (sync.c) hears back what comes next.
 */
#ifndef LASTFM_PASSRUN_H
#define LASTFM_PASSRUN_H

#include <stdbool.h>
#include <stdint.h>

#include "fetch_int.h"
#include "pass_int.h"
#include "store.h"

enum passrun_next {
    PASSRUN_GOING,  /* the pass waits for more answers */
    PASSRUN_OVER,   /* complete, or dropped (nothing new): the run goes on */
    PASSRUN_FAILED, /* logged: the run ends with exit_code */
};

struct passrun {
    struct pass pass;
    struct store *store;
    struct fetch *fetch;       /* to wake, and to cancel stale requests */
    bool progress_bar;         /* draw the bar on stderr */
    double run_started;        /* monotonic, for the bar's rate */
    double started;            /* monotonic, when this pass started */
    struct fetch_stats stats0; /* fetch counters then */
    double last_progress;
    /* Results */
    int exit_code;         /* PASSRUN_FAILED */
    bool completed;        /* PASSRUN_OVER: a complete pass (not a dropped one) */
    long pages, scrobbles; /* pages written and their scrobbles, this run */
    int64_t server_date;   /* the newest Date the server sent in this run, 0: none */
};

/* Start a pass with manifest `m` (new: not on disk yet). */
void passrun_new(struct passrun *pr, const struct manifest *m);
/* Resume an unfinished pass found on disk, keeping its valid pages. */
enum passrun_next passrun_resume(struct passrun *pr, const struct manifest *m,
                                 const char *username);
/* A page, or the count after the last page, arrived. */
enum passrun_next passrun_page(struct passrun *pr, long page, const struct fetch_verdict *v);
enum passrun_next passrun_count(struct passrun *pr, const struct fetch_verdict *v);
void passrun_free(struct passrun *pr);
/* The journal's line for a retry of a page of `pass` (or of a count). */
void passrun_log_retry(unsigned pass, bool page_request, long page, const struct fetch_retry *r);

#endif
