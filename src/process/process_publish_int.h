/* process_publish_int.h: the new database put in place of the one readers use.
 *
 * A reader's own SQLite session may have left side files next to the old
 * database: a WAL and its index (PRAGMA journal_mode=WAL, a session still
 * open) or a hot rollback journal (a writer killed mid-transaction).  Paired
 * with the new file they would be read into it: a WAL replayed over other
 * pages, a journal rolled back into it.  So they go before the rename, and the
 * new database is opened afterwards as a reader would and checked.
 */
#ifndef LASTFM_PROCESS_PUBLISH_H
#define LASTFM_PROCESS_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

/* Replace dir_fd/name with dir_fd/tmp (closed, not yet fsynced).  `path` is
 * dir_fd/name as a path, for the reader's open; `rows`: what meta's
 * input_rows must say.  0, or -errno with *ret_why saying what failed (the
 * previous database is then still in place, unless the check after the rename
 * failed twice: -EIO). */
int process_publish(int dir_fd, const char *tmp, const char *name, const char *path, size_t rows,
                    const char **ret_why);

/* Remove name-wal, name-shm and name-journal in dir_fd; true if any was there. */
bool process_remove_side_files(int dir_fd, const char *name);

#endif
