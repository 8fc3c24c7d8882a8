/* grow.h: the one way an array grows, pure.
 *
 *     if (grow(&v, &cap, n + 1, sizeof *v, 0) < 0)
 *         return -ENOMEM;
 *     v[n++] = x;
 *
 * Capacity doubles from 16 elements (amortised O(1) appends), never past
 * `max` elements when max is not 0, and never overflows size_t.
 */
#ifndef LASTFM_GROW_H
#define LASTFM_GROW_H

#include <stddef.h>

/* Make *(T **)ptr hold at least `need` elements of `elem` bytes, *cap being
 * its capacity.  0, or -ENOMEM (the array and *cap untouched; also when need
 * is over max). */
int grow(void *ptr, size_t *cap, size_t need, size_t elem, size_t max);

#endif
