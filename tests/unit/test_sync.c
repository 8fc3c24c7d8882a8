/* The sync run's state machine against a fake http_int.h and a real store in a
 * temp directory, with the time pinned: a first run (two full passes, each
 * verified), a run with nothing new (one count, a dropped "new" pass), a new
 * scrobble, a late one (the count differs: a recheck), a fatal answer (78),
 * and windows stored ahead of the clock (not trusted: fetched again from
 * where the trusted passes end). */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "config.h"
#include "exitcodes.h"
#include "fake_http.h"
#include "plan_int.h"
#include "store.h"
#include "sync.h"
#include "test.h"

#define NOW INT64_C(1800000000)
#define DAY 86400

/* The server's history, newest first. */
static int64_t history[64];
static size_t nhistory;
static bool fatal_key; /* answer error 10 */

static void add(int64_t uts)
{
    size_t i = nhistory++;
    while (i > 0 && history[i - 1] < uts) {
        history[i] = history[i - 1];
        i--;
    }
    history[i] = uts;
}

static long query(const char *url, const char *key, long def)
{
    char pat[32];
    snprintf(pat, sizeof pat, "&%s=", key);
    const char *p = strstr(url, pat);
    return p ? strtol(p + strlen(pat), NULL, 10) : def;
}

/* A page as Last.fm serves it: from inclusive, to exclusive. */
static char *serve(const char *url)
{
    if (fatal_key)
        return strdup("{\"error\":10,\"message\":\"Invalid API key\"}");
    long limit = query(url, "limit", 50), page = query(url, "page", 1);
    long from = query(url, "from", -1), to = query(url, "to", -1);
    size_t in[64], n = 0;
    for (size_t i = 0; i < nhistory; i++)
        if ((from < 0 || history[i] >= from) && (to < 0 || history[i] < to))
            in[n++] = i;
    long pages = ((long)n + limit - 1) / limit;
    char *b = malloc(65536);
    int k = snprintf(b, 65536, "{\"recenttracks\":{\"track\":[");
    for (long j = (page - 1) * limit, c = 0; j < (long)n && c < limit; j++, c++)
        k += snprintf(b + k, 65536 - k,
                      "%s{\"artist\":{\"mbid\":\"\",\"#text\":\"A\"},\"name\":"
                      "\"T%" PRId64 "\",\"album\":{\"mbid\":\"\",\"#text\":\"\"},\"date\":{\"uts\":"
                      "\"%" PRId64 "\",\"#text\":\"x\"}}",
                      c ? "," : "", history[in[j]], history[in[j]]);
    snprintf(b + k, 65536 - k,
             "],\"@attr\":{\"user\":\"u\",\"totalPages\":\"%ld\",\"page\":"
             "\"%ld\",\"perPage\":\"%ld\",\"total\":\"%zu\"}}}",
             pages, page, limit, n);
    return b;
}

struct outcome {
    bool done;
    int code;
    struct sync_stats stats;
};

static void on_done(void *opaque, int code, const struct sync_stats *st)
{
    struct outcome *o = opaque;
    o->done = true;
    o->code = code;
    o->stats = *st;
}

/* One run at `now`: answer every request as the server would, to the end. */
static struct outcome run(struct ev_loop *loop, struct config *cfg, struct store *st, int64_t now,
                          bool full, unsigned *ret_requests)
{
    struct outcome o = {0};
    struct sync_options so = {.full = full, .now = now};
    struct sync *s = NULL;
    CHECK_INT(sync_start(loop, cfg, st, &so, on_done, &o, &s), 0);
    struct http *h = fake_http_last;
    for (int spin = 0; spin < 10000 && !o.done; spin++) {
        ev_run(loop, EVRUN_NOWAIT);
        for (unsigned i = 0; i < h->n && !o.done; i++)
            if (h->req[i].open) {
                char *body = serve(h->req[i].url);
                fake_respond(h, i, fatal_key ? 403 : 200, body, -1);
                free(body);
            }
    }
    CHECK(o.done);
    *ret_requests = h->n;
    sync_free(s);
    return o;
}

static size_t complete_passes(struct store *st, int64_t *ret_max_to)
{
    struct manifest *list;
    size_t n, done = 0;
    char bad[128];
    *ret_max_to = -1;
    if (store_list_passes(st, &list, &n, bad, NULL) < 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (list[i].state == PASS_COMPLETE) {
            done++;
            if (list[i].window_to > *ret_max_to)
                *ret_max_to = list[i].window_to;
        }
    free(list);
    return done;
}

int main(void)
{
    char dir[] = "/tmp/lastfm-test-sync-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct store *st;
    const char *what;
    CHECK_INT(store_open(dir, &st, &what), 0);
    char key[] = "0123456789abcdef0123456789abcdef", user[] = "u",
         url[] = "http://127.0.0.1:1/2.0/";
    struct config cfg = {.api_key = key,
                         .username = user,
                         .api_url = url,
                         .data_dir = dir,
                         .rate_limit = 1000,
                         .max_in_flight = 4,
                         .page_limit = 10,
                         .max_retries = 2,
                         .request_timeout = 5,
                         .full_resync_interval = 30 * DAY,
                         .api_url_is_loopback = true};
    struct ev_loop *loop = ev_default_loop(0);
    for (int i = 0; i < 25; i++)
        add(NOW - 30 * DAY + i * DAY);
    unsigned req;

    /* The first run: nothing stored, so the whole history as two passes. */
    struct outcome o = run(loop, &cfg, st, NOW, false, &req);
    CHECK_INT(o.code, EXIT_DONE);
    CHECK_INT(o.stats.passes, 2);
    CHECK(o.stats.changed);
    /* 26: the second where the two windows meet is in both requests (their
     * one-second margin); the flatten keeps it once. */
    CHECK_INT(o.stats.scrobbles, 26);
    int64_t max_to;
    CHECK_INT(complete_passes(st, &max_to), 2);
    CHECK_INT(max_to, NOW);

    /* Nothing new, a minute later: the count, then a "new" pass that finds
     * nothing and is dropped. */
    o = run(loop, &cfg, st, NOW + 60, false, &req);
    CHECK_INT(o.code, EXIT_DONE);
    CHECK_INT(o.stats.passes, 0);
    CHECK(!o.stats.changed);
    CHECK_INT(req, 2);

    /* A new scrobble: one "new" pass. */
    add(NOW + 100);
    o = run(loop, &cfg, st, NOW + 200, false, &req);
    CHECK_INT(o.code, EXIT_DONE);
    CHECK_INT(o.stats.passes, 1);
    CHECK_INT(o.stats.scrobbles, 1);

    /* A late scrobble three days back: the counts differ, the last 15 days
     * are fetched again. */
    add(NOW - 3 * DAY + 7);
    o = run(loop, &cfg, st, NOW + 300, false, &req);
    CHECK_INT(o.code, EXIT_DONE);
    CHECK_INT(o.stats.passes, 1);
    CHECK(o.stats.scrobbles >= 2);

    /* A fatal answer ends the run with its code. */
    fatal_key = true;
    o = run(loop, &cfg, st, NOW + 400, false, &req);
    CHECK_INT(o.code, EXIT_CONFIG);
    fatal_key = false;

    /* A run while the clock was 20 days ahead stores a window in the future
     * (no server Date here); back at the right time it is not trusted: the
     * next pass starts where the trusted ones end, and what arrived
     * meanwhile is fetched. */
    add(NOW + 350);
    o = run(loop, &cfg, st, NOW + 20 * DAY, false, &req);
    CHECK_INT(o.code, EXIT_DONE);
    CHECK_INT(o.stats.passes, 1);
    complete_passes(st, &max_to);
    CHECK_INT(max_to, NOW + 20 * DAY);
    add(NOW + 500);
    o = run(loop, &cfg, st, NOW + 600, false, &req);
    CHECK_INT(o.code, EXIT_DONE);
    CHECK(o.stats.passes >= 1);
    /* fetched again from where the trusted passes end: NOW + 350 and + 500 */
    CHECK_INT(o.stats.scrobbles, 2);
    complete_passes(st, &max_to);
    CHECK(max_to == NOW + 20 * DAY); /* the pass from the future stays (no server Date) */

    store_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_INT(system(cmd), 0);
    TEST_DONE();
}
