/* status.h: how a run shows itself, pure: the progress bar, the request rate
 * of the status line, and the journal's "NAME=value" fields.
 *
 * Nothing here reads a clock or writes anywhere: the caller passes the time
 * and prints what comes back.
 */
#ifndef LASTFM_STATUS_H
#define LASTFM_STATUS_H

#include <stddef.h>
#include <time.h>

/* "NAME=value" journal fields in fixed buffers; ptr is NULL-terminated, ready
 * for log_event().  Fields past the eighth are dropped. */
struct fields {
    char buf[8][64];
    const char *ptr[9];
    int n;
};
void status_fields_add(struct fields *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Samples of (time, requests made by then) for the rate the status line shows.
 * The rate is over the last STATUS_RATE_SAMPLES samples (10 s at two samples a
 * second), not since the start: the rate limiter's first second is a burst of
 * a second's worth, which would overstate an average. */
#define STATUS_RATE_SAMPLES 20
struct rate_window {
    double t[STATUS_RATE_SAMPLES];     /* when each sample was taken */
    unsigned req[STATUS_RATE_SAMPLES]; /* requests made by then */
    unsigned taken;                    /* samples taken so far */
};
/* Add a sample at `now` and return requests per second: over the window once
 * it spans 2 s, before that since `t0` (the run's start). */
double status_rate_sample(struct rate_window *w, double now, unsigned requests, double t0);

/* The terminal's progress line: "pass 3 [#####.....] page 12/40  2.5 req/s  1 retries".
 * total < 0: not known yet (page 1 is on its way). */
void status_bar(char *buf, size_t size, unsigned pass, long done, long total, double rate,
                unsigned retries);

/* The daemon's STATUS= line between runs:
 *   "idle: 146,213 scrobbles, last sync 12:00 UTC, next 12:15; report site PATH (412 pages)"
 * rows < 0: not known; last_sync 0: none yet; report NULL: not current;
 * pages 0: not known (a site an earlier run built). */
void status_idle_line(char *buf, size_t size, long rows, time_t last_sync, time_t next_sync,
                      const char *report, long pages);
/* ... and during a run: "run 3: planning", "pass 4: page 12/40, 2.5 req/s, 0 retries". */
void status_run_line(char *buf, size_t size, unsigned run, unsigned pass, long done, long total,
                     double rate, unsigned retries);

#endif
