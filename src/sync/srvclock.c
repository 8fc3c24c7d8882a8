/* srvclock.c: this machine's clock against the server's. */
#include "autoconfig.h"

#include <inttypes.h>
#include <time.h>

#include "log.h"
#include "plan_int.h"
#include "srvclock_int.h"

int64_t srvclock_now(const struct srvclock *c) { return (int64_t)time(NULL) + c->offset; }

void srvclock_learn(struct srvclock *c, int64_t server_date)
{
    int64_t off = server_date > 0 ? server_date - (int64_t)time(NULL) : 0;
    if (off <= PLAN_CLOCK_SLACK || c->offset > 0)
        return;
    log_warn("this machine's clock is %" PRId64 " s behind the server's (its Date): windows "
             "are pinned at the server's time; set the clock right (timedatectl, NTP)",
             off);
    c->offset = off;
}
