/* Capped exponential backoff with full jitter, randomness injected. */
#include "autoconfig.h"

#include "backoff.h"
#include "test.h"

int main(void)
{
    struct backoff b = {.base = 0.5, .cap = 30.0};
    /* The ceiling doubles per attempt: random 0.999999 shows it. */
    CHECK_NEAR(backoff_delay(&b, 0, 0.999999, -1), 0.5, 1e-5);
    CHECK_NEAR(backoff_delay(&b, 1, 0.999999, -1), 1.0, 1e-5);
    CHECK_NEAR(backoff_delay(&b, 3, 0.999999, -1), 4.0, 1e-5);
    /* ... up to the cap, also for huge attempt numbers (no overflow). */
    CHECK_NEAR(backoff_delay(&b, 6, 0.999999, -1), 30.0, 1e-4);
    CHECK_NEAR(backoff_delay(&b, 4000000000u, 0.999999, -1), 30.0, 1e-4);
    /* Full jitter: uniform over [0, ceiling). */
    CHECK_NEAR(backoff_delay(&b, 3, 0.0, -1), 0.0, 1e-9);
    CHECK_NEAR(backoff_delay(&b, 3, 0.25, -1), 1.0, 1e-9);
    /* Out-of-range randomness is clamped. */
    CHECK(backoff_delay(&b, 3, 7.0, -1) < 4.0);
    CHECK_NEAR(backoff_delay(&b, 3, -1.0, -1), 0.0, 1e-9);
    /* Retry-After is a floor, honoured up to 10 * cap. */
    CHECK_NEAR(backoff_delay(&b, 0, 0.1, 5.0), 5.0, 1e-9);
    CHECK_NEAR(backoff_delay(&b, 5, 0.9, 2.0), 14.4, 1e-9);
    CHECK_NEAR(backoff_delay(&b, 0, 0.1, 100000.0), 300.0, 1e-9);

    /* The daemon's schedule: the interval, with +-5% jitter ... */
    CHECK_NEAR(backoff_next_run(900, 0, 30, 0.5), 900, 1e-9);
    CHECK_NEAR(backoff_next_run(900, 0, 30, 0.0), 855, 1e-9);
    CHECK_NEAR(backoff_next_run(900, 0, 30, 1.0), 945, 1e-9);
    /* ... sooner after failures: 30 s, 60 s, 120 s ..., never past the interval. */
    CHECK_NEAR(backoff_next_run(900, 1, 30, 0.5), 30, 1e-9);
    CHECK_NEAR(backoff_next_run(900, 2, 30, 0.5), 60, 1e-9);
    CHECK_NEAR(backoff_next_run(900, 5, 30, 0.5), 480, 1e-9);
    CHECK_NEAR(backoff_next_run(900, 6, 30, 0.5), 900, 1e-9);
    CHECK_NEAR(backoff_next_run(900, 4000000000u, 30, 0.5), 900, 1e-9);
    TEST_DONE();
}
