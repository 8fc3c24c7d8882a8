/* sync.c: one run, orchestrated: resume, plan, count, passes, the end.
 *
 * The run is a state machine (enum run_state), and the owner of fetch.c: it
 * hands out the requests its state calls for and routes the answers.  The
 * decisions are elsewhere: plan.c (which windows), pass.c (one pass's phases,
 * carried out on disk by passrun.c), fetch.c (sending and retrying),
 * passlist.c (the stored passes: listed, a bad one moved aside, superseded
 * ones removed), srvclock.c (this clock against the server's).  Here: the
 * run's beginning and end.
 */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "fetch_int.h"
#include "history.h"
#include "http_int.h"
#include "lastfm.h"
#include "lfmjson.h"
#include "log.h"
#include "monoclock.h"
#include "passlist_int.h"
#include "passrun_int.h"
#include "plan_int.h"
#include "srvclock_int.h"
#include "sync_settings_int.h"
#include "status.h"
#include "stored_int.h"
#include "sync.h"

enum run_state {
    RUN_STARTING, /* start_timer is armed: resume or plan from what is on disk */
    RUN_COUNTING, /* the recheck's count of the recent window is asked */
    RUN_CLOCK,    /* stored windows end after now: the server's time is asked */
    RUN_PASS,     /* a pass is fetched */
    RUN_DONE,     /* over: done_timer calls the owner back */
};

/* What a request is for (fetch_request.kind). */
enum request_kind {
    REQ_PAGE,   /* a page of the pass */
    REQ_VERIFY, /* the count of the pass window after its last page */
    REQ_COUNT,  /* the recheck's count of the recent stored window */
    REQ_CLOCK,  /* one item, for the server's Date: is this clock behind? */
};

struct sync {
    struct ev_loop *loop;
    struct sync_settings cfg;
    struct store *store;
    struct sync_options opt;
    sync_done_fn done;
    void *opaque;

    struct http *http;
    struct fetch *fetch;
    ev_timer start_timer; /* begin from what is on disk (again after a bad page) */
    ev_timer done_timer;  /* the owner's callback, from the loop */

    enum run_state state;
    bool count_asked;        /* RUN_COUNTING, RUN_CLOCK: the request is out */
    struct srvclock clock;   /* this clock against the server's */
    struct manifest *passes; /* stored passes as last listed */
    size_t npasses;
    unsigned next_pass; /* number for the next pass created */
    struct plan plan;   /* what is still to fetch */
    bool planned;       /* plan made (not before a resumed pass is done) */

    struct passrun pr; /* the pass being fetched (RUN_PASS) */

    struct sync_stats report;
    int exit_code;
    double t0;
    struct rate_window rate;
};

static int64_t wall_now(const struct sync *s)
{
    return s->opt.now ? s->opt.now : srvclock_now(&s->clock);
}

/* ---- ending ---- */

static void finish(struct sync *s, int code)
{
    if (s->state == RUN_DONE)
        return;
    s->state = RUN_DONE;
    s->exit_code = code;
    log_progress_end();
    fetch_stop(s->fetch);
    struct fetch_stats st = fetch_stats(s->fetch);
    s->report.requests = st.requests;
    s->report.retries = st.retries;
    s->report.pages = (unsigned)s->pr.pages;
    s->report.scrobbles = s->pr.scrobbles;
    s->report.seconds = mono_now() - s->t0;
    ev_timer_start(s->loop, &s->done_timer);
}

/* Say why the run fails (the journal names the caller's line), and end it. */
#define fail(s, code, ...) (log_err(__VA_ARGS__), finish((s), (code)))

static void on_done_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct sync *s = w->data;
    s->done(s->opaque, s->exit_code, &s->report);
}

/* ---- the stored passes (passlist.c) ---- */

static int reload_passes(struct sync *s)
{
    int code = passlist_reload(s->store, &s->passes, &s->npasses);
    if (code)
        finish(s, code);
    return code ? -1 : 0;
}

static void log_plan_notes(struct sync *s)
{
    for (size_t i = 0; i < s->plan.nnotes; i++) {
        const char *text = s->plan.notes[i].text;
        switch (s->plan.notes[i].level) {
        case PLAN_WARN: log_warn("%s", text); break;
        case PLAN_INFO: log_info("%s", text); break;
        case PLAN_DEBUG: log_debug("%s", text); break;
        }
    }
    s->plan.nnotes = 0;
}

/* Start the next planned window as a pass, or end the run. */
static void next_window(struct sync *s)
{
    struct plan_window w;
    bool more = plan_pop(&s->plan, &w);
    if (!more && s->clock.offset > 0 && !s->clock.caught_up) {
        /* This clock turned out to be behind the server's: what is newer
         * than the windows pinned by it, up to the server's now. */
        s->clock.caught_up = true;
        int64_t cover = reload_passes(s) < 0 ? -1 : history_coverage_end(s->passes, s->npasses);
        if (s->state == RUN_DONE)
            return;
        if (cover >= 0 && plan_catch_up(&s->plan, cover, wall_now(s)))
            log_plan_notes(s);
        more = plan_pop(&s->plan, &w);
    }
    if (!more) {
        passlist_prune(s->store, &s->passes, &s->npasses, s->pr.server_date);
        finish(s, EXIT_DONE);
        return;
    }
    struct manifest m = {0};
    m.pass = s->next_pass++;
    snprintf(m.kind, sizeof m.kind, "%s", w.kind);
    m.window_from = w.from;
    m.window_to = w.to;
    /* One second of margin each side: whether the API treats from/to as
     * inclusive or exclusive, the window is inside the response; the extra
     * seconds are cut off again by the window when the CSV is built. */
    m.request_from = w.from > 0 ? w.from - 1 : -1;
    m.request_to = w.to + 1;
    m.limit = s->cfg.page_limit;
    m.state = PASS_RUNNING;
    m.attempt = 1;
    m.started_at = wall_now(s);
    m.total = m.total_pages = -1;
    s->state = RUN_PASS;
    passrun_new(&s->pr, &m);
}

/* ---- passes ---- */

static void plan_run(struct sync *s);

/* A pass is over: the next window, or the plan if a resumed pass came first. */
static void after_pass(struct sync *s, enum passrun_next next)
{
    if (next == PASSRUN_FAILED) {
        finish(s, s->pr.exit_code);
        return;
    }
    if (next == PASSRUN_GOING)
        return;
    if (s->pr.completed) {
        s->report.passes++;
        s->report.changed = true;
    }
    passrun_free(&s->pr);
    if (s->planned)
        next_window(s);
    else
        plan_run(s);
}

/* ---- planning ---- */

static struct plan_input plan_input(const struct sync *s)
{
    return (struct plan_input){.passes = s->passes,
                               .npasses = s->npasses,
                               .now = wall_now(s),
                               .full = s->opt.full,
                               .full_resync_interval = s->cfg.full_resync_interval};
}

/* Decide what this run fetches: windows at once, or a count first. */
static void plan_run(struct sync *s)
{
    if (wall_now(s) < LASTFM_FIRST_UTS) {
        fail(s, EXIT_TEMPFAIL,
             "the system clock reads %" PRId64 " (Unix time), before Last.fm "
             "existed: windows pinned now would be wrong; set the clock (timedatectl, NTP) and "
             "run again",
             wall_now(s));
        return;
    }
    if (reload_passes(s) < 0)
        return;
    struct plan_input in = plan_input(s);
    s->planned = true;
    if (plan_start(&in, &s->plan) < 0) {
        fail(s, EXIT_TEMPFAIL, "out of memory");
        return;
    }
    if (s->plan.ahead && !s->clock.asked && !s->opt.now) {
        /* Ahead of now: read while the clock ran ahead, or this clock is behind
         * now?  The server's Date tells; then plan again. */
        s->plan.nnotes = 0;
        s->clock.asked = true;
        s->state = RUN_CLOCK;
        s->count_asked = false;
        fetch_wake(s->fetch);
        return;
    }
    log_plan_notes(s);
    if (!s->plan.recheck) {
        next_window(s);
        return;
    }
    int64_t *uts = NULL;
    size_t n = 0;
    const struct manifest *bad = NULL;
    long bad_page = 0;
    int r = stored_uts(s->store, s->passes, s->npasses, s->plan.stored_lo, s->plan.stored_hi, &uts,
                       &n, &bad, &bad_page);
    if (r < 0) {
        const char *dir = store_data_dir(s->store);
        char rel[64];
        if (!bad) {
            fail(s, EXIT_TEMPFAIL, "cannot count the stored scrobbles: %s", strerror(-r));
            return;
        }
        store_page_relpath(bad->pass, bad_page, rel);
        int q = r == -EINVAL || r == -ENOENT ? store_page_refetch(s->store, bad, bad_page) : r;
        if (q < 0) {
            fail(s, q == r ? EXIT_IOERR : EXIT_DATAERR,
                 "cannot read %s/%s: %s: remove "
                 "raw/pass-%06u and run again",
                 dir, rel, strerror(-q), bad->pass);
            return;
        }
        log_warn("raw page %s/%s is not a valid page: moved aside; fetching it again", dir, rel);
        /* Start over from the loop: the pass is unfinished now, and is resumed first. */
        s->state = RUN_STARTING;
        s->planned = false;
        ev_timer_start(s->loop, &s->start_timer);
        return;
    }
    plan_recheck(&in, &s->plan, uts, n);
    free(uts);
    s->state = RUN_COUNTING;
    s->count_asked = false;
    fetch_wake(s->fetch);
}

static void on_count(struct sync *s, long count)
{
    plan_counted(&s->plan, count, wall_now(s));
    log_plan_notes(s);
    next_window(s);
}

/* The server's time: this clock is behind it (windows are pinned at the
 * server's time this run) or not (the stored windows after now are not
 * trusted).  No Date: this clock is all there is. */
static void on_clock(struct sync *s, int64_t server)
{
    srvclock_learn(&s->clock, s->opt.now ? 0 : server);
    plan_run(s);
}

static void on_start_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct sync *s = w->data;
    if (reload_passes(s) < 0)
        return;
    s->next_pass = s->npasses ? s->passes[s->npasses - 1].pass + 1 : 1;
    /* Resume an unfinished pass first: its window is already pinned.  The plan
     * is made when it is done (after_pass()). */
    for (size_t i = 0; i < s->npasses; i++)
        if (s->passes[i].state == PASS_RUNNING) {
            s->state = RUN_PASS;
            after_pass(s, passrun_resume(&s->pr, &s->passes[i], s->cfg.username));
            return;
        }
    plan_run(s);
}

/* ---- requests (fetch_int.h's owner) ---- */

static bool on_pull(void *opaque, struct fetch_request *req)
{
    struct sync *s = opaque;
    const struct manifest *m = &s->pr.pass.m;
    bool verify;
    switch (s->state) {
    case RUN_COUNTING:
        if (s->count_asked)
            return false;
        s->count_asked = true;
        *req = (struct fetch_request){.kind = REQ_COUNT,
                                      .page = 1,
                                      .limit = 1,
                                      .from = s->plan.count_from,
                                      .to = s->plan.coverage_end + 1};
        return true;
    case RUN_CLOCK:
        if (s->count_asked)
            return false;
        s->count_asked = true;
        *req =
            (struct fetch_request){.kind = REQ_CLOCK, .page = 1, .limit = 1, .from = -1, .to = -1};
        return true;
    case RUN_PASS:
        if (!pass_next(&s->pr.pass, &req->page, &verify))
            return false;
        req->kind = verify ? REQ_VERIFY : REQ_PAGE;
        req->limit = verify ? 1 : m->limit;
        req->from = m->request_from;
        req->to = m->request_to;
        req->check_shape = !verify && s->pr.pass.phase == PHASE_SHAPE;
        return true;
    case RUN_STARTING:
    case RUN_DONE: break;
    }
    return false;
}

static char *on_url(void *opaque, const struct fetch_request *req)
{
    struct sync *s = opaque;
    struct lastfm_query q = {.api_url = s->cfg.api_url,
                             .user = s->cfg.username,
                             .api_key = s->cfg.api_key,
                             .page = req->page,
                             .limit = req->limit,
                             .from = req->from,
                             .to = req->to};
    return lastfm_build_url(&q);
}

static void on_retrying(void *opaque, const struct fetch_request *req, const struct fetch_retry *r)
{
    struct sync *s = opaque;
    passrun_log_retry(s->state == RUN_PASS ? s->pr.pass.m.pass : 0, req->kind == REQ_PAGE,
                      req->page, r);
}

static void on_fetched(void *opaque, const struct fetch_request *req, const struct fetch_verdict *v)
{
    struct sync *s = opaque;
    switch (v->outcome) {
    case FETCH_OK: srvclock_learn(&s->clock, s->opt.now ? 0 : v->server_date); break;
    case FETCH_FATAL: {
        struct fields f = {0};
        status_fields_add(&f, "LASTFM_ERROR=%d", v->result->lastfm_error);
        status_fields_add(&f, "HTTP_STATUS=%ld", v->http_status);
        log_progress_end();
        log_event(LOG_LVL_ERR, LOG_MSGID_FATAL_API, f.ptr, "%s", v->result->reason);
        finish(s, v->result->exit_code);
        return;
    }
    case FETCH_GAVE_UP:
        if (req->kind == REQ_PAGE)
            fail(s, EXIT_TEMPFAIL,
                 "pass %u: page %ld: giving up after %u retries: %s: run "
                 "again later (the pass resumes)",
                 s->pr.pass.m.pass, req->page, v->retries, v->why);
        else
            fail(s, EXIT_TEMPFAIL,
                 "count request: giving up after %u retries: %s: run again "
                 "later",
                 v->retries, v->why);
        return;
    case FETCH_FAILED: fail(s, EXIT_TEMPFAIL, "%s", v->why); return;
    }
    switch ((enum request_kind)req->kind) {
    case REQ_PAGE: after_pass(s, passrun_page(&s->pr, req->page, v)); break;
    case REQ_VERIFY: after_pass(s, passrun_count(&s->pr, v)); break;
    case REQ_COUNT: on_count(s, v->result->total); break;
    case REQ_CLOCK: on_clock(s, v->server_date); break;
    }
}

/* ---- start, stop ---- */

struct sync_budget *sync_budget_new(void) { return calloc(1, sizeof(struct sync_budget)); }

void sync_budget_free(struct sync_budget *b) { free(b); }

int sync_start(struct ev_loop *loop, const struct config *config, struct store *store,
               const struct sync_options *o, sync_done_fn done, void *opaque, struct sync **ret)
{
    struct sync *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    int r = sync_settings_copy(&s->cfg, config);
    if (r < 0) {
        free(s);
        return r;
    }
    const struct sync_settings *cfg = &s->cfg;
    s->loop = loop;
    s->store = store;
    s->opt = *o;
    s->done = done;
    s->opaque = opaque;
    s->t0 = mono_now();
    struct http_options ho = sync_settings_http(cfg);
    r = http_new(loop, &ho, &s->http);
    if (r < 0) {
        sync_settings_free(&s->cfg);
        free(s);
        return r;
    }
    struct fetch_options fo = sync_settings_fetch(cfg, o->budget ? &o->budget->rl : NULL);
    struct fetch_ops ops = {
        .pull = on_pull, .url = on_url, .done = on_fetched, .retrying = on_retrying};
    r = fetch_new(loop, s->http, &fo, &ops, s, &s->fetch);
    if (r < 0) {
        http_free(s->http);
        sync_settings_free(&s->cfg);
        free(s);
        return r;
    }
    s->pr = (struct passrun){
        .store = store, .fetch = s->fetch, .progress_bar = o->progress_bar, .run_started = s->t0};
    ev_timer_init(&s->start_timer, on_start_timer, 0.0, 0.0);
    s->start_timer.data = s;
    ev_timer_init(&s->done_timer, on_done_timer, 0.0, 0.0);
    s->done_timer.data = s;
    s->state = RUN_STARTING;
    ev_timer_start(loop, &s->start_timer);
    *ret = s;
    return 0;
}

void sync_free(struct sync *s)
{
    if (!s)
        return;
    log_progress_end();
    fetch_free(s->fetch);
    ev_timer_stop(s->loop, &s->start_timer);
    ev_timer_stop(s->loop, &s->done_timer);
    http_free(s->http);
    passrun_free(&s->pr);
    free(s->passes);
    sync_settings_free(&s->cfg);
    free(s);
}

void sync_progress(struct sync *s, unsigned *ret_pass, long *ret_done, long *ret_total,
                   unsigned *ret_retries, double *ret_rate)
{
    struct fetch_stats st = fetch_stats(s->fetch);
    *ret_pass = s->state == RUN_PASS ? s->pr.pass.m.pass : 0;
    *ret_done = s->state == RUN_PASS ? s->pr.pass.pages_done : 0;
    *ret_total = s->state == RUN_PASS ? s->pr.pass.m.total_pages : -1;
    *ret_retries = st.retries;
    *ret_rate = status_rate_sample(&s->rate, mono_now(), st.requests, s->t0);
}
