/* log.c: readable lines on stderr, "ident: level: message". */
#include "autoconfig.h"

/* The location is the caller's: passed to sd_journal_sendv_with_location(). */
#define SD_JOURNAL_SUPPRESS_LOCATION 1

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "log.h"

static enum log_level max_level = LOG_LVL_INFO;
static const char *ident = "lastfm-syncd";
static bool progress_shown;
static char secret[128]; /* never printed: replaced by REDACTED */
static bool to_journal;  /* stderr is the journal: send native entries */

void log_open(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    to_journal = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
                 (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_set_secret(const char *value)
{
    snprintf(secret, sizeof secret, "%s", value ? value : "");
}

/* Replace every occurrence of the secret in `line`, in place, whatever its
 * case (a server may echo the key upper-cased: hex digits have two cases). */
static void redact(char *line, size_t size)
{
    size_t n = strlen(secret);
    char *p;
    if (n < 8)
        return;
    while ((p = strcasestr(line, secret))) {
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

/* Write one entry: to the journal with fields, or as a line on stderr. */
static void emit(const char *file, int line_no, const char *func, enum log_level level,
                 const char *message_id, const char *const *fields, const char *fmt, va_list ap)
{
    static const char *const names[] = {
        [LOG_LVL_ERR] = "error",
        [LOG_LVL_WARN] = "warning",
        [LOG_LVL_INFO] = "info",
        [LOG_LVL_DEBUG] = "debug",
    };
    int saved = errno;
    if (!log_enabled(level))
        return;
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    redact(line, sizeof line);
    if (to_journal) {
        struct iovec iov[24];
        char msg[2100], prio[16], ident_field[64], id[64], extra[16][256];
        size_t n = 0;
        snprintf(msg, sizeof msg, "MESSAGE=%s", line);
        snprintf(prio, sizeof prio, "PRIORITY=%d", (int)level);
        snprintf(ident_field, sizeof ident_field, "SYSLOG_IDENTIFIER=%s", ident);
        iov[n++] = (struct iovec){msg, strlen(msg)};
        iov[n++] = (struct iovec){prio, strlen(prio)};
        iov[n++] = (struct iovec){ident_field, strlen(ident_field)};
        if (message_id) {
            snprintf(id, sizeof id, "MESSAGE_ID=%s", message_id);
            iov[n++] = (struct iovec){id, strlen(id)};
        }
        for (size_t i = 0; fields && fields[i] && i < 16; i++) {
            snprintf(extra[i], sizeof extra[i], "%s", fields[i]);
            redact(extra[i], sizeof extra[i]);
            iov[n++] = (struct iovec){extra[i], strlen(extra[i])};
        }
        /* The caller's place, not this file's (CODE_FILE, CODE_LINE, CODE_FUNC). */
        char code_file[256], code_line[32];
        snprintf(code_file, sizeof code_file, "CODE_FILE=%s", file);
        snprintf(code_line, sizeof code_line, "CODE_LINE=%d", line_no);
        if (sd_journal_sendv_with_location(code_file, code_line, func, iov, (int)n) >= 0) {
            errno = saved;
            return;
        }
    }
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        progress_shown = false;
    }
    fprintf(stderr, "%s: %s: %s\n", ident, names[level], line);
    fflush(stderr);
    errno = saved;
}

void log_at(const char *file, int line, const char *func, enum log_level level,
            const char *message_id, const char *const *fields, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(file, line, func, level, message_id, fields, fmt, ap);
    va_end(ap);
}

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
