/* config_files.c: the settings that name a file, checked by reading it, so
 * that a bad file is a configuration error at the start (exit 78, before any
 * request) and not a failure later: the CA bundle must hold a PEM certificate,
 * the alias file must parse. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aliases.h"
#include "excludes.h"
#include "tagignore.h"
#include "config_int.h"
#include "store.h"

/* The whole of a regular file of at most `max` bytes, NUL-terminated, read
 * without blocking on a FIFO or a device.  NULL with `why` said. */
static char *read_small(const char *path, size_t max, size_t *ret_len, char *why, size_t size)
{
    struct stat st;
    if (!*path) {
        snprintf(why, size, "the file name is empty");
        return NULL;
    }
    int fd = store_open_regular(path, 0, &st);
    if (fd < 0) {
        if (fd == -EISDIR || fd == -EINVAL)
            snprintf(why, size, "'%s' is %s", path,
                     fd == -EISDIR ? "a directory" : "not a regular file");
        else
            snprintf(why, size, "'%s' cannot be read (%s)", path, strerror(-fd));
        return NULL;
    }
    char *buf;
    size_t len;
    int r = store_read_fd(fd, max, &buf, &len, NULL);
    close(fd);
    if (r == -EFBIG)
        snprintf(why, size, "'%s' is %lld bytes, more than %zu", path, (long long)st.st_size, max);
    else if (r < 0)
        snprintf(why, size, "'%s' cannot be read (%s)", path, strerror(-r));
    if (r < 0)
        return NULL;
    *ret_len = len;
    return buf;
}

/* At least one "-----BEGIN CERTIFICATE-----" block with base64 inside and its
 * END line: what curl's CA file must hold (the certificates themselves are
 * judged by the TLS library when it loads them). */
static bool holds_pem_certificate(const char *text)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
    for (const char *b = strstr(text, begin); b; b = strstr(b + 1, begin)) {
        const char *body = b + sizeof begin - 1, *e = strstr(body, end);
        if (!e)
            return false;
        size_t n = (size_t)(e - body), b64 = 0;
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++) {
            char c = body[i];
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '+' || c == '/' || c == '=')
                b64++;
            else
                ok = c == '\n' || c == '\r' || c == ' ' || c == '\t';
        }
        if (ok && b64 >= 64)
            return true;
    }
    return false;
}

bool config_check_ca_file(const char *path, char *why, size_t size)
{
    size_t len;
    char *text = read_small(path, 64u << 20, &len, why, size);
    if (!text)
        return false;
    bool ok = holds_pem_certificate(text);
    free(text);
    if (!ok)
        snprintf(why, size, "'%s' holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path);
    return ok;
}

bool config_check_rules(enum config_rules kind, const char *path, char *why, size_t size)
{
    size_t len;
    char *text = read_small(path, 1u << 20, &len, why, size);
    if (!text) {
        size_t n = strlen(why);
        snprintf(why + n, size - n, ": give a file of %s, or leave it unset",
                 kind == CONFIG_ALIASES    ? "'Variant = Canonical' lines"
                 : kind == CONFIG_EXCLUDES ? "tab-separated rules (artist, album, dates)"
                                           : "tags, one a line");
        return false;
    }
    bool ok;
    if (kind == CONFIG_ALIASES) {
        struct aliases al;
        if ((ok = aliases_parse(path, text, len, &al, why, size)))
            aliases_free(&al);
    } else if (kind == CONFIG_EXCLUDES) {
        struct excludes x;
        if ((ok = excludes_parse(path, text, len, &x, why, size)))
            excludes_free(&x);
    } else {
        struct tag_ignore t;
        if ((ok = tagignore_parse(path, text, len, &t, why, size)))
            tagignore_free(&t);
    }
    free(text);
    return ok;
}
