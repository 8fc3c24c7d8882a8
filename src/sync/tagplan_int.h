/* tagplan_int.h: which artists a tag run asks artist.getTopTags about, pure.
 *
 * Every distinct artist name of the CSV without a stored answer, in name
 * order; then at most `max_refresh` of those whose answer is older than
 * `refresh_after` seconds, oldest first (so that a refresh never crowds out
 * the scrobble sync, and every answer is renewed in turn).  The clock is the
 * caller's.
 */
#ifndef LASTFM_TAGPLAN_H
#define LASTFM_TAGPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tagmeta.h"

/* One artist to ask about. */
struct tag_want {
    const char *artist; /* points into the caller's list */
    bool refresh;       /* it has an answer, older than the refresh age */
};

/* artists: distinct names (any order); stored: the committed answers.
 * refresh_after 0: never refresh.  *ret malloc'd (NULL when none).  0 or
 * -ENOMEM. */
int tagplan_make(char *const *artists, size_t n, const struct tag_meta *stored, size_t nstored,
                 int64_t now, int64_t refresh_after, size_t max_refresh, struct tag_want **ret,
                 size_t *ret_n);

#endif
