/* flatten_int.h: inside the flatten (flatten.c, flatten_load.c, flatten_write.c). */
#ifndef LASTFM_FLATTEN_INT_H
#define LASTFM_FLATTEN_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "csv.h"
#include "flatten.h"
#include "history.h"
#include "manifest.h"
#include "rowcache_int.h"

/* Rows of one page, in API order. */
struct page_rows {
    struct rowcache_header h;
    char *buf; /* the cache file: header + records */
    size_t len;
};

struct flattener {
    struct store *store;
    int cache_fd; /* DATA_DIR/interim/cache */
    bool rebuild;
    struct csv_buf rec;  /* records being built */
    struct csv_buf tail; /* ",PAGE,SOURCE_FILE\n" of the page being built */
    uint32_t nrows;
    int64_t min_uts, max_uts;
    const struct manifest *m; /* the pass of the page being built */
    long outside;             /* its scrobbles outside what the pass asked for */
    int64_t outside_uts;      /* the first of them */
    struct flatten_stats rep;
};

/* The rows of a page of pass m: from the row cache, or parsed (and cached).
 * 0, or -1 after logging with the page's path. */
int flatten_load_page(struct flattener *f, const struct manifest *m, long page,
                      struct page_rows *ret);

/* Parse the pages the pieces need whose cache is missing or stale, in
 * parallel when there are many (flatten_load.c).  0, or 1 when a page could
 * not be parsed (logged with its path). */
int flatten_prepare_cache(struct flattener *f, const struct manifest *passes,
                          const struct history_piece *pieces, size_t npieces);

/* The CSV's rows, newest first: each piece of time from the pass that speaks
 * for it.  0, 1 (a page could not be read: logged), or -errno (a write). */
int flatten_write_rows(struct flattener *f, FILE *out, const struct manifest *passes,
                       const struct history_piece *pieces, size_t npieces);

#endif
