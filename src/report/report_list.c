/* report_list.c: the listings, report/artists.html, albums.html and
 * tracks.html: every counted artist, and every album and track of at least
 * REPORT_LIST_MIN counted scrobbles, most played first, each with its first
 * and last local date and a link to its page where it has one.  One plain
 * table per page, so that the browser's find reaches every name.  Also the
 * table of all of an artist's (album's, track's) parts its pages share. */
#include "autoconfig.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "grow.h"
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
    html_wrap_open(b, with_artist ? "h3 h5 h6" : "h4 h5"); /* a phone: #, name, scrobbles */
    hbuf_printf(b,
                "<table class=\"list\"><thead><tr><th class=\"n\">#</th>"
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

/* A name as an alias file's line takes it: in quotes when a space at an end
 * would be trimmed. */
static void alias_name(struct hbuf *b, const char *s)
{
    size_t n = strlen(s);
    bool quote = n && (s[0] == ' ' || s[n - 1] == ' ');
    hbuf_puts(b, quote ? "\"" : "");
    html_text(b, s);
    hbuf_puts(b, quote ? "\"" : "");
}

/* The artist listing's last section: the names that differ only by case or
 * accents, each with the alias line that would merge it into the most played
 * spelling.  Read whole (at most VARIANTS_MAX names), then drawn. */
#define VARIANTS_MAX 2000
static int variants(struct hbuf *b, sqlite3 *db, const struct report *r)
{
    struct variant {
        char *fold, *name;
        long n;
    } *v = NULL;
    size_t nv = 0, cap = 0;
    sqlite3_stmt *st;
    int rc = report_stmt(db, "name_variants", &st), fail = 0;
    if (rc < 0)
        return rc;
    while (!fail && nv < VARIANTS_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow(&v, &cap, nv + 1, sizeof *v, 0) < 0) {
            fail = -ENOMEM;
            break;
        }
        v[nv] = (struct variant){report_column_name(st, 0), report_column_name(st, 1),
                                 sqlite3_column_int64(st, 2)};
        fail = report_copied(v[nv].fold, st, 0) || report_copied(v[nv].name, st, 1) ? -ENOMEM : 0;
        nv++;
    }
    sqlite3_finalize(st);
    if (!fail && rc != SQLITE_DONE && rc != SQLITE_ROW)
        fail = report_sql_fail(rc);
    if (!fail && nv) {
        hbuf_puts(b, "<section id=\"variants\"><h2>Names that differ only by case or accents"
                     "</h2><p class=\"note\">Counted as different artists: nothing is merged "
                     "without the alias file (LASTFM_ARTIST_ALIASES). Its lines below would "
                     "merge each into its most played spelling.</p><div class=\"wrap\"><table>"
                     "<thead><tr><th>name</th><th class=\"n\">scrobbles</th><th>alias line"
                     "</th></tr></thead><tbody>");
        for (size_t i = 0, first = 0; i < nv; i++) {
            if (i == 0 || strcmp(v[i].fold, v[first].fold) != 0)
                first = i; /* a group's first: the most played */
            hbuf_puts(b, "<tr>");
            report_td_artist(b, r, v[i].name, 40);
            report_td_num(b, v[i].n);
            hbuf_puts(b, "<td class=\"t\">");
            if (i != first && !strstr(v[i].name, " = ")) {
                hbuf_puts(b, "<code>");
                alias_name(b, v[i].name);
                hbuf_puts(b, " = ");
                alias_name(b, v[first].name);
                hbuf_puts(b, "</code>");
            } else if (i != first)
                hbuf_puts(b, "(holds \" = \": an alias line cannot name it)");
            hbuf_puts(b, "</td></tr>");
        }
        hbuf_puts(b, "</tbody></table></div></section>\n");
    }
    for (size_t i = 0; i < nv; i++) {
        free(v[i].fold);
        free(v[i].name);
    }
    free(v);
    return fail;
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
    if (rc != SQLITE_DONE)
        return report_sql_fail(rc);
    if (!pairs && (rc = variants(b, db, r)) < 0)
        return rc;
    report_page_foot(b);
    return 0;
}
