/* lfmjson.h: the JSON side of a Last.fm page, pure and curl-free: the bounded
 * parse, the tracks of a page, numbers as Last.fm writes them.  Shared by the
 * classifier (lastfm.c), the flattener (page.c) and the manifests. */
#ifndef LASTFM_LFMJSON_H
#define LASTFM_LFMJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest `limit` the API accepts for this method. */
#define LASTFM_MAX_LIMIT 1000
/* Upper bounds of one item's JSON shape, with room to spare: a real extended
 * item has about 14 objects/arrays and 30 commas.  A body with more than
 * items * these (plus a little for the envelope) is refused unparsed. */
#define LASTFM_JSON_CONTAINERS_PER_ITEM 32
#define LASTFM_JSON_COMMAS_PER_ITEM 128

/* date.uts accepted in a scrobble: 1970-01-01 .. 9999-12-31T23:59:59Z, so that
 * every stored scrobble has an ISO 8601 time.  Anything else is a bad page. */
#define LASTFM_MAX_UTS INT64_C(253402300799)
/* 2002-10-01T00:00:00Z: Last.fm (Audioscrobbler) did not exist before; a
 * clock that reads earlier is wrong. */
#define LASTFM_FIRST_UTS INT64_C(1033430400)

/* Strict decimal parse of a Last.fm number (a JSON string such as "731").
 * Returns false for anything else, including overflow and trailing bytes. */
bool lastfm_parse_number(const char *s, int64_t *ret);

struct json_object;

/* Parse a whole body with json-c's tokener (nesting capped at 64).  NULL if it
 * is not exactly one JSON value (cut off, trailing bytes, too deep) or holds
 * more than lastfm_json_bounded() allows. */
struct json_object *lastfm_parse_json(const char *body, size_t len, long max_items);

/* The files this project writes as JSON (a manifest, a tags answer's meta):
 * o as pretty text ending in a newline, malloc'd (*ret_len), and o released;
 * NULL when out of memory.  Reading one back: the integer member `key` of o
 * within lo..hi into *ret, or false. */
char *lastfm_json_file_text(struct json_object *o, size_t *ret_len);
bool lastfm_json_int(struct json_object *o, const char *key, int64_t lo, int64_t hi, int64_t *ret);

/* Would the JSON in `body` fit in a page of `max_items` items?  Counts the
 * objects, arrays and commas outside strings, without building anything: the
 * bound on what json-c may allocate for any body.  max_items <= 0 means the
 * largest page the API serves (LASTFM_MAX_LIMIT + 1). */
bool lastfm_json_bounded(const char *body, size_t len, long max_items);

/* recenttracks.track of a parsed page: an array, a bare object (one item), or
 * absent.  NULL if the body is not a recenttracks page. */
struct json_object *lastfm_page_tracks(struct json_object *root, bool *ret_has_page);

/* Items of `tracks` whatever its shape: count and i-th item. */
size_t lastfm_item_count(struct json_object *tracks);
struct json_object *lastfm_item_at(struct json_object *tracks, size_t i);

/* True for the now-playing item ("@attr":{"nowplaying":"true"}). */
bool lastfm_item_is_now_playing(struct json_object *item);

/* The string value at key (or a number's text); NULL when absent or neither. */
const char *lastfm_string(struct json_object *obj, const char *key);

#endif
