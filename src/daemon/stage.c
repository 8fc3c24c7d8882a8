/* stage.c: a stage in a child process, and its end reported back. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "log.h"
#include "report.h"
#include "stage_int.h"

const char *stage_name(enum stage stage)
{
    return stage == STAGE_FLATTEN   ? "the flatten"
           : stage == STAGE_PROCESS ? "the processed stage"
           : stage == STAGE_REPORT  ? "the report"
           : stage == STAGE_TAGS    ? "the tags flatten"
                                    : "no stage";
}

const char *stage_output(enum stage stage)
{
    return stage == STAGE_FLATTEN   ? "CSV"
           : stage == STAGE_PROCESS ? "database"
           : stage == STAGE_TAGS    ? "tags CSV"
                                    : "report";
}

static void on_exit_child(struct ev_loop *loop, ev_child *w, int revents)
{
    struct stage_runner *sr = w->data;
    ev_child_stop(loop, w);
    ev_timer_stop(loop, &sr->deadline);
    struct stage_result res = {
        .stage = sr->stage, .timed_out = sr->timed_out, .seconds = ev_now(loop) - sr->started};
    ssize_t n = read(sr->fd, &res.rep, sizeof res.rep);
    close(sr->fd);
    sr->fd = -1;
    sr->pid = 0;
    sr->stage = STAGE_NONE;
    res.code = WIFEXITED(w->rstatus) ? WEXITSTATUS(w->rstatus) : EXIT_TEMPFAIL;
    res.signal = WIFSIGNALED(w->rstatus) ? WTERMSIG(w->rstatus) : 0;
    res.ok = res.code == 0 && res.signal == 0 && n == (ssize_t)sizeof res.rep;
    if (!res.ok)
        /* Killed, timed out or failed: whatever it left half-written goes
         * now (only one stage runs at a time, and nothing else writes
         * there meanwhile), not at the daemon's next start. */
        store_sweep_temp(sr->store);
    sr->timed_out = false;
    sr->done(sr->opaque, &res);
}

/* The child ran past the stage timeout (a stalled disk, a stopped process):
 * killed; its end comes through on_exit_child like any other. */
static void on_deadline(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct stage_runner *sr = w->data;
    (void)loop;
    (void)revents;
    if (!sr->pid)
        return;
    sr->timed_out = true;
    kill(sr->pid, SIGKILL);
}

void stage_init(struct stage_runner *sr, struct ev_loop *loop, struct store *store,
                stage_done_fn done, void *opaque)
{
    memset(sr, 0, sizeof *sr);
    sr->loop = loop;
    sr->store = store;
    sr->done = done;
    sr->opaque = opaque;
    sr->fd = -1;
    ev_init(&sr->watch, on_exit_child);
    sr->watch.data = sr;
    ev_init(&sr->deadline, on_deadline);
    sr->deadline.data = sr;
}

/* In the child: run the stage, report through the pipe, return its exit code. */
static int run_in_child(struct stage_runner *sr, enum stage stage, int fd)
{
    union stage_stats rep;
    memset(&rep, 0, sizeof rep);
    int code;
    if (stage == STAGE_FLATTEN)
        code = flatten_run(sr->store, false, &rep.flatten);
    else if (stage == STAGE_REPORT)
        code = report_run(sr->store, &sr->with.report, &rep.report);
    else if (stage == STAGE_TAGS)
        code = flatten_tags_run(sr->store, &rep.tags);
    else
        code = process_stage(sr->store, &sr->with.process, &rep.process);
    if (write(fd, &rep, sizeof rep) != (ssize_t)sizeof rep)
        code = code ? code : EXIT_TEMPFAIL;
    return code;
}

int stage_start(struct stage_runner *sr, enum stage stage, const struct stage_settings *with)
{
    int fds[2];
    if (sr->pid)
        return -EBUSY;
    sr->with = *with;
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        int e = -errno;
        close(fds[0]);
        close(fds[1]);
        return e;
    }
    if (pid == 0) {
        /* The child dies with the daemon (it would hold the lock), with default
         * signals (libev's handlers belong to the parent). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        close(fds[0]);
        _exit(run_in_child(sr, stage, fds[1]));
    }
    close(fds[1]);
    sr->stage = stage;
    sr->fd = fds[0];
    sr->pid = pid;
    ev_child_set(&sr->watch, pid, 0);
    ev_child_start(sr->loop, &sr->watch);
    ev_now_update(sr->loop);
    sr->started = ev_now(sr->loop);
    sr->timed_out = false;
    if (with->timeout > 0) {
        ev_timer_set(&sr->deadline, with->timeout, 0.);
        ev_timer_start(sr->loop, &sr->deadline);
    }
    return 0;
}

bool stage_running(const struct stage_runner *sr) { return sr->pid != 0; }

static void forget(struct stage_runner *sr)
{
    ev_child_stop(sr->loop, &sr->watch);
    ev_timer_stop(sr->loop, &sr->deadline);
    if (sr->fd >= 0)
        close(sr->fd);
    sr->fd = -1;
    sr->pid = 0;
    sr->stage = STAGE_NONE;
}

void stage_kill(struct stage_runner *sr)
{
    if (!sr->pid)
        return;
    pid_t pid = sr->pid;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    /* Its temp file, wherever it wrote (only one stage runs at a time, and
     * nothing else writes there meanwhile). */
    store_sweep_temp(sr->store);
    forget(sr);
}

void stage_wait(struct stage_runner *sr)
{
    if (!sr->pid)
        return;
    int st;
    waitpid(sr->pid, &st, 0);
    forget(sr);
}

void stage_log_failure(const struct stage_result *res, const char *path)
{
    char code_field[32], stage_field[32];
    snprintf(code_field, sizeof code_field, "EXIT_STATUS=%d", res->code);
    snprintf(stage_field, sizeof stage_field, "STAGE=%s",
             res->stage == STAGE_FLATTEN   ? "flatten"
             : res->stage == STAGE_PROCESS ? "process"
             : res->stage == STAGE_TAGS    ? "tags"
                                           : "report");
    const char *fields[] = {stage_field, code_field, NULL};
    if (res->timed_out)
        log_event(LOG_LVL_ERR, LOG_MSGID_STAGE_FAILED, fields,
                  "%s ran %.1f s, past LASTFM_STAGE_TIMEOUT, and was killed (a stalled disk "
                  "or a stopped process?); its temp files are removed and %s is kept as it "
                  "was; it is made again after the next pass",
                  stage_name(res->stage), res->seconds, path);
    else if (res->signal)
        log_event(LOG_LVL_ERR, LOG_MSGID_STAGE_FAILED, fields,
                  "%s was killed by signal %d: %s is kept as it was; it is made again after "
                  "the next pass",
                  stage_name(res->stage), res->signal, path);
    else
        log_event(LOG_LVL_ERR, LOG_MSGID_STAGE_FAILED, fields,
                  "%s failed (exit code %d, said above): %s is kept as it was; it is made "
                  "again after the next pass",
                  stage_name(res->stage), res->code, path);
}
