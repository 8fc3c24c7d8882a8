/* state.c: reading a data directory's state for --status and --once's last
 * line (the formats: statefmt.c). */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csvread.h"
#include "flatten.h"
#include "identity.h"
#include "process.h"
#include "report.h"
#include "state_int.h"
#include "store.h"
#include "tags.h"

static int count_one(void *opaque, const struct csv_reader *rd)
{
    (*(long *)opaque)++;
    return 0;
}

/* The CSV's records, header excluded: -1 when there is none (or it cannot be
 * read), which the CSV's own line then says. */
static long count_rows(struct store *s)
{
    long n = 0;
    return store_interim_each(s, STORE_CSV_NAME, count_one, &n) < 0 ? -1 : n;
}

/* The newest complete pass and any unfinished one after it. */
static void read_passes(struct store *s, struct sync_state *st)
{
    struct manifest *m = NULL;
    size_t n = 0;
    char bad[128];
    unsigned bad_pass = 0;
    if (store_list_passes(s, &m, &n, bad, &bad_pass) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (m[i].state == PASS_COMPLETE) {
            st->last_pass = m[i].pass;
            snprintf(st->last_kind, sizeof st->last_kind, "%s", m[i].kind);
            st->last_finished = m[i].finished_at;
        } else {
            st->open_pass = m[i].pass;
        }
    }
    if (st->open_pass && st->open_pass < st->last_pass)
        st->open_pass = 0; /* superseded: the next run drops it */
    free(m);
}

static void read_identity(struct store *s, struct sync_state *st)
{
    char *text;
    size_t len;
    struct identity id;
    const char *why;
    if (store_identity_read(s, &text, &len) < 0)
        return;
    if (identity_parse(text, len, &id, &why)) {
        snprintf(st->user, sizeof st->user, "%s", id.user);
        snprintf(st->api_url, sizeof st->api_url, "%s", id.api_url);
    }
    free(text);
}

/* Each output's path and whether it is behind, as the daemon would decide. */
static void read_outputs(struct store *s, struct config *cfg, struct sync_state *st)
{
    struct state_output_info *csv = &st->output[STATE_CSV], *db = &st->output[STATE_DATABASE],
                             *site = &st->output[STATE_REPORT];
    struct stat sb;
    if (store_csv_stat(s, &sb) < 0) {
        csv->behind = "there is no CSV yet";
        db->behind = "there is no CSV to build it from yet";
        site->behind = "there is no database to draw it from yet";
        return;
    }
    if (st->last_pass && flatten_needed(s))
        csv->behind = "it is older than the last complete pass (the next run writes it)";
    st->scrobbles = count_rows(s);
    struct process_options po = process_options_from(cfg);
    /* An operator's --status names no user: the directory's own is the one
     * the database was made for. */
    if (!po.username && st->user[0])
        po.username = st->user;
    bool rows_only = false;
    db->behind = process_needed(s, &po, &rows_only);
    if (db->behind && rows_only)
        db->behind = "the CSVs have rows it has not: new scrobbles and tags wait up to "
                     "LASTFM_REBUILD_INTERVAL (SIGUSR2 builds them now)";
    site->behind = report_needed(s);
}

/* How far the stored tag answers cover the CSV's artists. */
static void read_tags(struct store *s, struct config *cfg, struct sync_state *st)
{
    struct tags_tally tt;
    if (st->scrobbles < 0 || tags_tally(s, cfg, (int64_t)time(NULL), &tt) < 0)
        return;
    st->tag_artists = tt.artists;
    st->tag_missing = tt.missing;
    st->tag_stale = tt.stale;
    st->tag_unread = (long)tt.unread;
}

int state_read(struct store *store, struct config *cfg, struct sync_state *ret)
{
    memset(ret, 0, sizeof *ret);
    ret->scrobbles = -1;
    ret->tag_artists = -1;
    ret->tags_on = cfg->tags;
    ret->tag_refresh = cfg->tag_refresh;
    ret->tag_per_run = TAGS_REFRESH_PER_RUN;
    snprintf(ret->data_dir, sizeof ret->data_dir, "%s", cfg->data_dir);
    static const char *const file[STATE_OUTPUTS][2] = {
        [STATE_CSV] = {STORE_INTERIM_DIR, STORE_CSV_NAME},
        [STATE_DATABASE] = {PROCESS_DIR, PROCESS_DB_NAME},
        [STATE_REPORT] = {REPORT_DIR, REPORT_NAME},
    };
    for (int i = 0; i < STATE_OUTPUTS; i++)
        snprintf(ret->output[i].path, sizeof ret->output[i].path, "%.4000s/%s/%s", cfg->data_dir,
                 file[i][0], file[i][1]);
    struct store *s = store;
    pid_t holder = 0;
    if (!s) {
        int r = store_open_reader(cfg->data_dir, &s, &holder);
        if (r == -ENOENT) {
            for (int i = 0; i < STATE_OUTPUTS; i++)
                ret->output[i].behind = "nothing has been synced into this directory yet";
            return 0;
        }
        if (r < 0)
            return r;
    } else {
        holder = getpid();
    }
    ret->exists = true;
    ret->daemon_pid = holder;
    read_identity(s, ret);
    read_passes(s, ret);
    read_outputs(s, cfg, ret);
    read_tags(s, cfg, ret);
    if (s != store)
        store_close(s);
    return 0;
}
