/* report_main.c: lastfm-report, the pipeline's fourth stage on its own. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcodes.h"
#include "log.h"
#include "report.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: lastfm-report [--data-dir DIR] [--config FILE] [--env-file FILE]\n"
               "                     [--set KEY=VALUE]... [-v]\n"
               "Read DIR/processed/lastfm.sqlite and write DIR/report/, a small offline site:\n"
               "index.html (the overview) and trends.html (the history over time);\n"
               "artists.html, albums.html and tracks.html (every name, by plays);\n"
               "year/YYYY.html and month/YYYY-MM.html (a page per year and per month, every\n"
               "scrobble listed by day); artist/, album/ and track/NAME.html (a page per\n"
               "artist, album and track of at least LASTFM_REPORT_ARTIST_MIN, _ALBUM_MIN,\n"
               "_TRACK_MIN counted scrobbles, defaults 50, 40, 25); tag/NAME.html (the 30\n"
               "genres with the most scrobbles, from the artists' Last.fm tags).  Every page is\n"
               "self-contained (inline SVG and CSS, no script, nothing fetched); the site is\n"
               "built in a new directory and replaces the old one in one step.\n"
               "\n" CLI_OPTIONS_HELP
               "\nExit codes: 0 done, 64 bad usage, 65 the database is damaged or not ours (or\n"
               "another version's: run lastfm-process), 66 no database yet (run lastfm-process),\n"
               "74 the site could not be written, 75 the data directory is in use, the\n"
               "database is locked by another session, or out of memory, 78 a setting is wrong.\n");
}

int main(int argc, char **argv)
{
    struct cli c;
    int code;
    if (cli_open(&c, argc, argv, "lastfm-report", usage, NULL, &code)) {
        struct report_options o = report_options_from(&c.cfg);
        struct report_stats st;
        code = report_run(c.store, &o, &st);
        if (code == EXIT_DONE)
            report_log_written(c.cfg.data_dir, &st);
    }
    cli_close(&c);
    return code;
}
