/* process_meta.c: the processed database's `meta` table: what the data was
 * made from (input, settings, program, time); the questions asked of it later
 * are process_stage.c's. */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "process.h"
#include "process_meta_int.h"

void process_settings_line(const struct process_options *o, const char *alias_sha,
                           const char *exclude_sha, const char *tag_ignore_sha, char *buf,
                           size_t size)
{
    char zones[TZ_DESCRIBE_MAX];
    tz_history_describe(o->tz, zones, sizeof zones);
    snprintf(buf, size,
             "timezone=%s; duplicate_window=%ld; burst_limit=%ld; "
             "artist_aliases=%s (sha256 %s); exclude=%s (sha256 %s); username=%s; "
             "tag_ignore=%s (sha256 %s)",
             zones, o->duplicate_window, o->burst_limit, o->aliases_path ? o->aliases_path : "-",
             alias_sha, o->exclude_path ? o->exclude_path : "-", exclude_sha,
             o->username ? o->username : "", o->tag_ignore_path ? o->tag_ignore_path : "-",
             tag_ignore_sha);
}

int process_put_meta(sqlite3 *db, const char *key, const char *value)
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

int process_write_meta(sqlite3 *db, const struct process_options *o, int64_t judged_at,
                       size_t nrows, long eras_used, const char *input_sha, const char *alias_sha,
                       const char *exclude_sha, const char *tag_ignore_sha,
                       const struct stat *csv_st)
{
    char settings[PROCESS_SETTINGS_MAX], zones[TZ_DESCRIBE_MAX], used[TZ_DESCRIBE_MAX] = "",
                                                                 rows[32];
    char built[32], built_uts[32], judged[32];
    char size[32], window[32], burst[32];
    tz_history_describe(o->tz, zones, sizeof zones);
    process_settings_line(o, alias_sha, exclude_sha, tag_ignore_sha, settings, sizeof settings);
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
    snprintf(judged, sizeof judged, "%lld", (long long)judged_at);
    snprintf(rows, sizeof rows, "%zu", nrows);
    snprintf(size, sizeof size, "%lld", (long long)csv_st->st_size);
    snprintf(window, sizeof window, "%ld", o->duplicate_window);
    snprintf(burst, sizeof burst, "%ld", o->burst_limit);
    const char *const meta[][2] = {
        {"schema_version", PROCESS_SCHEMA_VERSION},
        {"program", PROCESS_PROGRAM},
        {"built_at_utc", built},
        {"built_at_uts", built_uts},
        {"judged_at_uts", judged},
        {"input_file", STORE_INTERIM_DIR "/" STORE_CSV_NAME},
        {"input_sha256", input_sha},
        {"input_rows", rows},
        {"input_size", size},
        {"timezone", zones},
        {"zones_used", used},
        {"duplicate_window_seconds", window},
        {"burst_limit", burst},
        {"username", o->username ? o->username : ""},
        {"artist_aliases_file", o->aliases_path ? o->aliases_path : ""},
        {"artist_aliases_sha256", alias_sha},
        {"exclude_file", o->exclude_path ? o->exclude_path : ""},
        {"exclude_sha256", exclude_sha},
        {"settings", settings},
    };
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
        if (process_put_meta(db, meta[i][0], meta[i][1]) < 0)
            return -1;
    return 0;
}
