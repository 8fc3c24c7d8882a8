/* report.c: the report's numbers, read from the processed database. */
#include "autoconfig.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "exitcodes.h"
#include "grow.h"
#include "log.h"
#include "monoclock.h"
#include "report_int.h"
#include "store.h"

const char *const report_weekday[8] = {"",         "Monday", "Tuesday",  "Wednesday",
                                       "Thursday", "Friday", "Saturday", "Sunday"};

static char *dup_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return strdup(t ? (const char *)t : "");
}

/* Is the report's (cut) name `shown` the database's name `full`? */
static bool same_name(const char *full, const char *shown)
{
    if (strlen(full) <= REPORT_NAME_MAX)
        return strcmp(full, shown) == 0;
    char *cut = report_name_dup(full);
    bool same = cut && strcmp(cut, shown) == 0;
    free(cut);
    return same;
}

/* ---- the rows of each query ---- */

static int on_meta(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    const char *k = (const char *)sqlite3_column_text(st, 0);
    char **slot = !k                               ? NULL
                  : strcmp(k, "input_sha256") == 0 ? &r->input_sha256
                  : strcmp(k, "timezone") == 0     ? &r->timezone
                  : strcmp(k, "zones_used") == 0   ? &r->zones_used
                  : strcmp(k, "built_at_utc") == 0 ? &r->built_at_utc
                  : strcmp(k, "program") == 0      ? &r->program
                  : strcmp(k, "username") == 0     ? &r->username
                                                   : NULL;
    if (slot) {
        free(*slot);
        *slot = dup_text(st, 1);
        return report_copied(*slot, st, 1);
    }
    if (k && strcmp(k, "input_rows") == 0)
        r->input_rows = sqlite3_column_int64(st, 1);
    if (k && strcmp(k, "schema_version") == 0)
        snprintf(r->schema, sizeof r->schema, "%s", (const char *)sqlite3_column_text(st, 1));
    return 0;
}

static int on_quality(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    if (grow(&r->quality, &r->cap_quality, (size_t)r->nquality + 1, sizeof *r->quality, 0) < 0)
        return -ENOMEM;
    struct quality_line *q = &r->quality[r->nquality++];
    *q = (struct quality_line){dup_text(st, 0), dup_text(st, 1), sqlite3_column_int64(st, 2)};
    return report_copied(q->rule, st, 0) || report_copied(q->description, st, 1) ? -ENOMEM : 0;
}

static int on_exclude(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    if (grow(&r->excludes, &r->cap_excludes, (size_t)r->nexcludes + 1, sizeof *r->excludes, 0) < 0)
        return -ENOMEM;
    struct quality_line *q = &r->excludes[r->nexcludes++];
    *q = (struct quality_line){dup_text(st, 0), dup_text(st, 1), sqlite3_column_int64(st, 2)};
    return report_copied(q->rule, st, 0) || report_copied(q->description, st, 1) ? -ENOMEM : 0;
}

static int on_day(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    if (grow(&r->days, &r->cap_days, (size_t)r->ndays + 1, sizeof *r->days, 0) < 0)
        return -ENOMEM;
    struct day_count *d = &r->days[r->ndays++];
    snprintf(d->date, sizeof d->date, "%s", (const char *)sqlite3_column_text(st, 0));
    d->n = sqlite3_column_int64(st, 1);
    return 0;
}

static int on_month(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    if (grow(&r->months, &r->cap_months, (size_t)r->nmonths + 1, sizeof *r->months, 0) < 0)
        return -ENOMEM;
    struct month_count *m = &r->months[r->nmonths++];
    snprintf(m->month, sizeof m->month, "%s", (const char *)sqlite3_column_text(st, 0));
    m->n = sqlite3_column_int64(st, 1);
    m->new_artists = sqlite3_column_int64(st, 2);
    return 0;
}

static int on_year(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    if (grow(&r->years, &r->cap_years, (size_t)r->nyears + 1, sizeof *r->years, 0) < 0)
        return -ENOMEM;
    struct year_stat *y = &r->years[r->nyears++];
    memset(y, 0, sizeof *y);
    y->year = sqlite3_column_int(st, 0);
    y->scrobbles = sqlite3_column_int64(st, 1);
    y->active_days = sqlite3_column_int64(st, 2);
    y->artists = sqlite3_column_int64(st, 3);
    y->new_artists = sqlite3_column_int64(st, 4);
    y->top_artist = report_column_name(st, 5);
    return report_copied(y->top_artist, st, 5);
}

/* (year, artist, n) ordered by year, n desc: the year's top artists, its
 * concentration and diversity, and the ranks of the bump chart's artists. */
struct by_year_ctx {
    struct report *r;
    int year;
    long rank; /* rank of the row within its year */
    long top10;
    double n_ln_n; /* sum of n ln n, for the entropy */
};

static void finish_year(struct by_year_ctx *c)
{
    struct year_stat *y = report_year_of(c->r, c->year);
    if (!y || y->scrobbles <= 0)
        return;
    double total = (double)y->scrobbles;
    y->top10_share = (double)c->top10 / total;
    /* H = ln N - (1/N) sum n ln n; effective number = exp(H) */
    y->effective_artists = exp(log(total) - c->n_ln_n / total);
}

static int on_year_artist(sqlite3_stmt *st, void *opaque)
{
    struct by_year_ctx *c = opaque;
    int year = sqlite3_column_int(st, 0);
    if (year != c->year) {
        finish_year(c);
        c->year = year;
        c->rank = 0;
        c->top10 = 0;
        c->n_ln_n = 0;
    }
    long n = sqlite3_column_int64(st, 2), k = sqlite3_column_int64(st, 3);
    const char *artist = (const char *)sqlite3_column_text(st, 1);
    c->rank++; /* the position: the ten most played make the top-10 share */
    if (c->rank <= 10)
        c->top10 += n;
    c->n_ln_n += (double)n * log((double)n);
    struct year_stat *y = report_year_of(c->r, year);
    if (!y)
        return 0;
    if (y->ntop_artists < REPORT_TOP_YEAR) {
        char *name = report_name_dup(artist);
        y->top_artists[y->ntop_artists++] = (struct named_count){name, NULL, n, k};
        if (report_copied(name, st, 1) < 0)
            return -ENOMEM;
    }
    for (int i = 0; i < c->r->nbump; i++)
        if (artist && same_name(artist, c->r->bump_artists[i])) {
            y->bump_rank[i] = (int)k;
            y->bump_n[i] = n;
        }
    return 0;
}

static int on_new_share(sqlite3_stmt *st, void *opaque)
{
    struct year_stat *y = report_year_of(opaque, sqlite3_column_int(st, 0));
    if (y)
        y->new_artist_scrobbles = sqlite3_column_int64(st, 1);
    return 0;
}

static int on_punch(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    int wd = sqlite3_column_int(st, 1), hr = sqlite3_column_int(st, 2);
    long n = sqlite3_column_int64(st, 3);
    if (wd < 1 || wd > 7 || hr < 0 || hr > 23)
        return 0;
    r->local_punch[wd - 1][hr] += n;
    struct year_stat *y = report_year_of(r, sqlite3_column_int(st, 0));
    if (y)
        y->punch[wd - 1][hr] += n;
    int uwd = sqlite3_column_int(st, 4), uhr = sqlite3_column_int(st, 5);
    if (uwd >= 1 && uwd <= 7 && uhr >= 0 && uhr <= 23)
        r->utc_punch[uwd - 1][uhr] += n;
    return 0;
}

static int on_bump(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    if (r->nbump >= REPORT_BUMP)
        return 0;
    r->bump_artists[r->nbump++] = report_column_name(st, 0);
    return report_copied(r->bump_artists[r->nbump - 1], st, 0);
}

/* The database, opened read-only, or an exit code (logged). */
static int open_db(const char *db_path, sqlite3 **ret)
{
    struct stat st;
    if (lstat(db_path, &st) < 0 || access(db_path, R_OK) < 0) {
        log_err("%s: %s: run lastfm-process (or lastfm-syncd) first", db_path, strerror(errno));
        return errno == ENOENT ? EXIT_NOINPUT : EXIT_DATAERR;
    }
    if (!S_ISREG(st.st_mode)) { /* a named pipe would hang SQLite's open */
        log_err("%s: not a regular file: remove it, then run lastfm-process (or lastfm-syncd) "
                "to build the database again",
                db_path);
        return EXIT_DATAERR;
    }
    if (sqlite3_open_v2(db_path, ret, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        bool oom = !*ret || report_sql_oom(*ret);
        if (oom)
            log_err("%s: out of memory opening it: free memory and run again", db_path);
        else
            log_err("%s: cannot open: %s", db_path, sqlite3_errmsg(*ret));
        sqlite3_close(*ret);
        return oom ? EXIT_TEMPFAIL : EXIT_DATAERR;
    }
    return 0;
}

/* What the index reads first: meta, the ledger, the days, the shared
 * group-bys, the years and the months.  -ENOMEM, or -1 on an SQL error. */
static int load_base(sqlite3 *db, struct report *r)
{
    /* "setup" makes every temp table of the report, once */
    int rc;
    if ((rc = report_exec_named(db, "open")) || (rc = report_each_row(db, "meta", on_meta, r)))
        return rc;
    if (strcmp(r->schema, STORE_DB_SCHEMA) != 0)
        return -EPROTO; /* another version's database: said by report_load() */
    if ((rc = report_each_row(db, "quality", on_quality, r)) ||
        (rc = report_each_row(db, "excludes", on_exclude, r)) ||
        (rc = report_each_row(db, "days", on_day, r)) || (rc = report_exec_named(db, "setup")) ||
        (rc = report_each_row(db, "index_years", on_year, r)) ||
        (rc = report_each_row(db, "index_months", on_month, r)))
        return rc;
    return 0;
}

/* The artists: the top ten, their count, the heatmap's artists and each
 * year's ranks, the share of new artists; each year's hours. */
static int load_artists(sqlite3 *db, struct report *r)
{
    struct by_year_ctx yc = {.r = r, .year = INT32_MIN};
    struct report_top_ctx ta = {r->top_artists, &r->ntop_artists, REPORT_TOP, 0, false};
    long artists = 0;
    int rc; /* the top ten by a bounded sort; the count of artists apart */
    (void)((rc = report_each_row(db, "top_artists", report_on_top, &ta)) ||
           (rc = report_each_row(db, "count_artists", report_on_count, &artists)) ||
           /* the heatmap's artists before the per-year ranks */
           (rc = report_each_row(db, "bump_artists", on_bump, r)) ||
           (rc = report_each_row(db, "year_artist_all", on_year_artist, &yc)) ||
           (rc = report_each_row(db, "new_share", on_new_share, r)) ||
           (rc = report_each_row(db, "punch", on_punch, r)));
    finish_year(&yc);
    r->artists = artists;
    return rc;
}

/* SQLITE_TRACE_PROFILE: one run of a statement ended; keep the heaviest. */
static int on_profile(unsigned what, void *opaque, void *p, void *x)
{
    struct report_heaviest *h = opaque;
    sqlite3_stmt *st = p;
    long long steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1);
    h->total += steps;
    if (what == SQLITE_TRACE_PROFILE && steps > h->steps) {
        const char *sql = sqlite3_sql(st);
        h->steps = steps;
        h->seconds = (double)*(sqlite3_int64 *)x / 1e9;
        snprintf(h->sql, sizeof h->sql, "%s", sql ? sql : "?");
    }
    return 0;
}

int report_load(const char *db_path, struct report *r, sqlite3 **ret_db)
{
    memset(r, 0, sizeof *r);
    sqlite3 *db;
    int code = open_db(db_path, &db);
    if (code)
        return code;
    /* The work of each statement, counted in steps rather than time: a plan
     * that reads a table once for each row of another shows at any size. */
    if (log_enabled(LOG_LVL_DEBUG))
        sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, on_profile, &r->heaviest);
    /* Each step and what it fills, in this order (the artists' ranks need the
     * years; the biggest months the months). */
    int rc;
    (void)((rc = load_base(db, r)) || (rc = load_artists(db, r)) ||
           (rc = report_load_tops(db, r)) || (rc = report_load_genres(db, r)));
    if (rc == -EPROTO) {
        log_err("%s: built by another version of lastfm-process (its schema %s, this "
                "lastfm-report reads %s): run lastfm-process to build it again",
                db_path, r->schema[0] ? r->schema : "unknown", STORE_DB_SCHEMA);
        sqlite3_close(db);
        return EXIT_DATAERR;
    }
    code = rc ? report_failed(db, db_path, "reading it", rc) : 0;
    if (!rc) {
        r->active_days = r->ndays;
        for (int i = 0; i < r->nyears && !rc; i++)
            if (r->years[i].ntop_artists) {
                free(r->years[i].top_artist);
                r->years[i].top_artist = strdup(r->years[i].top_artists[0].name);
                rc = r->years[i].top_artist ? 0 : -ENOMEM;
            }
        if (!rc)
            rc = report_derive(r);
        if (rc)
            code = report_failed(NULL, db_path, "reading it", rc);
    }
    if (rc || !ret_db)
        sqlite3_close(db);
    else
        *ret_db = db;
    return code;
}

static void free_named(struct named_count *list, int n)
{
    for (int i = 0; i < n; i++) {
        free(list[i].name);
        free(list[i].artist);
    }
}

void report_free(struct report *r)
{
    free(r->input_sha256);
    free(r->timezone);
    free(r->zones_used);
    free(r->built_at_utc);
    free(r->program);
    free(r->username);
    for (int i = 0; i < r->nbig; i++) {
        free(r->big[i].artist.name);
        free(r->big[i].album.name);
        free(r->big[i].album.artist);
    }
    for (int i = 0; i < r->nquality; i++) {
        free(r->quality[i].rule);
        free(r->quality[i].description);
    }
    free(r->quality);
    for (int i = 0; i < r->nexcludes; i++) {
        free(r->excludes[i].rule);
        free(r->excludes[i].description);
    }
    free(r->excludes);
    free(r->days);
    free(r->months);
    for (int i = 0; i < r->nyears; i++) {
        struct year_stat *y = &r->years[i];
        free(y->top_artist);
        free_named(y->top_artists, y->ntop_artists);
        free_named(y->top_albums, y->ntop_albums);
        free_named(y->top_tracks, y->ntop_tracks);
    }
    free(r->years);
    free_named(r->top_artists, r->ntop_artists);
    free_named(r->top_albums, r->ntop_albums);
    free_named(r->top_tracks, r->ntop_tracks);
    for (int i = 0; i < r->nbump; i++)
        free(r->bump_artists[i]);
    report_links_free(&r->links);
    report_genres_free(&r->genres);
    memset(r, 0, sizeof *r);
}
