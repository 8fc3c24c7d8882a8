/* process_tags.c: the artists' tags into the processed database
 * (process_tags_int.h). */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "exitcodes.h"
#include "log.h"
#include "process.h"
#include "process_input_int.h"
#include "process_meta_int.h"
#include "process_tags_int.h"

/* The tags CSV's columns (store.h's STORE_TAGS_CSV_HEADER). */
enum { T_ARTIST, T_MBID, T_TAG, T_COUNT, T_RANK, T_SOURCE, T_COLUMNS };

/* The tags CSV whole (*ret NULL: there is none). */
static int read_tags_csv(struct store *s, char **ret, size_t *ret_len)
{
    *ret = NULL;
    *ret_len = 0;
    int r = store_interim_read(s, STORE_TAGS_CSV_NAME, ret, ret_len);
    return r == -ENOENT ? 0 : r;
}

int process_tags_csv_sha(struct store *s, char sha[65])
{
    char *text;
    size_t len;
    if (read_tags_csv(s, &text, &len) < 0)
        return -1;
    if (text)
        process_sha256_hex(text, len, sha);
    else
        snprintf(sha, 65, "-");
    free(text);
    return 0;
}

int process_load_tags(struct store *s, const char *ignore_path, struct process_tags *ret)
{
    memset(ret, 0, sizeof *ret);
    snprintf(ret->sha, sizeof ret->sha, "-");
    int code = process_load_tag_ignore(ignore_path, &ret->ig, ret->ignore_sha);
    if (code != EXIT_DONE)
        return code;
    int r = read_tags_csv(s, &ret->csv, &ret->len);
    if (r < 0) {
        log_err("cannot read %s/%s/%s: %s: the database was left as it was", store_data_dir(s),
                STORE_INTERIM_DIR, STORE_TAGS_CSV_NAME, strerror(-r));
        return r == -ENOMEM ? EXIT_TEMPFAIL : EXIT_IOERR;
    }
    if (ret->csv)
        process_sha256_hex(ret->csv, ret->len, ret->sha);
    return EXIT_DONE;
}

void process_tags_free(struct process_tags *t)
{
    free(t->csv);
    tagignore_free(&t->ig);
    t->csv = NULL;
}

static bool number(const struct csv_field *f, long lo, long hi, long *ret)
{
    char buf[24];
    if (f->len == 0 || f->len >= sizeof buf)
        return false;
    memcpy(buf, f->ptr, f->len);
    buf[f->len] = '\0';
    char *end;
    long v = strtol(buf, &end, 10);
    if (*end || v < lo || v > hi)
        return false;
    *ret = v;
    return true;
}

static int write_ignore(sqlite3 *db, const struct tag_ignore *ig)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO tag_ignore VALUES (?)", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < ig->n && rc == SQLITE_DONE; i++) {
        sqlite3_bind_text(st, 1, ig->tags[i], -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The tags CSV's rows into artist_tag_rows (its header checked). */
static int write_rows(sqlite3 *db, const struct process_tags *t, const char *data_dir)
{
    struct csv_reader rd;
    csvread_init(&rd, t->csv, t->len);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO artist_tag_rows VALUES (?, ?, ?, ?)", -1, &st, NULL) !=
        SQLITE_OK) {
        csvread_free(&rd);
        return -1;
    }
    const char *why = NULL;
    int r, code = 0;
    char cut[PROCESS_NAME_MAX + 1];
    for (long row = 0; (r = csvread_next(&rd, &why)) == 1; row++) {
        long count, rank;
        if (row == 0) {
            size_t n = strlen(STORE_TAGS_CSV_HEADER);
            if (rd.nfields != T_COLUMNS || (size_t)(rd.p - t->csv) < n ||
                strncmp(t->csv, STORE_TAGS_CSV_HEADER, n) != 0) {
                why = "not the tags CSV's header";
                r = -1;
                break;
            }
            continue;
        }
        if (rd.nfields != T_COLUMNS || !number(&rd.field[T_COUNT], 0, 100000, &count) ||
            !number(&rd.field[T_RANK], 1, 100000, &rank)) {
            why = "not a row of the tags CSV (6 fields, a count and a rank)";
            r = -1;
            break;
        }
        /* The artist cut as the scrobbles are, so that the two join. */
        struct csv_field artist = rd.field[T_ARTIST];
        process_name_cut(&artist, cut);
        sqlite3_bind_text(st, 1, artist.ptr, (int)artist.len, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, rd.field[T_TAG].ptr, (int)rd.field[T_TAG].len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, count);
        sqlite3_bind_int64(st, 4, rank);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            code = -1;
            break;
        }
    }
    if (r < 0 && !code) {
        log_err("%s/%s/%s:%ld: %s: the database was left as it was; lastfm-syncd writes it "
                "again from tags/ at its next tag run (or delete it)",
                data_dir, STORE_INTERIM_DIR, STORE_TAGS_CSV_NAME, rd.line,
                why ? why : "unreadable");
        code = EXIT_DATAERR;
    }
    sqlite3_finalize(st);
    csvread_free(&rd);
    return code;
}

int process_write_tags(sqlite3 *db, const struct process_tags *t, const char *data_dir)
{
    if (write_ignore(db, &t->ig) < 0 || process_put_meta(db, "tags_input_sha256", t->sha) < 0 ||
        process_put_meta(db, "tags_input_file", STORE_INTERIM_DIR "/" STORE_TAGS_CSV_NAME) < 0 ||
        process_put_meta(db, "tag_ignore_sha256", t->ignore_sha) < 0)
        return -1;
    return t->csv ? write_rows(db, t, data_dir) : 0;
}
