/* The quality rules and sessions, in time order: bad times, double scrobbles
 * within the window, unknown artists, and a new session after 30 minutes. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "test.h"

static struct rules_row row(int64_t uts, const char *track, const char *artist, const char *album)
{
    return (struct rules_row){uts, track, artist, album, strlen(track), strlen(artist),
                              strlen(album)};
}

int main(void)
{
    const int64_t T = 1600000000, BUILT = 1700000000;
    struct rules_state st;
    int64_t session;
    rules_init(&st, BUILT, 30);

    struct rules_row r = row(0, "Imported", "Band", "iTunes");
    CHECK_INT(rules_next(&st, &r, &session), RULE_BAD_TIME);            /* uts 0 */
    CHECK_INT(session, 0);
    r = row(RULES_LASTFM_EPOCH - 1, "t", "Band", "a");
    CHECK_INT(rules_next(&st, &r, &session), RULE_BAD_TIME);            /* before Last.fm */
    r = row(T, "Song", "Band", "Album");
    CHECK_INT(rules_next(&st, &r, &session), 0);                        /* counted */
    CHECK_INT(session, 1);
    r = row(T + 20, "Song", "Band", "Album");
    CHECK_INT(rules_next(&st, &r, &session), RULE_DUPLICATE);           /* 20 s later: double */
    CHECK_INT(session, 0);
    r = row(T + 20 + 31, "Song", "Band", "Album");
    CHECK_INT(rules_next(&st, &r, &session), 0);                        /* 31 s later: a replay */
    CHECK_INT(session, 1);
    r = row(T + 60, "Song", "Band", "Other album");
    CHECK_INT(rules_next(&st, &r, &session), 0);                        /* another album */
    r = row(T + 100, "x", "[Unknown]", "a");
    CHECK_INT(rules_next(&st, &r, &session), RULE_UNKNOWN_ARTIST);      /* case ignored */
    r = row(T + 110, "x", "", "a");
    CHECK_INT(rules_next(&st, &r, &session), RULE_UNKNOWN_ARTIST);
    r = row(T + 120, "x", "unknown artist", "a");
    CHECK_INT(rules_next(&st, &r, &session), RULE_UNKNOWN_ARTIST);
    r = row(T + 130, "x", "Unknown Artists", "a");
    CHECK_INT(rules_next(&st, &r, &session), 0);                        /* a real name */
    CHECK_INT(session, 1);
    /* 30 minutes exactly: the same session; a second more: a new one.  The gap
     * runs from the last counted row (T + 130). */
    r = row(T + 130 + RULES_SESSION_GAP, "y", "Band", "a");
    CHECK_INT(rules_next(&st, &r, &session), 0);
    CHECK_INT(session, 1);
    r = row(T + 130 + 2 * RULES_SESSION_GAP + 1, "z", "Band", "a");
    CHECK_INT(rules_next(&st, &r, &session), 0);
    CHECK_INT(session, 2);
    r = row(BUILT + 1, "future", "Band", "a");
    CHECK_INT(rules_next(&st, &r, &session), RULE_BAD_TIME);            /* after the build */
    rules_free(&st);

    /* A window of 0: the same second only. */
    rules_init(&st, BUILT, 0);
    r = row(T, "s", "b", "a");
    CHECK_INT(rules_next(&st, &r, &session), 0);
    r = row(T, "s", "b", "a");
    CHECK_INT(rules_next(&st, &r, &session), RULE_DUPLICATE);
    r = row(T + 1, "s", "b", "a");
    CHECK_INT(rules_next(&st, &r, &session), 0);
    rules_free(&st);

    /* Time order from CSV order (newest first): ties in reverse CSV order. */
    int64_t uts[] = {300, 200, 200, 100};
    uint32_t *order = rules_time_order(uts, 4);
    CHECK(order != NULL);
    if (order) {
        CHECK_INT(order[0], 3);
        CHECK_INT(order[1], 2);
        CHECK_INT(order[2], 1);
        CHECK_INT(order[3], 0);
    }
    free(order);
    TEST_DONE();
}
