/* process_stage.c: the processed stage's front door: its options from the
 * configuration, and the questions asked before a build (is the database
 * behind the CSV or the settings, is a rebuild due, how many rows), and the
 * daemon's child that builds when it is due. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "aliases.h"
#include "excludes.h"
#include "exitcodes.h"
#include "process.h"
#include "process_input_int.h"
#include "process_meta_int.h"
#include "process_tags_int.h"

/* A database SQLite may open: a regular file (a named pipe would hang it). */
static bool regular(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The CSV's sha256 (what meta pins with its size; no file time, so that a
 * copy or a restore of the same rows is the same input).  -1 if it cannot be
 * read. */
static int csv_sha256(struct store *s, char sha[65])
{
    int fd = store_csv_open(s);
    if (fd < 0)
        return -1;
    char *buf;
    size_t len;
    int r = process_read_all(fd, &buf, &len, NULL);
    close(fd);
    if (r < 0)
        return -1;
    process_sha256_hex(buf, len, sha);
    free(buf);
    return 0;
}

const char *process_needed(struct store *s, const struct process_options *o, bool *ret_rows_only)
{
    if (ret_rows_only)
        *ret_rows_only = false;
    char path[4200], settings[PROCESS_SETTINGS_MAX], alias_sha[65], exclude_sha[65];
    struct aliases al;
    struct excludes ex;
    struct stat st;
    if (process_load_aliases(o->aliases_path, &al, alias_sha) != EXIT_DONE)
        return "the alias file changed"; /* the run will say what is wrong */
    aliases_free(&al);
    if (process_load_excludes(o->exclude_path, &ex, exclude_sha) != EXIT_DONE)
        return "the exclude file changed";
    excludes_free(&ex);
    struct tag_ignore ig;
    char ignore_sha[65], tags_sha[65];
    if (process_load_tag_ignore(o->tag_ignore_path, &ig, ignore_sha) != EXIT_DONE)
        return "the tag ignore list changed";
    tagignore_free(&ig);
    if (process_tags_csv_sha(s, tags_sha) < 0)
        return "the tags CSV cannot be read";
    process_settings_line(o, alias_sha, exclude_sha, ignore_sha, settings, sizeof settings);
    if (store_csv_stat(s, &st) < 0)
        return NULL; /* nothing to build from */
    store_stage_path(s, PROCESS_DIR, PROCESS_DB_NAME, path, sizeof path);
    sqlite3 *db;
    struct stat dst;
    if (lstat(path, &dst) < 0)
        return "there is no database yet";
    if (!S_ISREG(dst.st_mode))
        return "its path is not a regular file (a named pipe, a directory?)";
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return "there is no database yet";
    }
    /* In the order a reader would want to hear it. */
    static const char *const why[] = {
        "it was made by another version of the program (or another schema)",
        "the settings that shape it changed (time zones, duplicate window, burst limit, alias "
        "file, exclude file, user name, tag ignore list)",
        "the artists' tags changed (the tags CSV)",
        "the CSV changed",
    };
    const char *needed = "its meta table cannot be read";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "SELECT coalesce((SELECT value FROM meta WHERE key = 'program') "
                           "= ?2 AND (SELECT value FROM meta WHERE key = 'schema_version') "
                           "= ?3, 0), "
                           "coalesce((SELECT value FROM meta WHERE key = 'settings') = ?1, 0), "
                           "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'input_size'), "
                           "(SELECT value FROM meta WHERE key = 'input_sha256'), "
                           "coalesce((SELECT value FROM meta WHERE key = 'tags_input_sha256') "
                           "= ?4, 0), "
                           "coalesce((SELECT value FROM meta WHERE key = 'tags_input_sha256') "
                           "= '-', 1)",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, settings, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, PROCESS_PROGRAM, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, PROCESS_SCHEMA_VERSION, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, tags_sha, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) {
            /* The CSV is the same when its size is, and then its sha256: the
             * hash is only read when the size cannot tell. */
            const char *was = (const char *)sqlite3_column_text(q, 3);
            char sha[65];
            bool same_csv = sqlite3_column_type(q, 2) == SQLITE_INTEGER &&
                            sqlite3_column_int64(q, 2) == (int64_t)st.st_size && was &&
                            csv_sha256(s, sha) == 0 && strcmp(sha, was) == 0;
            bool ok[4] = {sqlite3_column_int(q, 0) == 1, sqlite3_column_int(q, 1) == 1,
                          sqlite3_column_int(q, 4) == 1, same_csv};
            needed = NULL;
            for (int i = 3; i >= 0; i--)
                if (!ok[i])
                    needed = why[i];
            /* New scrobbles and new tags alike wait for the rebuild interval,
             * but the first tags of a database built without any do not (the
             * genres of a first run are there at once). */
            bool first_tags = !ok[2] && sqlite3_column_int(q, 5) == 1;
            if (ret_rows_only)
                *ret_rows_only = needed && ok[0] && ok[1] && !first_tags;
        }
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return needed;
}

long process_db_rows(struct store *s)
{
    char path[4200];
    store_stage_path(s, PROCESS_DIR, PROCESS_DB_NAME, path, sizeof path);
    sqlite3 *db = NULL;
    long rows = -1;
    if (regular(path) && sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db,
                               "SELECT CAST(value AS INTEGER) FROM meta "
                               "WHERE key = 'input_rows'",
                               -1, &q, NULL) == SQLITE_OK) {
            if (sqlite3_step(q) == SQLITE_ROW)
                rows = (long)sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
        }
    }
    sqlite3_close(db);
    return rows;
}

const char *process_due(struct store *s, const struct process_options *o, int rebuild_interval,
                        int64_t now, bool *ret_deferred)
{
    bool rows_only;
    const char *why = process_needed(s, o, &rows_only);
    struct stat st;
    *ret_deferred = false;
    if (!why || !rows_only || rebuild_interval <= 0)
        return why;
    if (store_stage_stat(s, PROCESS_DIR, PROCESS_DB_NAME, &st) == 0 &&
        now >= (int64_t)st.st_mtime && now - (int64_t)st.st_mtime < rebuild_interval) {
        *ret_deferred = true;
        return NULL;
    }
    return why;
}

int process_stage(struct store *s, const struct process_options *o, struct process_stats *ret)
{
    bool deferred = false;
    const char *why =
        o->force ? o->force : process_due(s, o, o->rebuild_interval, o->now, &deferred);
    memset(ret, 0, sizeof *ret);
    ret->deferred = deferred;
    if (!why)
        return EXIT_DONE;
    int code = process_run(s, o, ret);
    ret->built = code == EXIT_DONE;
    snprintf(ret->why, sizeof ret->why, "%s", why);
    return code;
}

struct process_options process_options_from(struct config *cfg)
{
    struct process_options o = {
        .tz = &cfg->tz,
        .duplicate_window = cfg->duplicate_window,
        .burst_limit = cfg->burst_limit,
        .aliases_path = cfg->artist_aliases,
        .exclude_path = cfg->exclude,
        .tag_ignore_path = cfg->tag_ignore,
        .username = cfg->username,
        .now = cfg->build_time ? cfg->build_time : (int64_t)time(NULL),
        .now_pinned = cfg->build_time != 0,
    };
    return o;
}
