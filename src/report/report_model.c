/* report_model.c: the page model (report_model_int.h): where each kind's
 * pages are, the links between them, and the table of kinds the site writer
 * walks. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static bool month_has_page(const struct report *r, int year, int month)
{
    char m[12];
    snprintf(m, sizeof m, "%04d-%02d", year, month);
    for (long i = 0; i < r->nmonths; i++) /* a few hundred months: a scan */
        if (strcmp(r->months[i].month, m) == 0)
            return r->months[i].n > 0;
    return false;
}

bool report_page_path(const struct report *r, enum page_kind kind, const struct page_key *key,
                      char out[REPORT_PATH_MAX])
{
    const struct page_link *p;
    switch (kind) {
    case PAGE_INDEX: snprintf(out, REPORT_PATH_MAX, "index.html"); return true;
    case PAGE_ARTISTS: snprintf(out, REPORT_PATH_MAX, "artists.html"); return true;
    case PAGE_ALBUMS: snprintf(out, REPORT_PATH_MAX, "albums.html"); return true;
    case PAGE_TRACKS: snprintf(out, REPORT_PATH_MAX, "tracks.html"); return true;
    case PAGE_YEAR:
        if (!r->links.first_year || key->year < r->links.first_year ||
            key->year > r->links.last_year)
            return false;
        snprintf(out, REPORT_PATH_MAX, "year/%d.html", key->year);
        return true;
    case PAGE_MONTH:
        if (key->month < 1 || key->month > 12 || !month_has_page(r, key->year, key->month))
            return false;
        snprintf(out, REPORT_PATH_MAX, "month/%04d-%02d.html%s%.10s", key->year, key->month,
                 key->day ? "#" : "", key->day ? key->day : "");
        return true;
    case PAGE_ARTIST: p = report_links_find(&r->links.artists, NULL, key->artist); break;
    case PAGE_ALBUM:
        p = report_links_find(&r->links.albums, key->artist ? key->artist : "", key->name);
        break;
    case PAGE_TRACK:
        p = report_links_find(&r->links.tracks, key->artist ? key->artist : "", key->name);
        break;
    default: return false;
    }
    if (!p)
        return false;
    snprintf(out, REPORT_PATH_MAX, "%s/%s", report_kinds[kind].dir, p->file);
    return true;
}

bool report_link_open(struct hbuf *b, const struct report *r, enum page_kind kind,
                      const struct page_key *key)
{
    char path[REPORT_PATH_MAX];
    if (!report_page_path(r, kind, key, path))
        return false;
    hbuf_printf(b, "<a href=\"%s%s\">", r->root ? r->root : "", path);
    return true;
}

/* ---- the kinds' iterations ---- */

/* A kind of one page: its renderer, once. */
struct once {
    struct sqlite3 *db;
    bool done;
};

static int once_open(struct sqlite3 *db, const struct report *r, void **ret)
{
    (void)r;
    struct once *o = calloc(1, sizeof *o);
    if (!o)
        return -ENOMEM;
    o->db = db;
    *ret = o;
    return 0;
}

static void plain_close(void *it) { free(it); }

static int index_next(void *it, struct hbuf *b, const struct report *r, char *file,
                      unsigned long size)
{
    struct once *o = it;
    if (o->done)
        return 0;
    o->done = true;
    snprintf(file, size, "index.html");
    report_page(b, r);
    return 1;
}

#define LISTING_NEXT(fn, kind, name)                                            \
    static int fn(void *it, struct hbuf *b, const struct report *r, char *file, \
                  unsigned long size)                                           \
    {                                                                           \
        struct once *o = it;                                                    \
        if (o->done)                                                            \
            return 0;                                                           \
        o->done = true;                                                         \
        snprintf(file, size, name);                                             \
        int rc = report_listing_page(b, o->db, r, kind);                        \
        return rc < 0 ? rc : 1;                                                 \
    }
LISTING_NEXT(artists_next, PAGE_ARTISTS, "artists.html")
LISTING_NEXT(albums_next, PAGE_ALBUMS, "albums.html")
LISTING_NEXT(tracks_next, PAGE_TRACKS, "tracks.html")

/* The years, first to last. */
struct nth {
    struct sqlite3 *db;
    long i;
};

static int nth_open(struct sqlite3 *db, const struct report *r, void **ret)
{
    (void)r;
    struct nth *n = calloc(1, sizeof *n);
    if (!n)
        return -ENOMEM;
    n->db = db;
    *ret = n;
    return 0;
}

static int year_next(void *it, struct hbuf *b, const struct report *r, char *file,
                     unsigned long size)
{
    struct nth *n = it;
    if (n->i >= r->nyears)
        return 0;
    int yi = (int)n->i++;
    snprintf(file, size, "%d.html", r->years[yi].year);
    int rc = report_year_page(b, n->db, r, yi);
    return rc < 0 ? rc : 1;
}

/* The months with counted scrobbles. */
static int month_next(void *it, struct hbuf *b, const struct report *r, char *file,
                      unsigned long size)
{
    struct nth *n = it;
    while (n->i < r->nmonths && r->months[n->i].n == 0)
        n->i++;
    if (n->i >= r->nmonths)
        return 0;
    long mi = n->i++;
    snprintf(file, size, "%s.html", r->months[mi].month);
    int rc = report_month_page(b, n->db, r, mi);
    return rc < 0 ? rc : 1;
}

const struct page_kind_def report_kinds[PAGE_KINDS] = {
    [PAGE_INDEX] = {PAGE_INDEX, NULL, "index", once_open, index_next, plain_close},
    [PAGE_ARTISTS] = {PAGE_ARTISTS, NULL, "artist listing", once_open, artists_next, plain_close},
    [PAGE_ALBUMS] = {PAGE_ALBUMS, NULL, "album listing", once_open, albums_next, plain_close},
    [PAGE_TRACKS] = {PAGE_TRACKS, NULL, "track listing", once_open, tracks_next, plain_close},
    [PAGE_YEAR] = {PAGE_YEAR, "year", "year pages", nth_open, year_next, plain_close},
    [PAGE_MONTH] = {PAGE_MONTH, "month", "month pages", nth_open, month_next, plain_close},
    [PAGE_ARTIST] = {PAGE_ARTIST, "artist", "artist pages", report_artist_pages_open,
                     report_artist_next, report_artist_pages_close},
    [PAGE_ALBUM] = {PAGE_ALBUM, "album", "album pages", report_album_pages_open, report_pair_next,
                    report_pair_pages_close},
    [PAGE_TRACK] = {PAGE_TRACK, "track", "track pages", report_track_pages_open, report_pair_next,
                    report_pair_pages_close},
};
