/* tagmeta.h: the stored artist.getTopTags answers, DATA_DIR/tags/.
 *
 * One artist, two files: FILE.json holds the answer's exact bytes as Last.fm
 * sent them; FILE.meta, written after it (each atomically), commits it: the
 * artist asked for, when, and how the API answered.  An answer without its
 * meta is not stored yet (a crash between the two) and is fetched again.
 * FILE is the sha256 of the artist name in hex, a safe file name for any
 * name (sync's tagstore.c makes it; a reader takes it from the listing).
 *
 * tagmeta_to_json/parse are pure; store_list_tags reads the folder.
 */
#ifndef LASTFM_TAGMETA_H
#define LASTFM_TAGMETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A stored answer's record. */
struct tag_meta {
    char *artist;       /* the name asked for, as the CSV has it (malloc'd) */
    int64_t fetched_at; /* when the answer arrived (Unix seconds) */
    long http_status;   /* its HTTP status (200; 400 for some unknown artists) */
    bool unknown;       /* Last.fm error 6: an artist it does not know (no tags) */
    long tags;          /* tags in the answer */
    char file[65];      /* FILE: the answer is tags/FILE.json */
};

/* A malloc'd JSON text with a trailing newline (*ret_len), NULL when out of memory. */
char *tagmeta_to_json(const struct tag_meta *m, size_t *ret_len);
/* Parse a meta file's text; false (and *ret_why) for anything else.  The
 * artist is malloc'd (tagmeta_free); file is left empty. */
bool tagmeta_parse(const char *text, size_t len, struct tag_meta *ret, const char **ret_why);
void tagmeta_free(struct tag_meta *m);

/* Every committed answer of DATA_DIR/tags (none: 0 and an empty list), sorted
 * by FILE; *ret_bad counts meta files that could not be read (skipped: their
 * artists are fetched again).  0 or -errno. */
int store_list_tags(struct store *s, struct tag_meta **ret, size_t *ret_n, size_t *ret_bad);
void tagmeta_free_list(struct tag_meta *list, size_t n);

#endif
