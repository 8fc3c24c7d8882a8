/* clockshift.c: an LD_PRELOAD shim that moves this process's wall clock.
 *
 * TEST_CLOCK_SHIFT=SECONDS (may be negative) is added to every read of
 * the wall clock: clock_gettime(CLOCK_REALTIME*), gettimeofday() and time().
 * The monotonic clock is left alone (timers, timeouts and rates stay right).
 * For the tests of a clock that ran ahead or behind, and for running the
 * date-built tests on other dates.  Built by `make check` as
 * tests/clockshift.so. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static long shift(void)
{
    static long s = -1;
    static int known;
    if (!known) {
        const char *v = getenv("TEST_CLOCK_SHIFT");
        s = v ? strtol(v, NULL, 10) : 0;
        known = 1;
    }
    return s;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    static int (*real)(clockid_t, struct timespec *);
    if (!real)
        real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int r = real(id, ts);
    if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
        ts->tv_sec += shift();
    return r;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return -1;
    struct timeval *volatile out = tv; /* glibc declares it nonnull; callers may not care */
    if (out) {
        out->tv_sec = ts.tv_sec;
        out->tv_usec = ts.tv_nsec / 1000;
    }
    (void)tz;
    return 0;
}

time_t time(time_t *t)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (t)
        *t = ts.tv_sec;
    return ts.tv_sec;
}
