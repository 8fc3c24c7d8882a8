/* config_int.h: inside the configuration (config.c, config_read.c): the
 * keys, a setting as found, and reading the files and credentials. */
#ifndef LASTFM_CONFIG_INT_H
#define LASTFM_CONFIG_INT_H

#include <stdbool.h>
#include <sys/stat.h>

#include "cfgerr_int.h"

enum key {
    K_API_KEY,
    K_USERNAME,
    K_API_URL,
    K_DATA_DIR,
    K_RATE_LIMIT,
    K_MAX_IN_FLIGHT,
    K_PAGE_LIMIT,
    K_MAX_RETRIES,
    K_SYNC_INTERVAL,
    K_REQUEST_TIMEOUT,
    K_CA_FILE,
    K_FULL_RESYNC_INTERVAL,
    K_STAGE_TIMEOUT,
    K_TIMEZONE,
    K_DUPLICATE_WINDOW,
    K_ARTIST_ALIASES,
    K_EXCLUDE,
    K_REBUILD_INTERVAL,
    K_BURST_LIMIT,
    K_REPORT_ARTIST_MIN,
    K_REPORT_ALBUM_MIN,
    K_REPORT_TRACK_MIN,
    K_TAGS,
    K_TAG_REFRESH,
    K_TAG_IGNORE,
    K_COUNT
};

/* One setting: everything about it in one place (config.c's table, config_keys[]). */
struct config;
struct config_sources;
struct raw_setting;
#define DAY (24L * 3600)

enum config_kind {
    CK_INT,      /* a whole number in lo..hi, into an int of struct config */
    CK_DURATION, /* seconds ("90", "90s", "15m", "1.5h", "30d") in lo..hi, likewise */
    CK_CUSTOM,   /* checked by its own function in config.c */
};
struct config_key {
    const char *name; /* "LASTFM_RATE_LIMIT" */
    enum config_kind kind;
    size_t field; /* CK_INT, CK_DURATION: offsetof(struct config, ...) */
    /* CK_CUSTOM: check raw (the key's own) into c; returns its errors (said) */
    int (*check)(const struct config_sources *src, const struct raw_setting *raw, struct config *c);
    long def, lo, hi; /* CK_INT, CK_DURATION: default and range */
    bool stage;       /* read by the stages' programs too (stages_only) */
    const char *help; /* --help text, lines split by '\n' */
    bool status;      /* ... and by lastfm-syncd --status (config_sources.status) */
};
extern const struct config_key config_keys[K_COUNT];
/* A key by name, or -1. */
int config_key_lookup(const char *key);

/* The errors of the config_load() in progress, said in line order at its end
 * (config_keys.c holds it; config_load() sets it). */
extern struct cfgerr_list *config_errs;
#define say(origin, ...) cfgerr_add(config_errs, (origin), __VA_ARGS__)
/* Say "ORIGIN: KEY: message" for setting `k`; returns 1 (one error). */
struct raw_setting;
int config_bad(const struct raw_setting *r, enum key k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One setting as found: its text and where it came from. */
struct raw_setting {
    char *value;       /* owned; NULL if not set anywhere */
    char origin[4200]; /* "FILE:LINE", "environment", a credential path or "command line" */
};

/* Set (replace) a setting's text and origin; the old text is wiped first. */
void config_set_raw(struct cfgerr_list *errs, struct raw_setting *r, const char *value,
                    const char *origin);

/* A KEY=VALUE file (conf file: strict, unknown keys are errors; .env: only an
 * unknown LASTFM_* key is), opened without blocking and only if regular; with
 * no_key, LASTFM_API_KEY is passed over (the stages' programs).  Returns the
 * number of errors (said into errs). */
int config_read_file(struct cfgerr_list *errs, const char *path, bool must_exist, bool strict,
                     bool no_key, struct raw_setting *raw);

/* config_files.c: a file a setting names, read and judged; false with `why`
 * ("'PATH' ...", or the alias file's "PATH:LINE: ... : the fix"). */
bool config_check_ca_file(const char *path, char *why, size_t size);
/* A file of rules, the alias file (LASTFM_ARTIST_ALIASES) or the exclude
 * file (LASTFM_EXCLUDE), read and parsed: false with why (errno ENOMEM when
 * memory ran out). */
enum config_rules { CONFIG_ALIASES, CONFIG_EXCLUDES, CONFIG_TAG_IGNORE };
bool config_check_rules(enum config_rules kind, const char *path, char *why, size_t size);

/* systemd's credentials lastfm-api-key (not with no_key) and lastfm-username
 * from $CREDENTIALS_DIRECTORY.  Returns the number of errors. */
int config_read_credentials(struct cfgerr_list *errs, struct raw_setting *raw, bool no_key);

#endif
