/* reload.c: SIGHUP's new configuration, checked against the one in force. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "log.h"
#include "reload_int.h"

static struct config *refuse(struct config *c)
{
    if (c)
        config_free(c);
    free(c);
    return NULL;
}

struct config *reload_config(const struct config_sources *src, const struct config *cur,
                             const char *data_dir)
{
    /* What is read again, by name: under systemd the unit gives --env-file
     * /dev/null, so no .env is named there. */
    const char *env = src->env_file ? src->env_file : ".env";
    bool no_env = strcmp(env, "/dev/null") == 0;
    log_info("SIGHUP: reloading the configuration: %zu conf file%s%s%s (settings from the "
             "environment, EnvironmentFile= or credentials take a restart)",
             src->nconfig, src->nconfig == 1 ? "" : "s", no_env ? "" : " and ", no_env ? "" : env);
    struct config *c = calloc(1, sizeof *c);
    if (!c || config_load(src, c) != 0) {
        log_err("reload failed: keeping the previous configuration");
        free(c);
        return NULL;
    }
    if (!identity_same_user(c->username, cur->username) ||
        !identity_same_api(c->api_url, cur->api_url)) {
        log_err("reload refused: LASTFM_USERNAME or LASTFM_API_URL changed (%s at %s, was %s "
                "at %s); %s holds the history of the one in force: keeping the previous "
                "configuration (restart to have the data directory checked against the new "
                "one)",
                c->username, c->api_url, cur->username, cur->api_url, data_dir);
        return refuse(c);
    }
    /* The data directory is the store's, opened at start: only said here. */
    if (strcmp(c->data_dir, data_dir) != 0)
        log_warn("LASTFM_DATA_DIR changed to %s: that takes a restart; still using %s", c->data_dir,
                 data_dir);
    return c;
}
