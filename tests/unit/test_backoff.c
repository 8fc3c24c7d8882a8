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
    TEST_DONE();
}
