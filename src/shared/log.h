/* log.h: the one logging API of lastfm-syncd.
 *
 * Every message goes through here; nothing else writes to stderr.  Library-level
 * code (http, store, lastfm) returns errors and does not log: the layer that
 * decides logs once, with context.  Never pass the API key or an unredacted URL.
 */
#ifndef LASTFM_LOG_H
#define LASTFM_LOG_H

#include <stdbool.h>

enum log_level {
    LOG_LVL_ERR = 3,   /* a failure the user must act on */
    LOG_LVL_WARN = 4,  /* something went wrong and was handled */
    LOG_LVL_INFO = 6,  /* one line per pass, per CSV written */
    LOG_LVL_DEBUG = 7, /* one line per request */
};

/* Set the most verbose level printed (default LOG_LVL_INFO). */
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);
/* A value that must never be printed (the API key): every line is scrubbed of
 * it.  Defence in depth: callers do not pass it in the first place. */
void log_set_secret(const char *value);
/* Prefix for every line (program name); default "lastfm-syncd". */
void log_set_ident(const char *ident);

/* One entry, from file:line in func (the journal's CODE_FILE, CODE_LINE and
 * CODE_FUNC name the caller: the macros below pass them). */
void log_at(const char *file, int line, const char *func, enum log_level level,
            const char *message_id, const char *const *fields, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#define log_err(...) log_at(__FILE__, __LINE__, __func__, LOG_LVL_ERR, NULL, NULL, __VA_ARGS__)
#define log_warn(...) log_at(__FILE__, __LINE__, __func__, LOG_LVL_WARN, NULL, NULL, __VA_ARGS__)
#define log_info(...) log_at(__FILE__, __LINE__, __func__, LOG_LVL_INFO, NULL, NULL, __VA_ARGS__)
#define log_debug(...) log_at(__FILE__, __LINE__, __func__, LOG_LVL_DEBUG, NULL, NULL, __VA_ARGS__)

/* Fixed MESSAGE_IDs of the events a journal reader can filter on. */
#define LOG_MSGID_PASS_STARTED "cc08b6c1106f4a79b79800b880d86359"
#define LOG_MSGID_PASS_COMPLETED "3544b0eeb96941258ea1ba691cac5a18"
#define LOG_MSGID_RETRY "d05c6e394d31428e99a97222d6ac641a"
#define LOG_MSGID_FATAL_API "fd5d3b02300c4ccbada030caa84dc300"
#define LOG_MSGID_CSV_WRITTEN "00ebc11466224bbea396c73807c96916"
#define LOG_MSGID_DB_WRITTEN "7a1c0f3e5b8d4c2e9f6a1b3d5e7c9a20"
#define LOG_MSGID_STAGE_FAILED "b4e2d6f80a1c4e3b8d5f7a9c1e3b5d70"
#define LOG_MSGID_REPORT_WRITTEN "5c9e1a7f3b2d4e6a8c0f2b4d6e8a1c3e"
#define LOG_MSGID_CONFIG "e3a9c5d7f1b24a6c8e0d2f4b6a8c0e19"

/* Send log lines to the journal natively when stderr is connected to it
 * (JOURNAL_STREAM names stderr's device:inode); otherwise plain stderr lines. */
void log_open(void);

/* An event with a MESSAGE_ID and extra journal fields, each "NAME=value",
 * NULL-terminated.  On stderr only the message is printed. */
#define log_event(level, message_id, fields, ...) \
    log_at(__FILE__, __LINE__, __func__, level, message_id, fields, __VA_ARGS__)

/* A progress line on a terminal: overwritten in place, erased by the next log line. */
void log_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_progress_end(void);

#endif
