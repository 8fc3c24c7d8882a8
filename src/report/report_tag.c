/* report_tag.c: a genre's page, tag/FILE.html, for each of the
 * REPORT_TAG_PAGES genres with the most counted scrobbles: its scrobbles by
 * year (every local year, thin ones marked) and its artists (those whose
 * primary tag it is), each linked to its page. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "report_int.h"

/* Its years: scrobbles and share of each year, the thin ones said. */
static void years_table(struct hbuf *b, const struct report *r, const char *tag)
{
    hbuf_puts(b, "<section id=\"years\"><h2>Its years</h2><p class=\"note\">Counted "
                 "scrobbles of its artists each local year, and their share of the "
                 "year's.</p>");
    html_wrap_open(b, NULL);
    hbuf_puts(b, "<table><thead><tr><th>year</th><th class=\"n\">scrobbles</th><th class=\"n\">"
                 "share</th></tr></thead><tbody>");
    for (int i = 0; i < r->nyears; i++) {
        const struct year_stat *ys = &r->years[i];
        long n = report_genre_n(r, ys->year, tag);
        hbuf_puts(b, "<tr><td>");
        report_year_link(b, r, ys->year);
        hbuf_puts(b, "</td>");
        report_td_num(b, n);
        if (ys->thin)
            hbuf_printf(b, "<td class=\"n\">%s</td>", ys->silent ? "silent" : "thin year");
        else
            report_td_share(b, n, ys->scrobbles);
        hbuf_puts(b, "</tr>\n");
    }
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

/* Its artists, the most played first. */
static int artists_table(struct hbuf *b, sqlite3 *db, const struct report *r, const char *tag,
                         long total)
{
    sqlite3_stmt *st, *count;
    long artists = 0;
    int rc = report_stmt(db, "tag_artist_count", &count);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(count, 1, tag, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(count)) == SQLITE_ROW)
        artists = sqlite3_column_int64(count, 0);
    sqlite3_finalize(count);
    if (rc != SQLITE_ROW)
        return report_sql_fail(rc);
    if ((rc = report_stmt(db, "tag_artists", &st)) < 0)
        return rc;
    sqlite3_bind_text(st, 1, tag, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, REPORT_TAG_ARTISTS);
    hbuf_printf(b,
                "<section id=\"artists\"><h2>Its artists</h2><p class=\"note\">The %s "
                "artist%s whose primary tag it is%s; ranks by their counted scrobbles (ties "
                "share a rank), shares of the genre's.</p>",
                HTML_NUM(artists), artists == 1 ? "" : "s",
                artists > REPORT_TAG_ARTISTS ? ", the 100 most played" : "");
    html_wrap_open(b, NULL);
    hbuf_puts(b, "<table><thead><tr><th class=\"n\">#</th><th>artist</th><th class=\"n\">"
                 "scrobbles</th><th class=\"n\">share</th></tr></thead><tbody>");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *name = report_column_name(st, 0);
        if (!name) {
            sqlite3_finalize(st);
            return -ENOMEM;
        }
        long n = sqlite3_column_int64(st, 1);
        hbuf_printf(b, "<tr><td class=\"n\">%s</td>", HTML_NUM(sqlite3_column_int64(st, 2)));
        report_td_artist(b, r, name, 60);
        report_td_num(b, n);
        report_td_share(b, n, total);
        hbuf_puts(b, "</tr>\n");
        free(name);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return report_sql_fail(rc);
    hbuf_puts(b, "</tbody></table></div></section>\n");
    return 0;
}

int report_tag_page(struct hbuf *b, sqlite3 *db, const struct report *r,
                    const struct page_link *tag)
{
    report_page_head(b, r, tag->name);
    hbuf_puts(b, "<h1 class=\"name\">");
    html_name(b, tag->name);
    long all = r->genres.tagged + r->genres.untagged;
    hbuf_printf(b,
                "</h1><dl class=\"kv\"><dt>Scrobbles counted</dt><dd>%s (%.1f%% of all)</dd>"
                "</dl><p class=\"note\">A genre: the Last.fm tag its artists' scrobbles count "
                "under, as on the overview's <a href=\"%sindex.html#genres\">genres over "
                "time</a>. Each counted scrobble counts once, for its artist's primary tag (its "
                "highest-count tag not on the ignore list, ties by name); local years (",
                HTML_NUM(tag->n), all ? 100.0 * (double)tag->n / (double)all : 0.0,
                r->root ? r->root : "");
    html_text(b, r->timezone ? r->timezone : "UTC");
    hbuf_puts(b, ").</p>\n");
    years_table(b, r, tag->name);
    int rc = artists_table(b, db, r, tag->name, tag->n);
    if (rc < 0)
        return rc;
    report_page_foot(b);
    return 0;
}
