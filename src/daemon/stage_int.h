/* stage_int.h: the stages after a sync (flatten, process, report), each run in a
 * child process so that the event loop never stalls, one at a time.
 *
 * This module owns the child: fork, the report pipe, the ev_child watcher,
 * killing it and removing its temp files.  The owner of the loop (daemon.c)
 * starts a stage, is called back with its result, decides what follows and
 * logs the result itself (so that journald attributes every entry to the unit).
 */
#ifndef LASTFM_STAGE_H
#define LASTFM_STAGE_H

#include <stdbool.h>
#include <sys/types.h>

#include <ev.h>

#include "flatten.h"
#include "process.h"
#include "report.h"
#include "store.h"

enum stage { STAGE_NONE, STAGE_FLATTEN, STAGE_PROCESS, STAGE_REPORT, STAGE_TAGS };

/* What a stage child reports through its pipe. */
union stage_stats {
    struct flatten_stats flatten;
    struct process_stats process;
    struct report_stats report;
    struct flatten_tags_stats tags;
};

/* How a stage ended. */
struct stage_result {
    enum stage stage;
    bool ok;               /* exit 0 and a whole report */
    int code;              /* its exit code (75 when killed) */
    int signal;            /* the signal that killed it, 0 if none */
    bool timed_out;        /* killed for running past the stage timeout */
    double seconds;        /* how long it ran */
    union stage_stats rep; /* valid when ok */
};

typedef void (*stage_done_fn)(void *opaque, const struct stage_result *res);

/* What a child runs with: built by the daemon from the configuration in force
 * at each start (a reload reaches the next stage), copied here. */
struct stage_settings {
    struct process_options process; /* STAGE_PROCESS */
    struct report_options report;   /* STAGE_REPORT */
    double timeout;                 /* seconds it may run, 0: no limit */
};

struct stage_runner {
    struct ev_loop *loop;
    struct store *store; /* the data directory (the child inherits its lock) */
    stage_done_fn done;
    void *opaque;
    enum stage stage; /* the child running, STAGE_NONE if none */
    pid_t pid;
    int fd; /* read end of its report pipe */
    ev_child watch;
    ev_timer deadline;          /* the stage timeout, while a child runs */
    ev_tstamp started;          /* ev_now() when it started */
    bool timed_out;             /* the deadline killed it */
    struct stage_settings with; /* the running child's settings */
};

void stage_init(struct stage_runner *sr, struct ev_loop *loop, struct store *store,
                stage_done_fn done, void *opaque);
/* Start `stage` with `with`, killed if it runs longer than with->timeout.
 * 0, or -errno when no child could be started (nothing runs then, and done is
 * not called).  However the child ends, done is called; after any end but a
 * clean one its temp files are removed first. */
int stage_start(struct stage_runner *sr, enum stage stage, const struct stage_settings *with);
bool stage_running(const struct stage_runner *sr);
/* SIGKILL the running child, reap it and remove its temp files (no callback). */
void stage_kill(struct stage_runner *sr);
/* Reap a running child without a callback (the process is exiting). */
void stage_wait(struct stage_runner *sr);

/* "the flatten", "the processed stage", "the report"; and what it writes. */
const char *stage_name(enum stage stage);
const char *stage_output(enum stage stage);

/* A failed stage, logged for the daemon (its own MESSAGE_ID, at err): `path`
 * is the output kept as it was. */
void stage_log_failure(const struct stage_result *res, const char *path);

#endif
