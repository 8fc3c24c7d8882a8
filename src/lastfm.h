/* lastfm.h: what lastfm-syncd knows about user.getRecentTracks, pure.
 *
 * Request URLs (built with curl's URL API, so every value is escaped) and the
 * classification of a response into keep / retry / stop.  No I/O, no logging.
 */
#ifndef LASTFM_LASTFM_H
#define LASTFM_LASTFM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exitcodes.h"
#include "lfmjson.h"

/* One getRecentTracks request. */
struct lastfm_query {
    const char *api_url;   /* LASTFM_API_URL, e.g. https://ws.audioscrobbler.com/2.0/ */
    const char *user;      /* LASTFM_USERNAME */
    const char *api_key;   /* LASTFM_API_KEY; NULL builds the redacted form */
    long page;             /* 1-based page number */
    long limit;            /* items per page, 1..1000 */
    int64_t from;          /* "from" in Unix seconds, or -1 to omit */
    int64_t to;            /* "to" in Unix seconds, or -1 to omit */
};

/* A malloc'd request URL, or NULL on allocation failure or a bad api_url.
 * With api_key == NULL the key is written as "REDACTED": the only form to log. */
char *lastfm_build_url(const struct lastfm_query *q);

/* Is `url` an acceptable LASTFM_API_URL?  https, or plain http to a loopback
 * address (the simulator; *ret_loopback is set).  false with the reason. */
bool lastfm_check_api_url(const char *url, bool *ret_loopback, char *why, size_t size);

/* What to do with a response. */
enum lastfm_verdict {
    LFM_OK,          /* a valid page: keep its bytes */
    LFM_RETRY,       /* transient: retry after backoff */
    LFM_RETRY_SLOW,  /* rate limited (HTTP 429, error 29): retry and slow the pass down */
    LFM_FATAL,       /* retrying cannot help: stop with `exit_code` */
};

/* Everything the classifier read from one response. */
struct lastfm_result {
    enum lastfm_verdict verdict;
    int exit_code;            /* for LFM_FATAL */
    int lastfm_error;         /* the body's "error" code, 0 if none */
    char reason[192];         /* one line for the log: what was wrong (no key inside) */
    long page;                /* @attr.page */
    long total_pages;         /* @attr.totalPages */
    long total;               /* @attr.total */
    long per_page;            /* @attr.perPage */
    long scrobbles;           /* items that are scrobbles (now-playing not counted) */
    bool now_playing;         /* a now-playing item was present */
    double min_delay;         /* LFM_RETRY: wait at least this long (seconds; 0: backoff
                                 alone), for answers that are not the API's own */
};



/* Classify one finished HTTP exchange.  `body` need not be NUL-terminated.
 * `expected_page` and `limit` are what was asked for: a page with more than
 * `limit` scrobbles (or `limit` + 1 items) is a bad response.  `user` only goes
 * into messages. */
void lastfm_classify(long http_status, const char *body, size_t len, long expected_page,
                     long limit, const char *user, struct lastfm_result *ret);


#endif
