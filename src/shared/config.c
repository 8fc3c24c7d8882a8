/* config.c: .env + conf file + environment + command line -> struct config. */
#include "autoconfig.h"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfgerr.h"
#include "conffile.h"
#include "config_int.h"
#include "log.h"
#include "store.h"

/* The errors of the config_load() in progress, said in line order at its end. */
static struct cfgerr_list *errs;
#define say(origin, ...) cfgerr_add(errs, (origin), __VA_ARGS__)

/* systemd's LoadCredential=: $CREDENTIALS_DIRECTORY/lastfm-api-key (and
 * lastfm-username) count as the environment, so the environment itself wins. */

/* ---- validation ---- */

static int bad(const struct raw_setting *r, enum key k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(const struct raw_setting *r, enum key k, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    say(r->origin[0] ? r->origin : "default", "%s: %s", config_keys[k].name, msg);
    return 1;
}

static bool parse_long(const char *s, long *ret)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return false;
    *ret = v;
    return true;
}

/* "900", "900s", "15m", "1h", "1.5h", "30d" -> seconds (rounded). */
static bool parse_duration(const char *s, long *ret)
{
    char *end;
    errno = 0;
    if (!*s || !((*s >= '0' && *s <= '9') || *s == '.'))
        return false;
    double v = strtod(s, &end);
    if (errno || end == s || !isfinite(v) || v < 0)
        return false;
    double mult = 1;
    if (*end == 's')
        end++;
    else if (*end == 'm')
        mult = 60, end++;
    else if (*end == 'h')
        mult = 3600, end++;
    else if (*end == 'd')
        mult = 86400, end++;
    if (*end || v * mult > (double)LONG_MAX / 2)
        return false;
    *ret = lround(v * mult);
    return true;
}

static int check_int(const struct raw_setting *raw, enum key k, long lo, long hi, long def,
                     bool duration, int *out)
{
    long v = def;
    const struct raw_setting *r = &raw[k];
    if (r->value) {
        bool ok = duration ? parse_duration(r->value, &v) : parse_long(r->value, &v);
        if (!ok)
            return bad(r, k, "'%s' is not %s", r->value,
                       duration ? "a duration (e.g. 30, 90s, 15m, 1.5h, 30d)" : "a whole number");
        if (v < lo || v > hi)
            return bad(r, k, "%ld is out of range: use %ld..%ld", v, lo, hi);
    }
    *out = (int)v;
    return 0;
}

static int check_url(const struct config_sources *src, const struct raw_setting *r,
                     struct config *c)
{
    const char *url = r->value ? r->value : CONFIG_API_URL;
    char why[256] = "";
    if (!src->check_url)
        return bad(r, K_API_URL, "cannot be checked here");
    if (!src->check_url(url, &c->api_url_is_loopback, why, sizeof why))
        return bad(r, K_API_URL, "%s", why);
    if (!(c->api_url = strdup(url)))
        return bad(r, K_API_URL, "out of memory");
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

/* ---- the settings that need more than a number ---- */

static int check_api_key(const struct config_sources *src, const struct raw_setting *r,
                         struct config *c)
{
    if ((!r->value || !*r->value) && src->reload_check)
        return 0; /* the running process's key stays: a reload does not read it */
    if (!r->value || !*r->value) {
        char unit[256], inst[200];
        if (!getenv("INVOCATION_ID"))
            say(NULL, "LASTFM_API_KEY is not set: put LASTFM_API_KEY=<your key> in .env "
                      "(see .env.example) or in the environment");
        else if (unit_instance(unit, sizeof unit, inst, sizeof inst))
            say(NULL,
                "LASTFM_API_KEY is not set for %s: put the key into "
                "/etc/credstore/lastfm-api-key.%s (chmod 600), or LASTFM_API_KEY=<your key> "
                "into /etc/lastfm-syncd/%s.env (see README)",
                unit, inst, inst);
        else
            say(NULL,
                "LASTFM_API_KEY is not set for %s: put the key into "
                "/etc/credstore/lastfm-api-key (chmod 600), or LASTFM_API_KEY=<your key> into "
                "/etc/lastfm-syncd/env (see README)",
                unit[0] ? unit : "the service");
        return 1;
    }
    size_t n = strlen(r->value), hex = strspn(r->value, "0123456789abcdefABCDEF");
    if (n != 32 || hex != n)
        return bad(r, K_API_KEY,
                   "not a Last.fm API key (%zu characters; expected 32 hex digits): "
                   "copy it again from https://www.last.fm/api/accounts",
                   n);
    if (!(c->api_key = strdup(r->value)))
        return bad(r, K_API_KEY, "out of memory");
    return 0;
}

static int check_username(const struct config_sources *src, const struct raw_setting *r,
                          struct config *c)
{
    if ((!r->value || !*r->value) && src->reload_check)
        return 0; /* the running process's user stays */
    if (!r->value || !*r->value) {
        say(NULL, "LASTFM_USERNAME is not set: put LASTFM_USERNAME=<your Last.fm user> in "
                  ".env or in the environment");
        return 1;
    }
    if (strlen(r->value) > 64 ||
        strspn(r->value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789_-.") != strlen(r->value))
        return bad(r, K_USERNAME,
                   "'%s' is not a Last.fm user name (letters, digits, '_', '-', "
                   "'.')",
                   r->value);
    if (!(c->username = strdup(r->value)))
        return bad(r, K_USERNAME, "out of memory");
    return 0;
}

static int check_data_dir(const struct config_sources *src, const struct raw_setting *r,
                          struct config *c)
{
    (void)src;
    if (r->value && !*r->value)
        return bad(r, K_DATA_DIR, "is empty: give a directory, e.g. ./data");
    if (!(c->data_dir = strdup(r->value ? r->value : default_data_dir())))
        return bad(r, K_DATA_DIR, "out of memory");
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
        return bad(r, K_RATE_LIMIT, "'%s' is not a decimal number (e.g. 4.5)", r->value);
    if (v < 0.01 || v > 100.0)
        return bad(r, K_RATE_LIMIT,
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
        return bad(r, K_CA_FILE,
                   "%s: give a PEM file of certificate authorities, or remove the setting to "
                   "use the system's",
                   why);
    if (!(c->ca_file = strdup(r->value)))
        return bad(r, K_CA_FILE, "out of memory");
    return 0;
}

static int check_timezone(const struct config_sources *src, const struct raw_setting *r,
                          struct config *c)
{
    char err[512];
    (void)src;
    c->timezone = strdup(r->value && *r->value ? r->value : "UTC");
    if (!c->timezone)
        return bad(r, K_TIMEZONE, "out of memory");
    if (!tz_history_parse(c->timezone, &c->tz, err, sizeof err))
        return bad(r, K_TIMEZONE, "%s", err);
    return 0;
}

static int check_aliases(const struct config_sources *src, const struct raw_setting *r,
                         struct config *c)
{
    (void)src;
    if (!r->value || !*r->value)
        return 0;
    /* Parsed now: a bad line is a configuration error before any request. */
    char why[600];
    if (!config_check_aliases(r->value, why, sizeof why))
        return bad(r, K_ARTIST_ALIASES, "%s", why);
    if (!(c->artist_aliases = strdup(r->value)))
        return bad(r, K_ARTIST_ALIASES, "out of memory");
    return 0;
}

/* ---- the table ---- */

#define DAY (24L * 3600)
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
    [K_BURST_LIMIT] = {"LASTFM_BURST_LIMIT", INT(burst_limit), 8, 0, 10000, true,
                       "more scrobbles than this within a minute (59 s either\n"
                       "side) are a burst, an import, not counted; 0: off"},
    [K_REPORT_ARTIST_MIN] = {"LASTFM_REPORT_ARTIST_MIN", INT(report_artist_min),
                             CONFIG_REPORT_ARTIST_MIN, 1, 1000000000, true,
                             "the report's site has a page for each artist of at\n"
                             "least this many counted scrobbles"},
};

/* Each key by its table entry: its number into struct config, or its own
 * check; the stages' programs check only the keys they read. */
static int validate(const struct config_sources *src, struct raw_setting *raw, struct config *c,
                    bool stages_only)
{
    int errors = 0;
    for (int k = 0; k < K_COUNT; k++) {
        const struct config_key *key = &config_keys[k];
        if (stages_only && !key->stage)
            continue;
        if (key->kind == CK_CUSTOM)
            errors += key->check(src, &raw[k], c);
        else
            errors += check_int(raw, (enum key)k, key->lo, key->hi, key->def,
                                key->kind == CK_DURATION, (int *)((char *)c + key->field));
    }
    if (!stages_only && c->full_resync_interval > 0 && c->full_resync_interval < 86400)
        errors += bad(&raw[K_FULL_RESYNC_INTERVAL], K_FULL_RESYNC_INTERVAL,
                      "%d s is too often: use 0 (never) or at least 1d, since each one reads "
                      "the whole history again",
                      c->full_resync_interval);
    return errors;
}

int config_key_lookup(const char *key)
{
    for (int k = 0; k < K_COUNT; k++)
        if (strcmp(key, config_keys[k].name) == 0)
            return k;
    return -1;
}

/* 900 -> "15m", 21600 -> "6h", 2592000 -> "30d", 30 -> "30s". */
static void duration_text(long s, char *buf, size_t size)
{
    if (s >= DAY && s % DAY == 0)
        snprintf(buf, size, "%ldd", s / DAY);
    else if (s >= 3600 && s % 3600 == 0)
        snprintf(buf, size, "%ldh", s / 3600);
    else if (s >= 60 && s % 60 == 0)
        snprintf(buf, size, "%ldm", s / 60);
    else
        snprintf(buf, size, "%lds", s);
}

#define HELP_COLUMN 26 /* where the text starts: "  NAME" padded */
#define HELP_WIDTH 80

void config_write_help(FILE *f)
{
    fputs("Settings (command line > environment > .env > conf file; under systemd the\n"
          "credentials lastfm-api-key and lastfm-username count as the environment):\n",
          f);
    for (int k = 0; k < K_COUNT; k++) {
        const struct config_key *c = &config_keys[k];
        char tail[96] = "", def[32];
        if (c->kind == CK_DURATION) {
            duration_text(c->def, def, sizeof def);
            snprintf(tail, sizeof tail, "(default %s)", def);
        } else if (c->kind == CK_INT) {
            snprintf(tail, sizeof tail, "%ld..%ld (default %ld)", c->lo, c->hi, c->def);
        }
        if (strlen(c->name) + 3 > HELP_COLUMN)
            fprintf(f, "  %s\n%*s", c->name, HELP_COLUMN, "");
        else
            fprintf(f, "  %-*s", HELP_COLUMN - 2, c->name);
        /* the text's lines, the last one with the range and default when they fit */
        const char *line = c->help;
        for (;;) {
            size_t n = strcspn(line, "\n");
            bool last = line[n] == '\0';
            fprintf(f, "%.*s", (int)n, line);
            if (last) { /* "..., 1..64 (default 8)", "... (default 15m)" */
                const char *sep = c->kind == CK_INT ? ", " : " ";
                if (tail[0] && HELP_COLUMN + n + strlen(sep) + strlen(tail) <= HELP_WIDTH)
                    fprintf(f, "%s%s\n", sep, tail);
                else if (tail[0])
                    fprintf(f, "%s\n%*s%s\n", c->kind == CK_INT ? "," : "", HELP_COLUMN, "", tail);
                else
                    fputc('\n', f);
                break;
            }
            fprintf(f, "\n%*s", HELP_COLUMN, "");
            line += n + 1;
        }
    }
}
bool config_add_file(struct config_sources *src, const char *path)
{
    if (src->nconfig == CONFIG_MAX_FILES)
        return false;
    src->config_files[src->nconfig++] = path;
    return true;
}

/* SOURCE_DATE_EPOCH, as reproducible-builds.org specifies it: decimal Unix
 * seconds; and a time a history can be built at (rows after it are bad_time,
 * so a far future would give a year page to any stray date). */
static int check_build_time(struct config *c)
{
    const char *v = getenv("SOURCE_DATE_EPOCH");
    if (!v)
        return 0;
    char *end;
    errno = 0;
    long long t = strtoll(v, &end, 10);
    if (errno || end == v || *end || t < CONFIG_BUILD_TIME_MIN || t >= CONFIG_BUILD_TIME_MAX) {
        say("environment",
            "SOURCE_DATE_EPOCH is not a time in Unix seconds from 2002-10-01 to 2099-12-31 "
            "(e.g. SOURCE_DATE_EPOCH=$(date +%%s)): set it to one, or unset it");
        return 1;
    }
    c->build_time = t;
    return 0;
}

int config_load(const struct config_sources *src, struct config *ret)
{
    struct raw_setting raw[K_COUNT];
    struct config c;
    int errors = 0;
    struct cfgerr_list list = {0};
    const char *env_file = src->env_file ? src->env_file : ".env";
    memset(raw, 0, sizeof raw);
    memset(&c, 0, sizeof c);
    errs = &list;
    for (size_t i = 0; i < src->nconfig; i++)
        cfgerr_file(&list, src->config_files[i] + (src->config_files[i][0] == '-'));
    cfgerr_file(&list, env_file);

    for (size_t i = 0; i < src->nconfig; i++) {
        const char *path = src->config_files[i];
        bool optional = path[0] == '-';
        errors += config_read_file(errs, path + optional, !optional, true, src->stages_only, raw);
    }
    errors +=
        config_read_file(errs, env_file, src->env_file_explicit, false, src->stages_only, raw);
    if (!src->reload_check) /* ExecReload= cannot read them; they take a restart */
        errors += config_read_credentials(errs, raw, src->stages_only);
    for (int k = 0; k < K_COUNT; k++) {
        const char *v = getenv(config_keys[k].name);
        if (v && !(k == K_API_KEY && src->stages_only))
            config_set_raw(errs, &raw[k], v, "environment");
    }
    for (const char *const *o = src->overrides; o && *o; o++) {
        const char *eq = strchr(*o, '=');
        char key[64];
        int k = -1;
        if (eq && (size_t)(eq - *o) < sizeof key) {
            memcpy(key, *o, (size_t)(eq - *o));
            key[eq - *o] = '\0';
            k = config_key_lookup(key);
        }
        if (k < 0) {
            say("command line", "--set '%.*s': expected KEY=VALUE with a known KEY (see --help)",
                eq ? (int)(eq - *o) : 64, *o);
            errors++;
            continue;
        }
        config_set_raw(errs, &raw[k], eq + 1, "command line");
    }
    errors += validate(src, raw, &c, src->stages_only);
    errors += check_build_time(&c);
    cfgerr_flush(&list);
    errs = NULL;
    for (int k = 0; k < K_COUNT; k++) {
        if (raw[k].value) /* wiped: the key is among them */
            explicit_bzero(raw[k].value, strlen(raw[k].value));
        free(raw[k].value);
    }
    if (errors) {
        config_free(&c);
        return errors;
    }
    *ret = c;
    return 0;
}

void config_free(struct config *c)
{
    if (!c)
        return;
    if (c->api_key)
        explicit_bzero(c->api_key, strlen(c->api_key));
    free(c->api_key);
    free(c->username);
    free(c->api_url);
    free(c->data_dir);
    free(c->ca_file);
    free(c->timezone);
    free(c->artist_aliases);
    memset(c, 0, sizeof *c);
}
