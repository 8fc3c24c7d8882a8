/* process_main.c: lastfm-process, the pipeline's third stage on its own. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "exitcodes.h"
#include "log.h"
#include "process.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: lastfm-process [--data-dir DIR] [--config FILE] [--env-file FILE]\n"
               "                      [--set KEY=VALUE]... [-v]\n"
               "Read DIR/interim/lastfm_scrobbles_interim.csv and build\n"
               "DIR/processed/lastfm.sqlite: every scrobble in local time (by\n"
               "LASTFM_TIMEZONE), flagged by the quality rules, with its session, and the\n"
               "views daily, monthly, yearly, punchcard, artist_firsts, sessions, streaks\n"
               "and eddington (see lastfm-process(1)).  The database is replaced atomically.\n"
               "\n" CLI_OPTIONS_HELP
               "\nSettings: LASTFM_TIMEZONE, LASTFM_DUPLICATE_WINDOW, LASTFM_ARTIST_ALIASES,\n"
               "LASTFM_EXCLUDE, LASTFM_BURST_LIMIT, LASTFM_TAG_IGNORE, LASTFM_DATA_DIR (see\n"
               "lastfm-syncd --help);\n"
               "SOURCE_DATE_EPOCH\n"
               "pins the build time (a byte-identical database from the same CSV).\n"
               "\nExit codes: 0 done, 64 bad usage, 65 the CSV is damaged (the database is left\n"
               "as it was), 66 no CSV yet, 74 the database could not be written, 75 the data\n"
               "directory is in use, 78 a setting or the alias file is wrong.\n");
}

int main(int argc, char **argv)
{
    struct cli c;
    int code;
    if (cli_open(&c, argc, argv, "lastfm-process", usage, NULL, &code)) {
        struct process_options po = process_options_from(&c.cfg);
        struct process_stats rep;
        code = process_run(c.store, &po, &rep);
        if (code == EXIT_DONE)
            process_log_written(c.cfg.data_dir, &c.cfg.tz, &rep);
    }
    cli_close(&c);
    return code;
}
