/* report_kinds.c: the table of page kinds the site writer walks
 * (report_kinds[], report_model_int.h): how each kind iterates its pages and
 * which file draws them. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "report_int.h"

/* A kind's iteration: the database, and how many pages it has given. */
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

static void plain_close(void *it) { free(it); }

/* A kind of one page (the index, a listing): drawn once, its file the link
 * rule's. */
static int single_next(struct nth *n, enum page_kind kind, struct hbuf *b, const struct report *r,
                       char *file, unsigned long size)
{
    if (n->i++)
        return 0;
    char path[REPORT_PATH_MAX];
    report_page_path(r, kind, &(struct page_key){0}, path);
    snprintf(file, size, "%s", path);
    int rc = 0;
    if (kind == PAGE_INDEX)
        report_page(b, r);
    else if (kind == PAGE_TRENDS)
        report_trends_page(b, r);
    else
        rc = report_listing_page(b, n->db, r, kind);
    return rc < 0 ? rc : 1;
}

#define SINGLE_NEXT(fn, kind)                                                   \
    static int fn(void *it, struct hbuf *b, const struct report *r, char *file, \
                  unsigned long size)                                           \
    {                                                                           \
        return single_next(it, kind, b, r, file, size);                         \
    }
SINGLE_NEXT(index_next, PAGE_INDEX)
SINGLE_NEXT(artists_next, PAGE_ARTISTS)
SINGLE_NEXT(albums_next, PAGE_ALBUMS)
SINGLE_NEXT(tracks_next, PAGE_TRACKS)
SINGLE_NEXT(trends_next, PAGE_TRENDS)

/* The years, first to last. */
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

/* The top genres, by name. */
static int tag_next(void *it, struct hbuf *b, const struct report *r, char *file,
                    unsigned long size)
{
    struct nth *n = it;
    const struct page_set *s = &r->links.tags;
    while (n->i < (long)s->n && s->v[n->i].dropped)
        n->i++;
    if (n->i >= (long)s->n)
        return 0;
    const struct page_link *p = &s->v[n->i++];
    snprintf(file, size, "%s", p->file);
    int rc = report_tag_page(b, n->db, r, p);
    return rc < 0 ? rc : 1;
}

const struct page_kind_def report_kinds[PAGE_KINDS] = {
    [PAGE_INDEX] = {PAGE_INDEX, "index", nth_open, index_next, plain_close},
    [PAGE_ARTISTS] = {PAGE_ARTISTS, "artist listing", nth_open, artists_next, plain_close},
    [PAGE_ALBUMS] = {PAGE_ALBUMS, "album listing", nth_open, albums_next, plain_close},
    [PAGE_TRACKS] = {PAGE_TRACKS, "track listing", nth_open, tracks_next, plain_close},
    [PAGE_TRENDS] = {PAGE_TRENDS, "trends page", nth_open, trends_next, plain_close},
    [PAGE_YEAR] = {PAGE_YEAR, "year pages", nth_open, year_next, plain_close},
    [PAGE_MONTH] = {PAGE_MONTH, "month pages", nth_open, month_next, plain_close},
    [PAGE_ARTIST] = {PAGE_ARTIST, "artist pages", report_artist_pages_open, report_artist_next,
                     report_artist_pages_close},
    [PAGE_ALBUM] = {PAGE_ALBUM, "album pages", report_album_pages_open, report_pair_next,
                    report_pair_pages_close},
    [PAGE_TRACK] = {PAGE_TRACK, "track pages", report_track_pages_open, report_pair_next,
                    report_pair_pages_close},
    [PAGE_TAG] = {PAGE_TAG, "tag pages", nth_open, tag_next, plain_close},
};
