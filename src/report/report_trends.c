/* report_trends.c: the report's charts of change over the years: ranks over
 * time (a bump chart), discovery, concentration and diversity.  Drawn
 * through svg.h like every chart. */
#include "autoconfig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "svg.h"

/* ---- ranks over time ---- */

void report_bump(struct hbuf *b, const struct report *r)
{
    hbuf_puts(b, "<section id=\"ranks\"><h2>Ranks over time</h2><p class=\"note\">The yearly "
                 "rank of the ten most played artists of all time (1 = that year's most "
                 "played; ranks below 20 sit at the bottom).</p>");
    struct chart c;
    chart_begin(&c, b, "bump", "Yearly rank of the all-time top 10 artists", REPORT_WIDE, 360);
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
        report_svg_name(b, end_x + 13, at[k] + 4, "start", NULL, r->bump_artists[a], 24);
    }
    chart_axis_bands(&c, (size_t)r->nyears, 0, report_every_nth((size_t)r->nyears, 16), "local year",
                     report_year_label, (void *)r);
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
    chart_begin(&c, b, id, title, REPORT_WIDE, 240);
    chart_axis_y(&c, 0, max > 0 ? max : 1, ylabel);
    chart_bars(&c, (size_t)r->nyears, v, "bar2", 0.7, 1, percent ? "%" : "", report_year_label,
               (void *)r);
    chart_axis_bands(&c, (size_t)r->nyears, 0, report_every_nth((size_t)r->nyears, 20), "local year",
                     report_year_label, (void *)r);
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
    chart_begin(&c, b, "new-artists", "New artists per month (local months)", REPORT_WIDE, 260);
    chart_axis_y(&c, 0, (double)max, "new artists per month");
    double *v = calloc((size_t)(r->nmonths ? r->nmonths : 1), sizeof *v);
    for (long i = 0; v && i < r->nmonths; i++)
        v[i] = (double)r->months[i].new_artists;
    if (v)
        chart_bars(&c, (size_t)r->nmonths, v, "bar2", 0.8, 0, "", report_month_name, (void *)r);
    free(v);
    report_month_axis(&c, r);
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
