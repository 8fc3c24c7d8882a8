/* signals.c: what the daemon does on SIGHUP (reload), SIGUSR1 (a full
 * resync), SIGUSR2 (rebuild), SIGTERM/SIGINT (stop), and the watchdog. */
#include "autoconfig.h"

#include <signal.h>
#include <stdlib.h>

#include <ev.h>

#include "daemon_loop_int.h"
#include "exitcodes.h"
#include "log.h"
#include "notify_int.h"
#include "reload_int.h"
#include "store.h"

/* At SIGTERM a running stage child gets this long before it is killed. */
#define STOP_GRACE_SECONDS 4.0

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
    daemon_start_run(d); /* or right after the one running */
}

static void on_sigusr1(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct daemon *d = w->data;
    log_info("SIGUSR1: a full resync");
    d->want_full = true;
    daemon_start_run(d);
}

/* The operator's rebuild: the database and the report from the CSV as it is,
 * without a fetch (after the run or stage in progress). */
static void on_sigusr2(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct daemon *d = w->data;
    log_info("SIGUSR2: rebuilding the database and the report from the CSV");
    d->want_rebuild = true;
    if (!d->sync && !d->tags && !stage_running(&d->stages)) {
        ev_timer_stop(d->loop, &d->next_run);
        daemon_after_flatten(d);
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
    daemon_stop_loop(d);
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
    tags_free(d->tags);
    d->tags = NULL;
    ev_timer_stop(loop, &d->next_run);
    ev_timer_stop(loop, &d->status_timer);
    d->exit_code = d->opt->once ? EXIT_TEMPFAIL : EXIT_DONE;
    if (stage_running(&d->stages)) {
        ev_timer_set(&d->stop_timer, STOP_GRACE_SECONDS, 0.0);
        ev_timer_start(loop, &d->stop_timer);
        return;
    }
    daemon_stop_loop(d);
}

static void on_watchdog(struct ev_loop *loop, ev_timer *w, int revents) { notify_watchdog(); }

void daemon_watch(struct daemon *d)
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
    ev_init(&d->stop_timer, on_stop_timer);
    d->stop_timer.data = d;
    uint64_t wd = notify_watchdog_usec();
    if (wd) {
        ev_timer_init(&d->watchdog, on_watchdog, 0.0, (double)wd / 2e6);
        d->watchdog.data = d;
        ev_timer_again(d->loop, &d->watchdog);
    }
}
