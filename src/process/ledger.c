/* ledger.c: the quality ledger of the processed stage: each rule, the rows
 * it flags, and a few of them, written to the `quality` table. */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "ledger_int.h"

void ledger_add(struct ledger *lg, int rule, const struct csv_field *f, const char *canonical)
{
    lg->rows[rule]++;
    if (rule == L_COUNTED || lg->nexamples[rule] == LEDGER_EXAMPLES)
        return;
    struct csv_buf *b = &lg->examples[rule];
    char line[512];
    if (rule == L_ALIAS) {
        /* one example per variant */
        snprintf(line, sizeof line, "%.*s -> %s", (int)f[2].len, f[2].ptr, canonical);
        if (b->len && memmem(b->data, b->len, line, strlen(line)))
            return;
    } else {
        snprintf(line, sizeof line, "%.*s  %.*s - %.*s", (int)f[0].len, f[0].ptr,
                 (int)(f[2].len > 200 ? 200 : f[2].len), f[2].ptr,
                 (int)(f[1].len > 200 ? 200 : f[1].len), f[1].ptr);
    }
    if (b->len)
        csv_append_raw(b, "\n", 1);
    csv_append_raw(b, line, strlen(line));
    lg->nexamples[rule]++;
}

int ledger_write(sqlite3 *db, struct ledger *lg, long window, long burst_limit)
{
    char dup[160], burst[320];
    snprintf(dup, sizeof dup,
             "the same track, artist and album as the scrobble before, "
             "within %ld s (double scrobbling)",
             window);
    if (burst_limit > 0)
        snprintf(burst, sizeof burst,
                 "one of more than %ld scrobbles within 59 s either side "
                 "(not counting bad_time or duplicate rows): more than one player makes (at "
                 "most about 4 a minute), an import or a bulk submission",
                 burst_limit);
    else
        snprintf(burst, sizeof burst, "off (LASTFM_BURST_LIMIT=0): no row is flagged");
    const char *const what[L_COUNT][2] = {
        [L_BAD_TIME] = {"bad_time", "played before 2002-10-01 (Last.fm did not exist; uts 0 "
                                    "is 1970-01-01) or after the database was built"},
        [L_DUPLICATE] = {"duplicate", dup},
        [L_UNKNOWN] = {"unknown_artist", "artist empty, blank (only spaces such as U+00A0, "
                                         "U+2007, U+3000, or invisible characters), [unknown] "
                                         "or Unknown Artist (any case, blanks trimmed)"},
        [L_BURST] = {"burst", burst},
        [L_EXCLUDED] = {"excluded", "set aside by the exclude file (LASTFM_EXCLUDE; its rules "
                                    "and their rows: the excludes table): kept, not counted"},
        [L_ALIAS] = {"artist_alias", "artist renamed by the alias file (artist_name keeps the "
                                     "API's name; not a flag: the row is counted)"},
        [L_COUNTED] = {"counted", "rows no rule flags: what every view counts"},
    };
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO quality VALUES (?, ?, ?, ?)", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    int rc = SQLITE_DONE;
    for (int i = 0; i < L_COUNT && rc == SQLITE_DONE; i++) {
        sqlite3_bind_text(st, 1, what[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, what[i][1], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, lg->rows[i]);
        sqlite3_bind_text(st, 4, lg->examples[i].data ? lg->examples[i].data : "",
                          (int)lg->examples[i].len, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

void ledger_free(struct ledger *lg)
{
    for (int i = 0; i < L_COUNT; i++)
        csv_buf_free(&lg->examples[i]);
}
