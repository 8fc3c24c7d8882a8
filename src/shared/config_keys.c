/* config_keys.c: every setting in one table (name, kind, field, default,
 * range, its own check, whether the stages read it, its help), and the checks
 * of the settings that need more than a number. */
#include "autoconfig.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_int.h"

struct cfgerr_list *config_errs;

int config_bad(const struct raw_setting *r, enum key k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int config_bad(const struct raw_setting *r, enum key k, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    say(r->origin[0] ? r->origin : "default", "%s: %s", config_keys[k].name, msg);
    return 1;
}

/* Memory ran out making the setting `k`: config_load() then returns -ENOMEM. */
static int config_oom(const struct raw_setting *r, enum key k)
{
    config_errs->oom = true;
    return config_bad(r, k, "out of memory: free memory and run again");
}

static int check_url(const struct config_sources *src, const struct raw_setting *r,
                     struct config *c)
{
    const char *url = r->value ? r->value : CONFIG_API_URL;
    char why[256] = "";
    if (!src->check_url)
        return config_bad(r, K_API_URL, "cannot be checked here");
    if (!src->check_url(url, &c->api_url_is_loopback, why, sizeof why))
        return config_bad(r, K_API_URL, "%s", why);
    if (!(c->api_url = strdup(url)))
        return config_oom(r, K_API_URL);
    return 0;
}

/* ./data, or under systemd's StateDirectory= the first directory it names. */
static const char *default_data_dir(void)
{
    static char buf[4096];
    const char *sd = getenv("STATE_DIRECTORY");
    if (!sd || !*sd)
        return "./data";
    snprintf(buf, sizeof buf, "%.*s", (int)strcspn(sd, ":"), sd);
    return buf;
}

/* Under systemd: this process's unit ("lastfm-syncd@erin.service") and, for
 * an instance of a template, the instance ("erin"). */
static bool unit_instance(char *unit, size_t usize, char *inst, size_t isize)
{
    /* The unified hierarchy's line, "0::/system.slice/.../lastfm-syncd@erin.service"
     * (sd_pid_get_unit() would read /proc/1, which the sandbox hides). */
    char line[1024] = "";
    unit[0] = inst[0] = '\0';
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (!f)
        return false;
    while (fgets(line, sizeof line, f) && strncmp(line, "0::", 3) != 0)
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\n")] = '\0';
    const char *last = strrchr(line, '/');
    if (!last || strlen(last + 1) < 9 || strcmp(last + strlen(last) - 8, ".service") != 0)
        return false;
    snprintf(unit, usize, "%s", last + 1);
    const char *at = strchr(unit, '@'), *dot = strrchr(unit, '.');
    if (!at || !dot || dot <= at + 1)
        return false;
    snprintf(inst, isize, "%.*s", (int)(dot - at - 1), at + 1);
    return true;
}

#ifndef SYSCONFDIR
#error "SYSCONFDIR: Makefile.am defines it (inc_shared), the install's $(sysconfdir)"
#endif

/* ---- the settings that need more than a number ---- */

static int check_api_key(const struct config_sources *src, const struct raw_setting *r,
                         struct config *c)
{
    if ((!r->value || !*r->value) && src->reload_check)
        return 0; /* the running process's key stays: a reload does not read it */
    if ((!r->value || !*r->value) && config_errs->unread)
        return 1; /* it may be in the file that could not be read: that error says it */
    if (!r->value || !*r->value) {
        char unit[256], inst[200];
        if (!getenv("INVOCATION_ID"))
            say(NULL, "LASTFM_API_KEY is not set: put LASTFM_API_KEY=<your key> in .env "
                      "(see .env.example) or in the environment");
        else if (unit_instance(unit, sizeof unit, inst, sizeof inst))
            say(NULL,
                "LASTFM_API_KEY is not set for %s: put the key into "
                "/etc/credstore/lastfm-api-key.%s (chmod 600), or LASTFM_API_KEY=<your key> "
                "into " SYSCONFDIR "/lastfm-syncd/%s.env (see README)",
                unit, inst, inst);
        else
            say(NULL,
                "LASTFM_API_KEY is not set for %s: put the key into "
                "/etc/credstore/lastfm-api-key (chmod 600), or LASTFM_API_KEY=<your key> "
                "into " SYSCONFDIR "/lastfm-syncd/env (see README)",
                unit[0] ? unit : "the service");
        return 1;
    }
    size_t n = strlen(r->value), hex = strspn(r->value, "0123456789abcdefABCDEF");
    if (n != 32 || hex != n)
        return config_bad(r, K_API_KEY,
                          "not a Last.fm API key (%zu characters; expected 32 hex digits): "
                          "copy it again from https://www.last.fm/api/accounts",
                          n);
    if (!(c->api_key = strdup(r->value)))
        return config_oom(r, K_API_KEY);
    return 0;
}

static int check_username(const struct config_sources *src, const struct raw_setting *r,
                          struct config *c)
{
    if ((!r->value || !*r->value) && src->reload_check)
        return 0; /* the running process's user stays */
    if ((!r->value || !*r->value) && config_errs->unread)
        return 1; /* as the key's */
    if (!r->value || !*r->value) {
        char unit[256], inst[200];
        if (!getenv("INVOCATION_ID"))
            say(NULL, "LASTFM_USERNAME is not set: put LASTFM_USERNAME=<your Last.fm user> in "
                      ".env or in the environment");
        else { /* an instance's user is its name: only the plain unit gets here */
            unit_instance(unit, sizeof unit, inst, sizeof inst);
            say(NULL,
                "LASTFM_USERNAME is not set for %s: add Environment=LASTFM_USERNAME=<your "
                "Last.fm user> with systemctl edit %s, or LASTFM_USERNAME= to " SYSCONFDIR
                "/lastfm-syncd/env (see README)",
                unit[0] ? unit : "the service", unit[0] ? unit : "lastfm-syncd");
        }
        return 1;
    }
    if (strlen(r->value) > 64 ||
        strspn(r->value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789_-.") != strlen(r->value))
        return config_bad(r, K_USERNAME,
                          "'%s' is not a Last.fm user name (letters, digits, '_', '-', "
                          "'.')",
                          r->value);
    if (!(c->username = strdup(r->value)))
        return config_oom(r, K_USERNAME);
    return 0;
}

static int check_data_dir(const struct config_sources *src, const struct raw_setting *r,
                          struct config *c)
{
    (void)src;
    if (r->value && !*r->value)
        return config_bad(r, K_DATA_DIR, "is empty: give a directory, e.g. ./data");
    if (!(c->data_dir = strdup(r->value ? r->value : default_data_dir())))
        return config_oom(r, K_DATA_DIR);
    return 0;
}

static int check_rate(const struct config_sources *src, const struct raw_setting *r,
                      struct config *c)
{
    (void)src;
    c->rate_limit = 4.5;
    if (!r->value)
        return 0;
    char *end;
    errno = 0;
    double v = strtod(r->value, &end);
    if (errno || end == r->value || *end || !isfinite(v))
        return config_bad(r, K_RATE_LIMIT, "'%s' is not a decimal number (e.g. 4.5)", r->value);
    if (v < 0.01 || v > 100.0)
        return config_bad(r, K_RATE_LIMIT,
                          "%g is out of range: use 0.01 (a request every 100 s) to 100 "
                          "requests per second (Last.fm asks for under 5)",
                          v);
    c->rate_limit = v;
    return 0;
}

static int check_ca_file(const struct config_sources *src, const struct raw_setting *r,
                         struct config *c)
{
    (void)src;
    if (!r->value)
        return 0;
    /* Checked now so that a typo is a configuration error, not a pass that
     * fails every request with a TLS error. */
    char why[600];
    if (!config_check_ca_file(r->value, why, sizeof why))
        return config_bad(
            r, K_CA_FILE,
            "%s: give a PEM file of certificate authorities, or remove the setting to "
            "use the system's",
            why);
    if (!(c->ca_file = strdup(r->value)))
        return config_oom(r, K_CA_FILE);
    return 0;
}

static int check_timezone(const struct config_sources *src, const struct raw_setting *r,
                          struct config *c)
{
    char err[512];
    (void)src;
    c->timezone = strdup(r->value && *r->value ? r->value : "UTC");
    if (!c->timezone)
        return config_oom(r, K_TIMEZONE);
    if (!tz_history_parse(c->timezone, &c->tz, err, sizeof err))
        return config_bad(r, K_TIMEZONE, "%s", err);
    return 0;
}

/* A file of rules, parsed now: a bad line is a configuration error before
 * any request.  Its path into *field. */
static int check_rules(const struct raw_setting *r, enum key k, enum config_rules kind,
                       char **field)
{
    if (!r->value || !*r->value)
        return 0;
    char why[600];
    errno = 0; /* a failed allocation sets ENOMEM: memory, not the file */
    if (!config_check_rules(kind, r->value, why, sizeof why))
        return errno == ENOMEM ? config_oom(r, k) : config_bad(r, k, "%s", why);
    if (!(*field = strdup(r->value)))
        return config_oom(r, k);
    return 0;
}

static int check_aliases(const struct config_sources *src, const struct raw_setting *r,
                         struct config *c)
{
    (void)src;
    return check_rules(r, K_ARTIST_ALIASES, CONFIG_ALIASES, &c->artist_aliases);
}

static int check_tag_ignore(const struct config_sources *src, const struct raw_setting *r,
                            struct config *c)
{
    (void)src;
    return check_rules(r, K_TAG_IGNORE, CONFIG_TAG_IGNORE, &c->tag_ignore);
}

static int check_exclude(const struct config_sources *src, const struct raw_setting *r,
                         struct config *c)
{
    (void)src;
    return check_rules(r, K_EXCLUDE, CONFIG_EXCLUDES, &c->exclude);
}

/* ---- the table ---- */

#define INT(field) CK_INT, offsetof(struct config, field), NULL
#define DURATION(field) CK_DURATION, offsetof(struct config, field), NULL
#define CUSTOM(fn) CK_CUSTOM, 0, fn

/* In --help order.  For CK_INT and CK_DURATION the range and the default are
 * added to the help text; a CK_CUSTOM's help says its own default. */
const struct config_key config_keys[K_COUNT] = {
    [K_API_KEY] = {"LASTFM_API_KEY", CUSTOM(check_api_key), 0, 0, 0, false,
                   "your Last.fm API key (32 hex digits), required"},
    [K_USERNAME] = {"LASTFM_USERNAME", CUSTOM(check_username), 0, 0, 0, false,
                    "the Last.fm user whose history is kept, required"},
    [K_API_URL] = {"LASTFM_API_URL", CUSTOM(check_url), 0, 0, 0, false,
                   "API endpoint (default " CONFIG_API_URL ")"},
    [K_DATA_DIR] = {"LASTFM_DATA_DIR", CUSTOM(check_data_dir), 0, 0, 0, true,
                    "data directory (default ./data; $STATE_DIRECTORY under systemd)"},
    [K_RATE_LIMIT] = {"LASTFM_RATE_LIMIT", CUSTOM(check_rate), 0, 0, 0, false,
                      "requests per second, decimal, 0.01..100 (default 4.5)"},
    [K_MAX_IN_FLIGHT] = {"LASTFM_MAX_IN_FLIGHT", INT(max_in_flight), 8, 1, 64, false,
                         "requests in flight at once"},
    [K_PAGE_LIMIT] = {"LASTFM_PAGE_LIMIT", INT(page_limit), 200, 1, 1000, false,
                      "scrobbles per page"},
    [K_MAX_RETRIES] = {"LASTFM_MAX_RETRIES", INT(max_retries), 10, 0, 100, false,
                       "retries per request"},
    [K_SYNC_INTERVAL] = {"LASTFM_SYNC_INTERVAL", DURATION(sync_interval), 900, 10, 7 * DAY, false,
                         "daemon: time between passes, e.g. 900, 15m, 1h"},
    [K_REQUEST_TIMEOUT] = {"LASTFM_REQUEST_TIMEOUT", DURATION(request_timeout), 30, 1, 600, false,
                           "hard limit per request, e.g. 30, 2m"},
    [K_REBUILD_INTERVAL] = {"LASTFM_REBUILD_INTERVAL", DURATION(rebuild_interval), 6 * 3600, 0,
                            7 * DAY, false,
                            "daemon: the database and report are rebuilt for new\n"
                            "scrobbles at most this often (the CSV after every pass;\n"
                            "new settings, an upgrade or SIGUSR2 at once); 0: after\n"
                            "every pass"},
    [K_CA_FILE] = {"LASTFM_CA_FILE", CUSTOM(check_ca_file), 0, 0, 0, false,
                   "PEM file of the certificate authorities trusted for\n"
                   "the API's https (default: the system's bundle)"},
    [K_FULL_RESYNC_INTERVAL] = {"LASTFM_FULL_RESYNC_INTERVAL", DURATION(full_resync_interval),
                                30 * DAY, 0, 3650 * DAY, false,
                                "re-read the whole history when its oldest stored part\n"
                                "was fetched longer ago than this, e.g. 30d; 0: only on\n"
                                "--full or SIGUSR1; else at least 1d"},
    [K_STAGE_TIMEOUT] = {"LASTFM_STAGE_TIMEOUT", DURATION(stage_timeout), 30 * 60, 0, 7 * DAY,
                         false,
                         "daemon: a flatten, process or report child that runs\n"
                         "longer is killed (its temp files removed) and the\n"
                         "schedule goes on, e.g. 30m; 0: no limit"},
    [K_TIMEZONE] = {"LASTFM_TIMEZONE", CUSTOM(check_timezone), 0, 0, 0, true,
                    "the listener's time zone, or a dated list for one who\n"
                    "moved: 'America/New_York, 2016-06-15 Europe/Berlin'\n"
                    "(default UTC)"},
    [K_DUPLICATE_WINDOW] = {"LASTFM_DUPLICATE_WINDOW", DURATION(duplicate_window), 30, 0, 3600,
                            true,
                            "the same track again within this is a double scrobble,\n"
                            "e.g. 30s; 0: the same second only"},
    [K_ARTIST_ALIASES] = {"LASTFM_ARTIST_ALIASES", CUSTOM(check_aliases), 0, 0, 0, true,
                          "file of 'Variant = Canonical' artist names (default none)"},
    [K_EXCLUDE] = {"LASTFM_EXCLUDE", CUSTOM(check_exclude), 0, 0, 0, true,
                   "file of scrobbles to set aside, one tab-separated rule\n"
                   "a line: artist NAME, album ARTIST ALBUM, dates FROM TO\n"
                   "(default none)"},
    [K_BURST_LIMIT] = {"LASTFM_BURST_LIMIT", INT(burst_limit), 8, 0, 10000, true,
                       "more scrobbles than this within a minute (59 s either\n"
                       "side) are a burst, an import, not counted; 0: off"},
    [K_REPORT_ARTIST_MIN] = {"LASTFM_REPORT_ARTIST_MIN", INT(report_artist_min),
                             CONFIG_REPORT_ARTIST_MIN, 1, 1000000000, true,
                             "the report's site has a page for each artist of at\n"
                             "least this many counted scrobbles"},
    [K_REPORT_ALBUM_MIN] = {"LASTFM_REPORT_ALBUM_MIN", INT(report_album_min),
                            CONFIG_REPORT_ALBUM_MIN, 1, 1000000000, true,
                            "... and for each album of at least this many"},
    [K_REPORT_TRACK_MIN] = {"LASTFM_REPORT_TRACK_MIN", INT(report_track_min),
                            CONFIG_REPORT_TRACK_MIN, 1, 1000000000, true,
                            "... and for each track of at least this many"},
    [K_TAGS] = {"LASTFM_TAGS", INT(tags), 1, 0, 1, false,
                "daemon and --once: after a pass, fetch each artist's\n"
                "Last.fm tags (artist.getTopTags) not stored yet; 0: off",
                .status = true},
    [K_TAG_REFRESH] = {"LASTFM_TAG_REFRESH", DURATION(tag_refresh), 180 * DAY, 0, 3650 * DAY, false,
                       "fetch an artist's stored tags again when older than\n"
                       "this (a bounded number each pass), e.g. 180d; 0: never",
                       .status = true},
    [K_TAG_IGNORE] = {"LASTFM_TAG_IGNORE", CUSTOM(check_tag_ignore), 0, 0, 0, true,
                      "file of tags that are not genres, one a line, in place\n"
                      "of the built-in list (etc/tag-ignore) (default: that list)"},
};

int config_key_lookup(const char *key)
{
    for (int k = 0; k < K_COUNT; k++)
        if (strcmp(key, config_keys[k].name) == 0)
            return k;
    return -1;
}
