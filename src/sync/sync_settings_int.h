/* sync_settings_int.h: what a sync run keeps of the configuration, its own
 * copy (a SIGHUP reload may free the configuration while a pass is out). */
#ifndef LASTFM_SYNC_SETTINGS_INT_H
#define LASTFM_SYNC_SETTINGS_INT_H

#include <stdbool.h>

#include "config.h"

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

#endif
