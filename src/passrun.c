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
#include "passrun.h"
#include "status.h"
#include "stored.h"

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
    return fail(pr, EXIT_IOERR, "cannot %s %s/%s: %s: free space or fix permissions, then run "
                "again (the pass resumes)", what, store_data_dir(pr->store), rel,
                strerror(-err));
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
    int r = p->on_disk ? store_manifest_write(pr->store, &p->m)
                       : store_pass_create(pr->store, &p->m);
    if (r < 0)
        return r;
    p->on_disk = true;
    return 0;
}

void passrun_new(struct passrun *pr, const struct manifest *m)
{
    begin(pr, m, false);
    struct fields f = {0};
    fields_add(&f, "SYNC_PASS=%u", m->pass);
    fields_add(&f, "PASS_KIND=%s", m->kind);
    log_event(LOG_LVL_INFO, LOG_MSGID_PASS_STARTED, f.ptr,
              "pass %u (%s) started: window %" PRId64 "..%" PRId64, m->pass, m->kind,
              m->window_from, m->window_to);
    fetch_wake(pr->fetch);
}

enum passrun_next passrun_resume(struct passrun *pr, const struct manifest *m,
                                 const char *username)
{
    begin(pr, m, true);
    struct pass *p = &pr->pass;
    if (m->total < 0) {
        log_info("resuming pass %u (%s) from page 1", m->pass, m->kind);
    } else {
        if (pass_set_shape(p, m->total, m->total_pages) < 0)
            return fail(pr, EXIT_TEMPFAIL, "out of memory for %ld pages", m->total_pages);
        long bad = stored_resume_pages(pr->store, p, username);
        if (bad)
            log_warn("pass %u: %ld page%s on disk %s not valid for this pass: fetching %s "
                     "again", m->pass, bad, bad == 1 ? "" : "s", bad == 1 ? "is" : "are",
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
    int r = write_manifest(pr);
    if (r < 0)
        return fail_io(pr, r, "write", 0);
    double secs = mono_now() - pr->started;
    struct fetch_stats st = fetch_stats(pr->fetch);
    unsigned req = st.requests - pr->stats0.requests;
    unsigned retries = st.retries - pr->stats0.retries;
    struct fields f = {0};
    fields_add(&f, "SYNC_PASS=%u", p->m.pass);
    fields_add(&f, "PAGES=%ld", p->pages_fetched);
    fields_add(&f, "SCROBBLES=%ld", p->m.total);
    fields_add(&f, "SCROBBLES_NEW=%ld", p->scrobbles_fetched);
    fields_add(&f, "REQUESTS=%u", req);
    fields_add(&f, "RETRIES=%u", retries);
    log_event(LOG_LVL_INFO, LOG_MSGID_PASS_COMPLETED, f.ptr,
              "pass %u (%s) complete: %ld pages, %ld scrobbles, %u requests, %u retries, "
              "%.2f req/s, %.1f s", p->m.pass, p->m.kind, p->m.total_pages, p->m.total, req,
              retries, secs > 0 ? req / secs : 0.0, secs);
    pr->completed = true;
    return PASSRUN_OVER;
}

/* The window changed under the pass: drop its pages and start it again. */
static enum passrun_next restart(struct passrun *pr, const char *why)
{
    struct pass *p = &pr->pass;
    if (!pass_restart(p))
        return fail(pr, EXIT_TEMPFAIL, "pass %u: the history kept changing while it was read "
                    "(%s); gave up after %u attempts: run again later", p->m.pass, why,
                    p->m.attempt);
    log_info("pass %u: %s: the window changed while it was read; fetching it again",
             p->m.pass, why);
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

enum passrun_next passrun_page(struct passrun *pr, long page, const struct fetch_verdict *v)
{
    struct pass *p = &pr->pass;
    const struct lastfm_result *r = v->result;
    char why[128];
    int w;
    switch (pass_page_ok(p, page, r, v->body, v->len, why)) {
    case PASS_ACT_NO_MEMORY:
        return fail(pr, EXIT_TEMPFAIL, "out of memory for %ld pages", r->total_pages);
    case PASS_ACT_DROP:
        log_info("nothing new since the last pass");
        if (p->on_disk)
            store_pass_remove(pr->store, p->m.pass);
        return PASSRUN_OVER;
    case PASS_ACT_COMPLETE:
        return complete(pr);
    case PASS_ACT_RESTART:
        return restart(pr, why);
    case PASS_ACT_STORE_SHAPED:
        if ((w = write_manifest(pr)) < 0)
            return fail_io(pr, w, "write", 0);
        break;
    case PASS_ACT_STORE:
        break;
    }
    if ((w = store_page_write(pr->store, p->m.pass, page, v->body, v->len)) < 0)
        return fail_io(pr, w, "write", page);
    pass_page_stored(p, page, r->scrobbles);
    pr->pages++;
    pr->scrobbles += r->scrobbles;
    log_debug("pass %u: page %ld/%ld: %ld scrobbles", p->m.pass, page, p->m.total_pages,
              r->scrobbles);
    progress(pr);
    return PASSRUN_GOING;
}

enum passrun_next passrun_count(struct passrun *pr, long total)
{
    char why[128];
    if (pass_count_ok(&pr->pass, total, why) == PASS_ACT_COMPLETE)
        return complete(pr);
    return restart(pr, why);
}

void passrun_free(struct passrun *pr)
{
    pass_free(&pr->pass);
}
