/* log.c: readable lines on stderr, "ident: level: message". */
#include "autoconfig.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static enum log_level max_level = LOG_LVL_INFO;
static const char *ident = "lastfm-syncd";
static bool progress_shown;
static char secret[128];   /* never printed: replaced by REDACTED */

void log_set_secret(const char *value)
{
    snprintf(secret, sizeof secret, "%s", value ? value : "");
}

/* Replace every occurrence of the secret in `line`, in place. */
static void redact(char *line, size_t size)
{
    size_t n = strlen(secret);
    char *p;
    if (n < 8)
        return;
    while ((p = strstr(line, secret))) {
        static const char mark[] = "REDACTED";
        size_t tail = strlen(p + n);
        memmove(p + sizeof mark - 1, p + n, tail + 1);
        memcpy(p, mark, sizeof mark - 1);
        (void)size;
    }
}

void log_set_level(enum log_level level) { max_level = level; }
bool log_enabled(enum log_level level) { return level <= max_level; }
void log_set_ident(const char *id) { ident = id; }

static void log_emit(enum log_level level, const char *fmt, va_list ap)
{
    static const char *const names[] = {
        [LOG_LVL_ERR] = "error", [LOG_LVL_WARN] = "warning",
        [LOG_LVL_INFO] = "info", [LOG_LVL_DEBUG] = "debug",
    };
    int saved = errno;
    if (!log_enabled(level))
        return;
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        progress_shown = false;
    }
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    redact(line, sizeof line);
    fprintf(stderr, "%s: %s: %s\n", ident, names[level], line);
    fflush(stderr);
    errno = saved;
}

#define LOG_FN(name, level)                                                   \
    void name(const char *fmt, ...)                                           \
    {                                                                         \
        va_list ap;                                                           \
        va_start(ap, fmt);                                                    \
        log_emit(level, fmt, ap);                                             \
        va_end(ap);                                                           \
    }
LOG_FN(log_err, LOG_LVL_ERR)
LOG_FN(log_warn, LOG_LVL_WARN)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)

void log_progress(const char *fmt, ...)
{
    va_list ap;
    char line[512];
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    redact(line, sizeof line);
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    progress_shown = true;
}

void log_progress_end(void)
{
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        progress_shown = false;
    }
}
