/* tagmeta.c: a stored tags answer's meta file <-> JSON, and the listing of
 * DATA_DIR/tags. */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "grow.h"
#include "lfmjson.h"
#include "tagmeta.h"

#define TAGMETA_FORMAT 1

char *tagmeta_to_json(const struct tag_meta *m, size_t *ret_len)
{
    struct json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "format", json_object_new_int(TAGMETA_FORMAT));
    json_object_object_add(o, "method", json_object_new_string("artist.getTopTags"));
    json_object_object_add(o, "artist", json_object_new_string(m->artist));
    json_object_object_add(o, "fetched_at", json_object_new_int64(m->fetched_at));
    json_object_object_add(o, "http_status", json_object_new_int64(m->http_status));
    json_object_object_add(o, "unknown_artist", json_object_new_boolean(m->unknown));
    json_object_object_add(o, "tags", json_object_new_int64(m->tags));
    return lastfm_json_file_text(o, ret_len);
}

bool tagmeta_parse(const char *text, size_t len, struct tag_meta *ret, const char **ret_why)
{
    memset(ret, 0, sizeof *ret);
    struct json_object *o = lastfm_parse_json(text, len, 1), *v;
    int64_t format, at, status, tags;
    const char *why = NULL;
    if (!o || !json_object_is_type(o, json_type_object))
        why = "not a JSON object";
    else if (!lastfm_json_int(o, "format", TAGMETA_FORMAT, TAGMETA_FORMAT, &format))
        why = "no known format";
    else if (!json_object_object_get_ex(o, "artist", &v) ||
             !json_object_is_type(v, json_type_string))
        why = "no artist";
    else if (!lastfm_json_int(o, "fetched_at", 0, LASTFM_MAX_UTS, &at) ||
             !lastfm_json_int(o, "http_status", 100, 599, &status) ||
             !lastfm_json_int(o, "tags", 0, 100, &tags))
        why = "a number is missing or out of range";
    else if (!json_object_object_get_ex(o, "unknown_artist", &v) ||
             !json_object_is_type(v, json_type_boolean))
        why = "no unknown_artist";
    if (!why) {
        ret->unknown = json_object_get_boolean(v);
        json_object_object_get_ex(o, "artist", &v);
        ret->artist = strdup(json_object_get_string(v));
        ret->fetched_at = at;
        ret->http_status = (long)status;
        ret->tags = (long)tags;
        if (!ret->artist)
            why = "out of memory";
    }
    json_object_put(o);
    if (why && ret_why)
        *ret_why = why;
    return !why;
}

void tagmeta_free(struct tag_meta *m)
{
    free(m->artist);
    m->artist = NULL;
}

void tagmeta_free_list(struct tag_meta *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tagmeta_free(&list[i]);
    free(list);
}

/* What store_list_tags() gathers while walking tags/. */
struct tag_list {
    struct tag_meta *v;
    size_t n, cap, bad;
};

static bool hex_name(const char *name, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return false;
    return true;
}

static int list_one(void *opaque, int fd, const char *name, unsigned char type)
{
    struct tag_list *l = opaque;
    if (strlen(name) != 64 + 5 || strcmp(name + 64, ".meta") != 0 || !hex_name(name, 64))
        return 0;
    char *text = NULL, answer[80];
    size_t len;
    struct tag_meta m;
    snprintf(answer, sizeof answer, "%.64s.json", name);
    bool ok =
        store_read_file(fd, name, 1 << 20, &text, &len) == 0 && tagmeta_parse(text, len, &m, NULL);
    free(text);
    if (ok && faccessat(fd, answer, F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
        tagmeta_free(&m); /* the answer is gone: fetched again */
        ok = false;
    }
    if (!ok) {
        l->bad++;
        return 0;
    }
    memcpy(m.file, name, 64);
    m.file[64] = '\0';
    if (grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 0) < 0) {
        tagmeta_free(&m);
        return -ENOMEM;
    }
    l->v[l->n++] = m;
    return 0;
}

static int by_file(const void *a, const void *b)
{
    return strcmp(((const struct tag_meta *)a)->file, ((const struct tag_meta *)b)->file);
}

int store_list_tags(struct store *s, struct tag_meta **ret, size_t *ret_n, size_t *ret_bad)
{
    struct tag_list l = {0};
    *ret = NULL;
    *ret_n = *ret_bad = 0;
    struct stat st;
    if (store_stage_stat(s, STORE_TAGS_DIR, ".", &st) == -ENOENT)
        return 0;
    int fd = store_stage_dir(s, STORE_TAGS_DIR);
    if (fd < 0)
        return fd;
    int r = store_walk(fd, list_one, &l);
    close(fd);
    if (r < 0) {
        tagmeta_free_list(l.v, l.n);
        return r;
    }
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, by_file);
    *ret = l.v;
    *ret_n = l.n;
    *ret_bad = l.bad;
    return 0;
}
