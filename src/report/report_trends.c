/* report_trends.c: the report's charts of change over the years: ranks over
 * time (a bump chart), discovery, concentration and diversity.  Drawn
 * through svg_int.h like every chart. */
#include "autoconfig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "svg_int.h"

/* ---- the top artists' years ---- */

/* The shade of a share of a year's scrobbles: 0 none, then up to 1, 2, 5,
 * 10 % and more. */
static int share_shade(double share)
{
    return share <= 0     ? 0
           : share < 0.01 ? 1
           : share < 0.02 ? 2
           : share < 0.05 ? 3
           : share < 0.10 ? 4
                          : 5;
}

/* The heatmap: a row per artist, a cell per year; names in a column of 200
 * (110 on a phone) px at the left. */
static void draw_bump(struct chart *c, const void *ctx)
{
    const struct report *r = ctx;
    struct hbuf *b = c->b;
    double row = 22, label_w = c->narrow ? 110 : 200;
    c->left = label_w;
    double plot_h = row * (r->nbump ? r->nbump : 1);
    for (int a = 0; a < r->nbump; a++) {
        double y = c->top + row * a;
        /* about 6.5 px a column at 11 px: the name fits in label_w - 8 */
        report_svg_name(b, c->left - 8, y + row * 0.68, "end", NULL, r->bump_artists[a],
                        c->narrow ? 14 : 27);
        for (int i = 0; i < r->nyears; i++) {
            const struct year_stat *ys = &r->years[i];
            double w, x = svg_chart_band_x(c, (size_t)r->nyears, (size_t)i, &w);
            if (ys->thin) {
                report_thin_cell(b, x + 1, y + 1, w - 2, row - 2, ys, "not ranked");
                continue;
            }
            double share = ys->scrobbles ? (double)ys->bump_n[a] / (double)ys->scrobbles : 0;
            int shade = share_shade(share);
            hbuf_printf(b,
                        "<rect class=\"q%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\"><title>",
                        shade, x + 1, y + 1, w - 2, row - 2);
            html_name_plain(b, r->bump_artists[a]);
            if (ys->bump_rank[a])
                hbuf_printf(b, ", %d: #%s, %s scrobbles, %.1f%%</title></rect>", ys->year,
                            HTML_NUM(ys->bump_rank[a]), HTML_NUM(ys->bump_n[a]), 100 * share);
            else
                hbuf_printf(b, ", %d: not played</title></rect>", ys->year);
            /* the rank, where it fits: up to 3 characters at 10 px */
            if (ys->bump_rank[a] && ys->bump_rank[a] < 1000 && w >= 26)
                hbuf_printf(b,
                            "<text class=\"tag%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle"
                            "\">%d</text>",
                            shade >= 3 ? " on" : "", x + w / 2, y + row * 0.68, ys->bump_rank[a]);
        }
    }
    c->bottom = c->height - c->top - plot_h;
    svg_chart_axis_bands(c, (size_t)r->nyears, 0,
                         report_every_nth((size_t)r->nyears, svg_chart_fit(c, 44)),
                         c->narrow ? "local year (in a cell: its rank)"
                                   : "local year (the number in a cell: the artist's rank that "
                                     "year)",
                         report_year_label, (void *)r);
}

void report_bump(struct hbuf *b, const struct report *r)
{
    hbuf_printf(b,
                "<section id=\"ranks\"><h2>The top artists over the years</h2><p class=\"note"
                "\">The ten most played artists of all time, one row each: every local year "
                "is a cell, darker for a larger share of that year's counted scrobbles (up "
                "to 1, 2, 5, 10 %% and more), with the artist's rank in the year where it "
                "fits. Thin years (fewer than %d active days) and silent ones are grey: "
                "not ranked.</p>",
                REPORT_THIN_DAYS);
    report_chart_twice(b, "bump", "Share and rank of the all-time top 10 artists per year",
                       REPORT_WIDE, 12 + 22.0 * (r->nbump ? r->nbump : 1) + 44, draw_bump, r);
    /* an artist and a year a row: as narrow as the page, however many years */
    hbuf_puts(b, "<details><summary>The numbers</summary><div class=\"wrap\"><table><thead><tr>"
                 "<th>artist</th><th>year</th><th class=\"n\">rank</th><th class=\"n\">"
                 "scrobbles</th></tr></thead><tbody>");
    for (int a = 0; a < r->nbump; a++)
        for (int i = 0; i < r->nyears; i++) {
            const struct year_stat *ys = &r->years[i];
            hbuf_puts(b, "<tr><td class=\"t\">");
            html_name(b, r->bump_artists[a]);
            hbuf_printf(b, "</td><td>%d</td>", ys->year);
            if (ys->thin)
                hbuf_puts(b, "<td class=\"n\">thin year</td><td class=\"n\">&#8211;</td>");
            else if (ys->bump_rank[a])
                hbuf_printf(b, "<td class=\"n\">#%s</td><td class=\"n\">%s</td>",
                            HTML_NUM(ys->bump_rank[a]), HTML_NUM(ys->bump_n[a]));
            else
                hbuf_puts(b, "<td class=\"n\">&#8211;</td><td class=\"n\">0</td>");
            hbuf_puts(b, "</tr>\n");
        }
    hbuf_puts(b, "</tbody></table></div></details>");
    svg_chart_close(b);
    hbuf_puts(b, "</section>\n");
}

/* ---- discovery ---- */

/* What a chart of this file draws from. */
struct bars {
    const struct report *r;
    const double *v;
    double max;
    const char *ylabel;
    bool percent;
};

static void draw_year_bars(struct chart *c, const void *ctx)
{
    const struct bars *y = ctx;
    svg_chart_axis_y(c, 0, y->max > 0 ? y->max : 1, y->ylabel);
    report_year_bars(c, y->r, y->v, "bar2", true, 1, y->percent ? "%" : "");
    report_year_axis(c, y->r);
}

static void year_bars(struct hbuf *b, const struct report *r, const char *id, const char *title,
                      const char *ylabel, const double *v, double max, bool percent)
{
    struct bars y = {r, v, max, ylabel, percent};
    report_chart_twice(b, id, title, REPORT_WIDE, 240, draw_year_bars, &y);
}

static void draw_new_artists(struct chart *c, const void *ctx)
{
    const struct bars *y = ctx;
    const struct report *r = y->r;
    svg_chart_axis_y(c, 0, y->max, y->ylabel);
    svg_chart_bars(c, (size_t)r->nmonths, y->v, "bar2", 0.8, 0, "", report_month_name, (void *)r);
    report_month_axis(c, r);
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
    double *v = calloc(r->nmonths > 0 ? (size_t)r->nmonths : 1, sizeof *v);
    if (!v) { /* a chart without its bars is not published */
        b->oom = true;
        hbuf_puts(b, "</section>\n");
        return;
    }
    for (long i = 0; i < r->nmonths; i++)
        v[i] = (double)r->months[i].new_artists;
    struct bars nb = {r, v, (double)max, "new artists per month", false};
    report_chart_twice(b, "new-artists", "New artists per month (local months)", REPORT_WIDE, 260,
                       draw_new_artists, &nb);
    free(v);
    static const char *const mh[] = {"month", "new artists"};
    html_table_begin(b, "The numbers", mh, 2);
    for (long i = 0; i < r->nmonths; i++)
        hbuf_printf(b, "<tr><td>%s</td><td class=\"n\">%s</td></tr>\n", r->months[i].month,
                    HTML_NUM(r->months[i].new_artists));
    html_table_end(b);
    svg_chart_close(b);

    double *share = calloc((size_t)(r->nyears ? r->nyears : 1), sizeof *share);
    b->oom |= !share;
    double top = 0;
    for (int i = 0; share && i < r->nyears; i++) {
        share[i] = r->years[i].scrobbles ? 100.0 * (double)r->years[i].new_artist_scrobbles /
                                               (double)r->years[i].scrobbles
                                         : 0;
        if (!r->years[i].thin)
            top = fmax(top, share[i]);
    }
    if (share) {
        year_bars(b, r, "new-share",
                  "Share of each year's scrobbles that went to artists new "
                  "that year",
                  "% of the year's scrobbles", share, top, true);
        static const char *const yh[] = {"year", "new artists", "their scrobbles", "share"};
        html_table_begin(b, "The numbers", yh, 4);
        for (int i = 0; i < r->nyears; i++) {
            hbuf_printf(b, "<tr><td>%d</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                        r->years[i].year, HTML_NUM(r->years[i].new_artists),
                        HTML_NUM(r->years[i].new_artist_scrobbles));
            if (r->years[i].thin)
                hbuf_puts(b, "<td class=\"n\">&#8211;</td></tr>\n");
            else
                hbuf_printf(b, "<td class=\"n\">%.1f%%</td></tr>\n", share[i]);
        }
        html_table_end(b);
        svg_chart_close(b);
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
        b->oom = true;
        hbuf_puts(b, "</section>\n");
        return;
    }
    double top = 0;
    for (int i = 0; i < r->nyears; i++)
        v[i] = 100.0 * r->years[i].top10_share;
    year_bars(b, r, "top10-share", "Share of the year's top 10 artists",
              "% of the year's "
              "scrobbles",
              v, 100, true);
    static const char *const th[] = {"year", "top 10 share"};
    html_table_begin(b, "The numbers", th, 2);
    for (int i = 0; i < r->nyears; i++)
        if (r->years[i].thin)
            hbuf_printf(b, "<tr><td>%d</td><td class=\"n\">&#8211;</td></tr>\n", r->years[i].year);
        else
            hbuf_printf(b, "<tr><td>%d</td><td class=\"n\">%.1f%%</td></tr>\n", r->years[i].year,
                        v[i]);
    html_table_end(b);
    svg_chart_close(b);
    for (int i = 0; i < r->nyears; i++) {
        v[i] = r->years[i].effective_artists;
        if (!r->years[i].thin)
            top = fmax(top, v[i]);
    }
    year_bars(b, r, "effective-artists", "Effective number of artists",
              "artists (exp of "
              "entropy)",
              v, top, false);
    static const char *const h[] = {"year", "artists", "top 10 share", "effective artists"};
    html_table_begin(b, "The numbers", h, 4);
    for (int i = 0; i < r->nyears; i++)
        if (r->years[i].thin)
            hbuf_printf(b,
                        "<tr><td>%d</td><td class=\"n\">%s</td><td class=\"n\">&#8211;"
                        "</td><td class=\"n\">&#8211;</td></tr>\n",
                        r->years[i].year, HTML_NUM(r->years[i].artists));
        else
            hbuf_printf(b,
                        "<tr><td>%d</td><td class=\"n\">%s</td><td class=\"n\">%.1f%%"
                        "</td><td class=\"n\">%.1f</td></tr>\n",
                        r->years[i].year, HTML_NUM(r->years[i].artists),
                        100.0 * r->years[i].top10_share, r->years[i].effective_artists);
    html_table_end(b);
    svg_chart_close(b);
    free(v);
    hbuf_puts(b, "</section>\n");
}
