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



const char config_help[] =
    "Settings (command line > environment > .env > conf file; under systemd the\n"
    "credentials lastfm-api-key and lastfm-username count as the environment):\n"
    "  LASTFM_API_KEY          your Last.fm API key (32 hex digits), required\n"
    "  LASTFM_USERNAME         the Last.fm user whose history is kept, required\n"
    "  LASTFM_API_URL          API endpoint (default https://ws.audioscrobbler.com/2.0/)\n"
    "  LASTFM_DATA_DIR         data directory (default ./data; $STATE_DIRECTORY under systemd)\n"
    "  LASTFM_RATE_LIMIT       requests per second, decimal (default 4.5)\n"
    "  LASTFM_MAX_IN_FLIGHT    requests in flight at once, 1..64 (default 8)\n"
    "  LASTFM_PAGE_LIMIT       scrobbles per page, 1..1000 (default 200)\n"
    "  LASTFM_MAX_RETRIES      retries per request, 0..100 (default 10)\n"
    "  LASTFM_SYNC_INTERVAL    daemon: time between passes, e.g. 900, 15m, 1h (default 15m)\n"
    "  LASTFM_REQUEST_TIMEOUT  hard limit per request, e.g. 30, 2m (default 30s)\n"
    "  LASTFM_REBUILD_INTERVAL daemon: the database and report are rebuilt for new\n"
    "                          scrobbles at most this often (the CSV after every pass;\n"
    "                          new settings, an upgrade or SIGUSR2 at once); 0: after\n"
    "                          every pass (default 6h)\n"
    "  LASTFM_CA_FILE          PEM file of the certificate authorities trusted for\n"
    "                          the API's https (default: the system's bundle)\n"
    "  LASTFM_FULL_RESYNC_INTERVAL\n"
    "                          re-read the whole history when its oldest stored part\n"
    "                          was fetched longer ago than this, e.g. 30d; 0: only on\n"
    "                          --full or SIGUSR1 (default 30d)\n"
    "  LASTFM_TIMEZONE         the listener's time zone, or a dated list for one who\n"
    "                          moved: 'America/New_York, 2016-06-15 Europe/Berlin'\n"
    "                          (default UTC)\n"
    "  LASTFM_DUPLICATE_WINDOW the same track again within this is a double scrobble,\n"
    "                          e.g. 30s (default 30s; 0: the same second only)\n"
    "  LASTFM_ARTIST_ALIASES   file of 'Variant = Canonical' artist names (default none)\n"
    "  LASTFM_BURST_LIMIT      more scrobbles than this within a minute (59 s either\n"
    "                          side) are a burst, an import, not counted: 0..10000\n"
    "                          (default 8; 0: off)\n"
    "  LASTFM_REPORT_ARTIST_MIN\n"
    "                          the report's site has a page for each artist of at\n"
    "                          least this many counted scrobbles, 1.. (default 50)\n";

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
    say(r->origin[0] ? r->origin : "default", "%s: %s", config_key_names[k], msg);
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
    const char *url = r->value ? r->value : "https://ws.audioscrobbler.com/2.0/";
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

static int validate_stages(struct raw_setting *raw, struct config *c)
{
    int errors = 0;
    const struct raw_setting *r = &raw[K_TIMEZONE];
    char err[512];
    c->timezone = strdup(r->value && *r->value ? r->value : "UTC");
    if (!c->timezone)
        errors += bad(r, K_TIMEZONE, "out of memory");
    else if (!tz_history_parse(c->timezone, &c->tz, err, sizeof err))
        errors += bad(r, K_TIMEZONE, "%s", err);
    errors += check_int(raw, K_DUPLICATE_WINDOW, 0, 3600, 30, true, &c->duplicate_window);
    errors += check_int(raw, K_BURST_LIMIT, 0, 10000, 8, false, &c->burst_limit);
    errors += check_int(raw, K_REPORT_ARTIST_MIN, 1, 1000000000, CONFIG_REPORT_ARTIST_MIN, false,
                        &c->report_artist_min);
    r = &raw[K_ARTIST_ALIASES];
    if (r->value && *r->value) {
        if (access(r->value, R_OK) < 0)
            errors += bad(r, K_ARTIST_ALIASES, "'%s': %s: give a readable file of "
                          "'Variant = Canonical' lines, or leave it unset", r->value,
                          strerror(errno));
        else if (!(c->artist_aliases = strdup(r->value)))
            errors += bad(r, K_ARTIST_ALIASES, "out of memory");
    }
    return errors;
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

static int validate(const struct config_sources *src, struct raw_setting *raw,
                    struct config *c, bool stages_only)
{
    int errors = validate_stages(raw, c);
    const struct raw_setting *r;

    r = &raw[K_DATA_DIR];
    if (r->value && !*r->value)
        errors += bad(r, K_DATA_DIR, "is empty: give a directory, e.g. ./data");
    else if (!(c->data_dir = strdup(r->value ? r->value : default_data_dir())))
        errors += bad(r, K_DATA_DIR, "out of memory");
    if (stages_only)
        return errors;

    r = &raw[K_API_KEY];
    if ((!r->value || !*r->value) && src->reload_check) {
        /* the running process's key stays: a reload does not read it */
    } else if (!r->value || !*r->value) {
        char unit[256], inst[200];
        if (!getenv("INVOCATION_ID"))
            say(NULL, "LASTFM_API_KEY is not set: put LASTFM_API_KEY=<your key> in .env "
                    "(see .env.example) or in the environment");
        else if (unit_instance(unit, sizeof unit, inst, sizeof inst))
            say(NULL, "LASTFM_API_KEY is not set for %s: put the key into "
                    "/etc/credstore/lastfm-api-key.%s (chmod 600), or LASTFM_API_KEY=<your key> "
                    "into /etc/lastfm-syncd/%s.env (see README)", unit, inst, inst);
        else
            say(NULL, "LASTFM_API_KEY is not set for %s: put the key into "
                    "/etc/credstore/lastfm-api-key (chmod 600), or LASTFM_API_KEY=<your key> into "
                    "/etc/lastfm-syncd/env (see README)", unit[0] ? unit : "the service");
        errors++;
    } else {
        size_t n = strlen(r->value), hex = strspn(r->value, "0123456789abcdefABCDEF");
        if (n != 32 || hex != n)
            errors += bad(r, K_API_KEY,
                          "not a Last.fm API key (%zu characters; expected 32 hex digits): "
                          "copy it again from https://www.last.fm/api/accounts", n);
        else if (!(c->api_key = strdup(r->value)))
            errors += bad(r, K_API_KEY, "out of memory");
    }

    r = &raw[K_USERNAME];
    if ((!r->value || !*r->value) && src->reload_check) {
        /* the running process's user stays */
    } else if (!r->value || !*r->value) {
        say(NULL, "LASTFM_USERNAME is not set: put LASTFM_USERNAME=<your Last.fm user> in "
                ".env or in the environment");
        errors++;
    } else if (strlen(r->value) > 64 ||
               strspn(r->value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_-.") != strlen(r->value)) {
        errors += bad(r, K_USERNAME,
                      "'%s' is not a Last.fm user name (letters, digits, '_', '-', '.')",
                      r->value);
    } else if (!(c->username = strdup(r->value))) {
        errors += bad(r, K_USERNAME, "out of memory");
    }

    errors += check_url(src, &raw[K_API_URL], c);

    r = &raw[K_RATE_LIMIT];
    c->rate_limit = 4.5;
    if (r->value) {
        char *end;
        errno = 0;
        double v = strtod(r->value, &end);
        if (errno || end == r->value || *end || !isfinite(v))
            errors += bad(r, K_RATE_LIMIT, "'%s' is not a decimal number (e.g. 4.5)", r->value);
        else if (v <= 0.0 || v > 100.0)
            errors += bad(r, K_RATE_LIMIT, "%g is out of range: use a rate above 0 and at "
                          "most 100 requests per second (Last.fm asks for under 5)", v);
        else
            c->rate_limit = v;
    }
    errors += check_int(raw, K_MAX_IN_FLIGHT, 1, 64, 8, false, &c->max_in_flight);
    errors += check_int(raw, K_PAGE_LIMIT, 1, 1000, 200, false, &c->page_limit);
    errors += check_int(raw, K_MAX_RETRIES, 0, 100, 10, false, &c->max_retries);
    errors += check_int(raw, K_SYNC_INTERVAL, 10, 7 * 86400, 900, true, &c->sync_interval);
    errors += check_int(raw, K_REBUILD_INTERVAL, 0, 7 * 86400, 6 * 3600, true,
                        &c->rebuild_interval);
    errors += check_int(raw, K_REQUEST_TIMEOUT, 1, 600, 30, true, &c->request_timeout);
    errors += check_int(raw, K_FULL_RESYNC_INTERVAL, 0, 3650 * 86400, 30 * 86400, true,
                        &c->full_resync_interval);
    if (c->full_resync_interval > 0 && c->full_resync_interval < 86400)
        errors += bad(&raw[K_FULL_RESYNC_INTERVAL], K_FULL_RESYNC_INTERVAL,
                      "%d s is too often: use 0 (never) or at least 1d, since each one reads "
                      "the whole history again", c->full_resync_interval);

    r = &raw[K_CA_FILE];
    if (r->value) {
        /* Checked now so that a typo is a configuration error, not a pass
         * that fails every request with a TLS error. */
        struct stat st;
        int fd = *r->value ? store_open_regular(r->value, 0, &st) : -EINVAL;
        if (fd < 0)
            errors += bad(r, K_CA_FILE, "'%s' cannot be read (%s): give a PEM file of "
                          "certificate authorities, or remove the setting to use the "
                          "system's", r->value, !*r->value ? "empty" : fd == -EINVAL
                          ? "not a regular file" : strerror(-fd));
        else {
            close(fd);
            if (!(c->ca_file = strdup(r->value)))
                errors += bad(r, K_CA_FILE, "out of memory");
        }
    }
    return errors;
}

bool config_add_file(struct config_sources *src, const char *path)
{
    if (src->nconfig == CONFIG_MAX_FILES)
        return false;
    src->config_files[src->nconfig++] = path;
    return true;
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
    errors += config_read_file(errs, env_file, src->env_file_explicit, false, src->stages_only, raw);
    if (!src->reload_check)   /* ExecReload= cannot read them; they take a restart */
        errors += config_read_credentials(errs, raw, src->stages_only);
    for (int k = 0; k < K_COUNT; k++) {
        const char *v = getenv(config_key_names[k]);
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
    cfgerr_flush(&list);
    errs = NULL;
    for (int k = 0; k < K_COUNT; k++) {
        if (raw[k].value)   /* wiped: the key is among them */
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
