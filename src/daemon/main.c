/* main.c: lastfm-syncd's options and start-up; hands over to a sync run. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cli.h"
#include "config.h"
#include "daemon_int.h"
#include "exitcodes.h"
#include "identity.h"
#include "lastfm.h"
#include "log.h"
#include "state_int.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: lastfm-syncd [OPTION]...\n"
               "Keep a local, exact copy of a Last.fm listening history: raw API pages under\n"
               "DATA_DIR/raw and one CSV row per scrobble in\n"
               "DATA_DIR/interim/lastfm_scrobbles_interim.csv.\n"
               "\n"
               "Without --once: a long-running daemon in the foreground (for systemd): a pass\n"
               "now and every LASTFM_SYNC_INTERVAL; SIGHUP reloads the configuration and\n"
               "syncs now, SIGUSR1 resyncs fully, SIGUSR2 rebuilds the database and the\n"
               "report, SIGTERM stops.\n"
               "\n"
               "  --once               one sync (fetch, flatten, and the database and report\n"
               "                       when they are behind), then exit\n"
               "  --full               fetch the whole history again (drops scrobbles deleted\n"
               "                       on Last.fm from the output)\n"
               "  --data-dir DIR       data directory (LASTFM_DATA_DIR, default ./data)\n"
               "  --env-file FILE      read settings from FILE (default ./.env, optional)\n"
               "  --config FILE        read settings from a conf file (lowest precedence); up\n"
               "                       to 4, a later one's settings win; \"-FILE\": optional\n"
               "  --set KEY=VALUE      set a setting below but LASTFM_API_KEY (highest\n"
               "                       precedence; an unknown KEY is a configuration error)\n"
               "  --check-config       validate the configuration and exit (with --reload:\n"
               "                       as a reload would read it, without the credentials;\n"
               "                       the units' ExecReload= runs it first)\n"
               "  --status             say what the data directory holds and whether the\n"
               "                       CSV, the database and the report are current (exit 0\n"
               "                       when all are, 1 when not); no API key needed\n"
               "  --json               with --status: as a JSON object\n"
               "  --replace-history    the data directory holds another user's history (or\n"
               "                       another API's): delete it and fetch this user's\n"
               "  --no-progress        no progress bar, even on a terminal\n"
               "  -v, --verbose        debug output: one line per page\n"
               "  -h, --help           this help\n"
               "  -V, --version        version\n"
               "\n");
    config_write_help(f);
    fprintf(f, "\nExit codes: 0 done, 64 bad usage, 65 a raw page on disk was damaged (it is\n"
               "fetched again by the next run), 74 data directory not writable, 75 temporary\n"
               "failure (run again: it resumes), 77 history is private, 78 configuration\n"
               "error (also invalid API key, unknown user).  --once: when the CSV is written\n"
               "but the database or the report failed, that stage's code (75 if killed).\n"
               "--status: 0 all current, 1 not (yet), 74 the data directory cannot be read.\n");
}

/* 5400 -> "1h30m (5400 s)": the way durations are written, and the seconds. */
static void duration(int secs, char *buf, size_t size)
{
    int d = secs / 86400, h = secs % 86400 / 3600, m = secs % 3600 / 60, s = secs % 60;
    size_t at = 0;
    buf[0] = '\0';
    if (d && at < size)
        at += (size_t)snprintf(buf + at, size - at, "%dd", d);
    if (h && at < size)
        at += (size_t)snprintf(buf + at, size - at, "%dh", h);
    if (m && at < size)
        at += (size_t)snprintf(buf + at, size - at, "%dm", m);
    if ((s || secs == 0) && at < size)
        at += (size_t)snprintf(buf + at, size - at, "%ds", s);
    if (secs >= 60 && at < size)
        snprintf(buf + at, size - at, " (%d s)", secs);
}

/* What the command line asked for. */
/* lastfm-syncd's own options, beside the common ones (cli.h). */
struct args {
    bool once;            /* --once */
    bool check;           /* --check-config */
    bool reload;          /* --reload (with --check-config) */
    bool no_progress;     /* --no-progress */
    bool full;            /* --full */
    bool replace;         /* --replace-history */
    bool status;          /* --status */
    bool json;            /* --json (with --status) */
    struct cli_args args; /* the settings' sources; a SIGHUP reload reads them again */
};

/* Parse the command line into *a: true to go on, else false with *ret_code
 * (help, version, a usage error). */
static bool parse_args(int argc, char **argv, struct args *a, int *ret_code)
{
    const struct cli_flag flags[] = {
        {"once", &a->once},
        {"full", &a->full},
        {"check-config", &a->check},
        {"reload", &a->reload},
        {"no-progress", &a->no_progress},
        {"replace-history", &a->replace},
        {"status", &a->status},
        {"json", &a->json},
        {NULL, NULL},
    };
    if (!cli_parse(&a->args, argc, argv, PACKAGE_NAME, usage, flags, ret_code))
        return false;
    if (a->reload && !a->check) {
        log_err("--reload goes with --check-config (see --help)");
        return *ret_code = EXIT_USAGE, false;
    }
    if (a->json && !a->status) {
        log_err("--json goes with --status (see --help)");
        return *ret_code = EXIT_USAGE, false;
    }
    if (a->status && (a->once || a->check || a->full || a->replace)) {
        log_err("--status only reads the data directory: give it alone (see --help)");
        return *ret_code = EXIT_USAGE, false;
    }
    a->args.src.reload_check = a->reload;
    /* The status needs the data directory, the settings the database is
     * made with and the tag settings, never the API key or the user. */
    a->args.src.stages_only = a->status;
    a->args.src.status = a->status;
    a->args.src.check_url = lastfm_check_api_url;
    return true;
}

/* --check-config on a configuration that loaded: what a run would refuse (the
 * alias file's lines, another user's data directory; systemctl reload runs
 * this first), else one line of what is in force.  Returns the exit code. */
static int check_config(const struct config *cfg)
{
    /* (The alias file was parsed by config_load().) */
    if (cfg->username) {
        int bad = identity_check_dir(cfg->data_dir, cfg->username, cfg->api_url);
        if (bad)
            return bad;
    }
    char zones[TZ_DESCRIBE_MAX], interval[32], timeout[32], resync[32], window[32];
    tz_history_describe(&cfg->tz, zones, sizeof zones);
    duration(cfg->sync_interval, interval, sizeof interval);
    duration(cfg->request_timeout, timeout, sizeof timeout);
    duration(cfg->full_resync_interval, resync, sizeof resync);
    duration(cfg->duplicate_window, window, sizeof window);
    printf("configuration OK: user %s, API %s, data %s, %.2f req/s, %d in flight, "
           "%d per page, %d retries, interval %s, timeout %s, full resync %s, "
           "CA %s, time zones %s, duplicate window %s, aliases %s, exclude %s\n",
           cfg->username ? cfg->username : "(the running one's)", cfg->api_url, cfg->data_dir,
           cfg->rate_limit, cfg->max_in_flight, cfg->page_limit, cfg->max_retries, interval,
           timeout, cfg->full_resync_interval ? resync : "never",
           cfg->ca_file ? cfg->ca_file : "the system's", zones, window,
           cfg->artist_aliases ? cfg->artist_aliases : "none",
           cfg->exclude ? cfg->exclude : "none");
    return EXIT_DONE;
}

/* --status: DATA_DIR's state on stdout.  Returns 0 when all is current, 1
 * when not, 74 when DATA_DIR cannot be read. */
static int status(struct config *cfg, bool json)
{
    struct sync_state st;
    int r = state_read(NULL, cfg, &st);
    if (r < 0) {
        log_err("cannot read the data directory %s: %s: run --status as its owner (under "
                "systemd's DynamicUser=, as root: the data is in /var/lib/private)",
                cfg->data_dir, strerror(-r));
        return EXIT_IOERR;
    }
    if (json) {
        char *text = state_json(&st);
        if (!text) {
            log_err("out of memory writing the status");
            return EXIT_TEMPFAIL;
        }
        printf("%s\n", text);
        free(text);
    } else {
        state_write_text(stdout, &st, (int64_t)time(NULL));
    }
    return state_current(&st) ? EXIT_DONE : EXIT_NOT_CURRENT;
}

/* After the command line: the configuration, then --check-config or the
 * daemon.  Returns the exit code. */
static int run(struct args *a)
{
    /* Under systemd the journal, from the first message on: configuration
     * errors reach it at priority err, not as lines of stderr at info. */
    if (!a->check && !a->status)
        log_open();
    struct config cfg;
    int errors = config_load(&a->args.src, &cfg);
    if (errors == -ENOMEM) {
        log_err("out of memory reading the configuration: free memory and start again");
        return EXIT_TEMPFAIL;
    }
    if (errors) /* each said once, as it was found (cfgerr.c) */
        return EXIT_CONFIG;
    log_set_secret(cfg.api_key);
    if (a->status) {
        int code = status(&cfg, a->json);
        config_free(&cfg);
        return code;
    }
    if (a->check) {
        int code = check_config(&cfg);
        config_free(&cfg);
        return code;
    }
    struct config *heap = malloc(sizeof *heap);
    if (!heap) {
        config_free(&cfg);
        return EXIT_TEMPFAIL;
    }
    *heap = cfg;
    struct daemon_options dopt = {
        .sources = a->args.src,
        .once = a->once,
        .full = a->full,
        .replace_history = a->replace,
        .progress_bar = a->once && !a->no_progress && isatty(STDERR_FILENO),
    };
    return daemon_run(&dopt, heap);
}

int main(int argc, char **argv)
{
    /* No core dump, ptrace by others or /proc/PID/mem of a process that holds
     * the API key (a core held 14 copies of it). */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    struct args a = {0};
    int code;
    if (parse_args(argc, argv, &a, &code)) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            log_err("cannot initialise libcurl");
            code = EXIT_TEMPFAIL;
        } else {
            code = run(&a);
            curl_global_cleanup();
        }
    }
    cli_args_free(&a.args);
    return code;
}
