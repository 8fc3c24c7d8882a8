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

/* What to do with a response. */
enum lastfm_verdict {
    LFM_OK,          /* a valid page: keep its bytes */
    LFM_RETRY,       /* transient: retry after backoff */
    LFM_RETRY_SLOW,  /* rate limited (HTTP 429, error 29): retry and slow the pass down */
    LFM_FATAL,       /* retrying cannot help: stop with `exit_code` */
};

/* Exit codes shared by the programs (see README). */
enum {
    EXIT_DONE = 0,
    EXIT_USAGE = 64,       /* bad command line */
    EXIT_DATAERR = 65,     /* a raw page, manifest or the CSV on disk is unreadable */
    EXIT_NOINPUT = 66,     /* a stage's input does not exist yet */
    EXIT_TEMPFAIL = 75,    /* the pass could not complete after its retries */
    EXIT_IOERR = 74,       /* the data directory could not be written */
    EXIT_PRIVATE = 77,     /* the user's history is private (error 17) */
    EXIT_CONFIG = 78,      /* configuration error, invalid key, unknown user */
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

/* The largest `limit` the API accepts for this method. */
#define LASTFM_MAX_LIMIT 1000
/* Upper bounds of one item's JSON shape, with room to spare: a real extended
 * item has about 14 objects/arrays and 30 commas.  A body with more than
 * items * these (plus a little for the envelope) is refused unparsed. */
#define LASTFM_JSON_CONTAINERS_PER_ITEM 32
#define LASTFM_JSON_COMMAS_PER_ITEM 128

/* Classify one finished HTTP exchange.  `body` need not be NUL-terminated.
 * `expected_page` and `limit` are what was asked for: a page with more than
 * `limit` scrobbles (or `limit` + 1 items) is a bad response.  `user` only goes
 * into messages. */
void lastfm_classify(long http_status, const char *body, size_t len, long expected_page,
                     long limit, const char *user, struct lastfm_result *ret);

/* date.uts accepted in a scrobble: 1970-01-01 .. 9999-12-31T23:59:59Z, so that
 * every stored scrobble has an ISO 8601 time.  Anything else is a bad page. */
#define LASTFM_MAX_UTS INT64_C(253402300799)

/* Strict decimal parse of a Last.fm number (a JSON string such as "731").
 * Returns false for anything else, including overflow and trailing bytes. */
bool lastfm_parse_number(const char *s, int64_t *ret);


/* Shared by the classifier and the flattener: the JSON side of a page. */
struct json_object;

/* Parse a whole body with json-c's tokener (nesting capped at 64).  NULL if it
 * is not exactly one JSON value (cut off, trailing bytes, too deep) or holds
 * more than lastfm_json_bounded() allows. */
struct json_object *lastfm_parse_json(const char *body, size_t len, long max_items);

/* Would the JSON in `body` fit in a page of `max_items` items?  Counts the
 * objects, arrays and commas outside strings, without building anything: the
 * bound on what json-c may allocate for any body.  max_items <= 0 means the
 * largest page the API serves (LASTFM_MAX_LIMIT + 1). */
bool lastfm_json_bounded(const char *body, size_t len, long max_items);

/* recenttracks.track of a parsed page: an array, a bare object (one item), or
 * absent.  NULL if the body is not a recenttracks page. */
struct json_object *lastfm_page_tracks(struct json_object *root, bool *ret_has_page);

/* Items of `tracks` whatever its shape: count and i-th item. */
size_t lastfm_item_count(struct json_object *tracks);
struct json_object *lastfm_item_at(struct json_object *tracks, size_t i);

/* True for the now-playing item ("@attr":{"nowplaying":"true"}). */
bool lastfm_item_is_now_playing(struct json_object *item);

/* The string value at key (or a number's text); NULL when absent or neither. */
const char *lastfm_string(struct json_object *obj, const char *key);

#endif
