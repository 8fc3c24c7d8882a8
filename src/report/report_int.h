/* report_int.h: the report stage's insides, for the files of src/report only
 * (the stage's face is report.h): what report.c reads into struct report, and
 * the functions the pages and charts share. */
#ifndef LASTFM_REPORT_INT_H
#define LASTFM_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "html_int.h"
#include "report.h"
#include "report_links_int.h"
#include "report_model_int.h"
#include "store.h"

#define REPORT_TOP 10 /* entries in the all-time top lists */
/* A name as the report keeps it: at most this many bytes (then "…"); the
 * whole name stays in the database.  1,024 bytes hold any 300-character
 * name; what is longer would only cost memory and page weight. */
#define REPORT_NAME_MAX 1024
/* A number as a string literal for SQL text: STR(REPORT_TOP) is "10". */
#define STR_(x) #x
#define STR(x) STR_(x)
/* REPORT_NAME_MAX in SQL text. */
#define REPORT_NAME_MAX_SQL STR(REPORT_NAME_MAX)
#define REPORT_TOP_YEAR 5 /* ... and in each year's */
#define REPORT_BUMP 10    /* artists in the chart of the top artists' years */
/* A year with fewer active days is thin: drawn, marked, never compared (the
 * base of a change, a rank, a share against other years). */
#define REPORT_THIN_DAYS 30
#define REPORT_BIG_MONTHS 5 /* the biggest months, with what drove them */

/* A name and how often: an artist, or an album/track with its artist. */
struct named_count {
    char *name;
    char *artist; /* NULL for artists */
    long n;
    long rank; /* in its list, by the one rank rule: ties share a rank (SQL's rank()) */
};

/* One local calendar year; every year from the first to the last is one,
 * those without a counted scrobble too (silent). */
struct year_stat {
    int year;
    bool silent;           /* no counted scrobble */
    bool thin;             /* fewer than REPORT_THIN_DAYS active days (or silent) */
    bool partial;          /* the history covers only part of it: */
    char from[11], to[11]; /* ... the local dates it covers */
    long covered_days;
    long scrobbles, active_days, artists, new_artists;
    char *top_artist;
    long new_artist_scrobbles; /* scrobbles of artists first heard that year */
    double top10_share;        /* share of the year's 10 most played artists */
    double effective_artists;  /* exp(Shannon entropy of the artist shares) */
    long punch[7][24];         /* ISO weekday - 1, local hour */
    int busiest_weekday;       /* 1..7 */
    int peak_hour;             /* 0..23 */
    double mean_hour;          /* circular mean of the local hour, 0..24 */
    long sessions;
    double median_session_minutes, tracks_per_session;
    struct named_count top_artists[REPORT_TOP_YEAR], top_albums[REPORT_TOP_YEAR],
        top_tracks[REPORT_TOP_YEAR];
    int ntop_artists, ntop_albums, ntop_tracks;
    int bump_rank[REPORT_BUMP]; /* the year's rank of each top artist, 0: unplayed */
    long bump_n[REPORT_BUMP];   /* ... and its scrobbles that year */
};

/* Genres over time (report_genres.c): the database's yearly_tags. */
#define REPORT_GENRES 10       /* the genres of the index's heatmap */
#define REPORT_YEAR_GENRES 10  /* ... and of a year's page */
#define REPORT_TAG_PAGES 30    /* the genres with a page of their own, the most played */
#define REPORT_TAG_ARTISTS 100 /* the artists a genre's page lists */
struct genre_count {
    int year;
    char *tag; /* '' for scrobbles whose artist has no primary tag */
    long n;
};
struct report_genres {
    struct genre_count *yt; /* yearly_tags, by year and tag */
    long nyt;
    size_t cap;
    char *top[REPORT_GENRES]; /* the genres with the most counted scrobbles, '' apart */
    long top_n[REPORT_GENRES];
    int ntop;
    long tagged, untagged; /* counted scrobbles with and without a primary tag */
    long genres;           /* distinct primary tags */
    long answers;          /* 1 when the database was built with a tags CSV */
};

/* A month among the biggest, and what drove it. */
struct big_month {
    char month[12];                   /* YYYY-MM, local */
    long n, year_n;                   /* its scrobbles, its year's */
    struct named_count artist, album; /* its top artist and album (n: in the month) */
};

struct day_count {
    char date[11]; /* YYYY-MM-DD, local */
    long n;
};

struct month_count {
    char month[12]; /* YYYY-MM, local */
    long n, new_artists;
};

struct run_of_days {
    char from[11], to[11];
    long days;     /* a run: days in a row; an absence: the listener's active days without */
    long calendar; /* an absence: the calendar days between */
};

struct quality_line {
    char *rule, *description;
    long rows;
};

struct report {
    /* meta: what the data was made from */
    char *input_sha256, *timezone, *zones_used, *built_at_utc, *program, *username;
    long input_rows;
    char schema[16]; /* meta's schema_version: STORE_DB_SCHEMA, or another program's */
    struct quality_line *quality;
    int nquality;
    size_t cap_quality;
    struct quality_line *excludes; /* the exclude file's rules: where, what, rows */
    int nexcludes;
    size_t cap_excludes;
    /* totals over the counted rows */
    long scrobbles, all_rows, active_days, artists, albums, tracks;
    long away_days;   /* a return: after this many of the listener's active days without
                     * (as many as the listener has in an average year; report_derive) */
    long all_artists; /* including flagged rows */
    long eddington, eddington_next_needs, eddington_all_rows;
    struct day_count *days; /* days with counted scrobbles, in order */
    long ndays;
    size_t cap_days;
    struct month_count *months;
    long nmonths;
    size_t cap_months;
    struct year_stat *years;
    int nyears;
    size_t cap_years;
    struct named_count top_artists[REPORT_TOP], top_albums[REPORT_TOP], top_tracks[REPORT_TOP];
    int ntop_artists, ntop_albums, ntop_tracks;
    char *bump_artists[REPORT_BUMP];
    int nbump;
    struct big_month big[REPORT_BIG_MONTHS];
    int nbig;
    struct run_of_days streaks[5], gaps[5], current;
    int nstreaks, ngaps;
    struct report_genres genres;
    long utc_punch[7][24]; /* the same scrobbles by UTC weekday and hour */
    long local_punch[7][24];
    /* the site: which pages exist, and the way from the page being written to
     * the site's top ("" on index.html, "../" below it) */
    struct report_links links;
    const char *root;
    /* with -v: the statement that took the most SQLite VM steps in one run */
    struct report_heaviest {
        long long steps; /* its VM steps (sqlite3_stmt_status) */
        long long total; /* the steps of every statement run */
        double seconds;  /* its time */
        char sql[72];    /* its first characters */
    } heaviest;
};

/* Streaks, silences, Eddington, the months and years filled to continuous
 * axes, each year's coverage (partial, thin), and the years' hour statistics,
 * from what report_load() read (report_derive.c). */
int report_derive(struct report *r); /* -ENOMEM or 0 */

/* The biggest months of r->months (as read, before the axis is filled),
 * each with its top artist and album (report_months.c).  -1 on an SQL error. */
struct sqlite3;
int report_load_big_months(struct sqlite3 *db, struct report *r);

/* The load's helpers (report_sql.c): run `sql`, fn for each row (-1 on an SQL
 * error; a row function's own failure, -ENOMEM, stops the query and is
 * returned: no site is published with rows missing); run statements; a row
 * of counts into long[]; a name column cut to REPORT_NAME_MAX.  A top list's
 * rows: (name, artist, n) by n desc, the row count the distinct count. */
struct sqlite3_stmt;
/* The statement called `name` in `text` (report.sql's form: from its
 * "-- name: NAME" line to the next), its length in *ret_len; NULL if none. */
const char *report_sql_find(const char *text, const char *name, size_t *ret_len);
/* Prepare report.sql's statement `name`; run one (all its statements).
 * -1 on an SQL error or an unknown name. */
int report_stmt(struct sqlite3 *db, const char *name, struct sqlite3_stmt **ret);
int report_exec_named(struct sqlite3 *db, const char *name);
/* A step's, prepare's or exec's result as the report's: 0 (done, a row, ok),
 * -ENOMEM (SQLite out of memory: exit 75, not a damaged database's 65) or
 * -1; report_sql_fail() for one known to have failed.  report_sql_oom():
 * `db`'s last error is SQLITE_NOMEM. */
int report_sql_rc(int rc);
int report_sql_fail(int rc);
bool report_sql_oom(struct sqlite3 *db);
/* A read of the database failed (rc: -ENOMEM, or -1 with db's error): says
 * why, naming db_path and what was being done, and returns the exit code:
 * 75 out of memory or locked by another program (try again), 65 otherwise. */
int report_failed(struct sqlite3 *db, const char *db_path, const char *doing, int rc);
typedef int (*report_row_fn)(struct sqlite3_stmt *st, void *opaque);
int report_each_row(struct sqlite3 *db, const char *name, report_row_fn fn, void *opaque);
int report_exec_sql(struct sqlite3 *db, const char *sql);
int report_on_count(struct sqlite3_stmt *st, void *opaque);
/* The rows (local_date, n) of st into *v (grown as needed, *n of them), and
 * the rows (ISO weekday, local hour, n) into p: 0, -ENOMEM, -1 on SQL. */
struct day_count;
int report_read_days(struct sqlite3_stmt *st, struct day_count **v, long *n, size_t *cap);
int report_read_punch(struct sqlite3_stmt *st, long p[7][24]);
char *report_column_name(struct sqlite3_stmt *st, int col);
/* After copying column `col` into `copy`: -ENOMEM when it held text and the
 * copy failed, else 0. */
int report_copied(const void *copy, struct sqlite3_stmt *st, int col);
struct report_top_ctx {
    struct named_count *list;
    int *n, max;
    long rows;
    bool with_artist;
};
int report_on_top(struct sqlite3_stmt *st, void *opaque);
/* Albums, tracks, sessions, the totals, the biggest months (report_tops.c). */
int report_load_tops(struct sqlite3 *db, struct report *r);
/* The year's entry in r->years, or NULL (report_derive.c). */
struct year_stat *report_year_of(struct report *r, int year);

/* Read the database.  Returns 0, or an exit code (logged, path named).  The
 * database stays open in *ret_db (the temp tables of the group-bys in it) for
 * the site's pages; the caller closes it. */
int report_load(const char *db_path, struct report *r, struct sqlite3 **ret_db);
void report_free(struct report *r);

/* Genres (report_genres.c): read yearly_tags (-ENOMEM, -1 on SQL), free; a
 * year's scrobbles under a tag; the index's section; a year page's. */
int report_load_genres(struct sqlite3 *db, struct report *r);
void report_genres_free(struct report_genres *g);
long report_genre_n(const struct report *r, int year, const char *tag);
void report_genres(struct hbuf *b, const struct report *r);
void report_year_genres(struct hbuf *b, const struct report *r, const struct year_stat *ys,
                        const struct year_stat *before);
/* An artist page's tags from report.sql's artist_tags (st, bound): 0, -ENOMEM
 * or -1 on SQL. */
int report_artist_tags(struct hbuf *b, const struct report *r, struct sqlite3_stmt *st);
/* A genre's page (report_tag.c): its years and its artists.  0, -ENOMEM or -1
 * on SQL. */
struct page_link;
int report_tag_page(struct hbuf *b, struct sqlite3 *db, const struct report *r,
                    const struct page_link *tag);
/* The genre as a link to its page where it has one (or as text); "" is
 * "(no tag)". */
void report_tag_link(struct hbuf *b, const struct report *r, const char *tag);

/* The index page. */
void report_page(struct hbuf *b, const struct report *r);
void report_trends_page(struct hbuf *b, const struct report *r);
/* What every page starts with (<!DOCTYPE> to <body><nav>) and ends with;
 * `title` is text, escaped here. */
void report_page_head(struct hbuf *b, const struct report *r, const char *title);
void report_page_foot(struct hbuf *b);
/* An artist's name as a table cell: a link to its page where it has one. */
void report_td_artist(struct hbuf *b, const struct report *r, const char *name, size_t max);
/* All the rows of st (name, n, first, last local date) as a table, each name
 * linked to its page of `kind` (album or track, with `artist`) where it has
 * one (report_list.c). */
int report_parts_table(struct hbuf *b, const struct report *r, struct sqlite3_stmt *st,
                       enum page_kind kind, const char *artist, const char *what);
/* A cell of `text` linked to the page (kind, key) where the site has one. */
void report_td_link(struct hbuf *b, const struct report *r, enum page_kind kind,
                    const struct page_key *key, const char *text, size_t max);
/* A year, a link to its page. */
void report_year_link(struct hbuf *b, const struct report *r, int year);
/* Table cells of numbers (report_cells.c, as the cells above); a number
 * with thousands separators. */
void report_num(struct hbuf *b, long v);
void report_td_num(struct hbuf *b, long v);
void report_td_share(struct hbuf *b, long part, long whole);
void report_td_text(struct hbuf *b, const char *s, size_t max);
/* A top list of artists, albums or tracks (kind: their pages): rank (each
 * entry's, ties sharing one), name (artist), scrobbles, share of `total`;
 * with prev_rank (may be NULL), the rank the year before and the change, or
 * "back" (0: not played the year before, but earlier) or "new" (-1: never
 * played before). */
void report_top_table(struct hbuf *b, const struct report *r, const char *title,
                      const struct named_count *list, int n, long total, enum page_kind kind,
                      const long *prev_rank);
/* The charts (report_charts.c), each a <section>. */
void report_timeline(struct hbuf *b, const struct report *r);
/* The style sheet of every page (report_css.c). */
extern const char report_css[];

/* The calendars (report_calendar.c): the index's compact one of every year by
 * month; one year's, day by day.  Shades 1..REPORT_SHADES by fixed bins of
 * counted scrobbles a day (1-5, 6-20, 21-50, 51-100, 101 or more; 0: none),
 * each calendar with its legend. */
#define REPORT_SHADES 5
void report_calendar(struct hbuf *b, const struct report *r);
void report_calendar_year(struct hbuf *b, const struct report *r, int yi);
int report_day_shade(double n);
void report_calendar_legend(struct hbuf *b, const char *what);
/* A weekday x hour punchcard of p, with its table. */
void report_punchcard(struct hbuf *b, const char *id, const char *title, const long p[7][24]);
/* The index's hours and weekdays (report_hours.c): the whole history's
 * punchcard, the mean hour of each year; local time against UTC, overlaid. */
void report_hours(struct hbuf *b, const struct report *r);
void report_local_utc(struct hbuf *b, const struct report *r);
void report_bump(struct hbuf *b, const struct report *r); /* the top artists' years */
void report_discovery(struct hbuf *b, const struct report *r);
void report_diversity(struct hbuf *b, const struct report *r);

/* The pages below index.html, each into b, their kinds in the table of
 * report_model_int.h.  Negative on an SQL error or out of memory. */
int report_year_page(struct hbuf *b, struct sqlite3 *db, const struct report *r, int yi);
int report_month_page(struct hbuf *b, struct sqlite3 *db, const struct report *r, long mi);
/* artists.html, albums.html or tracks.html (report_list.c), listing albums
 * and tracks of at least REPORT_LIST_MIN counted scrobbles. */
#define REPORT_LIST_MIN 3
int report_listing_page(struct hbuf *b, struct sqlite3 *db, const struct report *r,
                        enum page_kind kind);
/* Fill r->links.artists with the artists of at least `min` scrobbles (at most
 * REPORT_ARTIST_PAGES_MAX, the most played); r->links.albums and .tracks
 * likewise (report_album.c). */
#define REPORT_ARTIST_PAGES_MAX 5000
#define REPORT_PAIR_PAGES_MAX 20000
int report_artist_links(struct sqlite3 *db, struct report *r, long min);
int report_pair_links(struct sqlite3 *db, struct report *r, long album_min, long track_min);
/* Each artist (album, track) with a page, in turn (page_kind_def). */
int report_artist_pages_open(struct sqlite3 *db, const struct report *r, void **ret);
int report_artist_next(void *it, struct hbuf *b, const struct report *r, char *file,
                       unsigned long size);
void report_artist_pages_close(void *it);
int report_album_pages_open(struct sqlite3 *db, const struct report *r, void **ret);
int report_track_pages_open(struct sqlite3 *db, const struct report *r, void **ret);
int report_pair_next(void *it, struct hbuf *b, const struct report *r, char *file,
                     unsigned long size);
void report_pair_pages_close(void *it);
/* An artist page's sections drawn from what was read (report_artist_charts.c):
 * scrobbles per month from its first to its last; its hours and weekdays
 * (p: its punchcard, total: its scrobbles) against r's; its runs. */
void report_artist_months(struct hbuf *b, const struct day_count *days, long ndays);
void report_artist_hours(struct hbuf *b, const struct report *r, const long p[7][24], long total);
struct day_runs;
void report_artist_runs(struct hbuf *b, const struct report *r, const struct day_runs *d);

/* Shared by the chart files (report_charts.c): the width of a full-width
 * chart; a name as SVG text, cut with an ellipsis, whole in a <title>; axis
 * labels of months and years; every how many of n labels to show for `fit`. */
#define REPORT_WIDE 960.0
#define REPORT_NARROW 360.0 /* a phone's chart: 11 px text stays 10 px or more at 390 px */
void report_svg_name(struct hbuf *b, double x, double y, const char *anchor, const char *cls,
                     const char *name, size_t max);
void report_month_label(struct hbuf *b, size_t i, void *opaque); /* its year */
void report_month_name(struct hbuf *b, size_t i, void *opaque);  /* YYYY-MM */
void report_year_label(struct hbuf *b, size_t i, void *opaque);
size_t report_every_nth(size_t n, size_t fit);
struct chart;
void report_month_axis(struct chart *c, const struct report *r);
void report_year_axis(struct chart *c, const struct report *r); /* labels as many as fit */
/* A chart drawn twice into one <figure> (report_charts.c): for a phone's width
 * (REPORT_NARROW, shown at 600 px and less) and at `width`; draw() fills each
 * from ctx (c->width, c->narrow tell which).  The caller then writes its
 * table and svg_chart_close(). */
typedef void (*report_draw_fn)(struct chart *c, const void *ctx);
void report_chart_twice(struct hbuf *b, const char *id, const char *title, double width,
                        double height, report_draw_fn draw, const void *ctx);
/* A bar per year on c->y (report_charts.c): partial years pale, thin grey;
 * with `compare`, a thin or silent year gets a pale band and no bar. */
void report_year_bars(struct chart *c, const struct report *r, const double *v, const char *cls,
                      bool compare, int decimals, const char *suffix);
/* A heatmap's cell of a thin or silent year (report_charts.c): grey, its
 * title "YEAR: thin year, WHAT". */
void report_thin_cell(struct hbuf *b, double x, double y, double w, double h,
                      const struct year_stat *ys, const char *what);

/* A change between two years, as the page shows it: "+12.5%", "-40.0%", or
 * "×12.3" from ten times on (no percentage reaches 1,000%); "–" when either
 * year is thin or the base is 0.  Rates per covered day when either year is
 * partial.  (report_derive.c) */
void report_year_change(char *buf, size_t size, const struct year_stat *before,
                        const struct year_stat *y);
/* "partial: from 2014-08-14", "thin: 3 active days", "silent", or "". */
void report_year_coverage(char *buf, size_t size, const struct year_stat *y);

/* Days from 0000-03-01 of "YYYY-MM-DD" (0 if it is not one), and back. */
long report_day_number(const char *date);
void report_format_day(long dn, char out[11]);

/* What a list of active days says (report_days.c). */
#define REPORT_RETURNS 12 /* returns listed, the first ones */
struct day_runs {
    char first[11], last[11]; /* local dates */
    long active_days;
    struct run_of_days longest_run;             /* consecutive active days */
    struct run_of_days longest_gap;             /* from the last day before to the day back */
    struct run_of_days returns[REPORT_RETURNS]; /* each absence of at least `away` */
    int nreturns;
    struct day_count busiest_day;
    char busiest_week[11]; /* the Monday that starts it */
    long busiest_week_n;
};
/* days: sorted by date, each with n > 0.  An absence is measured in the
 * listener's active days between (`all`, sorted: r->days): a stretch in which
 * the listener scrobbled nothing at all is no absence of an artist; a return
 * is after at least `away` of them.  all == NULL: in calendar days. */
void report_day_runs(const struct day_count *days, long n, const struct day_count *all, long nall,
                     long away, struct day_runs *out);
/* The position of `date` in days[] (sorted), or of the first date after it. */
long report_day_at(const struct day_count *days, long n, const char *date);
/* A month's counted scrobbles (r->months, sorted), 0 when it has none
 * (report_model.c). */
long report_month_n(const struct report *r, int year, int month);

/* Weekday names, ISO order (index 1..7). */
extern const char *const report_weekday[8];

/* A name cut to REPORT_NAME_MAX bytes at a character's start, "…" added
 * (malloc'd; NULL is ""). */
char *report_name_dup(const char *s);

#endif
