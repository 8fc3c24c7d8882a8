/* report_calendar.c: the calendars.  One shade rule for all of them: fixed
 * bins of counted scrobbles a day (report_day_shade), so a shade means the
 * same count on every page and in every history, with its legend beside each
 * calendar.  The index has one compact calendar of every year by month (the
 * month's scrobbles a day, each cell a link to the month's page); a year's
 * page has the year day by day, its busiest day outlined. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "svg_int.h"

/* The lowest count of each shade 1..5 (shade 0: none). */
static const long shade_from[REPORT_SHADES + 1] = {0, 1, 6, 21, 51, 101};

int report_day_shade(double n)
{
    int shade = 0;
    for (int k = 1; k <= REPORT_SHADES; k++)
        if (n >= (double)shade_from[k] || (k == 1 && n > 0))
            shade = k;
    return shade;
}

void report_calendar_legend(struct hbuf *b, const char *what)
{
    hbuf_printf(b, "<p class=\"legend\">%s:", what);
    for (int k = 1; k <= REPORT_SHADES; k++) {
        hbuf_printf(b, " <span class=\"sw q%d\"></span>", k);
        if (k < REPORT_SHADES)
            hbuf_printf(b, "%ld&#8211;%ld", shade_from[k], shade_from[k + 1] - 1);
        else
            hbuf_printf(b, "%ld or more", shade_from[k]);
    }
    hbuf_puts(b, "</p>");
}

static long day_of_week(int y, int m, int d) /* ISO 1..7, Zeller-free: Sakamoto */
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7; /* 0 = Sunday */
    return w == 0 ? 7 : w;
}

static int days_in(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return dm[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* The first of the year's days in r->days (sorted): its index. */
static long year_start(const struct report *r, int year)
{
    char jan1[16];
    snprintf(jan1, sizeof jan1, "%04d-01-01", year % 10000);
    return report_day_at(r->days, r->ndays, jan1);
}

/* The year's busiest day (the first of equals), or NULL. */
static const struct day_count *busiest(const struct report *r, int year, long from)
{
    const struct day_count *best = NULL;
    for (long i = from; i < r->ndays && atoi(r->days[i].date) == year; i++)
        if (!best || r->days[i].n > best->n)
            best = &r->days[i];
    return best;
}

/* What a year's calendar draws from. */
struct year_cal {
    const struct report *r;
    int year;
    long first_day;               /* the year's first day in r->days */
    const struct day_count *peak; /* its busiest day, outlined */
};

/* A square per day, a column per week (Monday first); on a phone's width the
 * weekdays named every third row. */
static void draw_year(struct chart *c, const void *ctx)
{
    const struct year_cal *yc = ctx;
    const struct report *r = yc->r;
    struct hbuf *b = c->b;
    int year = yc->year;
    char s[32];
    c->left = 40;
    double cell = (c->width - c->left - c->right) / 54.0;
    int first_wd = (int)day_of_week(year, 1, 1);
    for (int d = 1; d <= 7; d += c->narrow ? 3 : 2)
        hbuf_printf(b,
                    "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                    "%.3s</text>",
                    c->left - 4, c->top + cell * (d - 1) + cell * 0.75, report_weekday[d]);
    /* each month's name over the week that holds its first day (a phone's:
     * every other month) */
    for (int m = 1, at = 0; m <= 12; at += days_in(year, m), m++)
        if (!c->narrow || m % 2)
            hbuf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">%s</text>",
                        c->left + cell * ((at + first_wd - 1) / 7), c->top + cell * 7 + 14,
                        month_abbr[m - 1]);
    long di = yc->first_day;
    int doy = 0;
    for (int m = 1; m <= 12; m++)
        for (int d = 1; d <= days_in(year, m); d++, doy++) {
            char date[32];
            snprintf(date, sizeof date, "%04d-%02d-%02d", year % 10000, m, d);
            while (di < r->ndays && strcmp(r->days[di].date, date) < 0)
                di++;
            bool have = di < r->ndays && strcmp(r->days[di].date, date) == 0;
            long n = have ? r->days[di].n : 0;
            int wd = (int)day_of_week(year, m, d);
            int week = (doy + first_wd - 1) / 7;
            /* a day with scrobbles links to its list on the month's page */
            bool link = n > 0 &&
                        report_link_open(b, r, PAGE_MONTH,
                                         &(struct page_key){.year = year, .month = m, .day = date});
            html_thousands(n, s, sizeof s);
            hbuf_printf(b,
                        "<rect class=\"q%d%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\"><title>%s: %s</title></rect>%s",
                        report_day_shade((double)n),
                        have && &r->days[di] == yc->peak ? " peak" : "", c->left + cell * week,
                        c->top + cell * (wd - 1), cell - 1.5, cell - 1.5, date, s,
                        link ? "</a>" : "");
        }
    hbuf_printf(b, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                (c->left + c->width - c->right) / 2, c->height - 6,
                c->narrow ? "week of the year (local)"
                          : "week of the year (local), named by the month that starts in it");
}

void report_calendar_year(struct hbuf *b, const struct report *r, int yi)
{
    int year = r->years[yi].year;
    if (r->years[yi].silent) {
        hbuf_printf(b, "<p class=\"note\">%d: no counted scrobble.</p>", year);
        return;
    }
    long first_day = year_start(r, year);
    const struct day_count *peak = busiest(r, year, first_day);
    char s[32];
    html_thousands(peak ? peak->n : 0, s, sizeof s);
    report_calendar_legend(b, "Counted scrobbles a day");
    if (peak)
        hbuf_printf(b,
                    "<p class=\"legend\"><span class=\"sw peak\"></span>the year's busiest "
                    "day, %s: %s</p>",
                    peak->date, s);
    char title[64], id[32];
    snprintf(title, sizeof title, "%d: scrobbles per local date", year);
    snprintf(id, sizeof id, "calendar-%d", year);
    struct year_cal yc = {r, year, first_day, peak};
    report_chart_twice(b, id, title, REPORT_WIDE, 186, draw_year, &yc);
    static const char *const h[] = {"local date", "scrobbles"};
    html_table_begin(b, "The numbers", h, 2);
    for (long i = first_day; i < r->ndays && atoi(r->days[i].date) == year; i++) {
        int y = 0, m = 0;
        sscanf(r->days[i].date, "%d-%d", &y, &m);
        hbuf_puts(b, "<tr><td>");
        bool link = report_link_open(
            b, r, PAGE_MONTH, &(struct page_key){.year = y, .month = m, .day = r->days[i].date});
        html_thousands(r->days[i].n, s, sizeof s);
        hbuf_printf(b, "%s%s</td><td class=\"n\">%s</td></tr>\n", r->days[i].date,
                    link ? "</a>" : "", s);
    }
    html_table_end(b);
    svg_chart_close(b);
}

/* One cell of the compact calendar: the month's scrobbles a day, shaded,
 * linked to the month's page where it has one. */
static void month_cell(struct hbuf *b, const struct report *r, int year, int m, long n)
{
    double per_day = (double)n / days_in(year, m);
    char s[32];
    html_thousands(n, s, sizeof s);
    hbuf_printf(b, "<td class=\"q%d\">", report_day_shade(per_day));
    if (n > 0) {
        bool link =
            report_link_open(b, r, PAGE_MONTH, &(struct page_key){.year = year, .month = m});
        hbuf_printf(b, "<span title=\"%04d-%02d: %s scrobbles, %.1f a day\">%s</span>%s",
                    year % 10000, m, s, per_day, s, link ? "</a>" : "");
    }
    hbuf_puts(b, "</td>");
}

void report_calendar(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"calendar\"><h2>Calendar</h2><p class=\"note\">Every year by "
                 "local month (");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, "): each cell the month's counted scrobbles, shaded by their mean a day, and a "
                 "link to the month's page with every day. Each year's page has the year day by "
                 "day.</p>");
    report_calendar_legend(b, "Counted scrobbles a day (the month's mean)");
    hbuf_puts(b, "<div class=\"wrap\"><table class=\"cal\"><thead><tr><th>year</th>");
    for (int m = 0; m < 12; m++)
        hbuf_printf(b, "<th>%s</th>", month_abbr[m]);
    hbuf_puts(b, "</tr></thead><tbody>");
    for (int yi = r->nyears - 1; yi >= 0; yi--) { /* the latest year first */
        int year = r->years[yi].year;
        hbuf_puts(b, "<tr><th>");
        report_year_link(b, r, year);
        hbuf_puts(b, "</th>");
        for (int m = 1; m <= 12; m++)
            month_cell(b, r, year, m, report_month_n(r, year, m));
        hbuf_puts(b, "</tr>");
    }
    hbuf_puts(b, "</tbody></table></div></section>\n");
}
