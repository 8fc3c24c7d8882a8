/* report_genres.c: genres over time, from the database's yearly_tags (every
 * counted scrobble once, under its artist's primary tag, '' for none): the
 * index's heatmap of the top genres' shares per year with its table, each
 * year page's genres and what changed from the year before, each artist
 * page's tags. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "grow.h"
#include "report_int.h"
#include "svg_int.h"

/* ---- loading ---- */

_Static_assert(REPORT_TAG_PAGES == 30 && REPORT_GENRES <= REPORT_TAG_PAGES,
               "report.sql's genre_top reads 30 genres");

static int on_genre(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    if (grow(&r->genres.yt, &r->genres.cap, (size_t)r->genres.nyt + 1, sizeof *r->genres.yt, 0) < 0)
        return -ENOMEM;
    struct genre_count *g = &r->genres.yt[r->genres.nyt];
    g->year = sqlite3_column_int(st, 0);
    g->tag = report_column_name(st, 1);
    g->n = sqlite3_column_int64(st, 2);
    if (report_copied(g->tag, st, 1) < 0 || !g->tag)
        return -ENOMEM;
    r->genres.nyt++;
    return 0;
}

/* The genres by scrobbles: the first REPORT_GENRES for the heatmap, the
 * first REPORT_TAG_PAGES a page each. */
static int on_top_genre(sqlite3_stmt *st, void *opaque)
{
    struct report *r = opaque;
    struct report_genres *g = &r->genres;
    struct page_set *l = &r->links.tags;
    char *tag = report_column_name(st, 0);
    if (!tag)
        return -ENOMEM;
    long n = sqlite3_column_int64(st, 1);
    if (l->n < REPORT_TAG_PAGES) {
        if (grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 0) < 0 ||
            !(l->v[l->n].name = strdup(tag))) {
            free(tag);
            return -ENOMEM;
        }
        struct page_link *p = &l->v[l->n++];
        p->artist = NULL;
        p->n = n;
        p->dropped = false;
        report_artist_file(tag, strlen(tag), p->file);
    }
    if (g->ntop >= REPORT_GENRES) {
        free(tag);
        return 0;
    }
    g->top[g->ntop] = tag;
    g->top_n[g->ntop++] = n;
    return 0;
}

static int on_genre_totals(sqlite3_stmt *st, void *opaque)
{
    struct report_genres *g = opaque;
    g->tagged = sqlite3_column_int64(st, 0);
    g->untagged = sqlite3_column_int64(st, 1);
    g->genres = sqlite3_column_int64(st, 2);
    g->answers = sqlite3_column_int64(st, 3);
    return 0;
}

int report_load_genres(sqlite3 *db, struct report *r)
{
    int rc;
    (void)((rc = report_exec_named(db, "genre_setup")) ||
           (rc = report_each_row(db, "genre_years", on_genre, r)) ||
           (rc = report_each_row(db, "genre_top", on_top_genre, r)) ||
           (rc = report_each_row(db, "genre_totals", on_genre_totals, &r->genres)));
    if (!rc) {
        r->links.tags.min = 1;
        r->links.tags.qualifying = r->genres.genres;
        if (report_links_finish(&r->links.tags) < 0)
            rc = -ENOMEM;
    }
    return rc;
}

void report_genres_free(struct report_genres *g)
{
    for (long i = 0; i < g->nyt; i++)
        free(g->yt[i].tag);
    free(g->yt);
    for (int i = 0; i < g->ntop; i++)
        free(g->top[i]);
    memset(g, 0, sizeof *g);
}

/* A year's scrobbles under `tag` (rows sorted by year, tag). */
long report_genre_n(const struct report *r, int year, const char *tag)
{
    long lo = 0, hi = r->genres.nyt;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        const struct genre_count *g = &r->genres.yt[mid];
        int c = g->year != year ? (g->year < year ? -1 : 1) : strcmp(g->tag, tag);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->genres.nyt && r->genres.yt[lo].year == year &&
                   strcmp(r->genres.yt[lo].tag, tag) == 0
               ? r->genres.yt[lo].n
               : 0;
}

void report_tag_link(struct hbuf *b, const struct report *r, const char *tag)
{
    bool link = *tag && report_link_open(b, r, PAGE_TAG, &(struct page_key){.name = tag});
    html_name(b, *tag ? tag : "(no tag)");
    if (link)
        hbuf_puts(b, "</a>");
}

/* ---- the index: the heatmap and its table ---- */

/* A genre's share of a year: 0 none, then up to 2, 5, 10, 20 % and more. */
static int genre_shade(double share)
{
    return share <= 0     ? 0
           : share < 0.02 ? 1
           : share < 0.05 ? 2
           : share < 0.10 ? 3
           : share < 0.20 ? 4
                          : 5;
}

/* Row i of the heatmap: the top genres, then "no tag". */
static const char *row_tag(const struct report *r, int i)
{
    return i < r->genres.ntop ? r->genres.top[i] : "";
}

static void draw_genres(struct chart *c, const void *ctx)
{
    const struct report *r = ctx;
    struct hbuf *b = c->b;
    int rows = r->genres.ntop + 1;
    double row = 22, label_w = c->narrow ? 100 : 170;
    c->left = label_w;
    for (int a = 0; a < rows; a++) {
        double y = c->top + row * a;
        const char *tag = row_tag(r, a);
        report_svg_name(b, c->left - 8, y + row * 0.68, "end", NULL, *tag ? tag : "(no tag)",
                        c->narrow ? 13 : 24);
        for (int i = 0; i < r->nyears; i++) {
            const struct year_stat *ys = &r->years[i];
            double w, x = svg_chart_band_x(c, (size_t)r->nyears, (size_t)i, &w);
            if (ys->thin) {
                report_thin_cell(b, x + 1, y + 1, w - 2, row - 2, ys, "no share");
                continue;
            }
            long n = report_genre_n(r, ys->year, tag);
            double share = ys->scrobbles ? (double)n / (double)ys->scrobbles : 0;
            int shade = genre_shade(share);
            hbuf_printf(b,
                        "<rect class=\"q%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\"><title>",
                        shade, x + 1, y + 1, w - 2, row - 2);
            html_name_plain(b, *tag ? tag : "(no tag)");
            hbuf_printf(b, ", %d: %s scrobbles, %.1f%%</title></rect>", ys->year, HTML_NUM(n),
                        100 * share);
            if (n && w >= 26) {
                hbuf_printf(b,
                            "<text class=\"tag%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle"
                            "\">",
                            shade >= 3 ? " on" : "", x + w / 2, y + row * 0.68);
                if (100 * share < 0.5) /* a few scrobbles are not 0 % */
                    hbuf_puts(b, "&lt;1</text>");
                else
                    hbuf_printf(b, "%.0f</text>", 100 * share);
            }
        }
    }
    c->bottom = c->height - c->top - row * rows;
    svg_chart_axis_bands(c, (size_t)r->nyears, 0,
                         report_every_nth((size_t)r->nyears, svg_chart_fit(c, 44)),
                         c->narrow ? "local year (in a cell: its %)"
                                   : "local year (the number in a cell: the genre's % of the "
                                     "year's counted scrobbles)",
                         report_year_label, (void *)r);
}

/* The rule, said wherever genres are counted. */
static void rule_note(struct hbuf *b)
{
    hbuf_puts(b, "Each counted scrobble counts once, for its artist's <em>primary tag</em>: "
                 "the artist's highest-count Last.fm tag that is not on the ignore list "
                 "(\"seen live\", \"favorites\", decades, countries, the artist's own name...; "
                 "a tie goes to the tag that sorts first), tags compared lower-cased and "
                 "trimmed.");
}

void report_genres(struct hbuf *b, const struct report *r)
{
    const struct report_genres *g = &r->genres;
    long all = g->tagged + g->untagged;
    hbuf_puts(b, "<section id=\"genres\"><h2>Genres over time</h2><p class=\"note\">");
    if (!g->answers) {
        hbuf_puts(b, "No genres yet: the database holds no artist's Last.fm tags (lastfm-syncd "
                     "asks for them after each pass unless LASTFM_TAGS=0, and the database "
                     "takes them in at its next build).</p></section>\n");
        return;
    }
    rule_note(b);
    hbuf_printf(b,
                " Below: the %d genres with the most scrobbles, one row each, and every "
                "local year a cell, darker for a larger share of that year's counted "
                "scrobbles (up to 2, 5, 10, 20 %% and more). Thin years (fewer than %d "
                "active days) and silent ones are grey.</p><p class=\"note\">",
                g->ntop, REPORT_THIN_DAYS);
    hbuf_printf(b, "%s of %s counted scrobbles (", HTML_NUM(g->untagged), HTML_NUM(all));
    hbuf_printf(b, "%.1f%%", all ? 100.0 * (double)g->untagged / (double)all : 0.0);
    hbuf_printf(b,
                ") have no primary tag: their artist has no stored answer yet, is unknown "
                "to Last.fm, or has only ignored tags; they are the row \"(no tag)\". %s "
                "genres in all.</p>",
                HTML_NUM(g->genres));
    report_chart_twice(b, "genres", "Share of the top genres per year", REPORT_WIDE,
                       12 + 22.0 * (g->ntop + 1) + 44, draw_genres, r);
    hbuf_puts(b, "<details><summary>The numbers</summary><div class=\"wrap\"><table><thead><tr>"
                 "<th>genre</th><th>year</th><th class=\"n\">scrobbles</th><th class=\"n\">"
                 "share</th></tr></thead><tbody>");
    for (int a = 0; a <= g->ntop; a++)
        for (int i = 0; i < r->nyears; i++) {
            const struct year_stat *ys = &r->years[i];
            const char *tag = row_tag(r, a);
            long n = report_genre_n(r, ys->year, tag);
            hbuf_puts(b, "<tr><td class=\"t\">");
            report_tag_link(b, r, tag);
            hbuf_printf(b, "</td><td>%d</td>", ys->year);
            report_td_num(b, n);
            if (ys->thin)
                hbuf_puts(b, "<td class=\"n\">thin year</td>");
            else
                report_td_share(b, n, ys->scrobbles);
            hbuf_puts(b, "</tr>\n");
        }
    hbuf_puts(b, "</tbody></table></div></details>");
    svg_chart_close(b);
    /* every genre's page, one click away (the heatmap shows ten of them) */
    const struct page_set *pages = &r->links.tags;
    hbuf_puts(b, "<p class=\"note\">A page for each of the most played genres:");
    for (size_t i = 0, k = 0; i < pages->n; i++) {
        if (pages->v[i].dropped)
            continue;
        hbuf_puts(b, k++ ? " &#183; " : " ");
        report_tag_link(b, r, pages->v[i].name);
    }
    hbuf_puts(b, ".</p></section>\n");
}

/* ---- a year's page ---- */

/* The year's genres, most scrobbles first (ties by name). */
struct year_genre {
    const char *tag;
    long n;
};

static int by_n(const void *a, const void *b)
{
    const struct year_genre *x = a, *y = b;
    return x->n != y->n ? (x->n > y->n ? -1 : 1) : strcmp(x->tag, y->tag);
}

void report_year_genres(struct hbuf *b, const struct report *r, const struct year_stat *ys,
                        const struct year_stat *before)
{
    if (!r->genres.answers || ys->thin)
        return;
    struct year_genre v[REPORT_YEAR_GENRES + 1];
    int n = 0;
    long untagged = 0;
    for (long i = 0; i < r->genres.nyt; i++) {
        const struct genre_count *g = &r->genres.yt[i];
        if (g->year != ys->year)
            continue;
        if (!*g->tag) {
            untagged = g->n;
            continue;
        }
        /* keep the REPORT_YEAR_GENRES largest */
        v[n++] = (struct year_genre){g->tag, g->n};
        qsort(v, (size_t)n, sizeof *v, by_n);
        if (n > REPORT_YEAR_GENRES)
            n = REPORT_YEAR_GENRES;
    }
    bool compare = before && !before->thin;
    hbuf_puts(b, "<section id=\"genres\"><h2>Genres</h2><p class=\"note\">");
    rule_note(b);
    hbuf_printf(b, " %s of the year's %s counted scrobbles have no primary tag.",
                HTML_NUM(untagged), HTML_NUM(ys->scrobbles));
    if (compare)
        hbuf_printf(b, " Change: the genre's share this year against %d's, in points.",
                    before->year);
    else
        hbuf_puts(b, " No change is shown: the year before is thin, silent or not in the "
                     "history.");
    hbuf_puts(b, "</p>");
    html_wrap_open(b, NULL);
    hbuf_puts(b, "<table><thead><tr><th class=\"n\">#</th><th>genre</th><th class=\"n\">"
                 "scrobbles</th><th class=\"n\">share</th><th class=\"n\">change</th></tr>"
                 "</thead><tbody>");
    for (int i = 0; i < n; i++) {
        long rank = i + 1;
        while (rank > 1 && v[rank - 2].n == v[i].n) /* ties share a rank */
            rank--;
        hbuf_printf(b, "<tr><td class=\"n\">%ld</td><td class=\"t\">", rank);
        report_tag_link(b, r, v[i].tag);
        hbuf_puts(b, "</td>");
        report_td_num(b, v[i].n);
        report_td_share(b, v[i].n, ys->scrobbles);
        if (!compare) {
            hbuf_puts(b, "<td class=\"n\">&#8211;</td>");
        } else {
            long was = report_genre_n(r, before->year, v[i].tag);
            double now = ys->scrobbles ? 100.0 * (double)v[i].n / (double)ys->scrobbles : 0,
                   then = before->scrobbles ? 100.0 * (double)was / (double)before->scrobbles : 0;
            if (!was)
                hbuf_puts(b, "<td class=\"n\">new</td>");
            else
                hbuf_printf(b, "<td class=\"n\">%+.1f</td>", now - then);
        }
        hbuf_puts(b, "</tr>\n");
    }
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

/* ---- an artist's page ---- */

int report_artist_tags(struct hbuf *b, const struct report *r, sqlite3_stmt *st)
{
    if (!r->genres.answers)
        return 0;
    int rc, n = 0;
    hbuf_puts(b, "<section id=\"tags\"><h2>Its tags</h2><p class=\"note\">Last.fm's tags "
                 "of the artist, the highest count first (100: the top tag), as the genre "
                 "charts read them: <strong>primary</strong> is the one its scrobbles count "
                 "under; struck out, those left out (the ignore list, its own name).</p>"
                 "<p class=\"tags\">");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *tag = report_column_name(st, 0);
        if (!tag)
            return -ENOMEM;
        bool ignored = sqlite3_column_int(st, 2), primary = sqlite3_column_int(st, 3);
        hbuf_puts(b, n++ ? " &#183; " : "");
        hbuf_puts(b, ignored ? "<s>" : primary ? "<strong>" : "");
        if (ignored)
            html_name(b, tag);
        else
            report_tag_link(b, r, tag);
        hbuf_printf(b, " (%lld)%s", (long long)sqlite3_column_int64(st, 1),
                    ignored   ? "</s>"
                    : primary ? " primary</strong>"
                              : "");
        free(tag);
    }
    if (rc != SQLITE_DONE)
        return report_sql_fail(rc);
    if (!n)
        hbuf_puts(b, "None: Last.fm has no tag for it, does not know it, or has not been "
                     "asked yet.");
    hbuf_puts(b, "</p></section>\n");
    return 0;
}
