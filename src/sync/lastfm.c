/* lastfm.c: user.getRecentTracks request URLs and the API URL check (curl URL API). */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "lastfm.h"

static bool append_param(CURLU *u, const char *key, const char *value)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s=%s", key, value);
    if (n < 0 || (size_t)n >= sizeof buf)
        return false;
    return curl_url_set(u, CURLUPART_QUERY, buf, CURLU_APPENDQUERY | CURLU_URLENCODE) == CURLUE_OK;
}

static bool host_is_loopback(const char *host)
{
    return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
           strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0;
}

bool lastfm_check_api_url(const char *url, bool *ret_loopback, char *why, size_t size)
{
    char *scheme = NULL, *host = NULL;
    bool ok = false;
    CURLU *u = curl_url();
    if (!u) {
        snprintf(why, size, "out of memory");
        return false;
    }
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        snprintf(why, size, "'%.100s' is not a URL: use https://ws.audioscrobbler.com/2.0/", url);
    } else if (strcmp(scheme, "https") == 0) {
        *ret_loopback = host_is_loopback(host);
        ok = true;
    } else if (strcmp(scheme, "http") == 0 && host_is_loopback(host)) {
        *ret_loopback = true;
        ok = true;
    } else {
        snprintf(why, size,
                 "'%.100s': only https is allowed (plain http only to a loopback "
                 "address, for the simulator)",
                 url);
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return ok;
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
    if (!append_param(u, "method", "user.getrecenttracks") || !append_param(u, "user", q->user) ||
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

char *lastfm_build_tags_url(const char *api_url, const char *artist, const char *api_key)
{
    char *out = NULL;
    CURLU *u = curl_url();
    if (!u)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, api_url, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
        append_param(u, "method", "artist.gettoptags") && append_param(u, "artist", artist) &&
        append_param(u, "autocorrect", "0") &&
        append_param(u, "api_key", api_key ? api_key : "REDACTED") &&
        append_param(u, "format", "json")) {
        char *tmp = NULL;
        if (curl_url_get(u, CURLUPART_URL, &tmp, 0) == CURLUE_OK) {
            out = strdup(tmp);
            curl_free(tmp);
        }
    }
    curl_url_cleanup(u);
    return out;
}
