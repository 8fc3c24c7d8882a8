/* report_list.c: the listings, report/artists.html, albums.html and
 * tracks.html: every counted artist, and every album and track of at least
 * REPORT_LIST_MIN counted scrobbles, most played first, each with its first
 * and last local date and a link to its page where it has one.  One plain
 * table per page, so that the browser's find reaches every name.  Also the
 * table of all of an artist's (album's, track's) parts its pages share. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "report_int.h"

/* One row's rank: ties share the rank of the first of them (rank()). */
struct ranker {
    long pos, rank, last_n;
};

static long next_rank(struct ranker *k, long n)
{
    k->pos++;
    if (k->pos == 1 || n != k->last_n)
        k->rank = k->pos;
    k->last_n = n;
    return k->rank;
}

static void th_row(struct hbuf *b, bool with_artist, const char *what)
{
    hbuf_printf(b,
                "<div class=\"wrap\"><table class=\"list\"><thead><tr><th class=\"n\">#</th>"
                "<th>%s</th>%s<th class=\"n\">scrobbles</th><th>first</th><th>last</th></tr>"
                "</thead><tbody>",
                what, with_artist ? "<th>artist</th>" : "");
}

static void dates(struct hbuf *b, sqlite3_stmt *st, int col)
{
    hbuf_puts(b, "<td class=\"d\">");
    html_text(b, (const char *)sqlite3_column_text(st, col));
    hbuf_puts(b, "</td><td class=\"d\">");
    html_text(b, (const char *)sqlite3_column_text(st, col + 1));
    hbuf_puts(b, "</td>");
}

int report_parts_table(struct hbuf *b, const struct report *r, sqlite3_stmt *st,
                       enum page_kind kind, const char *artist, const char *what)
{
    struct ranker k = {0};
    int rc;
    th_row(b, false, what);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long n = sqlite3_column_int64(st, 1);
        char *name = report_column_name(st, 0);
        if (report_copied(name, st, 0) < 0)
            return -ENOMEM;
        hbuf_printf(b, "<tr><td class=\"n\">%s</td>", HTML_NUM(next_rank(&k, n)));
        if (name && *name)
            report_td_link(b, r, kind, &(struct page_key){.artist = artist, .name = name}, name,
                           60);
        else
            hbuf_puts(b, "<td class=\"t note\">(none given)</td>");
        free(name);
        report_td_num(b, n);
        dates(b, st, 2);
        hbuf_puts(b, "</tr>");
    }
    if (k.pos == 0)
        hbuf_puts(b, "<tr><td colspan=\"5\">none</td></tr>");
    hbuf_puts(b, "</tbody></table></div>\n");
    return rc == SQLITE_DONE ? 0 : report_sql_fail(rc);
}

int report_listing_page(struct hbuf *b, sqlite3 *db, const struct report *r, enum page_kind kind)
{
    static const struct {
        const char *title, *sql, *what;
    } * l, lists[] = {
               [PAGE_ARTISTS] = {"Artists", "listing_artists", "artist"},
               [PAGE_ALBUMS] = {"Albums", "listing_albums", "album"},
               [PAGE_TRACKS] = {"Tracks", "listing_tracks", "track"},
           };
    l = &lists[kind];
    bool pairs = kind != PAGE_ARTISTS;
    const struct page_set *set = kind == PAGE_ARTISTS  ? &r->links.artists
                                 : kind == PAGE_ALBUMS ? &r->links.albums
                                                       : &r->links.tracks;
    sqlite3_stmt *st;
    int prc = report_stmt(db, l->sql, &st);
    if (prc < 0)
        return prc;
    if (pairs) {
        sqlite3_bind_int64(st, 1, REPORT_LIST_MIN);
        sqlite3_bind_int64(st, 2, -1); /* no limit */
    }
    report_page_head(b, r, l->title);
    hbuf_printf(b, "<h1>%s</h1><p class=\"note\">", l->title);
    if (pairs)
        hbuf_printf(b,
                    "Every %s of at least %d counted scrobbles, most played first (ties share "
                    "a rank); an %s is its artist (after the alias file) and its name. Those of "
                    "at least %ld have a page of their own: follow the name.",
                    l->what, REPORT_LIST_MIN, l->what, set->min);
    else
        hbuf_printf(b,
                    "Every artist with a counted scrobble, most played first (ties share a "
                    "rank). Those of at least %ld have a page of their own: follow the name.",
                    set->min);
    hbuf_puts(b, " Dates are local. Find a name with the browser's find (Ctrl+F).</p>\n");
    th_row(b, pairs, l->what);
    struct ranker k = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long n = sqlite3_column_int64(st, pairs ? 2 : 1);
        char *a = report_column_name(st, 0), *name = pairs ? report_column_name(st, 1) : NULL;
        if (report_copied(a, st, 0) < 0 || (pairs && report_copied(name, st, 1) < 0)) {
            free(a);
            free(name);
            sqlite3_finalize(st);
            return -ENOMEM;
        }
        hbuf_printf(b, "<tr><td class=\"n\">%s</td>", HTML_NUM(next_rank(&k, n)));
        if (pairs)
            report_td_link(b, r, kind == PAGE_ALBUMS ? PAGE_ALBUM : PAGE_TRACK,
                           &(struct page_key){.artist = a, .name = name}, name, 60);
        report_td_artist(b, r, a, 40);
        report_td_num(b, n);
        dates(b, st, pairs ? 3 : 2);
        hbuf_puts(b, "</tr>");
        free(a);
        free(name);
    }
    sqlite3_finalize(st);
    if (k.pos == 0)
        hbuf_printf(b, "<tr><td colspan=\"%d\">none</td></tr>", pairs ? 6 : 5);
    hbuf_puts(b, "</tbody></table></div>\n");
    report_page_foot(b);
    return rc == SQLITE_DONE ? 0 : report_sql_fail(rc);
}
