/* The request queue against a fake http_int.h, with an injected clock and seed:
 * in-flight cap, rate limit, classification, retries, giving up, fatal
 * answers, cancelling, a request that cannot start. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_http.h"
#include "fetch_int.h"
#include "test.h"

static double fake_now = 1000.0;
static double clock_fake(void) { return fake_now; }

/* The owner: hands out pages 1..npages, records what comes back. */
struct owner {
    long next, npages, limit;
    bool check_shape;
    bool url_fails; /* url() runs out of memory */
    unsigned urls;  /* url() calls */
    unsigned done, ok, fatal, gave_up, failed, retrying;
    struct fetch_verdict last;
    char last_why[256];
    long last_total;
    int last_exit;
    struct fetch_retry last_retry;
    char retry_why[256];
    double delays[16];
};

static bool pull(void *opaque, struct fetch_request *ret)
{
    struct owner *o = opaque;
    if (o->next > o->npages)
        return false;
    *ret = (struct fetch_request){.kind = 7,
                                  .page = o->next++,
                                  .limit = o->limit,
                                  .from = -1,
                                  .to = -1,
                                  .check_shape = o->check_shape};
    return true;
}

static char *url(void *opaque, const struct fetch_request *req)
{
    struct owner *o = opaque;
    char buf[256];
    o->urls++;
    if (o->url_fails)
        return NULL;
    snprintf(buf, sizeof buf, "http://127.0.0.1:1/2.0/?limit=%ld&page=%ld", req->limit, req->page);
    return strdup(buf);
}

static void done(void *opaque, const struct fetch_request *req, const struct fetch_verdict *v)
{
    struct owner *o = opaque;
    CHECK_INT(req->kind, 7);
    o->done++;
    o->last = *v;
    snprintf(o->last_why, sizeof o->last_why, "%s", v->why ? v->why : "");
    if (v->outcome == FETCH_OK) {
        o->ok++;
        o->last_total = v->result->total;
        CHECK(v->body && v->len == strlen(v->body));
    } else if (v->outcome == FETCH_FATAL) {
        o->fatal++;
        o->last_exit = v->result->exit_code;
    } else if (v->outcome == FETCH_GAVE_UP) {
        o->gave_up++;
    } else {
        o->failed++;
    }
}

static void retrying(void *opaque, const struct fetch_request *req, const struct fetch_retry *r)
{
    struct owner *o = opaque;
    if (o->retrying < 16)
        o->delays[o->retrying] = r->delay;
    o->retrying++;
    o->last_retry = *r;
    snprintf(o->retry_why, sizeof o->retry_why, "%s", r->why);
}

static const struct fetch_ops ops = {.pull = pull, .url = url, .done = done, .retrying = retrying};

static struct fetch_options options(void)
{
    return (struct fetch_options){
        .username = "u",
        .rate = 1000,
        .burst = 1000,
        .max_in_flight = 3,
        .max_retries = 2,
        .backoff = {.base = 0.001, .cap = 30},
        .request_timeout = 30,
        .clock = clock_fake,
        .seed = 42,
    };
}

/* A valid page `page` of `pages`, with `n` scrobbles of `total`. */
static const char *body(char buf[static 4096], long page, long pages, long total, int n)
{
    int k = snprintf(buf, 4096, "{\"recenttracks\":{\"track\":[");
    for (int i = 0; i < n; i++)
        k += snprintf(buf + k, 4096 - k,
                      "%s{\"artist\":{\"mbid\":\"\",\"#text\":\"A\"},"
                      "\"name\":\"T\",\"album\":{\"mbid\":\"\",\"#text\":\"\"},\"date\":"
                      "{\"uts\":\"%d\",\"#text\":\"x\"}}",
                      i ? "," : "", 5000 - i);
    snprintf(buf + k, 4096 - k,
             "],\"@attr\":{\"user\":\"u\",\"totalPages\":\"%ld\",\"page\":"
             "\"%ld\",\"perPage\":\"2\",\"total\":\"%ld\"}}}",
             pages, page, total);
    return buf;
}

/* A fetch over a fake http, for one test. */
static struct fetch *rig(struct ev_loop *loop, const struct fetch_options *fo, struct owner *o,
                         struct http **ret_http)
{
    struct fetch *f = NULL;
    CHECK_INT(http_new(loop, NULL, ret_http), 0);
    CHECK_INT(fetch_new(loop, *ret_http, fo, &ops, o, &f), 0);
    if (!f)
        abort();
    return f;
}

static void unrig(struct fetch *f, struct http *h)
{
    fetch_free(f);
    http_free(h);
}

/* Run the loop until `cond` holds (retry timers are real, a few ms). */
#define RUN_UNTIL(loop, cond)                                 \
    do {                                                      \
        for (int spin_ = 0; spin_ < 2000 && !(cond); spin_++) \
            ev_run(loop, EVRUN_ONCE);                         \
        CHECK(cond);                                          \
    } while (0)

static void test_cap_and_pages(struct ev_loop *loop)
{
    struct http *h;
    struct owner o = {.next = 1, .npages = 5, .limit = 2};
    struct fetch_options fo = options();
    char b[4096];
    struct fetch *f = rig(loop, &fo, &o, &h);
    fetch_wake(f);
    /* Three in flight, no more. */
    CHECK_INT(h->n, 3);
    CHECK(strstr(h->req[0].url, "page=1") && strstr(h->req[2].url, "page=3"));
    CHECK(strstr(h->req[0].url, "limit=2") != NULL);
    fake_respond(h, 1, 200, body(b, 2, 5, 10, 2), -1);
    CHECK_INT(o.ok, 1);
    CHECK_INT(o.last_total, 10);
    CHECK_INT(h->n, 4); /* room again: page 4 */
    CHECK(strstr(h->req[3].url, "page=4") != NULL);
    fake_respond(h, 0, 200, body(b, 1, 5, 10, 2), -1);
    fake_respond(h, 2, 200, body(b, 3, 5, 10, 2), -1);
    fake_respond(h, 3, 200, body(b, 4, 5, 10, 2), -1);
    fake_respond(h, 4, 200, body(b, 5, 5, 10, 2), -1);
    CHECK_INT(o.ok, 5);
    CHECK_INT(h->n, 5);
    CHECK_INT(fetch_stats(f).requests, 5);
    CHECK_INT(fetch_stats(f).retries, 0);
    unrig(f, h);
}

static void test_rate(struct ev_loop *loop)
{
    struct http *h;
    struct owner o = {.next = 1, .npages = 5, .limit = 2};
    struct fetch_options fo = options();
    fo.rate = 2;
    fo.burst = 2;
    fo.max_in_flight = 10;
    struct fetch *f = rig(loop, &fo, &o, &h);
    fetch_wake(f);
    CHECK_INT(h->n, 2); /* the burst */
    fake_now += 0.25;
    fetch_wake(f);
    CHECK_INT(h->n, 2); /* half a token */
    fake_now += 0.25;
    fetch_wake(f);
    CHECK_INT(h->n, 3);
    fake_now += 1.0;
    fetch_wake(f);
    CHECK_INT(h->n, 5);
    unrig(f, h);
}

static void test_retries(struct ev_loop *loop)
{
    struct http *h;
    struct owner o = {.next = 1, .npages = 1, .limit = 2};
    struct fetch_options fo = options();
    char b[4096];
    struct fetch *f = rig(loop, &fo, &o, &h);
    fetch_wake(f);
    /* A 503, then a valid page: one retry, done once. */
    fake_respond(h, 0, 503, "<html>Service Unavailable</html>", -1);
    CHECK_INT(o.retrying, 1);
    CHECK_INT(o.last_retry.retry, 1);
    CHECK_INT(o.last_retry.http_status, 503);
    CHECK(o.last_retry.delay >= 0 && o.last_retry.delay <= 0.001);
    CHECK_INT(o.done, 0);
    RUN_UNTIL(loop, h->n == 2);
    fake_respond(h, 1, 200, body(b, 1, 1, 2, 2), -1);
    CHECK_INT(o.ok, 1);
    CHECK_INT(o.last.retries, 1);
    CHECK_INT(fetch_stats(f).requests, 2);
    CHECK_INT(fetch_stats(f).retries, 1);

    /* Error 8 and a transport failure count as retries; the third failure
     * with max_retries 2 gives up, with the last reason. */
    o.next = 1;
    fetch_wake(f);
    CHECK_INT(h->n, 3);
    fake_respond(h, 2, 200, "{\"error\":8,\"message\":\"Operation failed\"}", -1);
    CHECK_INT(o.last_retry.lastfm_error, 8);
    RUN_UNTIL(loop, h->n == 4);
    fake_fail(h, 3, "Connection reset by peer");
    CHECK_STR(o.retry_why, "Connection reset by peer");
    RUN_UNTIL(loop, h->n == 5);
    fake_respond(h, 4, 502, "bad gateway", -1);
    CHECK_INT(o.gave_up, 1);
    CHECK_INT(o.last.retries, 2);
    CHECK(strstr(o.last_why, "502") != NULL);
    unrig(f, h);
}

static void test_answers(struct ev_loop *loop)
{
    struct http *h;
    struct owner o = {.next = 1, .npages = 1, .limit = 2};
    struct fetch_options fo = options();
    char b[4096];
    struct fetch *f = rig(loop, &fo, &o, &h);

    /* A bad key is fatal: no retry, the exit code for configuration. */
    fetch_wake(f);
    fake_respond(h, 0, 403, "{\"error\":10,\"message\":\"Invalid API key\"}", -1);
    CHECK_INT(o.fatal, 1);
    CHECK_INT(o.retrying, 0);
    CHECK_INT(o.last_exit, EXIT_CONFIG);

    /* An unknown error code waits at least a minute, even if Retry-After says 1. */
    o.next = 1;
    fetch_wake(f);
    fake_respond(h, 1, 200, "{\"error\":999,\"message\":\"what\"}", 1);
    CHECK_INT(o.retrying, 1);
    CHECK(o.last_retry.delay >= 60);
    /* Rate limited: the server's Retry-After is honoured. */
    fetch_cancel_all(f);
    o.next = 1;
    fetch_wake(f);
    fake_respond(h, 2, 429, "{\"error\":29,\"message\":\"Rate limit exceeded\"}", 0.02);
    CHECK_INT(o.retrying, 2);
    CHECK(o.last_retry.delay >= 0.02);
    CHECK_INT(o.last_retry.lastfm_error, 29);
    fetch_cancel_all(f);
    /* ... and the bucket is emptied: nothing goes out until the clock moves. */
    o.next = 1;
    o.check_shape = true;
    fetch_wake(f);
    CHECK_INT(h->n, 3);
    fake_now += 1.0;
    fetch_wake(f);
    CHECK_INT(h->n, 4);

    /* Page 1 whose page count does not fit its total is retried. */
    fake_respond(h, 3, 200, body(b, 1, 5, 4, 2), -1);
    CHECK_INT(o.retrying, 3);
    CHECK_STR(o.retry_why, "page 1 says 5 pages for 4 scrobbles");
    RUN_UNTIL(loop, h->n == 5);
    fake_respond(h, 4, 200, body(b, 1, 2, 4, 2), -1);
    CHECK_INT(o.ok, 1);
    o.check_shape = false;

    /* Cancelled requests in flight are answered into the void, and what is
     * pulled next goes out. */
    o.next = 1;
    o.npages = 2;
    fetch_wake(f);
    CHECK_INT(h->n, 7);
    fetch_cancel_all(f);
    unsigned before = o.done;
    fake_respond(h, 5, 200, body(b, 1, 2, 4, 2), -1);
    fake_respond(h, 6, 200, body(b, 2, 2, 4, 2), -1);
    CHECK_INT(o.done, before);
    o.next = 2;
    fetch_wake(f);
    CHECK_INT(h->n, 8);

    /* A request that cannot start is a failure the owner hears of. */
    fake_respond(h, 7, 200, body(b, 2, 2, 4, 2), -1);
    o.next = 1;
    o.npages = 1;
    h->fail_next = -ENOMEM;
    fetch_wake(f);
    CHECK_INT(o.failed, 1);
    CHECK(strstr(o.last_why, "cannot start a request") != NULL);
    /* ... nor one whose URL cannot be built; each URL is built as it is sent. */
    unsigned urls = o.urls;
    o.next = 1;
    o.url_fails = true;
    fetch_wake(f);
    CHECK_INT(o.failed, 2);
    CHECK_INT(o.urls, urls + 1);
    CHECK_INT(h->n, 8);
    o.url_fails = false;

    /* Stop: transfers aborted, nothing pulled any more. */
    o.next = 1;
    fetch_stop(f);
    fetch_wake(f);
    CHECK_INT(h->n, 8);
    CHECK(h->aborts >= 1);
    unrig(f, h);
}

/* The same seed gives the same jitter; another seed another. */
static void jitter(struct ev_loop *loop, uint64_t seed, double out[3])
{
    struct http *h;
    struct owner o = {.next = 1, .npages = 1, .limit = 2};
    struct fetch_options fo = options();
    fo.seed = seed;
    fo.max_retries = 5;
    fo.backoff = (struct backoff){.base = 1, .cap = 100};
    struct fetch *f = rig(loop, &fo, &o, &h);
    fetch_wake(f);
    fake_respond(h, 0, 500, "x", -1);
    out[0] = o.last_retry.delay;
    unrig(f, h);
    (void)out;
}

static void test_jitter(struct ev_loop *loop)
{
    double a[3], b[3], c[3];
    jitter(loop, 7, a);
    jitter(loop, 7, b);
    jitter(loop, 8, c);
    CHECK_NEAR(a[0], b[0], 0);
    CHECK(a[0] != c[0]);
    CHECK(a[0] >= 0 && a[0] <= 1 && c[0] >= 0 && c[0] <= 1);
}

int main(void)
{
    struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
    test_cap_and_pages(loop);
    test_rate(loop);
    test_retries(loop);
    test_answers(loop);
    test_jitter(loop);
    ev_loop_destroy(loop);
    TEST_DONE();
}
