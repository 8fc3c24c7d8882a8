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

/* An artist with a page. */
struct page_artist {
    char *name; /* as the report shows it (report_name_dup) */
    char file[REPORT_FILE_MAX];
    long n;       /* counted scrobbles */
    bool dropped; /* (report_links_finish: its file name clashed) */
};

/* The artists with pages, sorted by name (strcmp), and the years with pages. */
struct report_links {
    struct page_artist *v;
    size_t n, cap;
    int first_year, last_year; /* 0, 0: no year pages */
    long artist_min;           /* scrobbles an artist needs for a page */
    long qualifying;           /* artists with that many: more than n when capped */
};

/* The page of the artist shown as `name`, or NULL. */
const struct page_artist *report_links_find(const struct report_links *l, const char *name);
/* Sort v by name; then drop clashing file names (the one of fewer scrobbles,
 * then the later name, loses).  Returns how many were dropped. */
size_t report_links_finish(struct report_links *l);
void report_links_free(struct report_links *l);

#endif
