/* lastfm.h: user.getRecentTracks and artist.getTopTags request URLs, pure.
 *
 * Built with curl's URL API, so every value is escaped; the API URL check.
 * The only module besides http.c that needs libcurl.  No I/O, no logging.
 * What a response means is classify_int.h.
 */
#ifndef LASTFM_LASTFM_H
#define LASTFM_LASTFM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One getRecentTracks request. */
struct lastfm_query {
    const char *api_url; /* LASTFM_API_URL, e.g. https://ws.audioscrobbler.com/2.0/ */
    const char *user;    /* LASTFM_USERNAME */
    const char *api_key; /* LASTFM_API_KEY; NULL builds the redacted form */
    long page;           /* 1-based page number */
    long limit;          /* items per page, 1..1000 */
    int64_t from;        /* "from" in Unix seconds, or -1 to omit */
    int64_t to;          /* "to" in Unix seconds, or -1 to omit */
};

/* A malloc'd request URL, or NULL on allocation failure or a bad api_url.
 * With api_key == NULL the key is written as "REDACTED": the only form to log. */
char *lastfm_build_url(const struct lastfm_query *q);

/* A malloc'd artist.getTopTags URL for `artist` (autocorrect=0: the name as
 * the CSV has it; every byte escaped), or NULL.  api_key NULL: redacted. */
char *lastfm_build_tags_url(const char *api_url, const char *artist, const char *api_key);

/* Is `url` an acceptable LASTFM_API_URL?  https, or plain http to a loopback
 * address (the simulator; *ret_loopback is set).  false with the reason. */
bool lastfm_check_api_url(const char *url, bool *ret_loopback, char *why, size_t size);

#endif
