/* report_hours.c: the hours and weekdays of the listening: a weekday x hour
 * punchcard (the index's over the whole history, a year's on its page), the
 * distributions in local time and in UTC overlaid (so the shift a time zone
 * makes, or its absence, is seen rather than inferred from a top cell), and
 * the mean listening hour of each year. */
#include "autoconfig.h"

#include <math.h>
#include <stdio.h>

#include "report_int.h"
#include "svg_int.h"

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
                        "%s %02d:00: %s</title></circle>",
                        c.left + cw * (h + 0.5), c.top + chh * (d + 0.5), rad,
                        report_weekday[d + 1], h, HTML_NUM(p[d][h]));
        }
    }
    svg_chart_axis_x(&c, 0, 24, "local hour", hour_label, NULL, 5);
    svg_chart_end(&c);
    /* an hour a row, a weekday a column: it fits the chart's width */
    static const char *const hd[] = {"hour", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    html_table_begin(b, "The numbers", hd, 8);
    for (int hr = 0; hr < 24; hr++) {
        hbuf_printf(b, "<tr><td>%02d</td>", hr);
        for (int d = 0; d < 7; d++)
            hbuf_printf(b, "<td class=\"n\">%s</td>", HTML_NUM(p[d][hr]));
        hbuf_puts(b, "</tr>\n");
    }
    html_table_end(b);
    svg_chart_close(b);
}

static void name_label(struct hbuf *b, size_t i, void *opaque)
{
    const char *const *names = opaque;
    hbuf_puts(b, names[i]);
}

/* What the overlay draws: n bands of the local and the UTC counts. */
struct overlay_data {
    const long *local, *utc;
    long lt, ut; /* their totals */
    int n;
    const char *const *names;
    const char *axis;
    double top;
};

static void draw_overlay(struct chart *c, const void *ctx)
{
    const struct overlay_data *o = ctx;
    svg_chart_axis_y(c, 0, o->top, "% of scrobbles");
    for (int i = 0; i < o->n; i++) {
        double w, x = svg_chart_band_x(c, (size_t)o->n, (size_t)i, &w);
        const long *v[2] = {o->local, o->utc};
        long total[2] = {o->lt, o->ut};
        static const char *const cls[2] = {"bar", "bar2"}, *const what[2] = {"local", "UTC"};
        for (int k = 0; k < 2; k++) {
            double share = total[k] ? 100.0 * (double)v[k][i] / (double)total[k] : 0;
            double y = svg_scale_at(&c->y, share), y0 = svg_scale_at(&c->y, 0);
            hbuf_printf(c->b,
                        "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\"><title>%s %s: %.1f%%</title></rect>",
                        cls[k], x + w * (0.1 + 0.4 * k), y, w * 0.4, y0 - y, o->names[i], what[k],
                        share);
        }
    }
    size_t every = report_every_nth((size_t)o->n, svg_chart_fit(c, 30));
    svg_chart_axis_bands(c, (size_t)o->n, 0, every, o->axis, name_label, (void *)o->names);
}

/* Hours (or weekdays): n bands, each with the local share beside the UTC one. */
static void overlay(struct hbuf *b, const char *id, const char *title, const char *axis,
                    const long *local, const long *utc, int n, const char *const *names,
                    double width)
{
    long lt = 0, ut = 0;
    for (int i = 0; i < n; i++) {
        lt += local[i];
        ut += utc[i];
    }
    double top = 1;
    for (int i = 0; i < n; i++) {
        top = fmax(top, lt ? 100.0 * (double)local[i] / (double)lt : 0);
        top = fmax(top, ut ? 100.0 * (double)utc[i] / (double)ut : 0);
    }
    struct overlay_data o = {local, utc, lt, ut, n, names, axis, top};
    report_chart_twice(b, id, title, width, 230, draw_overlay, &o);
    static const char *const h[] = {"", "local", "UTC"};
    const char *head[3] = {axis, h[1], h[2]};
    html_table_begin(b, "The numbers", head, 3);
    for (int i = 0; i < n; i++)
        hbuf_printf(b,
                    "<tr><td>%s</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%</td>"
                    "</tr>\n",
                    names[i], lt ? 100.0 * (double)local[i] / (double)lt : 0,
                    ut ? 100.0 * (double)utc[i] / (double)ut : 0);
    html_table_end(b);
    svg_chart_close(b);
}

void report_local_utc(struct hbuf *b, const struct report *r)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const hours[] = {"00", "01", "02", "03", "04", "05", "06", "07",
                                        "08", "09", "10", "11", "12", "13", "14", "15",
                                        "16", "17", "18", "19", "20", "21", "22", "23"};
    long lh[24] = {0}, uh[24] = {0}, ld[7] = {0}, ud[7] = {0};
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++) {
            lh[h] += r->local_punch[d][h];
            uh[h] += r->utc_punch[d][h];
            ld[d] += r->local_punch[d][h];
            ud[d] += r->utc_punch[d][h];
        }
    hbuf_puts(b, "<h3>Local time against UTC</h3><p class=\"note\">The whole history's hours and "
                 "weekdays in local time (");
    html_text(b, r->zones_used ? r->zones_used : "");
    hbuf_puts(b, ", blue) and in UTC (orange), as shares of the counted scrobbles: where the two "
                 "differ, the time zones move the listening; where they match, they do not, "
                 "whatever a single top hour says.</p><div class=\"grid2\"><div>");
    overlay(b, "hours-local-utc", "Hour of the day: local and UTC", "hour", lh, uh, 24, hours, 480);
    hbuf_puts(b, "</div><div>");
    overlay(b, "weekdays-local-utc", "Weekday: local and UTC", "weekday", ld, ud, 7, days, 480);
    hbuf_puts(b, "</div></div>");
}

/* The mean hour of each year: a dot, thin years a pale band. */
static void draw_mean_hour(struct chart *c, const void *ctx)
{
    const struct report *r = ctx;
    c->y = (struct scale){0, 24, c->height - c->bottom, c->top};
    for (int h = 0; h <= 24; h += 6) {
        double y = svg_scale_at(&c->y, h);
        hbuf_printf(c->b,
                    "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                    "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%02d:00"
                    "</text>",
                    c->left, c->width - c->right, y, y, c->left - 6, y + 4, h);
    }
    hbuf_printf(c->b,
                "<text class=\"label\" transform=\"translate(12 %.1f) rotate(-90)\" "
                "text-anchor=\"middle\">mean hour (local)</text>",
                (c->top + c->height - c->bottom) / 2);
    for (int i = 0; i < r->nyears; i++) {
        double w, x = svg_chart_band_x(c, (size_t)r->nyears, (size_t)i, &w);
        int hh = (int)r->years[i].mean_hour, mm = (int)((r->years[i].mean_hour - hh) * 60);
        if (r->years[i].thin) {
            hbuf_printf(c->b,
                        "<rect class=\"hatch\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\"><title>%d: %s, not compared</title></rect>",
                        x + w * 0.3, c->top, w * 0.4, c->height - c->bottom - c->top,
                        r->years[i].year, r->years[i].silent ? "silent" : "thin");
            continue;
        }
        hbuf_printf(c->b,
                    "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>%d: "
                    "%02d:%02d</title></circle>",
                    x + w / 2, svg_scale_at(&c->y, r->years[i].mean_hour), r->years[i].year, hh,
                    mm);
    }
    svg_chart_axis_bands(c, (size_t)r->nyears, 0,
                         report_every_nth((size_t)r->nyears, svg_chart_fit(c, 44)), "local year",
                         report_year_label, (void *)r);
}

void report_hours(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"hours\"><h2>Hour and weekday</h2><p class=\"note\">Local "
                 "time (");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, "): the area of each dot is the counted scrobbles of the whole history in that "
                 "hour of that weekday; each year's is on its page.</p><div class=\"grid2 wide2\">"
                 "<div>");
    report_punchcard(b, "punchcard", "The whole history: weekday x hour", r->local_punch);
    hbuf_puts(b, "</div><div>");
    report_chart_twice(b, "mean-hour", "Mean listening hour per year (circular mean, local time)",
                       480, 270, draw_mean_hour, r);
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
    hbuf_puts(b, "</div></div>");
    hbuf_puts(b, "</section>\n");
}
