/* rules_int.h: the quality rules and the sessions of the processed stage, pure.
 *
 * Rows are fed in time order (uts ascending; within one second the CSV's
 * order reversed, i.e. the API's order read oldest first).  The same
 * definitions are written in SQL as the view `rules` in process.sql; the
 * tests check that both agree.
 *
 *   bad_time        uts before 2002-10-01 (Last.fm did not exist; 0 is 1970)
 *                   or after the time the database is built
 *   duplicate       the same track, artist and album as the row just before in
 *                   time, at most `window` seconds earlier (double scrobblers)
 *   unknown_artist  artist "", "[unknown]" or "Unknown Artist" (ASCII case
 *                   ignored), once blanks are trimmed from both ends: Unicode's
 *                   spaces (U+0020, U+00A0, U+2000..U+200A, U+3000, ...), the
 *                   controls U+0009..U+000D and the invisible U+200B, U+2060,
 *                   U+FEFF, so a name of only those is unknown too
 *   burst           more than `burst_limit` scrobbles (this one included; not
 *                   counting bad_time or duplicate rows) within 59 s either
 *                   side of it: more than one player makes (Last.fm scrobbles a
 *                   track after 30 s at the least), an import or a bulk
 *                   submission.  So no 60 s, and no clock minute, holds more
 *                   than burst_limit counted rows.  0: the rule is off.
 *   excluded        (set by process.c, not here: the exclude file, LASTFM_EXCLUDE)
 *   counted         none of the above
 *   session         counted rows, numbered from 1; a new session starts after
 *                   more than 30 minutes without a counted row
 *
 * rules_next() judges one row at a time (bad_time, duplicate, unknown_artist);
 * rules_bursts() and rules_sessions() then go over all rows in time order.
 */
#ifndef LASTFM_RULES_H
#define LASTFM_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"

#define RULES_LASTFM_EPOCH INT64_C(1033430400) /* 2002-10-01T00:00:00Z */
#define RULES_SESSION_GAP 1800                 /* seconds */
#define RULES_BURST_REACH 59                   /* seconds either side */

enum rule_flag {
    RULE_BAD_TIME = 1,
    RULE_DUPLICATE = 2,
    RULE_UNKNOWN_ARTIST = 4,
    RULE_BURST = 8,
    RULE_EXCLUDED = 16, /* not a quality rule: the exclude file (process.c) */
};

/* One row as the rules see it (names need not be NUL-terminated). */
struct rules_row {
    int64_t uts;
    const char *track, *artist, *album;
    size_t track_len, artist_len, album_len;
};

struct rules_state {
    int64_t built_at; /* the build time: later is bad_time */
    long window;      /* duplicate window, seconds (0: the same second only) */
    bool have_prev;   /* the row before in time ... */
    int64_t prev_uts;
    struct csv_buf prev_names; /* ... its track, artist and album, length-prefixed */
    struct csv_buf cur_names;  /* the same of the row being judged */
};

void rules_init(struct rules_state *st, int64_t built_at, long window);
void rules_free(struct rules_state *st);

/* The flags of the next row in time order (a RULE_* mask of bad_time,
 * duplicate and unknown_artist).  -1 on allocation failure. */
int rules_next(struct rules_state *st, const struct rules_row *row);

/* Is this name blank after trimming (see unknown_artist)?  For the tests. */
bool rules_unknown_artist(const char *s, size_t n);

/* Rows 0..n-1 with their times `uts` and flags, visited in time order
 * (`order`, from rules_time_order()): RULE_BURST added to the rows of a
 * burst (limit 0: none). */
void rules_bursts(const int64_t *uts, const uint32_t *order, unsigned char *flags, size_t n,
                  long limit);

/* ... then each row's session id (0 when the row is not counted). */
void rules_sessions(const int64_t *uts, const uint32_t *order, const unsigned char *flags, size_t n,
                    int64_t *session);

/* Indices 0..n-1 of rows given in CSV order (`uts` per row), in time order:
 * uts ascending, ties in reverse CSV order.  malloc'd; NULL on ENOMEM. */
uint32_t *rules_time_order(const int64_t *uts, size_t n);

#endif
