/* report_links_int.h: the site's addresses, pure.
 *
 * An artist's page is artist/FILE.html, FILE made from the name alone so that
 * an artist keeps its address as the history grows: the name's ASCII letters
 * and digits, lower-cased, any other run of bytes one "-", at most 40 of them,
 * then "-" and 16 hex digits of the 64-bit FNV-1a hash of the exact name.
 * What comes out is printable ASCII ([a-z0-9-.]), at most 63 bytes, never "."
 * or "..", never holds "/", and two names that differ in anything (case,
 * Unicode normalisation, one space) get two hashes: two files even on a
 * case-insensitive file system.  A clash of hashes is detected when the site
 * is built: the artist with fewer scrobbles then has no page.
 *
 * An album's page is album/FILE.html and a track's track/FILE.html, FILE made
 * the same way from the album's or track's name, its hash over the artist's
 * name, a NUL and the name (report_pair_file): the same album title by two
 * artists is two pages.
 */
#ifndef LASTFM_REPORT_LINKS_H
#define LASTFM_REPORT_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPORT_FILE_MAX 64   /* an artist's file name, with its NUL */
#define REPORT_SLUG_CHARS 40 /* the readable part */

uint64_t report_fnv1a(const char *s, size_t len);
/* "ac-dc-0123456789abcdef.html" for "AC/DC". */
void report_artist_file(const char *name, size_t len, char out[REPORT_FILE_MAX]);
/* An album's or a track's file: "abbey-road-0123456789abcdef.html". */
void report_pair_file(const char *artist, const char *name, char out[REPORT_FILE_MAX]);

/* An artist, album or track with a page. */
struct page_link {
    char *name;   /* as the report shows it (report_name_dup) */
    char *artist; /* an album's or track's artist; NULL for an artist */
    char file[REPORT_FILE_MAX];
    long n;       /* counted scrobbles */
    bool dropped; /* (report_links_finish: its file name clashed) */
};

/* The pages of one kind, sorted by name then artist (strcmp). */
struct page_set {
    struct page_link *v;
    size_t n, cap;
    long min;        /* scrobbles one needs for a page (LASTFM_REPORT_*_MIN) */
    long qualifying; /* how many have that many: more than n when capped */
};

/* Which pages the site has: artists, albums, tracks, years, months. */
struct report_links {
    struct page_set artists, albums, tracks;
    struct page_set tags;      /* the top genres (REPORT_TAG_PAGES), FILE as an artist's */
    int first_year, last_year; /* 0, 0: no year pages */
};

/* The page of `name` (and `artist`, NULL for an artist), or NULL. */
const struct page_link *report_links_find(const struct page_set *l, const char *artist,
                                          const char *name);
/* Sort v by name; then drop clashing file names (the one of fewer scrobbles,
 * then the later name, loses).  Returns how many were dropped, or -ENOMEM. */
long report_links_finish(struct page_set *l);
void report_links_free(struct report_links *l);

#endif
