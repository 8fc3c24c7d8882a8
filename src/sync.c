/* sync.c: one run of passes: resume, plan, fetch pages, verify, complete. */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "backoff.h"
#include "history.h"
#include "http.h"
#include "lastfm.h"
#include "log.h"
#include "page.h"
#include "ratelimit.h"
#include "sync.h"

/* Late scrobbles arrive up to 14 days back: recheck 15 days behind coverage. */
#define RECHECK_SECONDS (15 * 86400)
/* A pass whose window keeps changing under it gives up after this many tries. */
#define MAX_ATTEMPTS 5
/* After error 29 / HTTP 429: half the rate for a minute. */
#define SLOW_FACTOR 2.0
#define SLOW_SECONDS 60.0
#define MAX_TOTAL_PAGES 1000000
/* Windows one run may plan: the full pair, or new/recheck plus holes. */
#define MAX_PLAN 16
/* Compaction: this many small passes in the recheck window trigger a recheck,
 * which may reach back this far to replace a small pass whole. */
#define COMPACT_PASSES 8
#define COMPACT_BACK_SECONDS (30 * 86400)

enum job_type {
    JOB_PAGE,     /* fetch one page of the current pass */
    JOB_VERIFY,   /* limit=1 count of the pass window after its last page */
    JOB_RECHECK,  /* limit=1 count of the recent stored window, when planning */
};

/* One API request and its retries. */
struct job {
    struct sync *s;
    enum job_type type;
    long page;               /* JOB_PAGE: page number */
    unsigned attempt;        /* the pass attempt it belongs to (stale if it changed) */
    unsigned retries;        /* retries so far */
    ev_timer retry_timer;    /* waiting for a retry */
    struct job *next_ready;  /* in the ready queue */
    struct job *prev, *next; /* in the list of live jobs */
};

/* A planned window: [from, to], and why. */
struct window {
    int64_t from, to;
    const char *kind;
};

/* The pass being fetched. */
struct pass_run {
    struct manifest m;       /* total/total_pages are -1 until page 1 arrives */
    bool on_disk;            /* pass directory and manifest exist */
    unsigned char *have;     /* [1..total_pages]: page on disk for this attempt */
    long next_page;          /* next page to hand out */
    long pages_done;         /* pages on disk */
    long scrobbles;          /* scrobbles in those pages */
    long pages_fetched;      /* pages fetched by this run (for the summary) */
    long scrobbles_fetched;  /* scrobbles in those pages */
    unsigned requests0, retries0; /* report counters when the pass started */
    double started;          /* monotonic */
};

/* Samples of the request count for the status line's rate. */
#define RATE_WINDOW 20

struct sync {
    struct ev_loop *loop;
    const struct config *cfg;
    struct store *store;
    struct sync_options opt;
    sync_done_fn done;
    void *opaque;

    struct http *http;
    struct ratelimit rl;
    struct backoff bo;
    uint64_t rng;            /* xorshift state for jitter */
    ev_timer pump_timer;     /* waiting for a rate-limit token */
    ev_timer kick_timer;     /* start, and the final callback, from the loop */

    struct job *ready_head, *ready_tail;
    struct job *live;        /* every allocated job */

    struct manifest *passes; /* stored passes as found at start */
    size_t npasses;
    unsigned next_pass;      /* number for the next pass created */

    bool have_pass;
    struct pass_run pass;
    struct window plan[MAX_PLAN]; /* windows still to fetch */
    size_t nplan;
    bool planned;

    /* JOB_RECHECK inputs */
    int64_t recheck_from, coverage_end;
    long stored_count;
    int64_t recheck_start;   /* where a recheck pass starts (<= recheck_from) */
    bool compact;            /* too many small passes: recheck even if counts agree */

    struct sync_report report;
    int exit_code;
    bool finished;
    double t0;
    double last_progress;
    double rate_t[RATE_WINDOW];    /* sync_progress()'s samples: when ... */
    unsigned rate_req[RATE_WINDOW];/* ... and the requests made by then */
    unsigned rate_next;            /* samples taken */
};

/* "NAME=value" journal fields, built in fixed buffers. */
struct fields {
    char buf[8][64];
    const char *ptr[9];
    int n;
};

static void field(struct fields *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void field(struct fields *f, const char *fmt, ...)
{
    va_list ap;
    if (f->n >= 8)
        return;
    va_start(ap, fmt);
    vsnprintf(f->buf[f->n], sizeof f->buf[f->n], fmt, ap);
    va_end(ap);
    f->ptr[f->n] = f->buf[f->n];
    f->ptr[++f->n] = NULL;
}

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double rand01(struct sync *s)
{
    uint64_t x = s->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s->rng = x;
    return (double)(x >> 11) / 9007199254740992.0;
}

static void pump(struct sync *s);
static void next_step(struct sync *s);
static void start_job(struct sync *s, struct job *j);

/* ---- jobs ---- */

static struct job *job_new(struct sync *s, enum job_type type, long page)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->s = s;
    j->type = type;
    j->page = page;
    j->attempt = s->have_pass ? s->pass.m.attempt : 0;
    j->next = s->live;
    if (s->live)
        s->live->prev = j;
    s->live = j;
    return j;
}

static void job_free(struct job *j)
{
    struct sync *s = j->s;
    ev_timer_stop(s->loop, &j->retry_timer);
    if (j->prev)
        j->prev->next = j->next;
    else
        s->live = j->next;
    if (j->next)
        j->next->prev = j->prev;
    free(j);
}

static void ready_push(struct sync *s, struct job *j, bool front)
{
    j->next_ready = NULL;
    if (!s->ready_head) {
        s->ready_head = s->ready_tail = j;
    } else if (front) {
        j->next_ready = s->ready_head;
        s->ready_head = j;
    } else {
        s->ready_tail->next_ready = j;
        s->ready_tail = j;
    }
}

static struct job *ready_pop(struct sync *s)
{
    struct job *j = s->ready_head;
    if (j) {
        s->ready_head = j->next_ready;
        if (!s->ready_head)
            s->ready_tail = NULL;
    }
    return j;
}

/* ---- ending ---- */

static void on_kick(struct ev_loop *loop, ev_timer *w, int revents);

static void finish(struct sync *s, int code)
{
    if (s->finished)
        return;
    s->finished = true;
    s->exit_code = code;
    log_progress_end();
    http_abort_all(s->http);
    while (s->live)
        job_free(s->live);
    s->ready_head = s->ready_tail = NULL;
    ev_timer_stop(s->loop, &s->pump_timer);
    s->report.seconds = mono_now() - s->t0;
    /* Call back from the loop, never from inside a caller's call. */
    ev_timer_stop(s->loop, &s->kick_timer);
    ev_timer_set(&s->kick_timer, 0.0, 0.0);
    ev_timer_start(s->loop, &s->kick_timer);
}

static void fail(struct sync *s, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct sync *s, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_progress_end();
    log_err("%s", msg);
    finish(s, code);
}

static void fail_io(struct sync *s, int err, const char *what, unsigned pass, long page)
{
    char rel[64];
    if (page > 0)
        store_page_relpath(pass, page, rel);
    else
        snprintf(rel, sizeof rel, "raw/pass-%06u/manifest.json", pass);
    fail(s, EXIT_IOERR, "cannot %s %s/%s: %s: free space or fix permissions, then run again "
         "(the pass resumes)", what, s->store->data_dir, rel, strerror(-err));
}

/* ---- the current pass ---- */

static void progress(struct sync *s, bool force)
{
    struct pass_run *p = &s->pass;
    double now = mono_now();
    if (!s->opt.progress_bar || (!force && now - s->last_progress < 0.2))
        return;
    s->last_progress = now;
    long total = p->m.total_pages > 0 ? p->m.total_pages : 0;
    int width = 30, filled = total ? (int)(width * p->pages_done / total) : 0;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[width] = '\0';
    double secs = now - s->t0;
    log_progress("pass %u [%s] page %ld/%ld  %.1f req/s  %u retries", p->m.pass, bar,
                 p->pages_done, total, secs > 0 ? s->report.requests / secs : 0.0,
                 s->report.retries);
}

static int write_manifest(struct sync *s)
{
    struct pass_run *p = &s->pass;
    int r = p->on_disk ? store_manifest_write(s->store, &p->m) : store_pass_create(s->store, &p->m);
    if (r < 0) {
        fail_io(s, r, "write", p->m.pass, 0);
        return r;
    }
    p->on_disk = true;
    return 0;
}

static void pass_reset_pages(struct sync *s)
{
    struct pass_run *p = &s->pass;
    free(p->have);
    p->have = NULL;
    p->next_page = 2;
    p->pages_done = 0;
    p->scrobbles = 0;
    p->m.total = -1;
    p->m.total_pages = -1;
}

static void pass_begin(struct sync *s, const struct manifest *m, bool on_disk)
{
    struct pass_run *p = &s->pass;
    memset(p, 0, sizeof *p);
    p->m = *m;
    p->on_disk = on_disk;
    p->started = mono_now();
    p->requests0 = s->report.requests;
    p->retries0 = s->report.retries;
    s->have_pass = true;
    pass_reset_pages(s);
}

/* Page 1 of an attempt (or a resumed manifest) told us the shape of the window. */
static int pass_set_shape(struct sync *s, long total, long total_pages)
{
    struct pass_run *p = &s->pass;
    p->m.total = total;
    p->m.total_pages = total_pages;
    p->have = calloc((size_t)total_pages + 2, 1);
    if (!p->have) {
        fail(s, EXIT_TEMPFAIL, "out of memory for %ld pages", total_pages);
        return -ENOMEM;
    }
    return 0;
}

/* The window changed under the pass: drop its pages and start it again. */
static void pass_restart(struct sync *s, const char *why)
{
    struct pass_run *p = &s->pass;
    if (p->m.attempt >= MAX_ATTEMPTS) {
        fail(s, EXIT_TEMPFAIL, "pass %u: the history kept changing while it was read (%s); "
             "gave up after %u attempts: run again later", p->m.pass, why, p->m.attempt);
        return;
    }
    log_info("pass %u: %s: the window changed while it was read; fetching it again",
             p->m.pass, why);
    if (p->on_disk) {
        int r = store_pass_clear_pages(s->store, p->m.pass);
        if (r < 0) {
            fail_io(s, r, "clear", p->m.pass, 0);
            return;
        }
    }
    p->m.attempt++;
    pass_reset_pages(s);
    if (p->on_disk && write_manifest(s) < 0)
        return;
    struct job *j = job_new(s, JOB_PAGE, 1);
    if (!j) {
        fail(s, EXIT_TEMPFAIL, "out of memory");
        return;
    }
    ready_push(s, j, true);
}

static void pass_complete(struct sync *s)
{
    struct pass_run *p = &s->pass;
    p->m.state = PASS_COMPLETE;
    p->m.finished_at = (int64_t)time(NULL);
    if (write_manifest(s) < 0)
        return;
    double secs = mono_now() - p->started;
    unsigned req = s->report.requests - p->requests0;
    struct fields f = {0};
    field(&f, "SYNC_PASS=%u", p->m.pass);
    field(&f, "PAGES=%ld", p->pages_fetched);
    field(&f, "SCROBBLES=%ld", p->m.total);
    field(&f, "SCROBBLES_NEW=%ld", p->scrobbles_fetched);
    field(&f, "REQUESTS=%u", req);
    field(&f, "RETRIES=%u", s->report.retries - p->retries0);
    log_event(LOG_LVL_INFO, LOG_MSGID_PASS_COMPLETED, f.ptr,
              "pass %u (%s) complete: %ld pages, %ld scrobbles, %u requests, %u retries, "
              "%.2f req/s, %.1f s", p->m.pass, p->m.kind, p->m.total_pages, p->m.total, req,
              s->report.retries - p->retries0, secs > 0 ? req / secs : 0.0, secs);
    s->report.passes++;
    s->report.changed = true;
    free(p->have);
    p->have = NULL;
    s->have_pass = false;
    next_step(s);
}

struct window_count {
    const struct manifest *m;
    long n;
};

static int count_row(void *opaque, const struct page_row *row)
{
    struct window_count *c = opaque;
    if (row->uts >= c->m->window_from && row->uts <= c->m->window_to)
        c->n++;
    return 0;
}

/* Scrobbles of a page inside the pass window (-1 if the page does not parse). */
static long rows_in_window(const char *body, size_t len, const struct manifest *m)
{
    struct window_count c = {m, 0};
    const char *why;
    return page_parse(body, len, count_row, &c, &why) < 0 ? -1 : c.n;
}

static void on_page_ok(struct sync *s, long page, const struct lastfm_result *r,
                       const char *body, size_t len)
{
    struct pass_run *p = &s->pass;
    if (page == 1 && p->m.total < 0) {
        if (pass_set_shape(s, r->total, r->total_pages) < 0)
            return;
        if (r->total == 0 || (r->total_pages == 1 && strcmp(p->m.kind, "new") == 0 &&
                              rows_in_window(body, len, &p->m) == 0)) {
            /* Nothing in the window (the response may still hold a scrobble of
             * the margin second, which the previous pass speaks for).  A "new"
             * pass leaves no trace; a pass over stored time must be recorded:
             * it says the stretch is now empty. */
            if (strcmp(p->m.kind, "new") == 0) {
                log_info("nothing new since the last pass");
                free(p->have);
                p->have = NULL;
                s->have_pass = false;
                if (p->on_disk)
                    store_pass_remove(s->store, p->m.pass);
                next_step(s);
                return;
            }
            pass_complete(s);
            return;
        }
        if (write_manifest(s) < 0)
            return;
    } else if (r->total != p->m.total || r->total_pages != p->m.total_pages) {
        char why[96];
        snprintf(why, sizeof why, "page %ld says %ld scrobbles, page 1 said %ld", page,
                 r->total, p->m.total);
        pass_restart(s, why);
        return;
    }
    int w = store_page_write(s->store, p->m.pass, page, body, len);
    if (w < 0) {
        fail_io(s, w, "write", p->m.pass, page);
        return;
    }
    if (!p->have[page]) {
        p->have[page] = 1;
        p->pages_done++;
        p->scrobbles += r->scrobbles;
    }
    p->pages_fetched++;
    p->scrobbles_fetched += r->scrobbles;
    s->report.pages++;
    s->report.scrobbles += r->scrobbles;
    log_debug("pass %u: page %ld/%ld: %ld scrobbles", p->m.pass, page, p->m.total_pages,
              r->scrobbles);
    progress(s, false);
}

/* All pages are on disk: count the window again to see it did not change. */
static void maybe_verify(struct sync *s)
{
    struct pass_run *p = &s->pass;
    if (!s->have_pass || p->m.total_pages < 0 || p->pages_done < p->m.total_pages)
        return;
    for (struct job *j = s->live; j; j = j->next)
        if (j->type == JOB_PAGE || j->type == JOB_VERIFY)
            return;
    struct job *j = job_new(s, JOB_VERIFY, 1);
    if (!j) {
        fail(s, EXIT_TEMPFAIL, "out of memory");
        return;
    }
    ready_push(s, j, true);
}

static void on_verify_ok(struct sync *s, const struct lastfm_result *r)
{
    struct pass_run *p = &s->pass;
    char why[128];
    if (r->total == p->m.total && p->scrobbles == p->m.total) {
        pass_complete(s);
        return;
    }
    snprintf(why, sizeof why, "%ld scrobbles at the start, %ld in the pages, %ld now",
             p->m.total, p->scrobbles, r->total);
    pass_restart(s, why);
}

/* ---- planning ---- */

/* Seconds of stored scrobbles within [lo, hi], collected from raw pages. */
struct uts_list {
    int64_t *v;
    size_t n, cap;
    int64_t lo, hi;          /* keep rows with lo <= uts <= hi */
    int64_t min_uts;         /* oldest row of the page being read */
};

static int collect_row(void *opaque, const struct page_row *row)
{
    struct uts_list *u = opaque;
    if (row->uts < u->min_uts)
        u->min_uts = row->uts;
    if (row->uts < u->lo || row->uts > u->hi)
        return 0;
    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 256;
        int64_t *t = realloc(u->v, cap * sizeof *t);
        if (!t)
            return -ENOMEM;
        u->v = t;
        u->cap = cap;
    }
    u->v[u->n++] = row->uts;
    return 0;
}

/* The seconds of the scrobbles the CSV holds (newest pass wins) in [lo, hi].
 * Reads only the pages that can hold such rows.  0 or -errno (*bad: the page). */
static int stored_uts(struct sync *s, int64_t lo, int64_t hi, struct uts_list *out,
                      const struct manifest **ret_bad, long *ret_bad_page)
{
    struct history_piece *pieces;
    size_t npieces;
    int r = history_pieces(s->passes, s->npasses, &pieces, &npieces);
    if (r < 0)
        return r;
    for (size_t i = 0; i < npieces && r == 0; i++) {
        const struct manifest *m = &s->passes[pieces[i].pass_index];
        out->lo = pieces[i].from > lo ? pieces[i].from : lo;
        out->hi = pieces[i].to < hi ? pieces[i].to : hi;
        if (out->lo > out->hi)
            continue;
        for (long page = 1; page <= m->total_pages; page++) {
            char *body;
            size_t len;
            const char *why = "";
            r = store_page_read(s->store, m->pass, page, &body, &len);
            if (r == 0) {
                out->min_uts = INT64_MAX;
                r = page_parse(body, len, collect_row, out, &why);
                free(body);
            }
            if (r < 0) {
                *ret_bad = m;
                *ret_bad_page = page;
                break;
            }
            if (out->min_uts < out->lo)
                break;   /* pages run newest first: the rest is older */
        }
    }
    free(pieces);
    return r;
}

static void push_window(struct sync *s, int64_t from, int64_t to, const char *kind)
{
    s->plan[s->nplan++] = (struct window){from, to, kind};
}

/* Read the stored passes again (a resumed pass may have completed).  A pass
 * whose manifest is unreadable is moved aside, and its stretch of time is
 * fetched again (see the gaps in plan()). */
static int reload_passes(struct sync *s)
{
    for (unsigned tries = 0;; tries++) {
        char bad[128];
        unsigned bad_pass = 0;
        struct manifest *list;
        size_t n;
        int r = store_list_passes(s->store, &list, &n, bad, &bad_pass);
        if (r < 0) {
            fail(s, EXIT_IOERR, "cannot list %s/raw: %s", s->store->data_dir, strerror(-r));
            return r;
        }
        free(s->passes);
        s->passes = list;
        s->npasses = n;
        if (!bad[0])
            return 0;
        r = store_pass_quarantine(s->store, bad_pass);
        if (r < 0 || tries > 1000) {
            fail(s, EXIT_DATAERR, "%s/%s is not a valid manifest and cannot be moved aside (%s): "
                 "remove raw/pass-%06u and run again", s->store->data_dir, bad,
                 strerror(r < 0 ? -r : EIO), bad_pass);
            return r < 0 ? r : -EIO;
        }
        log_warn("%s/%s is not a valid manifest: moved the pass aside to raw/pass-%06u.corrupt; "
                 "its stretch of time is fetched again", s->store->data_dir, bad, bad_pass);
    }
}

/* Remove complete passes that newer ones cover entirely: they no longer say
 * anything about the history. */
static void collect_garbage(struct sync *s)
{
    struct history_piece *pieces;
    size_t npieces;
    if (reload_passes(s) < 0 || history_pieces(s->passes, s->npasses, &pieces, &npieces) < 0)
        return;
    for (size_t i = 0; i < s->npasses; i++) {
        bool used = s->passes[i].state != PASS_COMPLETE;
        for (size_t k = 0; k < npieces && !used; k++)
            used = pieces[k].pass_index == i;
        if (used)
            continue;
        int r = store_pass_remove(s->store, s->passes[i].pass);
        if (r < 0)
            log_warn("cannot remove superseded pass %u: %s", s->passes[i].pass, strerror(-r));
        else
            log_debug("removed pass %u: newer passes cover its window", s->passes[i].pass);
    }
    free(pieces);
}

/* Small passes pile up: a daemon that finds one new scrobble every 15 minutes
 * makes one pass each time.  A recheck of the last weeks replaces them (and
 * the garbage collector removes them), so: recheck when too many small passes
 * lie in the recheck window, and start a recheck at the beginning of the small
 * pass it would otherwise cut in two (back to 30 days at most), so that it
 * replaces that pass whole instead of leaving a sliver of it. */
static void compaction_plan(struct sync *s, int64_t l, int64_t cover)
{
    unsigned inside = 0;
    int64_t from = l;
    for (size_t i = 0; i < s->npasses; i++) {
        const struct manifest *m = &s->passes[i];
        bool small = m->state == PASS_COMPLETE && strcmp(m->kind, "full") != 0;
        if (!small)
            continue;
        if (m->window_from >= l)
            inside++;
        else if (m->window_to >= l && m->window_from >= cover - COMPACT_BACK_SECONDS &&
                 m->window_from < from)
            from = m->window_from;
    }
    s->recheck_start = from;
    s->compact = inside >= COMPACT_PASSES;
}

/* Decide what this run fetches. */
static void plan(struct sync *s)
{
    int64_t now = s->opt.now ? s->opt.now : (int64_t)time(NULL);
    if (reload_passes(s) < 0)
        return;
    int64_t cover = history_coverage_end(s->passes, s->npasses);
    s->planned = true;
    struct history_piece *pieces = NULL;
    size_t npieces = 0;
    if (cover >= 0 && history_pieces(s->passes, s->npasses, &pieces, &npieces) < 0) {
        fail(s, EXIT_TEMPFAIL, "out of memory");
        return;
    }
    /* Deletions older than the recheck window are seen only by reading the
     * whole history again: do so when the oldest stored part is too old. */
    bool full = s->opt.full || cover < 0;
    int64_t oldest = history_oldest_fetch(s->passes, pieces, npieces);
    if (!full && s->cfg->full_resync_interval > 0 && oldest >= 0 &&
        now - oldest > s->cfg->full_resync_interval) {
        log_info("the oldest stored part of the history was fetched %" PRId64 " days ago "
                 "(LASTFM_FULL_RESYNC_INTERVAL is %g days): reading the whole history again",
                 (now - oldest) / 86400, s->cfg->full_resync_interval / 86400.0);
        full = true;
    }
    if (full) {
        free(pieces);
        /* The whole history, as two passes: the old part rarely changes, the
         * last weeks may (late scrobbles); a change restarts only its own pass. */
        if (now - RECHECK_SECONDS > 0) {
            push_window(s, now - RECHECK_SECONDS + 1, now, "full");
            push_window(s, 0, now - RECHECK_SECONDS, "full");
        } else {
            push_window(s, 0, now, "full");
        }
        next_step(s);
        return;
    }
    /* Holes in stored time (a pass moved aside as corrupt): fetch them again. */
    {
        int64_t expect = cover;   /* pieces run newest first, down to 0 */
        for (size_t i = 0; i < npieces && s->nplan < MAX_PLAN - 1; i++) {
            if (pieces[i].to < expect) {
                log_info("no stored pass covers %" PRId64 "..%" PRId64 ": fetching it",
                         pieces[i].to + 1, expect);
                push_window(s, pieces[i].to + 1, expect, "recheck");
            }
            expect = pieces[i].from - 1;
        }
        if (expect >= 0 && s->nplan < MAX_PLAN - 1) {
            log_info("no stored pass covers 0..%" PRId64 ": fetching it", expect);
            push_window(s, 0, expect, "recheck");
        }
        free(pieces);
    }
    /* Late scrobbles: count the last 15 days of stored time on the server and
     * compare with what we hold.  The window starts at a second where we hold no
     * scrobble (so "from" inclusive or exclusive counts the same) and more than
     * 14 days back (so no late scrobble can land on it). */
    int64_t l0 = cover - RECHECK_SECONDS;
    if (l0 < 1)
        l0 = 1;
    struct uts_list u = {0};
    const struct manifest *bad = NULL;
    long bad_page = 0;
    int r = stored_uts(s, l0 - 3600 > 0 ? l0 - 3600 : 0, cover, &u, &bad, &bad_page);
    if (r < 0) {
        char rel[64];
        free(u.v);
        if (!bad) {
            fail(s, EXIT_TEMPFAIL, "cannot count the stored scrobbles: %s", strerror(-r));
            return;
        }
        store_page_relpath(bad->pass, bad_page, rel);
        int q = r == -EINVAL || r == -ENOENT ? store_page_refetch(s->store, bad, bad_page) : r;
        if (q < 0) {
            fail(s, q == r ? EXIT_IOERR : EXIT_DATAERR, "cannot read %s/%s: %s: remove "
                 "raw/pass-%06u and run again", s->store->data_dir, rel, strerror(-q), bad->pass);
            return;
        }
        log_warn("raw page %s/%s is not a valid page: moved aside; fetching it again",
                 s->store->data_dir, rel);
        /* Start over: the pass is unfinished now, and is resumed first. */
        s->planned = false;
        ev_timer_set(&s->kick_timer, 0.0, 0.0);
        ev_timer_start(s->loop, &s->kick_timer);
        return;
    }
    int64_t l = l0;
    for (bool used = true; used && l > 0;) {
        used = false;
        for (size_t i = 0; i < u.n; i++)
            if (u.v[i] == l) {
                used = true;
                l--;
                break;
            }
    }
    long count = 0;
    for (size_t i = 0; i < u.n; i++)
        if (u.v[i] >= l)
            count++;
    free(u.v);
    s->recheck_from = l;
    s->coverage_end = cover;
    s->stored_count = count;
    compaction_plan(s, l, cover);
    struct job *j = job_new(s, JOB_RECHECK, 1);
    if (!j) {
        fail(s, EXIT_TEMPFAIL, "out of memory");
        return;
    }
    ready_push(s, j, false);
    pump(s);
}

static void on_recheck_ok(struct sync *s, const struct lastfm_result *r)
{
    int64_t now = s->opt.now ? s->opt.now : (int64_t)time(NULL);
    if (r->total == s->stored_count && !s->compact) {
        log_debug("recheck: %ld scrobbles since %" PRId64 " on both sides", r->total,
                  s->recheck_from);
        if (now > s->coverage_end)
            push_window(s, s->coverage_end + 1, now, "new");
    } else {
        if (r->total != s->stored_count)
            log_info("the last 15 days changed on Last.fm (%ld scrobbles there, %ld stored): "
                     "fetching them again", r->total, s->stored_count);
        else
            log_info("fetching the last 15 days again to replace the small passes there");
        push_window(s, s->recheck_start, now > s->coverage_end ? now : s->coverage_end,
                    "recheck");
    }
    next_step(s);
}

/* Start the next planned window, or finish the run. */
static void next_step(struct sync *s)
{
    if (s->finished)
        return;
    if (!s->planned) {
        plan(s);
        return;
    }
    if (s->nplan == 0) {
        if (s->report.passes)
            collect_garbage(s);
        if (!s->finished)
            finish(s, EXIT_DONE);
        return;
    }
    struct window w = s->plan[--s->nplan];
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
    m.limit = s->cfg->page_limit;
    m.state = PASS_RUNNING;
    m.attempt = 1;
    m.started_at = (int64_t)time(NULL);
    pass_begin(s, &m, false);
    struct fields f = {0};
    field(&f, "SYNC_PASS=%u", m.pass);
    field(&f, "PASS_KIND=%s", m.kind);
    log_event(LOG_LVL_INFO, LOG_MSGID_PASS_STARTED, f.ptr,
              "pass %u (%s) started: window %" PRId64 "..%" PRId64, m.pass, m.kind,
              m.window_from, m.window_to);
    struct job *j = job_new(s, JOB_PAGE, 1);
    if (!j) {
        fail(s, EXIT_TEMPFAIL, "out of memory");
        return;
    }
    ready_push(s, j, false);
    pump(s);
}

/* An unfinished pass from an earlier run: keep its pages, fetch the rest. */
static int resume(struct sync *s, const struct manifest *m)
{
    pass_begin(s, m, true);
    struct pass_run *p = &s->pass;
    if (m->total < 0) {
        log_info("resuming pass %u (%s) from page 1", m->pass, m->kind);
        return 0;
    }
    if (pass_set_shape(s, m->total, m->total_pages) < 0)
        return -ENOMEM;
    for (long page = 1; page <= m->total_pages; page++) {
        char *body;
        size_t len;
        struct lastfm_result r;
        if (store_page_read(s->store, m->pass, page, &body, &len) < 0)
            continue;
        lastfm_classify(200, body, len, page, m->limit, s->cfg->username, &r);
        free(body);
        if (r.verdict != LFM_OK || r.total != m->total) {
            log_warn("pass %u: page %ld on disk is not a valid page of this pass: fetching it "
                     "again", m->pass, page);
            continue;
        }
        p->have[page] = 1;
        p->pages_done++;
        p->scrobbles += r.scrobbles;
    }
    p->next_page = 1;
    log_info("resuming pass %u (%s): %ld of %ld pages already on disk", m->pass, m->kind,
             p->pages_done, m->total_pages);
    return 0;
}

/* ---- requests ---- */

static void on_retry_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct job *j = w->data;
    ready_push(j->s, j, true);
    pump(j->s);
}

static void retry(struct sync *s, struct job *j, const char *why, double retry_after,
                  long http_status, int lastfm_error)
{
    if (j->retries >= (unsigned)s->cfg->max_retries) {
        if (j->type == JOB_PAGE)
            fail(s, EXIT_TEMPFAIL, "pass %u: page %ld: giving up after %u retries: %s: run "
                 "again later (the pass resumes)", s->pass.m.pass, j->page, j->retries, why);
        else
            fail(s, EXIT_TEMPFAIL, "count request: giving up after %u retries: %s: run again "
                 "later", j->retries, why);
        return;
    }
    double delay = backoff_delay(&s->bo, j->retries, rand01(s), retry_after);
    j->retries++;
    s->report.retries++;
    struct fields f = {0};
    field(&f, "SYNC_PASS=%u", s->have_pass ? s->pass.m.pass : 0);
    field(&f, "PAGE=%ld", j->page);
    field(&f, "HTTP_STATUS=%ld", http_status);
    field(&f, "LASTFM_ERROR=%d", lastfm_error);
    field(&f, "RETRY_IN_MS=%ld", (long)(delay * 1000));
    if (j->type == JOB_PAGE)
        log_event(LOG_LVL_WARN, LOG_MSGID_RETRY, f.ptr,
                  "pass %u: page %ld: %s; retry %u/%d in %.1f s", s->pass.m.pass, j->page,
                  why, j->retries, s->cfg->max_retries, delay);
    else
        log_event(LOG_LVL_WARN, LOG_MSGID_RETRY, f.ptr,
                  "count request: %s; retry %u/%d in %.1f s", why, j->retries,
                  s->cfg->max_retries, delay);
    ev_timer_init(&j->retry_timer, on_retry_timer, delay, 0.0);
    j->retry_timer.data = j;
    ev_timer_start(s->loop, &j->retry_timer);
}

static void on_response(void *opaque, const struct http_response *resp)
{
    struct job *j = opaque;
    struct sync *s = j->s;
    bool stale = j->type != JOB_RECHECK && (!s->have_pass || j->attempt != s->pass.m.attempt);
    if (stale) {
        job_free(j);
        pump(s);
        return;
    }
    if (!resp->transport_ok) {
        char why[512];
        if (resp->too_large)
            snprintf(why, sizeof why, "body over %u bytes", STORE_MAX_PAGE_BYTES);
        else if (resp->timed_out)
            snprintf(why, sizeof why, "no complete answer within %d s", s->cfg->request_timeout);
        else if (resp->tls_failed)
            snprintf(why, sizeof why, "%s (the server's certificate was not accepted: check "
                     "the clock, any proxy that intercepts https, or LASTFM_CA_FILE)",
                     resp->error);
        else
            snprintf(why, sizeof why, "%s", resp->error);
        retry(s, j, why, -1, resp->status, 0);
        pump(s);
        return;
    }
    struct lastfm_result r;
    long limit = j->type == JOB_PAGE ? s->pass.m.limit : 1;   /* as start_job asked */
    lastfm_classify(resp->status, resp->body, resp->len, j->page, limit, s->cfg->username, &r);
    if (r.verdict == LFM_OK && j->type == JOB_PAGE && j->page == 1 && s->pass.m.total < 0) {
        long expect = r.total == 0 ? 0 : (r.total + s->pass.m.limit - 1) / s->pass.m.limit;
        if (r.total_pages != expect || r.total_pages > MAX_TOTAL_PAGES) {
            r.verdict = LFM_RETRY;
            snprintf(r.reason, sizeof r.reason, "page 1 says %ld pages for %ld scrobbles",
                     r.total_pages, r.total);
        }
    }
    switch (r.verdict) {
    case LFM_OK: {
        /* The job is done: free it before acting, since acting may end the run. */
        enum job_type type = j->type;
        long page = j->page;
        job_free(j);
        if (type == JOB_PAGE) {
            on_page_ok(s, page, &r, resp->body, resp->len);
            if (!s->finished)
                maybe_verify(s);
        } else if (type == JOB_VERIFY) {
            on_verify_ok(s, &r);
        } else {
            on_recheck_ok(s, &r);
        }
        break;
    }
    case LFM_RETRY_SLOW:
        ratelimit_slow_down(&s->rl, mono_now(), SLOW_FACTOR, SLOW_SECONDS);
        retry(s, j, r.reason, resp->retry_after, resp->status, r.lastfm_error);
        break;
    case LFM_RETRY:
        retry(s, j, r.reason, resp->retry_after > r.min_delay ? resp->retry_after : r.min_delay,
              resp->status, r.lastfm_error);
        break;
    case LFM_FATAL: {
        struct fields f = {0};
        field(&f, "LASTFM_ERROR=%d", r.lastfm_error);
        field(&f, "HTTP_STATUS=%ld", resp->status);
        log_progress_end();
        log_event(LOG_LVL_ERR, LOG_MSGID_FATAL_API, f.ptr, "%s", r.reason);
        finish(s, r.exit_code);
        break;
    }
    }
    if (!s->finished)
        pump(s);
}

static void start_job(struct sync *s, struct job *j)
{
    struct lastfm_query q = {
        .api_url = s->cfg->api_url, .user = s->cfg->username, .api_key = s->cfg->api_key,
        .page = j->page, .limit = s->pass.m.limit, .from = s->pass.m.request_from,
        .to = s->pass.m.request_to,
    };
    if (j->type != JOB_PAGE)
        q.limit = 1;
    if (j->type == JOB_RECHECK) {
        q.from = s->recheck_from;
        q.to = s->coverage_end + 1;
    }
    char *url = lastfm_build_url(&q);
    int r = url ? http_get(s->http, url, on_response, j) : -ENOMEM;
    if (url) {
        explicit_bzero(url, strlen(url));
        free(url);
    }
    if (r < 0) {
        fail(s, EXIT_TEMPFAIL, "cannot start a request: %s", strerror(-r));
        return;
    }
    s->report.requests++;
}

/* Hand out the next page of the current pass, if any. */
static struct job *next_page_job(struct sync *s)
{
    struct pass_run *p = &s->pass;
    if (!s->have_pass || p->m.total_pages < 0)
        return NULL;
    while (p->next_page <= p->m.total_pages && p->have[p->next_page])
        p->next_page++;
    if (p->next_page > p->m.total_pages)
        return NULL;
    return job_new(s, JOB_PAGE, p->next_page++);
}

static void on_pump_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
    pump(w->data);
}

/* Start requests while there is work, room in flight and a token. */
static void pump(struct sync *s)
{
    while (!s->finished && http_in_flight(s->http) < (unsigned)s->cfg->max_in_flight) {
        struct job *j = s->ready_head ? ready_pop(s) : next_page_job(s);
        if (!j) {
            if (s->have_pass)
                maybe_verify(s);
            if (!s->ready_head)
                break;
            continue;
        }
        double wait = ratelimit_take(&s->rl, mono_now());
        if (wait > 0) {
            ready_push(s, j, true);
            if (!ev_is_active(&s->pump_timer)) {
                ev_timer_set(&s->pump_timer, wait, 0.0);
                ev_timer_start(s->loop, &s->pump_timer);
            }
            return;
        }
        start_job(s, j);
    }
}

/* ---- start, stop ---- */

static void on_kick(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct sync *s = w->data;
    if (s->finished) {
        s->done(s->opaque, s->exit_code, &s->report);
        return;
    }
    if (reload_passes(s) < 0)
        return;
    s->next_pass = s->npasses ? s->passes[s->npasses - 1].pass + 1 : 1;
    /* Resume an unfinished pass first: its window is already pinned. */
    for (size_t i = 0; i < s->npasses; i++)
        if (s->passes[i].state == PASS_RUNNING) {
            if (resume(s, &s->passes[i]) < 0)
                return;
            if (s->pass.m.total < 0) {
                struct job *j = job_new(s, JOB_PAGE, 1);
                if (!j) {
                    fail(s, EXIT_TEMPFAIL, "out of memory");
                    return;
                }
                ready_push(s, j, false);
            }
            pump(s);
            return;
        }
    next_step(s);
}

int sync_start(struct ev_loop *loop, const struct config *cfg, struct store *store,
               const struct sync_options *o, sync_done_fn done, void *opaque,
               struct sync **ret)
{
    struct sync *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->loop = loop;
    s->cfg = cfg;
    s->store = store;
    s->opt = *o;
    s->done = done;
    s->opaque = opaque;
    s->t0 = mono_now();
    if (getrandom(&s->rng, sizeof s->rng, 0) != sizeof s->rng || s->rng == 0)
        s->rng = (uint64_t)time(NULL) * 2654435761u + 1;
    /* A burst of one second's worth: time lost waiting on page 1 or a count is
     * made up at once, and the average over any minute stays at the rate. */
    ratelimit_init(&s->rl, cfg->rate_limit, cfg->rate_limit, mono_now());
    s->bo = (struct backoff){.base = 0.5, .cap = 30.0};
    struct http_options ho = {
        .timeout_ms = cfg->request_timeout * 1000L,
        .connect_timeout_ms = cfg->request_timeout * 1000L < 10000 ? cfg->request_timeout * 1000L
                                                                    : 10000,
        .max_body = STORE_MAX_PAGE_BYTES,
        .allow_plain_http = cfg->api_url_is_loopback,
        .user_agent = PACKAGE_NAME "/" PACKAGE_VERSION,
        .ca_file = cfg->ca_file,
    };
    int r = http_new(loop, &ho, &s->http);
    if (r < 0) {
        free(s);
        return r;
    }
    ev_timer_init(&s->pump_timer, on_pump_timer, 0.0, 0.0);
    s->pump_timer.data = s;
    ev_timer_init(&s->kick_timer, on_kick, 0.0, 0.0);
    s->kick_timer.data = s;
    ev_timer_start(loop, &s->kick_timer);
    *ret = s;
    return 0;
}

void sync_free(struct sync *s)
{
    if (!s)
        return;
    log_progress_end();
    http_abort_all(s->http);
    while (s->live)
        job_free(s->live);
    ev_timer_stop(s->loop, &s->pump_timer);
    ev_timer_stop(s->loop, &s->kick_timer);
    http_free(s->http);
    free(s->pass.have);
    free(s->passes);
    free(s);
}

void sync_progress(struct sync *s, unsigned *ret_pass, long *ret_done, long *ret_total,
                   unsigned *ret_retries, double *ret_rate)
{
    double now = mono_now(), secs = now - s->t0;
    *ret_pass = s->have_pass ? s->pass.m.pass : 0;
    *ret_done = s->have_pass ? s->pass.pages_done : 0;
    *ret_total = s->have_pass ? s->pass.m.total_pages : -1;
    *ret_retries = s->report.retries;
    /* The rate over the last RATE_WINDOW samples (10 s at the daemon's two
     * calls a second), not since the start: the token bucket's first second
     * is a burst of one second's worth, which would overstate an average. */
    unsigned k = s->rate_next % RATE_WINDOW;
    s->rate_t[k] = now;
    s->rate_req[k] = s->report.requests;
    s->rate_next++;
    unsigned oldest = s->rate_next > RATE_WINDOW ? s->rate_next % RATE_WINDOW : 0;
    double span = now - s->rate_t[oldest];
    if (span >= 2.0)
        *ret_rate = (double)(s->report.requests - s->rate_req[oldest]) / span;
    else
        *ret_rate = secs > 0 ? s->report.requests / secs : 0.0;
}
