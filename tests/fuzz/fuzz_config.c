/* Fuzz the whole configuration load with the input as the conf file: parsing,
 * precedence, validation of every value, error reporting. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "lastfm.h"
#include "fuzz.h"
#include "log.h"

static char path[64];

static void remove_file(void) { unlink(path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/lastfm-fuzz-config-%d.conf", (int)getpid());
        atexit(remove_file);
        log_set_level(0);
        unsetenv("CREDENTIALS_DIRECTORY");
        unsetenv("STATE_DIRECTORY");
        for (const char *const *k =
                 (const char *const[]){"LASTFM_API_KEY", "LASTFM_USERNAME", "LASTFM_API_URL",
                                       "LASTFM_DATA_DIR", "LASTFM_RATE_LIMIT",
                                       "LASTFM_MAX_IN_FLIGHT", "LASTFM_PAGE_LIMIT",
                                       "LASTFM_MAX_RETRIES", "LASTFM_SYNC_INTERVAL",
                                       "LASTFM_REQUEST_TIMEOUT", "LASTFM_CA_FILE", NULL};
             *k; k++)
            unsetenv(*k);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    struct config_sources src = {.check_url = lastfm_check_api_url,
                                 .env_file = "/dev/null",
                                 .env_file_explicit = true,
                                 .config_files = {path},
                                 .nconfig = 1};
    struct config c;
    if (config_load(&src, &c) == 0) {
        if (!c.api_key || strlen(c.api_key) != 32 || c.page_limit < 1 || c.page_limit > 1000 ||
            !(c.rate_limit > 0) || c.max_in_flight < 1)
            __builtin_trap();
        config_free(&c);
    }
    return 0;
}
