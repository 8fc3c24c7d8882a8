/* cli.c: the stages' programs' shared command line. */
#include "autoconfig.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "cli.h"
#include "exitcodes.h"
#include "log.h"
#include "storeopen.h"

int cli_open(struct cli *c, int argc, char **argv, const char *name, void (*usage)(FILE *))
{
    return cli_open_flag(c, argc, argv, name, usage, NULL, NULL);
}

/* The options into *src and c's overrides: -1 to go on, else the exit code
 * (help, version, a usage error; said on stderr). */
static int parse_args(struct cli *c, int argc, char **argv, const char *name, void (*usage)(FILE *),
                      const char *flag, bool *ret_flag, struct config_sources *src)
{
    enum { OPT_DATA_DIR = 256, OPT_CONFIG, OPT_ENV_FILE, OPT_SET, OPT_FLAG };
    const struct option longopts[] = {
        {"data-dir", required_argument, NULL, OPT_DATA_DIR},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"env-file", required_argument, NULL, OPT_ENV_FILE},
        {"set", required_argument, NULL, OPT_SET},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {flag ? flag : "", no_argument, NULL, OPT_FLAG},
        {NULL, 0, NULL, 0},
    };
    size_t n = 0;
    int opt;
    c->overrides = calloc((size_t)argc + 2, sizeof *c->overrides);
    if (!c->overrides)
        return EXIT_TEMPFAIL;
    while ((opt = getopt_long(argc, argv, "vhV", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_DATA_DIR:
            free(c->data_dir_set);
            c->data_dir_set = malloc(strlen(optarg) + sizeof "LASTFM_DATA_DIR=");
            if (!c->data_dir_set)
                return EXIT_TEMPFAIL;
            sprintf(c->data_dir_set, "LASTFM_DATA_DIR=%s", optarg);
            break;
        case OPT_CONFIG:
            if (!config_add_file(src, optarg)) {
                fprintf(stderr, "--config: at most %d files\n", CONFIG_MAX_FILES);
                return EXIT_USAGE;
            }
            break;
        case OPT_ENV_FILE:
            src->env_file = optarg;
            src->env_file_explicit = true;
            break;
        case OPT_SET:
            if (strncmp(optarg, "LASTFM_API_KEY=", 15) == 0) {
                explicit_bzero(optarg + 15, strlen(optarg + 15));
                log_err("command line: --set LASTFM_API_KEY: %s needs no key, and a secret on "
                        "the command line is visible to every local user: leave it out",
                        name);
                return EXIT_USAGE;
            }
            c->overrides[n++] = optarg;
            break;
        case OPT_FLAG:
            if (!ret_flag)
                goto bad_option;
            *ret_flag = true;
            break;
        case 'v': log_set_level(LOG_LVL_DEBUG); break;
        case 'h': usage(stdout); return EXIT_DONE;
        case 'V': printf("%s %s\n", name, PACKAGE_VERSION); return EXIT_DONE;
        default:
        bad_option:
            fprintf(stderr, "Try '%s --help'.\n", name);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        log_err("unexpected argument '%s': %s takes options only (see --help)", argv[optind], name);
        return EXIT_USAGE;
    }
    if (c->data_dir_set)
        c->overrides[n++] = c->data_dir_set;
    src->overrides = c->overrides;
    return -1;
}

int cli_open_flag(struct cli *c, int argc, char **argv, const char *name, void (*usage)(FILE *),
                  const char *flag, bool *ret_flag)
{
    struct config_sources src = {.stages_only = true};
    if (ret_flag)
        *ret_flag = false;
    memset(c, 0, sizeof *c);
    log_set_ident(name);
    /* No core dump or ptrace of a process that may have read a file holding
     * the key (it never keeps it: config_sources.stages_only). */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    int code = parse_args(c, argc, argv, name, usage, flag, ret_flag, &src);
    if (code >= 0)
        return code;
    int errors = config_load(&src, &c->cfg);
    if (errors) {
        log_err("%d configuration error%s: fix %s and run again", errors, errors == 1 ? "" : "s",
                errors == 1 ? "it" : "them");
        return EXIT_CONFIG;
    }
    c->have = 1;
    code = store_open_said(c->cfg.data_dir, true, &c->store);
    if (code)
        return code;
    c->have = 2;
    return -1;
}

void cli_close(struct cli *c)
{
    if (c->have >= 2)
        store_close(c->store);
    if (c->have >= 1)
        config_free(&c->cfg);
    free(c->data_dir_set);
    free(c->overrides);
    memset(c, 0, sizeof *c);
}
