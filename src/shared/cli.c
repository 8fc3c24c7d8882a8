/* cli.c: the programs' one command-line parser, and a stage's start. */
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

/* --set LASTFM_API_KEY=...: wiped from /proc/PID/cmdline and refused. */
static void refuse_key(char *arg, const char *name, bool stages_only)
{
    explicit_bzero(arg + 15, strlen(arg + 15));
    if (stages_only)
        log_err("command line: --set LASTFM_API_KEY: %s needs no key, and a secret on the "
                "command line is visible to every local user: leave it out",
                name);
    else
        log_err("command line: --set LASTFM_API_KEY: a secret on the command line is visible "
                "to every local user (ps, /proc/PID/cmdline) and in shell history: put "
                "LASTFM_API_KEY in .env (chmod 600), the environment, or systemd's "
                "LoadCredential= (see README)");
}

/* One option into `a`: false with *ret_code when the program must stop. */
static bool take(struct cli_args *a, int opt, size_t *n, const char *name, void (*usage)(FILE *),
                 int *ret_code)
{
    enum { OPT_DATA_DIR = 256, OPT_CONFIG, OPT_ENV_FILE, OPT_SET };
    switch (opt) {
    case OPT_DATA_DIR:
        free(a->data_dir_set); /* the last one counts */
        a->data_dir_set = malloc(strlen(optarg) + sizeof "LASTFM_DATA_DIR=");
        if (!a->data_dir_set) {
            log_err("out of memory reading the command line: free memory and run again");
            return *ret_code = EXIT_TEMPFAIL, false;
        }
        sprintf(a->data_dir_set, "LASTFM_DATA_DIR=%s", optarg);
        return true;
    case OPT_CONFIG:
        if (config_add_file(&a->src, optarg))
            return true;
        fprintf(stderr, "--config: at most %d files\n", CONFIG_MAX_FILES);
        return *ret_code = EXIT_USAGE, false;
    case OPT_ENV_FILE:
        a->src.env_file = optarg;
        a->src.env_file_explicit = true;
        return true;
    case OPT_SET:
        if (strncmp(optarg, "LASTFM_API_KEY=", 15) == 0) {
            refuse_key(optarg, name, a->src.stages_only);
            return *ret_code = EXIT_USAGE, false;
        }
        a->overrides[(*n)++] = optarg;
        return true;
    case 'v': log_set_level(LOG_LVL_DEBUG); return true;
    case 'h': usage(stdout); return *ret_code = EXIT_DONE, false;
    case 'V': printf("%s %s\n", name, PACKAGE_VERSION); return *ret_code = EXIT_DONE, false;
    default: fprintf(stderr, "Try '%s --help'.\n", name); return *ret_code = EXIT_USAGE, false;
    }
}

bool cli_parse(struct cli_args *a, int argc, char **argv, const char *name, void (*usage)(FILE *),
               const struct cli_flag *flags, int *ret_code)
{
    enum { OPT_FLAG = 512 };
    struct option longopts[7 + CLI_MAX_FLAGS + 1] = {
        {"data-dir", required_argument, NULL, 256}, {"config", required_argument, NULL, 257},
        {"env-file", required_argument, NULL, 258}, {"set", required_argument, NULL, 259},
        {"verbose", no_argument, NULL, 'v'},        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
    };
    size_t nopts = 7, n = 0;
    for (size_t i = 0; flags && flags[i].name && i < CLI_MAX_FLAGS; i++) {
        longopts[nopts++] = (struct option){flags[i].name, no_argument, NULL, OPT_FLAG + (int)i};
        *flags[i].set = false;
    }
    a->overrides = calloc((size_t)argc + 2, sizeof *a->overrides);
    if (!a->overrides) {
        log_err("out of memory reading the command line: free memory and run again");
        return *ret_code = EXIT_TEMPFAIL, false;
    }
    int opt;
    while ((opt = getopt_long(argc, argv, "vhV", longopts, NULL)) != -1) {
        if (opt >= OPT_FLAG && opt < OPT_FLAG + CLI_MAX_FLAGS)
            *flags[opt - OPT_FLAG].set = true;
        else if (!take(a, opt, &n, name, usage, ret_code))
            return false;
    }
    if (optind < argc) {
        log_err("unexpected argument '%s': %s takes options only (see --help)", argv[optind], name);
        return *ret_code = EXIT_USAGE, false;
    }
    if (a->data_dir_set)
        a->overrides[n++] = a->data_dir_set;
    a->src.overrides = a->overrides;
    return true;
}

void cli_args_free(struct cli_args *a)
{
    free(a->data_dir_set);
    free(a->overrides);
    a->data_dir_set = NULL;
    a->overrides = NULL;
}

bool cli_open(struct cli *c, int argc, char **argv, const char *name, void (*usage)(FILE *),
              const struct cli_flag *flags, int *ret_code)
{
    memset(c, 0, sizeof *c);
    c->args.src.stages_only = true;
    log_set_ident(name);
    /* No core dump or ptrace of a process that may have read a file holding
     * the key (it never keeps it: config_sources.stages_only). */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (!cli_parse(&c->args, argc, argv, name, usage, flags, ret_code))
        return false;
    int errors = config_load(&c->args.src, &c->cfg);
    if (errors == -ENOMEM) {
        log_err("out of memory reading the configuration: free memory and run again");
        return *ret_code = EXIT_TEMPFAIL, false;
    }
    if (errors) /* each said once, as it was found (cfgerr.c) */
        return *ret_code = EXIT_CONFIG, false;
    c->have = 1;
    if ((*ret_code = store_open_said(c->cfg.data_dir, true, &c->store)) != 0)
        return false;
    c->have = 2;
    return true;
}

void cli_close(struct cli *c)
{
    if (c->have >= 2)
        store_close(c->store);
    if (c->have >= 1)
        config_free(&c->cfg);
    cli_args_free(&c->args);
    memset(c, 0, sizeof *c);
}
