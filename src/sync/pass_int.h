/* pass_int.h: one pass as a state machine, pure.
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

#include "classify_int.h"
#include "manifest.h"
#include "pagefit_int.h"

/* A pass whose window keeps changing under it gives up after this many tries. */
#define PASS_MAX_ATTEMPTS 5
/* Two pages that do not fit each other (pagefit_int.h) are fetched again this
 * many times before the pass gives up on them (or tries another page size). */
#define PASS_MAX_REREADS 3

enum pass_phase {
    PHASE_SHAPE,  /* page 1 is wanted: it says how many scrobbles and pages */
    PHASE_PAGES,  /* the other pages are wanted */
    PHASE_VERIFY, /* every page is in: the count of the window is wanted */
    PHASE_DONE,   /* verified, or the window is empty */
};

/* One page of the current attempt. */
struct pass_page {
    bool have;             /* on disk and valid */
    bool asked;            /* a request for it is out */
    unsigned char rereads; /* times fetched again for not fitting a neighbour */
    long scrobbles;        /* its scrobbles, as counted into pass.scrobbles */
    struct page_edge edge; /* where it begins and ends */
};

struct pass {
    struct manifest m; /* total/total_pages are -1 until page 1 arrives */
    enum pass_phase phase;
    bool on_disk;           /* its directory and manifest exist */
    struct pass_page *pg;   /* [1..total_pages] */
    bool resized;           /* this run changed the page size for a repeated scrobble */
    long refetched;         /* pages fetched again because they did not fit (for the summary) */
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
    PASS_ACT_IGNORE,       /* an answer for a page already stored: dropped, never written */
};

/* A pass for manifest `m` (a new one, or an unfinished one found on disk). */
void pass_init(struct pass *p, const struct manifest *m, bool on_disk);
void pass_free(struct pass *p);

/* The window's shape, from page 1 or from a resumed manifest.  -ENOMEM or 0. */
int pass_set_shape(struct pass *p, long total, long total_pages);
/* Resuming: page `page` on disk is a valid page of this pass, with edge `e`
 * (taken over; NULL: unknown). */
void pass_have_page(struct pass *p, long page, long scrobbles, struct page_edge *e);

/* The next request: a page (*ret_verify false) or the count (true).  False
 * when there is nothing to ask now (waiting for answers). */
bool pass_next(struct pass *p, long *ret_page, bool *ret_verify);

/* Page `page` arrived with result `r` and `body` (exact bytes).  `why` says
 * why for PASS_ACT_RESTART. */
enum pass_action pass_page_ok(struct pass *p, long page, const struct lastfm_result *r,
                              const char *body, size_t len, char why[static 128]);
/* The page is written; `e` (taken over) says where it begins and ends. */
void pass_page_stored(struct pass *p, long page, long scrobbles, struct page_edge *e);

/* Does a page fit its neighbours on disk?  After pass_page_stored(), or for
 * every page after a resume (page 0). */
enum pass_fit {
    PASS_FITS,   /* it does (or has no neighbour yet) */
    PASS_REREAD, /* pages *ret_page - 1 and *ret_page do not fit: both are forgotten
                  * and fetched again (`why` says why) */
    PASS_RESIZE, /* the same scrobble on both sides of a boundary at every read:
                  * pass_restart_resized(), so that a real pair falls inside a page */
    PASS_WRONG,  /* re-reads and another page size did not help: the pass fails */
};
enum pass_fit pass_fit(struct pass *p, long page, long *ret_page, char why[static 256]);
/* The count arrived: PASS_ACT_COMPLETE or PASS_ACT_RESTART (with `why`). */
enum pass_action pass_count_ok(struct pass *p, long total, char why[static 128]);

/* Start the pass again: false when it has had PASS_MAX_ATTEMPTS already. */
bool pass_restart(struct pass *p);
/* Start it again with another page size (one item fewer per page). */
bool pass_restart_resized(struct pass *p);

#endif
