/* ratelimit_int.h: a token bucket, pure: the caller passes the current time.
 *
 * Tokens accrue at `rate` per second up to `burst`; a request takes one.  After
 * Last.fm error 29 the caller slows the bucket down for a while.
 */
#ifndef LASTFM_RATELIMIT_H
#define LASTFM_RATELIMIT_H

struct ratelimit {
    double rate;        /* configured tokens per second (> 0) */
    double burst;       /* bucket capacity in tokens (>= 1) */
    double tokens;      /* tokens available at time `last` */
    double last;        /* time of the last refill, seconds (monotonic) */
    double slow_factor; /* divides the rate while now < slow_until (>= 1) */
    double slow_until;  /* end of the slow-down, seconds (monotonic) */
};

/* A full bucket at time `now`. */
void ratelimit_init(struct ratelimit *rl, double rate, double burst, double now);

/* Take one token if there is one and return 0; otherwise take nothing and return
 * the seconds to wait (> 0) before a token will be there. */
double ratelimit_take(struct ratelimit *rl, double now);

/* Divide the rate by `factor` until now + `duration` (error 29). A new slow-down
 * extends, never shortens, one in force. */
void ratelimit_slow_down(struct ratelimit *rl, double now, double factor, double duration);

/* The rate in force at `now`. */
double ratelimit_current_rate(const struct ratelimit *rl, double now);

#endif
