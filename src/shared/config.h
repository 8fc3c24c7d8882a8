/* config.h: settings from the command line, the environment, .env and the conf
 * file, in that order of precedence, into one validated struct config.
 *
 * Every problem is logged with where the value came from (file:line, the
 * environment or the command line), the key and the fix, all at once.  The API
 * key's value is never printed.
 */
#ifndef LASTFM_CONFIG_H
#define LASTFM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tzhist.h"

#define CONFIG_MAX_FILES 4

/* Where to look; the caller fills it from the command line. */
struct config_sources {
    const char *env_file;   /* --env-file, or NULL for ./.env (optional file) */
    bool env_file_explicit; /* true when given: then it must exist */
    /* --config, in order (a later file's settings win); a leading "-" makes
     * a file optional, as in systemd's units: "-/etc/lastfm-syncd/erin.conf". */
    const char *config_files[CONFIG_MAX_FILES];
    size_t nconfig;
    const char *const *overrides; /* "KEY=VALUE" from the command line, NULL-terminated */
    bool stages_only;             /* for the stages' programs: the API settings are not needed */
    bool status; /* stages_only for --status: the keys marked for it too (the tags') */
    /* --check-config --reload (systemd's ExecReload=): the credentials and a
     * key or user from them are the running process's, not read or needed. */
    bool reload_check;
    /* Checks LASTFM_API_URL (the syncd passes lastfm_check_api_url, which needs
     * curl; the stages' programs need no URL and link no curl). */
    bool (*check_url)(const char *url, bool *ret_loopback, char *why, size_t size);
};

/* Defaults the other modules name too (the rest: config.c's table). */
#define CONFIG_REPORT_ARTIST_MIN 50
#define CONFIG_REPORT_ALBUM_MIN 40
#define CONFIG_REPORT_TRACK_MIN 25
#define CONFIG_API_URL "https://ws.audioscrobbler.com/2.0/"

/* The validated settings (strings are owned). */
struct config {
    char *api_key;            /* LASTFM_API_KEY: 32 hex digits */
    char *username;           /* LASTFM_USERNAME */
    char *api_url;            /* LASTFM_API_URL: https, or http to a loopback address */
    char *data_dir;           /* LASTFM_DATA_DIR (default ./data) */
    double rate_limit;        /* LASTFM_RATE_LIMIT: requests per second (default 4.5) */
    int max_in_flight;        /* LASTFM_MAX_IN_FLIGHT: concurrent requests (default 8) */
    int page_limit;           /* LASTFM_PAGE_LIMIT: items per page, 1..1000 (default 200) */
    int max_retries;          /* LASTFM_MAX_RETRIES: per request (default 10) */
    int sync_interval;        /* LASTFM_SYNC_INTERVAL: seconds between daemon passes (900) */
    int rebuild_interval;     /* LASTFM_REBUILD_INTERVAL: s between rebuilds for new rows (6 h) */
    int request_timeout;      /* LASTFM_REQUEST_TIMEOUT: hard limit per transfer, s (30) */
    int full_resync_interval; /* LASTFM_FULL_RESYNC_INTERVAL: s, 0 = never (30 days) */
    int stage_timeout;        /* LASTFM_STAGE_TIMEOUT: s a stage child may run, 0 = no limit */
    char *ca_file;            /* LASTFM_CA_FILE: CA bundle for https, NULL: the system's */
    bool api_url_is_loopback; /* plain http allowed: the simulator */
    /* The processed stage (what shapes the data): */
    char *timezone;       /* LASTFM_TIMEZONE as given (default "UTC") */
    struct tz_history tz; /* ... parsed: the zones and their switch times */
    int duplicate_window; /* LASTFM_DUPLICATE_WINDOW: seconds (default 30) */
    char *artist_aliases; /* LASTFM_ARTIST_ALIASES: file, NULL: none */
    char *exclude;        /* LASTFM_EXCLUDE: the exclude file, NULL: none */
    int burst_limit;      /* LASTFM_BURST_LIMIT: scrobbles a minute (default 8; 0 off) */
    /* The report: */
    int report_artist_min; /* LASTFM_REPORT_ARTIST_MIN: scrobbles for a page (default 50) */
    int report_album_min;  /* LASTFM_REPORT_ALBUM_MIN: ... for an album's (default 40) */
    int report_track_min;  /* LASTFM_REPORT_TRACK_MIN: ... for a track's (default 25) */
    /* The artists' tags (artist.getTopTags): */
    int tags;         /* LASTFM_TAGS: 1 fetch them after a pass (default), 0 off */
    int tag_refresh;  /* LASTFM_TAG_REFRESH: s before a stored answer is fetched again, 0 never */
    char *tag_ignore; /* LASTFM_TAG_IGNORE: the user's ignore list, NULL: the built-in one */
    /* SOURCE_DATE_EPOCH (the reproducible-builds convention, not a LASTFM_
     * setting): the build time of the database, 0 when unset (now). */
    int64_t build_time;
};

/* SOURCE_DATE_EPOCH's range: 2002-10-01 (Last.fm's start) up to 2100-01-01. */
#define CONFIG_BUILD_TIME_MIN INT64_C(1033430400)
#define CONFIG_BUILD_TIME_MAX INT64_C(4102444800)

/* Build a complete configuration.  Returns the number of errors (each already
 * logged), or -ENOMEM when memory ran out (the settings are not all read: exit
 * 75, not 78); on 0 *ret is filled, otherwise it is left untouched. */
int config_load(const struct config_sources *src, struct config *ret);

void config_free(struct config *c);

/* Add a --config file; false when there are CONFIG_MAX_FILES already. */
bool config_add_file(struct config_sources *src, const char *path);

/* Help text for the settings, for --help. */
/* The settings' part of --help: each key, what it is, its range and default. */
void config_write_help(FILE *f);

#endif
