/* process_tags_int.h: the artists' tags into the processed database.
 *
 * The tags CSV (interim/lastfm_artist_tags_interim.csv, lastfm-syncd's
 * artist.getTopTags answers flattened; none: no tags) goes into
 * artist_tag_rows as it is, the ignore list into tag_ignore; process.sql
 * then makes artist_tags (tags compared lower-cased and trimmed),
 * artist_primary_tag and the view yearly_tags of them.
 */
#ifndef LASTFM_PROCESS_TAGS_H
#define LASTFM_PROCESS_TAGS_H

#include <stddef.h>

#include <sqlite3.h>

#include "store.h"
#include "tagignore.h"

/* What a build reads for the tags. */
struct process_tags {
    char *csv; /* the tags CSV whole (NULL: none yet) */
    size_t len;
    char sha[65];         /* its sha256 ("-": none) */
    struct tag_ignore ig; /* the ignore list in force */
    char ignore_sha[65];  /* its sha256 */
};

/* Read the tags CSV and the ignore list (LASTFM_TAG_IGNORE, or the built-in
 * one when ignore_path is NULL).  An exit code, logged with the path. */
int process_load_tags(struct store *s, const char *ignore_path, struct process_tags *ret);
void process_tags_free(struct process_tags *t);

/* The sha256 of the tags CSV ("-": none), for process_needed(); -1 when it
 * cannot be read. */
int process_tags_csv_sha(struct store *s, char sha[65]);

/* Fill artist_tag_rows and tag_ignore, and meta's tags_* keys.  0, or -1 on
 * an SQL error (the caller names it); EXIT_DATAERR when a row is not the tags
 * CSV's (logged with its line). */
int process_write_tags(sqlite3 *db, const struct process_tags *t, const char *data_dir);

#endif
