/* classify_int.h: what a user.getRecentTracks response means, pure.
 *
 * One finished HTTP exchange into keep / retry / retry slower / stop, with
 * the page's numbers and a line for the log.  No I/O, no logging, no curl.
 */
#ifndef LASTFM_CLASSIFY_H
#define LASTFM_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "exitcodes.h"
#include "lfmjson.h"

/* What to do with a response. */
enum lastfm_verdict {
    LFM_OK,         /* a valid page: keep its bytes */
    LFM_RETRY,      /* transient: retry after backoff */
    LFM_RETRY_SLOW, /* rate limited (HTTP 429, error 29): retry and slow the pass down */
    LFM_FATAL,      /* retrying cannot help: stop with `exit_code` */
};

/* Everything the classifier read from one response. */
struct lastfm_result {
    enum lastfm_verdict verdict;
    int exit_code;    /* for LFM_FATAL */
    int lastfm_error; /* the body's "error" code, 0 if none */
    char reason[192]; /* one line for the log: what was wrong (no key inside) */
    long page;        /* @attr.page */
    long total_pages; /* @attr.totalPages */
    long total;       /* @attr.total */
    long per_page;    /* @attr.perPage */
    long scrobbles;   /* items that are scrobbles (now-playing not counted) */
    bool now_playing; /* a now-playing item was present */
    double min_delay; /* LFM_RETRY: wait at least this long (seconds; 0: backoff
                                 alone), for answers that are not the API's own */
    /* artist.getTopTags: */
    long tags;           /* tags in the answer */
    bool unknown_artist; /* error 6: Last.fm does not know the artist (kept: no tags) */
};

/* Classify one finished HTTP exchange.  `body` need not be NUL-terminated.
 * `expected_page` and `limit` are what was asked for: a page with more than
 * `limit` scrobbles (or `limit` + 1 items) is a bad response.  `user` only goes
 * into messages. */
void lastfm_classify(long http_status, const char *body, size_t len, long expected_page, long limit,
                     const char *user, struct lastfm_result *ret);

/* The same for an artist.getTopTags answer: LFM_OK for a list of tags (even
 * empty) and for error 6, an unknown artist (an answer to keep, with
 * unknown_artist set); the transient and fatal errors as above. */
void lastfm_classify_tags(long status, const char *body, size_t len, const char *artist,
                          struct lastfm_result *r);

#endif
