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

/* A failed pass is tried again sooner than the interval: 30 s, 60 s, ... */
#define RETRY_BASE_SECONDS 30.0
/* At SIGTERM a running flatten gets this long before it is killed. */
#define STOP_GRACE_SECONDS 4.0

struct daemon {
    struct ev_loop *loop;
    const struct daemon_options *opt;
    struct config *cfg;  /* in force: every run and stage copies what it needs at its start */
    struct store *store; /* the data directory, named once at start */
    struct sync *sync;   /* the run in progress, or NULL */
    unsigned runs;       /* runs started */
    bool want_run;       /* SIGHUP during a run: another one right after */
    bool want_full;      /* SIGUSR1 (or --full): the next run is full */
    struct stage_runner stages; /* the flatten, process or report child */
    ev_timer next_run;          /* the schedule */
    ev_timer status_timer;      /* STATUS= refresh during a run (twice a second) */
    ev_timer watchdog;          /* WATCHDOG=1 at half of WATCHDOG_USEC */
    ev_timer stop_timer;        /* grace for the stage child at stop */
    ev_signal sighup, sigusr1, sigusr2, sigterm, sigint;
    bool want_rebuild; /* SIGUSR2: the database and report again, no fetch */
    unsigned failures; /* consecutive failed runs */
    int exit_code;
    bool stopping;
    bool once_done;    /* --once: the run and its flatten are over */
    long rows;         /* rows of the last CSV written, -1 unknown */
    time_t last_sync;  /* end of the last successful run */
    time_t next_sync;  /* when the next run is due (idle) */
    bool report_due;   /* the database changed (or the report failed) */
    bool report_ok;    /* report/index.html is current */
    long report_pages; /* pages of the site the daemon built, 0 unknown */
};

static void start_run(struct daemon *d);

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

static void stop_loop(struct daemon *d) { ev_break(d->loop, EVBREAK_ALL); }

/* Schedule the next run `delay` seconds from now (idle until then). */
static void schedule(struct daemon *d, double delay)
{
    ev_timer_stop(d->loop, &d->next_run);
    ev_timer_set(&d->next_run, delay, 0.0);
    ev_timer_start(d->loop, &d->next_run);
    d->next_sync = time(NULL) + (time_t)delay;
    status_idle(d);
}

/* After a run and its flatten: what next. */
static void after_run(struct daemon *d)
{
    /* Give the run's freed heap back to the system while idle. */
    malloc_trim(0);
    if (d->stopping) {
        stop_loop(d);
        return;
    }
    if (d->opt->once) {
        d->once_done = true;
        stop_loop(d);
        return;
    }
    if (d->want_run || d->want_full) {
        start_run(d);
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
static void after_flatten(struct daemon *d)
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
        after_flatten(d);
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

static void on_sync_done(void *opaque, int code, const struct sync_stats *report)
{
    struct daemon *d = opaque;
    const struct sync_stats rep = *report, *r = &rep; /* *report dies with the sync */
    sync_free(d->sync);
    d->sync = NULL;
    ev_timer_stop(d->loop, &d->status_timer);
    if (code == EXIT_CONFIG || code == EXIT_PRIVATE) {
        /* Retrying cannot help: exit with the documented code (systemd does not
         * restart on these). */
        d->exit_code = code;
        d->stopping = true;
        notify_stopping();
        stop_loop(d);
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
        after_flatten(d);
}

static void start_run(struct daemon *d)
{
    if (d->stopping)
        return;
    if (d->sync || stage_running(&d->stages)) {
        d->want_run = true; /* right after the current one */
        return;
    }
    ev_timer_stop(d->loop, &d->next_run);
    struct sync_options so = {.full = d->want_full, .progress_bar = d->opt->progress_bar};
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

static void on_next_run(struct ev_loop *loop, ev_timer *w, int revents) { start_run(w->data); }

/* ---- signals ---- */

static void on_sighup(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct daemon *d = w->data;
    notify_reloading();
    struct config *c = reload_config(&d->opt->sources, d->cfg, store_data_dir(d->store));
    if (c) {
        /* The report is drawn again for its own settings, not only for a
         * new database. */
        if (c->report_artist_min != d->cfg->report_artist_min ||
            c->report_album_min != d->cfg->report_album_min ||
            c->report_track_min != d->cfg->report_track_min)
            d->report_due = true;
        config_free(d->cfg); /* a run in progress has its own copy */
        free(d->cfg);
        d->cfg = c;
        log_set_secret(c->api_key);
    }
    notify_ready();
    start_run(d); /* or right after the one running */
}

static void on_sigusr1(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct daemon *d = w->data;
    log_info("SIGUSR1: a full resync");
    d->want_full = true;
    start_run(d);
}

/* The operator's rebuild: the database and the report from the CSV as it is,
 * without a fetch (after the run or stage in progress). */
static void on_sigusr2(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct daemon *d = w->data;
    log_info("SIGUSR2: rebuilding the database and the report from the CSV");
    d->want_rebuild = true;
    if (!d->sync && !stage_running(&d->stages)) {
        ev_timer_stop(d->loop, &d->next_run);
        after_flatten(d);
    }
}

static void on_stop_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct daemon *d = w->data;
    if (stage_running(&d->stages)) {
        log_warn("%s did not finish in time: stopping it; the previous %s is kept",
                 stage_name(d->stages.stage), stage_output(d->stages.stage));
        stage_kill(&d->stages);
    }
    stop_loop(d);
}

static void on_sigterm(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct daemon *d = w->data;
    if (d->stopping)
        return;
    d->stopping = true;
    notify_stopping();
    log_info("signal %d: stopping%s", w->signum,
             d->sync ? "; the pass in progress resumes next time" : "");
    /* Abort transfers; what is on disk is whole (every write is atomic). */
    sync_free(d->sync);
    d->sync = NULL;
    ev_timer_stop(loop, &d->next_run);
    ev_timer_stop(loop, &d->status_timer);
    d->exit_code = d->opt->once ? EXIT_TEMPFAIL : EXIT_DONE;
    if (stage_running(&d->stages)) {
        ev_timer_set(&d->stop_timer, STOP_GRACE_SECONDS, 0.0);
        ev_timer_start(loop, &d->stop_timer);
        return;
    }
    stop_loop(d);
}

static void on_watchdog(struct ev_loop *loop, ev_timer *w, int revents) { notify_watchdog(); }

/* A report older than the database (or none) is drawn after the first pass. */
static void report_state(struct daemon *d)
{
    struct stat db;
    d->report_ok = report_needed(d->store) == NULL;
    d->report_due =
        !d->report_ok && store_stage_stat(d->store, PROCESS_DIR, PROCESS_DB_NAME, &db) == 0;
}

/* The loop's signals and timers, the stage runner, the watchdog. */
static void watch(struct daemon *d)
{
    signal(SIGPIPE, SIG_IGN);
    ev_signal_init(&d->sighup, on_sighup, SIGHUP);
    ev_signal_init(&d->sigusr1, on_sigusr1, SIGUSR1);
    ev_signal_init(&d->sigusr2, on_sigusr2, SIGUSR2);
    ev_signal_init(&d->sigterm, on_sigterm, SIGTERM);
    ev_signal_init(&d->sigint, on_sigterm, SIGINT);
    d->sighup.data = d->sigusr1.data = d->sigusr2.data = d->sigterm.data = d->sigint.data = d;
    ev_signal_start(d->loop, &d->sigterm);
    ev_signal_start(d->loop, &d->sigint);
    if (!d->opt->once) {
        ev_signal_start(d->loop, &d->sighup);
        ev_signal_start(d->loop, &d->sigusr1);
        ev_signal_start(d->loop, &d->sigusr2);
    }
    ev_init(&d->next_run, on_next_run);
    d->next_run.data = d;
    ev_init(&d->status_timer, on_status_timer);
    d->status_timer.repeat = 0.5;
    d->status_timer.data = d;
    ev_init(&d->stop_timer, on_stop_timer);
    d->stop_timer.data = d;
    stage_init(&d->stages, d->loop, d->store, on_stage_done, d);
    uint64_t wd = notify_watchdog_usec();
    if (wd) {
        ev_timer_init(&d->watchdog, on_watchdog, 0.0, (double)wd / 2e6);
        d->watchdog.data = d;
        ev_timer_again(d->loop, &d->watchdog);
    }
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
    d.loop = ev_default_loop(EVFLAG_AUTO);
    watch(&d);
    notify_ready();
    start_run(&d);
    if (!d.once_done && !(d.stopping && !stage_running(&d.stages)))
        ev_run(d.loop, 0);

    if (d.sync) {
        sync_free(d.sync);
        d.sync = NULL;
    }
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
