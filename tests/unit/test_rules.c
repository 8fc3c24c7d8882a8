/* The quality rules and sessions, in time order: bad times, double scrobbles
 * within the window, unknown and blank artists, bursts of imports, and a new
 * session after 30 minutes. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "test.h"

/* Rows judged so far, in time order, for rules_bursts() and rules_sessions(). */
#define MAXROWS 256
static int64_t uts_of[MAXROWS];
static unsigned char flags_of[MAXROWS];
static uint32_t order_of[MAXROWS];
static int64_t session_of[MAXROWS];
static size_t nrows;

static int judge(struct rules_state *st, int64_t uts, const char *track, const char *artist,
                 const char *album)
{
    struct rules_row r = {uts, track, artist, album, strlen(track), strlen(artist), strlen(album)};
    int f = rules_next(st, &r);
    uts_of[nrows] = uts;
    flags_of[nrows] = (unsigned char)f;
    order_of[nrows] = (uint32_t)nrows;
    nrows++;
    return f;
}

static void sessions(void) { rules_sessions(uts_of, order_of, flags_of, nrows, session_of); }

static bool unknown(const char *s) { return rules_unknown_artist(s, strlen(s)); }

int main(void)
{
    const int64_t T = 1600000000, BUILT = 1700000000;
    struct rules_state st;
    rules_init(&st, BUILT, 30);

    CHECK_INT(judge(&st, 0, "Imported", "Band", "iTunes"), RULE_BAD_TIME);          /* 0: uts 0 */
    CHECK_INT(judge(&st, RULES_LASTFM_EPOCH - 1, "t", "Band", "a"), RULE_BAD_TIME); /* 1 */
    CHECK_INT(judge(&st, T, "Song", "Band", "Album"), 0);                           /* 2 */
    CHECK_INT(judge(&st, T + 20, "Song", "Band", "Album"), RULE_DUPLICATE);         /* 3 */
    CHECK_INT(judge(&st, T + 20 + 31, "Song", "Band", "Album"), 0);                 /* 4: replay */
    CHECK_INT(judge(&st, T + 60, "Song", "Band", "Other album"), 0);                /* 5 */
    CHECK_INT(judge(&st, T + 100, "x", "[Unknown]", "a"), RULE_UNKNOWN_ARTIST);     /* 6 */
    CHECK_INT(judge(&st, T + 110, "x", "", "a"), RULE_UNKNOWN_ARTIST);              /* 7 */
    CHECK_INT(judge(&st, T + 120, "x", "unknown artist", "a"), RULE_UNKNOWN_ARTIST);
    CHECK_INT(judge(&st, T + 130, "x", "Unknown Artists", "a"), 0); /* 9: real */
    /* 30 minutes exactly: the same session; a second more: a new one.  The gap
     * runs from the last counted row (T + 130). */
    CHECK_INT(judge(&st, T + 130 + RULES_SESSION_GAP, "y", "Band", "a"), 0); /* 10 */
    CHECK_INT(judge(&st, T + 130 + 2 * RULES_SESSION_GAP + 1, "z", "Band", "a"), 0);
    CHECK_INT(judge(&st, BUILT + 1, "future", "Band", "a"), RULE_BAD_TIME); /* 12 */
    rules_bursts(uts_of, order_of, flags_of, nrows, 8); /* none: 4 plays a minute at most */
    sessions();
    CHECK_INT(session_of[0], 0);
    CHECK_INT(session_of[2], 1);
    CHECK_INT(session_of[3], 0);
    CHECK_INT(session_of[4], 1);
    CHECK_INT(session_of[9], 1);
    CHECK_INT(session_of[10], 1);
    CHECK_INT(session_of[11], 2);
    CHECK_INT(session_of[12], 0);
    for (size_t i = 0; i < nrows; i++)
        CHECK(!(flags_of[i] & RULE_BURST));
    rules_free(&st);

    /* Blank names by Unicode: spaces, no-break spaces, ideographic spaces,
     * zero-width characters, alone or around [unknown]; not a real name. */
    CHECK(unknown("\xc2\xa0"));                     /* U+00A0 */
    CHECK(unknown("\xe2\x80\x87"));                 /* U+2007 figure space */
    CHECK(unknown("\xe3\x80\x80"));                 /* U+3000 ideographic space */
    CHECK(unknown(" \t\xe2\x80\x8b\xef\xbb\xbf ")); /* space, tab, U+200B, U+FEFF */
    CHECK(unknown("\xc2\xa0[unknown]\xe3\x80\x80"));
    CHECK(unknown("  Unknown Artist "));
    CHECK(!unknown("\xc2\xa0"
                   "A"));
    CHECK(!unknown("Sigur R\xc3\xb3s"));
    CHECK(!unknown("\xe3\x80\x80\xe5\xae\x87\xe5\xa4\x9a\xe7\x94\xb0")); /* U+3000 + 宇多田 */
    CHECK(!unknown("\xc2")); /* not UTF-8: a name, not trimmed */

    /* The same track twice, but another album: counted; a window of 0: the
     * same second only. */
    nrows = 0;
    rules_init(&st, BUILT, 0);
    CHECK_INT(judge(&st, T, "s", "b", "a"), 0);
    CHECK_INT(judge(&st, T, "s", "b", "a"), RULE_DUPLICATE);
    CHECK_INT(judge(&st, T + 1, "s", "b", "a"), 0);
    rules_free(&st);

    /* Bursts: 12 imported plays in 40 s amid ordinary listening (one every
     * 15 s: 8 in 119 s, not a burst at the limit 8).  A double scrobble makes
     * no play; the rows of the burst are flagged, the ones around it not. */
    nrows = 0;
    rules_init(&st, BUILT, 30);
    char track[32];
    for (int i = 0; i < 8; i++) { /* 0..7: T .. T+105, every 15 s */
        snprintf(track, sizeof track, "steady %d", i);
        CHECK_INT(judge(&st, T + 15 * i, track, "Band", "a"), 0);
    }
    CHECK_INT(judge(&st, T + 105, "steady 7", "Band", "a"), RULE_DUPLICATE); /* 8: no play */
    for (int i = 0; i < 12; i++) { /* 9..20: T+1500 .. T+1540 */
        snprintf(track, sizeof track, "import %d", i);
        CHECK_INT(judge(&st, T + 1500 + (i * 40) / 11, track, "Band", "a"), 0);
    }
    CHECK_INT(judge(&st, T + 1940, "after", "Band", "a"), 0); /* 21: 400 s after */
    rules_bursts(uts_of, order_of, flags_of, nrows, 8);
    for (int i = 0; i <= 8; i++)
        CHECK(!(flags_of[i] & RULE_BURST));
    for (int i = 9; i <= 20; i++)
        CHECK_INT(flags_of[i], RULE_BURST);
    CHECK_INT(flags_of[21], 0);
    sessions();
    CHECK_INT(session_of[9], 0);  /* not counted: no session */
    CHECK_INT(session_of[21], 2); /* 1835 s after the steady ones: the burst is no bridge */
    /* the limit is a count: 12 plays are no burst at 12, and 0 turns the rule off */
    for (size_t i = 0; i < nrows; i++)
        flags_of[i] &= (unsigned char)~RULE_BURST;
    rules_bursts(uts_of, order_of, flags_of, nrows, 12);
    rules_bursts(uts_of, order_of, flags_of, nrows, 0);
    for (size_t i = 0; i < nrows; i++)
        CHECK(!(flags_of[i] & RULE_BURST));
    rules_bursts(uts_of, order_of, flags_of, nrows, 11);
    CHECK_INT(flags_of[9], RULE_BURST);
    rules_free(&st);

    /* Any 60 s holds at most `limit` counted rows: 66 plays stamped in one
     * minute (an import), then 5 in the next. */
    nrows = 0;
    rules_init(&st, BUILT, 30);
    for (int i = 0; i < 71; i++) {
        snprintf(track, sizeof track, "t%d", i);
        judge(&st, T + (i < 66 ? i % 60 : 61 + i - 66), track, "Band", "a");
    }
    /* judge() was given them out of order for the first 66: sort */
    uint32_t *order = rules_time_order(uts_of, nrows);
    CHECK(order != NULL);
    if (order) {
        memcpy(order_of, order, nrows * sizeof *order);
        free(order);
    }
    rules_bursts(uts_of, order_of, flags_of, nrows, 8);
    long counted_in_minute = 0;
    for (size_t i = 0; i < nrows; i++)
        counted_in_minute += !(flags_of[i] & RULE_BURST) && uts_of[i] < T + 60;
    CHECK_INT(counted_in_minute, 0);
    rules_free(&st);

    /* Time order from CSV order (newest first): ties in reverse CSV order. */
    int64_t uts[] = {300, 200, 200, 100};
    order = rules_time_order(uts, 4);
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
