/* daemon_int.h: the one owner of the event loop.
 *
 * Runs sync passes (now, then every LASTFM_SYNC_INTERVAL with jitter), the
 * flatten after each pass that changed the history (in a child process, so
 * that the loop keeps serving signals, the watchdog and timers), reloads on
 * SIGHUP, resyncs fully on SIGUSR1, stops cleanly on SIGTERM/SIGINT, and tells
 * systemd about all of it.  With `once`, one pass and its flatten, then exit.
 */
#ifndef LASTFM_DAEMON_H
#define LASTFM_DAEMON_H

#include <stdbool.h>

#include "config.h"

struct daemon_options {
    struct config_sources sources; /* where SIGHUP re-reads the configuration */
    bool once;                     /* --once: one pass, then exit */
    bool full;                     /* --full: the first pass re-fetches everything */
    bool progress_bar;             /* --once on a terminal */
    bool replace_history;          /* --replace-history: another user's data may go */
};

/* Run until done (--once) or stopped.  Takes ownership of *cfg (heap).  Returns
 * the exit code (exitcodes.h). */
int daemon_run(const struct daemon_options *o, struct config *cfg);

#endif
