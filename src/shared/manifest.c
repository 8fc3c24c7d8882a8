/* manifest.c: pass manifest <-> JSON. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lfmjson.h"
#include "manifest.h"

#define MANIFEST_FORMAT 1

char *manifest_to_json(const struct manifest *m, size_t *ret_len)
{
    struct json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "format", json_object_new_int(MANIFEST_FORMAT));
    json_object_object_add(o, "pass", json_object_new_int64(m->pass));
    json_object_object_add(o, "kind", json_object_new_string(m->kind));
    json_object_object_add(
        o, "state", json_object_new_string(m->state == PASS_COMPLETE ? "complete" : "running"));
    json_object_object_add(o, "window_from", json_object_new_int64(m->window_from));
    json_object_object_add(o, "window_to", json_object_new_int64(m->window_to));
    json_object_object_add(o, "request_from", json_object_new_int64(m->request_from));
    json_object_object_add(o, "request_to", json_object_new_int64(m->request_to));
    json_object_object_add(o, "limit", json_object_new_int64(m->limit));
    json_object_object_add(o, "attempt", json_object_new_int64(m->attempt));
    json_object_object_add(o, "total", json_object_new_int64(m->total));
    json_object_object_add(o, "total_pages", json_object_new_int64(m->total_pages));
    json_object_object_add(o, "started_at", json_object_new_int64(m->started_at));
    json_object_object_add(o, "finished_at", json_object_new_int64(m->finished_at));
    return lastfm_json_file_text(o, ret_len);
}

#define MAX_UTS ((int64_t)1 << 40)

bool manifest_parse(const char *text, size_t len, struct manifest *ret, const char **ret_why)
{
    struct manifest m;
    int64_t v[11];
    const char *why = NULL;
    memset(&m, 0, sizeof m);
    struct json_object *o = lastfm_parse_json(text, len, 0);
    if (!o || !json_object_is_type(o, json_type_object)) {
        why = "not a JSON object";
        goto out;
    }
    if (!lastfm_json_int(o, "format", MANIFEST_FORMAT, MANIFEST_FORMAT, &v[0])) {
        why = "missing or unknown \"format\"";
        goto out;
    }
    if (!lastfm_json_int(o, "pass", 1, 999999, &v[1]) ||
        !lastfm_json_int(o, "window_from", 0, MAX_UTS, &v[2]) ||
        !lastfm_json_int(o, "window_to", 0, MAX_UTS, &v[3]) ||
        !lastfm_json_int(o, "request_from", -1, MAX_UTS, &v[4]) ||
        !lastfm_json_int(o, "request_to", -1, MAX_UTS, &v[5]) ||
        !lastfm_json_int(o, "limit", 1, 1000, &v[6]) ||
        !lastfm_json_int(o, "attempt", 0, 1000000, &v[7]) ||
        !lastfm_json_int(o, "total", -1, 2000000000, &v[8]) ||
        !lastfm_json_int(o, "total_pages", -1, 10000000, &v[9]) ||
        !lastfm_json_int(o, "started_at", 0, MAX_UTS, &v[10]) ||
        !lastfm_json_int(o, "finished_at", 0, MAX_UTS, &m.finished_at)) {
        why = "a number is missing or out of range";
        goto out;
    }
    const char *kind = lastfm_string(o, "kind"), *state = lastfm_string(o, "state");
    if (!kind || (strcmp(kind, "full") && strcmp(kind, "new") && strcmp(kind, "recheck"))) {
        why = "\"kind\" is not full, new or recheck";
        goto out;
    }
    if (!state || (strcmp(state, "running") && strcmp(state, "complete"))) {
        why = "\"state\" is not running or complete";
        goto out;
    }
    if (v[2] > v[3]) {
        why = "window_from is after window_to";
        goto out;
    }
    snprintf(m.kind, sizeof m.kind, "%s", kind);
    m.state = strcmp(state, "complete") == 0 ? PASS_COMPLETE : PASS_RUNNING;
    m.pass = (unsigned)v[1];
    m.window_from = v[2];
    m.window_to = v[3];
    m.request_from = v[4];
    m.request_to = v[5];
    m.limit = (long)v[6];
    m.attempt = (unsigned)v[7];
    m.total = (long)v[8];
    m.total_pages = (long)v[9];
    m.started_at = v[10];
    if (m.state == PASS_COMPLETE && (m.total < 0 || m.total_pages < 0)) {
        why = "a complete pass without total/total_pages";
        goto out;
    }
    *ret = m;
out:
    if (o)
        json_object_put(o);
    if (why && ret_why)
        *ret_why = why;
    return why == NULL;
}
