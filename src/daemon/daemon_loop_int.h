/* daemon_loop_int.h: the daemon's state, shared by the files of the one
 * owner of the loop: daemon.c (runs, stages, the schedule) and signals.c
 * (signals, the watchdog, the stop).  Nothing outside src/daemon sees it. */
#ifndef LASTFM_DAEMON_LOOP_H
#define LASTFM_DAEMON_LOOP_H

#include <stdbool.h>
#include <time.h>

#include <ev.h>

#include "config.h"
#include "daemon_int.h"
#include "stage_int.h"
#include "sync.h"
#include "tags.h"

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
    bool once_done;             /* --once: the run and its flatten are over */
    long rows;                  /* rows of the last CSV written, -1 unknown */
    time_t last_sync;           /* end of the last successful run */
    time_t next_sync;           /* when the next run is due (idle) */
    bool report_due;            /* the database changed (or the report failed) */
    bool report_ok;             /* report/index.html is current */
    long report_pages;          /* pages of the site the daemon built, 0 unknown */
    struct sync_budget *budget; /* the key's requests, shared by every run */
    struct tags *tags;          /* the tag run in progress, or NULL */
    bool tags_due;              /* a sync completed: ask about its artists */
};

/* daemon.c: a sync run now (or right after the one running); the database
 * and the report from the CSV; the end of the loop. */
void daemon_start_run(struct daemon *d);
void daemon_after_flatten(struct daemon *d);
void daemon_stop_loop(struct daemon *d);

/* signals.c: the signals' watchers, the stop timer and the watchdog. */
void daemon_watch(struct daemon *d);

#endif
