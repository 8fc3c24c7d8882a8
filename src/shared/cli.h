/* cli.h: what the stages' programs (lastfm-flatten, -process, -report) share on
 * their command line: --data-dir, --config, --env-file, --set, -v, --help,
 * --version; then the configuration (the stages' settings, no API key) and
 * the data directory opened and locked, with the same messages everywhere. */
#ifndef LASTFM_CLI_H
#define LASTFM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "store.h"

/* The --help lines of the options cli_open() takes. */
#define CLI_OPTIONS_HELP                                                          \
    "  --data-dir DIR   data directory (default: LASTFM_DATA_DIR, else ./data)\n" \
    "  --config FILE    conf file (KEY=VALUE lines)\n"                            \
    "  --env-file FILE  .env file (default ./.env, optional)\n"                   \
    "  --set KEY=VALUE  a setting, highest precedence\n"                          \
    "  -v, --verbose    debug output\n"                                           \
    "  -h, --help       this help\n"                                              \
    "  -V, --version    version\n"

struct cli {
    struct config cfg;      /* valid after cli_open() returned -1 */
    struct store *store;    /* ... locked */
    const char **overrides; /* --set and --data-dir, NULL-terminated */
    char *data_dir_set;     /* "LASTFM_DATA_DIR=..." of --data-dir */
    int have;               /* what cli_close() must free: 1 config, 2 store */
};

/* Parse the options, load the configuration, open the data directory.
 * Returns -1 to go on, or the exit code to return now (help and version: 0;
 * everything said on stderr). */
int cli_open(struct cli *c, int argc, char **argv, const char *name, void (*usage)(FILE *));
/* The same with one option of the program's own: --FLAG sets *flag. */
int cli_open_flag(struct cli *c, int argc, char **argv, const char *name, void (*usage)(FILE *),
                  const char *flag, bool *ret_flag);
void cli_close(struct cli *c);

#endif
