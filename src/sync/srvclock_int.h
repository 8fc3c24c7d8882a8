/* srvclock_int.h: this machine's clock against the server's, from the Date of
 * its answers.  A clock behind the server's would pin windows in the past (and
 * miss what is newer); the offset lets a run pin them at the server's time.
 * (A clock ahead is handled where windows are stored: passrun.c keeps a pass
 * to the server's time, plan.c does not trust windows that end after now.) */
#ifndef LASTFM_SRVCLOCK_H
#define LASTFM_SRVCLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct srvclock {
    int64_t offset; /* the server's time - this clock's, when it is behind; else 0 */
    bool asked;     /* a request was made only to learn the server's time */
    bool caught_up; /* the window up to the server's now was planned */
};

/* Unix time now, as the server would say it (this clock + offset). */
int64_t srvclock_now(const struct srvclock *c);

/* An answer's Date (0: none).  When it shows this clock more than
 * PLAN_CLOCK_SLACK behind, the offset is set (once; logged at warning). */
void srvclock_learn(struct srvclock *c, int64_t server_date);

#endif
