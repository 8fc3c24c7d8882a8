/* report_tops.c: the load's last step: the albums and tracks (all time and
 * each year's top), the sessions per year, the totals over all rows, the
 * biggest months. */
#include "autoconfig.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "grow.h"
#include "report_int.h"

/* (year, name, artist, n, rank) by year, rank: each year's top albums or tracks. */
struct year_top_ctx {
    struct report *r;
    bool albums;
};

static int on_year_top(sqlite3_stmt *st, void *opaque)
{
    struct year_top_ctx *c = opaque;
    struct year_stat *y = report_year_of(c->r, sqlite3_column_int(st, 0));
    if (!y)
        return 0;
    struct named_count *list = c->albums ? y->top_albums : y->top_tracks;
    int *n = c->albums ? &y->ntop_albums : &y->ntop_tracks;
    if (*n >= REPORT_TOP_YEAR)
        return 0;
    struct named_count *e = &list[(*n)++];
    *e = (struct named_count){report_column_name(st, 1), report_column_name(st, 2),
                              sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4)};
    return (!e->name && sqlite3_column_type(st, 1) != SQLITE_NULL) ||
                   (!e->artist && sqlite3_column_type(st, 2) != SQLITE_NULL)
               ? -ENOMEM
               : 0;
}

/* Sessions (year, tracks, seconds) by year, seconds: medians per year. */
struct session_ctx {
    struct report *r;
    int year;
    double *secs;
    long n, tracks;
    size_t cap;
};

static void finish_sessions(struct session_ctx *c)
{
    struct year_stat *y = report_year_of(c->r, c->year);
    if (!y || c->n == 0)
        return;
    y->sessions = c->n;
    /* rows arrive sorted by seconds within the year */
    double med = c->n % 2 ? c->secs[c->n / 2] : (c->secs[c->n / 2 - 1] + c->secs[c->n / 2]) / 2;
    y->median_session_minutes = med / 60.0;
    y->tracks_per_session = (double)c->tracks / (double)c->n;
}

static int on_session(sqlite3_stmt *st, void *opaque)
{
    struct session_ctx *c = opaque;
    int year = sqlite3_column_int(st, 0);
    if (year != c->year) {
        finish_sessions(c);
        c->year = year;
        c->n = 0;
        c->tracks = 0;
    }
    if (grow(&c->secs, &c->cap, (size_t)c->n + 1, sizeof *c->secs, 0) < 0)
        return -ENOMEM;
    c->secs[c->n++] = sqlite3_column_double(st, 2);
    c->tracks += sqlite3_column_int64(st, 1);
    return 0;
}

/* Albums or tracks (report.sql's top_albums, all_albums, year_top_albums or
 * the same of tracks): the all-time list and each year's top. */
static int top_named(sqlite3 *db, const char *const names[3], struct report_top_ctx *all,
                     struct year_top_ctx *per_year)
{
    long count = 0;
    int rc;
    if ((rc = report_each_row(db, names[0], report_on_top, all)) ||
        (rc = report_each_row(db, names[1], report_on_count, &count)))
        return rc;
    all->rows = count;
    return report_each_row(db, names[2], on_year_top, per_year);
}

int report_load_tops(sqlite3 *db, struct report *r)
{
    struct session_ctx sc = {.r = r, .year = INT32_MIN};
    struct report_top_ctx tb = {r->top_albums, &r->ntop_albums, REPORT_TOP, 0, true};
    struct report_top_ctx tt = {r->top_tracks, &r->ntop_tracks, REPORT_TOP, 0, true};
    struct year_top_ctx ya = {r, true}, yt = {r, false};
    long totals[4] = {0}, all[2] = {0}, edd_all = 0;
    static const char *const albums[] = {"top_albums", "all_albums", "year_top_albums"};
    static const char *const tracks[] = {"top_tracks", "all_tracks", "year_top_tracks"};
    int rc;
    (void)((rc = top_named(db, albums, &tb, &ya)) || (rc = top_named(db, tracks, &tt, &yt)) ||
           (rc = report_each_row(db, "sessions", on_session, &sc)) ||
           (rc = report_each_row(db, "all_rows", report_on_count, all)) ||
           (rc = report_each_row(db, "eddington_all", report_on_count, &edd_all)) ||
           (rc = report_each_row(db, "counted", report_on_count, totals)) ||
           (rc = report_load_big_months(db, r)));
    finish_sessions(&sc);
    free(sc.secs);
    r->scrobbles = totals[0];
    r->all_rows = all[0];
    r->all_artists = all[1];
    r->eddington_all_rows = edd_all;
    r->albums = tb.rows;
    r->tracks = tt.rows;
    return rc;
}
