/* The token bucket, driven by an injected clock. */
#include "autoconfig.h"

#include "ratelimit_int.h"
#include "test.h"

int main(void)
{
    struct ratelimit rl;
    double t = 1000.0;

    /* A full bucket of one: the first request goes, the second waits 1/rate. */
    ratelimit_init(&rl, 4.0, 1.0, t);
    CHECK_NEAR(ratelimit_take(&rl, t), 0.0, 1e-9);
    CHECK_NEAR(ratelimit_take(&rl, t), 0.25, 1e-9);
    CHECK_NEAR(ratelimit_take(&rl, t + 0.1), 0.15, 1e-9);
    CHECK_NEAR(ratelimit_take(&rl, t + 0.25), 0.0, 1e-9);

    /* Over 100 simulated seconds, taking as fast as allowed gives rate * 100 (+burst). */
    ratelimit_init(&rl, 4.5, 1.0, 0.0);
    int taken = 0;
    for (double now = 0.0; now < 100.0;) {
        double w = ratelimit_take(&rl, now);
        if (w == 0.0)
            taken++;
        else
            now += w;
    }
    CHECK(taken >= 450 && taken <= 451);

    /* Idle time does not save up more than the burst. */
    ratelimit_init(&rl, 2.0, 3.0, 0.0);
    int burst = 0;
    while (ratelimit_take(&rl, 1000.0) == 0.0)
        burst++;
    CHECK_INT(burst, 3);

    /* Slow-down: half the rate for 60 s, then back. */
    ratelimit_init(&rl, 10.0, 1.0, 0.0);
    CHECK_NEAR(ratelimit_take(&rl, 0.0), 0.0, 1e-9);
    ratelimit_slow_down(&rl, 0.0, 2.0, 60.0);
    CHECK_NEAR(ratelimit_current_rate(&rl, 1.0), 5.0, 1e-9);
    CHECK_NEAR(ratelimit_take(&rl, 0.0), 0.2, 1e-9);
    CHECK_NEAR(ratelimit_current_rate(&rl, 61.0), 10.0, 1e-9);
    /* Tokens gained across the end of the slow-down: 0.5 s slow + 0.5 s fast = 2.5 + 5. */
    ratelimit_init(&rl, 10.0, 100.0, 0.0);
    while (ratelimit_take(&rl, 0.0) == 0.0)
        ;
    ratelimit_slow_down(&rl, 0.0, 2.0, 0.5);
    int got = 0;
    while (ratelimit_take(&rl, 1.0) == 0.0)
        got++;
    CHECK_INT(got, 7);
    /* A shorter slow-down does not cut a longer one short. */
    ratelimit_init(&rl, 10.0, 1.0, 0.0);
    ratelimit_slow_down(&rl, 0.0, 4.0, 60.0);
    ratelimit_slow_down(&rl, 1.0, 2.0, 5.0);
    CHECK_NEAR(ratelimit_current_rate(&rl, 30.0), 2.5, 1e-9);
    TEST_DONE();
}
