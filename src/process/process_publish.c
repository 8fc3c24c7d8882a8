/* process_publish.c: the new database in place of the old, never paired with
 * the old one's side files. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include <sqlite3.h>

#include "process_publish_int.h"
#include "store.h"

bool process_remove_side_files(int dir_fd, const char *name)
{
    static const char *const sides[] = {"-wal", "-shm", "-journal"};
    bool any = false;
    for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
        char side[300];
        snprintf(side, sizeof side, "%s%s", name, sides[i]);
        any |= unlinkat(dir_fd, side, 0) == 0;
    }
    return any;
}

/* Open `path` read-only as a reader does: meta says `rows`, and (when a
 * reader's side files were about: `thorough`) a quick check of the file's
 * structure passes. */
static const char *reads_right(const char *path, size_t rows, bool thorough)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    const char *why = "it cannot be opened";
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        goto out;
    why = "its meta table cannot be read";
    if (sqlite3_prepare_v2(db,
                           "SELECT CAST(value AS INTEGER) FROM meta WHERE key = "
                           "'input_rows'",
                           -1, &q, NULL) != SQLITE_OK)
        goto out;
    bool same = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 0) == (sqlite3_int64)rows;
    sqlite3_finalize(q);
    why = "meta's row count is not the one written";
    if (!same)
        goto out;
    why = "it does not pass PRAGMA quick_check";
    if (!thorough)
        why = NULL;
    else if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &q, NULL) != SQLITE_OK)
        goto out;
    else {
        bool ok = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) &&
                  sqlite3_column_text(q, 0)[0] == 'o';
        sqlite3_finalize(q);
        if (ok)
            why = NULL;
    }
out:
    sqlite3_close(db);
    return why;
}

int process_publish(int dir_fd, const char *tmp, const char *name, const char *path, size_t rows,
                    const char **ret_why)
{
    *ret_why = NULL;
    bool sides = process_remove_side_files(dir_fd, name);
    int r = store_tmp_commit(dir_fd, tmp, name, STORE_FSYNC_BY_NAME);
    if (r < 0)
        return r;
    /* A reader's session may write side files again in the instant between:
     * they are of the old file; away with them, once more.  The whole file is
     * checked when a reader had left some (the cheap check otherwise). */
    for (int attempt = 0; attempt < 2; attempt++) {
        sides |= process_remove_side_files(dir_fd, name);
        if (!(*ret_why = reads_right(path, rows, sides || attempt > 0)))
            return 0;
        sides = true;
    }
    return -EIO;
}
