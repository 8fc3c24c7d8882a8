/* process.h: the processed stage, interim CSV -> DATA_DIR/processed/lastfm.sqlite.
 *
 * Reads only interim/lastfm_scrobbles_interim.csv (the CSV is the contract
 * between the stages), converts every scrobble to local time by the time-zone
 * history, and lets SQLite derive the flags, sessions and views (process.sql).
 * The database is built in a temp file in processed/, fsynced and renamed over
 * the old one: a reader keeps a consistent copy, a crash leaves the old one.
 */
#ifndef LASTFM_PROCESS_H
#define LASTFM_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "store.h"
#include "tzhist.h"

#define PROCESS_DIR STORE_PROCESSED_DIR
#define PROCESS_DB_NAME STORE_DB_NAME

/* The settings that shape the data (all recorded in the database's meta). */
struct process_options {
    struct tz_history *tz;       /* LASTFM_TIMEZONE, parsed */
    long duplicate_window;       /* LASTFM_DUPLICATE_WINDOW, seconds */
    const char *aliases_path;    /* LASTFM_ARTIST_ALIASES, or NULL */
    const char *exclude_path;    /* LASTFM_EXCLUDE, or NULL */
    const char *tag_ignore_path; /* LASTFM_TAG_IGNORE, or NULL: the built-in list */
    long burst_limit;            /* LASTFM_BURST_LIMIT (0: off) */
    const char *username;        /* LASTFM_USERNAME: whose history (meta, the report) */
    int64_t now;                 /* the build time (Unix seconds; injectable) */
    bool now_pinned;             /* ... by SOURCE_DATE_EPOCH: judge rows against it alone */
    /* The daemon's child only (process_stage()): build only when due. */
    const char *force;    /* build now, for this reason (SIGUSR2), or NULL */
    int rebuild_interval; /* new rows wait this long (0: never) */
};

/* What a run did. */
struct process_stats {
    long rows;    /* scrobbles in the database */
    long counted; /* rows no quality rule flags */
    double seconds;
    bool built;    /* process_stage(): false when it was current */
    bool deferred; /* ... or only new rows, waiting for the interval */
    char why[200]; /* ... else why it was built, for the log */
};

/* A name (track, artist, album; also an mbid or a source file) longer than
 * this many bytes is cut in the database, at a character's start, with "…"
 * ending it within the limit: a hostile 40 MiB name must not make every later
 * copy (indexes, sorts, the report's temp tables) cost its size.  The CSV
 * keeps it whole.  The report's REPORT_NAME_MAX is the same number, so its
 * own cuts never bite. */
#define PROCESS_NAME_MAX 1024

/* The processing options of a configuration: the one builder, for the
 * daemon and lastfm-process.  The build time is now, or SOURCE_DATE_EPOCH
 * (Unix seconds from 2002-10-01 to 2099-12-31; the reproducible-builds
 * convention) when set. */
struct process_options process_options_from(struct config *cfg);

/* The daemon's stage, in a child process (reading the alias file and the
 * database's meta never stalls the daemon's loop): build the database if it
 * is due (process_due(), or o->force), else report that it was not.
 * Returns an exit code as process_run(). */
int process_stage(struct store *s, const struct process_options *o, struct process_stats *ret);

/* Build the database.  Returns an exit code (exitcodes.h): 0 done;
 * 66 no CSV yet; 65 the CSV is damaged (the message names the line); 78 the
 * alias file is bad (FILE:LINE); 74 processed/ could not be written.  The old
 * database stays in place on every failure. */
int process_run(struct store *s, const struct process_options *o, struct process_stats *ret);
/* The "database written" journal entry (MESSAGE_ID, ROWS, TIMEZONE), logged by
 * the process that owns the run (as flatten_log_written()). */
void process_log_written(const char *data_dir, const struct tz_history *tz,
                         const struct process_stats *rep);

/* Does the database need building: missing, made by another version or
 * schema, built with other settings, or older than the CSV?  NULL when it is
 * current, else why not, for the log; *ret_rows_only (if not NULL): new
 * rows in the CSV or new tags (the tags CSV) are the only reasons, which the
 * daemon defers by LASTFM_REBUILD_INTERVAL.  (Cheap: reads meta only.) */
const char *process_needed(struct store *s, const struct process_options *o, bool *ret_rows_only);

/* The daemon's question: is a rebuild due now?  As process_needed(), but when
 * only the CSV changed and the database is younger than `rebuild_interval`
 * seconds (LASTFM_REBUILD_INTERVAL; 0: never wait), NULL with *ret_deferred:
 * new rows wait for the next rebuild (what a day of passes writes). */
const char *process_due(struct store *s, const struct process_options *o, int rebuild_interval,
                        int64_t now, bool *ret_deferred);

/* The CSV rows the database was built from (meta input_rows), -1 if there is
 * no database: what the daemon's idle line says after a restart. */
long process_db_rows(struct store *s);

#endif
