/* fetch_int.h: API requests, their rate, their retries, on the caller's libev loop.
 *
 * The owner says what to fetch when asked (pull) and hears each request's
 * verdict (done).  Fetch keeps at most max_in_flight requests in flight, takes
 * a rate-limit token for each, classifies each response (lastfm.h), retries
 * what can be retried after a backoff with jitter (telling the owner, who
 * logs it), and halves the rate for a minute after a rate-limit answer.  It
 * knows nothing of passes or URLs (the owner builds them: no curl here) and
 * never logs.
 *
 * The clock and the randomness are injected (fetch_options), and the HTTP
 * client is the caller's (http_int.h), so a test can drive all of it.
 */
#ifndef LASTFM_FETCH_H
#define LASTFM_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "backoff.h"
#include "classify_int.h"
#include "http_int.h"
#include "ratelimit_int.h"

/* After error 29 / HTTP 429: half the rate for a minute. */
#define FETCH_SLOW_FACTOR 2.0
#define FETCH_SLOW_SECONDS 60.0
/* A page 1 that claims more pages than this is not believed. */
#define FETCH_MAX_TOTAL_PAGES 1000000

/* Which API method a request calls (each has its own classifier). */
enum fetch_method {
    FETCH_RECENT_TRACKS, /* user.getRecentTracks: page, limit, from, to */
    FETCH_TOP_TAGS,      /* artist.getTopTags: artist */
};

/* One request. */
struct fetch_request {
    enum fetch_method method;
    int kind;           /* the owner's tag, handed back with the verdict */
    const char *artist; /* FETCH_TOP_TAGS: the name (the owner's; outlives the request) */
    long page;          /* page number */
    long limit;         /* items per page (1: a count) */
    int64_t from, to;   /* the request's from/to (-1: leave out) */
    bool check_shape;   /* page 1 of a pass: totalPages must be ceil(total / limit) */
};

enum fetch_outcome {
    FETCH_OK,      /* a valid page: result, body */
    FETCH_FATAL,   /* the API refused for good (bad key, unknown user...): result */
    FETCH_GAVE_UP, /* max_retries retries failed: why (the last reason) */
    FETCH_FAILED,  /* the request could not be started: why */
};

/* A request's outcome; valid only during the callback. */
struct fetch_verdict {
    enum fetch_outcome outcome;
    const struct lastfm_result *result; /* FETCH_OK, FETCH_FATAL */
    long http_status;                   /* 0 if none */
    const char *body;                   /* FETCH_OK: the exact bytes received */
    size_t len;
    const char *why;     /* FETCH_GAVE_UP, FETCH_FAILED */
    unsigned retries;    /* retries this request had */
    int64_t server_date; /* FETCH_OK: the response's Date, 0 if none */
};

/* A retry about to wait, for the owner's log line. */
struct fetch_retry {
    const char *why; /* what went wrong */
    unsigned retry;  /* this retry's number, from 1 */
    unsigned max_retries;
    double delay;     /* seconds until it is sent */
    long http_status; /* 0 if none */
    int lastfm_error; /* 0 if none */
};

/* The owner.  pull(), url() and retrying() must not call back into fetch;
 * done() may call anything, fetch_stop() included. */
struct fetch_ops {
    /* next request into *ret (zeroed: a field not set is 0, the method
     * FETCH_RECENT_TRACKS); false: none now */
    bool (*pull)(void *opaque, struct fetch_request *ret);
    /* The request's URL, malloc'd, built as it is sent (it holds the API key:
     * fetch wipes and frees it at once); NULL: out of memory. */
    char *(*url)(void *opaque, const struct fetch_request *req);
    void (*done)(void *opaque, const struct fetch_request *req, const struct fetch_verdict *v);
    void (*retrying)(void *opaque, const struct fetch_request *req, const struct fetch_retry *r);
};

struct fetch_options {
    const char *username; /* for the classifier's messages; must outlive the fetch */
    double rate;          /* requests per second, on average */
    double burst;         /* tokens the bucket holds (>= 1) */
    unsigned max_in_flight;
    unsigned max_retries; /* per request */
    struct backoff backoff;
    int request_timeout;   /* seconds, for the message when one runs out */
    double (*clock)(void); /* monotonic seconds */
    uint64_t seed;         /* the jitter's random state (nonzero) */
    /* The key's budget shared with other runs (rate and burst as above,
     * set up by the first run), or NULL: the fetch's own bucket. */
    struct ratelimit *shared;
};

struct fetch;

/* sync.h's budget, for the runs that draw from it (sync.c, tags.c). */
struct sync_budget {
    struct ratelimit rl; /* rate 0 until the first run sets it up */
};

/* The http client must outlive the fetch; fetch_free() does not free it. */
int fetch_new(struct ev_loop *loop, struct http *http, const struct fetch_options *o,
              const struct fetch_ops *ops, void *opaque, struct fetch **ret);
void fetch_free(struct fetch *f);

/* There may be something to pull: start what the in-flight cap and the rate
 * allow.  Safe to call from done(). */
void fetch_wake(struct fetch *f);
/* Forget every request: those waiting are dropped, those in flight are
 * answered into the void.  No callbacks.  The owner pulls anew after it. */
void fetch_cancel_all(struct fetch *f);
/* Abort everything (transfers too) and pull nothing more.  No callbacks. */
void fetch_stop(struct fetch *f);

/* Counters since fetch_new(). */
struct fetch_stats {
    unsigned requests; /* HTTP requests started */
    unsigned retries;  /* of which retries */
};
struct fetch_stats fetch_stats(const struct fetch *f);

#endif
