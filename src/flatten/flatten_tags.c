/* flatten_tags.c: the stored artist.getTopTags answers ->
 * DATA_DIR/interim/lastfm_artist_tags_interim.csv (flatten.h). */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "csv.h"
#include "csvread.h"
#include "exitcodes.h"
#include "flatten.h"
#include "grow.h"
#include "lfmjson.h"
#include "log.h"
#include "monoclock.h"
#include "tagmeta.h"

/* The most tags an answer holds (lastfm-api.md). */
#define MAX_TAGS 100

/* An artist's mbid as the scrobbles CSV has it: on its newest row with one. */
struct artist_mbid {
    char *name, *mbid;
    long row; /* the CSV's rows run newest first */
};

static int by_name_row(const void *a, const void *b)
{
    const struct artist_mbid *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static int by_artist(const void *a, const void *b)
{
    const struct tag_meta *x = a, *y = b;
    int c = strcmp(x->artist, y->artist);
    return c ? c : strcmp(x->file, y->file);
}

static void free_mbids(struct artist_mbid *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].name), free(v[i].mbid);
    free(v);
}

/* The (name, mbid) pairs gathered, each with its row. */
struct mbids {
    struct artist_mbid *v;
    size_t n, cap;
    long row;
};

static int add_mbid(void *opaque, const struct csv_reader *rd)
{
    struct mbids *l = opaque;
    long row = l->row++;
    if (rd->nfields <= STORE_CSV_ARTIST_MBID || rd->field[STORE_CSV_ARTIST_MBID].len == 0)
        return 0;
    const struct csv_field *a = &rd->field[STORE_CSV_ARTIST],
                           *m = &rd->field[STORE_CSV_ARTIST_MBID];
    char *name = strndup(a->ptr, a->len), *mbid = strndup(m->ptr, m->len);
    if (!name || !mbid || grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 0) < 0) {
        free(name), free(mbid);
        return -ENOMEM;
    }
    l->v[l->n++] = (struct artist_mbid){name, mbid, row};
    return 0;
}

/* Each artist's newest non-empty mbid in the CSV: sorted by name, the first of
 * each name the one to use. */
static int read_mbids(struct store *s, struct artist_mbid **ret, size_t *ret_n)
{
    *ret = NULL;
    *ret_n = 0;
    struct mbids l = {0};
    int r = store_interim_each(s, STORE_CSV_NAME, add_mbid, &l);
    if (r == -ENOENT)
        return 0;
    if (r < 0) {
        free_mbids(l.v, l.n);
        return r;
    }
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, by_name_row);
    *ret = l.v;
    *ret_n = l.n;
    return 0;
}

static const char *mbid_of(const struct artist_mbid *v, size_t n, const char *artist)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first entry of the name */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].name, artist) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(v[lo].name, artist) == 0 ? v[lo].mbid : "";
}

/* A tag's count as an integer: a JSON number, or a numeric string (older
 * answers); false for anything else. */
static bool tag_count(struct json_object *c, int64_t *ret)
{
    if (json_object_is_type(c, json_type_int)) {
        *ret = json_object_get_int64(c);
        return true;
    }
    return json_object_is_type(c, json_type_string) &&
           lastfm_parse_number(json_object_get_string(c), ret);
}

/* One answer's rows.  -EBADMSG when it is not a toptags answer. */
static int answer_rows(struct csv_buf *b, const struct tag_meta *m, const char *mbid,
                       const char *body, size_t len, long *ret_rows)
{
    if (m->unknown)
        return 0; /* error 6: no tags */
    struct json_object *root = lastfm_parse_json(body, len, MAX_TAGS + 1), *tt, *tags;
    int r = 0;
    if (!root || !json_object_object_get_ex(root, "toptags", &tt))
        r = -EBADMSG;
    else if (json_object_object_get_ex(tt, "tag", &tags)) {
        bool list = json_object_is_type(tags, json_type_array);
        size_t n = list ? json_object_array_length(tags) : 1;
        char source[96], num[32];
        snprintf(source, sizeof source, STORE_TAGS_DIR "/%s.json", m->file);
        for (size_t i = 0; i < n && r == 0; i++) {
            struct json_object *t = list ? json_object_array_get_idx(tags, i) : tags, *name, *c;
            int64_t count;
            if (!json_object_object_get_ex(t, "name", &name) ||
                !json_object_is_type(name, json_type_string) ||
                !json_object_object_get_ex(t, "count", &c) || !tag_count(c, &count)) {
                r = -EBADMSG;
                break;
            }
            const char *tn = json_object_get_string(name);
            bool ok = csv_append_field(b, m->artist, strlen(m->artist)) &&
                      csv_append_raw(b, ",", 1) && csv_append_field(b, mbid, strlen(mbid)) &&
                      csv_append_raw(b, ",", 1) &&
                      csv_append_field(b, tn, (size_t)json_object_get_string_len(name));
            int k = snprintf(num, sizeof num, ",%" PRId64 ",%zu,", count, i + 1);
            ok = ok && csv_append_raw(b, num, (size_t)k) &&
                 csv_append_field(b, source, strlen(source)) && csv_append_raw(b, "\n", 1);
            if (!ok)
                r = -ENOMEM;
            else
                (*ret_rows)++;
        }
    }
    json_object_put(root);
    return r;
}

bool flatten_tags_needed(struct store *s)
{
    struct stat dir, csv;
    if (store_stage_stat(s, STORE_TAGS_DIR, ".", &dir) < 0)
        return false; /* no answers yet */
    if (store_stage_stat(s, STORE_INTERIM_DIR, STORE_TAGS_CSV_NAME, &csv) < 0)
        return true;
    return csv.st_mtim.tv_sec < dir.st_mtim.tv_sec ||
           (csv.st_mtim.tv_sec == dir.st_mtim.tv_sec && csv.st_mtim.tv_nsec <= dir.st_mtim.tv_nsec);
}

/* The rows of every answer into b (the header first), sorted by artist. */
static int build(struct store *s, struct csv_buf *b, struct flatten_tags_stats *st)
{
    struct tag_meta *metas;
    size_t n, bad;
    struct artist_mbid *mb;
    size_t nmb;
    int r = store_list_tags(s, &metas, &n, &bad);
    if (r < 0) {
        log_err("cannot read %s/%s: %s", store_data_dir(s), STORE_TAGS_DIR, strerror(-r));
        return EXIT_IOERR;
    }
    if ((r = read_mbids(s, &mb, &nmb)) < 0) {
        tagmeta_free_list(metas, n);
        log_err("cannot read %s/%s/%s: %s", store_data_dir(s), STORE_INTERIM_DIR, STORE_CSV_NAME,
                strerror(-r));
        return r == -ENOMEM ? EXIT_TEMPFAIL : EXIT_DATAERR;
    }
    if (n)
        qsort(metas, n, sizeof *metas, by_artist);
    int code = EXIT_DONE;
    if (!csv_append_raw(b, STORE_TAGS_CSV_HEADER "\n", sizeof STORE_TAGS_CSV_HEADER))
        code = EXIT_TEMPFAIL;
    int fd = code ? -1 : store_stage_dir(s, STORE_TAGS_DIR);
    for (size_t i = 0; i < n && fd >= 0; i++) {
        char name[80], *body = NULL;
        size_t len;
        snprintf(name, sizeof name, "%s.json", metas[i].file);
        r = store_read_file(fd, name, STORE_MAX_PAGE_BYTES, &body, &len);
        if (r == 0)
            r = answer_rows(b, &metas[i], mbid_of(mb, nmb, metas[i].artist), body, len, &st->rows);
        free(body);
        if (r == -ENOMEM) {
            code = EXIT_TEMPFAIL;
            break;
        }
        if (r < 0) { /* moved aside by nobody: it is asked again when its meta goes */
            log_warn("%s/%s/%s is not a tags answer (%s): left out of the tags CSV; delete it "
                     "and its .meta to fetch it again",
                     store_data_dir(s), STORE_TAGS_DIR, name, strerror(-r));
            continue;
        }
        st->artists++;
    }
    if (fd >= 0)
        close(fd);
    tagmeta_free_list(metas, n);
    free_mbids(mb, nmb);
    return code;
}

int flatten_tags_run(struct store *s, struct flatten_tags_stats *ret)
{
    double t0 = mono_now();
    memset(ret, 0, sizeof *ret);
    struct csv_buf b = {0};
    int code = build(s, &b, ret);
    char path[4200];
    store_stage_path(s, STORE_INTERIM_DIR, STORE_TAGS_CSV_NAME, path, sizeof path);
    int dir = code ? -1 : store_stage_dir(s, STORE_INTERIM_DIR);
    int r = code ? 0 : dir < 0 ? dir : store_atomic_write(dir, STORE_TAGS_CSV_NAME, b.data, b.len);
    if (dir >= 0)
        close(dir);
    csv_buf_free(&b);
    if (code == EXIT_TEMPFAIL)
        log_err("out of memory writing %s: nothing was written", path);
    if (!code && r < 0) {
        log_err("cannot write %s: %s: free space or fix permissions", path, strerror(-r));
        code = EXIT_IOERR;
    }
    ret->seconds = mono_now() - t0;
    return code;
}
