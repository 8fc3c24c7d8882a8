/* process_meta.h: the processed database's `meta` table. */
#ifndef LASTFM_PROCESS_META_H
#define LASTFM_PROCESS_META_H

#include <stddef.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "process.h"

/* Fill meta: the input's sha256, rows, size and mtime; the zones (and those
 * used: a bit per era in `eras_used`); the duplicate window; the alias file
 * and its sha256; the program; the build time and the time rows were judged
 * against (`judged_at`: later rows are bad_time).  -1 on an SQL error. */
int process_write_meta(sqlite3 *db, const struct process_options *o, int64_t judged_at,
                       size_t nrows, long eras_used, const char *input_sha, const char *alias_sha,
                       const struct stat *csv_st);

#endif
