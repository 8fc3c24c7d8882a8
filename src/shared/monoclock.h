/* monoclock.h: the monotonic clock in seconds, for durations and rates. */
#ifndef LASTFM_MONOCLOCK_H
#define LASTFM_MONOCLOCK_H

#include <time.h>

static inline double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
