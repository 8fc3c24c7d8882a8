/* report_charts.c: the report's charts, every one drawn through svg.h. */
#include "autoconfig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "svg.h"

#define WIDE 960.0
#define ROLLING_MONTHS 12

/* Escaped SVG text, cut with an ellipsis; the full text in a <title>. */
static void svg_name(struct hbuf *b, double x, double y, const char *anchor, const char *cls,
                     const char *name, size_t max)
{
    hbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y, anchor,
                cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    struct hbuf cut = {0};
    bool was_cut = html_text_cut(&cut, name, max);
    if (was_cut) {
        hbuf_puts(b, "<title>");
        html_text(b, name);
        hbuf_puts(b, "</title>");
    }
    hbuf_puts(b, cut.data ? cut.data : "");
    hbuf_free(&cut);
    hbuf_puts(b, "</text>");
}

static void month_label(struct hbuf *b, size_t i, void *opaque)
{
    const struct report *r = opaque;
    hbuf_printf(b, "%.4s", r->months[i].month);
}

static void year_label(struct hbuf *b, size_t i, void *opaque)
{
    const struct report *r = opaque;
    hbuf_printf(b, "%d", r->years[i].year);
}

static size_t every_nth(size_t n, size_t fit)
{
    return n <= fit ? 1 : (n + fit - 1) / fit;
}

/* The months are contiguous (report.c fills empty ones): label each January
 * with its year, every year or every few when there are many. */
static void month_axis(struct chart *c, const struct report *r)
{
    size_t first = 0;
    if (r->nmonths)
        first = (size_t)((13 - atoi(r->months[0].month + 5)) % 12);
    size_t years = (size_t)r->nmonths / 12 + 1;
    chart_axis_bands(c, (size_t)r->nmonths, first, 12 * every_nth(years, 16),
                     "local month (labels: January of each year)", month_label, (void *)r);
}

/* ---- timeline: per month with a rolling mean, per year, cumulative ---- */

void report_timeline(struct hbuf *b, const struct report *r)
{
    struct chart c;
    hbuf_puts(b, "<section id=\"timeline\"><h2>Timeline</h2><p class=\"note\">Local months "
                 "and years, in ");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, ".</p>");
    long max = 1;
    for (long i = 0; i < r->nmonths; i++)
        if (r->months[i].n > max)
            max = r->months[i].n;
    chart_begin(&c, b, "monthly", "Scrobbles per month (local months), with the mean of the "
                                  "last 12 months", WIDE, 300);
    chart_axis_y(&c, 0, (double)max, "scrobbles per month");
    double *mean = calloc((size_t)(r->nmonths ? r->nmonths : 1), sizeof *mean);
    /* Months without scrobbles are absent from the view: the bars are the
     * months that have some, in order, labelled by year. */
    for (long i = 0; i < r->nmonths; i++) {
        double w, x = chart_band_x(&c, (size_t)r->nmonths, (size_t)i, &w);
        double y = scale_at(&c.y, (double)r->months[i].n);
        hbuf_printf(b, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\">"
                       "<title>%s: %ld</title></rect>", x + w * 0.1, y, w * 0.8,
                    c.height - c.bottom - y, r->months[i].month, r->months[i].n);
        long sum = 0, k = 0;
        for (long j = i; j >= 0 && j > i - ROLLING_MONTHS; j--, k++)
            sum += r->months[j].n;
        if (mean)
            mean[i] = (double)sum / (double)k;
    }
    if (mean && r->nmonths > 1) {
        hbuf_puts(b, "<polyline class=\"line\" points=\"");
        for (long i = 0; i < r->nmonths; i++) {
            double w, x = chart_band_x(&c, (size_t)r->nmonths, (size_t)i, &w);
            hbuf_printf(b, "%.1f,%.1f ", x + w / 2, scale_at(&c.y, mean[i]));
        }
        hbuf_puts(b, "\"/>");
    }
    month_axis(&c, r);
    chart_end(&c);
    static const char *const mh[] = {"month", "scrobbles", "mean of the last 12 months",
                                     "new artists"};
    table_begin(b, "The numbers", mh, 4);
    for (long i = 0; i < r->nmonths; i++)
        hbuf_printf(b, "<tr><td>%s</td><td class=\"n\">%ld</td><td class=\"n\">%.1f</td>"
                       "<td class=\"n\">%ld</td></tr>\n", r->months[i].month, r->months[i].n,
                    mean ? mean[i] : 0.0, r->months[i].new_artists);
    table_end(b);
    chart_close(b);
    free(mean);

    /* per year */
    max = 1;
    for (int i = 0; i < r->nyears; i++)
        if (r->years[i].scrobbles > max)
            max = r->years[i].scrobbles;
    chart_begin(&c, b, "yearly", "Scrobbles per year (local calendar years)", WIDE, 260);
    chart_axis_y(&c, 0, (double)max, "scrobbles per year");
    for (int i = 0; i < r->nyears; i++) {
        double w, x = chart_band_x(&c, (size_t)r->nyears, (size_t)i, &w);
        double y = scale_at(&c.y, (double)r->years[i].scrobbles);
        hbuf_printf(b, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                       "<title>%d: %ld</title></rect>", x + w * 0.15, y, w * 0.7,
                    c.height - c.bottom - y, r->years[i].year, r->years[i].scrobbles);
    }
    chart_axis_bands(&c, (size_t)r->nyears, 0, every_nth((size_t)r->nyears, 20), "local year",
                     year_label, (void *)r);
    chart_end(&c);
    static const char *const yh[] = {"year", "scrobbles", "active days", "artists"};
    table_begin(b, "The numbers", yh, 4);
    for (int i = 0; i < r->nyears; i++)
        hbuf_printf(b, "<tr><td>%d</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
                       "<td class=\"n\">%ld</td></tr>\n", r->years[i].year,
                    r->years[i].scrobbles, r->years[i].active_days, r->years[i].artists);
    table_end(b);
    chart_close(b);

    /* cumulative, by month */
    chart_begin(&c, b, "cumulative", "Cumulative scrobbles (local months)", WIDE, 260);
    chart_axis_y(&c, 0, (double)(r->scrobbles ? r->scrobbles : 1), "scrobbles so far");
    long run = 0;
    hbuf_puts(b, "<polyline class=\"line2\" points=\"");
    for (long i = 0; i < r->nmonths; i++) {
        run += r->months[i].n;
        double w, x = chart_band_x(&c, (size_t)r->nmonths, (size_t)i, &w);
        hbuf_printf(b, "%.1f,%.1f ", x + w, scale_at(&c.y, (double)run));
    }
    hbuf_puts(b, "\"/>");
    month_axis(&c, r);
    chart_end(&c);
    static const char *const ch[] = {"month", "scrobbles so far"};
    table_begin(b, "The numbers", ch, 2);
    run = 0;
    for (long i = 0; i < r->nmonths; i++) {
        run += r->months[i].n;
        hbuf_printf(b, "<tr><td>%s</td><td class=\"n\">%ld</td></tr>\n", r->months[i].month,
                    run);
    }
    table_end(b);
    chart_close(b);
    hbuf_puts(b, "</section>\n");
}

/* ---- calendar heatmap, one per year ---- */

static long day_of_week(int y, int m, int d)   /* ISO 1..7, Zeller-free: Sakamoto */
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;   /* 0 = Sunday */
    return w == 0 ? 7 : w;
}

static int days_in(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return dm[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static void week_label(struct hbuf *b, double v, void *opaque)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                      "Sep", "Oct", "Nov", "Dec"};
    int m = (int)(v / 4.35);
    hbuf_puts(b, mon[m < 0 ? 0 : m > 11 ? 11 : m]);
}

void report_calendar(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"calendar\"><h2>Calendar</h2><p class=\"note\">One square per "
                 "local date (");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, "), darker for more counted scrobbles (the five shades split the active days "
                 "into equal parts); weeks run Monday to Sunday.</p>");
    /* Quantile thresholds over active days. */
    long *sorted = malloc((size_t)(r->ndays ? r->ndays : 1) * sizeof *sorted);
    long q[5] = {1, 1, 1, 1, 1};
    if (sorted && r->ndays) {
        for (long i = 0; i < r->ndays; i++)
            sorted[i] = r->days[i].n;
        for (long i = 1; i < r->ndays; i++)   /* insertion sort is fine for days */
            for (long j = i; j > 0 && sorted[j] < sorted[j - 1]; j--) {
                long t = sorted[j];
                sorted[j] = sorted[j - 1];
                sorted[j - 1] = t;
            }
        for (int k = 0; k < 5; k++)
            q[k] = sorted[(r->ndays - 1) * k / 5];
    }
    free(sorted);
    long di = 0;
    for (int yi = 0; yi < r->nyears; yi++) {
        int year = r->years[yi].year;
        char title[64];
        snprintf(title, sizeof title, "%d: scrobbles per local date", year);
        char id[32];
        snprintf(id, sizeof id, "calendar-%d", year);
        struct chart c;
        chart_begin(&c, b, id, title, WIDE, 186);
        c.left = 40;
        double cell = (WIDE - c.left - c.right) / 54.0;
        int first_wd = (int)day_of_week(year, 1, 1);
        for (int d = 1; d <= 7; d += 2)
            hbuf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                           "%.3s</text>", c.left - 4, c.top + cell * (d - 1) + cell * 0.75,
                        report_weekday[d]);
        int doy = 0;
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
                hbuf_printf(b, "<rect class=\"q%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                               "height=\"%.1f\"><title>%s: %ld</title></rect>", shade,
                            c.left + cell * week, c.top + cell * (wd - 1), cell - 1.5,
                            cell - 1.5, date, n);
            }
        chart_axis_x(&c, 0, 53, "week of the year (local)", week_label, NULL, 12);
        chart_end(&c);
        static const char *const h[] = {"local date", "scrobbles"};
        table_begin(b, "The numbers", h, 2);
        for (long i = 0; i < r->ndays; i++)
            if (strncmp(r->days[i].date, title, 4) == 0)
                hbuf_printf(b, "<tr><td>%s</td><td class=\"n\">%ld</td></tr>\n",
                            r->days[i].date, r->days[i].n);
        table_end(b);
        chart_close(b);
    }
    hbuf_puts(b, "</section>\n");
}

/* ---- punchcards per year, and the mean listening hour ---- */

static void hour_label(struct hbuf *b, double v, void *opaque)
{
    hbuf_printf(b, "%02.0f", v);
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
        long max = 1;
        for (int d = 0; d < 7; d++)
            for (int h = 0; h < 24; h++)
                if (y->punch[d][h] > max)
                    max = y->punch[d][h];
        char title[48], id[32];
        snprintf(title, sizeof title, "%d: weekday x hour", y->year);
        snprintf(id, sizeof id, "punchcard-%d", y->year);
        struct chart c;
        chart_begin(&c, b, id, title, 320, 170);
        c.left = 34;
        c.bottom = 34;
        c.right = 8;
        double cw = (c.width - c.left - c.right) / 24.0, chh = (c.height - c.top - c.bottom) / 7;
        for (int d = 0; d < 7; d++) {
            hbuf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.3s"
                           "</text>", c.left - 3, c.top + chh * d + chh * 0.7,
                        report_weekday[d + 1]);
            for (int h = 0; h < 24; h++) {
                if (!y->punch[d][h])
                    continue;
                double rad = sqrt((double)y->punch[d][h] / (double)max) * fmin(cw, chh) * 0.48;
                hbuf_printf(b, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.2f\"><title>"
                               "%s %02d:00: %ld</title></circle>", c.left + cw * (h + 0.5),
                            c.top + chh * (d + 0.5), rad, report_weekday[d + 1], h,
                            y->punch[d][h]);
            }
        }
        chart_axis_x(&c, 0, 24, "local hour", hour_label, NULL, 5);
        chart_end(&c);
        static const char *const h[] = {"weekday", "00", "01", "02", "03", "04", "05", "06",
                                        "07", "08", "09", "10", "11", "12", "13", "14", "15",
                                        "16", "17", "18", "19", "20", "21", "22", "23"};
        table_begin(b, "The numbers", h, 25);
        for (int d = 0; d < 7; d++) {
            hbuf_printf(b, "<tr><td>%s</td>", report_weekday[d + 1]);
            for (int hr = 0; hr < 24; hr++)
                hbuf_printf(b, "<td class=\"n\">%ld</td>", y->punch[d][hr]);
            hbuf_puts(b, "</tr>\n");
        }
        table_end(b);
        chart_close(b);
    }
    hbuf_puts(b, "</div>");
    struct chart c;
    chart_begin(&c, b, "mean-hour", "Mean listening hour per year (circular mean, local time)",
                WIDE, 240);
    c.y = (struct scale){0, 24, c.height - c.bottom, c.top};
    for (int h = 0; h <= 24; h += 6) {
        double y = scale_at(&c.y, h);
        hbuf_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                       "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%02d:00"
                       "</text>", c.left, c.width - c.right, y, y, c.left - 6, y + 4, h);
    }
    hbuf_printf(b, "<text class=\"label\" transform=\"translate(12 %.1f) rotate(-90)\" "
                   "text-anchor=\"middle\">mean hour (local)</text>",
                (c.top + c.height - c.bottom) / 2);
    for (int i = 0; i < r->nyears; i++) {
        double w, x = chart_band_x(&c, (size_t)r->nyears, (size_t)i, &w);
        int hh = (int)r->years[i].mean_hour, mm = (int)((r->years[i].mean_hour - hh) * 60);
        hbuf_printf(b, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>%d: "
                       "%02d:%02d</title></circle>", x + w / 2,
                    scale_at(&c.y, r->years[i].mean_hour), r->years[i].year, hh, mm);
    }
    chart_axis_bands(&c, (size_t)r->nyears, 0, every_nth((size_t)r->nyears, 20), "local year",
                     year_label, (void *)r);
    chart_end(&c);
    static const char *const mh[] = {"year", "mean hour", "peak hour", "busiest weekday"};
    table_begin(b, "The numbers", mh, 4);
    for (int i = 0; i < r->nyears; i++) {
        int hh = (int)r->years[i].mean_hour, mm = (int)((r->years[i].mean_hour - hh) * 60);
        hbuf_printf(b, "<tr><td>%d</td><td class=\"n\">%02d:%02d</td><td class=\"n\">%02d:00"
                       "</td><td>%s</td></tr>\n", r->years[i].year, hh, mm, r->years[i].peak_hour,
                    report_weekday[r->years[i].busiest_weekday]);
    }
    table_end(b);
    chart_close(b);
    hbuf_puts(b, "</section>\n");
}

/* ---- ranks over time ---- */

void report_bump(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"ranks\"><h2>Ranks over time</h2><p class=\"note\">The yearly "
                 "rank of the ten most played artists of all time (1 = that year's most "
                 "played; ranks below 20 sit at the bottom).</p>");
    struct chart c;
    chart_begin(&c, b, "bump", "Yearly rank of the all-time top 10 artists", WIDE, 360);
    c.right = 170;
    c.y = (struct scale){1, 21, c.top + 6, c.height - c.bottom};
    for (int k = 1; k <= 20; k += (k == 1 ? 4 : 5)) {
        double y = scale_at(&c.y, k);
        hbuf_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                       "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d</text>",
                    c.left, c.width - c.right, y, y, c.left - 6, y + 4, k);
    }
    hbuf_printf(b, "<text class=\"label\" transform=\"translate(12 %.1f) rotate(-90)\" "
                   "text-anchor=\"middle\">rank in the year</text>",
                (c.top + c.height - c.bottom) / 2);
    static const char *const colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    /* Each artist's line, then its name at the right end, names spread so
     * that none overlaps another (at least 12 px apart). */
    double label_y[REPORT_BUMP];
    int order[REPORT_BUMP];
    double end_x = 0;
    for (int a = 0; a < r->nbump; a++) {
        hbuf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                    colours[a % 10]);
        double ly = 0;
        for (int i = 0; i < r->nyears; i++) {
            int rank = r->years[i].bump_rank[a];
            double w, x = chart_band_x(&c, (size_t)r->nyears, (size_t)i, &w);
            end_x = x + w / 2;
            ly = scale_at(&c.y, rank == 0 || rank > 20 ? 21 : rank);
            hbuf_printf(b, "%.1f,%.1f ", end_x, ly);
        }
        hbuf_puts(b, "\"/>");
        label_y[a] = ly;
        order[a] = a;
    }
    for (int i = 1; i < r->nbump; i++)   /* by end position */
        for (int j = i; j > 0 && label_y[order[j]] < label_y[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    /* Down from the top, then up from the bottom edge if they ran past it. */
    double at[REPORT_BUMP], bottom = c.height - c.bottom + 4;
    for (int k = 0; k < r->nbump; k++)
        at[k] = k && label_y[order[k]] < at[k - 1] + 12 ? at[k - 1] + 12 : label_y[order[k]];
    for (int k = r->nbump - 1; k >= 0; k--) {
        double limit = k == r->nbump - 1 ? bottom : at[k + 1] - 12;
        if (at[k] > limit)
            at[k] = limit;
    }
    for (int k = 0; k < r->nbump && r->nyears; k++) {
        int a = order[k];
        hbuf_printf(b, "<line stroke=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                    colours[a % 10], end_x + 2, label_y[a], end_x + 10, at[k]);
        svg_name(b, end_x + 13, at[k] + 4, "start", NULL, r->bump_artists[a], 24);
    }
    chart_axis_bands(&c, (size_t)r->nyears, 0, every_nth((size_t)r->nyears, 16), "local year",
                     year_label, (void *)r);
    chart_end(&c);
    hbuf_puts(b, "<details><summary>The numbers</summary><div class=\"wrap\"><table><thead><tr>"
                 "<th>artist</th>");
    for (int i = 0; i < r->nyears; i++)
        hbuf_printf(b, "<th class=\"n\">%d</th>", r->years[i].year);
    hbuf_puts(b, "</tr></thead><tbody>");
    for (int a = 0; a < r->nbump; a++) {
        hbuf_puts(b, "<tr><td>");
        html_text(b, r->bump_artists[a]);
        hbuf_puts(b, "</td>");
        for (int i = 0; i < r->nyears; i++) {
            int rank = r->years[i].bump_rank[a];
            if (rank)
                hbuf_printf(b, "<td class=\"n\">%d</td>", rank);
            else
                hbuf_puts(b, "<td class=\"n\">&#8211;</td>");
        }
        hbuf_puts(b, "</tr>\n");
    }
    hbuf_puts(b, "</tbody></table></div></details>");
    chart_close(b);
    hbuf_puts(b, "</section>\n");
}

/* ---- discovery ---- */

static void year_bars(struct hbuf *b, const struct report *r, const char *id, const char *title,
                      const char *ylabel, const double *v, double max, bool percent)
{
    struct chart c;
    chart_begin(&c, b, id, title, WIDE, 240);
    chart_axis_y(&c, 0, max > 0 ? max : 1, ylabel);
    for (int i = 0; i < r->nyears; i++) {
        double w, x = chart_band_x(&c, (size_t)r->nyears, (size_t)i, &w);
        double y = scale_at(&c.y, v[i]);
        hbuf_printf(b, "<rect class=\"bar2\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                       "<title>%d: ", x + w * 0.15, y, w * 0.7, c.height - c.bottom - y,
                    r->years[i].year);
        hbuf_printf(b, percent ? "%.1f%%" : "%.1f", v[i]);
        hbuf_puts(b, "</title></rect>");
    }
    chart_axis_bands(&c, (size_t)r->nyears, 0, every_nth((size_t)r->nyears, 20), "local year",
                     year_label, (void *)r);
    chart_end(&c);
}

void report_discovery(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"discovery\"><h2>Discovery</h2><p class=\"note\">An artist is "
                 "new in the local month (and year) of its first counted scrobble over the "
                 "whole history; local time in ");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, ".</p>");
    long max = 1;
    for (long i = 0; i < r->nmonths; i++)
        if (r->months[i].new_artists > max)
            max = r->months[i].new_artists;
    struct chart c;
    chart_begin(&c, b, "new-artists", "New artists per month (local months)", WIDE, 260);
    chart_axis_y(&c, 0, (double)max, "new artists per month");
    for (long i = 0; i < r->nmonths; i++) {
        double w, x = chart_band_x(&c, (size_t)r->nmonths, (size_t)i, &w);
        double y = scale_at(&c.y, (double)r->months[i].new_artists);
        hbuf_printf(b, "<rect class=\"bar2\" x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\">"
                       "<title>%s: %ld</title></rect>", x + w * 0.1, y, w * 0.8,
                    c.height - c.bottom - y, r->months[i].month, r->months[i].new_artists);
    }
    month_axis(&c, r);
    chart_end(&c);
    static const char *const mh[] = {"month", "new artists"};
    table_begin(b, "The numbers", mh, 2);
    for (long i = 0; i < r->nmonths; i++)
        hbuf_printf(b, "<tr><td>%s</td><td class=\"n\">%ld</td></tr>\n", r->months[i].month,
                    r->months[i].new_artists);
    table_end(b);
    chart_close(b);

    double *share = calloc((size_t)(r->nyears ? r->nyears : 1), sizeof *share);
    double top = 0;
    for (int i = 0; share && i < r->nyears; i++) {
        share[i] = r->years[i].scrobbles ? 100.0 * (double)r->years[i].new_artist_scrobbles /
                                               (double)r->years[i].scrobbles
                                         : 0;
        top = fmax(top, share[i]);
    }
    if (share) {
        year_bars(b, r, "new-share", "Share of each year's scrobbles that went to artists new "
                                     "that year", "% of the year's scrobbles", share, top,
                  true);
        static const char *const yh[] = {"year", "new artists", "their scrobbles", "share"};
        table_begin(b, "The numbers", yh, 4);
        for (int i = 0; i < r->nyears; i++)
            hbuf_printf(b, "<tr><td>%d</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
                           "<td class=\"n\">%.1f%%</td></tr>\n", r->years[i].year,
                        r->years[i].new_artists, r->years[i].new_artist_scrobbles, share[i]);
        table_end(b);
        chart_close(b);
    }
    free(share);
    hbuf_puts(b, "</section>\n");
}

/* ---- concentration and diversity ---- */

void report_diversity(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"diversity\"><h2>Concentration and diversity</h2><p class=\"note"
                 "\">Per local year: the share of the year's ten most played artists, and the "
                 "effective number of artists, exp(H) of the Shannon entropy H of the artist "
                 "shares (as many equally played artists would give the same entropy).</p>");
    double *v = calloc((size_t)(r->nyears ? r->nyears : 1), sizeof *v);
    if (!v) {
        hbuf_puts(b, "</section>\n");
        return;
    }
    double top = 0;
    for (int i = 0; i < r->nyears; i++)
        v[i] = 100.0 * r->years[i].top10_share;
    year_bars(b, r, "top10-share", "Share of the year's top 10 artists", "% of the year's "
              "scrobbles", v, 100, true);
    static const char *const th[] = {"year", "top 10 share"};
    table_begin(b, "The numbers", th, 2);
    for (int i = 0; i < r->nyears; i++)
        hbuf_printf(b, "<tr><td>%d</td><td class=\"n\">%.1f%%</td></tr>\n", r->years[i].year,
                    v[i]);
    table_end(b);
    chart_close(b);
    for (int i = 0; i < r->nyears; i++) {
        v[i] = r->years[i].effective_artists;
        top = fmax(top, v[i]);
    }
    year_bars(b, r, "effective-artists", "Effective number of artists", "artists (exp of "
              "entropy)", v, top, false);
    static const char *const h[] = {"year", "artists", "top 10 share", "effective artists"};
    table_begin(b, "The numbers", h, 4);
    for (int i = 0; i < r->nyears; i++)
        hbuf_printf(b, "<tr><td>%d</td><td class=\"n\">%ld</td><td class=\"n\">%.1f%%</td>"
                       "<td class=\"n\">%.1f</td></tr>\n", r->years[i].year, r->years[i].artists,
                    100.0 * r->years[i].top10_share, r->years[i].effective_artists);
    table_end(b);
    chart_close(b);
    free(v);
    hbuf_puts(b, "</section>\n");
}
