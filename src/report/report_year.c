/* report_year.c: a page per year, report/year/YYYY.html: the year against the
 * one before, its top lists with their ranks and the change of rank, the
 * artists new that year, its calendar and punchcard, its busiest day and week
 * and its longest streak. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "report_int.h"

#define YEAR_TOP 10

/* A top list of the year with this year's ranks and last year's. */
struct ranked {
    struct named_count v[YEAR_TOP]; /* with this year's rank */
    long prev[YEAR_TOP];            /* the rank the year before; 0: back after longer; -1: new */
    int n;
};

/* An artist first heard in the year: its first local day, its scrobbles in it. */
struct new_artist {
    char *name;
    char date[11];
    long n;
};

/* What a year's page reads from the database, loaded before it is drawn. */
struct year_lists {
    struct ranked top[3]; /* artists, albums, tracks */
    struct new_artist fresh[YEAR_TOP];
    int nfresh;
};

static void free_lists(struct year_lists *l)
{
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < l->top[k].n; i++) {
            free(l->top[k].v[i].name);
            free(l->top[k].v[i].artist);
        }
    for (int i = 0; i < l->nfresh; i++)
        free(l->fresh[i].name);
}

/* report.sql's year_artists, year_albums or year_tracks: name, artist (NULL
 * for artists), n, rank, rank the year before (0: none). */
static int load_ranked(sqlite3 *db, const char *name, int year, struct ranked *t)
{
    sqlite3_stmt *st;
    int prc = report_stmt(db, name, &st);
    if (prc < 0)
        return prc;
    sqlite3_bind_int(st, 1, year);
    int rc = SQLITE_DONE, fail = 0;
    while (!fail && t->n < YEAR_TOP && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int i = t->n++;
        t->v[i] = (struct named_count){report_column_name(st, 0), report_column_name(st, 1),
                                       sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)};
        t->prev[i] = sqlite3_column_int64(st, 4);
        fail = report_copied(t->v[i].name, st, 0) || report_copied(t->v[i].artist, st, 1);
    }
    sqlite3_finalize(st);
    return fail ? -ENOMEM : report_sql_rc(rc);
}

/* report.sql's year_new: the artists first heard in the year. */
static int load_new(sqlite3 *db, int year, struct year_lists *l)
{
    sqlite3_stmt *st;
    int prc = report_stmt(db, "year_new", &st);
    if (prc < 0)
        return prc;
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01-01", year % 10000);
    snprintf(to, sizeof to, "%04d-01-01", (year + 1) % 10000);
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE, fail = 0;
    while (!fail && l->nfresh < YEAR_TOP && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct new_artist *a = &l->fresh[l->nfresh++];
        const char *date = (const char *)sqlite3_column_text(st, 1);
        a->name = report_column_name(st, 0);
        snprintf(a->date, sizeof a->date, "%s", date ? date : "");
        a->n = sqlite3_column_int64(st, 2);
        fail = report_copied(a->name, st, 0);
    }
    sqlite3_finalize(st);
    return fail ? -ENOMEM : report_sql_rc(rc);
}

/* Everything the year's page reads: -ENOMEM, -1 (SQL) or 0. */
static int load_year(sqlite3 *db, int year, struct year_lists *l)
{
    static const char *const names[] = {"year_artists", "year_albums", "year_tracks"};
    memset(l, 0, sizeof *l);
    int rc = 0;
    for (int k = 0; k < 3 && !rc; k++)
        rc = load_ranked(db, names[k], year, &l->top[k]);
    return rc ? rc : load_new(db, year, l);
}

static void new_artists(struct hbuf *b, const struct report *r, const struct year_stat *y,
                        const struct year_lists *l)
{
    hbuf_printf(b,
                "<section id=\"new\"><h2>New artists</h2><p>%s artist%s heard for the "
                "first time (their first counted scrobble over the whole history), with "
                "%s scrobbles: ",
                HTML_NUM(y->new_artists), y->new_artists == 1 ? "" : "s",
                HTML_NUM(y->new_artist_scrobbles));
    hbuf_printf(b, "%.1f%% of the year's.</p>",
                y->scrobbles ? 100.0 * (double)y->new_artist_scrobbles / (double)y->scrobbles
                             : 0.0);
    html_wrap_open(b, "h2 h4");
    hbuf_puts(b, "<table><thead><tr><th>artist</th><th>first scrobble</th><th class=\"n\">"
                 "scrobbles that year</th><th class=\"n\">share of the year</th></tr></thead>"
                 "<tbody>");
    for (int i = 0; i < l->nfresh; i++) {
        hbuf_puts(b, "<tr>");
        report_td_artist(b, r, l->fresh[i].name ? l->fresh[i].name : "", 40);
        hbuf_puts(b, "<td class=\"d\">");
        html_text(b, l->fresh[i].date);
        hbuf_puts(b, "</td>");
        report_td_num(b, l->fresh[i].n);
        report_td_share(b, l->fresh[i].n, y->scrobbles);
        hbuf_puts(b, "</tr>");
    }
    if (!l->nfresh)
        hbuf_puts(b, "<tr><td colspan=\"4\">none</td></tr>");
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

/* The year's days in r->days: [*ret_from, *ret_to). */
static void year_days(const struct report *r, int year, long *ret_from, long *ret_to)
{
    char key[8];
    snprintf(key, sizeof key, "%04d", year % 10000);
    long i = 0;
    while (i < r->ndays && strncmp(r->days[i].date, key, 4) < 0)
        i++;
    *ret_from = i;
    while (i < r->ndays && strncmp(r->days[i].date, key, 4) == 0)
        i++;
    *ret_to = i;
}

static void dd_num(struct hbuf *b, const char *dt, long v)
{
    char s[32];
    html_thousands(v, s, sizeof s);
    hbuf_printf(b, "<dt>%s</dt><dd>%s", dt, s);
}

static void year_summary(struct hbuf *b, const struct report *r, int yi)
{
    const struct year_stat *y = &r->years[yi], *before = yi ? &r->years[yi - 1] : NULL;
    char change[32], s[32];
    report_year_change(change, sizeof change, before, y);
    long from, to;
    year_days(r, y->year, &from, &to);
    struct day_runs runs;
    report_day_runs(r->days + from, to - from, NULL, 0, 365, &runs);
    hbuf_puts(b, "<section id=\"summary\"><h2>The year</h2><dl class=\"kv\">");
    dd_num(b, "Scrobbles counted", y->scrobbles);
    if (before) {
        html_thousands(before->scrobbles, s, sizeof s);
        hbuf_printf(b, " (%d: %s; change %s%s)", before->year, s, change,
                    before->partial || y->partial ? " per covered day" : "");
    }
    hbuf_puts(b, "</dd>");
    dd_num(b, "Active days", y->active_days);
    hbuf_printf(b, " of %ld covered", y->covered_days);
    if (before) {
        html_thousands(before->active_days, s, sizeof s);
        hbuf_printf(b, " (%d: %s of %ld)", before->year, s, before->covered_days);
    }
    hbuf_puts(b, "</dd>");
    dd_num(b, "Artists", y->artists);
    hbuf_puts(b, "</dd>");
    if (runs.busiest_day.n)
        hbuf_printf(b,
                    "<dt>Busiest day</dt><dd>%s: %s scrobbles</dd><dt>Busiest week</dt>"
                    "<dd>from Monday %s: %s scrobbles</dd><dt>Longest streak</dt><dd>%ld "
                    "day%s, %s to %s (inside the year)</dd>",
                    runs.busiest_day.date, HTML_NUM(runs.busiest_day.n), runs.busiest_week,
                    HTML_NUM(runs.busiest_week_n), runs.longest_run.days,
                    runs.longest_run.days == 1 ? "" : "s", runs.longest_run.from,
                    runs.longest_run.to);
    if (y->sessions)
        hbuf_printf(b, "<dt>Sessions</dt><dd>%s, median %.1f minutes, %.1f tracks each</dd>",
                    HTML_NUM(y->sessions), y->median_session_minutes, y->tracks_per_session);
    if (!y->thin)
        hbuf_printf(b, "<dt>Busiest weekday, peak hour</dt><dd>%s, %02d:00 (local)</dd>",
                    report_weekday[y->busiest_weekday], y->peak_hour);
    hbuf_puts(b, "</dl></section>\n");
}

static void tops(struct hbuf *b, const struct report *r, int yi, const struct year_lists *l)
{
    const struct year_stat *y = &r->years[yi], *before = yi ? &r->years[yi - 1] : NULL;
    /* No change of rank against a thin year, nor in one. */
    bool compare = before && !before->thin && !y->thin;
    static const char *const titles[] = {"Artists", "Albums", "Tracks"};
    static const enum page_kind kinds[] = {PAGE_ARTIST, PAGE_ALBUM, PAGE_TRACK};
    hbuf_printf(b,
                "<section id=\"top\"><h2>Top artists, albums and tracks</h2><p class=\"note"
                "\">Ranks by counted scrobbles of the year (ties share a rank)%s. Shares "
                "of the year's scrobbles.</p><div class=\"grid2 tops\">",
                compare ? "; the year before: the rank then and how many places it moved, "
                          "\"back\" if not played then but in an earlier year, \"new\" if "
                          "never played before"
                        : "; no comparison with the year before (it or this one is thin, or "
                          "there is none)");
    for (int k = 0; k < 3; k++) {
        const struct ranked *t = &l->top[k];
        report_top_table(b, r, titles[k], t->v, t->n, y->scrobbles, kinds[k],
                         compare ? t->prev : NULL);
    }
    hbuf_puts(b, "</div></section>\n");
}

/* The year's months, each a link to its page where it has scrobbles. */
static void months_line(struct hbuf *b, const struct report *r, int year)
{
    static const char *const abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    hbuf_puts(b, "<nav class=\"months\"><span class=\"note\">months:</span>");
    for (int m = 1; m <= 12; m++) {
        hbuf_puts(b, " ");
        bool link =
            report_link_open(b, r, PAGE_MONTH, &(struct page_key){.year = year, .month = m});
        hbuf_printf(b, link ? "%s</a>" : "<span class=\"note\">%s</span>", abbr[m - 1]);
    }
    hbuf_puts(b, "</nav>\n");
}

int report_year_page(struct hbuf *b, sqlite3 *db, const struct report *r, int yi)
{
    const struct year_stat *y = &r->years[yi];
    char title[32], cov[96];
    snprintf(title, sizeof title, "%d", y->year);
    report_page_head(b, r, title);
    report_year_coverage(cov, sizeof cov, y);
    hbuf_printf(b, "<h1>%d</h1><p class=\"note\">", y->year);
    if (yi > 0) {
        hbuf_puts(b, "&#8592; ");
        report_year_link(b, r, r->years[yi - 1].year);
        hbuf_puts(b, " &#183; ");
    }
    hbuf_puts(b, "local calendar year (");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, ")");
    if (yi + 1 < r->nyears) {
        hbuf_puts(b, " &#183; ");
        report_year_link(b, r, r->years[yi + 1].year);
        hbuf_puts(b, " &#8594;");
    }
    hbuf_puts(b, "</p>");
    months_line(b, r, y->year);
    if (cov[0])
        hbuf_printf(b, "<p class=\"mark\">%s%s</p>", cov,
                    y->thin && !y->silent ? ": shown, never compared with another year" : "");
    if (y->silent) {
        hbuf_puts(b, "<p>No counted scrobble in this year.</p>");
        report_page_foot(b);
        return 0;
    }
    struct year_lists l;
    int rc = load_year(db, y->year, &l);
    if (rc < 0) {
        free_lists(&l);
        return rc; /* -ENOMEM or -1 (SQL): nothing is published */
    }
    year_summary(b, r, yi);
    tops(b, r, yi, &l);
    new_artists(b, r, y, &l);
    free_lists(&l);
    report_year_genres(b, r, y, yi ? &r->years[yi - 1] : NULL);
    hbuf_puts(b, "<section id=\"calendar\"><h2>Calendar</h2><p class=\"note\">One square "
                 "per local date, darker for more counted scrobbles; each links to its day on "
                 "the month's page.</p>");
    report_calendar_year(b, r, yi);
    hbuf_puts(b, "</section>\n<section id=\"punchcard\"><h2>Hour and weekday</h2>"
                 "<div class=\"grid2 wide2\"><div>");
    char pt[48];
    snprintf(pt, sizeof pt, "%d: weekday x hour%s", y->year, y->thin ? " (thin year)" : "");
    report_punchcard(b, "punchcard", pt, y->punch);
    hbuf_puts(b, "</div></div></section>\n");
    report_page_foot(b);
    return 0;
}
