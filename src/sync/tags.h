/* tags.h: a tag run: artist.getTopTags for each artist of the CSV that has no
 * stored answer, then a bounded number of answers older than
 * LASTFM_TAG_REFRESH (tagplan_int.h), each kept byte for byte in
 * DATA_DIR/tags (tagmeta.h).
 *
 * Runs on the caller's loop after a sync run and its stages, through the
 * same fetch (in-flight cap, retries with backoff) and the same budget of
 * requests (sync.h), so the key's rate holds across both.  An unknown artist
 * (error 6) is an answer, stored; a request that fails after its retries is
 * skipped (asked again by the next run); a fatal error (10, 26) ends the run
 * with its code.  Stopping it (tags_free, when the next sync is due) keeps
 * every answer stored so far: the next run asks only for the rest.
 */
#ifndef LASTFM_TAGS_H
#define LASTFM_TAGS_H

#include <stdbool.h>

#include <ev.h>

#include "config.h"
#include "store.h"
#include "sync.h"

struct tags;

/* A run asks at most this many stored artists again (the refresh). */
#define TAGS_REFRESH_PER_RUN 100

/* What a run did. */
struct tags_stats {
    long artists;      /* distinct artists in the CSV */
    long wanted;       /* asked about in this run (new and refreshed) */
    long stored;       /* answers stored */
    long unknown;      /* ... of which an artist Last.fm does not know */
    long refreshed;    /* ... of which renewed an older answer */
    long failed;       /* gave up after the retries (asked again next run) */
    unsigned requests; /* HTTP requests made */
    unsigned retries;  /* of which retries */
    double seconds;
};

typedef void (*tags_done_fn)(void *opaque, int exit_code, const struct tags_stats *st);

/* Start a run; `done` is called once from the loop, never from inside this
 * call.  Copies what it needs of cfg.  0 or -errno. */
int tags_start(struct ev_loop *loop, const struct config *cfg, struct store *store,
               struct sync_budget *budget, tags_done_fn done, void *opaque, struct tags **ret);

/* Stop at once (transfers aborted, no callback); NULL-safe. */
void tags_free(struct tags *t);

/* How far the stored answers cover the CSV's artists (for --status). */
struct tags_tally {
    long artists;  /* distinct artists in the CSV */
    long missing;  /* ... without a stored answer (the next run asks) */
    long stale;    /* ... whose answer is older than LASTFM_TAG_REFRESH */
    size_t unread; /* stored answers that cannot be read (asked again) */
};

/* Count, reading only: the CSV and DATA_DIR/tags at `now`.  0, or -errno
 * (-EBADMSG: a CSV that is not the flatten's). */
int tags_tally(struct store *s, const struct config *cfg, int64_t now, struct tags_tally *ret);

#endif
