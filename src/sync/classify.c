/* classify.c: a getRecentTracks or getTopTags response -> keep, retry, or stop. */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "classify_int.h"

static void set(struct lastfm_result *r, enum lastfm_verdict v, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set(struct lastfm_result *r, enum lastfm_verdict v, int code, const char *fmt, ...)
{
    va_list ap;
    r->verdict = v;
    r->exit_code = code;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
}

/* Copy a server message into a log-safe form: printable ASCII, bounded. */
static void safe_text(char *dst, size_t size, const char *src)
{
    size_t j = 0;
    for (size_t i = 0; src && src[i] && j + 1 < size && i < 120; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[j++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    dst[j] = '\0';
}

/* The answer did not come from the API as we know it (a proxy's or a CDN's
 * page, a code we do not know): retried, but slowly. */
#define LONG_RETRY_SECONDS 60.0

static void classify_error(struct lastfm_result *r, long status, int code, const char *msg,
                           const char *user)
{
    char text[128];
    safe_text(text, sizeof text, msg ? msg : "");
    r->lastfm_error = code;
    switch (code) {
    case 8:
    case 11:
    case 16: set(r, LFM_RETRY, 0, "Last.fm error %d (%s), HTTP %ld", code, text, status); return;
    case 29:
        set(r, LFM_RETRY_SLOW, 0, "Last.fm error 29 (rate limit exceeded), HTTP %ld", status);
        return;
    case 6:
        set(r, LFM_FATAL, EXIT_CONFIG, "Last.fm error 6 (%s) for user '%s': check LASTFM_USERNAME",
            text, user);
        return;
    case 10:
        set(r, LFM_FATAL, EXIT_CONFIG,
            "Last.fm error 10 (invalid API key): set LASTFM_API_KEY to the key of your API "
            "account at https://www.last.fm/api/accounts");
        return;
    case 26:
        set(r, LFM_FATAL, EXIT_CONFIG,
            "Last.fm error 26 (suspended API key): create a new API account at "
            "https://www.last.fm/api/account/create and set LASTFM_API_KEY");
        return;
    case 17:
        set(r, LFM_FATAL, EXIT_PRIVATE,
            "Last.fm error 17 (login required): user '%s' hides their listening history; "
            "untick 'Hide recent listening information' in the Last.fm privacy settings",
            user);
        return;
    default:
        /* Only the codes above are known to be final: anything else may pass. */
        r->min_delay = LONG_RETRY_SECONDS;
        if (code < 0)
            set(r, LFM_RETRY, 0, "HTTP %ld with an error body that holds no error code (%s)",
                status, text);
        else
            set(r, LFM_RETRY, 0,
                "Last.fm error %d (%s), HTTP %ld: not known to be final; if "
                "it persists, check LASTFM_API_URL",
                code, text, status);
    }
}

/* The code of an "error" member in any of its forms: a number, a numeric
 * string, or GNU FM's object {"code":"7","#text":"..."}.  -1 when none. */
static int error_code(struct json_object *err, const char **ret_msg)
{
    int64_t code;
    const char *text = NULL;
    if (json_object_is_type(err, json_type_object)) {
        text = lastfm_string(err, "code");
        *ret_msg = lastfm_string(err, "#text");
    } else if (json_object_is_type(err, json_type_int) ||
               json_object_is_type(err, json_type_string)) {
        text = json_object_get_string(err);
    }
    if (!text || !lastfm_parse_number(text, &code) || code <= 0 || code >= 1000)
        return -1;
    return (int)code;
}

/* The number at @attr.key, named in the message when it is not valid. */
static bool attr_number(struct lastfm_result *r, struct json_object *attr, const char *key,
                        int64_t max, int64_t *ret)
{
    if (lastfm_parse_number(lastfm_string(attr, key), ret) && *ret >= 0 && *ret <= max)
        return true;
    set(r, LFM_RETRY, 0, "HTTP 200 but recenttracks.@attr.%s is missing or not a valid number",
        key);
    return false;
}

/* A status that is not 200, or a 200 whose body is not JSON: the verdict set,
 * true.  False for a 200 with JSON. */
static bool classify_status(struct lastfm_result *r, long status, bool json, size_t len)
{
    if (status == 429) {
        set(r, LFM_RETRY_SLOW, 0, "HTTP 429 (too many requests)");
        return true;
    }
    if (status >= 500 || status == 408) {
        set(r, LFM_RETRY, 0, "HTTP %ld%s", status, json ? "" : " with a non-JSON body");
        return true;
    }
    if (status != 200) {
        /* A redirect or an error page from a proxy or a CDN is not the API
         * speaking: not a configuration error, and it may pass. */
        r->min_delay = LONG_RETRY_SECONDS;
        set(r, LFM_RETRY, 0,
            "HTTP %ld without a Last.fm error body (a proxy's or CDN's "
            "answer?): if it persists, check LASTFM_API_URL (the 2.0 endpoint)",
            status);
        return true;
    }
    if (!json) {
        set(r, LFM_RETRY, 0, "HTTP 200 with a body that is not complete JSON (%zu bytes)", len);
        return true;
    }
    return false;
}

/* The page's items counted into r->scrobbles and r->now_playing: false, with
 * the verdict set, when one is not an object or a scrobble has no valid
 * date.uts. */
static bool count_items(struct lastfm_result *r, struct json_object *tracks, long expected_page)
{
    size_t n = lastfm_item_count(tracks);
    int64_t before = INT64_MAX;
    for (size_t i = 0; i < n; i++) {
        struct json_object *item = lastfm_item_at(tracks, i), *date;
        int64_t uts;
        if (!json_object_is_type(item, json_type_object)) {
            set(r, LFM_RETRY, 0, "page %ld: item %zu is not an object", expected_page, i);
            return false;
        }
        if (lastfm_item_is_now_playing(item)) {
            r->now_playing = true;
            continue;
        }
        if (!json_object_object_get_ex(item, "date", &date) ||
            !lastfm_parse_number(lastfm_string(date, "uts"), &uts) || uts < 0 ||
            uts > LASTFM_MAX_UTS) {
            set(r, LFM_RETRY, 0, "page %ld: item %zu has no valid date.uts", expected_page, i);
            return false;
        }
        if (uts > before) {
            /* The API's pages run newest first, inside a page and across. */
            set(r, LFM_RETRY, 0,
                "page %ld is not the page asked for: item %zu is newer than the one before "
                "(the scrobbles are not newest first)",
                expected_page, i);
            return false;
        }
        before = uts;
        r->scrobbles++;
    }
    return true;
}

/* A 200 with a JSON body and no error member: a page of at most `limit`
 * scrobbles, the one asked for, with valid numbers in its @attr. */
static void classify_page(struct lastfm_result *r, struct json_object *root, long expected_page,
                          long limit)
{
    bool has_page;
    struct json_object *tracks = lastfm_page_tracks(root, &has_page);
    struct json_object *rt, *attr;
    if (!has_page || !json_object_object_get_ex(root, "recenttracks", &rt) ||
        !json_object_object_get_ex(rt, "@attr", &attr)) {
        set(r, LFM_RETRY, 0, "HTTP 200 but the body holds no recenttracks page");
        return;
    }
    int64_t page, total_pages, total, per_page;
    if (!attr_number(r, attr, "page", INT32_MAX, &page) ||
        !attr_number(r, attr, "totalPages", 10000000, &total_pages) ||
        !attr_number(r, attr, "total", 2000000000, &total) ||
        !attr_number(r, attr, "perPage", INT32_MAX, &per_page))
        return;
    if (page != expected_page) {
        set(r, LFM_RETRY, 0, "asked for page %ld, got page %" PRId64, expected_page, page);
        return;
    }
    r->page = (long)page;
    r->total_pages = (long)total_pages;
    r->total = (long)total;
    r->per_page = (long)per_page;
    size_t n = lastfm_item_count(tracks);
    if (n > (size_t)limit + 1) {
        set(r, LFM_RETRY, 0,
            "page %ld holds %zu items, more than the %ld asked for (and one "
            "now playing): not stored",
            expected_page, n, limit);
        return;
    }
    if (!count_items(r, tracks, expected_page))
        return;
    if (r->scrobbles > limit) {
        set(r, LFM_RETRY, 0,
            "page %ld holds %ld scrobbles, more than the %ld asked for: not "
            "stored",
            expected_page, r->scrobbles, limit);
        return;
    }
    set(r, LFM_OK, 0, "page %ld/%ld, %ld scrobbles", r->page, r->total_pages, r->scrobbles);
}

void lastfm_classify(long status, const char *body, size_t len, long expected_page, long limit,
                     const char *user, struct lastfm_result *r)
{
    memset(r, 0, sizeof *r);
    if (limit <= 0 || limit > LASTFM_MAX_LIMIT)
        limit = LASTFM_MAX_LIMIT;
    /* Refused before json-c builds a tree: a page holds at most `limit` items
     * and one now-playing item, and each item has a bounded shape. */
    if (!lastfm_json_bounded(body, len, limit + 1)) {
        set(r, LFM_RETRY, 0,
            "HTTP %ld with a body of %zu bytes that holds more JSON values "
            "than a page of %ld items can: not stored",
            status, len, limit);
        return;
    }
    struct json_object *root = lastfm_parse_json(body, len, limit + 1);
    /* An error body wins whatever the HTTP status. */
    struct json_object *err;
    if (root && json_object_is_type(root, json_type_object) &&
        json_object_object_get_ex(root, "error", &err)) {
        const char *msg = lastfm_string(root, "message");
        int code = error_code(err, &msg); /* GNU FM's object has its own text */
        classify_error(r, status, code, msg, user);
    } else if (!classify_status(r, status, root != NULL, len)) {
        classify_page(r, root, expected_page, limit);
    }
    json_object_put(root);
}

/* The most tags one answer holds (lastfm-api.md: up to 100). */
#define LASTFM_MAX_TAGS 100

/* toptags of a 200 without an error member: "tag" an array of {name, count},
 * a bare object (one tag), or absent with "#text" (no tags, older answers). */
static void classify_toptags(struct lastfm_result *r, struct json_object *root, const char *artist)
{
    struct json_object *tt, *tags;
    if (!json_object_object_get_ex(root, "toptags", &tt) ||
        !json_object_is_type(tt, json_type_object)) {
        set(r, LFM_RETRY, 0, "HTTP 200 but the body holds no toptags");
        return;
    }
    if (!json_object_object_get_ex(tt, "tag", &tags)) {
        set(r, LFM_OK, 0, "no tags for the artist");
        return;
    }
    size_t n = json_object_is_type(tags, json_type_array)    ? json_object_array_length(tags)
               : json_object_is_type(tags, json_type_object) ? 1
                                                             : SIZE_MAX;
    if (n == SIZE_MAX || n > LASTFM_MAX_TAGS) {
        set(r, LFM_RETRY, 0, "toptags.tag is not a list of at most %d tags", LASTFM_MAX_TAGS);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct json_object *t = json_object_is_type(tags, json_type_array)
                                    ? json_object_array_get_idx(tags, i)
                                    : tags,
                           *count, *name;
        if (!json_object_is_type(t, json_type_object) ||
            !json_object_object_get_ex(t, "name", &name) ||
            !json_object_is_type(name, json_type_string) ||
            !json_object_object_get_ex(t, "count", &count) ||
            !(json_object_is_type(count, json_type_int) ||
              json_object_is_type(count, json_type_string))) {
            set(r, LFM_RETRY, 0, "tag %zu of the answer has no name or count", i);
            return;
        }
    }
    r->tags = (long)n;
    (void)artist;
    set(r, LFM_OK, 0, "%zu tags", n);
}

void lastfm_classify_tags(long status, const char *body, size_t len, const char *artist,
                          struct lastfm_result *r)
{
    memset(r, 0, sizeof *r);
    /* A tag is smaller than a page's item: the page bound holds it. */
    if (!lastfm_json_bounded(body, len, LASTFM_MAX_TAGS + 1)) {
        set(r, LFM_RETRY, 0, "HTTP %ld with a body of %zu bytes: more than 100 tags can be", status,
            len);
        return;
    }
    struct json_object *root = lastfm_parse_json(body, len, LASTFM_MAX_TAGS + 1);
    struct json_object *err;
    if (root && json_object_is_type(root, json_type_object) &&
        json_object_object_get_ex(root, "error", &err)) {
        const char *msg = lastfm_string(root, "message");
        int code = error_code(err, &msg);
        if (code == 6) {
            /* An artist Last.fm does not know: an answer to keep (no tags). */
            r->lastfm_error = 6;
            r->unknown_artist = true;
            set(r, LFM_OK, 0, "unknown to Last.fm (error 6), HTTP %ld", status);
        } else {
            classify_error(r, status, code, msg, "");
        }
    } else if (!classify_status(r, status, root != NULL, len)) {
        classify_toptags(r, root, artist);
    }
    json_object_put(root);
}
