/* flatten_main.c: lastfm-flatten, the pipeline's second stage on its own. */
#include "autoconfig.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "config.h"
#include "exitcodes.h"
#include "flatten.h"
#include "log.h"
#include "store.h"
#include "storeopen.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: lastfm-flatten [--data-dir DIR] [--config FILE] [--env-file FILE]\n"
            "                      [--rebuild] [-v]\n"
            "Read every raw page under DIR/raw and write one CSV row per scrobble to\n"
            "DIR/interim/lastfm_scrobbles_interim.csv, replacing it atomically.\n"
            "\n"
            "  --data-dir DIR   data directory (default: LASTFM_DATA_DIR from the\n"
            "                   environment, .env or the conf file; $STATE_DIRECTORY\n"
            "                   under systemd; else ./data)\n"
            "  --config FILE    conf file (KEY=VALUE lines)\n"
            "  --env-file FILE  .env file (default ./.env, optional)\n"
            "  --rebuild        ignore the row cache and parse every page again\n"
            "  -v, --verbose    debug output\n"
            "  -h, --help       this help\n"
            "  -V, --version    version\n"
            "\nExit codes: 0 done, 64 bad usage, 65 a raw page or manifest is damaged (the\n"
            "CSV is left as it was; a damaged page is moved aside and the next lastfm-syncd\n"
            "run fetches it again), 74 the CSV could not be written, 75 the data directory\n"
            "is in use.\n");
}

int main(int argc, char **argv)
{
    enum { OPT_CONFIG = 256, OPT_ENV_FILE };
    static const struct option longopts[] = {
        {"data-dir", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"env-file", required_argument, NULL, OPT_ENV_FILE},
        {"rebuild", no_argument, NULL, 'r'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    /* The data directory by the same rules as lastfm-syncd's: --data-dir, the
     * environment, .env, the conf file, $STATE_DIRECTORY, ./data. */
    struct config_sources src = {.stages_only = true};
    static char data_dir_set[4200];
    const char *overrides[2] = {NULL, NULL};
    bool rebuild = false;
    int c;
    log_set_ident("lastfm-flatten");
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);   /* as the other programs: no core */
    while ((c = getopt_long(argc, argv, "vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            snprintf(data_dir_set, sizeof data_dir_set, "LASTFM_DATA_DIR=%s", optarg);
            overrides[0] = data_dir_set;
            break;
        case OPT_CONFIG:
            if (!config_add_file(&src, optarg)) {
                fprintf(stderr, "--config: at most %d files\n", CONFIG_MAX_FILES);
                return EXIT_USAGE;
            }
            break;
        case OPT_ENV_FILE: src.env_file = optarg; src.env_file_explicit = true; break;
        case 'r': rebuild = true; break;
        case 'v': log_set_level(LOG_LVL_DEBUG); break;
        case 'h': usage(stdout); return EXIT_DONE;
        case 'V': printf("lastfm-flatten %s\n", PACKAGE_VERSION); return EXIT_DONE;
        default:
            fprintf(stderr, "Try 'lastfm-flatten --help'.\n");
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        log_err("unexpected argument '%s' (see --help)", argv[optind]);
        return EXIT_USAGE;
    }
    src.overrides = overrides;
    struct config cfg;
    if (config_load(&src, &cfg) != 0) {
        log_err("configuration errors: fix them and run again");
        return EXIT_CONFIG;
    }
    const char *data_dir = cfg.data_dir;
    struct store *store;
    int code = store_open_said(data_dir, true, &store);
    if (code) {
        config_free(&cfg);
        return code;
    }
    struct flatten_stats rep;
    code = flatten_run(store, rebuild, &rep);
    if (code == EXIT_DONE)
        flatten_log_written(data_dir, &rep);
    store_close(store);
    config_free(&cfg);
    return code;
}
