/* report_kinds.c: the table of page kinds the site writer walks
 * (report_kinds[], report_model_int.h): how each kind iterates its pages and
 * which file draws them. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "report_int.h"

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
    [PAGE_INDEX] = {PAGE_INDEX, "index", once_open, index_next, plain_close},
    [PAGE_ARTISTS] = {PAGE_ARTISTS, "artist listing", once_open, artists_next, plain_close},
    [PAGE_ALBUMS] = {PAGE_ALBUMS, "album listing", once_open, albums_next, plain_close},
    [PAGE_TRACKS] = {PAGE_TRACKS, "track listing", once_open, tracks_next, plain_close},
    [PAGE_YEAR] = {PAGE_YEAR, "year pages", nth_open, year_next, plain_close},
    [PAGE_MONTH] = {PAGE_MONTH, "month pages", nth_open, month_next, plain_close},
    [PAGE_ARTIST] = {PAGE_ARTIST, "artist pages", report_artist_pages_open, report_artist_next,
                     report_artist_pages_close},
    [PAGE_ALBUM] = {PAGE_ALBUM, "album pages", report_album_pages_open, report_pair_next,
                    report_pair_pages_close},
    [PAGE_TRACK] = {PAGE_TRACK, "track pages", report_track_pages_open, report_pair_next,
                    report_pair_pages_close},
};
