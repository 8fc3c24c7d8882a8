/* passlist.c: the stored passes: read back, bad manifests moved aside, pruned. */
#include "autoconfig.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "history.h"
#include "log.h"
#include "passlist_int.h"
#include "plan_int.h"

int passlist_reload(struct store *st, struct manifest **passes, size_t *npasses)
{
    const char *dir = store_data_dir(st);
    for (unsigned tries = 0;; tries++) {
        char bad[128];
        unsigned bad_pass = 0;
        struct manifest *list;
        size_t n;
        int r = store_list_passes(st, &list, &n, bad, &bad_pass);
        if (r < 0) {
            log_err("cannot list %s/raw: %s", dir, strerror(-r));
            return EXIT_IOERR;
        }
        free(*passes);
        *passes = list;
        *npasses = n;
        if (!bad[0])
            return 0;
        r = store_pass_quarantine(st, bad_pass);
        if (r < 0 || tries > 1000) {
            log_err("%s/%s is not a valid manifest and cannot be moved aside (%s): remove "
                    "raw/pass-%06u and run again",
                    dir, bad, strerror(r < 0 ? -r : EIO), bad_pass);
            return EXIT_DATAERR;
        }
        log_warn("%s/%s is not a valid manifest: moved the pass aside to raw/pass-%06u.corrupt; "
                 "its stretch of time is fetched again",
                 dir, bad, bad_pass);
    }
}

void passlist_prune(struct store *st, struct manifest **passes, size_t *npasses, int64_t server)
{
    struct history_piece *pieces;
    size_t npieces;
    if (passlist_reload(st, passes, npasses) != 0 ||
        history_pieces(*passes, *npasses, &pieces, &npieces) < 0)
        return;
    const struct manifest *p = *passes;
    size_t n = *npasses;
    for (size_t i = 0; i < n; i++) {
        bool used = p[i].state != PASS_COMPLETE;
        for (size_t k = 0; k < npieces && !used; k++)
            used = pieces[k].pass_index == i;
        bool spent = history_pass_spent(p, n, i, pieces, npieces, server, PLAN_CLOCK_SLACK);
        if (used && !spent)
            continue;
        int r = store_pass_remove(st, p[i].pass);
        if (r < 0)
            log_warn("cannot remove superseded pass %u: %s", p[i].pass, strerror(-r));
        else if (spent)
            log_info("removed pass %u: read while the clock ran ahead, its window ends after "
                     "the server's time and newer passes hold what it held",
                     p[i].pass);
        else
            log_debug("removed pass %u: newer passes cover its window", p[i].pass);
    }
    free(pieces);
}
