/* identity.h: whose history a data directory holds.
 *
 * DATA_DIR/identity.json records the Last.fm user and the API the history was
 * read from.  A run for another user (compared without regard to letter case,
 * as Last.fm does) or another API host is refused before any request: two
 * people's scrobbles never meet in one CSV.  A directory without the record
 * (made by an older version) adopts the configured user once, unless its
 * stored pages say they are another user's.
 *
 * The pure half (identity_parse, identity_to_json, identity_same) is apart
 * from the one call that reads and writes the store (identity_ensure).
 */
#ifndef LASTFM_IDENTITY_H
#define LASTFM_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define IDENTITY_MAX_USER 128
#define IDENTITY_MAX_URL 1024

/* What identity.json holds. */
struct identity {
    char user[IDENTITY_MAX_USER];   /* LASTFM_USERNAME as first recorded */
    char api_url[IDENTITY_MAX_URL]; /* LASTFM_API_URL as first recorded */
    int64_t since;                  /* when it was recorded (Unix seconds) */
};

/* false (with a reason) unless `text` is a well-formed identity file. */
bool identity_parse(const char *text, size_t len, struct identity *ret, const char **ret_why);
/* A malloc'd JSON text, NULL when out of memory. */
char *identity_to_json(const struct identity *id, size_t *ret_len);

/* The same history: the same user (any letter case) from the same API host
 * (the scheme, port and a trailing "/" do not count: a simulator's port
 * changes from run to run, and http/https are one service). */
bool identity_same_user(const char *a, const char *b);
bool identity_same_api(const char *a, const char *b);

/* Before a run: make sure `store` holds `user`'s history from `api_url`.  A
 * directory without the record adopts them (logged); another user's or API's
 * directory is refused with EXIT_CONFIG and a message naming both and the ways
 * out, unless `replace`: then the stored history is deleted first (logged).
 * Returns 0 or an exit code (exitcodes.h), already logged. */
int identity_ensure(struct store *store, const char *user, const char *api_url, bool replace,
                    int64_t now);

/* For --check-config, without the store's lock (a running daemon holds it):
 * does DATA_DIR's record, if any, name this user and API?  0, or EXIT_CONFIG
 * (logged). */
int identity_check_dir(const char *data_dir, const char *user, const char *api_url);

#endif
