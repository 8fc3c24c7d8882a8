/* process_meta.c: the processed database's `meta` table: what the data was
 * made from (input, settings, program, time), and the questions asked of it
 * later: is the database behind the CSV or the settings, how many rows. */
#include "autoconfig.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "aliases.h"
#include "exitcodes.h"
#include "process.h"
#include "process_input.h"
#include "process_meta.h"

#define SCHEMA_VERSION "1"

/* The settings that shape the data, as one line (compared by process_needed). */
static void settings_line(const struct process_options *o, const char *alias_sha, char *buf,
                          size_t size)
{
    char zones[1024];
    tz_history_describe(o->tz, zones, sizeof zones);
    snprintf(buf, size, "timezone=%s; duplicate_window=%ld; artist_aliases=%s (sha256 %s)",
             zones, o->duplicate_window, o->aliases_path ? o->aliases_path : "-", alias_sha);
}

static int put_meta(sqlite3 *db, const char *key, const char *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta VALUES (?, ?)", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int process_write_meta(sqlite3 *db, const struct process_options *o, size_t nrows,
                       long eras_used, const char *input_sha, const char *alias_sha,
                       const struct stat *csv_st)
{
    char settings[2048], zones[1024], used[1024] = "", rows[32], built[32], built_uts[32];
    char mtime[48], size[32], window[32];
    tz_history_describe(o->tz, zones, sizeof zones);
    settings_line(o, alias_sha, settings, sizeof settings);
    for (size_t e = 0; e < o->tz->n; e++)
        if (eras_used & (1L << e)) {
            size_t at = strlen(used);
            snprintf(used + at, sizeof used - at, "%s%s", at ? ", " : "", o->tz->era[e].zone);
        }
    struct tm tm;
    time_t now = (time_t)o->now;
    gmtime_r(&now, &tm);
    strftime(built, sizeof built, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(built_uts, sizeof built_uts, "%lld", (long long)o->now);
    snprintf(rows, sizeof rows, "%zu", nrows);
    snprintf(mtime, sizeof mtime, "%lld.%09ld", (long long)csv_st->st_mtim.tv_sec,
             csv_st->st_mtim.tv_nsec);
    snprintf(size, sizeof size, "%lld", (long long)csv_st->st_size);
    snprintf(window, sizeof window, "%ld", o->duplicate_window);
    const char *const meta[][2] = {
        {"schema_version", SCHEMA_VERSION},
        {"program", PACKAGE_NAME " " PACKAGE_VERSION},
        {"built_at_utc", built},
        {"built_at_uts", built_uts},
        {"input_file", "interim/" STORE_CSV_NAME},
        {"input_sha256", input_sha},
        {"input_rows", rows},
        {"input_size", size},
        {"input_mtime", mtime},
        {"timezone", zones},
        {"zones_used", used},
        {"duplicate_window_seconds", window},
        {"artist_aliases_file", o->aliases_path ? o->aliases_path : ""},
        {"artist_aliases_sha256", alias_sha},
        {"settings", settings},
    };
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
        if (put_meta(db, meta[i][0], meta[i][1]) < 0)
            return -1;
    return 0;
}

int process_needed(struct store *s, const struct process_options *o)
{
    char path[4200], settings[2048], alias_sha[65];
    struct aliases al;
    struct stat st;
    if (load_aliases(o->aliases_path, &al, alias_sha) != EXIT_DONE)
        return 1;   /* the run will say what is wrong */
    aliases_free(&al);
    settings_line(o, alias_sha, settings, sizeof settings);
    if (store_csv_stat(s, &st) < 0)
        return 0;   /* nothing to build from */
    char mtime[48], size[32];
    snprintf(mtime, sizeof mtime, "%lld.%09ld", (long long)st.st_mtim.tv_sec,
             st.st_mtim.tv_nsec);
    snprintf(size, sizeof size, "%lld", (long long)st.st_size);
    snprintf(path, sizeof path, "%s/%s/%s", store_data_dir(s), PROCESS_DIR, PROCESS_DB_NAME);
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return 1;
    }
    int needed = 1;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT (SELECT value FROM meta WHERE key = 'settings') = ?1 "
                               "AND (SELECT value FROM meta WHERE key = 'input_mtime') = ?2 "
                               "AND (SELECT value FROM meta WHERE key = 'input_size') = ?3",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, settings, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, mtime, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, size, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1)
            needed = 0;
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return needed;
}

long process_db_rows(struct store *s)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s/%s", store_data_dir(s), PROCESS_DIR, PROCESS_DB_NAME);
    sqlite3 *db;
    long rows = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db, "SELECT CAST(value AS INTEGER) FROM meta "
                                   "WHERE key = 'input_rows'", -1, &q, NULL) == SQLITE_OK) {
            if (sqlite3_step(q) == SQLITE_ROW)
                rows = (long)sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
        }
    }
    sqlite3_close(db);
    return rows;
}
