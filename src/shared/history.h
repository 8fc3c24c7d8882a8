/* history.h: which stored pass speaks for which stretch of time, pure.
 *
 * Complete passes may overlap (a recheck of the last weeks, a --full resync).
 * The newest pass that covers a second is the authority for it: its rows for
 * that second are kept and every older pass's rows for it are dropped.  The
 * result is a list of pieces, disjoint in time, newest first.
 */
#ifndef LASTFM_HISTORY_H
#define LASTFM_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

/* One stretch of time and the pass that speaks for it. */
struct history_piece {
    size_t pass_index; /* index into the manifest array given */
    int64_t from;      /* first second (inclusive) */
    int64_t to;        /* last second (inclusive) */
};

/* Pieces for the complete passes among `passes[0..n)`, ordered by time, newest
 * first.  Returns 0 or -ENOMEM; *ret is malloc'd (NULL when there are none). */
int history_pieces(const struct manifest *passes, size_t n, struct history_piece **ret,
                   size_t *ret_n);

/* When the stored history was last read from the server: the earliest
 * started_at among the passes that own one of `pieces` (from history_pieces()
 * over the same `passes`), or -1 when there are no pieces.  A full resync is
 * due when this is too long ago. */
int64_t history_oldest_fetch(const struct manifest *passes, const struct history_piece *pieces,
                             size_t npieces);

/* Pass i was read while the clock ran ahead: its window ends after `server`
 * (the server's now, from a Date) + `slack`.  Is it spent?  True when a newer
 * complete pass ends by then (so was pinned after pass i was read) and every
 * piece pass i still owns lies after that pass's end: pass i holds no
 * scrobble there (it was read before), so removing it loses nothing and its
 * stretch is fetched like any other.  False for any other pass. */
bool history_pass_spent(const struct manifest *passes, size_t n, size_t i,
                        const struct history_piece *pieces, size_t npieces, int64_t server,
                        int64_t slack);

/* The last second covered by any complete pass, or -1 when there is none. */
int64_t history_coverage_end(const struct manifest *passes, size_t n);

#endif
