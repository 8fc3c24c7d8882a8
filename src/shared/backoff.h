/* backoff.h: capped exponential backoff with full jitter, pure.
 *
 * delay = uniform(0, min(cap, base * 2^attempt)), and never less than the
 * server's Retry-After.  Randomness is passed in as a number in [0, 1).
 */
#ifndef LASTFM_BACKOFF_H
#define LASTFM_BACKOFF_H

struct backoff {
    double base; /* seconds for attempt 0 before jitter (> 0) */
    double cap;  /* largest delay before jitter, seconds */
};

/* Seconds to wait before retry number `attempt` (0 for the first retry).
 * `unit_random` is in [0, 1); `retry_after` is the server's Retry-After in
 * seconds, or <= 0 when it sent none (it is honoured up to 10 * cap). */
double backoff_delay(const struct backoff *b, unsigned attempt, double unit_random,
                     double retry_after);

/* The daemon's next run: after `failures` failed runs in a row, sooner than the
 * interval (base, 2 * base, ... up to the interval); then +-5% jitter, so that
 * many daemons do not ask at the same second. */
double backoff_next_run(double interval, unsigned failures, double base, double unit_random);

#endif
