/* report_charts.c: the report's charts, every one drawn through svg_int.h. */
#include "autoconfig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "svg_int.h"

#define ROLLING_MONTHS 12

/* Escaped SVG text, cut with an ellipsis; the full text in a <title>. */
void report_svg_name(struct hbuf *b, double x, double y, const char *anchor, const char *cls,
                     const char *name, size_t max)
{
    hbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y, anchor,
                cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    struct hbuf cut = {0};
    bool was_cut = html_text_cut(&cut, name, max);
    b->oom |= cut.oom; /* a page with a name missing is not published */
    if (was_cut) {
        hbuf_puts(b, "<title>");
        html_name_plain(b, name);
        hbuf_puts(b, "</title>");
    }
    hbuf_puts(b, "\xe2\x81\xa8"); /* FSI ... PDI: isolated, as html_name_plain() */
    hbuf_puts(b, cut.data ? cut.data : "");
    hbuf_puts(b, "\xe2\x81\xa9");
    hbuf_free(&cut);
    hbuf_puts(b, "</text>");
}

void report_month_label(struct hbuf *b, size_t i, void *opaque)
{
    const struct report *r = opaque;
    hbuf_printf(b, "%.4s", r->months[i].month);
}

void report_month_name(struct hbuf *b, size_t i, void *opaque)
{
    const struct report *r = opaque;
    hbuf_puts(b, r->months[i].month);
}

void report_year_label(struct hbuf *b, size_t i, void *opaque)
{
    const struct report *r = opaque;
    hbuf_printf(b, "%d", r->years[i].year);
}

size_t report_every_nth(size_t n, size_t fit) { return n <= fit ? 1 : (n + fit - 1) / fit; }

/* The months are contiguous (report.c fills empty ones): label each January
 * with its year, every year or every few when there are many. */
void report_month_axis(struct chart *c, const struct report *r)
{
    size_t first = 0;
    if (r->nmonths)
        first = (size_t)((13 - atoi(r->months[0].month + 5)) % 12);
    size_t years = (size_t)r->nmonths / 12 + 1;
    svg_chart_axis_bands(c, (size_t)r->nmonths, first, 12 * report_every_nth(years, 16),
                         "local month (labels: January of each year)", report_month_label,
                         (void *)r);
}

/* Bars per year, marked: partial years pale, thin ones grey; with `compare`
 * (a figure that compares years) a thin or silent year gets no bar but a
 * pale band saying why. */
void report_year_bars(struct chart *c, const struct report *r, const double *v, const char *cls,
                      bool compare, int decimals, const char *suffix)
{
    size_t n = (size_t)r->nyears;
    for (size_t i = 0; i < n; i++) {
        const struct year_stat *y = &r->years[i];
        double w, x = svg_chart_band_x(c, n, i, &w);
        char cov[96];
        report_year_coverage(cov, sizeof cov, y);
        if (y->thin) { /* a pale band marks it; a comparing figure draws no bar */
            hbuf_printf(c->b,
                        "<rect class=\"hatch\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
                        "height=\"%.1f\"><title>%d: %s%s</title></rect>",
                        x + w * 0.15, c->top, w * 0.7, c->height - c->bottom - c->top, y->year, cov,
                        compare ? ", not compared" : "");
            if (compare)
                continue;
        }
        double top = svg_scale_at(&c->y, v[i]);
        hbuf_printf(c->b,
                    "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
                    "height=\"%.1f\"><title>%d: %.*f%s%s%s%s</title></rect>",
                    y->thin      ? "thin"
                    : y->partial ? "part"
                                 : cls,
                    x + w * 0.15, top, w * 0.7, c->height - c->bottom - top, y->year, decimals,
                    v[i], suffix, cov[0] ? " (" : "", cov, cov[0] ? ")" : "");
    }
}

/* ---- timeline: per month with a rolling mean, per year, cumulative ---- */

/* Scrobbles per local month as bars, with the mean of the last 12 months as a
 * line, and the table of the numbers. */
static void monthly_chart(struct hbuf *b, const struct report *r)
{
    struct chart c;
    long max = 1;
    for (long i = 0; i < r->nmonths; i++)
        if (r->months[i].n > max)
            max = r->months[i].n;
    svg_chart_begin(&c, b, "monthly",
                    "Scrobbles per month (local months), with the mean of the "
                    "last 12 months",
                    REPORT_WIDE, 300);
    svg_chart_axis_y(&c, 0, (double)max, "scrobbles per month");
    double *mean = calloc((size_t)(r->nmonths ? r->nmonths : 1), sizeof *mean);
    double *v = calloc((size_t)(r->nmonths ? r->nmonths : 1), sizeof *v);
    b->oom |= !mean || !v; /* a chart without its bars is not published */
    for (long i = 0; v && i < r->nmonths; i++)
        v[i] = (double)r->months[i].n;
    if (v)
        svg_chart_bars(&c, (size_t)r->nmonths, v, "bar", 0.8, 0, "", report_month_name, (void *)r);
    free(v);
    for (long i = 0; i < r->nmonths; i++) {
        long sum = 0, k = 0;
        for (long j = i; j >= 0 && j > i - ROLLING_MONTHS; j--, k++)
            sum += r->months[j].n;
        if (mean)
            mean[i] = (double)sum / (double)k;
    }
    if (mean && r->nmonths > 1) {
        hbuf_puts(b, "<polyline class=\"line\" points=\"");
        for (long i = 0; i < r->nmonths; i++) {
            double w, x = svg_chart_band_x(&c, (size_t)r->nmonths, (size_t)i, &w);
            hbuf_printf(b, "%.1f,%.1f ", x + w / 2, svg_scale_at(&c.y, mean[i]));
        }
        hbuf_puts(b, "\"/>");
    }
    report_month_axis(&c, r);
    svg_chart_end(&c);
    static const char *const mh[] = {"month", "scrobbles", "mean of the last 12 months",
                                     "new artists"};
    html_table_begin(b, "The numbers", mh, 4);
    for (long i = 0; i < r->nmonths; i++)
        hbuf_printf(b,
                    "<tr><td>%s</td><td class=\"n\">%ld</td><td class=\"n\">%.1f</td>"
                    "<td class=\"n\">%ld</td></tr>\n",
                    r->months[i].month, r->months[i].n, mean ? mean[i] : 0.0,
                    r->months[i].new_artists);
    html_table_end(b);
    svg_chart_close(b);
    free(mean);
}

/* Scrobbles per local year, partial and thin years marked, and their table. */
static void yearly_chart(struct hbuf *b, const struct report *r)
{
    struct chart c;
    long max = 1;
    for (int i = 0; i < r->nyears; i++)
        if (r->years[i].scrobbles > max)
            max = r->years[i].scrobbles;
    svg_chart_begin(&c, b, "yearly",
                    "Scrobbles per year (local calendar years; pale: partial, "
                    "grey: thin)",
                    REPORT_WIDE, 260);
    svg_chart_axis_y(&c, 0, (double)max, "scrobbles per year");
    double *v = calloc((size_t)(r->nyears ? r->nyears : 1), sizeof *v);
    b->oom |= !v;
    for (int i = 0; v && i < r->nyears; i++)
        v[i] = (double)r->years[i].scrobbles;
    if (v)
        report_year_bars(&c, r, v, "bar", false, 0, "");
    free(v);
    svg_chart_axis_bands(&c, (size_t)r->nyears, 0, report_every_nth((size_t)r->nyears, 20),
                         "local year", report_year_label, (void *)r);
    svg_chart_end(&c);
    static const char *const yh[] = {"year", "scrobbles", "active days", "artists", "coverage"};
    html_table_begin(b, "The numbers", yh, 5);
    for (int i = 0; i < r->nyears; i++) {
        char cov[96];
        report_year_coverage(cov, sizeof cov, &r->years[i]);
        hbuf_printf(b,
                    "<tr><td>%d</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
                    "<td class=\"n\">%ld</td><td>%s</td></tr>\n",
                    r->years[i].year, r->years[i].scrobbles, r->years[i].active_days,
                    r->years[i].artists, cov);
    }
    html_table_end(b);
    svg_chart_close(b);
}

/* The running total by month, and its table. */
static void cumulative_chart(struct hbuf *b, const struct report *r)
{
    struct chart c;
    svg_chart_begin(&c, b, "cumulative", "Cumulative scrobbles (local months)", REPORT_WIDE, 260);
    svg_chart_axis_y(&c, 0, (double)(r->scrobbles ? r->scrobbles : 1), "scrobbles so far");
    long run = 0;
    hbuf_puts(b, "<polyline class=\"line2\" points=\"");
    for (long i = 0; i < r->nmonths; i++) {
        run += r->months[i].n;
        double w, x = svg_chart_band_x(&c, (size_t)r->nmonths, (size_t)i, &w);
        hbuf_printf(b, "%.1f,%.1f ", x + w, svg_scale_at(&c.y, (double)run));
    }
    hbuf_puts(b, "\"/>");
    report_month_axis(&c, r);
    svg_chart_end(&c);
    static const char *const ch[] = {"month", "scrobbles so far"};
    html_table_begin(b, "The numbers", ch, 2);
    run = 0;
    for (long i = 0; i < r->nmonths; i++) {
        run += r->months[i].n;
        hbuf_printf(b, "<tr><td>%s</td><td class=\"n\">%ld</td></tr>\n", r->months[i].month, run);
    }
    html_table_end(b);
    svg_chart_close(b);
}

void report_timeline(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"timeline\"><h2>Timeline</h2><p class=\"note\">Local months "
                 "and years, in ");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, ".</p>");
    monthly_chart(b, r);
    yearly_chart(b, r);
    cumulative_chart(b, r);
    hbuf_puts(b, "</section>\n");
}

/* ---- calendar heatmap, one per year ---- */

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

static int by_count(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

void report_calendar_shades(struct hbuf *b, const struct report *r, long q[5])
{
    /* Quantile thresholds over active days. */
    for (int k = 0; k < 5; k++)
        q[k] = 1;
    long *sorted = malloc((size_t)(r->ndays ? r->ndays : 1) * sizeof *sorted);
    if (sorted && r->ndays) {
        for (long i = 0; i < r->ndays; i++)
            sorted[i] = r->days[i].n;
        qsort(sorted, (size_t)r->ndays, sizeof *sorted, by_count);
        for (int k = 0; k < 5; k++)
            q[k] = sorted[(r->ndays - 1) * k / 5];
    }
    b->oom |= !sorted; /* the page is not published with wrong shades */
    free(sorted);
}

void report_calendar_year(struct hbuf *b, const struct report *r, int yi, const long q[5])
{
    int year = r->years[yi].year;
    if (r->years[yi].silent) {
        hbuf_printf(b, "<p class=\"note\">%d: no counted scrobble.</p>", year);
        return;
    }
    char title[64];
    snprintf(title, sizeof title, "%d: scrobbles per local date", year);
    char id[32];
    snprintf(id, sizeof id, "calendar-%d", year);
    struct chart c;
    svg_chart_begin(&c, b, id, title, REPORT_WIDE, 186);
    c.left = 40;
    double cell = (REPORT_WIDE - c.left - c.right) / 54.0;
    int first_wd = (int)day_of_week(year, 1, 1);
    for (int d = 1; d <= 7; d += 2)
        hbuf_printf(b,
                    "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                    "%.3s</text>",
                    c.left - 4, c.top + cell * (d - 1) + cell * 0.75, report_weekday[d]);
    int doy = 0;
    /* each month's name over the week that holds its first day */
    for (int m = 1, at = 0; m <= 12; at += days_in(year, m), m++)
        hbuf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">%s</text>",
                    c.left + cell * ((at + first_wd - 1) / 7), c.top + cell * 7 + 14,
                    month_abbr[m - 1]);
    /* the year's first day in r->days */
    char jan1[16];
    snprintf(jan1, sizeof jan1, "%04d-01-01", year % 10000);
    long lo = 0, hi = r->ndays;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (strcmp(r->days[mid].date, jan1) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    long di = lo, first_day = lo;
    for (int m = 1; m <= 12; m++)
        for (int d = 1; d <= days_in(year, m); d++, doy++) {
            char date[32];
            snprintf(date, sizeof date, "%04d-%02d-%02d", year % 10000, m, d);
            while (di < r->ndays && strcmp(r->days[di].date, date) < 0)
                di++;
            long n = di < r->ndays && strcmp(r->days[di].date, date) == 0 ? r->days[di].n : 0;
            int wd = (int)day_of_week(year, m, d);
            int week = (doy + first_wd - 1) / 7;
            int shade = 0;
            for (int k = 0; k < 5 && n > 0; k++)
                if (n >= q[k])
                    shade = k + 1;
            /* a day with scrobbles links to its list on the month's page */
            bool link = n > 0 &&
                        report_link_open(b, r, PAGE_MONTH,
                                         &(struct page_key){.year = year, .month = m, .day = date});
            hbuf_printf(b,
                        "<rect class=\"q%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\"><title>%s: %ld</title></rect>%s",
                        shade, c.left + cell * week, c.top + cell * (wd - 1), cell - 1.5,
                        cell - 1.5, date, n, link ? "</a>" : "");
        }
    hbuf_printf(b,
                "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                "week of the year (local), named by the month that starts in it"
                "</text>",
                (c.left + c.width - c.right) / 2, c.height - 6);
    svg_chart_end(&c);
    static const char *const h[] = {"local date", "scrobbles"};
    html_table_begin(b, "The numbers", h, 2);
    for (long i = first_day; i < r->ndays && strncmp(r->days[i].date, jan1, 4) == 0; i++) {
        int y = 0, m = 0;
        sscanf(r->days[i].date, "%d-%d", &y, &m);
        hbuf_puts(b, "<tr><td>");
        bool link = report_link_open(
            b, r, PAGE_MONTH, &(struct page_key){.year = y, .month = m, .day = r->days[i].date});
        hbuf_printf(b, "%s%s</td><td class=\"n\">%ld</td></tr>\n", r->days[i].date,
                    link ? "</a>" : "", r->days[i].n);
    }
    html_table_end(b);
    svg_chart_close(b);
}

void report_calendar(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"calendar\"><h2>Calendar</h2><p class=\"note\">One square per "
                 "local date (");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, "), darker for more counted scrobbles (the five shades split the active days "
                 "into equal parts); weeks run Monday to Sunday.</p>");
    long q[5];
    report_calendar_shades(b, r, q);
    for (int yi = 0; yi < r->nyears; yi++)
        report_calendar_year(b, r, yi, q);
    hbuf_puts(b, "</section>\n");
}

/* ---- punchcards per year, and the mean listening hour ---- */

static void hour_label(struct hbuf *b, double v, void *opaque) { hbuf_printf(b, "%02.0f", v); }

void report_punchcard(struct hbuf *b, const char *id, const char *title, const long p[7][24])
{
    long max = 1;
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++)
            if (p[d][h] > max)
                max = p[d][h];
    struct chart c;
    svg_chart_begin(&c, b, id, title, 320, 180);
    c.left = 34;
    c.bottom = 44;
    c.right = 8;
    double cw = (c.width - c.left - c.right) / 24.0, chh = (c.height - c.top - c.bottom) / 7;
    for (int d = 0; d < 7; d++) {
        hbuf_printf(b,
                    "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.3s"
                    "</text>",
                    c.left - 3, c.top + chh * d + chh * 0.7, report_weekday[d + 1]);
        for (int h = 0; h < 24; h++) {
            if (!p[d][h])
                continue;
            double rad = sqrt((double)p[d][h] / (double)max) * fmin(cw, chh) * 0.48;
            hbuf_printf(b,
                        "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.2f\"><title>"
                        "%s %02d:00: %ld</title></circle>",
                        c.left + cw * (h + 0.5), c.top + chh * (d + 0.5), rad,
                        report_weekday[d + 1], h, p[d][h]);
        }
    }
    svg_chart_axis_x(&c, 0, 24, "local hour", hour_label, NULL, 5);
    svg_chart_end(&c);
    static const char *const hd[] = {"weekday", "00", "01", "02", "03", "04", "05", "06", "07",
                                     "08",      "09", "10", "11", "12", "13", "14", "15", "16",
                                     "17",      "18", "19", "20", "21", "22", "23"};
    html_table_begin(b, "The numbers", hd, 25);
    for (int d = 0; d < 7; d++) {
        hbuf_printf(b, "<tr><td>%s</td>", report_weekday[d + 1]);
        for (int hr = 0; hr < 24; hr++)
            hbuf_printf(b, "<td class=\"n\">%ld</td>", p[d][hr]);
        hbuf_puts(b, "</tr>\n");
    }
    html_table_end(b);
    svg_chart_close(b);
}

void report_punchcards(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"punchcard\"><h2>Hour and weekday</h2><p class=\"note\">Local "
                 "time (");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, "): the area of each dot is the year's counted scrobbles in that hour of that "
                 "weekday.</p><div class=\"grid2\">");
    for (int yi = 0; yi < r->nyears; yi++) {
        const struct year_stat *y = &r->years[yi];
        if (y->silent)
            continue;
        char title[48], id[32];
        snprintf(title, sizeof title, "%d: weekday x hour%s", y->year,
                 y->thin ? " (thin year)" : "");
        snprintf(id, sizeof id, "punchcard-%d", y->year);
        report_punchcard(b, id, title, y->punch);
    }
    hbuf_puts(b, "</div>");
    struct chart c;
    svg_chart_begin(&c, b, "mean-hour", "Mean listening hour per year (circular mean, local time)",
                    REPORT_WIDE, 240);
    c.y = (struct scale){0, 24, c.height - c.bottom, c.top};
    for (int h = 0; h <= 24; h += 6) {
        double y = svg_scale_at(&c.y, h);
        hbuf_printf(b,
                    "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                    "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%02d:00"
                    "</text>",
                    c.left, c.width - c.right, y, y, c.left - 6, y + 4, h);
    }
    hbuf_printf(b,
                "<text class=\"label\" transform=\"translate(12 %.1f) rotate(-90)\" "
                "text-anchor=\"middle\">mean hour (local)</text>",
                (c.top + c.height - c.bottom) / 2);
    for (int i = 0; i < r->nyears; i++) {
        double w, x = svg_chart_band_x(&c, (size_t)r->nyears, (size_t)i, &w);
        int hh = (int)r->years[i].mean_hour, mm = (int)((r->years[i].mean_hour - hh) * 60);
        if (r->years[i].thin) {
            hbuf_printf(b,
                        "<rect class=\"hatch\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\"><title>%d: %s, not compared</title></rect>",
                        x + w * 0.3, c.top, w * 0.4, c.height - c.bottom - c.top, r->years[i].year,
                        r->years[i].silent ? "silent" : "thin");
            continue;
        }
        hbuf_printf(b,
                    "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>%d: "
                    "%02d:%02d</title></circle>",
                    x + w / 2, svg_scale_at(&c.y, r->years[i].mean_hour), r->years[i].year, hh, mm);
    }
    svg_chart_axis_bands(&c, (size_t)r->nyears, 0, report_every_nth((size_t)r->nyears, 20),
                         "local year", report_year_label, (void *)r);
    svg_chart_end(&c);
    static const char *const mh[] = {"year", "mean hour", "peak hour", "busiest weekday"};
    html_table_begin(b, "The numbers", mh, 4);
    for (int i = 0; i < r->nyears; i++) {
        int hh = (int)r->years[i].mean_hour, mm = (int)((r->years[i].mean_hour - hh) * 60);
        if (r->years[i].thin) {
            hbuf_printf(b,
                        "<tr><td>%d</td><td class=\"n\">&#8211;</td><td class=\"n\">"
                        "&#8211;</td><td>%s</td></tr>\n",
                        r->years[i].year, r->years[i].silent ? "silent" : "thin year");
            continue;
        }
        hbuf_printf(b,
                    "<tr><td>%d</td><td class=\"n\">%02d:%02d</td><td class=\"n\">%02d:00"
                    "</td><td>%s</td></tr>\n",
                    r->years[i].year, hh, mm, r->years[i].peak_hour,
                    report_weekday[r->years[i].busiest_weekday]);
    }
    html_table_end(b);
    svg_chart_close(b);
    hbuf_puts(b, "</section>\n");
}
