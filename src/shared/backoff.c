/* backoff.c: capped exponential backoff with full jitter. */
#include "autoconfig.h"

#include "backoff.h"

double backoff_delay(const struct backoff *b, unsigned attempt, double unit_random,
                     double retry_after)
{
    double ceiling = b->base;
    for (unsigned i = 0; i < attempt && ceiling < b->cap; i++)
        ceiling *= 2.0;
    if (ceiling > b->cap)
        ceiling = b->cap;
    if (unit_random < 0.0)
        unit_random = 0.0;
    if (unit_random >= 1.0)
        unit_random = 0.999999;
    double delay = ceiling * unit_random;
    if (retry_after > 0.0) {
        double honoured = retry_after < 10.0 * b->cap ? retry_after : 10.0 * b->cap;
        if (delay < honoured)
            delay = honoured;
    }
    return delay;
}

double backoff_next_run(double interval, unsigned failures, double base, double unit_random)
{
    if (failures) {
        double backoff = base;
        for (unsigned i = 1; i < failures && backoff < interval; i++)
            backoff *= 2;
        if (backoff < interval)
            interval = backoff;
    }
    return interval * (0.95 + 0.1 * unit_random);
}
