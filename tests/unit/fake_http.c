/* fake_http.c: see fake_http.h. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_http.h"

struct http *fake_http_last;

int http_new(struct ev_loop *loop, const struct http_options *o, struct http **ret)
{
    *ret = fake_http_last = calloc(1, sizeof **ret);
    return *ret ? 0 : -ENOMEM;
}

void http_free(struct http *h) { free(h); }

int http_get(struct http *h, const char *url, http_done_fn done, void *opaque)
{
    if (h->fail_next) {
        int r = h->fail_next;
        h->fail_next = 0;
        return r;
    }
    if (h->n == FAKE_MAX)
        return -ENOBUFS;
    struct fake_request *q = &h->req[h->n++];
    snprintf(q->url, sizeof q->url, "%s", url);
    q->done = done;
    q->opaque = opaque;
    q->open = true;
    h->open++;
    return 0;
}

void http_abort_all(struct http *h)
{
    for (unsigned i = 0; i < h->n; i++)
        h->req[i].open = false;
    h->open = 0;
    h->aborts++;
}

unsigned http_in_flight(const struct http *h) { return h->open; }

static void answer(struct http *h, unsigned i, const struct http_response *resp)
{
    if (i >= h->n || !h->req[i].open) {
        fprintf(stderr, "fake_http: request %u is not open\n", i);
        abort();
    }
    struct fake_request *q = &h->req[i];
    q->open = false;
    h->open--;
    q->done(q->opaque, resp);
}

void fake_respond(struct http *h, unsigned i, long status, const char *body, double retry_after)
{
    struct http_response resp = {.transport_ok = true,
                                 .status = status,
                                 .body = body,
                                 .len = strlen(body),
                                 .retry_after = retry_after};
    answer(h, i, &resp);
}

void fake_fail(struct http *h, unsigned i, const char *error)
{
    struct http_response resp = {
        .transport_ok = false, .error = error, .body = "", .retry_after = -1};
    answer(h, i, &resp);
}
