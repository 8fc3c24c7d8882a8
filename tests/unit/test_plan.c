/* Planning a run: full reads, holes, the recheck's count window, compaction. */
#include "autoconfig.h"

#include <string.h>

#include "plan_int.h"
#include "test.h"

#define DAY 86400
#define NOW 2000000000LL

static struct manifest pass(unsigned n, const char *kind, int64_t from, int64_t to, int64_t started)
{
    struct manifest m = {.pass = n,
                         .window_from = from,
                         .window_to = to,
                         .state = PASS_COMPLETE,
                         .started_at = started,
                         .total = 0,
                         .total_pages = 0};
    strcpy(m.kind, kind);
    return m;
}

static bool noted(const struct plan *pl, const char *text)
{
    for (size_t i = 0; i < pl->nnotes; i++)
        if (strstr(pl->notes[i].text, text))
            return true;
    return false;
}

static void test_full(void)
{
    struct plan pl;
    struct plan_window w;
    /* Nothing stored: the whole history as two passes, the old part first. */
    struct plan_input in = {.now = NOW};
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK(!pl.recheck);
    CHECK(plan_pop(&pl, &w));
    CHECK_INT(w.from, 0);
    CHECK_INT(w.to, NOW - PLAN_RECHECK_SECONDS);
    CHECK_STR(w.kind, "full");
    CHECK(plan_pop(&pl, &w));
    CHECK_INT(w.from, NOW - PLAN_RECHECK_SECONDS + 1);
    CHECK_INT(w.to, NOW);
    CHECK(!plan_pop(&pl, &w));

    /* A clock near the epoch: one window. */
    in.now = 1000;
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK_INT(pl.n, 1);
    CHECK_INT(pl.w[0].from, 0);
    CHECK_INT(pl.w[0].to, 1000);

    /* --full, although the history is stored and fresh. */
    struct manifest ms[] = {pass(1, "full", 0, NOW - 100, NOW - 200)};
    in = (struct plan_input){.passes = ms, .npasses = 1, .now = NOW, .full = true};
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK(!pl.recheck);
    CHECK_INT(pl.n, 2);

    /* Due by age: the oldest stored part was read 40 days ago, the interval is 30. */
    struct manifest old[] = {pass(1, "full", 0, NOW - 40 * DAY, NOW - 40 * DAY),
                             pass(2, "new", NOW - 40 * DAY + 1, NOW - 100, NOW - 100)};
    in = (struct plan_input){
        .passes = old, .npasses = 2, .now = NOW, .full_resync_interval = 30 * DAY};
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK(!pl.recheck);
    CHECK_INT(pl.n, 2);
    CHECK(noted(&pl, "fetched 40 days ago"));
    CHECK(pl.nnotes == 1 && pl.notes[0].level == PLAN_INFO);
    /* Not yet due at 50 days; never when the interval is 0. */
    in.full_resync_interval = 50 * DAY;
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK(pl.recheck);
    CHECK_INT(pl.n, 0);
    in.full_resync_interval = 0;
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK(pl.recheck);
}

static void test_recheck(void)
{
    struct plan pl;
    struct plan_window w;
    int64_t cover = NOW - 1000, l0 = cover - PLAN_RECHECK_SECONDS;
    struct manifest ms[] = {pass(1, "full", 0, cover, NOW - DAY)};
    struct plan_input in = {.passes = ms, .npasses = 1, .now = NOW};
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK(pl.recheck);
    CHECK_INT(pl.n, 0);
    CHECK_INT(pl.coverage_end, cover);
    CHECK_INT(pl.stored_lo, l0 - 3600);
    CHECK_INT(pl.stored_hi, cover);

    /* Stored scrobbles at l0 and l0 - 1: the count window starts at l0 - 2,
     * where none is, and counts everything from there. */
    int64_t uts[] = {l0 - 3000, l0 - 1, l0, l0 + 5, cover - 10, cover};
    plan_recheck(&in, &pl, uts, 6);
    CHECK_INT(pl.count_from, l0 - 2);
    CHECK_INT(pl.stored_count, 5);
    CHECK(!pl.compact);
    CHECK_INT(pl.recheck_start, l0 - 2);

    /* The server agrees: only what is new since coverage. */
    struct plan agree = pl;
    plan_counted(&agree, 5, NOW);
    CHECK(plan_pop(&agree, &w));
    CHECK_INT(w.from, cover + 1);
    CHECK_INT(w.to, NOW);
    CHECK_STR(w.kind, "new");
    CHECK(!plan_pop(&agree, &w));
    CHECK(agree.nnotes == 1 && agree.notes[0].level == PLAN_DEBUG);
    /* ... and nothing at all when the clock has not moved past coverage. */
    agree = pl;
    plan_counted(&agree, 5, cover);
    CHECK(!plan_pop(&agree, &w));

    /* A late scrobble on the server: the last weeks again, to now. */
    plan_counted(&pl, 6, NOW);
    CHECK(plan_pop(&pl, &w));
    CHECK_INT(w.from, l0 - 2);
    CHECK_INT(w.to, NOW);
    CHECK_STR(w.kind, "recheck");
    CHECK(noted(&pl, "6 scrobbles there, 5 stored"));
}

static void test_holes(void)
{
    struct plan pl;
    struct plan_window w;
    int64_t cover = NOW - 1000;
    /* A pass moved aside left [1001, 2000] and [0, 99] uncovered. */
    struct manifest ms[] = {pass(1, "full", 100, 1000, NOW - DAY),
                            pass(3, "full", 2001, cover, NOW - DAY)};
    struct plan_input in = {.passes = ms, .npasses = 2, .now = NOW};
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK(pl.recheck);
    CHECK_INT(pl.n, 2);
    CHECK(plan_pop(&pl, &w));
    CHECK_INT(w.from, 0);
    CHECK_INT(w.to, 99);
    CHECK_STR(w.kind, "recheck");
    CHECK(plan_pop(&pl, &w));
    CHECK_INT(w.from, 1001);
    CHECK_INT(w.to, 2000);
    CHECK(noted(&pl, "no stored pass covers 1001..2000"));
    CHECK(noted(&pl, "no stored pass covers 0..99"));
}

static void test_compaction(void)
{
    struct plan pl;
    struct plan_window w;
    int64_t cover = NOW - 1000, l0 = cover - PLAN_RECHECK_SECONDS;
    struct manifest ms[10];
    /* A full pass to 20 days back, a small pass across the recheck window's
     * start, then eight small passes inside it. */
    ms[0] = pass(1, "full", 0, l0 - 5 * DAY, NOW - DAY);
    ms[1] = pass(2, "new", l0 - 5 * DAY + 1, l0 + DAY, NOW - DAY);
    for (int i = 0; i < 8; i++)
        ms[2 + i] = pass(3 + i, "new", l0 + DAY + 1 + i * DAY,
                         i == 7 ? cover : l0 + DAY + (i + 1) * DAY, NOW - DAY);
    struct plan_input in = {.passes = ms, .npasses = 10, .now = NOW};
    CHECK_INT(plan_start(&in, &pl), 0);
    plan_recheck(&in, &pl, NULL, 0);
    CHECK_INT(pl.count_from, l0);
    CHECK(pl.compact);
    CHECK_INT(pl.recheck_start, l0 - 5 * DAY + 1); /* the straddling pass, whole */
    /* Counts agree, but the small passes are replaced. */
    plan_counted(&pl, 0, NOW);
    CHECK(plan_pop(&pl, &w));
    CHECK_STR(w.kind, "recheck");
    CHECK_INT(w.from, l0 - 5 * DAY + 1);
    CHECK_INT(w.to, NOW);
    CHECK(noted(&pl, "replace the small passes"));

    /* Seven inside: no compaction; a straddling pass older than 30 days back
     * is not reached for. */
    ms[1] = pass(2, "new", cover - 40 * DAY, l0 + DAY, NOW - DAY);
    ms[0] = pass(1, "full", 0, cover - 40 * DAY - 1, NOW - DAY);
    in.npasses = 9;
    CHECK_INT(plan_start(&in, &pl), 0);
    plan_recheck(&in, &pl, NULL, 0);
    CHECK(!pl.compact);
    /* Coverage now ends a week earlier, and so does the count window. */
    CHECK_INT(pl.coverage_end, l0 + 8 * DAY);
    CHECK_INT(pl.count_from, l0 - 7 * DAY);
    CHECK_INT(pl.recheck_start, l0 - 7 * DAY);
}

/* Windows stored while the clock ran ahead are not trusted: the plan starts
 * where the trusted ones end; a read time after now makes a full read due. */
static void test_clock_ahead(void)
{
    struct plan pl;
    struct plan_window w;
    /* full up to 10 days ago, then a "new" pass that claims 20 days ahead */
    struct manifest ms[] = {pass(1, "full", 0, NOW - 10 * DAY, NOW - 10 * DAY),
                            pass(2, "new", NOW - 10 * DAY + 1, NOW + 20 * DAY, NOW - DAY)};
    struct plan_input in = {
        .passes = ms, .npasses = 2, .now = NOW, .full_resync_interval = 30 * DAY};
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK_INT(pl.ahead, 1);
    CHECK(pl.recheck);
    CHECK_INT(pl.coverage_end, NOW - 10 * DAY); /* where the trusted pass ends */
    CHECK(noted(&pl, "after now"));
    CHECK(pl.nnotes >= 1 && pl.notes[0].level == PLAN_WARN);
    plan_recheck(&in, &pl, NULL, 0);
    plan_counted(&pl, 0, NOW);
    CHECK(plan_pop(&pl, &w));
    CHECK_INT(w.from, NOW - 10 * DAY + 1); /* fetched again from there */
    CHECK_INT(w.to, NOW);

    /* Within the slack: trusted. */
    ms[1].window_to = NOW + PLAN_CLOCK_SLACK;
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK_INT(pl.ahead, 0);
    CHECK_INT(pl.coverage_end, NOW + PLAN_CLOCK_SLACK);

    /* Every pass ahead: nothing trusted, a full read. */
    struct manifest all[] = {pass(1, "full", 0, NOW + 300 * DAY, NOW + 300 * DAY)};
    in = (struct plan_input){.passes = all, .npasses = 1, .now = NOW};
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK(!pl.recheck);
    CHECK_INT(pl.n, 2);
    CHECK_INT(pl.w[0].to, NOW);

    /* A window in the past, read "in the future": its age is unknown, so a
     * full read is due (a future time never postpones it). */
    struct manifest late[] = {pass(1, "full", 0, NOW - DAY, NOW + 100 * DAY)};
    in = (struct plan_input){
        .passes = late, .npasses = 1, .now = NOW, .full_resync_interval = 30 * DAY};
    CHECK_INT(plan_start(&in, &pl), 0);
    CHECK(!pl.recheck);
    CHECK(noted(&pl, "its age is unknown"));

    /* Catching up with a server ahead of this clock. */
    memset(&pl, 0, sizeof pl);
    CHECK(plan_catch_up(&pl, NOW - 100, NOW));
    CHECK(plan_pop(&pl, &w));
    CHECK_INT(w.from, NOW - 99);
    CHECK_STR(w.kind, "new");
    CHECK(!plan_catch_up(&pl, NOW, NOW));
}

int main(void)
{
    test_full();
    test_clock_ahead();
    test_recheck();
    test_holes();
    test_compaction();
    TEST_DONE();
}
