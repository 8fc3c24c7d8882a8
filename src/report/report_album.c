/* report_album.c: a page per album and per track of at least
 * LASTFM_REPORT_ALBUM_MIN (LASTFM_REPORT_TRACK_MIN) counted scrobbles,
 * report/album/FILE.html and report/track/FILE.html: its scrobbles, first and
 * last, its months and years, its tracks (an album's) or the albums it was
 * played from (a track's), its hours and weekdays against the listener's.
 * An album is its artist (after the alias file) and its name; a track too. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "grow.h"
#include "log.h"
#include "report_int.h"

/* Albums (or tracks) of at least `min`, at most REPORT_PAIR_PAGES_MAX. */
static int pair_links(sqlite3 *db, struct page_set *l, const char *list_sql, const char *count_sql,
                      long min, const char *what)
{
    sqlite3_stmt *st;
    l->min = min;
    int prc = report_stmt(db, list_sql, &st);
    if (prc < 0)
        return prc;
    sqlite3_bind_int64(st, 1, min);
    sqlite3_bind_int64(st, 2, REPORT_PAIR_PAGES_MAX);
    int rc, fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((fail = grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 0)) < 0)
            break;
        struct page_link *p = &l->v[l->n];
        memset(p, 0, sizeof *p);
        p->artist = report_column_name(st, 0);
        p->name = report_column_name(st, 1);
        if (!p->artist || !p->name) {
            free(p->artist);
            free(p->name);
            fail = -ENOMEM;
            break;
        }
        report_pair_file(p->artist, p->name, p->file);
        p->n = sqlite3_column_int64(st, 2);
        l->n++;
    }
    sqlite3_finalize(st);
    if (fail)
        return fail;
    if (rc != SQLITE_DONE)
        return report_sql_fail(rc);
    l->qualifying = (long)l->n;
    if (l->n == REPORT_PAIR_PAGES_MAX) {
        if ((prc = report_stmt(db, count_sql, &st)) < 0)
            return prc;
        sqlite3_bind_int64(st, 1, min);
        if ((rc = sqlite3_step(st)) == SQLITE_ROW)
            l->qualifying = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
            return report_sql_fail(rc);
        if (l->qualifying > (long)l->n)
            log_warn("%ld %ss have at least %ld counted scrobbles: pages are made for the %d "
                     "most played; raise the setting to choose them",
                     l->qualifying, what, min, REPORT_PAIR_PAGES_MAX);
    }
    if (report_links_finish(l) < 0)
        return -ENOMEM;
    return 0;
}

int report_pair_links(sqlite3 *db, struct report *r, long album_min, long track_min)
{
    int rc = pair_links(db, &r->links.albums, "listing_albums", "count_albums", album_min, "album");
    return rc < 0 ? rc
                  : pair_links(db, &r->links.tracks, "listing_tracks", "count_tracks", track_min,
                               "track");
}

/* ---- the pages ---- */

enum { Q_LIST, Q_DAYS, Q_PUNCH, Q_PARTS, Q_COUNT };

struct pair_pages {
    enum page_kind kind; /* PAGE_ALBUM or PAGE_TRACK */
    sqlite3_stmt *q[Q_COUNT];
    struct day_count *days; /* the page's active days (reused) */
    long ndays;
    size_t cap;
};

static int pair_open(sqlite3 *db, const struct report *r, enum page_kind kind, void **ret)
{
    struct pair_pages *pp = calloc(1, sizeof *pp);
    if (!pp)
        return -ENOMEM;
    pp->kind = kind;
    *ret = pp;
    bool album = kind == PAGE_ALBUM;
    const char *names[Q_COUNT] = {
        album ? "listing_albums" : "listing_tracks", album ? "album_days" : "track_days",
        album ? "album_punch" : "track_punch", album ? "album_parts" : "track_parts"};
    for (int i = 0; i < Q_COUNT; i++) {
        int prc = report_stmt(db, names[i], &pp->q[i]);
        if (prc < 0)
            return prc; /* -ENOMEM or -1 */
    }
    const struct page_set *set = album ? &r->links.albums : &r->links.tracks;
    sqlite3_bind_int64(pp->q[Q_LIST], 1, set->min);
    sqlite3_bind_int64(pp->q[Q_LIST], 2, REPORT_PAIR_PAGES_MAX);
    return 0;
}

int report_album_pages_open(sqlite3 *db, const struct report *r, void **ret)
{
    return pair_open(db, r, PAGE_ALBUM, ret);
}

int report_track_pages_open(sqlite3 *db, const struct report *r, void **ret)
{
    return pair_open(db, r, PAGE_TRACK, ret);
}

void report_pair_pages_close(void *it)
{
    struct pair_pages *pp = it;
    if (!pp)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(pp->q[i]);
    free(pp->days);
    free(pp);
}

/* Bind the list row's artist and name as stored (columns 5 and 6), reset. */
static sqlite3_stmt *query(struct pair_pages *pp, int q)
{
    sqlite3_stmt *st = pp->q[q], *list = pp->q[Q_LIST];
    sqlite3_reset(st);
    for (int k = 0; k < 2; k++)
        sqlite3_bind_text(st, k + 1, (const char *)sqlite3_column_text(list, 5 + k),
                          sqlite3_column_bytes(list, 5 + k), SQLITE_STATIC);
    return st;
}

static int load_days(struct pair_pages *pp)
{
    return report_read_days(query(pp, Q_DAYS), &pp->days, &pp->ndays, &pp->cap);
}

static int hours(struct hbuf *b, struct pair_pages *pp, const struct report *r, long total)
{
    long p[7][24];
    int rc = report_read_punch(query(pp, Q_PUNCH), p);
    if (rc == 0)
        report_artist_hours(b, r, p, total);
    return rc;
}

/* Its scrobbles per year, from its days. */
static void years_table(struct hbuf *b, const struct report *r, const struct pair_pages *pp,
                        long total)
{
    hbuf_puts(b, "<section id=\"years\"><h2>Year by year</h2><div class=\"wrap\"><table><thead>"
                 "<tr><th>year</th><th class=\"n\">scrobbles</th><th class=\"n\">share of its "
                 "scrobbles</th></tr></thead><tbody>");
    for (long i = 0; i < pp->ndays;) {
        long n = 0, j = i;
        for (; j < pp->ndays && strncmp(pp->days[j].date, pp->days[i].date, 4) == 0; j++)
            n += pp->days[j].n;
        hbuf_puts(b, "<tr><td>");
        report_year_link(b, r, atoi(pp->days[i].date));
        hbuf_puts(b, "</td>");
        report_td_num(b, n);
        report_td_share(b, n, total);
        hbuf_puts(b, "</tr>");
        i = j;
    }
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

int report_pair_next(void *it, struct hbuf *b, const struct report *r, char *file,
                     unsigned long size)
{
    struct pair_pages *pp = it;
    bool album = pp->kind == PAGE_ALBUM;
    const struct page_set *set = album ? &r->links.albums : &r->links.tracks;
    sqlite3_stmt *list = pp->q[Q_LIST];
    for (;;) {
        int rc = sqlite3_step(list);
        if (rc == SQLITE_DONE)
            return 0;
        if (rc != SQLITE_ROW)
            return report_sql_fail(rc);
        char *artist = report_column_name(list, 0), *name = report_column_name(list, 1);
        if (!artist || !name) {
            free(artist);
            free(name);
            return -ENOMEM; /* never a page silently left out */
        }
        const struct page_link *p = report_links_find(set, artist, name);
        char want[REPORT_FILE_MAX];
        report_pair_file(artist, name, want);
        if (!p || strcmp(p->file, want) != 0) { /* dropped: its file name clashed */
            free(artist);
            free(name);
            continue;
        }
        long total = sqlite3_column_int64(list, 2);
        int fail = load_days(pp);
        struct day_runs d;
        if (!fail)
            report_day_runs(pp->days, pp->ndays, r->days, r->ndays, r->away_days, &d);
        if (!fail) {
            report_page_head(b, r, name);
            char s[32];
            html_thousands(total, s, sizeof s);
            hbuf_printf(b, "<h1 class=\"name\">");
            html_name(b, name);
            hbuf_printf(b, "</h1><p class=\"note\">%s by ", album ? "An album" : "A track");
            bool link = report_link_open(b, r, PAGE_ARTIST, &(struct page_key){.artist = artist});
            html_name(b, artist);
            hbuf_printf(b,
                        "%s</p><dl class=\"kv\"><dt>Scrobbles counted</dt><dd>%s (%.1f%% of "
                        "all)</dd><dt>First scrobble</dt><dd>%s</dd><dt>Last scrobble</dt>"
                        "<dd>%s</dd><dt>Active days</dt><dd>%s</dd><dt>Busiest day</dt>"
                        "<dd>%s: %s</dd></dl><p class=\"note\">Local dates and times (",
                        link ? "</a>" : "", s,
                        r->scrobbles ? 100.0 * (double)total / (double)r->scrobbles : 0.0, d.first,
                        d.last, HTML_NUM(d.active_days), d.busiest_day.date,
                        HTML_NUM(d.busiest_day.n));
            html_text(b, r->timezone ? r->timezone : "UTC");
            hbuf_puts(b, "); counted scrobbles only.</p>\n");
            report_artist_months(b, pp->days, pp->ndays);
            years_table(b, r, pp, total);
            hbuf_printf(b, "<section id=\"parts\"><h2>%s</h2>",
                        album ? "Its tracks" : "The albums it was played from");
            fail = report_parts_table(b, r, query(pp, Q_PARTS), album ? PAGE_TRACK : PAGE_ALBUM,
                                      artist, album ? "track" : "album");
            hbuf_puts(b, "</section>\n");
        }
        if (!fail)
            fail = hours(b, pp, r, total);
        if (!fail)
            report_page_foot(b);
        free(artist);
        free(name);
        if (fail)
            return fail;
        snprintf(file, size, "%s", p->file);
        return 1;
    }
}
