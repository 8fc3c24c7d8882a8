/* report_month.c: a page per month with counted scrobbles,
 * report/month/YYYY-MM.html: its top artists, albums and tracks, each day's
 * count, and every counted scrobble of the month by day in local time, each
 * day under an anchor id="YYYY-MM-DD" (the calendars link to it).  Rows a
 * rule flags are left to the ledger on the index. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "report_int.h"

#define MONTH_TOP 10

static const char *const month_names[13] = {
    "",     "January", "February",  "March",   "April",    "May",     "June",
    "July", "August",  "September", "October", "November", "December"};

/* What the page shows above the list: its top tens. */
struct month_page {
    char month[12]; /* YYYY-MM */
    int year, mon;
    long n;
    struct named_count top[3][MONTH_TOP];
    int ntop[3];
};

static void month_free(struct month_page *m)
{
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < m->ntop[k]; i++) {
            free(m->top[k][i].name);
            free(m->top[k][i].artist);
        }
}

static int load_month(sqlite3 *db, const struct report *r, long mi, struct month_page *m)
{
    static const char *const sql[3] = {"month_artists", "month_albums", "month_tracks"};
    memset(m, 0, sizeof *m);
    snprintf(m->month, sizeof m->month, "%s", r->months[mi].month);
    sscanf(m->month, "%d-%d", &m->year, &m->mon);
    m->n = r->months[mi].n;
    for (int k = 0; k < 3; k++) {
        sqlite3_stmt *st;
        int prc = report_stmt(db, sql[k], &st);
        if (prc < 0)
            return prc;
        sqlite3_bind_text(st, 1, m->month, -1, SQLITE_STATIC);
        struct report_top_ctx c = {m->top[k], &m->ntop[k], MONTH_TOP, 0, k > 0};
        int rc, fail = 0;
        while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW)
            fail = report_on_top(st, &c);
        sqlite3_finalize(st);
        if (fail)
            return fail;
        if (rc != SQLITE_DONE)
            return report_sql_fail(rc);
    }
    return 0;
}

/* The month before or after with a page, as a link, or nothing. */
static void neighbour(struct hbuf *b, const struct report *r, long mi, int step, const char *text)
{
    for (long i = mi + step; i >= 0 && i < r->nmonths; i += step) {
        if (r->months[i].n == 0)
            continue;
        int y = 0, m = 0;
        sscanf(r->months[i].month, "%d-%d", &y, &m);
        if (report_link_open(b, r, PAGE_MONTH, &(struct page_key){.year = y, .month = m})) {
            hbuf_printf(b, step < 0 ? "%s %s</a>" : "%2$s %1$s</a>", text, r->months[i].month);
            return;
        }
    }
}

/* Each day of the month with scrobbles, from r->days (sorted by date). */
static void day_table(struct hbuf *b, const struct report *r, const struct month_page *m,
                      long *first, long *end)
{
    long lo = 0, hi = r->ndays;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (strncmp(r->days[mid].date, m->month, 7) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    for (*end = lo; *end < r->ndays && strncmp(r->days[*end].date, m->month, 7) == 0; (*end)++)
        ;
    hbuf_printf(b,
                "<section id=\"days\"><h2>Day by day</h2><p class=\"note\">%s active days; "
                "follow a date to its scrobbles below.</p><div class=\"wrap\"><table><thead><tr>"
                "<th>local date</th><th class=\"n\">scrobbles</th></tr></thead><tbody>",
                HTML_NUM(*end - *first));
    for (long i = *first; i < *end; i++)
        hbuf_printf(b, "<tr><td><a href=\"#%s\">%s</a></td><td class=\"n\">%s</td></tr>",
                    r->days[i].date, r->days[i].date, HTML_NUM(r->days[i].n));
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

/* Every counted scrobble, a table per day under its anchor. */
static int scrobble_list(struct hbuf *b, sqlite3 *db, const struct report *r,
                         const struct month_page *m)
{
    sqlite3_stmt *st;
    int prc = report_stmt(db, "month_scrobbles", &st);
    if (prc < 0)
        return prc;
    sqlite3_bind_text(st, 1, m->month, -1, SQLITE_STATIC);
    hbuf_puts(b, "<section id=\"scrobbles\"><h2>Every scrobble</h2><p class=\"note\">Each "
                 "counted scrobble of the month in time order, local time; the artist after the "
                 "alias file.</p>\n");
    char day[11] = "";
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *date = (const char *)sqlite3_column_text(st, 0);
        if (!date)
            break;
        if (strcmp(day, date) != 0) {
            if (day[0])
                hbuf_puts(b, "</tbody></table></div>\n");
            snprintf(day, sizeof day, "%s", date);
            long dn = report_day_number(day); /* 0000-03-01 was a Wednesday */
            const char *wd = dn > 0 ? report_weekday[(dn + 2) % 7 + 1] : "";
            hbuf_printf(b, "<h3 id=\"%s\">%s %s</h3>", day, wd, day);
            html_wrap_open(b, "h4"); /* a phone: time, artist, track */
            hbuf_puts(b, "<table class=\"list\"><thead><tr><th>time</th><th>artist</th>"
                         "<th>track</th><th>album</th></tr></thead><tbody>");
        }
        char *col[3];
        for (int k = 0; k < 3; k++)
            col[k] = report_column_name(st, 2 + k);
        bool oom = report_copied(col[0], st, 2) || report_copied(col[1], st, 3) ||
                   report_copied(col[2], st, 4);
        if (!oom) {
            hbuf_puts(b, "<tr><td class=\"d\">");
            html_text(b, (const char *)sqlite3_column_text(st, 1));
            hbuf_puts(b, "</td>");
            report_td_artist(b, r, col[0], 30);
            report_td_link(b, r, PAGE_TRACK, &(struct page_key){.artist = col[0], .name = col[1]},
                           col[1], 40);
            report_td_link(b, r, PAGE_ALBUM, &(struct page_key){.artist = col[0], .name = col[2]},
                           col[2], 40);
            hbuf_puts(b, "</tr>\n");
        }
        for (int k = 0; k < 3; k++)
            free(col[k]);
        if (oom) {
            sqlite3_finalize(st);
            return -ENOMEM;
        }
    }
    sqlite3_finalize(st);
    if (day[0])
        hbuf_puts(b, "</tbody></table></div>\n");
    hbuf_puts(b, "</section>\n");
    return rc == SQLITE_DONE ? 0 : report_sql_fail(rc);
}

int report_month_page(struct hbuf *b, sqlite3 *db, const struct report *r, long mi)
{
    struct month_page m;
    int rc = load_month(db, r, mi, &m);
    if (rc < 0) {
        month_free(&m);
        return rc;
    }
    char title[40], n[32];
    snprintf(title, sizeof title, "%s %d", m.mon >= 1 && m.mon <= 12 ? month_names[m.mon] : "",
             m.year);
    report_page_head(b, r, title);
    html_thousands(m.n, n, sizeof n);
    hbuf_printf(b, "<h1>%s</h1><p class=\"note\">", title);
    neighbour(b, r, mi, -1, "\u2190");
    hbuf_puts(b, " \u00b7 the year: ");
    report_year_link(b, r, m.year);
    hbuf_puts(b, " \u00b7 ");
    neighbour(b, r, mi, 1, "\u2192");
    hbuf_printf(b, "</p><dl class=\"kv\"><dt>Scrobbles counted</dt><dd>%s</dd></dl>", n);
    hbuf_puts(b, "<p class=\"note\">Local dates and times (");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, "); counted scrobbles only.</p>\n<section id=\"top\"><h2>Top artists, albums "
                 "and tracks</h2><div class=\"grid2 tops\">");
    static const char *const titles[] = {"Artists", "Albums", "Tracks"};
    static const enum page_kind kinds[] = {PAGE_ARTIST, PAGE_ALBUM, PAGE_TRACK};
    for (int k = 0; k < 3; k++)
        report_top_table(b, r, titles[k], m.top[k], m.ntop[k], m.n, kinds[k], NULL);
    hbuf_puts(b, "</div></section>\n");
    month_free(&m);
    long first, end;
    day_table(b, r, &m, &first, &end);
    if ((rc = scrobble_list(b, db, r, &m)) < 0)
        return rc;
    report_page_foot(b);
    return 0;
}
