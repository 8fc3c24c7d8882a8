/* config_read.c: settings as found, from files and credentials: read without
 * blocking, only regular files, the key wiped from every buffer it passed. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_int.h"
#include "conffile_int.h"
#include "log.h"
#include "store.h"

struct collect_ctx {
    struct cfgerr_list *errs; /* where errors are said */
    struct raw_setting *raw;  /* K_COUNT entries */
    bool strict;              /* unknown keys are errors (conf file) */
    bool no_key;              /* the stages' programs: LASTFM_API_KEY is passed over */
    int errors;
};

void config_set_raw(struct cfgerr_list *errs, struct raw_setting *r, const char *value,
                    const char *origin)
{
    if (r->value)
        explicit_bzero(r->value, strlen(r->value)); /* it may be the key */
    free(r->value);
    r->value = strdup(value);
    if (!r->value) { /* the setting then counts as unset: say why, and fail */
        cfgerr_oom(errs, origin);
        r->origin[0] = '\0';
        return;
    }
    snprintf(r->origin, sizeof r->origin, "%s", origin);
}

static void on_entry(void *opaque, const char *file, unsigned line, const char *key,
                     const char *value)
{
    struct collect_ctx *ctx = opaque;
    char origin[300];
    snprintf(origin, sizeof origin, "%s:%u", file, line);
    int k = config_key_lookup(key);
    if (k < 0) {
        /* A .env may hold other programs' settings; a LASTFM_ typo is ours,
         * and a lower-case lastfm_ key is almost surely meant for us. */
        if (ctx->strict || strncmp(key, "LASTFM_", 7) == 0) {
            cfgerr_add(ctx->errs, origin,
                       "unknown setting %s: remove it or fix its name (see --help)", key);
            ctx->errors++;
        } else if (strncasecmp(key, "LASTFM_", 7) == 0)
            log_warn("%s: %s is ignored: settings are upper case (LASTFM_...)", origin, key);
        return;
    }
    if (k == K_API_KEY && ctx->no_key)
        return; /* never copied: the stages need no key */
    config_set_raw(ctx->errs, &ctx->raw[k], value, origin);
}

static void on_error(void *opaque, const char *file, unsigned line, const char *what)
{
    struct collect_ctx *ctx = opaque;
    char origin[300];
    snprintf(origin, sizeof origin, "%s:%u", file, line);
    cfgerr_add(ctx->errs, origin, "%s", what);
    ctx->errors++;
}

int config_read_file(struct cfgerr_list *errs, const char *path, bool must_exist, bool strict,
                     bool no_key, struct raw_setting *raw)
{
    struct stat st;
    int fd = store_open_regular(path, 0, &st);
    if (fd < 0) {
        errno = -fd;
        if (errno == ENOENT && !must_exist)
            return 0;
        int e = errno;
        if (e != ENOENT)
            errs->unread = true;
        cfgerr_add(errs, path, "cannot read: %s%s",
                   e == EINVAL ? "not a regular file" : strerror(e),
                   e == ENOENT   ? (strict ? ": fix the path, or create it (KEY=VALUE lines, see "
                                             "lastfm-syncd.conf(5))"
                                           : ": fix the path, or create it (see .env.example)")
                   : e == EACCES ? ": let this user read it (its owner, mode 600) or run as its "
                                   "owner"
                                 : "");
        return 1;
    }
    int errors = 0;
    size_t len = 0, cap = st.st_size > 0 && st.st_size <= 1 << 20 ? (size_t)st.st_size + 1 : 4096;
    char *text = malloc(cap);
    for (ssize_t n = 1; text && n > 0;) {
        if (len == cap) {
            if (cap > 1 << 20) {
                cfgerr_add(errs, path, "larger than 1 MiB: this is not a settings file");
                errors++;
                break;
            }
            /* Grown by copy, the old copy wiped: it may hold the key. */
            char *t = malloc(cap * 2);
            if (t)
                memcpy(t, text, len);
            explicit_bzero(text, cap);
            free(text);
            text = t;
            cap *= 2;
            continue;
        }
        n = read(fd, text + len, cap - len);
        if (n < 0 && errno == EINTR)
            n = 1;
        else if (n < 0) {
            cfgerr_add(errs, path, "read error: %s", strerror(errno));
            errors++;
        } else
            len += (size_t)n;
    }
    if (!text) {
        cfgerr_oom(errs, path);
        errors++;
    }
    close(fd);
    if (!errors && len > 1 << 20) {
        cfgerr_add(errs, path, "larger than 1 MiB: this is not a settings file");
        errors++;
    }
    bool shared = st.st_mode & (S_IRWXG | S_IRWXO);
    if (!errors) {
        struct collect_ctx ctx = {.errs = errs, .raw = raw, .strict = strict, .no_key = no_key};
        conffile_parse(path, text, len, on_entry, on_error, &ctx);
        errors += ctx.errors;
        /* As ssh does for a private key: say so when others can read it. */
        size_t plen = strlen(path);
        if (shared && strncmp(raw[K_API_KEY].origin, path, plen) == 0 &&
            raw[K_API_KEY].origin[plen] == ':')
            log_warn("%s holds LASTFM_API_KEY and is readable by group or others (mode %04o): "
                     "chmod 600 %s",
                     path, (unsigned)(st.st_mode & 07777), path);
    }
    if (text)
        explicit_bzero(text, cap);
    free(text);
    return errors;
}

int config_read_credentials(struct cfgerr_list *errs, struct raw_setting *raw, bool no_key)
{
    static const struct {
        const char *name;
        enum key key;
    } creds[] = {{"lastfm-api-key", K_API_KEY}, {"lastfm-username", K_USERNAME}};
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    int errors = 0;
    if (!dir)
        return 0;
    for (size_t i = no_key ? 1 : 0; i < sizeof creds / sizeof *creds; i++) {
        char path[4096], value[256];
        snprintf(path, sizeof path, "%s/%s", dir, creds[i].name);
        struct stat st;
        int fd = store_open_regular(path, 0, &st);
        FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
        if (!f) {
            if (fd >= 0)
                close(fd);
            else
                errno = -fd;
            if (errno != ENOENT) {
                errs->unread = true;
                cfgerr_add(errs, path, "cannot read: %s: check LoadCredential=", strerror(errno));
                errors++;
            }
            continue;
        }
        size_t n = fread(value, 1, sizeof value - 1, f);
        fclose(f);
        value[n] = '\0';
        while (n > 0 && (value[n - 1] == '\n' || value[n - 1] == '\r' || value[n - 1] == ' '))
            value[--n] = '\0';
        config_set_raw(errs, &raw[creds[i].key], value, path);
        explicit_bzero(value, sizeof value);
    }
    return errors;
}
