/* sync_settings.c: a sync run's own copy of its settings. */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sync_settings_int.h"

void sync_settings_free(struct sync_settings *c)
{
    if (c->api_key)
        explicit_bzero(c->api_key, strlen(c->api_key));
    free(c->api_key);
    free(c->api_url);
    free(c->username);
    free(c->ca_file);
    memset(c, 0, sizeof *c);
}

int sync_settings_copy(struct sync_settings *c, const struct config *cfg)
{
    if (!cfg->api_url || !cfg->username || !cfg->api_key)
        return -EINVAL; /* a run needs all three (--check-config --reload has none) */
    *c = (struct sync_settings){
        .api_url = strdup(cfg->api_url),
        .username = strdup(cfg->username),
        .api_key = strdup(cfg->api_key),
        .ca_file = cfg->ca_file ? strdup(cfg->ca_file) : NULL,
        .api_url_is_loopback = cfg->api_url_is_loopback,
        .page_limit = cfg->page_limit,
        .full_resync_interval = cfg->full_resync_interval,
        .request_timeout = cfg->request_timeout,
        .max_in_flight = cfg->max_in_flight,
        .max_retries = cfg->max_retries,
        .rate_limit = cfg->rate_limit,
    };
    if (!c->api_url || !c->username || !c->api_key || (cfg->ca_file && !c->ca_file)) {
        sync_settings_free(c);
        return -ENOMEM;
    }
    return 0;
}
