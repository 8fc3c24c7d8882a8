/* fake_http.h: http_int.h without a network, for unit tests of what drives it.
 * http_get() records the request; the test answers it with fake_respond(). */
#ifndef LASTFM_FAKE_HTTP_H
#define LASTFM_FAKE_HTTP_H

#include "http_int.h"

#define FAKE_MAX 256

struct fake_request {
    char url[1024];
    http_done_fn done;
    void *opaque;
    bool open; /* started, neither answered nor aborted */
};

struct http {
    struct fake_request req[FAKE_MAX];
    unsigned n;      /* requests started */
    unsigned open;   /* in flight */
    unsigned aborts; /* http_abort_all() calls */
    int fail_next;   /* -errno: the next http_get() fails with it */
};

/* The http made last by http_new() (a test reaches the one its code made). */
extern struct http *fake_http_last;

/* Answer request i; status 0 with error: a transport failure. */
void fake_respond(struct http *h, unsigned i, long status, const char *body, double retry_after);
void fake_fail(struct http *h, unsigned i, const char *error);

#endif
