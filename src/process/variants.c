/* variants.c: each artist's folded name into artist_folds (process.sql), and
 * with -v the names that differ only by case or diacritics logged as alias
 * lines ready to paste (the view name_variants; nothing is merged here). */
#include "autoconfig.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log.h"
#include "namefold.h"
#include "variants_int.h"

int process_write_folds(sqlite3 *db)
{
    sqlite3_stmt *all, *ins;
    if (sqlite3_prepare_v2(db, "SELECT DISTINCT artist FROM scrobbles", -1, &all, NULL) !=
        SQLITE_OK)
        return -1;
    if (sqlite3_prepare_v2(db, "INSERT INTO artist_folds VALUES (?, ?)", -1, &ins, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(all);
        return -1;
    }
    int rc;
    char *buf = NULL;
    size_t cap = 0;
    while ((rc = sqlite3_step(all)) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(all, 0);
        size_t len = (size_t)sqlite3_column_bytes(all, 0);
        if (2 * len + 1 > cap) {
            char *b = realloc(buf, 2 * len + 1);
            if (!b) {
                rc = SQLITE_NOMEM;
                break;
            }
            buf = b;
            cap = 2 * len + 1;
        }
        size_t n = name_fold(a ? a : "", len, buf, cap);
        sqlite3_bind_text(ins, 1, a ? a : "", (int)len, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, buf, (int)n, SQLITE_STATIC);
        int r = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (r != SQLITE_DONE) {
            rc = r;
            break;
        }
    }
    free(buf);
    sqlite3_finalize(all);
    sqlite3_finalize(ins);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* An alias file's name: quoted when spaces at an end would be trimmed. */
static void name_for_alias(const char *s, char *out, size_t size)
{
    size_t n = strlen(s);
    bool quote = n && (s[0] == ' ' || s[n - 1] == ' ');
    snprintf(out, size, quote ? "\"%s\"" : "%s", s);
}

void process_log_variants(sqlite3 *db)
{
    if (!log_enabled(LOG_LVL_DEBUG))
        return;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT fold, artist, scrobbles FROM name_variants", -1, &st,
                           NULL) != SQLITE_OK)
        return;
    char fold[1100] = "", canonical[1100] = "";
    long groups = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *f = (const char *)sqlite3_column_text(st, 0);
        const char *a = (const char *)sqlite3_column_text(st, 1);
        long n = sqlite3_column_int64(st, 2);
        if (!f || !a)
            continue;
        if (strcmp(f, fold) != 0) { /* a group's first: the most played, the canonical */
            snprintf(fold, sizeof fold, "%s", f);
            name_for_alias(a, canonical, sizeof canonical);
            groups++;
            log_debug("names that differ only by case or accents: '%s' (%ld scrobbles) is the "
                      "most played of them",
                      a, n);
            continue;
        }
        char variant[1100];
        name_for_alias(a, variant, sizeof variant);
        if (strstr(a, " = "))
            log_debug("  '%s' (%ld): holds \" = \", which an alias line cannot name", a, n);
        else
            log_debug("  '%s' (%ld): alias line: %s = %s", a, n, variant, canonical);
    }
    sqlite3_finalize(st);
    if (groups)
        log_debug("%ld group%s of artist names that differ only by case or accents (the view "
                  "name_variants): add the alias lines to LASTFM_ARTIST_ALIASES to merge them",
                  groups, groups == 1 ? "" : "s");
}
