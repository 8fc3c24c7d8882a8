/* pass.h: one pass as a state machine, pure.
 *
 * A pass reads one pinned window of time.  Page 1 tells the window's shape
 * (scrobbles and pages); then every other page is fetched, in any order; then
 * a count of the window checks that it did not change while it was read.  A
 * page or a count that disagrees with page 1 restarts the pass (a new
 * attempt, every page again), up to PASS_MAX_ATTEMPTS.
 *
 *   PHASE_SHAPE --page 1--> PHASE_PAGES --last page--> PHASE_VERIFY --count--> PHASE_DONE
 *        ^                      |                         |
 *        +------- restart ------+-------------------------+
 *
 * This module decides; the caller does the I/O (writing pages and the
 * manifest) and tells it what happened.  It never reads a clock.
 */
#ifndef LASTFM_PASS_H
#define LASTFM_PASS_H

#include <stdbool.h>
#include <stddef.h>

#include "classify.h"
#include "manifest.h"

/* A pass whose window keeps changing under it gives up after this many tries. */
#define PASS_MAX_ATTEMPTS 5

enum pass_phase {
    PHASE_SHAPE,  /* page 1 is wanted: it says how many scrobbles and pages */
    PHASE_PAGES,  /* the other pages are wanted */
    PHASE_VERIFY, /* every page is in: the count of the window is wanted */
    PHASE_DONE,   /* verified, or the window is empty */
};

struct pass {
    struct manifest m; /* total/total_pages are -1 until page 1 arrives */
    enum pass_phase phase;
    bool on_disk;           /* its directory and manifest exist */
    unsigned char *have;    /* [1..total_pages]: page on disk for this attempt */
    long next_page;         /* next page to hand out */
    long outstanding;       /* requests handed out and not yet answered */
    long pages_done;        /* pages on disk */
    long scrobbles;         /* scrobbles in those pages */
    long pages_fetched;     /* pages fetched by this run (for the summary) */
    long scrobbles_fetched; /* scrobbles in those pages */
};

/* What the caller does next, after an answer. */
enum pass_action {
    PASS_ACT_STORE,        /* write the page, then pass_page_stored() */
    PASS_ACT_STORE_SHAPED, /* page 1 gave the shape: write the manifest, then the page */
    PASS_ACT_DROP,         /* a "new" pass found nothing: drop it (remove it if on disk) */
    PASS_ACT_COMPLETE,     /* mark the manifest complete: the pass is done */
    PASS_ACT_RESTART,      /* the window changed: pass_restart(), clear the pages */
    PASS_ACT_NO_MEMORY,    /* the page bitmap could not be allocated */
};

/* A pass for manifest `m` (a new one, or an unfinished one found on disk). */
void pass_init(struct pass *p, const struct manifest *m, bool on_disk);
void pass_free(struct pass *p);

/* The window's shape, from page 1 or from a resumed manifest.  -ENOMEM or 0. */
int pass_set_shape(struct pass *p, long total, long total_pages);
/* Resuming: page `page` on disk is a valid page of this pass. */
void pass_have_page(struct pass *p, long page, long scrobbles);

/* The next request: a page (*ret_verify false) or the count (true).  False
 * when there is nothing to ask now (waiting for answers). */
bool pass_next(struct pass *p, long *ret_page, bool *ret_verify);

/* Page `page` arrived with result `r` and `body` (exact bytes).  `why` says
 * why for PASS_ACT_RESTART. */
enum pass_action pass_page_ok(struct pass *p, long page, const struct lastfm_result *r,
                              const char *body, size_t len, char why[static 128]);
/* The page is written. */
void pass_page_stored(struct pass *p, long page, long scrobbles);
/* The count arrived: PASS_ACT_COMPLETE or PASS_ACT_RESTART (with `why`). */
enum pass_action pass_count_ok(struct pass *p, long total, char why[static 128]);

/* Start the pass again: false when it has had PASS_MAX_ATTEMPTS already. */
bool pass_restart(struct pass *p);

#endif
