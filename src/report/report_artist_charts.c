/* report_artist_charts.c: an artist page's charts and tables drawn from what
 * report_artist.c read: its months, its hours and weekdays against the
 * listener's, its runs and absences. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "svg_int.h"

/* ---- the months of its life ---- */

struct months {
    char (*key)[8]; /* YYYY-MM */
    double *n;
    size_t count;
};

static void month_label(struct hbuf *b, size_t i, void *opaque)
{
    const struct months *m = opaque;
    hbuf_printf(b, "%.4s", m->key[i]);
}

static void month_name(struct hbuf *b, size_t i, void *opaque)
{
    const struct months *m = opaque;
    hbuf_printf(b, "%s", m->key[i]);
}

/* What the months chart draws from. */
struct life {
    struct months *m;
    size_t count;
    double max;
};

static void draw_life(struct chart *c, const void *ctx)
{
    const struct life *l = ctx;
    size_t count = l->count;
    svg_chart_axis_y(c, 0, l->max > 0 ? l->max : 1, "scrobbles");
    svg_chart_bars(c, count, l->m->n, "bar", count > 120 ? 1.0 : 0.8, 0, "", month_name, l->m);
    /* a label at each January (or every nth), as the overview's monthly chart */
    size_t first = 0;
    while (first < count && strcmp(l->m->key[first] + 5, "01") != 0 && count > 12)
        first++;
    if (first == count || count <= 12)
        first = 0;
    size_t fit = svg_chart_fit(c, 54);
    size_t every = count <= fit ? 1 : 12 * report_every_nth((count + 11) / 12, fit);
    svg_chart_axis_bands(c, count, first, every, "local month",
                         count <= fit ? month_name : month_label, l->m);
}

void report_artist_months(struct hbuf *b, const struct day_count *days, long ndays)
{
    int y0, m0, y1, m1;
    if (ndays <= 0 || sscanf(days[0].date, "%d-%d", &y0, &m0) != 2 ||
        sscanf(days[ndays - 1].date, "%d-%d", &y1, &m1) != 2)
        return;
    size_t count = (size_t)((y1 - y0) * 12 + (m1 - m0) + 1);
    struct months m = {calloc(count, sizeof *m.key), calloc(count, sizeof *m.n), count};
    if (!m.key || !m.n) {
        free(m.key);
        free(m.n);
        b->oom = true; /* a page without its chart is not published */
        return;
    }
    for (size_t i = 0; i < count; i++) {
        unsigned mm = (unsigned)(m0 - 1) + (unsigned)i;
        snprintf(m.key[i], sizeof m.key[i], "%04u-%02u", (unsigned)(y0 + (int)(mm / 12)) % 10000u,
                 mm % 12u + 1u);
    }
    double max = 0;
    for (long i = 0; i < ndays; i++) {
        int y, mo;
        if (sscanf(days[i].date, "%d-%d", &y, &mo) != 2)
            continue;
        long at = (long)(y - y0) * 12 + (mo - m0);
        if (at >= 0 && (size_t)at < count) {
            m.n[at] += (double)days[i].n;
            if (m.n[at] > max)
                max = m.n[at];
        }
    }
    hbuf_puts(b, "<section id=\"months\"><h2>Its life, month by month</h2>");
    struct life l = {&m, count, max};
    report_chart_twice(b, "artist-months",
                       "Counted scrobbles per local month, from the first to the last", REPORT_WIDE,
                       240, draw_life, &l);
    static const char *const h[] = {"month", "scrobbles"};
    html_table_begin(b, "The numbers", h, 2);
    for (size_t i = 0; i < count; i++)
        hbuf_printf(b, "<tr><td>%s</td><td class=\"n\">%.0f</td></tr>\n", m.key[i], m.n[i]);
    html_table_end(b);
    svg_chart_close(b);
    hbuf_puts(b, "</section>\n");
    free(m.key);
    free(m.n);
}

/* ---- its hours and weekdays against the listener's ---- */

struct profile {
    const char *const *labels;
    size_t n;
    const double *artist, *all; /* the shares, percent */
    const char *axis;
    size_t every; /* a label every so many bands (twice that on a phone) */
    double max;
};

static void profile_label(struct hbuf *b, size_t i, void *opaque)
{
    const struct profile *p = opaque;
    hbuf_puts(b, p->labels[i]);
}

static void draw_profile(struct chart *c, const void *ctx)
{
    const struct profile *p = ctx;
    svg_chart_axis_y(c, 0, p->max, "% of scrobbles");
    svg_chart_bars(c, p->n, p->all, "part", 0.85, 1, "% of all your scrobbles", profile_label,
                   (void *)p);
    svg_chart_bars(c, p->n, p->artist, "bar2", 0.4, 1, "% of this artist's", profile_label,
                   (void *)p);
    svg_chart_axis_bands(c, p->n, 0, c->narrow && p->n > 12 ? 2 * p->every : p->every, p->axis,
                         profile_label, (void *)p);
}

/* Two series of shares (percent) over n bands: the listener's pale and wide,
 * the artist's narrow in front. */
static void profile_chart(struct hbuf *b, const char *id, const char *title, size_t n,
                          const char *const *labels, const double *artist, const double *all,
                          const char *axis, size_t every)
{
    double max = 1;
    for (size_t i = 0; i < n; i++) {
        if (artist[i] > max)
            max = artist[i];
        if (all[i] > max)
            max = all[i];
    }
    struct profile p = {labels, n, artist, all, axis, every, max};
    report_chart_twice(b, id, title, 460, 220, draw_profile, &p);
}

static const char *const hour_labels[] = {"00", "01", "02", "03", "04", "05", "06", "07",
                                          "08", "09", "10", "11", "12", "13", "14", "15",
                                          "16", "17", "18", "19", "20", "21", "22", "23"};
static const char *const day_labels[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

void report_artist_hours(struct hbuf *b, const struct report *r, const long p[7][24], long total)
{
    double ah[24] = {0}, oh[24] = {0}, ad[7] = {0}, od[7] = {0};
    long all = 0;
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++)
            all += r->local_punch[d][h];
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++) {
            double a = total ? 100.0 * (double)p[d][h] / (double)total : 0;
            double o = all ? 100.0 * (double)r->local_punch[d][h] / (double)all : 0;
            ah[h] += a;
            ad[d] += a;
            oh[h] += o;
            od[d] += o;
        }
    hbuf_puts(b, "<section id=\"hours\"><h2>When: its hours and weekdays</h2><p class=\"note\">"
                 "Local time. Orange: the share of this artist's scrobbles; pale: the share of "
                 "all your counted scrobbles, for comparison.</p><div class=\"grid2\"><div>");
    profile_chart(b, "artist-hours", "By local hour", 24, hour_labels, ah, oh, "local hour", 3);
    static const char *const hh[] = {"hour", "this artist", "all"};
    html_table_begin(b, "The numbers", hh, 3);
    for (int h = 0; h < 24; h++)
        hbuf_printf(b,
                    "<tr><td>%s:00</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%"
                    "</td></tr>\n",
                    hour_labels[h], ah[h], oh[h]);
    html_table_end(b);
    svg_chart_close(b);
    hbuf_puts(b, "</div><div>");
    profile_chart(b, "artist-weekdays", "By local weekday", 7, day_labels, ad, od, "weekday", 1);
    static const char *const dh[] = {"weekday", "this artist", "all"};
    html_table_begin(b, "The numbers", dh, 3);
    for (int d = 0; d < 7; d++)
        hbuf_printf(b,
                    "<tr><td>%s</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%</td>"
                    "</tr>\n",
                    report_weekday[d + 1], ad[d], od[d]);
    html_table_end(b);
    svg_chart_close(b);
    hbuf_puts(b, "</div></div></section>\n");
}

/* ---- runs, absences, returns ---- */

void report_artist_runs(struct hbuf *b, const struct report *r, const struct day_runs *d)
{
    char s[32], c[32];
    hbuf_printf(b,
                "<section id=\"runs\"><h2>Runs and absences</h2><p class=\"note\">An absence "
                "counts the active days of the history without it (days with a counted scrobble "
                "of anything): days on which nothing at all was scrobbled are no absence. A "
                "return: after at least %ld such days, as many as an average year of the "
                "history has.</p>"
                "<dl class=\"kv\"><dt>Longest run</dt><dd>%ld day%s in a row, %s to %s</dd>",
                r->away_days, d->longest_run.days, d->longest_run.days == 1 ? "" : "s",
                d->longest_run.from, d->longest_run.to);
    if (d->longest_gap.days) {
        html_thousands(d->longest_gap.days, s, sizeof s);
        html_thousands(d->longest_gap.calendar, c, sizeof c);
        hbuf_printf(b,
                    "<dt>Longest absence</dt><dd>%s active day%s without it (%s calendar "
                    "days), after %s, back on %s</dd>",
                    s, d->longest_gap.days == 1 ? "" : "s", c, d->longest_gap.from,
                    d->longest_gap.to);
    } else
        hbuf_puts(b, "<dt>Longest absence</dt><dd>none: it was scrobbled on every active day "
                     "from its first to its last</dd>");
    hbuf_puts(b, "</dl><h3>Returns after a year of listening away</h3>");
    if (d->nreturns == 0) {
        hbuf_puts(b, "<p>None.</p></section>\n");
        return;
    }
    html_wrap_open(b, "h2 h4"); /* a phone: when, and how long away */
    hbuf_puts(b, "<table><thead><tr><th>back on</th><th>last before</th>"
                 "<th class=\"n\">active days away</th><th class=\"n\">calendar days</th></tr>"
                 "</thead><tbody>");
    for (int i = 0; i < d->nreturns; i++) {
        hbuf_printf(b, "<tr><td class=\"d\">%s</td><td class=\"d\">%s</td>", d->returns[i].to,
                    d->returns[i].from);
        report_td_num(b, d->returns[i].days);
        report_td_num(b, d->returns[i].calendar);
        hbuf_puts(b, "</tr>");
    }
    hbuf_puts(b, "</tbody></table></div></section>\n");
}
