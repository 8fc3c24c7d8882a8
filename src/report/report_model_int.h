/* report_model_int.h: the site's page model.  Every page is of one kind; a
 * kind says what it iterates, where its files go, and which file loads and
 * draws it.  The one way to a page from another is report_link_open(): the
 * path of (kind, key) from the page being written, or no link when the site
 * has no such page.
 *
 *   kind     file                 one for                         drawn by
 *   index    index.html           the history                     report_page.c
 *   artists  artists.html         (every counted artist)          report_list.c
 *   albums   albums.html          (albums of LIST_MIN scrobbles)  report_list.c
 *   tracks   tracks.html          (tracks of LIST_MIN scrobbles)  report_list.c
 *   trends   trends.html          the history over time           report_page.c
 *   year     year/YYYY.html       each year, first to last        report_year.c
 *   month    month/YYYY-MM.html   each month with scrobbles       report_month.c
 *   artist   artist/FILE.html     each artist of ARTIST_MIN       report_artist.c
 *   album    album/FILE.html      each album of ALBUM_MIN         report_album.c
 *   track    track/FILE.html      each track of TRACK_MIN         report_album.c
 *   tag      tag/FILE.html        each of the top genres          report_tag.c
 *
 * FILE: report_links_int.h.  report_site.c walks the table of kinds
 * (report_kinds[], report_kinds.c) and writes every page of each; the link
 * rule is report_model.c, which the pages call and which calls none of them.
 */
#ifndef LASTFM_REPORT_MODEL_H
#define LASTFM_REPORT_MODEL_H

#include <stdbool.h>

enum page_kind {
    PAGE_INDEX,
    PAGE_ARTISTS,
    PAGE_ALBUMS,
    PAGE_TRACKS,
    PAGE_TRENDS,
    PAGE_YEAR,
    PAGE_MONTH,
    PAGE_ARTIST,
    PAGE_ALBUM,
    PAGE_TRACK,
    PAGE_TAG,
    PAGE_KINDS
};

/* What one page of a kind is about (the fields its kind reads). */
struct page_key {
    int year;           /* year: the year; month: its year */
    int month;          /* month: 1..12 */
    const char *artist; /* artist, album, track: the artist */
    const char *name;   /* album, track: its name; tag: the tag */
    const char *day;    /* month: "YYYY-MM-DD", an anchor in the page, or NULL */
};

#define REPORT_PATH_MAX 96 /* "album/" FILE "#YYYY-MM-DD" */

struct report;
struct hbuf;
/* The path of a page from report/ ("year/2014.html", "month/2014-09.html#
 * 2014-09-05"), or false when the site has no such page. */
bool report_page_path(const struct report *r, enum page_kind kind, const struct page_key *key,
                      char out[REPORT_PATH_MAX]);
/* A kind's folder under report/ ("year"), NULL for report/ itself. */
const char *report_page_dir(enum page_kind kind);
/* <a href="..."> to the page from the page being written (r->root), and
 * true; nothing and false when there is no such page (the caller writes the
 * text either way and closes with "</a>" when this returned true). */
bool report_link_open(struct hbuf *b, const struct report *r, enum page_kind kind,
                      const struct page_key *key);

/* A kind's pages in turn: open (*ret: the iteration), next (1: a page in b,
 * its file name in file; 0: no more; negative: an SQL error or out of
 * memory, and nothing is published), close. */
struct sqlite3;
struct page_kind_def {
    enum page_kind kind;
    const char *what; /* "year pages", for the log */
    int (*open)(struct sqlite3 *db, const struct report *r, void **ret);
    int (*next)(void *it, struct hbuf *b, const struct report *r, char *file, unsigned long size);
    void (*close)(void *it);
};
extern const struct page_kind_def report_kinds[PAGE_KINDS];

#endif
