/* report.h: the listening report, processed/lastfm.sqlite -> report/index.html.
 *
 * report.c reads the database (the views and a few group-bys, all in SQL)
 * into struct report; report_page.c writes the page: summary, tables and the
 * page around the charts; report_charts.c draws every chart through svg.h.
 * The page is one self-contained file: inline CSS and SVG, no script, nothing
 * fetched (a Content-Security-Policy forbids it), written atomically.
 */
#ifndef LASTFM_REPORT_H
#define LASTFM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "html.h"
#include "store.h"

#define REPORT_DIR STORE_REPORT_DIR
#define REPORT_NAME STORE_REPORT_NAME
#define REPORT_TOP 10          /* entries in the all-time top lists */
/* A name as the report keeps it: at most this many bytes (then "…"); the
 * whole name stays in the database.  1,024 bytes hold any 300-character
 * name; what is longer would only cost memory and page weight. */
#define REPORT_NAME_MAX 1024
#define REPORT_TOP_YEAR 5      /* ... and in each year's */
#define REPORT_BUMP 10         /* artists in the chart of the top artists' years */
/* A year with fewer active days is thin: drawn, marked, never compared (the
 * base of a change, a rank, a share against other years). */
#define REPORT_THIN_DAYS 30
#define REPORT_BIG_MONTHS 5    /* the biggest months, with what drove them */

/* A name and how often: an artist, or an album/track with its artist. */
struct named_count {
    char *name;
    char *artist;     /* NULL for artists */
    long n;
};

/* One local calendar year; every year from the first to the last is one,
 * those without a counted scrobble too (silent). */
struct year_stat {
    int year;
    bool silent;                    /* no counted scrobble */
    bool thin;                      /* fewer than REPORT_THIN_DAYS active days (or silent) */
    bool partial;                   /* the history covers only part of it: */
    char from[11], to[11];          /* ... the local dates it covers */
    long covered_days;
    long scrobbles, active_days, artists, new_artists;
    char *top_artist;
    long new_artist_scrobbles;      /* scrobbles of artists first heard that year */
    double top10_share;             /* share of the year's 10 most played artists */
    double effective_artists;       /* exp(Shannon entropy of the artist shares) */
    long punch[7][24];              /* ISO weekday - 1, local hour */
    int busiest_weekday;            /* 1..7 */
    int peak_hour;                  /* 0..23 */
    double mean_hour;               /* circular mean of the local hour, 0..24 */
    long sessions;
    double median_session_minutes, tracks_per_session;
    struct named_count top_artists[REPORT_TOP_YEAR], top_albums[REPORT_TOP_YEAR],
        top_tracks[REPORT_TOP_YEAR];
    int ntop_artists, ntop_albums, ntop_tracks;
    int bump_rank[REPORT_BUMP];     /* the year's rank of each top artist, 0: unplayed */
    long bump_n[REPORT_BUMP];       /* ... and its scrobbles that year */
};

/* A month among the biggest, and what drove it. */
struct big_month {
    char month[12];                 /* YYYY-MM, local */
    long n, year_n;                 /* its scrobbles, its year's */
    struct named_count artist, album;   /* its top artist and album (n: in the month) */
};

struct day_count {
    char date[11];                  /* YYYY-MM-DD, local */
    long n;
};

struct month_count {
    char month[12];                 /* YYYY-MM, local */
    long n, new_artists;
};

struct run_of_days {
    char from[11], to[11];
    long days;
};

struct quality_line {
    char *rule, *description;
    long rows;
};

struct report {
    /* meta: what the data was made from */
    char *input_sha256, *timezone, *zones_used, *built_at_utc, *program, *username;
    long input_rows;
    struct quality_line *quality;
    int nquality;
    /* totals over the counted rows */
    long scrobbles, all_rows, active_days, artists, albums, tracks;
    long all_artists;               /* including flagged rows */
    long eddington, eddington_next_needs, eddington_all_rows;
    struct day_count *days;         /* days with counted scrobbles, in order */
    long ndays;
    struct month_count *months;
    long nmonths;
    struct year_stat *years;
    int nyears;
    struct named_count top_artists[REPORT_TOP], top_albums[REPORT_TOP], top_tracks[REPORT_TOP];
    int ntop_artists, ntop_albums, ntop_tracks;
    char *bump_artists[REPORT_BUMP];
    int nbump;
    struct big_month big[REPORT_BIG_MONTHS];
    int nbig;
    struct run_of_days streaks[5], gaps[5], current;
    int nstreaks, ngaps;
    long utc_punch[7][24];          /* the same scrobbles by UTC weekday and hour */
    long local_punch[7][24];
};

/* Streaks, silences, Eddington, the months and years filled to continuous
 * axes, each year's coverage (partial, thin), and the years' hour statistics,
 * from what report_load() read (report_derive.c). */
void report_derive(struct report *r);

/* The biggest months of r->months (as read, before the axis is filled),
 * each with its top artist and album (report_months.c).  -1 on an SQL error. */
struct sqlite3;
int report_load_big_months(struct sqlite3 *db, struct report *r);

/* Read the database.  Returns 0, or an exit code (logged, path named). */
int report_load(const char *db_path, struct report *r);
void report_free(struct report *r);

/* The page. */
void report_page(struct hbuf *b, const struct report *r);
/* The charts (report_charts.c), each a <section>. */
void report_timeline(struct hbuf *b, const struct report *r);
void report_calendar(struct hbuf *b, const struct report *r);
void report_punchcards(struct hbuf *b, const struct report *r);
void report_bump(struct hbuf *b, const struct report *r);   /* the top artists' years */
void report_discovery(struct hbuf *b, const struct report *r);
void report_diversity(struct hbuf *b, const struct report *r);

/* Build DATA_DIR/report/index.html from DATA_DIR/processed/lastfm.sqlite.
 * Returns an exit code: 0; 66 no database yet; 65 the database is not ours or
 * damaged; 74 the page could not be written.  *ret_bytes: the page's size. */
int report_run(struct store *s, long *ret_bytes, double *ret_seconds);
/* The "report written" journal entry (MESSAGE_ID, BYTES). */
void report_log_written(const char *data_dir, long bytes, double seconds);

/* Shared by the chart files (report_charts.c): the width of a full-width
 * chart; a name as SVG text, cut with an ellipsis, whole in a <title>; axis
 * labels of months and years; every how many of n labels to show for `fit`. */
#define REPORT_WIDE 960.0
void report_svg_name(struct hbuf *b, double x, double y, const char *anchor, const char *cls,
                     const char *name, size_t max);
void report_month_label(struct hbuf *b, size_t i, void *opaque);   /* its year */
void report_month_name(struct hbuf *b, size_t i, void *opaque);    /* YYYY-MM */
void report_year_label(struct hbuf *b, size_t i, void *opaque);
size_t report_every_nth(size_t n, size_t fit);
struct chart;
void report_month_axis(struct chart *c, const struct report *r);
/* A bar per year on c->y (report_charts.c): partial years pale, thin grey;
 * with `compare`, a thin or silent year gets a pale band and no bar. */
void report_year_bars(struct chart *c, const struct report *r, const double *v,
                      const char *cls, bool compare, int decimals, const char *suffix);

/* A change between two years, as the page shows it: "+12.5%", "-40.0%", or
 * "×12.3" from ten times on (no percentage reaches 1,000%); "–" when either
 * year is thin or the base is 0.  Rates per covered day when either year is
 * partial.  (report_derive.c) */
void report_year_change(char *buf, size_t size, const struct year_stat *before,
                        const struct year_stat *y);
/* "partial: from 2014-08-14", "thin: 3 active days", "silent", or "". */
void report_year_coverage(char *buf, size_t size, const struct year_stat *y);

/* Weekday names, ISO order (index 1..7). */
extern const char *const report_weekday[8];

/* A name cut to REPORT_NAME_MAX bytes at a character's start, "…" added
 * (malloc'd; NULL is ""). */
char *report_name_dup(const char *s);

#endif
