/* test_tagplan.c: which artists a tag run asks about: every one without an
 * answer, in name order, then at most `max_refresh` stale answers, oldest
 * first (tagplan_int.h). */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "tagplan_int.h"
#include "test.h"

static void test_plan(void)
{
    char bjork[] = "Björk", abba[] = "ABBA", sigur[] = "Sigur Rós", can[] = "Can", air[] = "Air",
         gone[] = "Gone";
    char *artists[] = {bjork, abba, sigur, can, air};
    /* Stored: ABBA fresh, Can 400 days old, Air 300 days old, Gone (not in
     * the CSV any more) 900 days old. */
    int64_t now = 1800000000, day = 86400;
    struct tag_meta stored[] = {
        {.artist = abba, .fetched_at = now - 10 * day},
        {.artist = can, .fetched_at = now - 400 * day},
        {.artist = air, .fetched_at = now - 300 * day},
        {.artist = gone, .fetched_at = now - 900 * day},
    };
    struct tag_want *w;
    size_t n;
    CHECK_INT(tagplan_make(artists, 5, stored, 4, now, 180 * day, 100, &w, &n), 0);
    CHECK_INT(n, 4);
    CHECK_STR(w[0].artist, "Björk");
    CHECK_STR(w[1].artist, "Sigur Rós");
    CHECK(!w[0].refresh && !w[1].refresh);
    CHECK_STR(w[2].artist, "Can"); /* the oldest first */
    CHECK_STR(w[3].artist, "Air");
    CHECK(w[2].refresh && w[3].refresh);
    /* The caller's strings (the plan outlives no list but the caller's). */
    CHECK(w[2].artist == can);
    free(w);
    /* Bounded: one refresh only; none with refresh 0. */
    CHECK_INT(tagplan_make(artists, 5, stored, 4, now, 180 * day, 1, &w, &n), 0);
    CHECK_INT(n, 3);
    CHECK_STR(w[2].artist, "Can");
    free(w);
    CHECK_INT(tagplan_make(artists, 5, stored, 4, now, 0, 100, &w, &n), 0);
    CHECK_INT(n, 2);
    free(w);
    /* All fresh: nothing. */
    CHECK_INT(tagplan_make(artists, 1, stored, 1, now, 180 * day, 100, &w, &n), 0);
    CHECK_INT(n, 1); /* "Björk" has no answer */
    free(w);
    char *one[] = {abba};
    CHECK_INT(tagplan_make(one, 1, stored, 4, now, 180 * day, 100, &w, &n), 0);
    CHECK_INT(n, 0);
    CHECK(w == NULL);
    /* No artists, no answers. */
    CHECK_INT(tagplan_make(NULL, 0, NULL, 0, now, 180 * day, 100, &w, &n), 0);
    CHECK_INT(n, 0);
}

int main(void)
{
    test_plan();
    TEST_DONE();
}
