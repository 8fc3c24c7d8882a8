/* Newest pass wins: pieces of time per pass. */
#include "autoconfig.h"

#include <stdlib.h>

#include "history.h"
#include "test.h"

static struct manifest pass(unsigned n, int64_t from, int64_t to, enum pass_state st)
{
    struct manifest m = {
        .pass = n, .window_from = from, .window_to = to, .state = st, .total = 0, .total_pages = 0};
    return m;
}

int main(void)
{
    struct history_piece *p;
    size_t n;

    /* full [0,1000] + recent [1001,2000], then a recheck [500,2100] and a new
     * pass [2101,2200]; a running pass is ignored. */
    struct manifest ms[] = {
        pass(1, 0, 1000, PASS_COMPLETE),    pass(2, 1001, 2000, PASS_COMPLETE),
        pass(5, 2101, 2200, PASS_COMPLETE), pass(4, 500, 2100, PASS_COMPLETE),
        pass(6, 0, 5000, PASS_RUNNING),
    };
    CHECK_INT(history_pieces(ms, 5, &p, &n), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_INT(p[0].pass_index, 2);
        CHECK_INT(p[0].from, 2101);
        CHECK_INT(p[0].to, 2200);
        CHECK_INT(p[1].pass_index, 3);
        CHECK_INT(p[1].from, 500);
        CHECK_INT(p[1].to, 2100);
        CHECK_INT(p[2].pass_index, 0);
        CHECK_INT(p[2].from, 0);
        CHECK_INT(p[2].to, 499);
    }
    free(p);
    CHECK_INT(history_coverage_end(ms, 5), 2200);

    /* A newer pass in the middle of an older one splits it in two. */
    struct manifest mid[] = {pass(1, 0, 100, PASS_COMPLETE), pass(2, 40, 60, PASS_COMPLETE)};
    CHECK_INT(history_pieces(mid, 2, &p, &n), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_INT(p[0].from, 61);
        CHECK_INT(p[0].to, 100);
        CHECK_INT(p[0].pass_index, 0);
        CHECK_INT(p[1].from, 40);
        CHECK_INT(p[1].to, 60);
        CHECK_INT(p[1].pass_index, 1);
        CHECK_INT(p[2].from, 0);
        CHECK_INT(p[2].to, 39);
        CHECK_INT(p[2].pass_index, 0);
    }
    free(p);

    /* A --full pass hides everything older: those passes get no piece. */
    struct manifest full[] = {pass(1, 0, 100, PASS_COMPLETE), pass(2, 101, 200, PASS_COMPLETE),
                              pass(3, 0, 250, PASS_COMPLETE)};
    CHECK_INT(history_pieces(full, 3, &p, &n), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(p[0].pass_index, 2);
        CHECK_INT(p[0].from, 0);
        CHECK_INT(p[0].to, 250);
    }
    free(p);

    /* Overlap of one second (recheck starting at the previous end). */
    struct manifest one[] = {pass(1, 0, 100, PASS_COMPLETE), pass(2, 100, 200, PASS_COMPLETE)};
    CHECK_INT(history_pieces(one, 2, &p, &n), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(p[0].from, 100);
        CHECK_INT(p[1].to, 99);
    }
    free(p);

    /* When the history was last read: the oldest start among the passes that
     * still own a piece.  A hidden old pass does not count; a running one
     * neither. */
    struct manifest aged[] = {pass(1, 0, 100, PASS_COMPLETE), pass(2, 101, 200, PASS_COMPLETE),
                              pass(3, 0, 150, PASS_COMPLETE), pass(4, 0, 300, PASS_RUNNING)};
    aged[0].started_at = 1000; /* hidden by pass 3 */
    aged[1].started_at = 5000; /* owns 151..200 */
    aged[2].started_at = 4000; /* owns 0..150 */
    aged[3].started_at = 10;   /* running */
    CHECK_INT(history_pieces(aged, 4, &p, &n), 0);
    CHECK_INT(n, 2);
    CHECK_INT(history_oldest_fetch(aged, p, n), 4000);
    free(p);
    aged[2].state = PASS_RUNNING; /* now pass 1 owns 0..100 again */
    CHECK_INT(history_pieces(aged, 4, &p, &n), 0);
    CHECK_INT(history_oldest_fetch(aged, p, n), 1000);
    free(p);
    CHECK_INT(history_oldest_fetch(aged, NULL, 0), -1);

    /* Nothing complete. */
    CHECK_INT(history_pieces(ms + 4, 1, &p, &n), 0);
    CHECK_INT(n, 0);
    free(p);
    CHECK_INT(history_coverage_end(ms + 4, 1), -1);

    /* A pass read while the clock ran ahead (server time 1000, slack 10):
     * pass 1 ends at 5000.  Spent only once a newer trusted pass (ends by 1010)
     * exists and pass 1 owns nothing up to that pass's end. */
    struct manifest ahead[] = {pass(1, 100, 5000, PASS_COMPLETE), pass(2, 0, 990, PASS_COMPLETE),
                               pass(3, 991, 1000, PASS_COMPLETE)};
    CHECK_INT(history_pieces(ahead, 1, &p, &n), 0);
    CHECK(!history_pass_spent(ahead, 1, 0, p, n, 1000, 10)); /* nothing newer */
    free(p);
    CHECK_INT(history_pieces(ahead, 2, &p, &n), 0);
    /* pass 2 ends at 990, pass 1 owns 991..5000: after 990, so spent */
    CHECK(history_pass_spent(ahead, 2, 0, p, n, 1000, 10));
    CHECK(!history_pass_spent(ahead, 2, 1, p, n, 1000, 10)); /* pass 2 is trusted */
    CHECK(!history_pass_spent(ahead, 2, 0, p, n, 0, 10));    /* server time unknown */
    CHECK(!history_pass_spent(ahead, 2, 0, p, n, 6000, 10)); /* not ahead of the server */
    free(p);
    /* A newer pass that leaves pass 1 a piece before its own end keeps it:
     * pass 1 may hold scrobbles there. */
    struct manifest hole[] = {pass(1, 100, 5000, PASS_COMPLETE), pass(2, 500, 990, PASS_COMPLETE)};
    CHECK_INT(history_pieces(hole, 2, &p, &n), 0);
    CHECK(!history_pass_spent(hole, 2, 0, p, n, 1000, 10)); /* owns 100..499 */
    free(p);
    TEST_DONE();
}
