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
    svg_chart_axis_bands(c, (size_t)r->nmonths, first,
                         12 * report_every_nth(years, svg_chart_fit(c, 54)),
                         c->narrow ? "local month" : "local month (labels: January of each year)",
                         report_month_label, (void *)r);
}

void report_year_axis(struct chart *c, const struct report *r)
{
    svg_chart_axis_bands(c, (size_t)r->nyears, 0,
                         report_every_nth((size_t)r->nyears, svg_chart_fit(c, 44)), "local year",
                         report_year_label, (void *)r);
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

void report_chart_twice(struct hbuf *b, const char *id, const char *title, double width,
                        double height, report_draw_fn draw, const void *ctx)
{
    struct chart c;
    svg_chart_figure(b, id, title);
    svg_chart_svg(&c, b, id, title, REPORT_NARROW, height, true);
    draw(&c, ctx);
    svg_chart_end(&c);
    svg_chart_svg(&c, b, id, title, width, height, false);
    draw(&c, ctx);
    svg_chart_end(&c);
}

/* ---- timeline: per month with a rolling mean, per year, cumulative ---- */

/* What the timeline's charts draw from. */
struct timeline {
    const struct report *r;
    const double *v, *mean; /* per month: scrobbles, the mean of the last 12 */
    long max;
};

static void draw_monthly(struct chart *c, const void *ctx)
{
    const struct timeline *t = ctx;
    const struct report *r = t->r;
    svg_chart_axis_y(c, 0, (double)t->max, "scrobbles per month");
    svg_chart_bars(c, (size_t)r->nmonths, t->v, "bar", 0.8, 0, "", report_month_name, (void *)r);
    if (r->nmonths > 1) {
        hbuf_puts(c->b, "<polyline class=\"line\" points=\"");
        for (long i = 0; i < r->nmonths; i++) {
            double w, x = svg_chart_band_x(c, (size_t)r->nmonths, (size_t)i, &w);
            hbuf_printf(c->b, "%.1f,%.1f ", x + w / 2, svg_scale_at(&c->y, t->mean[i]));
        }
        hbuf_puts(c->b, "\"/>");
    }
    report_month_axis(c, r);
}

/* Scrobbles per local month as bars, with the mean of the last 12 months as a
 * line, and the table of the numbers. */
static void monthly_chart(struct hbuf *b, const struct report *r)
{
    long max = 1;
    for (long i = 0; i < r->nmonths; i++)
        if (r->months[i].n > max)
            max = r->months[i].n;
    double *mean = calloc((size_t)(r->nmonths ? r->nmonths : 1), sizeof *mean);
    double *v = calloc((size_t)(r->nmonths ? r->nmonths : 1), sizeof *v);
    if (!mean || !v) { /* a chart without its bars is not published */
        b->oom = true;
        free(mean);
        free(v);
        return;
    }
    for (long i = 0; i < r->nmonths; i++) {
        v[i] = (double)r->months[i].n;
        long sum = 0, k = 0;
        for (long j = i; j >= 0 && j > i - ROLLING_MONTHS; j--, k++)
            sum += r->months[j].n;
        mean[i] = (double)sum / (double)k;
    }
    struct timeline t = {r, v, mean, max};
    report_chart_twice(b, "monthly",
                       "Scrobbles per month (local months), with the mean of the last 12 months",
                       REPORT_WIDE, 300, draw_monthly, &t);
    static const char *const mh[] = {"month", "scrobbles", "mean of the last 12 months",
                                     "new artists"};
    html_table_begin(b, "The numbers", mh, 4);
    for (long i = 0; i < r->nmonths; i++)
        hbuf_printf(b,
                    "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%.1f</td>"
                    "<td class=\"n\">%s</td></tr>\n",
                    r->months[i].month, HTML_NUM(r->months[i].n), mean[i],
                    HTML_NUM(r->months[i].new_artists));
    html_table_end(b);
    svg_chart_close(b);
    free(mean);
    free(v);
}

static void draw_yearly(struct chart *c, const void *ctx)
{
    const struct timeline *t = ctx;
    const struct report *r = t->r;
    svg_chart_axis_y(c, 0, (double)t->max, "scrobbles per year");
    report_year_bars(c, r, t->v, "bar", false, 0, "");
    report_year_axis(c, r);
}

/* Scrobbles per local year, partial and thin years marked, and their table. */
static void yearly_chart(struct hbuf *b, const struct report *r)
{
    long max = 1;
    for (int i = 0; i < r->nyears; i++)
        if (r->years[i].scrobbles > max)
            max = r->years[i].scrobbles;
    double *v = calloc(r->nyears > 0 ? (size_t)r->nyears : 1, sizeof *v);
    if (!v) {
        b->oom = true;
        return;
    }
    for (int i = 0; i < r->nyears; i++)
        v[i] = (double)r->years[i].scrobbles;
    struct timeline t = {r, v, NULL, max};
    report_chart_twice(b, "yearly",
                       "Scrobbles per year (local calendar years; pale: partial, grey: thin)",
                       REPORT_WIDE, 260, draw_yearly, &t);
    free(v);
    static const char *const yh[] = {"year", "scrobbles", "active days", "artists", "coverage"};
    html_table_begin(b, "The numbers", yh, 5);
    for (int i = 0; i < r->nyears; i++) {
        char cov[96];
        report_year_coverage(cov, sizeof cov, &r->years[i]);
        hbuf_printf(b,
                    "<tr><td>%d</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td>%s</td></tr>\n",
                    r->years[i].year, HTML_NUM(r->years[i].scrobbles),
                    HTML_NUM(r->years[i].active_days), HTML_NUM(r->years[i].artists), cov);
    }
    html_table_end(b);
    svg_chart_close(b);
}

static void draw_cumulative(struct chart *c, const void *ctx)
{
    const struct report *r = ((const struct timeline *)ctx)->r;
    svg_chart_axis_y(c, 0, (double)(r->scrobbles ? r->scrobbles : 1), "scrobbles so far");
    long run = 0;
    hbuf_puts(c->b, "<polyline class=\"line2\" points=\"");
    for (long i = 0; i < r->nmonths; i++) {
        run += r->months[i].n;
        double w, x = svg_chart_band_x(c, (size_t)r->nmonths, (size_t)i, &w);
        hbuf_printf(c->b, "%.1f,%.1f ", x + w, svg_scale_at(&c->y, (double)run));
    }
    hbuf_puts(c->b, "\"/>");
    report_month_axis(c, r);
}

/* The running total by month, and its table. */
static void cumulative_chart(struct hbuf *b, const struct report *r)
{
    struct timeline t = {r, NULL, NULL, 0};
    report_chart_twice(b, "cumulative", "Cumulative scrobbles (local months)", REPORT_WIDE, 260,
                       draw_cumulative, &t);
    static const char *const ch[] = {"month", "scrobbles so far"};
    html_table_begin(b, "The numbers", ch, 2);
    long run = 0;
    for (long i = 0; i < r->nmonths; i++) {
        run += r->months[i].n;
        hbuf_printf(b, "<tr><td>%s</td><td class=\"n\">%s</td></tr>\n", r->months[i].month,
                    HTML_NUM(run));
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

void report_thin_cell(struct hbuf *b, double x, double y, double w, double h,
                      const struct year_stat *ys, const char *what)
{
    hbuf_printf(b,
                "<rect class=\"thin\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                "<title>%d: %s, %s</title></rect>",
                x, y, w, h, ys->year, ys->silent ? "silent" : "thin year", what);
}
