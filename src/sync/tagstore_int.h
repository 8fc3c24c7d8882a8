/* tagstore_int.h: the tag run's side of the data directory: the artists of
 * the CSV, and an answer stored as tagmeta.h says (its file name, then its
 * bytes, then its meta). */
#ifndef LASTFM_TAGSTORE_H
#define LASTFM_TAGSTORE_H

#include <stddef.h>

#include "store.h"
#include "tagmeta.h"

/* The file name of an artist's answer: the sha256 of the name in hex. */
int tagstore_file(const char *artist, char ret[static 65]);

/* The distinct, non-empty artist_name values of the CSV (malloc'd strings in
 * a malloc'd array).  No CSV: 0 and none.  0, -ENOMEM, or -EBADMSG for a CSV
 * that is not the flatten's (the flatten says why). */
int tagstore_csv_artists(struct store *s, char ***ret, size_t *ret_n);
void tagstore_free_artists(char **list, size_t n);

/* Store an answer: tags/FILE.json (the exact bytes), then tags/FILE.meta
 * (m, its file set here), each atomically.  0 or -errno. */
int tagstore_write(struct store *s, struct tag_meta *m, const char *body, size_t len);

#endif
