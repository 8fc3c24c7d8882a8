/* sync_settings.c: a sync run's own copy of its settings. */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "monoclock.h"
#include "store.h"

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

struct http_options sync_settings_http(const struct sync_settings *c)
{
    long timeout_ms = c->request_timeout * 1000L;
    return (struct http_options){
        .timeout_ms = timeout_ms,
        .connect_timeout_ms = timeout_ms < 10000 ? timeout_ms : 10000,
        .max_body = STORE_MAX_PAGE_BYTES,
        .allow_plain_http = c->api_url_is_loopback,
        .user_agent = PACKAGE_NAME "/" PACKAGE_VERSION,
        .ca_file = c->ca_file,
    };
}

struct fetch_options sync_settings_fetch(const struct sync_settings *c, struct ratelimit *shared)
{
    uint64_t seed;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != sizeof seed || seed == 0)
        seed = (uint64_t)time(NULL) * 2654435761u + 1;
    return (struct fetch_options){
        .username = c->username,
        /* A burst of one second's worth: time lost waiting on page 1 or a count
         * is made up at once, and the average over any minute stays at the rate. */
        .rate = c->rate_limit,
        .burst = c->rate_limit,
        .max_in_flight = (unsigned)c->max_in_flight,
        .max_retries = (unsigned)c->max_retries,
        .backoff = {.base = 0.5, .cap = 30.0},
        .request_timeout = c->request_timeout,
        .clock = mono_now,
        .seed = seed,
        .shared = shared,
    };
}
