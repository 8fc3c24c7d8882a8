/* variants_int.h: artist names folded for comparison (variants.c). */
#ifndef LASTFM_VARIANTS_H
#define LASTFM_VARIANTS_H

struct sqlite3;

/* Every distinct artist and its folded name (namefold.h) into artist_folds.
 * -1 on an SQL error or out of memory. */
int process_write_folds(struct sqlite3 *db);
/* With -v (debug): each group of names of the view name_variants, with the
 * alias lines that would merge them. */
void process_log_variants(struct sqlite3 *db);

#endif
