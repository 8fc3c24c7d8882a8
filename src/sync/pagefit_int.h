/* pagefit_int.h: does a page fit its neighbours in one pinned window?  Pure.
 *
 * Inside one window the API's pages are newest first and do not overlap:
 * page N's newest scrobble is never newer than page N-1's oldest, and the
 * same scrobble (time, track, artist, album) is not on both sides of the
 * boundary.  A stale cache or an inconsistent replica can answer page N with
 * another page's items, or with every item shifted by one, while `@attr.page`
 * still says N; only the neighbours tell.  This module keeps, for each page,
 * its first and last second and the scrobbles at those seconds, and judges a
 * boundary.
 *
 * The one case it cannot tell apart from a one-item shift: two identical
 * scrobbles in the same second, one each side of a boundary.  pass.c re-reads
 * such a boundary and then the whole window at another page size, where the
 * pair falls inside one page.
 */
#ifndef LASTFM_PAGEFIT_H
#define LASTFM_PAGEFIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where one page begins and ends.  Zeroed: unknown. */
struct page_edge {
    bool known;     /* read from a page */
    long scrobbles; /* 0: nothing to compare (an empty page) */
    int64_t newest; /* uts of the first scrobble */
    int64_t oldest; /* uts of the last scrobble */
    uint64_t *head; /* keys of the scrobbles at `newest` (malloc'd) */
    size_t nhead;
    uint64_t *tail; /* keys of the scrobbles at `oldest` (malloc'd) */
    size_t ntail;
    uint64_t last_key; /* the last scrobble's key, to name it in a message */
};

enum page_fit {
    PAGE_FITS,    /* the two pages can be neighbours */
    PAGE_OVERLAP, /* the later page's newest is newer than the earlier's oldest */
    PAGE_REPEAT,  /* a scrobble of the boundary second is on both sides */
};

/* Read the edge of a raw page body.  0; -EINVAL when its scrobbles are not
 * newest first (*ret_why says so) or it does not parse; -ENOMEM. */
int page_edge_read(const char *body, size_t len, struct page_edge *ret, const char **ret_why);
void page_edge_free(struct page_edge *e);

/* Does `older` (page N) fit after `newer` (page N-1)?  Unknown or empty
 * pages fit. */
enum page_fit page_edge_fit(const struct page_edge *newer, const struct page_edge *older);

/* The identity of a scrobble: 64 bits of its time, track, artist and album. */
uint64_t page_scrobble_key(int64_t uts, const char *track, const char *artist, const char *album);

#endif
