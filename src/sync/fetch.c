/* fetch.c: the request queue: in-flight cap, rate limit, classification,
 * retries with backoff. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "fetch_int.h"
#include "store.h"

/* One request and its retries.  A job is in one of three places: the ready
 * queue (waiting for room in flight or a token), its retry timer, or in
 * flight; and always in the list of live jobs. */
struct job {
    struct fetch *f;
    struct fetch_request req;
    unsigned retries;       /* retries so far */
    bool queued;            /* in the ready queue */
    bool in_flight;         /* an HTTP transfer is running for it */
    bool cancelled;         /* in flight, but its answer goes nowhere */
    ev_timer retry_timer;   /* waiting for a retry */
    TAILQ_ENTRY(job) ready; /* in the ready queue */
    LIST_ENTRY(job) live;   /* in the list of live jobs */
};

struct fetch {
    struct ev_loop *loop;
    struct http *http;
    struct fetch_options o;
    struct fetch_ops ops;
    void *opaque;
    struct ratelimit own_rl;
    struct ratelimit *rl;      /* own_rl, or the shared budget */
    uint64_t rng;              /* xorshift state for the jitter */
    ev_timer pump_timer;       /* waiting for a rate-limit token */
    TAILQ_HEAD(, job) ready_q; /* retries first, then what could not start yet */
    LIST_HEAD(, job) live_l;   /* every allocated job */
    struct fetch_stats stats;
    bool stopped;
};

static void pump(struct fetch *f);

static double rand01(struct fetch *f)
{
    uint64_t x = f->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    f->rng = x;
    return (double)(x >> 11) / 9007199254740992.0;
}

static struct job *job_new(struct fetch *f, const struct fetch_request *req)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->f = f;
    j->req = *req;
    LIST_INSERT_HEAD(&f->live_l, j, live);
    return j;
}

static void job_free(struct job *j)
{
    struct fetch *f = j->f;
    ev_timer_stop(f->loop, &j->retry_timer);
    if (j->queued)
        TAILQ_REMOVE(&f->ready_q, j, ready);
    LIST_REMOVE(j, live);
    free(j);
}

/* The job is over: free it, then tell the owner (who may end everything). */
static void conclude(struct job *j, const struct fetch_verdict *v)
{
    struct fetch *f = j->f;
    struct fetch_request req = j->req;
    struct fetch_verdict copy = *v;
    copy.retries = j->retries;
    job_free(j);
    f->ops.done(f->opaque, &req, &copy);
}

static void on_retry_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct job *j = w->data;
    TAILQ_INSERT_HEAD(&j->f->ready_q, j, ready);
    j->queued = true;
    pump(j->f);
}

static void retry(struct job *j, const char *why, double retry_after, long status, int lfm_error)
{
    struct fetch *f = j->f;
    if (j->retries >= f->o.max_retries) {
        conclude(j, &(struct fetch_verdict){
                        .outcome = FETCH_GAVE_UP, .http_status = status, .why = why});
        return;
    }
    double delay = backoff_delay(&f->o.backoff, j->retries, rand01(f), retry_after);
    j->retries++;
    f->stats.retries++;
    struct fetch_retry r = {.why = why,
                            .retry = j->retries,
                            .max_retries = f->o.max_retries,
                            .delay = delay,
                            .http_status = status,
                            .lastfm_error = lfm_error};
    f->ops.retrying(f->opaque, &j->req, &r);
    ev_timer_init(&j->retry_timer, on_retry_timer, delay, 0.0);
    j->retry_timer.data = j;
    ev_timer_start(f->loop, &j->retry_timer);
}

/* Why a transfer failed, in words for the log. */
static void transport_why(const struct fetch *f, const struct http_response *resp, char *why,
                          size_t size)
{
    if (resp->too_large)
        snprintf(why, size, "body over %u bytes", STORE_MAX_PAGE_BYTES);
    else if (resp->timed_out)
        snprintf(why, size, "no complete answer within %d s", f->o.request_timeout);
    else if (resp->tls_failed)
        snprintf(why, size,
                 "%s (the server's certificate was not accepted: check the clock, "
                 "any proxy that intercepts https, or LASTFM_CA_FILE)",
                 resp->error);
    else
        snprintf(why, size, "%s", resp->error);
}

static void on_response(void *opaque, const struct http_response *resp)
{
    struct job *j = opaque;
    struct fetch *f = j->f;
    j->in_flight = false;
    if (j->cancelled) {
        job_free(j);
        pump(f);
        return;
    }
    if (!resp->transport_ok) {
        char why[512];
        transport_why(f, resp, why, sizeof why);
        retry(j, why, -1, resp->status, 0);
        pump(f);
        return;
    }
    struct lastfm_result r;
    if (j->req.method == FETCH_TOP_TAGS)
        lastfm_classify_tags(resp->status, resp->body, resp->len, j->req.artist, &r);
    else
        lastfm_classify(resp->status, resp->body, resp->len, j->req.page, j->req.limit,
                        f->o.username, &r);
    if (r.verdict == LFM_OK && j->req.check_shape) {
        long limit = j->req.limit;
        long expect = r.total == 0 ? 0 : (r.total + limit - 1) / limit;
        if (r.total_pages != expect || r.total_pages > FETCH_MAX_TOTAL_PAGES) {
            r.verdict = LFM_RETRY;
            snprintf(r.reason, sizeof r.reason, "page 1 says %ld pages for %ld scrobbles",
                     r.total_pages, r.total);
        }
    }
    switch (r.verdict) {
    case LFM_OK:
        conclude(j, &(struct fetch_verdict){.outcome = FETCH_OK,
                                            .result = &r,
                                            .http_status = resp->status,
                                            .body = resp->body,
                                            .len = resp->len,
                                            .server_date = resp->server_date});
        break;
    case LFM_RETRY_SLOW:
        ratelimit_slow_down(f->rl, f->o.clock(), FETCH_SLOW_FACTOR, FETCH_SLOW_SECONDS);
        retry(j, r.reason, resp->retry_after, resp->status, r.lastfm_error);
        break;
    case LFM_RETRY:
        retry(j, r.reason, resp->retry_after > r.min_delay ? resp->retry_after : r.min_delay,
              resp->status, r.lastfm_error);
        break;
    case LFM_FATAL:
        conclude(j, &(struct fetch_verdict){
                        .outcome = FETCH_FATAL, .result = &r, .http_status = resp->status});
        break;
    }
    pump(f);
}

/* Send the job's request; false if it could not be (the owner was told). */
static bool start(struct fetch *f, struct job *j)
{
    char *url = f->ops.url(f->opaque, &j->req);
    int r = url ? http_get(f->http, url, on_response, j) : -ENOMEM;
    if (url) {
        explicit_bzero(url, strlen(url));
        free(url);
    }
    if (r < 0) {
        char why[128];
        snprintf(why, sizeof why, "cannot start a request: %s", strerror(-r));
        conclude(j, &(struct fetch_verdict){.outcome = FETCH_FAILED, .why = why});
        return false;
    }
    j->in_flight = true;
    f->stats.requests++;
    return true;
}

static void on_pump_timer(struct ev_loop *loop, ev_timer *w, int revents) { pump(w->data); }

/* Start requests while there is work, room in flight and a token. */
static void pump(struct fetch *f)
{
    while (!f->stopped && http_in_flight(f->http) < f->o.max_in_flight) {
        struct job *j = TAILQ_FIRST(&f->ready_q);
        if (j) {
            TAILQ_REMOVE(&f->ready_q, j, ready);
            j->queued = false;
        } else {
            struct fetch_request req = {0}; /* the owner sets what it asks */
            if (!f->ops.pull(f->opaque, &req))
                return;
            j = job_new(f, &req);
            if (!j) {
                f->ops.done(
                    f->opaque, &req,
                    &(struct fetch_verdict){.outcome = FETCH_FAILED,
                                            .why = "cannot start a request: out of memory"});
                continue;
            }
        }
        double wait = ratelimit_take(f->rl, f->o.clock());
        if (wait > 0) {
            TAILQ_INSERT_HEAD(&f->ready_q, j, ready);
            j->queued = true;
            if (!ev_is_active(&f->pump_timer)) {
                ev_timer_set(&f->pump_timer, wait, 0.0);
                ev_timer_start(f->loop, &f->pump_timer);
            }
            return;
        }
        start(f, j);
    }
}

int fetch_new(struct ev_loop *loop, struct http *http, const struct fetch_options *o,
              const struct fetch_ops *ops, void *opaque, struct fetch **ret)
{
    struct fetch *f = calloc(1, sizeof *f);
    if (!f)
        return -ENOMEM;
    f->loop = loop;
    f->http = http;
    f->o = *o;
    f->ops = *ops;
    f->opaque = opaque;
    f->rng = o->seed ? o->seed : 0x9e3779b97f4a7c15u;
    if (o->shared) {
        f->rl = o->shared;
        /* Set up by the first run, and again when a reload changed the rate;
         * otherwise its tokens and any slow-down carry on from run to run. */
        if (f->rl->rate != o->rate || f->rl->burst != o->burst)
            ratelimit_init(f->rl, o->rate, o->burst, o->clock());
    } else {
        f->rl = &f->own_rl;
        ratelimit_init(f->rl, o->rate, o->burst, o->clock());
    }
    TAILQ_INIT(&f->ready_q);
    LIST_INIT(&f->live_l);
    ev_timer_init(&f->pump_timer, on_pump_timer, 0.0, 0.0);
    f->pump_timer.data = f;
    *ret = f;
    return 0;
}

void fetch_wake(struct fetch *f) { pump(f); }

void fetch_cancel_all(struct fetch *f)
{
    struct job *j, *next;
    for (j = LIST_FIRST(&f->live_l); j; j = next) {
        next = LIST_NEXT(j, live);
        if (j->in_flight)
            j->cancelled = true;
        else
            job_free(j);
    }
}

void fetch_stop(struct fetch *f)
{
    f->stopped = true;
    http_abort_all(f->http);
    while (!LIST_EMPTY(&f->live_l))
        job_free(LIST_FIRST(&f->live_l));
    ev_timer_stop(f->loop, &f->pump_timer);
}

void fetch_free(struct fetch *f)
{
    if (!f)
        return;
    fetch_stop(f);
    free(f);
}

struct fetch_stats fetch_stats(const struct fetch *f) { return f->stats; }
