/* report_main.c: lastfm-report, the pipeline's fourth stage on its own. */
#include "autoconfig.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "lastfm.h"
#include "log.h"
#include "report.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: lastfm-report [--data-dir DIR] [--config FILE] [--env-file FILE]\n"
            "                     [--set KEY=VALUE]... [-v]\n"
            "Read DIR/processed/lastfm.sqlite and write DIR/report/index.html: one\n"
            "self-contained page of the long-run listening patterns (inline SVG and CSS,\n"
            "no script, nothing fetched), replaced atomically.\n"
            "\n"
            "  --data-dir DIR   data directory (default: LASTFM_DATA_DIR, else ./data)\n"
            "  --config FILE    conf file (KEY=VALUE lines)\n"
            "  --env-file FILE  .env file (default ./.env, optional)\n"
            "  --set KEY=VALUE  a setting, highest precedence\n"
            "  -v, --verbose    debug output\n"
            "  -h, --help       this help\n"
            "  -V, --version    version\n"
            "\nExit codes: 0 done, 64 bad usage, 65 the database is damaged or not ours,\n"
            "66 no database yet (run lastfm-process), 74 the page could not be written,\n"
            "75 the data directory is in use, 78 a setting is wrong.\n");
}

int main(int argc, char **argv)
{
    enum { OPT_DATA_DIR = 256, OPT_CONFIG, OPT_ENV_FILE, OPT_SET };
    static const struct option longopts[] = {
        {"data-dir", required_argument, NULL, OPT_DATA_DIR},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"env-file", required_argument, NULL, OPT_ENV_FILE},
        {"set", required_argument, NULL, OPT_SET},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct config_sources src = {.stages_only = true};
    const char **overrides = calloc((size_t)argc + 2, sizeof *overrides);
    char *data_dir = NULL;
    size_t n = 0;
    int c;
    int code = EXIT_DONE;
    if (!overrides)
        return EXIT_TEMPFAIL;
    log_set_ident("lastfm-report");
    while ((c = getopt_long(argc, argv, "vhV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DATA_DIR:
            free(data_dir);
            data_dir = malloc(strlen(optarg) + sizeof "LASTFM_DATA_DIR=");
            if (!data_dir) {
                code = EXIT_TEMPFAIL;
                goto out;
            }
            sprintf(data_dir, "LASTFM_DATA_DIR=%s", optarg);
            break;
        case OPT_CONFIG: src.config_file = optarg; break;
        case OPT_ENV_FILE: src.env_file = optarg; src.env_file_explicit = true; break;
        case OPT_SET: overrides[n++] = optarg; break;
        case 'v': log_set_level(LOG_LVL_DEBUG); break;
        case 'h': usage(stdout); goto out;
        case 'V': printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION); goto out;
        default:
            fprintf(stderr, "Try 'lastfm-report --help'.\n");
            code = EXIT_USAGE;
            goto out;
        }
    }
    if (optind < argc) {
        log_err("unexpected argument '%s': lastfm-report takes options only (see --help)",
                argv[optind]);
        code = EXIT_USAGE;
        goto out;
    }
    if (data_dir)
        overrides[n++] = data_dir;
    src.overrides = overrides;
    struct config cfg;
    int errors = config_load(&src, &cfg);
    if (errors) {
        log_err("%d configuration error%s: fix %s and run again", errors,
                errors == 1 ? "" : "s", errors == 1 ? "it" : "them");
        code = EXIT_CONFIG;
        goto out;
    }
    struct store *store;
    const char *what;
    int r = store_open(cfg.data_dir, &store, &what);
    if (r < 0) {
        if (r == -EWOULDBLOCK)
            log_err("%s is in use by process %d (a lastfm-syncd or one of its stages; lock "
                    "%s/.lock): wait for it or stop it", cfg.data_dir, store_lock_holder(cfg.data_dir), cfg.data_dir);
        else
            log_err("cannot open data directory %s (%s): %s: %s", cfg.data_dir, what,
                    strerror(-r), store_open_hint(r));
        config_free(&cfg);
        code = r == -EWOULDBLOCK ? EXIT_TEMPFAIL : EXIT_IOERR;
        goto out;
    }
    long bytes = 0;
    double secs = 0;
    code = report_run(store, &bytes, &secs);
    if (code == EXIT_DONE)
        log_info("wrote %s/%s/%s: %ld bytes in %.2f s", cfg.data_dir, REPORT_DIR, REPORT_NAME,
                 bytes, secs);
    store_close(store);
    config_free(&cfg);
out:
    free(data_dir);
    free(overrides);
    return code;
}
