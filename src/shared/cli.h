/* cli.h: the one command line of the four programs.
 *
 * Every program takes --data-dir, --config, --env-file, --set, -v, --help and
 * --version (cli_parse()); each adds flags of its own (lastfm-syncd's --once,
 * lastfm-flatten's --rebuild...).  The stages' programs then load the
 * configuration (the stages' settings, no API key) and open and lock the data
 * directory with the same messages everywhere (cli_open()).
 */
#ifndef LASTFM_CLI_H
#define LASTFM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "store.h"

/* The --help lines of the options every program takes. */
#define CLI_OPTIONS_HELP                                                          \
    "  --data-dir DIR   data directory (default: LASTFM_DATA_DIR, else ./data)\n" \
    "  --config FILE    conf file (KEY=VALUE lines)\n"                            \
    "  --env-file FILE  .env file (default ./.env, optional)\n"                   \
    "  --set KEY=VALUE  a setting, highest precedence\n"                          \
    "  -v, --verbose    debug output\n"                                           \
    "  -h, --help       this help\n"                                              \
    "  -V, --version    version\n"

/* A program's own option without an argument: --NAME sets *set. */
struct cli_flag {
    const char *name; /* "once"; a list ends with a NULL name */
    bool *set;
};
#define CLI_MAX_FLAGS 8

/* What the command line says about the settings' sources. */
struct cli_args {
    struct config_sources src; /* its overrides live as long as this */
    const char **overrides;    /* --set and --data-dir, NULL-terminated */
    char *data_dir_set;        /* "LASTFM_DATA_DIR=..." of --data-dir */
};

/* Parse the common options and `flags` (may be NULL) into `a` (src.stages_only
 * as the caller set it).  True to go on; false to exit now with *ret_code
 * (help and version: 0; a usage error: 64, said on stderr). */
bool cli_parse(struct cli_args *a, int argc, char **argv, const char *name, void (*usage)(FILE *),
               const struct cli_flag *flags, int *ret_code);
void cli_args_free(struct cli_args *a);

/* A stage's program: the command line, the configuration, the data directory. */
struct cli {
    struct cli_args args;
    struct config cfg;   /* valid after cli_open() returned true */
    struct store *store; /* ... locked */
    int have;            /* what cli_close() must free: 1 config, 2 store */
};

/* Parse (with `flags`), load the configuration, open the data directory.
 * True to go on; false to exit now with *ret_code (everything said). */
bool cli_open(struct cli *c, int argc, char **argv, const char *name, void (*usage)(FILE *),
              const struct cli_flag *flags, int *ret_code);
void cli_close(struct cli *c);

#endif
