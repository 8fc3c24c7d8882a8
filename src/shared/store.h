/* store.h: the data directory on disk.
 *
 *   DATA_DIR/.lock                           one process at a time (flock)
 *   DATA_DIR/raw/pass-NNNNNN/manifest.json   a pass (see manifest.h)
 *   DATA_DIR/raw/pass-NNNNNN/page-NNNNNN.json  exact bytes of one API page
 *   DATA_DIR/interim/lastfm_scrobbles_interim.csv
 *   DATA_DIR/processed/lastfm.sqlite
 *   DATA_DIR/report/                         the report, a site: index.html,
 *                                            year/YYYY.html, artist/NAME.html
 *
 * Every file is written atomically: a temp file ".NAME.tmp-XXXXXX" in the same
 * directory, fsync, rename, fsync of the directory.  Temp files left by a crash
 * are removed when the store is opened.  Functions return 0 or -errno and never
 * log: the caller says what failed, with the path.
 *
 * Nothing is followed through a symbolic link below DATA_DIR: store_open()
 * refuses a tree that holds one (naming it), and every open, create and remove
 * goes through O_NOFOLLOW, one path component at a time, relative to the
 * directory's descriptor.  DATA_DIR itself must be owned by this user and not
 * writable by group or others.
 */
#ifndef LASTFM_STORE_H
#define LASTFM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "manifest.h"

#define STORE_CSV_NAME "lastfm_scrobbles_interim.csv"
/* Its header row: the columns the flatten writes and the processed stage reads. */
#define STORE_CSV_HEADER                                                                 \
    "played_at_utc,track_name,artist_name,album_name,track_mbid,artist_mbid,album_mbid," \
    "source_page,source_file\n"
/* ... the columns read by their number (artist_name, artist_mbid). */
#define STORE_CSV_ARTIST 2
#define STORE_CSV_ARTIST_MBID 5
/* DATA_DIR/identity.json: whose history the directory holds (identity.h). */
#define STORE_IDENTITY_NAME "identity.json"
/* In the name of every temp file: ".NAME.tmp-XXXXXX" (swept at open). */
#define STORE_TMP_MARK ".tmp-"

/* Opaque: the store owns the data directory's descriptors and names. */
struct store;

/* The stages' directories below DATA_DIR. */
#define STORE_INTERIM_DIR "interim"
#define STORE_PROCESSED_DIR "processed"
#define STORE_REPORT_DIR "report"
/* What the later stages hand on: processed/lastfm.sqlite, report/index.html. */
#define STORE_DB_NAME "lastfm.sqlite"
/* The processed database's format (meta's schema_version): lastfm-process
 * writes it, lastfm-report reads only a database of this one. */
#define STORE_DB_SCHEMA "7"
#define STORE_REPORT_NAME "index.html"
/* DATA_DIR/tags/: each artist's artist.getTopTags answer (tagmeta.h), and
 * the CSV flattened from them, interim/lastfm_artist_tags_interim.csv. */
#define STORE_TAGS_DIR "tags"
#define STORE_TAGS_CSV_NAME "lastfm_artist_tags_interim.csv"
#define STORE_TAGS_CSV_HEADER "artist_name,artist_mbid,tag_name,tag_count,tag_rank,source_file"

/* Private by default: what the store writes is readable by this user only
 * (the process's umask gains 077), unless DATA_DIR is shared with its group on
 * purpose, mode 0750 (group r-x, nothing for others): then the umask gains 027.
 * At open, DATA_DIR (unless sticky) and every file and directory of the store's
 * lose the bits that rule forbids (data written by an older version or under
 * umask 022).
 *
 * Open (creating raw/ and interim/ if needed), lock, and sweep temp files.
 * -EWOULDBLOCK: another process holds the data directory; -ELOOP: a symbolic
 * link inside it; -EPERM: another user owns it; -EACCES: group or others can
 * write it.  On error *ret_what names the path that failed (valid until the
 * next store_open). */
int store_open(const char *data_dir, struct store **ret, const char **ret_what);
/* *ret_what when DATA_DIR exists but its owner or mode is refused. */
#define STORE_WHAT_MODE "its owner and mode"
/* Open DATA_DIR for reading only (lastfm-syncd --status): no lock taken,
 * nothing created, swept or checked for links, so that it works beside a
 * running daemon.  raw/ and interim/ may be missing (nothing synced yet).
 * *ret_holder: the PID of the process holding the lock, -1 when held by one
 * whose PID cannot be read, 0 when free.  0, or -errno of DATA_DIR (-ENOENT:
 * not there). */
int store_open_reader(const char *data_dir, struct store **ret, pid_t *ret_holder);
void store_close(struct store *s);
/* DATA_DIR as configured, for messages. */
const char *store_data_dir(const struct store *s);
/* A stage's directory (STORE_*_DIR), created if needed, not through a link:
 * a new descriptor (the caller closes it) for store_tmp_create/commit, or -errno. */
int store_stage_dir(struct store *s, const char *name);
/* "DATA_DIR/DIR/NAME" of a stage's file into buf, for SQLite and messages
 * (the store's own calls go through descriptors).  -ENAMETOOLONG, and buf
 * cut, when it does not fit. */
int store_stage_path(const struct store *s, const char *dir, const char *name, char *buf,
                     size_t size);
/* In a forked worker: close the lock's descriptor (the parent keeps the lock). */
void store_drop_lock(struct store *s);
/* Raw names: "raw/pass-000012/manifest.json" and stat() of it, of a page, of the CSV. */
void store_manifest_relpath(unsigned pass, char buf[static 64]);
int store_manifest_stat(struct store *s, unsigned pass, struct stat *st);
int store_page_stat(struct store *s, unsigned pass, long page, struct stat *st);
int store_csv_stat(struct store *s, struct stat *st);
/* stat() of NAME in a stage's directory (STORE_*_DIR), neither followed as a
 * link nor created: 0, or -errno (-ENOENT when either is not there). */
int store_stage_stat(struct store *s, const char *dir, const char *name, struct stat *st);
/* A file of interim/ (STORE_CSV_NAME, STORE_TAGS_CSV_NAME) read whole into a
 * malloc'd, NUL-terminated buffer: 0, -ENOENT when it is not there (nor
 * interim/), or -errno (-EINVAL: not a regular file). */
int store_interim_read(struct store *s, const char *name, char **ret_buf, size_t *ret_len);
/* Each record of interim/NAME after its header, in the file's order (the
 * scrobbles CSV: newest first), to fn; fn returns 0 to go on or -errno to
 * stop with it.  0, -ENOENT when the file is not there, -EBADMSG for a
 * malformed record, -ENOMEM, or store_interim_read's error.  (storecsv.c) */
struct csv_reader;
typedef int (*store_row_fn)(void *opaque, const struct csv_reader *rd);
int store_interim_each(struct store *s, const char *name, store_row_fn fn, void *opaque);
/* Open the CSV for reading (O_NOFOLLOW).  fd or -errno. */
int store_csv_open(struct store *s);
/* Remove the temp files of every directory the stages write, and a site left
 * half-built (after a stage child was killed; at open). */
void store_sweep_temp(struct store *s);
/* DATA_DIR/identity.json: read it whole (-ENOENT: none yet), write it
 * atomically. */
int store_identity_read(struct store *s, char **ret_buf, size_t *ret_len);
int store_identity_write(struct store *s, const char *text, size_t len);
/* Delete the stored history for good: every pass directory in raw/ (those
 * moved aside too), the CSV and its row cache, the database and the report,
 * the artists' tags and their CSV.
 * The identity file is the caller's to rewrite, after this succeeded. */
int store_clear_history(struct store *s);

/* The PID written into DATA_DIR/.lock by the process holding it (0 if none
 * can be read), for the "in use" message. */
int store_lock_holder(const char *data_dir);

/* What to do about an error of store_open() (with its *ret_what), for the
 * message. */
const char *store_open_hint(int r, const char *what);

/* openat() of a relative path ("pass-000001/page-000001.json") that follows
 * no symbolic link in any component and refuses "..".  Returns fd or -errno. */
int store_openat(int dir_fd, const char *rel, int flags, mode_t mode);
/* storefs.c, below the store: mkdir -p of a path; is the directory ours alone
 * (-EPERM: another user's; -EACCES: writable by group or others); the first
 * symbolic link anywhere below dir_fd (-ELOOP, its path in ret_path); on the
 * way, the permission bits `strip` are taken from every file and directory of
 * the store's that this user owns (0: none; one that cannot be changed is its
 * errno, its path in ret_path). */
int store_make_dirs(const char *path);
int store_check_owner(int fd);
int store_scan_links(int dir_fd, mode_t strip, char *ret_path, size_t size);

/* Open a file given by name (a setting's file, outside the data directory
 * too) for reading without blocking, so that a named pipe or a device given
 * by mistake cannot hang the program, and only if it is a regular file (or
 * /dev/null, an empty one).  `flags` are added (O_NOFOLLOW).  fd, or -errno:
 * -EISDIR a directory, -EINVAL another kind of file. */
int store_open_regular(const char *path, int flags, struct stat *st);

/* Create (if needed) and open the directory `name` in `parent`, not through a
 * link.  Returns fd or -errno. */
int store_subdir(int parent, const char *name);

/* Call fn for each entry of a directory ("." and ".." skipped).  `type` is a
 * DT_* value, never DT_UNKNOWN.  Stops at the first nonzero return, which it
 * returns. */
typedef int (*store_walk_fn)(void *opaque, int dir_fd, const char *name, unsigned char type);
int store_walk(int dir_fd, store_walk_fn fn, void *opaque);
/* Remove `name` in dir_fd, a file or a whole tree (no link followed); gone
 * already is done.  store_remove_entry is the same as a store_walk_fn. */
int store_remove_tree(int dir_fd, const char *name);
int store_remove_entry(void *opaque, int dir_fd, const char *name, unsigned char type);

/* The one writer of every output, in two halves for what is written as a
 * stream (the CSV) or by another library (SQLite): create the temp file
 * ".NAME.tmp-XXXXXX" next to `name` (returns its fd, the name in tmp), then
 * commit: fsync (fd >= 0: that descriptor; STORE_FSYNC_BY_NAME: open tmp;
 * STORE_SYNCED: already done), rename over `name`, fsync the directory.  On
 * failure the temp file is removed (never fsynced twice; the caller writes
 * anew). */
#define STORE_SYNCED (-1)
#define STORE_FSYNC_BY_NAME (-2)
int store_tmp_create(int dir_fd, const char *name, char tmp[static 256]);
int store_tmp_commit(int dir_fd, const char *tmp, const char *name, int fd);

/* Write `len` bytes to dir_fd/name atomically (store_tmp_create + commit).
 * A failed fsync is never retried on the same file: the temp file is dropped
 * and the caller rewrites. */
int store_atomic_write(int dir_fd, const char *name, const void *buf, size_t len);

/* Read a whole file (at most `max` bytes) into a malloc'd, NUL-terminated buffer. */
int store_read_file(int dir_fd, const char *name, size_t max, char **ret_buf, size_t *ret_len);
/* The same for an open file: 0; -EINVAL not a regular file; -EFBIG over max;
 * -EAGAIN it grew while read (a short read is what the file holds now);
 * -errno.  *ret_st (may be NULL): its stat before the read. */
int store_read_fd(int fd, size_t max, char **ret_buf, size_t *ret_len, struct stat *ret_st);

/* Names: "pass-000012", "page-000001.json", and "raw/pass-000012/page-000001.json". */
void store_pass_name(unsigned pass, char buf[static 32]);
void store_page_name(long page, char buf[static 32]);
void store_page_relpath(unsigned pass, long page, char buf[static 64]);

/* All passes with a readable manifest, sorted by pass number (malloc'd array).
 * Directories whose manifest is unreadable are reported through ret_bad (the
 * first such path) and *ret_bad_pass, and skipped. */
int store_list_passes(struct store *s, struct manifest **ret, size_t *ret_n,
                      char ret_bad[static 128], unsigned *ret_bad_pass);

/* Create the pass directory and write its manifest; rewrite a manifest. */
int store_pass_create(struct store *s, const struct manifest *m);
int store_manifest_write(struct store *s, const struct manifest *m);

/* Move a pass directory aside, to raw/pass-NNNNNN.corrupt (kept for a look,
 * ignored from then on). */
int store_pass_quarantine(struct store *s, unsigned pass);
/* A page of pass `m` is damaged or missing: move it aside (to
 * page-NNNNNN.json.corrupt, if it is there) and mark the pass unfinished, so
 * that the next sync resumes the pass and fetches the page again. */
int store_page_refetch(struct store *s, const struct manifest *m, long page);

/* Pages of a pass. */
int store_page_write(struct store *s, unsigned pass, long page, const void *buf, size_t len);
bool store_page_exists(struct store *s, unsigned pass, long page);
int store_page_read(struct store *s, unsigned pass, long page, char **ret_buf, size_t *ret_len);
/* Remove every page of a pass (before it is fetched again), or the whole pass. */
int store_pass_clear_pages(struct store *s, unsigned pass);
int store_pass_remove(struct store *s, unsigned pass);

/* A directory of files published whole (the report's site): built in a new
 * directory DATA_DIR/.NAME.tmp-XXXXXX that no reader looks at, then, once
 * every file in it is on disk (syncfs), swapped with DATA_DIR/NAME in one
 * step (renameat2 RENAME_EXCHANGE) and the old tree removed.  A reader, and a
 * crash at any moment, sees the old site or the new one whole, never a mix
 * nor a link to a page not yet written; what a crash leaves is swept at the
 * next open.  Files are written without an fsync each: the one syncfs before
 * the swap stands for them all. */
struct store_site;
int store_site_begin(struct store *s, const char *name, struct store_site **ret);
/* Write `sub`/`file` (sub NULL: at the top; created on first use); names are
 * one path component, made by the caller from what it controls.  Returns 0
 * when written, 1 when the published site holds the same bytes there and
 * the file was carried over as a hard link instead (nothing written), or
 * -errno. */
int store_site_write(struct store_site *w, const char *sub, const char *file, const void *buf,
                     size_t len);
/* Publish (then free w); on failure the old site stays and the new is removed. */
int store_site_publish(struct store_site *w);
/* Give up: remove what was written, free w. */
void store_site_abort(struct store_site *w);

/* Largest body kept: a page of 1000 items is under 1 MiB. */
#define STORE_MAX_PAGE_BYTES (8u << 20)

#endif
