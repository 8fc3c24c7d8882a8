/* report_year.c: a page per year, report/year/YYYY.html: the year against the
 * one before, its top lists with their ranks and the change of rank, the
 * artists new that year, its calendar and punchcard, its busiest day and week
 * and its longest streak. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "report_int.h"

#define YEAR_TOP 10

/* A top list of the year with this year's ranks and last year's. */
struct ranked {
    struct named_count v[YEAR_TOP];
    long rank[YEAR_TOP], prev[YEAR_TOP];
    int n;
};

static void free_ranked(struct ranked *t)
{
    for (int i = 0; i < t->n; i++) {
        free(t->v[i].name);
        free(t->v[i].artist);
    }
    t->n = 0;
}

/* Columns: name, artist (NULL for artists), n, rank, rank the year before (0: none). */
static int load_ranked(sqlite3 *db, const char *sql, int year, struct ranked *t)
{
    sqlite3_stmt *st;
    memset(t, 0, sizeof *t);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int(st, 1, year);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && t->n < YEAR_TOP) {
        int i = t->n++;
        t->v[i].name = report_name_dup((const char *)sqlite3_column_text(st, 0));
        t->v[i].artist = sqlite3_column_type(st, 1) == SQLITE_NULL
                             ? NULL
                             : report_name_dup((const char *)sqlite3_column_text(st, 1));
        t->v[i].n = sqlite3_column_int64(st, 2);
        t->rank[i] = sqlite3_column_int64(st, 3);
        t->prev[i] = sqlite3_column_int64(st, 4);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static const char artists_sql[] =
    "SELECT a.artist, NULL, a.n, a.k, coalesce((SELECT p.k FROM year_rank AS p WHERE "
    "p.artist = a.artist AND p.local_year = a.local_year - 1), 0) FROM year_rank AS a "
    "WHERE a.local_year = ?1 AND a.k <= " STR(YEAR_TOP) " ORDER BY a.k, a.artist";
#define NAMED_SQL(t)                                                                           \
    "SELECT a.name, a.artist, a.n, a.k, coalesce((SELECT p.k FROM " t " AS p WHERE "           \
    "p.artist = a.artist AND p.name = a.name AND p.local_year = a.local_year - 1), 0) FROM " t \
    " AS a WHERE a.local_year = ?1 AND a.k <= " STR(YEAR_TOP) " ORDER BY a.k, a.artist, a.name"
static const char albums_sql[] = NAMED_SQL("album_rank");
static const char tracks_sql[] = NAMED_SQL("track_rank");
/* The artists whose first counted scrobble is in the year, by their scrobbles in it. */
static const char new_sql[] =
    "SELECT f.artist, f.first_local_date, y.n FROM firsts AS f JOIN year_rank AS y "
    "ON y.artist = f.artist AND y.local_year = ?1 WHERE f.first_local_date >= ?2 "
    "AND f.first_local_date < ?3 ORDER BY y.n DESC, f.artist LIMIT " STR(YEAR_TOP);

static int new_artists(struct hbuf *b, sqlite3 *db, const struct report *r,
                       const struct year_stat *y)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, new_sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01-01", y->year % 10000);
    snprintf(to, sizeof to, "%04d-01-01", (y->year + 1) % 10000);
    sqlite3_bind_int(st, 1, y->year);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
    hbuf_printf(b,
                "<section id=\"new\"><h2>New artists</h2><p>%ld artist%s heard for the "
                "first time (their first counted scrobble over the whole history), with "
                "%ld scrobbles: ",
                y->new_artists, y->new_artists == 1 ? "" : "s", y->new_artist_scrobbles);
    hbuf_printf(b,
                "%.1f%% of the year's.</p><div class=\"wrap\"><table><thead><tr><th>artist"
                "</th><th>first scrobble</th><th class=\"n\">scrobbles that year</th><th "
                "class=\"n\">share of the year</th></tr></thead><tbody>",
                y->scrobbles ? 100.0 * (double)y->new_artist_scrobbles / (double)y->scrobbles
                             : 0.0);
    int rc, rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *name = report_name_dup((const char *)sqlite3_column_text(st, 0));
        const char *date = (const char *)sqlite3_column_text(st, 1);
        long n = sqlite3_column_int64(st, 2);
        hbuf_puts(b, "<tr>");
        report_td_artist(b, r, name ? name : "", 40);
        hbuf_puts(b, "<td class=\"d\">");
        html_text(b, date ? date : "");
        hbuf_puts(b, "</td>");
        report_td_num(b, n);
        report_td_share(b, n, y->scrobbles);
        hbuf_puts(b, "</tr>");
        free(name);
        rows++;
    }
    sqlite3_finalize(st);
    if (!rows)
        hbuf_puts(b, "<tr><td colspan=\"4\">none</td></tr>");
    hbuf_puts(b, "</tbody></table></div></section>\n");
    return rc == SQLITE_DONE ? 0 : -1;
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
    report_day_runs(r->days + from, to - from, 365, &runs);
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
                    "<dt>Busiest day</dt><dd>%s: %ld scrobbles</dd><dt>Busiest week</dt>"
                    "<dd>from Monday %s: %ld scrobbles</dd><dt>Longest streak</dt><dd>%ld "
                    "day%s, %s to %s (inside the year)</dd>",
                    runs.busiest_day.date, runs.busiest_day.n, runs.busiest_week,
                    runs.busiest_week_n, runs.longest_run.days,
                    runs.longest_run.days == 1 ? "" : "s", runs.longest_run.from,
                    runs.longest_run.to);
    if (y->sessions)
        hbuf_printf(b, "<dt>Sessions</dt><dd>%ld, median %.1f minutes, %.1f tracks each</dd>",
                    y->sessions, y->median_session_minutes, y->tracks_per_session);
    if (!y->thin)
        hbuf_printf(b, "<dt>Busiest weekday, peak hour</dt><dd>%s, %02d:00 (local)</dd>",
                    report_weekday[y->busiest_weekday], y->peak_hour);
    hbuf_puts(b, "</dl></section>\n");
}

static int tops(struct hbuf *b, sqlite3 *db, const struct report *r, int yi)
{
    const struct year_stat *y = &r->years[yi], *before = yi ? &r->years[yi - 1] : NULL;
    /* No change of rank against a thin year, nor in one. */
    bool compare = before && !before->thin && !y->thin;
    static const char *const titles[] = {"Artists", "Albums", "Tracks"};
    const char *sql[] = {artists_sql, albums_sql, tracks_sql};
    hbuf_printf(b,
                "<section id=\"top\"><h2>Top artists, albums and tracks</h2><p class=\"note"
                "\">Ranks by counted scrobbles of the year (ties share a rank)%s. Shares "
                "of the year's scrobbles.</p><div class=\"grid2 tops\">",
                compare ? "; the year before: the rank then, and how many places it moved"
                        : "; no comparison with the year before (it or this one is thin, or "
                          "there is none)");
    for (int k = 0; k < 3; k++) {
        struct ranked t;
        if (load_ranked(db, sql[k], y->year, &t) < 0) {
            free_ranked(&t);
            return -1;
        }
        static const enum page_kind kinds[] = {PAGE_ARTIST, PAGE_ALBUM, PAGE_TRACK};
        report_top_table(b, r, titles[k], t.v, t.n, y->scrobbles, kinds[k], t.rank,
                         compare ? t.prev : NULL);
        free_ranked(&t);
    }
    hbuf_puts(b, "</div></section>\n");
    return 0;
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
    year_summary(b, r, yi);
    if (tops(b, db, r, yi) < 0 || new_artists(b, db, r, y) < 0)
        return -1;
    long q[5];
    report_calendar_shades(r, q);
    hbuf_puts(b, "<section id=\"calendar\"><h2>Calendar</h2><p class=\"note\">Darker for more "
                 "counted scrobbles, in the same shades as on the overview.</p>");
    report_calendar_year(b, r, yi, q);
    hbuf_puts(b, "</section>\n<section id=\"punchcard\"><h2>Hour and weekday</h2>"
                 "<div class=\"grid2\"><div>");
    char pt[48];
    snprintf(pt, sizeof pt, "%d: weekday x hour%s", y->year, y->thin ? " (thin year)" : "");
    report_punchcard(b, "punchcard", pt, y->punch);
    hbuf_puts(b, "</div></div></section>\n");
    report_page_foot(b);
    return 0;
}
