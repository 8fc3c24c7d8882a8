/* config.c: .env + conf file + environment + command line -> struct config. */
#include "autoconfig.h"

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

/* ---- validation ---- */

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
            return config_bad(r, k, "'%s' is not %s", r->value,
                              duration ? "a duration (e.g. 30, 90s, 15m, 1.5h, 30d)"
                                       : "a whole number");
        if (v < lo || v > hi)
            return config_bad(r, k, "%ld is out of range: use %ld..%ld", v, lo, hi);
    }
    *out = (int)v;
    return 0;
}

/* Each key by its table entry: its number into struct config, or its own
 * check; the stages' programs check only the keys they read. */
static int validate(const struct config_sources *src, struct raw_setting *raw, struct config *c,
                    bool stages_only)
{
    int errors = 0;
    for (int k = 0; k < K_COUNT; k++) {
        const struct config_key *key = &config_keys[k];
        if (stages_only && !key->stage && !(src->status && key->status))
            continue;
        if (key->kind == CK_CUSTOM)
            errors += key->check(src, &raw[k], c);
        else
            errors += check_int(raw, (enum key)k, key->lo, key->hi, key->def,
                                key->kind == CK_DURATION, (int *)((char *)c + key->field));
    }
    if (!stages_only && c->full_resync_interval > 0 && c->full_resync_interval < 86400)
        errors +=
            config_bad(&raw[K_FULL_RESYNC_INTERVAL], K_FULL_RESYNC_INTERVAL,
                       "%d s is too often: use 0 (never) or at least 1d, since each one reads "
                       "the whole history again",
                       c->full_resync_interval);
    return errors;
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
    config_errs = &list;
    for (size_t i = 0; i < src->nconfig; i++)
        cfgerr_file(&list, src->config_files[i] + (src->config_files[i][0] == '-'));
    cfgerr_file(&list, env_file);

    for (size_t i = 0; i < src->nconfig; i++) {
        const char *path = src->config_files[i];
        bool optional = path[0] == '-';
        errors +=
            config_read_file(config_errs, path + optional, !optional, true, src->stages_only, raw);
    }
    errors += config_read_file(config_errs, env_file, src->env_file_explicit, false,
                               src->stages_only, raw);
    if (!src->reload_check) /* ExecReload= cannot read them; they take a restart */
        errors += config_read_credentials(config_errs, raw, src->stages_only);
    for (int k = 0; k < K_COUNT; k++) {
        const char *v = getenv(config_keys[k].name);
        if (v && !(k == K_API_KEY && src->stages_only))
            config_set_raw(config_errs, &raw[k], v, "environment");
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
        config_set_raw(config_errs, &raw[k], eq + 1, "command line");
    }
    errors += validate(src, raw, &c, src->stages_only);
    errors += check_build_time(&c);
    cfgerr_flush(&list);
    config_errs = NULL;
    for (int k = 0; k < K_COUNT; k++) {
        if (raw[k].value) /* wiped: the key is among them */
            explicit_bzero(raw[k].value, strlen(raw[k].value));
        free(raw[k].value);
    }
    if (errors || list.oom) {
        config_free(&c);
        return list.oom ? -ENOMEM : errors;
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
    free(c->exclude);
    free(c->tag_ignore);
    memset(c, 0, sizeof *c);
}
