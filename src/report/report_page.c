/* report_page.c: the index page (summary, ledger, tables, sections), and what
 * every page of the site shares: its head and foot (the cells of names and
 * numbers: report_cells.c). */
#include "autoconfig.h"

#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "log.h"
#include "monoclock.h"
#include "store.h"
#include "report_int.h"
#include "svg_int.h"

static void summary(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"summary\"><h2>Summary</h2><dl class=\"kv\">");
    if (r->username && *r->username) {
        hbuf_puts(b, "<dt>Last.fm user</dt><dd>");
        html_text(b, r->username);
        hbuf_puts(b, "</dd>");
    }
    hbuf_puts(b, "<dt>Scrobbles counted</dt><dd>");
    report_num(b, r->scrobbles);
    hbuf_puts(b, " (of ");
    report_num(b, r->all_rows);
    hbuf_puts(b, " rows; the quality rules below flag the rest)</dd>");
    if (r->ndays) {
        hbuf_printf(b, "<dt>Span</dt><dd>%s to %s (local dates)</dd>", r->days[0].date,
                    r->days[r->ndays - 1].date);
    }
    hbuf_puts(b, "<dt>Active days</dt><dd>");
    report_num(b, r->active_days);
    hbuf_puts(b, "</dd><dt>Distinct artists / albums / tracks</dt><dd>");
    report_num(b, r->artists);
    hbuf_puts(b, " / ");
    report_num(b, r->albums);
    hbuf_puts(b, " / ");
    report_num(b, r->tracks);
    hbuf_printf(b,
                "</dd><dt>Eddington number</dt><dd>%s: %s days with at least %s "
                "scrobbles; %s more such days for %s</dd>",
                HTML_NUM(r->eddington), HTML_NUM(r->eddington), HTML_NUM(r->eddington),
                HTML_NUM(r->eddington_next_needs), HTML_NUM(r->eddington + 1));
    hbuf_puts(b, "<dt>Time zones</dt><dd>");
    html_text(b, r->timezone ? r->timezone : "");
    hbuf_puts(b, " (used: ");
    html_text(b, r->zones_used ? r->zones_used : "");
    hbuf_puts(b, ")</dd><dt>Input</dt><dd>interim/lastfm_scrobbles_interim.csv, ");
    report_num(b, r->input_rows);
    hbuf_puts(b, " rows, sha256 <code>");
    html_text(b, r->input_sha256 ? r->input_sha256 : "");
    hbuf_puts(b, "</code></dd><dt>Built</dt><dd>");
    html_text(b, r->built_at_utc ? r->built_at_utc : "");
    hbuf_puts(b, " by ");
    html_text(b, r->program ? r->program : "");
    hbuf_puts(b, "</dd></dl>\n<h3>Quality ledger</h3><div class=\"wrap\"><table><thead><tr>"
                 "<th>rule</th><th class=\"n\">rows</th><th>what it flags</th></tr></thead>"
                 "<tbody>");
    for (int i = 0; i < r->nquality; i++) {
        hbuf_puts(b, "<tr>");
        report_td_text(b, r->quality[i].rule, 40);
        report_td_num(b, r->quality[i].rows);
        report_td_text(b, r->quality[i].description, 200);
        hbuf_puts(b, "</tr>");
    }
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

static void runs_table(struct hbuf *b, const char *title, const struct run_of_days *runs, int n,
                       const char *unit)
{
    hbuf_printf(b,
                "<h3>%s</h3><table><thead><tr><th>from</th><th>to</th><th class=\"n\">%s"
                "</th></tr></thead><tbody>",
                title, unit);
    for (int i = 0; i < n; i++) {
        hbuf_printf(b, "<tr><td class=\"d\">%s</td><td class=\"d\">%s</td>", runs[i].from,
                    runs[i].to);
        report_td_num(b, runs[i].days);
        hbuf_puts(b, "</tr>");
    }
    if (n == 0)
        hbuf_puts(b, "<tr><td colspan=\"3\">none</td></tr>");
    hbuf_puts(b, "</tbody></table>\n");
}

static void streaks(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"streaks\"><h2>Streaks and silences</h2>"
                 "<p class=\"note\">Local dates. A streak: consecutive days with a counted "
                 "scrobble; a silence: the days between two of them.</p><div class=\"grid2\">"
                 "<div>");
    runs_table(b, "Longest streaks", r->streaks, r->nstreaks, "days");
    hbuf_puts(b, "</div><div>");
    runs_table(b, "Longest silences", r->gaps, r->ngaps, "days without");
    hbuf_puts(b, "</div></div><p>Current streak: ");
    if (r->current.days > 0)
        hbuf_printf(b, "%s day%s (%s to %s)", HTML_NUM(r->current.days),
                    r->current.days == 1 ? "" : "s", r->current.from, r->current.to);
    else
        hbuf_puts(b, "none (no scrobble on the day of the build or the day before)");
    hbuf_puts(b, "</p></section>\n");
}

static void sessions(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"sessions\"><h2>Sessions</h2><p class=\"note\">A session ends "
                 "after more than 30 minutes without a counted scrobble; its length runs from "
                 "its first scrobble to its last. Years of the session's start, local time.</p>");
    html_wrap_open(b, "h3 h4");
    hbuf_puts(b, "<table><thead><tr><th>year</th><th class=\"n\">sessions"
                 "</th><th class=\"n\">median length (minutes)</th><th class=\"n\">tracks per "
                 "session</th></tr></thead><tbody>");
    for (int i = 0; i < r->nyears; i++) {
        const struct year_stat *y = &r->years[i];
        if (y->silent)
            continue;
        hbuf_printf(b, "<tr><td>%d</td>", y->year);
        report_td_num(b, y->sessions);
        hbuf_printf(b, "<td class=\"n\">%.1f</td><td class=\"n\">%.1f</td></tr>",
                    y->median_session_minutes, y->tracks_per_session);
    }
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

void report_top_table(struct hbuf *b, const struct report *r, const char *title,
                      const struct named_count *list, int n, long total, enum page_kind kind,
                      const long *prev_rank)
{
    bool with_artist = kind != PAGE_ARTIST;
    /* a phone keeps #, the name and the scrobbles */
    int p = prev_rank != NULL, share = (with_artist ? 5 : 4) + p;
    char hide[24];
    snprintf(hide, sizeof hide, "%s%s h%d", p ? "h2 " : "", with_artist ? (p ? "h4" : "h3") : "",
             share);
    hbuf_printf(b, "<div><h3>%s</h3>", title);
    html_wrap_open(b, hide);
    hbuf_printf(b,
                "<table><thead><tr><th class=\"n\">#"
                "</th>%s<th>%s</th>%s<th class=\"n\">scrobbles</th><th class=\"n\">share</th>"
                "</tr></thead><tbody>",
                prev_rank ? "<th class=\"n\" title=\"the rank the year before\">before"
                            "</th>"
                          : "",
                with_artist ? "title" : "artist", with_artist ? "<th>artist</th>" : "");
    for (int i = 0; i < n; i++) {
        long k = list[i].rank ? list[i].rank : (long)i + 1;
        hbuf_printf(b, "<tr><td class=\"n\">%s</td>", HTML_NUM(k));
        if (prev_rank && prev_rank[i] > 0) { /* up: a smaller number than before */
            long up = prev_rank[i] - k;
            hbuf_printf(b, "<td class=\"n\">%s <span class=\"mv\">", HTML_NUM(prev_rank[i]));
            if (up)
                hbuf_printf(b, "%s%s", up > 0 ? "\u2191" : "\u2193", HTML_NUM(up > 0 ? up : -up));
            else
                hbuf_puts(b, "=");
            hbuf_puts(b, "</span></td>");
        } else if (prev_rank) /* first heard this year, or back after a year or more */
            hbuf_puts(b, prev_rank[i] < 0 ? "<td class=\"n\" title=\"first played this year\">"
                                            "new</td>"
                                          : "<td class=\"n\" title=\"not played the year "
                                            "before, played in an earlier year\">back</td>");
        if (with_artist) {
            report_td_link(b, r, kind,
                           &(struct page_key){.artist = list[i].artist, .name = list[i].name},
                           list[i].name, 40);
            report_td_artist(b, r, list[i].artist, 30);
        } else {
            report_td_artist(b, r, list[i].name, 40);
        }
        report_td_num(b, list[i].n);
        report_td_share(b, list[i].n, total);
        hbuf_puts(b, "</tr>");
    }
    if (n == 0)
        hbuf_printf(b, "<tr><td colspan=\"%d\">none</td></tr>",
                    (with_artist ? 5 : 4) + (prev_rank != NULL));
    hbuf_puts(b, "</tbody></table></div></div>\n");
}

static void tops(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"top\"><h2>Top artists, albums and tracks</h2>"
                 "<p class=\"note\">Shares of the counted scrobbles of the period. Artists after "
                 "the alias file.</p><h3>All time</h3><div class=\"grid2 tops\">");
    report_top_table(b, r, "Artists", r->top_artists, r->ntop_artists, r->scrobbles, PAGE_ARTIST,
                     NULL);
    report_top_table(b, r, "Albums", r->top_albums, r->ntop_albums, r->scrobbles, PAGE_ALBUM, NULL);
    report_top_table(b, r, "Tracks", r->top_tracks, r->ntop_tracks, r->scrobbles, PAGE_TRACK, NULL);
    hbuf_puts(b, "</div>\n");
    /* opened: the last full year (neither partial nor thin), else the last */
    int open = r->nyears - 1;
    for (int i = r->nyears - 1; i >= 0; i--)
        if (!r->years[i].partial && !r->years[i].thin) {
            open = i;
            break;
        }
    for (int i = r->nyears - 1; i >= 0; i--) {
        const struct year_stat *y = &r->years[i];
        if (y->silent)
            continue;
        char cov[96];
        report_year_coverage(cov, sizeof cov, y);
        hbuf_printf(b, "<details%s><summary>%d%s%s%s</summary><p>The year's own page: ",
                    i == open ? " open" : "", y->year, cov[0] ? " (" : "", cov, cov[0] ? ")" : "");
        report_year_link(b, r, y->year);
        hbuf_puts(b, "</p><div class=\"grid2 tops\">");
        report_top_table(b, r, "Artists", y->top_artists, y->ntop_artists, y->scrobbles,
                         PAGE_ARTIST, NULL);
        report_top_table(b, r, "Albums", y->top_albums, y->ntop_albums, y->scrobbles, PAGE_ALBUM,
                         NULL);
        report_top_table(b, r, "Tracks", y->top_tracks, y->ntop_tracks, y->scrobbles, PAGE_TRACK,
                         NULL);
        hbuf_puts(b, "</div></details>\n");
    }
    hbuf_puts(b, "</section>\n");
}

static void year_review(struct hbuf *b, const struct report *r)
{
    hbuf_printf(b, "<section id=\"review\"><h2>Year in review</h2><p class=\"note\">Local "
                   "calendar years, local weekdays and hours (");
    html_text(b, r->timezone ? r->timezone : "");
    hbuf_printf(b,
                "). The first and the last year are partial: the history covers them only "
                "from its first scrobble, and up to the day it was read. A year of fewer "
                "than %d active days is thin: shown, but not compared with another (no "
                "change, rank or share against other years). Changes compare scrobbles per "
                "covered day where a year is partial; from ten times on they read "
                "&#215;N.</p>",
                REPORT_THIN_DAYS);
    html_wrap_open(b, "h2 h4 h6 h7 h8 h9"); /* a phone keeps year, scrobbles, change */
    hbuf_puts(b, "<table><thead><tr><th>year</th><th>"
                 "coverage</th><th class=\"n\">scrobbles</th><th class=\"n\">per covered "
                 "day</th><th class=\"n\">change</th><th class=\"n\">from new artists</th>"
                 "<th>top artist</th><th>busiest weekday</th><th class=\"n\">peak hour</th>"
                 "</tr></thead><tbody>");
    for (int i = 0; i < r->nyears; i++) {
        const struct year_stat *y = &r->years[i];
        char cov[96], change[32];
        report_year_coverage(cov, sizeof cov, y);
        report_year_change(change, sizeof change, i ? &r->years[i - 1] : NULL, y);
        hbuf_puts(b, "<tr><td>");
        report_year_link(b, r, y->year);
        hbuf_printf(b, "</td><td class=\"mark\">%s</td>", cov);
        report_td_num(b, y->scrobbles);
        double rate = y->covered_days ? (double)y->scrobbles / (double)y->covered_days : 0.0;
        hbuf_printf(b, "<td class=\"n\">%.*f</td><td class=\"n\">%s</td>", rate < 1 ? 2 : 1, rate,
                    change);
        if (y->thin) { /* a handful of scrobbles make no share, no peak, no favourite */
            hbuf_puts(b, "<td class=\"n\">&#8211;</td><td></td><td></td><td></td></tr>");
            continue;
        }
        report_td_share(b, y->new_artist_scrobbles, y->scrobbles);
        report_td_artist(b, r, y->top_artist, 30);
        hbuf_printf(b, "<td>%s</td><td class=\"n\">%02d:00</td></tr>",
                    report_weekday[y->busiest_weekday], y->peak_hour);
    }
    hbuf_puts(b, "</tbody></table></div>");
    /* What drove the biggest months. */
    hbuf_puts(b, "<h3>The biggest months</h3><p class=\"note\">The months of the most counted "
                 "scrobbles, their share of their year, and the artist and album that took "
                 "most of them.</p>");
    html_wrap_open(b, "h3 h5 h6 h7"); /* a phone: month, scrobbles, top artist */
    hbuf_puts(b, "<table><thead><tr><th>month</th>"
                 "<th class=\"n\">scrobbles</th><th class=\"n\">of its year</th><th>top "
                 "artist</th><th class=\"n\">share</th><th>top album</th><th class=\"n\">"
                 "share</th></tr></thead><tbody>");
    for (int k = 0; k < r->nbig; k++) {
        const struct big_month *m = &r->big[k];
        hbuf_printf(b, "<tr><td class=\"d\">%s</td>", m->month);
        report_td_num(b, m->n);
        report_td_share(b, m->n, m->year_n);
        report_td_artist(b, r, m->artist.name ? m->artist.name : "", 40);
        report_td_share(b, m->artist.n, m->n);
        report_td_text(b, m->album.name ? m->album.name : "", 50);
        report_td_share(b, m->album.n, m->n);
        hbuf_puts(b, "</tr>");
    }
    if (r->nbig == 0)
        hbuf_puts(b, "<tr><td colspan=\"7\">none</td></tr>");
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

static void sensitivity(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"sensitivity\"><h2>Sensitivity</h2><p class=\"note\">How much "
                 "the figures depend on the time zones and on the quality rules.</p>");
    report_local_utc(b, r);
    hbuf_puts(b, "<h3>With and without the flagged rows</h3><div class=\"wrap\"><table>"
                 "<thead><tr><th></th><th class=\"n\">counted only</th><th class=\"n\">all rows"
                 "</th></tr></thead><tbody><tr><td>scrobbles</td>");
    report_td_num(b, r->scrobbles);
    report_td_num(b, r->all_rows);
    hbuf_puts(b, "</tr><tr><td>artists</td>");
    report_td_num(b, r->artists);
    report_td_num(b, r->all_artists);
    hbuf_puts(b, "</tr><tr><td>Eddington number</td>");
    report_td_num(b, r->eddington);
    report_td_num(b, r->eddington_all_rows);
    hbuf_puts(b, "</tr></tbody></table></div>");
    if (r->nexcludes) { /* what the listener set aside, and how much */
        hbuf_puts(b, "<h3>Set aside by the exclude file</h3><p class=\"note\">LASTFM_EXCLUDE: "
                     "the rows each rule matched stay in the database, flagged excluded, and "
                     "are not counted anywhere in this report.</p><div class=\"wrap\"><table>"
                     "<thead><tr><th>rule</th><th>what</th><th class=\"n\">rows</th></tr>"
                     "</thead><tbody>");
        for (int i = 0; i < r->nexcludes; i++) {
            hbuf_puts(b, "<tr>");
            report_td_text(b, r->excludes[i].rule, 30);
            report_td_text(b, r->excludes[i].description, 80);
            report_td_num(b, r->excludes[i].rows);
            hbuf_puts(b, "</tr>");
        }
        hbuf_puts(b, "</tbody></table></div>");
    }
    hbuf_puts(b, "</section>\n");
}

void report_page_head(struct hbuf *b, const struct report *r, const char *title)
{
    hbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                 "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                 "<meta name=\"referrer\" content=\"no-referrer\"><meta name=\"generator\" "
                 "content=\"");
    html_text(b, r->program ? r->program : "lastfm-syncd");
    const char *user = r->username && *r->username ? r->username : NULL;
    hbuf_puts(b, "\"><title>");
    html_name_plain(b, title);
    if (user) {
        hbuf_puts(b, " \u2013 ");
        html_text(b, user);
    }
    hbuf_puts(b, " \u2013 Last.fm listening report</title><style>");
    hbuf_puts(b, report_css);
    /* the nav bar: the overview, the listings, then the years (each year's
     * page links its months) */
    const char *root = r->root ? r->root : "";
    hbuf_printf(b,
                "</style></head><body>\n<nav class=\"site\"><a href=\"%sindex.html\">"
                "Overview</a> <a href=\"%sartists.html\">Artists</a> <a href=\"%salbums.html\">"
                "Albums</a> <a href=\"%stracks.html\">Tracks</a> <a href=\"%strends.html\">"
                "Trends</a>",
                root, root, root, root, root);
    if (r->links.first_year) {
        hbuf_puts(b, " <span class=\"note\">years:</span>");
        for (int y = r->links.first_year; y <= r->links.last_year; y++) {
            hbuf_puts(b, " ");
            report_year_link(b, r, y);
        }
    }
    hbuf_puts(b, "</nav>\n");
}

void report_page_foot(struct hbuf *b) { hbuf_puts(b, "</body></html>\n"); }

/* trends.html: the history over time, what the index leaves out. */
void report_trends_page(struct hbuf *b, const struct report *r)
{
    report_page_head(b, r, "Trends");
    hbuf_puts(b, "<h1>Over time</h1><p class=\"note\">The whole history, local time (");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, "); counted scrobbles. Every chart's numbers are in the table under it.</p>");
    static const char *const toc[][2] = {
        {"timeline", "Scrobbles over time"},
        {"ranks", "Top artists over the years"},
        {"discovery", "Discovery"},
        {"diversity", "Diversity"},
        {"streaks", "Streaks"},
        {"sessions", "Sessions"},
        {"sensitivity", "Sensitivity"},
    };
    hbuf_puts(b, "<nav class=\"toc\"><span class=\"note\">On this page:</span>");
    for (size_t i = 0; i < sizeof toc / sizeof *toc; i++)
        hbuf_printf(b, " <a href=\"#%s\">%s</a>", toc[i][0], toc[i][1]);
    hbuf_puts(b, "</nav>\n");
    report_timeline(b, r);
    report_bump(b, r);
    report_discovery(b, r);
    report_diversity(b, r);
    streaks(b, r);
    sessions(b, r);
    sensitivity(b, r);
    report_page_foot(b);
}

void report_page(struct hbuf *b, const struct report *r)
{
    const char *user = r->username && *r->username ? r->username : NULL;
    report_page_head(b, r, "Overview");
    hbuf_puts(b, "<h1>Listening report");
    if (user) {
        hbuf_puts(b, " of ");
        html_text(b, user);
    }
    hbuf_puts(b, "</h1><p class=\"note\">Drawn offline from processed/lastfm.sqlite; local "
                 "times in ");
    html_text(b, r->timezone ? r->timezone : "UTC");
    /* the one rank rule, said once for every page */
    hbuf_puts(b, ". Ranks are by counted scrobbles, and ties share a rank on every page (two "
                 "artists level at #3 are both #3, and the next is #5)");
    if (r->links.artists.qualifying > (long)r->links.artists.n)
        hbuf_printf(b,
                    ". Every chart's numbers are in the table under it. Each year has a page "
                    "of its own, and so do the %zu most played of the %ld artists of at least "
                    "%ld counted scrobbles: follow a year or a name.</p>\n",
                    r->links.artists.n, r->links.artists.qualifying, r->links.artists.min);
    else
        hbuf_printf(b,
                    ". Every chart's numbers are in the table under it. Each year, and each "
                    "artist of at least %ld counted scrobbles, has a page of its own: follow a "
                    "year or a name.</p>\n",
                    r->links.artists.min);
    /* What a listener comes for first: the summary, the years, the all-time
     * lists, the calendar and the hours; the history over time has its own
     * page (trends.html). */
    static const char *const toc[][2] = {
        {"summary", "Summary"}, {"review", "Year in review"}, {"top", "Top lists"},
        {"genres", "Genres"},   {"calendar", "Calendar"},     {"hours", "Hour and weekday"},
    };
    hbuf_puts(b, "<nav class=\"toc\"><span class=\"note\">On this page:</span>");
    for (size_t i = 0; i < sizeof toc / sizeof *toc; i++)
        hbuf_printf(b, " <a href=\"#%s\">%s</a>", toc[i][0], toc[i][1]);
    hbuf_puts(b, " <span class=\"note\">&#183; over time (the trends, ranks, discovery, "
                 "diversity, streaks, sessions, sensitivity):</span> <a href=\"trends.html\">"
                 "Trends</a></nav>\n");
    summary(b, r);
    year_review(b, r);
    tops(b, r);
    report_genres(b, r);
    report_calendar(b, r);
    report_hours(b, r);
    report_page_foot(b);
}
