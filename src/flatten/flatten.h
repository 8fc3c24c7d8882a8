/* flatten.h: every raw page -> DATA_DIR/interim/lastfm_scrobbles_interim.csv.
 *
 * One row per scrobble, newest first, the newest pass the authority for each
 * stretch of time (history.h).  Rows of each page are cached in
 * DATA_DIR/interim/cache/ (invalidated when the page file changes), so a run
 * after one new page parses one page and writes the CSV once.  The CSV is
 * replaced atomically; on any failure the previous one stays.  Memory is
 * bounded by one page, whatever the history size.
 */
#ifndef LASTFM_FLATTEN_H
#define LASTFM_FLATTEN_H

#include <stdbool.h>

#include "store.h"

/* The CSV's header: the contract with the processed stage, in store.h. */
#define FLATTEN_HEADER STORE_CSV_HEADER

struct flatten_stats {
    long rows;         /* rows written */
    long pages;        /* pages read (from cache or raw) */
    long pages_parsed; /* of which parsed from raw JSON */
    double seconds;
};

/* Is the CSV missing, or older than a complete pass?  (A flatten that failed,
 * say on a full disk, is then redone by the next run even if it fetches
 * nothing.) */
bool flatten_needed(struct store *s);

/* Build the CSV.  `rebuild` ignores the cache.  Returns 0 or an EXIT_* code, the
 * failure already logged with the path. */
int flatten_run(struct store *s, bool rebuild, struct flatten_stats *ret);

/* The "CSV written" journal entry (MESSAGE_ID, ROWS, PAGES_PARSED).  Logged by
 * the process that owns the run: the daemon, not its flatten child, so that
 * journald attributes it to the unit. */
void flatten_log_written(const char *data_dir, const struct flatten_stats *rep);

/* The artists' tags: every stored artist.getTopTags answer (tagmeta.h) ->
 * DATA_DIR/interim/lastfm_artist_tags_interim.csv, one row per (artist, tag)
 * in the answer's order (tag_rank 1 = its first), artists in name order;
 * artist_mbid from the scrobbles CSV (its newest row with one, else empty);
 * source_file the answer's path below DATA_DIR.  An unknown artist has no
 * rows.  Byte for byte the same from the same answers and CSV. */
struct flatten_tags_stats {
    long artists; /* answers read */
    long rows;    /* rows written */
    double seconds;
};
/* Are there answers newer than the tags CSV (or no tags CSV)? */
bool flatten_tags_needed(struct store *s);
/* Write it atomically.  0 or an EXIT_* code, the failure logged with the path. */
int flatten_tags_run(struct store *s, struct flatten_tags_stats *ret);

#endif
