/* stored_int.h: what the stored raw pages say, read through the store.
 *
 * The planner needs the seconds of the scrobbles the stored history holds in
 * its recent weeks (plan_recheck()); a resumed pass needs to know which of its
 * pages on disk are valid.  Both read pages with store_page_read() and parse
 * them with page.h / lastfm.h; neither logs.
 */
#ifndef LASTFM_STORED_H
#define LASTFM_STORED_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "pass_int.h"
#include "store.h"

/* The seconds of the scrobbles the stored history holds (the newest pass wins
 * for each second, as in history.h) within [lo, hi], malloc'd in *ret.  Reads
 * only the pages that can hold such rows.  0 or -errno; a page that cannot be
 * read or parsed is named by *ret_bad (the pass) and *ret_bad_page (-EINVAL:
 * not a page, -ENOENT: missing), and *ret_bad is NULL for other errors. */
int stored_uts(struct store *st, const struct manifest *passes, size_t npasses, int64_t lo,
               int64_t hi, int64_t **ret, size_t *ret_n, const struct manifest **ret_bad,
               long *ret_bad_page);

/* Mark in `p` (whose shape is set) the pages on disk that are valid pages of
 * its window.  Returns how many pages were there but not valid. */
long stored_resume_pages(struct store *st, struct pass *p, const char *username);

#endif
