/* report_sql.c: the report's helpers over SQLite: the named statements of
 * report.sql, run a query row by row (a row function's failure stops it), run
 * statements, the rows of counts and of top lists, and a name column cut as
 * the report shows names. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "exitcodes.h"
#include "grow.h"
#include "log.h"
#include "monoclock.h"
#include "report_int.h"
#include "report_sql.h" /* report_sql_text[]: src/report/report.sql */

/* report.sql writes these numbers out */
_Static_assert(REPORT_NAME_MAX == 1024, "report.sql cuts names at 1024 bytes");
_Static_assert(REPORT_TOP == 10 && REPORT_TOP_YEAR == 5, "report.sql's top_*, year_top_*");
_Static_assert(REPORT_ARTIST_PAGES_MAX == 5000, "report.sql's artist_links");

int report_sql_rc(int rc)
{
    return rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
           : rc == SQLITE_NOMEM                                     ? -ENOMEM
                                                                    : -1;
}

int report_sql_fail(int rc) { return rc == SQLITE_NOMEM ? -ENOMEM : -1; }

bool report_sql_oom(sqlite3 *db) { return db && sqlite3_errcode(db) == SQLITE_NOMEM; }

int report_failed(sqlite3 *db, const char *db_path, const char *doing, int rc)
{
    int err = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
    if (rc == -ENOMEM || report_sql_oom(db)) {
        log_err("%s: out of memory %s: the previous report is kept; free memory and run again",
                db_path, doing);
        return EXIT_TEMPFAIL;
    }
    /* Another program's session holding a lock is no damage: try again later. */
    if (err == SQLITE_BUSY || err == SQLITE_LOCKED) {
        log_err("%s: %s: another program's session holds it locked (a write transaction): "
                "close it (read with sqlite3 -readonly) and run again",
                db_path, sqlite3_errmsg(db));
        return EXIT_TEMPFAIL;
    }
    log_err("%s: %s: not a database lastfm-process built (or damaged): run lastfm-process", db_path,
            sqlite3_errmsg(db));
    return EXIT_DATAERR;
}

const char *report_sql_find(const char *text, const char *name, size_t *ret_len)
{
    static const char mark[] = "-- name: ";
    size_t nlen = strlen(name);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, mark, sizeof mark - 1) != 0)
            continue;
        const char *n = p + sizeof mark - 1;
        if (strncmp(n, name, nlen) != 0 || (n[nlen] != '\n' && n[nlen] != '\0'))
            continue;
        const char *body = n[nlen] ? n + nlen + 1 : n + nlen;
        const char *end = strstr(body, "\n-- name: ");
        *ret_len = end ? (size_t)(end - body) + 1 : strlen(body);
        return body;
    }
    return NULL;
}

int report_stmt(sqlite3 *db, const char *name, sqlite3_stmt **ret)
{
    size_t len;
    const char *sql = report_sql_find(report_sql_text, name, &len);
    *ret = NULL;
    if (!sql) {
        log_err("report.sql has no statement named %s", name);
        return -1;
    }
    return report_sql_rc(sqlite3_prepare_v2(db, sql, (int)len, ret, NULL));
}

int report_exec_named(sqlite3 *db, const char *name)
{
    size_t len;
    const char *sql = report_sql_find(report_sql_text, name, &len);
    if (!sql) {
        log_err("report.sql has no statement named %s", name);
        return -1;
    }
    char *text = strndup(sql, len);
    if (!text)
        return -ENOMEM;
    int rc = report_exec_sql(db, text);
    free(text);
    return rc;
}

char *report_name_dup(const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    if (n <= REPORT_NAME_MAX)
        return strdup(s);
    /* Cut at a character's start, then "…" (3 bytes). */
    size_t cut = REPORT_NAME_MAX;
    while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
        cut--;
    char *out = malloc(cut + 4);
    if (out) {
        memcpy(out, s, cut);
        memcpy(out + cut, "\xe2\x80\xa6", 4);
    }
    return out;
}

/* A name from the database, at most REPORT_NAME_MAX bytes of it. */
char *report_column_name(sqlite3_stmt *st, int col)
{
    return report_name_dup((const char *)sqlite3_column_text(st, col));
}

/* Run report.sql's statement `name`, calling fn for every row.  -1 on an
 * SQL error (logged by caller), or what fn returned when it stopped. */
int report_each_row(sqlite3 *db, const char *name, report_row_fn fn, void *opaque)
{
    sqlite3_stmt *st;
    double t0 = mono_now();
    int rc = report_stmt(db, name, &st), r = 0;
    if (rc < 0)
        return rc;
    while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        r = fn(st, opaque);
    sqlite3_finalize(st);
    log_debug("%.3f s: %s", mono_now() - t0, name);
    return r < 0 ? r : rc == SQLITE_DONE ? 0 : report_sql_fail(rc);
}

/* A name column copied: -ENOMEM when it held text and the copy failed. */
int report_copied(const void *copy, sqlite3_stmt *st, int col)
{
    return copy || sqlite3_column_type(st, col) == SQLITE_NULL ? 0 : -ENOMEM;
}

int report_on_top(sqlite3_stmt *st, void *opaque)
{
    struct report_top_ctx *c = opaque;
    c->rows++;
    if (*c->n >= c->max)
        return 0;
    struct named_count *e = &c->list[(*c->n)++];
    int at = c->with_artist ? 2 : 1; /* n, then its rank */
    *e = (struct named_count){report_column_name(st, 0),
                              c->with_artist ? report_column_name(st, 1) : NULL,
                              sqlite3_column_int64(st, at), sqlite3_column_int64(st, at + 1)};
    return report_copied(e->name, st, 0) || (c->with_artist && report_copied(e->artist, st, 1))
               ? -ENOMEM
               : 0;
}

int report_read_days(sqlite3_stmt *st, struct day_count **v, long *n, size_t *cap)
{
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow(v, cap, (size_t)*n + 1, sizeof **v, 0) < 0)
            return -ENOMEM;
        struct day_count *d = &(*v)[(*n)++];
        snprintf(d->date, sizeof d->date, "%s", (const char *)sqlite3_column_text(st, 0));
        d->n = sqlite3_column_int64(st, 1);
    }
    return rc == SQLITE_DONE ? 0 : report_sql_fail(rc);
}

int report_read_punch(sqlite3_stmt *st, long p[7][24])
{
    int rc;
    memset(p, 0, 7 * sizeof *p);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int d = sqlite3_column_int(st, 0), h = sqlite3_column_int(st, 1);
        if (d >= 1 && d <= 7 && h >= 0 && h <= 23)
            p[d - 1][h] += sqlite3_column_int64(st, 2);
    }
    return rc == SQLITE_DONE ? 0 : report_sql_fail(rc);
}

int report_on_count(sqlite3_stmt *st, void *opaque)
{
    long *v = opaque;
    for (int i = 0; i < sqlite3_column_count(st); i++)
        v[i] = sqlite3_column_int64(st, i);
    return 0;
}

int report_exec_sql(sqlite3 *db, const char *sql)
{
    double t0 = mono_now();
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    log_debug("%.3f s: %.70s", mono_now() - t0, sql);
    return report_sql_rc(rc);
}
