/* identity.c: whose history a data directory holds, and the check before a run. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "exitcodes.h"
#include "identity.h"
#include "lfmjson.h"
#include "log.h"

#define IDENTITY_FORMAT 1

bool identity_parse(const char *text, size_t len, struct identity *ret, const char **ret_why)
{
    struct json_object *root = lastfm_parse_json(text, len, 1), *v;
    *ret_why = "not a JSON object";
    if (!root || !json_object_is_type(root, json_type_object))
        goto bad;
    *ret_why = "no \"format\" 1";
    if (!json_object_object_get_ex(root, "format", &v) || !json_object_is_type(v, json_type_int) ||
        json_object_get_int(v) != IDENTITY_FORMAT)
        goto bad;
    const char *user = lastfm_string(root, "user"), *url = lastfm_string(root, "api_url");
    *ret_why = "no \"user\" or \"api_url\" string";
    if (!user || !url || !user[0] || strlen(user) >= sizeof ret->user ||
        strlen(url) >= sizeof ret->api_url)
        goto bad;
    snprintf(ret->user, sizeof ret->user, "%s", user);
    snprintf(ret->api_url, sizeof ret->api_url, "%s", url);
    ret->since = json_object_object_get_ex(root, "since", &v) ? json_object_get_int64(v) : 0;
    json_object_put(root);
    return true;
bad:
    json_object_put(root);
    return false;
}

char *identity_to_json(const struct identity *id, size_t *ret_len)
{
    struct json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "format", json_object_new_int(IDENTITY_FORMAT));
    json_object_object_add(o, "user", json_object_new_string(id->user));
    json_object_object_add(o, "api_url", json_object_new_string(id->api_url));
    json_object_object_add(o, "since", json_object_new_int64(id->since));
    const char *s =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *out = s ? malloc(strlen(s) + 2) : NULL;
    if (out) {
        *ret_len = (size_t)sprintf(out, "%s\n", s);
    }
    json_object_put(o);
    return out;
}

bool identity_same_user(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

/* "https://Host:443/2.0/" -> host "host" and path "/2.0" (no trailing "/"). */
static void api_key_of(const char *url, char *host, size_t hsize, char *path, size_t psize)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t h = strcspn(p, ":/?#");
    snprintf(host, hsize, "%.*s", (int)h, p);
    for (char *c = host; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    p += h;
    p += strcspn(p, "/?#");
    size_t n = strcspn(p, "?#");
    while (n > 0 && p[n - 1] == '/')
        n--;
    snprintf(path, psize, "%.*s", (int)n, p);
}

bool identity_same_api(const char *a, const char *b)
{
    char ha[IDENTITY_MAX_URL], pa[IDENTITY_MAX_URL], hb[IDENTITY_MAX_URL], pb[IDENTITY_MAX_URL];
    api_key_of(a, ha, sizeof ha, pa, sizeof pa);
    api_key_of(b, hb, sizeof hb, pb, sizeof pb);
    return strcmp(ha, hb) == 0 && strcmp(pa, pb) == 0;
}

/* ---- the check before a run ---- */

/* The user named in page 1 of the newest complete pass (recenttracks.@attr.user),
 * for a directory an older version made: "" when there is none to read. */
static void stored_user(struct store *s, char *ret, size_t size)
{
    struct manifest *list = NULL;
    size_t n = 0;
    char bad[128];
    ret[0] = '\0';
    if (store_list_passes(s, &list, &n, bad, NULL) < 0)
        return;
    for (size_t i = n; i-- > 0 && !ret[0];) {
        char *body = NULL;
        size_t len;
        if (list[i].state != PASS_COMPLETE || store_page_read(s, list[i].pass, 1, &body, &len) < 0)
            continue;
        struct json_object *root = lastfm_parse_json(body, len, list[i].limit), *rt, *attr;
        if (root && json_object_object_get_ex(root, "recenttracks", &rt) &&
            json_object_object_get_ex(rt, "@attr", &attr)) {
            const char *u = lastfm_string(attr, "user");
            if (u)
                snprintf(ret, size, "%s", u);
        }
        json_object_put(root);
        free(body);
    }
    free(list);
}

/* No pass and no CSV: nothing of anybody's is stored. */
static bool holds_nothing(struct store *s)
{
    struct manifest *list = NULL;
    size_t n = 0;
    char bad[128];
    struct stat st;
    bool none = store_list_passes(s, &list, &n, bad, NULL) == 0 && n == 0 && !bad[0] &&
                store_csv_stat(s, &st) == -ENOENT;
    free(list);
    return none;
}

static int record(struct store *s, const char *user, const char *api_url, int64_t now)
{
    struct identity id = {.since = now};
    snprintf(id.user, sizeof id.user, "%s", user);
    snprintf(id.api_url, sizeof id.api_url, "%s", api_url);
    size_t len;
    char *text = identity_to_json(&id, &len);
    if (!text) {
        log_err("out of memory");
        return EXIT_TEMPFAIL;
    }
    int r = store_identity_write(s, text, len);
    free(text);
    if (r < 0) {
        log_err("cannot write %s/%s: %s: free space or fix permissions, then run again",
                store_data_dir(s), STORE_IDENTITY_NAME, strerror(-r));
        return EXIT_IOERR;
    }
    return 0;
}

int identity_ensure(struct store *s, const char *user, const char *api_url, bool replace,
                    int64_t now)
{
    const char *dir = store_data_dir(s);
    char *text = NULL;
    size_t len;
    struct identity id;
    const char *why;
    int r = store_identity_read(s, &text, &len);
    if (r == -ENOENT) {
        /* An older version's directory, or a new one. */
        stored_user(s, id.user, sizeof id.user);
        if (!id.user[0] || identity_same_user(id.user, user)) {
            if (id.user[0])
                log_info("%s holds no record of whose history it is (made by an older "
                         "version): its pages are user '%s''s; recorded in %s",
                         dir, id.user, STORE_IDENTITY_NAME);
            return record(s, id.user[0] ? id.user : user, api_url, now);
        }
        snprintf(id.api_url, sizeof id.api_url, "%s", api_url);
    } else if (r < 0 || !identity_parse(text, len, &id, &why)) {
        free(text);
        log_err("%s/%s: %s: it records whose history this is; restore it, or remove it to "
                "record user '%s' anew (only if the history here is theirs)",
                dir, STORE_IDENTITY_NAME, r < 0 ? strerror(-r) : why, user);
        return r < 0 && r != -EINVAL && r != -EFBIG ? EXIT_IOERR : EXIT_DATAERR;
    }
    free(text);
    bool same_user = identity_same_user(id.user, user),
         same_api = identity_same_api(id.api_url, api_url);
    if (same_user && same_api)
        return 0;
    if (holds_nothing(s)) {
        /* A mistyped name corrected before anything was stored: nothing to mix. */
        log_info("%s holds no history yet (it was recorded for user '%s'): now recording "
                 "user '%s'",
                 dir, id.user, user);
        return record(s, user, api_url, now);
    }
    if (!replace) {
        if (!same_user)
            log_err("%s holds the history of Last.fm user '%s', not of '%s' (LASTFM_USERNAME): "
                    "nothing was fetched. For '%s' use another data directory (LASTFM_DATA_DIR, "
                    "or one template instance per user: lastfm-syncd@%s); or, if '%s''s history "
                    "here may go, run once with --replace-history to delete it and fetch "
                    "'%s''s",
                    dir, id.user, user, user, user, id.user, user);
        else
            log_err("%s holds a history read from %s, not from %s (LASTFM_API_URL): nothing "
                    "was fetched. Use another data directory for that service; or run once "
                    "with --replace-history to delete this history and fetch it from %s",
                    dir, id.api_url, api_url, api_url);
        return EXIT_CONFIG;
    }
    r = store_clear_history(s);
    if (r < 0) {
        log_err("cannot delete the history in %s: %s: fix it and run again (it still records "
                "user '%s')",
                dir, strerror(-r), id.user);
        return EXIT_IOERR;
    }
    log_warn("--replace-history: deleted user '%s''s history (from %s) in %s; fetching user "
             "'%s''s from %s",
             id.user, id.api_url, dir, user, api_url);
    return record(s, user, api_url, now);
}

int identity_check_dir(const char *data_dir, const char *user, const char *api_url)
{
    char path[4200], text[1 << 14];
    snprintf(path, sizeof path, "%s/%s", data_dir, STORE_IDENTITY_NAME);
    struct stat st;
    int fd = store_open_regular(path, O_NOFOLLOW, &st);
    if (fd < 0)
        return 0; /* none yet (or unreadable: the run says what is wrong) */
    ssize_t n = read(fd, text, sizeof text);
    close(fd);
    struct identity id;
    const char *why;
    if (n <= 0 || !identity_parse(text, (size_t)n, &id, &why))
        return 0;
    if (identity_same_user(id.user, user) && identity_same_api(id.api_url, api_url))
        return 0;
    log_err("%s: %s holds the history of user '%s' from %s, not of '%s' from %s: a run with "
            "this configuration is refused (use another data directory, or --replace-history)",
            path, data_dir, id.user, id.api_url, user, api_url);
    return EXIT_CONFIG;
}
