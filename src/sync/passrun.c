/* passrun.c: one pass's manifest and pages written, restarts, completion. */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "exitcodes.h"
#include "log.h"
#include "monoclock.h"
#include "pagefit_int.h"
#include "passrun_int.h"
#include "status.h"
#include "stored_int.h"

static enum passrun_next failed(struct passrun *pr, int code)
{
    pr->exit_code = code;
    return PASSRUN_FAILED;
}

/* Say why the pass fails (the journal names the caller's line): the run ends. */
#define fail(pr, code, ...) (log_err(__VA_ARGS__), failed((pr), (code)))

static enum passrun_next fail_io(struct passrun *pr, int err, const char *what, long page)
{
    char rel[64];
    unsigned pass = pr->pass.m.pass;
    if (page > 0)
        store_page_relpath(pass, page, rel);
    else
        store_manifest_relpath(pass, rel);
    return fail(pr, EXIT_IOERR,
                "cannot %s %s/%s: %s: free space or fix permissions, then run "
                "again (the pass resumes)",
                what, store_data_dir(pr->store), rel, strerror(-err));
}

static void progress(struct passrun *pr)
{
    double now = mono_now();
    if (!pr->progress_bar || now - pr->last_progress < 0.2)
        return;
    pr->last_progress = now;
    struct fetch_stats st = fetch_stats(pr->fetch);
    double secs = now - pr->run_started;
    char line[160];
    status_bar(line, sizeof line, pr->pass.m.pass, pr->pass.pages_done, pr->pass.m.total_pages,
               secs > 0 ? st.requests / secs : 0.0, st.retries);
    log_progress("%s", line);
}

/* The server's clock, from the Date of each answer: the pass is the authority
 * only up to the server's now.  A local clock that runs ahead pins a window
 * (and the times of the pass) in the future; left so, the next run would
 * start after it and never fetch what arrives meanwhile. */
static bool keep_to_server_time(struct passrun *pr, int64_t date)
{
    struct manifest *m = &pr->pass.m;
    if (date <= 0)
        return true;
    if (date > pr->server_date)
        pr->server_date = date;
    if (m->started_at > date)
        m->started_at = date;
    if (m->window_to <= date)
        return true;
    if (m->window_from > date) {
        log_warn("pass %u: the window starts at %" PRId64 ", %" PRId64 " s after the server's "
                 "clock (its Date): this machine's clock runs ahead; nothing can be there yet, "
                 "so the pass is dropped (set the clock right: timedatectl, NTP)",
                 m->pass, m->window_from, m->window_from - date);
        return false;
    }
    if (m->window_to - date > 60)
        log_warn("pass %u: the window ends at %" PRId64 ", %" PRId64 " s after the server's "
                 "clock (its Date): this machine's clock runs ahead; the pass ends at the "
                 "server's time instead (set the clock right: timedatectl, NTP)",
                 m->pass, m->window_to, m->window_to - date);
    m->window_to = date;
    return true;
}

/* Nothing to keep: the pass goes (with its directory, if it has one). */
static enum passrun_next drop(struct passrun *pr)
{
    fetch_cancel_all(pr->fetch);
    if (pr->pass.on_disk)
        store_pass_remove(pr->store, pr->pass.m.pass);
    return PASSRUN_OVER;
}

static void begin(struct passrun *pr, const struct manifest *m, bool on_disk)
{
    pass_init(&pr->pass, m, on_disk);
    pr->started = mono_now();
    pr->stats0 = fetch_stats(pr->fetch);
    pr->exit_code = 0;
    pr->completed = false;
}

static int write_manifest(struct passrun *pr)
{
    struct pass *p = &pr->pass;
    int r =
        p->on_disk ? store_manifest_write(pr->store, &p->m) : store_pass_create(pr->store, &p->m);
    if (r < 0)
        return r;
    p->on_disk = true;
    return 0;
}

void passrun_new(struct passrun *pr, const struct manifest *m)
{
    begin(pr, m, false);
    struct fields f = {0};
    status_fields_add(&f, "SYNC_PASS=%u", m->pass);
    status_fields_add(&f, "PASS_KIND=%s", m->kind);
    /* A pass for what is new is the idle daemon's every pass: its story is
     * told at debug unless it finds something (then "complete" is info). */
    log_event(strcmp(m->kind, "new") == 0 ? LOG_LVL_DEBUG : LOG_LVL_INFO, LOG_MSGID_PASS_STARTED,
              f.ptr, "pass %u (%s) started: window %" PRId64 "..%" PRId64, m->pass, m->kind,
              m->window_from, m->window_to);
    fetch_wake(pr->fetch);
}

enum passrun_next passrun_resume(struct passrun *pr, const struct manifest *m, const char *username)
{
    begin(pr, m, true);
    struct pass *p = &pr->pass;
    if (m->total < 0) {
        log_info("resuming pass %u (%s) from page 1", m->pass, m->kind);
    } else {
        if (pass_set_shape(p, m->total, m->total_pages) < 0)
            return fail(pr, EXIT_TEMPFAIL, "out of memory for %ld pages", m->total_pages);
        long bad = stored_resume_pages(pr->store, p, username), misfit;
        char why[256];
        /* Pages that do not fit their neighbours are fetched again (each page
         * is forgotten once at most, so this ends). */
        while (pass_fit(p, 0, &misfit, why) == PASS_REREAD)
            log_warn("pass %u: %s: fetching pages %ld and %ld again", m->pass, why, misfit - 1,
                     misfit);
        if (bad)
            log_warn("pass %u: %ld page%s on disk %s not valid for this pass: fetching %s "
                     "again",
                     m->pass, bad, bad == 1 ? "" : "s", bad == 1 ? "is" : "are",
                     bad == 1 ? "it" : "them");
        log_info("resuming pass %u (%s): %ld of %ld pages already on disk", m->pass, m->kind,
                 p->pages_done, m->total_pages);
    }
    fetch_wake(pr->fetch);
    return PASSRUN_GOING;
}

static enum passrun_next complete(struct passrun *pr)
{
    struct pass *p = &pr->pass;
    p->m.state = PASS_COMPLETE;
    p->m.finished_at = (int64_t)time(NULL);
    if (pr->server_date > 0 && p->m.finished_at > pr->server_date)
        p->m.finished_at = pr->server_date;
    int r = write_manifest(pr);
    if (r < 0)
        return fail_io(pr, r, "write", 0);
    double secs = mono_now() - pr->started;
    struct fetch_stats st = fetch_stats(pr->fetch);
    unsigned req = st.requests - pr->stats0.requests;
    unsigned retries = st.retries - pr->stats0.retries;
    struct fields f = {0};
    status_fields_add(&f, "SYNC_PASS=%u", p->m.pass);
    status_fields_add(&f, "PAGES=%ld", p->pages_fetched);
    status_fields_add(&f, "SCROBBLES=%ld", p->m.total);
    status_fields_add(&f, "SCROBBLES_NEW=%ld", p->scrobbles_fetched);
    status_fields_add(&f, "REQUESTS=%u", req);
    status_fields_add(&f, "RETRIES=%u", retries);
    status_fields_add(&f, "PAGES_REFETCHED=%ld", p->refetched);
    char refetched[96] = "";
    if (p->refetched)
        snprintf(refetched, sizeof refetched, ", %ld pages fetched again for not fitting",
                 p->refetched);
    log_event(LOG_LVL_INFO, LOG_MSGID_PASS_COMPLETED, f.ptr,
              "pass %u (%s) complete: %ld pages, %ld scrobbles, %u requests, %u retries%s, "
              "%.2f req/s, %.1f s",
              p->m.pass, p->m.kind, p->m.total_pages, p->m.total, req, retries, refetched,
              secs > 0 ? req / secs : 0.0, secs);
    pr->completed = true;
    return PASSRUN_OVER;
}

/* The pass restarted: its pages go, its manifest says the new attempt. */
static enum passrun_next begin_again(struct passrun *pr)
{
    struct pass *p = &pr->pass;
    fetch_cancel_all(pr->fetch);
    if (p->on_disk) {
        int r = store_pass_clear_pages(pr->store, p->m.pass);
        if (r < 0)
            return fail_io(pr, r, "clear", 0);
        if ((r = write_manifest(pr)) < 0)
            return fail_io(pr, r, "write", 0);
    }
    fetch_wake(pr->fetch);
    return PASSRUN_GOING;
}

/* The window changed under the pass: drop its pages and start it again. */
static enum passrun_next restart(struct passrun *pr, const char *why)
{
    struct pass *p = &pr->pass;
    if (!pass_restart(p))
        return fail(pr, EXIT_TEMPFAIL,
                    "pass %u: the history kept changing while it was read "
                    "(%s); gave up after %u attempts: run again later",
                    p->m.pass, why, p->m.attempt);
    log_info("pass %u: %s: the window changed while it was read; fetching it again", p->m.pass,
             why);
    return begin_again(pr);
}

/* The same scrobble on both sides of a boundary at every read: the whole
 * window again at another page size (a real pair then falls in one page). */
static enum passrun_next restart_resized(struct passrun *pr, const char *why)
{
    struct pass *p = &pr->pass;
    long old_limit = p->m.limit;
    if (!pass_restart_resized(p))
        return fail(pr, EXIT_TEMPFAIL,
                    "pass %u: %s; gave up after %u attempts: the server serves pages that "
                    "contradict each other; the stored history is unchanged: run again later",
                    p->m.pass, why, p->m.attempt);
    log_warn("pass %u: %s, at every read: two identical scrobbles in one second, or a "
             "shifted page; fetching the window again at %ld items a page instead of %ld",
             p->m.pass, why, p->m.limit, old_limit);
    return begin_again(pr);
}

/* Page `page` is on disk: does it fit its neighbours? */
static enum passrun_next check_fit(struct passrun *pr, long page)
{
    struct pass *p = &pr->pass;
    char why[256];
    long bad;
    switch (pass_fit(p, page, &bad, why)) {
    case PASS_FITS: return PASSRUN_GOING;
    case PASS_REREAD:
        log_warn("pass %u: %s: fetching pages %ld and %ld again (read %u of %u)", p->m.pass, why,
                 bad - 1, bad, p->pg[bad].rereads + 1, PASS_MAX_REREADS + 1);
        fetch_wake(pr->fetch);
        return PASSRUN_GOING;
    case PASS_RESIZE: return restart_resized(pr, why);
    case PASS_WRONG: break;
    }
    return fail(pr, EXIT_TEMPFAIL,
                "pass %u: %s, at each of %d reads%s: the server serves pages that contradict "
                "each other; the stored history is unchanged: run again later",
                p->m.pass, why, PASS_MAX_REREADS + 1,
                p->resized ? " and at another page size" : "");
}

enum passrun_next passrun_page(struct passrun *pr, long page, const struct fetch_verdict *v)
{
    struct pass *p = &pr->pass;
    const struct lastfm_result *r = v->result;
    char why[128];
    int w;
    if (!keep_to_server_time(pr, v->server_date))
        return drop(pr);
    switch (pass_page_ok(p, page, r, v->body, v->len, why)) {
    case PASS_ACT_NO_MEMORY:
        return fail(pr, EXIT_TEMPFAIL, "out of memory for %ld pages", r->total_pages);
    case PASS_ACT_DROP:
        log_debug("pass %u: nothing new since the last pass", p->m.pass);
        return drop(pr);
    case PASS_ACT_COMPLETE: return complete(pr);
    case PASS_ACT_RESTART: return restart(pr, why);
    case PASS_ACT_STORE_SHAPED:
        if ((w = write_manifest(pr)) < 0)
            return fail_io(pr, w, "write", 0);
        break;
    case PASS_ACT_STORE: break;
    case PASS_ACT_IGNORE:
        log_debug("pass %u: page %ld arrived again: already stored, dropped", p->m.pass, page);
        return PASSRUN_GOING;
    }
    struct page_edge e;
    const char *ewhy;
    if ((w = page_edge_read(v->body, v->len, &e, &ewhy)) < 0)
        return w == -ENOMEM
                   ? fail(pr, EXIT_TEMPFAIL, "out of memory for page %ld", page)
                   : fail(pr, EXIT_TEMPFAIL, "pass %u: page %ld: %s", p->m.pass, page, ewhy);
    if ((w = store_page_write(pr->store, p->m.pass, page, v->body, v->len)) < 0) {
        page_edge_free(&e);
        return fail_io(pr, w, "write", page);
    }
    pass_page_stored(p, page, r->scrobbles, &e);
    pr->pages++;
    pr->scrobbles += r->scrobbles;
    log_debug("pass %u: page %ld/%ld: %ld scrobbles", p->m.pass, page, p->m.total_pages,
              r->scrobbles);
    progress(pr);
    return check_fit(pr, page);
}

enum passrun_next passrun_count(struct passrun *pr, const struct fetch_verdict *v)
{
    char why[128];
    if (!keep_to_server_time(pr, v->server_date))
        return drop(pr);
    if (pass_count_ok(&pr->pass, v->result->total, why) == PASS_ACT_COMPLETE)
        return complete(pr);
    return restart(pr, why);
}

void passrun_free(struct passrun *pr) { pass_free(&pr->pass); }

void passrun_log_retry(unsigned pass, bool page_request, long page, const struct fetch_retry *r)
{
    struct fields f = {0};
    status_fields_add(&f, "SYNC_PASS=%u", pass);
    status_fields_add(&f, "PAGE=%ld", page);
    status_fields_add(&f, "HTTP_STATUS=%ld", r->http_status);
    status_fields_add(&f, "LASTFM_ERROR=%d", r->lastfm_error);
    status_fields_add(&f, "RETRY_IN_MS=%ld", (long)(r->delay * 1000));
    if (page_request)
        log_event(LOG_LVL_WARN, LOG_MSGID_RETRY, f.ptr,
                  "pass %u: page %ld: %s; retry %u/%u "
                  "in %.1f s",
                  pass, page, r->why, r->retry, r->max_retries, r->delay);
    else
        log_event(LOG_LVL_WARN, LOG_MSGID_RETRY, f.ptr,
                  "count request: %s; retry %u/%u in "
                  "%.1f s",
                  r->why, r->retry, r->max_retries, r->delay);
}
