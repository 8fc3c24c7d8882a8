/* page.h: the scrobbles in one raw page, in API order, pure.
 *
 * Skips the now-playing item; accepts `track` as an array or a bare object and
 * the extended=1 artist shape; a missing album, name or mbid reads as "".
 */
#ifndef LASTFM_PAGE_H
#define LASTFM_PAGE_H

#include <stddef.h>
#include <stdint.h>

/* One scrobble; the strings live until the callback returns. */
struct page_row {
    int64_t uts;        /* date.uts */
    const char *track;  /* name */
    const char *artist; /* artist.#text, or artist.name with extended=1 */
    const char *album;  /* album.#text */
    const char *track_mbid;
    const char *artist_mbid;
    const char *album_mbid;
};

/* Return non-zero to stop early (page_parse then returns that value). */
typedef int (*page_row_fn)(void *opaque, const struct page_row *row);

/* Call `fn` for each scrobble of the page.  Returns 0, the callback's non-zero
 * value, or -EINVAL with *ret_why saying what is wrong with the page. */
int page_parse(const char *body, size_t len, page_row_fn fn, void *opaque, const char **ret_why);

#endif
