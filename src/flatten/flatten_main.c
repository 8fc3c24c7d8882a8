/* flatten_main.c: lastfm-flatten, the pipeline's second stage on its own. */
#include "autoconfig.h"

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "exitcodes.h"
#include "flatten.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: lastfm-flatten [--data-dir DIR] [--config FILE] [--env-file FILE]\n"
               "                      [--set KEY=VALUE] [--rebuild] [-v]\n"
               "Read every raw page under DIR/raw and write one CSV row per scrobble to\n"
               "DIR/interim/lastfm_scrobbles_interim.csv, replacing it atomically.\n"
               "\n"
               "  --data-dir DIR   data directory (default: LASTFM_DATA_DIR from the\n"
               "                   environment, .env or the conf file; $STATE_DIRECTORY\n"
               "                   under systemd; else ./data)\n"
               "  --config FILE    conf file (KEY=VALUE lines)\n"
               "  --env-file FILE  .env file (default ./.env, optional)\n"
               "  --set KEY=VALUE  a setting, highest precedence\n"
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
    /* The data directory by the same rules as lastfm-syncd's: --data-dir, the
     * environment, .env, the conf file, $STATE_DIRECTORY, ./data. */
    struct cli c;
    bool rebuild;
    const struct cli_flag flags[] = {{"rebuild", &rebuild}, {NULL, NULL}};
    int code;
    if (cli_open(&c, argc, argv, "lastfm-flatten", usage, flags, &code)) {
        struct flatten_stats rep;
        code = flatten_run(c.store, rebuild, &rep);
        if (code == EXIT_DONE)
            flatten_log_written(c.cfg.data_dir, &rep);
    }
    cli_close(&c);
    return code;
}
