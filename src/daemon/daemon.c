/* daemon.c: loop, signals, schedule of passes, flatten child, reload. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "backoff.h"
#include "daemon_int.h"
#include "daemon_loop_int.h"
#include "exitcodes.h"
#include "flatten.h"
#include "identity.h"
#include "log.h"
#include "notify_int.h"
#include "process.h"
#include "reload_int.h"
#include "report.h"
#include "stage_int.h"
#include "state_int.h"
#include "status.h"
#include "store.h"
#include "storeopen.h"
#include "sync.h"

static double jitter01(void)
{
    uint32_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != sizeof r)
        r = (uint32_t)time(NULL) * 2654435761u;
    return (double)r / 4294967296.0;
}

static void status_idle(struct daemon *d)
{
    char line[4400], report[4200];
    store_stage_path(d->store, REPORT_DIR, REPORT_NAME, report, sizeof report);
    status_idle_line(line, sizeof line, d->rows, d->last_sync, d->next_sync,
                     d->report_ok ? report : NULL, d->report_pages);
    notify_status("%s", line);
}

static void on_status_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct daemon *d = w->data;
    unsigned pass, retries;
    long done, total;
    double rate;
    char line[160];
    if (!d->sync)
        return;
    sync_progress(d->sync, &pass, &done, &total, &retries, &rate);
    status_run_line(line, sizeof line, d->runs, pass, done, total, rate, retries);
    notify_status("%s", line);
}

void daemon_stop_loop(struct daemon *d) { ev_break(d->loop, EVBREAK_ALL); }

/* Schedule the next run `delay` seconds from now (idle until then). */
static void schedule(struct daemon *d, double delay)
{
    ev_timer_stop(d->loop, &d->next_run);
    ev_timer_set(&d->next_run, delay, 0.0);
    ev_timer_start(d->loop, &d->next_run);
    d->next_sync = time(NULL) + (time_t)delay;
    status_idle(d);
}

static bool start_tags(struct daemon *d);

/* After a run and its flatten: what next. */
static void after_run(struct daemon *d)
{
    /* Give the run's freed heap back to the system while idle. */
    malloc_trim(0);
    if (d->stopping) {
        daemon_stop_loop(d);
        return;
    }
    /* The scrobbles first (the CSV, the database and the report of the
     * pass), then the artists' tags. */
    if (d->tags_due) {
        d->tags_due = false;
        if (start_tags(d))
            return;
    }
    if (d->want_rebuild) { /* SIGUSR2 while the tags were asked for */
        daemon_after_flatten(d);
        return;
    }
    if (d->opt->once) {
        d->once_done = true;
        daemon_stop_loop(d);
        return;
    }
    if (d->want_run || d->want_full) {
        daemon_start_run(d);
        return;
    }
    schedule(d,
             backoff_next_run(d->cfg->sync_interval, d->failures, RETRY_BASE_SECONDS, jitter01()));
    log_debug("next run in %.0f s", ev_timer_remaining(d->loop, &d->next_run));
}

/* A run or its flatten failed: --once exits with `code`; the daemon tries again
 * sooner than the interval (after_run's backoff). */
static void run_failed(struct daemon *d, int code)
{
    d->failures++;
    if (d->opt->once)
        d->exit_code = code;
    after_run(d);
}

/* ---- after a sync: flatten, then process, then report ---- */

static void start_stage(struct daemon *d, enum stage stage);

/* A stage's settings from the configuration in force.  --once makes
 * everything current; the daemon rebuilds for new rows at most every
 * LASTFM_REBUILD_INTERVAL (what a day of passes writes), at once on SIGUSR2. */
static void stage_settings_of(const struct daemon *d, struct stage_settings *with)
{
    with->process = process_options_from(d->cfg);
    with->process.force = d->want_rebuild ? "asked for (SIGUSR2)" : NULL;
    with->process.rebuild_interval = d->opt->once ? 0 : d->cfg->rebuild_interval;
    with->report = report_options_from(d->cfg);
    with->timeout = d->cfg->stage_timeout;
}

/* After the CSV is current: the processed database, if it is behind the CSV or
 * the settings that shape it; the report, if it is behind the database. */
void daemon_after_flatten(struct daemon *d)
{
    if (d->stopping)
        after_run(d);
    else
        start_stage(d, STAGE_PROCESS); /* the child decides whether it is due */
}

/* The database or the report failed: the CSV stands, the stage is made
 * again after the next pass; --once exits with the stage's code (75 when it
 * was killed), so that a script sees there is no current report. */
static void stage_failed(struct daemon *d, const struct stage_result *res, const char *path)
{
    stage_log_failure(res, path);
    if (d->opt->once && d->exit_code == EXIT_DONE)
        d->exit_code = res->code && !res->timed_out ? res->code : EXIT_TEMPFAIL;
}

static void on_stage_done(void *opaque, const struct stage_result *res)
{
    struct daemon *d = opaque;
    ev_timer_stop(d->loop, &d->stop_timer);
    if (d->stopping) {
        after_run(d);
        return;
    }
    char path[4200];
    switch (res->stage) {
    case STAGE_FLATTEN:
        if (!res->ok) {
            /* A flatten that exited with a code said why itself. */
            if (res->signal || res->timed_out) {
                store_stage_path(d->store, STORE_INTERIM_DIR, STORE_CSV_NAME, path, sizeof path);
                stage_log_failure(res, path);
            }
            run_failed(d, res->code ? res->code : EXIT_TEMPFAIL);
            return;
        }
        d->rows = res->rep.flatten.rows;
        flatten_log_written(store_data_dir(d->store), &res->rep.flatten);
        daemon_after_flatten(d);
        return;
    case STAGE_PROCESS:
        store_stage_path(d->store, PROCESS_DIR, PROCESS_DB_NAME, path, sizeof path);
        if (res->ok && !res->rep.process.built) {
            if (res->rep.process.deferred)
                log_debug("new scrobbles in the CSV: the database and the report follow "
                          "within LASTFM_REBUILD_INTERVAL (SIGUSR2: now)");
            if (d->report_due) {
                start_stage(d, STAGE_REPORT);
                return;
            }
            break;
        }
        if (res->ok) {
            log_info("built the database: %s", res->rep.process.why);
            process_log_written(store_data_dir(d->store), &d->cfg->tz, &res->rep.process);
            /* The report follows the database it is drawn from. */
            d->report_due = true;
            start_stage(d, STAGE_REPORT);
            return;
        }
        stage_failed(d, res, path);
        break;
    case STAGE_REPORT:
        store_stage_path(d->store, REPORT_DIR, REPORT_NAME, path, sizeof path);
        if (res->ok) {
            report_log_written(store_data_dir(d->store), &res->rep.report);
            d->report_pages = res->rep.report.pages;
            d->report_due = false;
            d->report_ok = true;
        } else {
            stage_failed(d, res, path);
        }
        break;
    case STAGE_TAGS:
        store_stage_path(d->store, STORE_INTERIM_DIR, STORE_TAGS_CSV_NAME, path, sizeof path);
        if (res->ok) {
            log_info("wrote %s: %ld rows, the tags of %ld artists (%.1f s)", path,
                     res->rep.tags.rows, res->rep.tags.artists, res->rep.tags.seconds);
            daemon_after_flatten(d); /* the database takes the tags in */
            return;
        }
        stage_failed(d, res, path);
        break;
    case STAGE_NONE: break;
    }
    after_run(d);
}

static void start_stage(struct daemon *d, enum stage stage)
{
    struct stage_settings with;
    stage_settings_of(d, &with);
    notify_status(stage == STAGE_FLATTEN   ? "writing the CSV"
                  : stage == STAGE_PROCESS ? "checking the database"
                                           : "drawing the report");
    if (stage == STAGE_PROCESS)
        d->want_rebuild = false; /* handed to this child */
    int r = stage_start(&d->stages, stage, &with);
    if (r < 0) {
        log_err("cannot start %s: %s", stage_name(stage), strerror(-r));
        /* Without the CSV the run failed; the database and the report are
         * made again after the next pass and never fail the sync. */
        if (stage == STAGE_FLATTEN)
            run_failed(d, EXIT_TEMPFAIL);
        else
            after_run(d);
    }
}

/* ---- runs ---- */

/* Retrying cannot help (a bad key, an unknown user, a private history): exit
 * with the documented code (systemd does not restart on these). */
static void stop_fatal(struct daemon *d, int code)
{
    d->exit_code = code;
    d->stopping = true;
    notify_stopping();
    daemon_stop_loop(d);
}

static void on_tags_done(void *opaque, int code, const struct tags_stats *report)
{
    struct daemon *d = opaque;
    const struct tags_stats st = *report; /* *report dies with the run */
    tags_free(d->tags);
    d->tags = NULL;
    if (st.wanted)
        log_info("tags: %ld answers stored (%ld of artists Last.fm does not know, %ld "
                 "renewed), %ld to ask again at the next pass; %u requests, %u retries, %.1f s",
                 st.stored, st.unknown, st.refreshed, st.failed, st.requests, st.retries,
                 st.seconds);
    if (code == EXIT_CONFIG || code == EXIT_PRIVATE) {
        stop_fatal(d, code);
        return;
    }
    if (code != EXIT_DONE && d->opt->once && d->exit_code == EXIT_DONE)
        d->exit_code = code;
    if (flatten_tags_needed(d->store))
        start_stage(d, STAGE_TAGS);
    else
        after_run(d);
}

/* The tag run after a pass (LASTFM_TAGS): true when it started. */
static bool start_tags(struct daemon *d)
{
    if (!d->cfg->tags)
        return false;
    int r = tags_start(d->loop, d->cfg, d->store, d->budget, on_tags_done, d, &d->tags);
    if (r < 0) {
        log_err("cannot start the tags run: %s", strerror(-r));
        return false;
    }
    notify_status("asking Last.fm for the artists' tags");
    return true;
}

static void on_sync_done(void *opaque, int code, const struct sync_stats *report)
{
    struct daemon *d = opaque;
    const struct sync_stats rep = *report, *r = &rep; /* *report dies with the sync */
    sync_free(d->sync);
    d->sync = NULL;
    ev_timer_stop(d->loop, &d->status_timer);
    if (code == EXIT_CONFIG || code == EXIT_PRIVATE) {
        stop_fatal(d, code);
        return;
    }
    if (code != EXIT_DONE) {
        if (!d->opt->once)
            log_warn("run %u did not complete (exit code %d): what was fetched is kept and "
                     "the next run resumes",
                     d->runs, code);
        run_failed(d, code);
        return;
    }
    d->failures = 0;
    d->last_sync = time(NULL);
    d->tags_due = true;
    if (r->passes == 0)
        log_info("sync complete: nothing new since the last sync (%u requests, %u retries, "
                 "%.1f s)",
                 r->requests, r->retries, r->seconds);
    else
        log_info("sync complete: %u pass%s, %u pages fetched in this run, %ld scrobbles, %u "
                 "requests, %u retries, %.2f req/s, %.1f s",
                 r->passes, r->passes == 1 ? "" : "es", r->pages, r->scrobbles, r->requests,
                 r->retries, r->seconds > 0 ? r->requests / r->seconds : 0.0, r->seconds);
    if (r->changed || flatten_needed(d->store))
        start_stage(d, STAGE_FLATTEN);
    else
        daemon_after_flatten(d);
}

void daemon_start_run(struct daemon *d)
{
    if (d->stopping)
        return;
    if (d->tags) {
        /* The scrobbles come first: the answers stored so far are kept and
         * the next tag run asks only for the rest. */
        log_info("tags: stopped for the sync that is due; the answers stored are kept");
        tags_free(d->tags);
        d->tags = NULL;
    }
    if (d->sync || stage_running(&d->stages)) {
        d->want_run = true; /* right after the current one */
        return;
    }
    ev_timer_stop(d->loop, &d->next_run);
    struct sync_options so = {
        .full = d->want_full, .progress_bar = d->opt->progress_bar, .budget = d->budget};
    d->want_run = false;
    d->want_full = false;
    d->runs++;
    int r = sync_start(d->loop, d->cfg, d->store, &so, on_sync_done, d, &d->sync);
    if (r < 0) {
        log_err("cannot start a sync run: %s", strerror(-r));
        run_failed(d, EXIT_TEMPFAIL);
        return;
    }
    notify_status("run %u: starting", d->runs);
    ev_timer_again(d->loop, &d->status_timer);
}

static void on_next_run(struct ev_loop *loop, ev_timer *w, int revents)
{
    daemon_start_run(w->data);
}

/* A report older than the database (or none) is drawn after the first pass. */
static void report_state(struct daemon *d)
{
    struct stat db;
    d->report_ok = report_needed(d->store) == NULL;
    d->report_due =
        !d->report_ok && store_stage_stat(d->store, PROCESS_DIR, PROCESS_DB_NAME, &db) == 0;
}

/* The loop's timers and the stage runner (the signals: signals.c). */
static void watch(struct daemon *d)
{
    ev_init(&d->next_run, on_next_run);
    d->next_run.data = d;
    ev_init(&d->status_timer, on_status_timer);
    d->status_timer.repeat = 0.5;
    d->status_timer.data = d;
    stage_init(&d->stages, d->loop, d->store, on_stage_done, d);
    daemon_watch(d);
}

/* --once's last line, on stdout (the log keeps to events): where the run
 * left the data directory, --status's facts on one line. */
static void print_state(struct daemon *d)
{
    struct sync_state st;
    char line[800];
    if (state_read(d->store, d->cfg, &st) == 0) {
        state_line(line, sizeof line, &st);
        printf("status: %s\n", line);
        fflush(stdout);
    }
}

int daemon_run(const struct daemon_options *o, struct config *cfg)
{
    struct daemon d = {
        .opt = o, .cfg = cfg, .exit_code = EXIT_DONE, .rows = -1, .want_full = o->full};
    int r = store_open_said(cfg->data_dir, false, &d.store);
    if (r) {
        config_free(cfg);
        free(cfg);
        return r;
    }
    /* Whose history: before any request (a corrected user name must not sync
     * into the old user's data). */
    if ((r = identity_ensure(d.store, cfg->username, cfg->api_url, o->replace_history,
                             (int64_t)time(NULL))) != 0) {
        store_close(d.store);
        config_free(cfg);
        free(cfg);
        return r;
    }
    report_state(&d);
    d.rows = process_db_rows(d.store); /* until a flatten says otherwise */
    if (!(d.budget = sync_budget_new())) {
        log_err("out of memory");
        store_close(d.store);
        config_free(cfg);
        free(cfg);
        return EXIT_TEMPFAIL;
    }
    d.loop = ev_default_loop(EVFLAG_AUTO);
    watch(&d);
    notify_ready();
    daemon_start_run(&d);
    if (!d.once_done && !(d.stopping && !stage_running(&d.stages)))
        ev_run(d.loop, 0);

    if (d.sync) {
        sync_free(d.sync);
        d.sync = NULL;
    }
    tags_free(d.tags);
    d.tags = NULL;
    sync_budget_free(d.budget);
    /* --once stopped by a signal while a stage ran: let it finish. */
    stage_wait(&d.stages);
    if (o->once)
        print_state(&d);
    if (ev_is_active(&d.watchdog))
        ev_timer_stop(d.loop, &d.watchdog);
    store_close(d.store);
    config_free(d.cfg);
    free(d.cfg);
    ev_loop_destroy(d.loop);
    return d.exit_code;
}
