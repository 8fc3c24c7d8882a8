/* statefmt.c: a data directory's state as text, one line or JSON; pure. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "state_int.h"

static const char *const output_name[STATE_OUTPUTS] = {"CSV", "database", "report"};
static const char *const output_label[STATE_OUTPUTS] = {"CSV:", "database:", "report:"};
static const char *const output_key[STATE_OUTPUTS] = {"csv", "database", "report"};

bool state_current(const struct sync_state *st)
{
    if (!st->user[0] || !st->last_pass)
        return false;
    for (int i = 0; i < STATE_OUTPUTS; i++)
        if (st->output[i].behind)
            return false;
    return true;
}

/* Unix seconds as "2026-12-07 12:00:03 UTC" (or ISO 8601 "...T...Z"). */
static void utc(int64_t t, bool iso, char buf[static 32])
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) ||
        !strftime(buf, 32, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, 32, "%lld", (long long)t);
}

/* "3h ago", "2d ago", "in the future" (a clock set back). */
static void ago(int64_t secs, char buf[static 32])
{
    if (secs < 0)
        snprintf(buf, 32, "in the future (clock?)");
    else if (secs < 120)
        snprintf(buf, 32, "%llds ago", (long long)secs);
    else if (secs < 7200)
        snprintf(buf, 32, "%lldm ago", (long long)(secs / 60));
    else if (secs < 2 * 86400)
        snprintf(buf, 32, "%lldh ago", (long long)(secs / 3600));
    else
        snprintf(buf, 32, "%lldd ago", (long long)(secs / 86400));
}

/* A duration in the largest whole unit: "180d", "36h", "90m", "45s". */
static void duration(int64_t s, char buf[static 32])
{
    if (s > 0 && s % 86400 == 0)
        snprintf(buf, 32, "%lldd", (long long)(s / 86400));
    else if (s > 0 && s % 3600 == 0)
        snprintf(buf, 32, "%lldh", (long long)(s / 3600));
    else if (s > 0 && s % 60 == 0)
        snprintf(buf, 32, "%lldm", (long long)(s / 60));
    else
        snprintf(buf, 32, "%llds", (long long)s);
}

/* "genres:" line: how far the stored tag answers cover the CSV's artists. */
static void write_tags(FILE *f, const struct sync_state *st)
{
    char age[32];
    fprintf(f, "genres:         ");
    if (!st->tags_on)
        fprintf(f, "off (LASTFM_TAGS=0)");
    else if (st->tag_artists < 0)
        fprintf(f, st->scrobbles < 0 ? "no CSV yet"
                                     : "not counted: the CSV or the tags folder cannot be read");
    else if (st->tag_missing == 0)
        fprintf(f, "tags of all %ld artists stored", st->tag_artists);
    else
        fprintf(f, "tags of %ld of %ld artists stored; the next tag run asks for %ld",
                st->tag_artists - st->tag_missing, st->tag_artists, st->tag_missing);
    if (st->tags_on && st->tag_stale > 0) {
        duration(st->tag_refresh, age);
        fprintf(f, "; %ld older than %s (renewed up to %d a run)", st->tag_stale, age,
                st->tag_per_run);
    }
    if (st->tag_unread > 0)
        fprintf(f, "; %ld stored answers unreadable (asked again)", st->tag_unread);
    fputc('\n', f);
}

void state_write_text(FILE *f, const struct sync_state *st, int64_t now)
{
    char when[32], since[32];
    fprintf(f, "data directory: %s%s\n", st->data_dir, st->exists ? "" : " (not there yet)");
    if (st->user[0])
        fprintf(f, "listener:       %s (from %s)\n", st->user, st->api_url);
    else
        fprintf(f, "listener:       none yet: no sync has run in this directory\n");
    if (st->daemon_pid > 0)
        fprintf(f, "daemon:         running (PID %ld)\n", st->daemon_pid);
    else
        fprintf(f, "daemon:         %s\n", st->daemon_pid < 0 ? "running" : "not running");
    if (st->last_pass) {
        utc(st->last_finished, false, when);
        ago(now - st->last_finished, since);
        fprintf(f, "last pass:      %u (%s), complete at %s, %s\n", st->last_pass, st->last_kind,
                when, since);
    } else {
        fprintf(f, "last pass:      none complete yet\n");
    }
    if (st->open_pass)
        fprintf(f, "                pass %u unfinished: the next run resumes it\n", st->open_pass);
    if (st->scrobbles >= 0)
        fprintf(f, "scrobbles:      %ld\n", st->scrobbles);
    else
        fprintf(f, "scrobbles:      no CSV yet\n");
    for (int i = 0; i < STATE_OUTPUTS; i++) {
        const struct state_output_info *o = &st->output[i];
        fprintf(f, "%-15s %s: %s\n", output_label[i], o->behind ? "behind" : "current",
                o->behind ? o->behind : o->path);
    }
    write_tags(f, st);
    fprintf(f, "%s\n", state_current(st) ? "all current" : "not current");
}

void state_line(char *buf, size_t size, const struct sync_state *st)
{
    char when[32];
    size_t at = 0;
#define ADD(...)                                                      \
    do {                                                              \
        if (at < size)                                                \
            at += (size_t)snprintf(buf + at, size - at, __VA_ARGS__); \
    } while (0)
    buf[0] = '\0';
    ADD("%s: ", st->user[0] ? st->user : "no listener yet");
    if (st->last_pass) {
        utc(st->last_finished, false, when);
        ADD("pass %u complete %s", st->last_pass, when);
    } else {
        ADD("no complete pass");
    }
    if (st->scrobbles >= 0)
        ADD(", %ld scrobbles", st->scrobbles);
    /* "CSV, database and report current" or "CSV current; database, report behind" */
    for (int want = 0; want < 2; want++) {
        int n = 0, total = 0;
        for (int i = 0; i < STATE_OUTPUTS; i++)
            total += (st->output[i].behind != NULL) == want;
        if (!total)
            continue;
        ADD("; ");
        for (int i = 0; i < STATE_OUTPUTS; i++) {
            if ((st->output[i].behind != NULL) != want)
                continue;
            n++;
            ADD("%s%s", n == 1 ? "" : n == total ? " and " : ", ", output_name[i]);
        }
        ADD(" %s", want ? "behind" : "current");
    }
#undef ADD
}

static struct json_object *string_or_null(const char *s)
{
    return s && s[0] ? json_object_new_string(s) : NULL;
}

char *state_json(const struct sync_state *st)
{
    char when[32];
    struct json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "data_dir", json_object_new_string(st->data_dir));
    json_object_object_add(o, "listener", string_or_null(st->user));
    json_object_object_add(o, "api_url", string_or_null(st->api_url));
    json_object_object_add(o, "daemon_running", json_object_new_boolean(st->daemon_pid != 0));
    json_object_object_add(o, "daemon_pid",
                           st->daemon_pid > 0 ? json_object_new_int64(st->daemon_pid) : NULL);
    struct json_object *pass = NULL;
    if (st->last_pass) {
        pass = json_object_new_object();
        utc(st->last_finished, true, when);
        json_object_object_add(pass, "pass", json_object_new_int64(st->last_pass));
        json_object_object_add(pass, "kind", json_object_new_string(st->last_kind));
        json_object_object_add(pass, "finished_at", json_object_new_string(when));
        json_object_object_add(pass, "finished_at_unix", json_object_new_int64(st->last_finished));
    }
    json_object_object_add(o, "last_pass", pass);
    json_object_object_add(o, "unfinished_pass",
                           st->open_pass ? json_object_new_int64(st->open_pass) : NULL);
    json_object_object_add(o, "scrobbles",
                           st->scrobbles >= 0 ? json_object_new_int64(st->scrobbles) : NULL);
    for (int i = 0; i < STATE_OUTPUTS; i++) {
        struct json_object *out = json_object_new_object();
        json_object_object_add(out, "path", json_object_new_string(st->output[i].path));
        json_object_object_add(out, "current", json_object_new_boolean(!st->output[i].behind));
        json_object_object_add(out, "behind", string_or_null(st->output[i].behind));
        json_object_object_add(o, output_key[i], out);
    }
    struct json_object *tags = json_object_new_object();
    bool known = st->tag_artists >= 0;
    json_object_object_add(tags, "enabled", json_object_new_boolean(st->tags_on));
    json_object_object_add(tags, "artists", known ? json_object_new_int64(st->tag_artists) : NULL);
    json_object_object_add(tags, "stored",
                           known ? json_object_new_int64(st->tag_artists - st->tag_missing) : NULL);
    json_object_object_add(tags, "missing", known ? json_object_new_int64(st->tag_missing) : NULL);
    json_object_object_add(tags, "stale", known ? json_object_new_int64(st->tag_stale) : NULL);
    json_object_object_add(o, "tags", tags);
    json_object_object_add(o, "current", json_object_new_boolean(state_current(st)));
    const char *text =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = text ? strdup(text) : NULL;
    json_object_put(o);
    return copy;
}
