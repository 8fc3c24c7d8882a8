/* lastfm.c: request URLs and response classification for user.getRecentTracks. */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "lastfm.h"

#define JSON_MAX_DEPTH 64

static bool append_param(CURLU *u, const char *key, const char *value)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s=%s", key, value);
    if (n < 0 || (size_t)n >= sizeof buf)
        return false;
    return curl_url_set(u, CURLUPART_QUERY, buf, CURLU_APPENDQUERY | CURLU_URLENCODE) ==
           CURLUE_OK;
}

char *lastfm_build_url(const struct lastfm_query *q)
{
    char num[32];
    char *out = NULL;
    CURLU *u = curl_url();
    if (!u)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, q->api_url, 0) != CURLUE_OK)
        goto done;
    /* The base URL may not carry a query of its own: ours is the only one. */
    if (curl_url_set(u, CURLUPART_QUERY, NULL, 0) != CURLUE_OK)
        goto done;
    if (!append_param(u, "method", "user.getrecenttracks") ||
        !append_param(u, "user", q->user) ||
        !append_param(u, "api_key", q->api_key ? q->api_key : "REDACTED") ||
        !append_param(u, "format", "json"))
        goto done;
    snprintf(num, sizeof num, "%ld", q->limit);
    if (!append_param(u, "limit", num))
        goto done;
    snprintf(num, sizeof num, "%ld", q->page);
    if (!append_param(u, "page", num))
        goto done;
    if (q->from >= 0) {
        snprintf(num, sizeof num, "%" PRId64, q->from);
        if (!append_param(u, "from", num))
            goto done;
    }
    if (q->to >= 0) {
        snprintf(num, sizeof num, "%" PRId64, q->to);
        if (!append_param(u, "to", num))
            goto done;
    }
    char *tmp = NULL;
    if (curl_url_get(u, CURLUPART_URL, &tmp, 0) == CURLUE_OK) {
        out = strdup(tmp);
        curl_free(tmp);
    }
done:
    curl_url_cleanup(u);
    return out;
}

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
                i++;   /* the escaped byte cannot end the string */
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

/* ---- classification ---- */

static void set(struct lastfm_result *r, enum lastfm_verdict v, int code, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
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
    case 16:
        set(r, LFM_RETRY, 0, "Last.fm error %d (%s), HTTP %ld", code, text, status);
        return;
    case 29:
        set(r, LFM_RETRY_SLOW, 0, "Last.fm error 29 (rate limit exceeded), HTTP %ld", status);
        return;
    case 6:
        set(r, LFM_FATAL, EXIT_CONFIG,
            "Last.fm error 6 (%s) for user '%s': check LASTFM_USERNAME", text, user);
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
            set(r, LFM_RETRY, 0, "Last.fm error %d (%s), HTTP %ld: not known to be final; if "
                "it persists, check LASTFM_API_URL", code, text, status);
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

void lastfm_classify(long status, const char *body, size_t len, long expected_page, long limit,
                     const char *user, struct lastfm_result *r)
{
    memset(r, 0, sizeof *r);
    if (limit <= 0 || limit > LASTFM_MAX_LIMIT)
        limit = LASTFM_MAX_LIMIT;
    /* Refused before json-c builds a tree: a page holds at most `limit` items
     * and one now-playing item, and each item has a bounded shape. */
    if (!lastfm_json_bounded(body, len, limit + 1)) {
        set(r, LFM_RETRY, 0, "HTTP %ld with a body of %zu bytes that holds more JSON values "
            "than a page of %ld items can: not stored", status, len, limit);
        return;
    }
    struct json_object *root = lastfm_parse_json(body, len, limit + 1);

    /* An error body wins whatever the HTTP status. */
    struct json_object *err;
    if (root && json_object_is_type(root, json_type_object) &&
        json_object_object_get_ex(root, "error", &err)) {
        const char *msg = lastfm_string(root, "message");
        int code = error_code(err, &msg);
        classify_error(r, status, code, msg, user);
        json_object_put(root);
        return;
    }
    if (status == 429) {
        set(r, LFM_RETRY_SLOW, 0, "HTTP 429 (too many requests)");
        goto out;
    }
    if (status >= 500 || status == 408) {
        set(r, LFM_RETRY, 0, "HTTP %ld%s", status, root ? "" : " with a non-JSON body");
        goto out;
    }
    if (status != 200) {
        /* A redirect or an error page from a proxy or a CDN is not the API
         * speaking: not a configuration error, and it may pass. */
        r->min_delay = LONG_RETRY_SECONDS;
        set(r, LFM_RETRY, 0, "HTTP %ld without a Last.fm error body (a proxy's or CDN's "
            "answer?): if it persists, check LASTFM_API_URL (the 2.0 endpoint)", status);
        goto out;
    }
    if (!root) {
        set(r, LFM_RETRY, 0, "HTTP 200 with a body that is not complete JSON (%zu bytes)", len);
        goto out;
    }
    bool has_page;
    struct json_object *tracks = lastfm_page_tracks(root, &has_page);
    struct json_object *rt, *attr;
    if (!has_page || !json_object_object_get_ex(root, "recenttracks", &rt) ||
        !json_object_object_get_ex(rt, "@attr", &attr)) {
        set(r, LFM_RETRY, 0, "HTTP 200 but the body holds no recenttracks page");
        goto out;
    }
    int64_t page, total_pages, total, per_page;
    if (!attr_number(r, attr, "page", INT32_MAX, &page) ||
        !attr_number(r, attr, "totalPages", 10000000, &total_pages) ||
        !attr_number(r, attr, "total", 2000000000, &total) ||
        !attr_number(r, attr, "perPage", INT32_MAX, &per_page))
        goto out;
    if (page != expected_page) {
        set(r, LFM_RETRY, 0, "asked for page %ld, got page %" PRId64, expected_page, page);
        goto out;
    }
    r->page = (long)page;
    r->total_pages = (long)total_pages;
    r->total = (long)total;
    r->per_page = (long)per_page;
    size_t n = lastfm_item_count(tracks);
    if (n > (size_t)limit + 1) {
        set(r, LFM_RETRY, 0, "page %ld holds %zu items, more than the %ld asked for (and one "
            "now playing): not stored", expected_page, n, limit);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct json_object *item = lastfm_item_at(tracks, i), *date;
        int64_t uts;
        if (!json_object_is_type(item, json_type_object)) {
            set(r, LFM_RETRY, 0, "page %ld: item %zu is not an object", expected_page, i);
            goto out;
        }
        if (lastfm_item_is_now_playing(item)) {
            r->now_playing = true;
            continue;
        }
        if (!json_object_object_get_ex(item, "date", &date) ||
            !lastfm_parse_number(lastfm_string(date, "uts"), &uts) || uts < 0 ||
            uts > LASTFM_MAX_UTS) {
            set(r, LFM_RETRY, 0, "page %ld: item %zu has no valid date.uts", expected_page, i);
            goto out;
        }
        r->scrobbles++;
    }
    if (r->scrobbles > limit) {
        set(r, LFM_RETRY, 0, "page %ld holds %ld scrobbles, more than the %ld asked for: not "
            "stored", expected_page, r->scrobbles, limit);
        goto out;
    }
    set(r, LFM_OK, 0, "page %ld/%ld, %ld scrobbles", r->page, r->total_pages, r->scrobbles);
out:
    json_object_put(root);
}
