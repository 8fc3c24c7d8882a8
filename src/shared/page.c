/* page.c: raw page -> scrobble rows. */
#include "autoconfig.h"

#include <errno.h>
#include <stdbool.h>

#include <json-c/json.h>

#include "lfmjson.h"
#include "page.h"

static const char *text_or_empty(const char *s) { return s ? s : ""; }

/* The name of an {"#text":...} or extended {"name":...} object. */
static const char *sub_text(struct json_object *item, const char *key, bool allow_name)
{
    struct json_object *o;
    if (!json_object_object_get_ex(item, key, &o))
        return "";
    if (json_object_is_type(o, json_type_string))
        return json_object_get_string(o);
    const char *t = lastfm_string(o, "#text");
    if (!t && allow_name)
        t = lastfm_string(o, "name");
    return text_or_empty(t);
}

static const char *sub_mbid(struct json_object *item, const char *key)
{
    struct json_object *o;
    if (!json_object_object_get_ex(item, key, &o))
        return "";
    return text_or_empty(lastfm_string(o, "mbid"));
}

int page_parse(const char *body, size_t len, page_row_fn fn, void *opaque, const char **ret_why)
{
    const char *why = NULL;
    int r = 0;
    struct json_object *root = lastfm_parse_json(body, len, 0);
    if (!root) {
        *ret_why = "not complete JSON";
        return -EINVAL;
    }
    bool has_page;
    struct json_object *tracks = lastfm_page_tracks(root, &has_page);
    if (!has_page) {
        why = "no recenttracks object";
        goto out;
    }
    size_t n = lastfm_item_count(tracks);
    for (size_t i = 0; i < n; i++) {
        struct json_object *item = lastfm_item_at(tracks, i), *date;
        if (!json_object_is_type(item, json_type_object)) {
            why = "an item is not an object";
            goto out;
        }
        if (lastfm_item_is_now_playing(item))
            continue;
        struct page_row row;
        if (!json_object_object_get_ex(item, "date", &date) ||
            !lastfm_parse_number(lastfm_string(date, "uts"), &row.uts) || row.uts < 0 ||
            row.uts > LASTFM_MAX_UTS) {
            why = "a scrobble has no valid date.uts";
            goto out;
        }
        row.track = text_or_empty(lastfm_string(item, "name"));
        row.artist = sub_text(item, "artist", true);
        row.album = sub_text(item, "album", false);
        row.track_mbid = text_or_empty(lastfm_string(item, "mbid"));
        row.artist_mbid = sub_mbid(item, "artist");
        row.album_mbid = sub_mbid(item, "album");
        if ((r = fn(opaque, &row)) != 0)
            break;
    }
out:
    json_object_put(root);
    if (why) {
        *ret_why = why;
        return -EINVAL;
    }
    return r;
}
