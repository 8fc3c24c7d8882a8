/* process_input_int.h: the processed stage's inputs: the interim CSV and the
 * artist alias file.  Errors are logged with the file (and line) named. */
#ifndef LASTFM_PROCESS_INPUT_H
#define LASTFM_PROCESS_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "aliases.h"
#include "csvread.h"
#include "excludes.h"
#include "process.h"
#include "store.h"
#include "tagignore.h"

/* Lowercase hex SHA-256 of a buffer (OpenSSL's EVP). */
void process_sha256_hex(const void *data, size_t len, char out[65]);

/* "YYYY-MM-DDTHH:MM:SSZ" -> Unix seconds; false for anything else (a date
 * that does not exist, a year before 1970). */
bool process_parse_utc(const char *s, size_t len, int64_t *ret);

/* A source_page field (not NUL-terminated): 1..999999999 in plain digits. */
bool process_source_page(const char *s, size_t len, long *ret);

/* The alias file's entries and its sha256 ("-" and none when path is NULL or
 * empty).  Returns an exit code: 0, or 78 (logged, FILE:LINE). */
int process_load_aliases(const char *path, struct aliases *ret, char sha[65]);
/* The same of the exclude file (LASTFM_EXCLUDE). */
struct excludes;
int process_load_excludes(const char *path, struct excludes *ret, char sha[65]);
/* The tag ignore list (LASTFM_TAG_IGNORE, or the built-in etc/tag-ignore when
 * path is NULL) and the sha256 of the list in force.  An exit code (logged). */
int process_load_tag_ignore(const char *path, struct tag_ignore *ret, char sha[65]);

/* Sort `al` for process_alias_of(); the canonical name of an artist, or NULL. */
int process_compare_alias(const void *a, const void *b);
const char *process_alias_of(const struct aliases *al, const char *name, size_t len);

/* The whole of regular file `fd`, read (not mapped: a file cut short
 * meanwhile is an error, not SIGBUS) into a malloc'd, NUL-terminated buffer
 * (store_read_fd()), and its stat into *ret_st (may be NULL).  0; -ESTALE: it
 * changed while it was read (cut short, grown, rewritten); -EINVAL: not a
 * regular file; -errno. */
int process_read_all(int fd, char **ret, size_t *ret_len, struct stat *ret_st);

/* The CSV read whole.  Returns an exit code: 0, 66 (none yet), 65 (not a
 * regular file, or it changed while it was read), 74, 75 (out of memory). */
int process_read_csv(struct store *s, char **ret, size_t *ret_len, struct stat *st);

/* Where the records start after the interim CSV's header (which may follow a
 * UTF-8 byte order mark and end with CRLF, as editors save it); 0 when the
 * first line is not that header. */
size_t process_csv_header(const char *csv, size_t len);

/* Field `f` cut to PROCESS_NAME_MAX bytes into `buf` (f then points there)
 * when it is longer; true when it was cut. */
bool process_name_cut(struct csv_field *f, char buf[static PROCESS_NAME_MAX + 1]);

/* The server's time as the fetch last saw it: the latest second a complete
 * pass was pinned at (windows end at the server's now, even when this clock
 * is behind).  0 when there is none. */
int64_t process_server_time(struct store *s);

/* The interim CSV's columns, for messages. */
extern const char *const process_csv_columns[9];

/* The next record, its 9 fields checked (valid UTF-8 without NUL, a time, a
 * page number) and its uts parsed: 1, 0 at the end, or -(exit code) after
 * logging what is wrong with FILE:LINE. */
int process_read_record(struct csv_reader *rd, const char *csv_path, int64_t *ret_uts);

#endif
