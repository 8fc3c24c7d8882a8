/* process_meta_int.h: the processed database's `meta` table. */
#ifndef LASTFM_PROCESS_META_H
#define LASTFM_PROCESS_META_H

#include <stddef.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "process.h"

#include "store.h"

/* What meta names the build with; the database is rebuilt when they change. */
#define PROCESS_SCHEMA_VERSION STORE_DB_SCHEMA
#define PROCESS_PROGRAM PACKAGE_NAME " " PACKAGE_VERSION
/* The settings line: the zones and two paths (PATH_MAX) with room to spare. */
#define PROCESS_SETTINGS_MAX (TZ_DESCRIBE_MAX + 3 * 4096 + 512)

/* The settings that shape the data, as one line (meta's `settings`, which
 * process_needed() compares). */
void process_settings_line(const struct process_options *o, const char *alias_sha,
                           const char *exclude_sha, const char *tag_ignore_sha, char *buf,
                           size_t size);

/* One key of meta, set (or replaced).  0, or -1 on an SQL error. */
int process_put_meta(sqlite3 *db, const char *key, const char *value);

/* Fill meta: the input's sha256, rows, size and mtime; the zones (and those
 * used: a bit per era in `eras_used`); the duplicate window; the alias file
 * and the exclude file, with their sha256; the program; the build time and the time rows were judged
 * against (`judged_at`: later rows are bad_time).  -1 on an SQL error. */
int process_write_meta(sqlite3 *db, const struct process_options *o, int64_t judged_at,
                       size_t nrows, long eras_used, const char *input_sha, const char *alias_sha,
                       const char *exclude_sha, const char *tag_ignore_sha,
                       const struct stat *csv_st);

#endif
