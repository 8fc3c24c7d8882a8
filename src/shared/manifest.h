/* manifest.h: a pass manifest, DATA_DIR/raw/pass-NNNNNN/manifest.json, pure.
 *
 * A pass fetches every page of one pinned time window.  The manifest records
 * the window, what page 1 said about it, and whether the pass is complete: only
 * complete passes feed the CSV; a running one is resumed by the next run.
 */
#ifndef LASTFM_MANIFEST_H
#define LASTFM_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pass_state { PASS_RUNNING, PASS_COMPLETE };

struct manifest {
    unsigned pass;        /* pass number, increasing; the newer pass wins overlaps */
    char kind[16];        /* "full", "new" or "recheck": why the pass was made */
    int64_t window_from;  /* first second this pass is the authority for (inclusive) */
    int64_t window_to;    /* last second (inclusive), pinned when the pass started */
    int64_t request_from; /* "from" sent (-1: none); one second before window_from */
    int64_t request_to;   /* "to" sent; one second after window_to */
    long limit;           /* items per page */
    enum pass_state state;
    unsigned attempt;    /* restarts after the window changed under the pass */
    long total;          /* @attr.total of page 1, -1 before it arrived */
    long total_pages;    /* @attr.totalPages of page 1, -1 before it arrived */
    int64_t started_at;  /* Unix seconds */
    int64_t finished_at; /* Unix seconds, 0 while running */
};

/* Serialize to a malloc'd JSON text (NUL-terminated); NULL on allocation failure. */
char *manifest_to_json(const struct manifest *m, size_t *ret_len);

/* Parse and validate; false (with a reason) for anything that is not a sane
 * manifest: missing keys, wrong types, inverted window, absurd numbers. */
bool manifest_parse(const char *text, size_t len, struct manifest *ret, const char **ret_why);

#endif
