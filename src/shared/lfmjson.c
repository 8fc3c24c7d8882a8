/* lfmjson.c: the JSON side of a Last.fm page (json-c, no curl). */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lfmjson.h"

#define JSON_MAX_DEPTH 64

bool lastfm_parse_number(const char *s, int64_t *ret)
{
    if (!s || !*s)
        return false;
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *ret = v;
    return true;
}

bool lastfm_json_bounded(const char *body, size_t len, long max_items)
{
    if (max_items <= 0 || max_items > LASTFM_MAX_LIMIT + 1)
        max_items = LASTFM_MAX_LIMIT + 1;
    size_t max_containers = (size_t)max_items * LASTFM_JSON_CONTAINERS_PER_ITEM + 64;
    size_t max_commas = (size_t)max_items * LASTFM_JSON_COMMAS_PER_ITEM + 256;
    size_t containers = 0, commas = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = body[i];
        if (in_string) {
            if (c == '\\')
                i++; /* the escaped byte cannot end the string */
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++containers > max_containers)
                return false;
        } else if (c == ',') {
            if (++commas > max_commas)
                return false;
        }
    }
    return true;
}

struct json_object *lastfm_parse_json(const char *body, size_t len, long max_items)
{
    if (len > (size_t)INT32_MAX || !lastfm_json_bounded(body, len, max_items))
        return NULL;
    struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH);
    if (!tok)
        return NULL;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    struct json_object *root = json_tokener_parse_ex(tok, body, (int)len);
    if (root) {
        /* The value must be followed by nothing but whitespace. */
        for (size_t i = json_tokener_get_parse_end(tok); i < len; i++) {
            char c = body[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                json_object_put(root);
                root = NULL;
                break;
            }
        }
    } else if (json_tokener_get_error(tok) == json_tokener_continue) {
        /* Cut off mid-way: json-c kept a partial value; no result. */
        root = NULL;
    }
    json_tokener_free(tok);
    return root;
}

const char *lastfm_string(struct json_object *obj, const char *key)
{
    struct json_object *v;
    if (!obj || !json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, key, &v))
        return NULL;
    if (json_object_is_type(v, json_type_string) || json_object_is_type(v, json_type_int))
        return json_object_get_string(v);
    return NULL;
}

struct json_object *lastfm_page_tracks(struct json_object *root, bool *ret_has_page)
{
    struct json_object *rt, *tracks = NULL;
    *ret_has_page = false;
    if (!json_object_is_type(root, json_type_object) ||
        !json_object_object_get_ex(root, "recenttracks", &rt) ||
        !json_object_is_type(rt, json_type_object))
        return NULL;
    *ret_has_page = true;
    if (json_object_object_get_ex(rt, "track", &tracks) &&
        (json_object_is_type(tracks, json_type_array) ||
         json_object_is_type(tracks, json_type_object)))
        return tracks;
    return NULL;
}

size_t lastfm_item_count(struct json_object *tracks)
{
    if (!tracks)
        return 0;
    if (json_object_is_type(tracks, json_type_array))
        return json_object_array_length(tracks);
    return json_object_is_type(tracks, json_type_object) ? 1 : 0;
}

struct json_object *lastfm_item_at(struct json_object *tracks, size_t i)
{
    if (json_object_is_type(tracks, json_type_array))
        return json_object_array_get_idx(tracks, i);
    return i == 0 ? tracks : NULL;
}

bool lastfm_item_is_now_playing(struct json_object *item)
{
    struct json_object *attr;
    if (!json_object_object_get_ex(item, "@attr", &attr))
        return false;
    const char *np = lastfm_string(attr, "nowplaying");
    return np && strcmp(np, "true") == 0;
}

char *lastfm_json_file_text(struct json_object *o, size_t *ret_len)
{
    size_t len;
    const char *s = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    char *out = s ? malloc(len + 2) : NULL;
    if (out) {
        memcpy(out, s, len);
        out[len++] = '\n';
        out[len] = '\0';
        *ret_len = len;
    }
    json_object_put(o);
    return out;
}

bool lastfm_json_int(struct json_object *o, const char *key, int64_t lo, int64_t hi, int64_t *ret)
{
    struct json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
        return false;
    int64_t x = json_object_get_int64(v);
    if (x < lo || x > hi)
        return false;
    *ret = x;
    return true;
}
