/* report.h: the listening report, processed/lastfm.sqlite -> report/, a site:
 *
 *   report/index.html           the long-run patterns (report_page.c)
 *   report/year/YYYY.html       a page per year, first to last (report_year.c)
 *   report/artist/FILE.html     a page per artist of at least
 *                               LASTFM_REPORT_ARTIST_MIN scrobbles (report_artist.c;
 *                               FILE: report_links_int.h)
 *   and the listings, the months, the albums and tracks: every kind of page
 *   and its file are in the page model, report_model_int.h.
 *
 * report.c reads the database (the views and a few group-bys, all in SQL)
 * into struct report; the pages are written by the files named above, the
 * charts through svg_int.h (report_charts.c, report_trends.c); report_site.c
 * builds the whole site in a new directory and publishes it in one step
 * (store_site_*).  Every page is self-contained: inline CSS and SVG, no
 * script, nothing fetched (a Content-Security-Policy forbids it).
 */
#ifndef LASTFM_REPORT_H
#define LASTFM_REPORT_H

#include "store.h"

#define REPORT_DIR STORE_REPORT_DIR
#define REPORT_NAME STORE_REPORT_NAME

/* The settings of the report. */
struct report_options {
    long artist_min; /* LASTFM_REPORT_ARTIST_MIN */
    long album_min;  /* LASTFM_REPORT_ALBUM_MIN */
    long track_min;  /* LASTFM_REPORT_TRACK_MIN */
};
struct config;
struct report_options report_options_from(const struct config *cfg);

/* Is the report behind: none yet, or older than the database?  NULL when it
 * is current, else why not (cheap: two stat() calls). */
const char *report_needed(struct store *s);

/* What a build wrote. */
struct report_stats {
    long bytes; /* all pages */
    long pages, year_pages, artist_pages;
    long kind_pages[11];               /* pages of each kind (enum page_kind, report_model_int.h) */
    long carried_pages, carried_bytes; /* of those, the same as published: linked */
    double seconds;
};

/* Build DATA_DIR/report/ from DATA_DIR/processed/lastfm.sqlite and publish
 * it whole.  Returns an exit code: 0; 66 no database yet; 65 the database is
 * not ours or damaged; 74 the site could not be written (the old one kept). */
int report_run(struct store *s, const struct report_options *o, struct report_stats *ret);
/* The "report written" journal entry (MESSAGE_ID, BYTES, PAGES). */
void report_log_written(const char *data_dir, const struct report_stats *st);

#endif
