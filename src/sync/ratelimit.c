/* ratelimit.c: token bucket with a temporary slow-down. */
#include "autoconfig.h"

#include "ratelimit_int.h"

void ratelimit_init(struct ratelimit *rl, double rate, double burst, double now)
{
    rl->rate = rate;
    rl->burst = burst < 1.0 ? 1.0 : burst;
    rl->tokens = rl->burst;
    rl->last = now;
    rl->slow_factor = 1.0;
    rl->slow_until = now;
}

double ratelimit_current_rate(const struct ratelimit *rl, double now)
{
    return now < rl->slow_until ? rl->rate / rl->slow_factor : rl->rate;
}

static void refill(struct ratelimit *rl, double now)
{
    if (now <= rl->last)
        return;
    /* Charge the part of the interval under the slow-down at the slow rate. */
    double slow_end = rl->slow_until < now ? rl->slow_until : now;
    double gained = 0.0;
    if (slow_end > rl->last) {
        gained += (slow_end - rl->last) * rl->rate / rl->slow_factor;
        gained += (now - slow_end) * rl->rate;
    } else {
        gained += (now - rl->last) * rl->rate;
    }
    rl->tokens += gained;
    if (rl->tokens > rl->burst)
        rl->tokens = rl->burst;
    rl->last = now;
}

double ratelimit_take(struct ratelimit *rl, double now)
{
    refill(rl, now);
    if (rl->tokens >= 1.0) {
        rl->tokens -= 1.0;
        return 0.0;
    }
    double wait = (1.0 - rl->tokens) / ratelimit_current_rate(rl, now);
    return wait > 1e-6 ? wait : 1e-6;
}

void ratelimit_slow_down(struct ratelimit *rl, double now, double factor, double duration)
{
    refill(rl, now);
    if (factor < 1.0)
        factor = 1.0;
    if (factor > rl->slow_factor || now >= rl->slow_until)
        rl->slow_factor = factor;
    if (now + duration > rl->slow_until)
        rl->slow_until = now + duration;
    /* Spend what was saved up: the server just said we were too fast. */
    if (rl->tokens > 0.0)
        rl->tokens = 0.0;
}
