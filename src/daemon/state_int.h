/* state_int.h: `lastfm-syncd --status`, and the last line of --once: what a
 * data directory holds and whether every stage's output is current.
 *
 * state.c reads it (the data directory opened for reading only, beside a
 * running daemon); statefmt.c, pure, writes it as text, as one line and as
 * JSON.  "Current" means what the daemon means when it decides whether to
 * build: the CSV not older than the last complete pass (flatten_needed), the
 * database made by this version from this CSV with these settings
 * (process_needed), the report not older than the database (report_needed).
 */
#ifndef LASTFM_STATE_H
#define LASTFM_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "identity.h"
#include "store.h"

/* The outputs a sync pass hands on, in the order they are made. */
enum state_output { STATE_CSV, STATE_DATABASE, STATE_REPORT, STATE_OUTPUTS };

/* One output: where it is and whether it is current. */
struct state_output_info {
    char path[4200];    /* DATA_DIR/interim/..., /processed/..., /report/index.html */
    const char *behind; /* NULL: current; else why not (a static string) */
};

/* What a data directory holds. */
struct sync_state {
    char data_dir[4096];
    bool exists;                    /* DATA_DIR is there */
    char user[IDENTITY_MAX_USER];   /* whose history (identity.json), "" when none yet */
    char api_url[IDENTITY_MAX_URL]; /* ... read from which API */
    long daemon_pid;                /* holding DATA_DIR: its PID, -1 PID unknown, 0 none */
    unsigned last_pass;             /* the last complete pass, 0 none yet */
    char last_kind[16];             /* ... "full", "new" or "recheck" */
    int64_t last_finished;          /* ... when it completed (Unix seconds) */
    unsigned open_pass;             /* an unfinished pass the next run resumes, 0 none */
    long scrobbles;                 /* rows of the CSV, -1 when there is none */
    struct state_output_info output[STATE_OUTPUTS];
    /* The artists' tags (LASTFM_TAGS): not part of "current", which is the
     * scrobbles' outputs; a tag run follows every pass. */
    bool tags_on;        /* LASTFM_TAGS=1 */
    long tag_artists;    /* distinct artists of the CSV, -1 not known (no CSV) */
    long tag_missing;    /* ... without a stored answer: the next tag run asks */
    long tag_stale;      /* ... with one older than LASTFM_TAG_REFRESH */
    long tag_unread;     /* stored answers that cannot be read */
    int64_t tag_refresh; /* LASTFM_TAG_REFRESH, s (0 never) */
    int tag_per_run;     /* ... of which a run renews at most this many */
};

/* Read DATA_DIR's state (cfg: the settings the database must have been made
 * with).  `store` is an open store (the daemon's, after --once) or NULL: then
 * DATA_DIR is opened for reading only.  0, or -errno when DATA_DIR cannot be
 * read (*ret filled as far as it goes; a missing DATA_DIR is not an error). */
int state_read(struct store *store, struct config *cfg, struct sync_state *ret);

/* All current: a complete pass, and the CSV, the database and the report
 * made from it. */
bool state_current(const struct sync_state *st);

/* The three forms.  `now` only says how long ago the last pass was. */
void state_write_text(FILE *f, const struct sync_state *st, int64_t now);
/* "rj: pass 12 complete 2026-12-07 12:00:03 UTC, 146213 scrobbles; CSV,
 * database and report current" (or what is behind). */
void state_line(char *buf, size_t size, const struct sync_state *st);
/* A malloc'd JSON object (README, "Status"), NULL when out of memory. */
char *state_json(const struct sync_state *st);

#endif
