/* flatten_main.c: lastfm-flatten, the pipeline's second stage on its own. */
#include "autoconfig.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "flatten.h"
#include "lastfm.h"
#include "log.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: lastfm-flatten [--data-dir DIR] [--rebuild] [-v]\n"
            "Read every raw page under DIR/raw and write one CSV row per scrobble to\n"
            "DIR/interim/lastfm_scrobbles_interim.csv, replacing it atomically.\n"
            "\n"
            "  --data-dir DIR   data directory (default: LASTFM_DATA_DIR from the\n"
            "                   environment or ./.env, else ./data)\n"
            "  --rebuild        ignore the row cache and parse every page again\n"
            "  -v, --verbose    debug output\n"
            "  -h, --help       this help\n"
            "  -V, --version    version\n"
            "\nExit codes: 0 done, 64 bad usage, 65 a raw page or manifest is damaged (the\n"
            "CSV is left as it was; a damaged page is moved aside and the next lastfm-syncd\n"
            "run fetches it again), 74 the CSV could not be written, 75 the data directory\n"
            "is in use.\n");
}

/* LASTFM_DATA_DIR from ./.env, if it sets one. */
static char env_data_dir[4096];
static void on_entry(void *opaque, const char *file, unsigned line, const char *key,
                     const char *value)
{
    if (strcmp(key, "LASTFM_DATA_DIR") == 0)
        snprintf(env_data_dir, sizeof env_data_dir, "%s", value);
}
static void on_error(void *opaque, const char *file, unsigned line, const char *what) {}

static void read_dotenv(void)
{
    FILE *f = fopen(".env", "re");
    if (!f)
        return;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    conffile_parse(".env", text, n, on_entry, on_error, NULL);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"data-dir", required_argument, NULL, 'd'},
        {"rebuild", no_argument, NULL, 'r'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *data_dir = NULL;
    bool rebuild = false;
    int c;
    log_set_ident("lastfm-flatten");
    while ((c = getopt_long(argc, argv, "vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': data_dir = optarg; break;
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
    if (!data_dir)
        data_dir = getenv("LASTFM_DATA_DIR");
    if (!data_dir) {
        read_dotenv();
        data_dir = env_data_dir[0] ? env_data_dir : "./data";
    }
    struct store *store;
    const char *what;
    int r = store_open(data_dir, &store, &what);
    if (r < 0) {
        if (r == -EWOULDBLOCK)
            log_err("%s is in use by process %d (a lastfm-syncd or one of its stages; lock "
                    "%s/.lock): wait for it or stop it", data_dir, store_lock_holder(data_dir), data_dir);
        else
            log_err("cannot open data directory %s (%s): %s: %s", data_dir, what,
                    strerror(-r), store_open_hint(r));
        return r == -EWOULDBLOCK ? EXIT_TEMPFAIL : EXIT_IOERR;
    }
    struct flatten_report rep;
    int code = flatten_run(store, rebuild, &rep);
    if (code == EXIT_DONE)
        flatten_log_written(data_dir, &rep);
    store_close(store);
    return code;
}
