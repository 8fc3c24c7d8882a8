/* test_statefmt.c: --status's forms of a data directory's state (statefmt.c):
 * when all is current, the one line --once ends with, and the JSON a script
 * reads; each from a state filled by hand. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "state_int.h"
#include "test.h"

/* A directory where all is current: erin, pass 12 of 2026-12-07 12:00:03 UTC. */
static struct sync_state current(void)
{
    struct sync_state st;
    memset(&st, 0, sizeof st);
    strcpy(st.data_dir, "/var/lib/lastfm-syncd");
    st.exists = true;
    strcpy(st.user, "erin");
    strcpy(st.api_url, "https://ws.audioscrobbler.com/2.0/");
    st.last_pass = 12;
    strcpy(st.last_kind, "new");
    st.last_finished = 1796644803; /* 2026-12-07 12:00:03 UTC */
    st.scrobbles = 146213;
    strcpy(st.output[STATE_CSV].path, "/var/lib/lastfm-syncd/interim/x.csv");
    strcpy(st.output[STATE_DATABASE].path, "/var/lib/lastfm-syncd/processed/lastfm.sqlite");
    strcpy(st.output[STATE_REPORT].path, "/var/lib/lastfm-syncd/report/index.html");
    return st;
}

static void test_current(void)
{
    struct sync_state st = current();
    CHECK(state_current(&st));
    st.output[STATE_REPORT].behind = "there is no report yet";
    CHECK(!state_current(&st));
    st = current();
    st.last_pass = 0; /* outputs of no complete pass: not current */
    CHECK(!state_current(&st));
    st = current();
    st.user[0] = '\0';
    CHECK(!state_current(&st));
}

static void test_line(void)
{
    char line[600];
    struct sync_state st = current();
    state_line(line, sizeof line, &st);
    CHECK_STR(line, "erin: pass 12 complete 2026-12-07 12:00:03 UTC, 146213 scrobbles; "
                    "CSV, database and report current");
    st.output[STATE_DATABASE].behind = "the CSV changed";
    st.output[STATE_REPORT].behind = "it is older than the database";
    state_line(line, sizeof line, &st);
    CHECK_STR(line, "erin: pass 12 complete 2026-12-07 12:00:03 UTC, 146213 scrobbles; "
                    "CSV current; database and report behind");
    st.output[STATE_CSV].behind = "there is no CSV yet";
    st.scrobbles = -1;
    st.last_pass = 0;
    st.user[0] = '\0';
    state_line(line, sizeof line, &st);
    CHECK_STR(line, "no listener yet: no complete pass; CSV, database and report behind");
    /* Cut, never overrun. */
    char small[20];
    st = current();
    state_line(small, sizeof small, &st);
    CHECK_INT(strlen(small), sizeof small - 1);
}

static void test_json(void)
{
    struct sync_state st = current();
    st.daemon_pid = 4242;
    st.output[STATE_REPORT].behind = "it is older than the database";
    char *text = state_json(&st);
    CHECK(text != NULL);
    struct json_object *o = json_tokener_parse(text);
    CHECK(o != NULL);
    struct json_object *v, *pass, *report;
    CHECK(json_object_object_get_ex(o, "current", &v) && !json_object_get_boolean(v));
    CHECK(json_object_object_get_ex(o, "listener", &v) &&
          strcmp(json_object_get_string(v), "erin") == 0);
    CHECK(json_object_object_get_ex(o, "daemon_pid", &v) && json_object_get_int64(v) == 4242);
    CHECK(json_object_object_get_ex(o, "scrobbles", &v) && json_object_get_int64(v) == 146213);
    CHECK(json_object_object_get_ex(o, "last_pass", &pass));
    CHECK(json_object_object_get_ex(pass, "finished_at", &v) &&
          strcmp(json_object_get_string(v), "2026-12-07T12:00:03Z") == 0);
    CHECK(json_object_object_get_ex(pass, "pass", &v) && json_object_get_int64(v) == 12);
    CHECK(json_object_object_get_ex(o, "report", &report));
    CHECK(json_object_object_get_ex(report, "current", &v) && !json_object_get_boolean(v));
    CHECK(json_object_object_get_ex(report, "behind", &v) &&
          strcmp(json_object_get_string(v), "it is older than the database") == 0);
    CHECK(json_object_object_get_ex(o, "database", &report));
    CHECK(json_object_object_get_ex(report, "behind", &v) && v == NULL);
    json_object_put(o);
    free(text);
    /* Nothing synced: nulls, not empty strings or zeros. */
    memset(&st, 0, sizeof st);
    st.scrobbles = -1;
    text = state_json(&st);
    o = json_tokener_parse(text);
    CHECK(json_object_object_get_ex(o, "listener", &v) && v == NULL);
    CHECK(json_object_object_get_ex(o, "last_pass", &v) && v == NULL);
    CHECK(json_object_object_get_ex(o, "scrobbles", &v) && v == NULL);
    CHECK(json_object_object_get_ex(o, "daemon_running", &v) && !json_object_get_boolean(v));
    json_object_put(o);
    free(text);
}

/* The text's "genres:" line, written to a memory stream. */
static void genres_line(const struct sync_state *st, char *buf, size_t size)
{
    FILE *f = fmemopen(buf, size, "w");
    CHECK(f != NULL);
    state_write_text(f, st, 1796644803 + 60);
    fclose(f);
    char *at = strstr(buf, "genres:         "), *end = at ? strchr(at, '\n') : NULL;
    CHECK(at && end);
    if (!at || !end)
        return;
    *end = '\0';
    memmove(buf, at + 16, strlen(at + 16) + 1);
}

static void test_tags(void)
{
    char buf[4096];
    struct sync_state st = current();
    st.tags_on = true;
    st.tag_artists = 393;
    st.tag_refresh = 180 * 86400;
    st.tag_per_run = 100;
    genres_line(&st, buf, sizeof buf);
    CHECK_STR(buf, "tags of all 393 artists stored");
    st.tag_missing = 13;
    st.tag_stale = 120;
    st.tag_unread = 2;
    genres_line(&st, buf, sizeof buf);
    CHECK_STR(buf, "tags of 380 of 393 artists stored; the next tag run asks for 13; 120 older "
                   "than 180d (renewed up to 100 a run); 2 stored answers unreadable (asked "
                   "again)");
    st.tag_refresh = 36 * 3600;
    st.tag_missing = st.tag_unread = 0;
    genres_line(&st, buf, sizeof buf);
    CHECK_STR(buf, "tags of all 393 artists stored; 120 older than 36h (renewed up to 100 a run)");
    st.tags_on = false;
    genres_line(&st, buf, sizeof buf);
    CHECK_STR(buf, "off (LASTFM_TAGS=0)");
    st.tags_on = true;
    st.tag_artists = -1;
    st.tag_stale = 0;
    genres_line(&st, buf, sizeof buf);
    CHECK_STR(buf, "not counted: the CSV or the tags folder cannot be read");
    st.scrobbles = -1;
    genres_line(&st, buf, sizeof buf);
    CHECK_STR(buf, "no CSV yet");
    /* JSON: the counts, null when there is no CSV. */
    st = current();
    st.tags_on = true;
    st.tag_artists = 393;
    st.tag_missing = 13;
    st.tag_stale = 7;
    char *text = state_json(&st);
    struct json_object *o = json_tokener_parse(text), *tags, *v;
    CHECK(json_object_object_get_ex(o, "tags", &tags));
    CHECK(json_object_object_get_ex(tags, "enabled", &v) && json_object_get_boolean(v));
    CHECK(json_object_object_get_ex(tags, "stored", &v) && json_object_get_int64(v) == 380);
    CHECK(json_object_object_get_ex(tags, "missing", &v) && json_object_get_int64(v) == 13);
    CHECK(json_object_object_get_ex(tags, "stale", &v) && json_object_get_int64(v) == 7);
    json_object_put(o);
    free(text);
    st.tag_artists = -1;
    text = state_json(&st);
    o = json_tokener_parse(text);
    CHECK(json_object_object_get_ex(o, "tags", &tags));
    CHECK(json_object_object_get_ex(tags, "artists", &v) && v == NULL);
    json_object_put(o);
    free(text);
}

int main(void)
{
    test_tags();
    test_current();
    test_line();
    test_json();
    TEST_DONE();
}
