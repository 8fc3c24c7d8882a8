/* sync_settings_int.h: what a sync run keeps of the configuration, its own
 * copy (a SIGHUP reload may free the configuration while a pass is out). */
#ifndef LASTFM_SYNC_SETTINGS_INT_H
#define LASTFM_SYNC_SETTINGS_INT_H

#include <stdbool.h>

#include "config.h"
#include "fetch_int.h"
#include "http_int.h"

/* The run's own copy of the settings it reads (sync_start() takes them). */
struct sync_settings {
    char *api_url, *username, *api_key; /* the key is wiped when freed */
    char *ca_file;                      /* NULL: the system's bundle */
    bool api_url_is_loopback;
    int page_limit, full_resync_interval, request_timeout, max_in_flight, max_retries;
    double rate_limit;
};

/* Copy what a run reads of `cfg`: 0, -EINVAL (no key, user or URL), -ENOMEM. */
int sync_settings_copy(struct sync_settings *c, const struct config *cfg);
/* Free the copy, the key wiped first. */
void sync_settings_free(struct sync_settings *c);

/* The HTTP client's options of a run (the pages' or the tags'): the request
 * timeout, a connect timeout of at most 10 s, plain http on loopback only. */
struct http_options sync_settings_http(const struct sync_settings *c);
/* The fetch engine's: the rate with a burst of one second's worth, the
 * retries with jittered backoff (a fresh random seed), and the key's budget
 * (`shared`, NULL: the fetch's own).  Points into c. */
struct fetch_options sync_settings_fetch(const struct sync_settings *c, struct ratelimit *shared);

#endif
