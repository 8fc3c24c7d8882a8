/* http_int.h: libcurl's multi interface driven by a libev loop.
 *
 * Knows nothing of Last.fm: GET a URL, collect the body up to a cap, call back
 * once with the outcome.  Every transfer has a hard timeout.  Never logs (URLs
 * carry the API key).
 */
#ifndef LASTFM_HTTP_H
#define LASTFM_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

struct http;

struct http_options {
    long timeout_ms;         /* hard limit for a whole transfer */
    long connect_timeout_ms; /* limit for connecting */
    size_t max_body;         /* bodies above this fail with too_large */
    bool allow_plain_http;   /* http:// as well as https:// (loopback simulator) */
    const char *user_agent;  /* the strings must outlive the http */
    const char *ca_file;     /* PEM CA bundle for https, NULL: the system's */
};

/* The outcome of one transfer; valid only during the callback. */
struct http_response {
    bool transport_ok; /* a complete HTTP response arrived */
    const char *error; /* when !transport_ok: what went wrong (curl's words) */
    bool timed_out;    /* the hard timeout ended it */
    bool too_large;    /* the body went over max_body */
    bool tls_failed;   /* the TLS handshake or the certificate check failed */
    long status;       /* HTTP status, 0 if none */
    const char *body;  /* the exact bytes received (decoded if compressed) */
    size_t len;
    double retry_after;  /* Retry-After in seconds, or -1 */
    int64_t server_date; /* the Date header as Unix seconds, 0 if none or unreadable */
    double elapsed;      /* seconds from start to end */
};

typedef void (*http_done_fn)(void *opaque, const struct http_response *resp);

int http_new(struct ev_loop *loop, const struct http_options *o, struct http **ret);
/* Abort everything in flight (no callbacks) and free. NULL-safe. */
void http_free(struct http *h);

/* Start a GET; `done` is called exactly once, later, from the loop, unless the
 * transfer is aborted by http_abort_all or http_free.  Returns 0 or -errno. */
int http_get(struct http *h, const char *url, http_done_fn done, void *opaque);

/* Abort every transfer in flight without calling back. */
void http_abort_all(struct http *h);

/* Transfers in flight. */
unsigned http_in_flight(const struct http *h);

#endif
