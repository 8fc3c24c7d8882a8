/* tags.c: a tag run (tags.h). */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exitcodes.h"
#include "fetch_int.h"
#include "http_int.h"
#include "lastfm.h"
#include "log.h"
#include "monoclock.h"
#include "sync_settings_int.h"
#include "tagplan_int.h"
#include "tags.h"
#include "tagstore_int.h"

struct tags {
    struct ev_loop *loop;
    struct store *store;
    struct sync_settings cfg; /* the run's own copy */
    tags_done_fn done;
    void *opaque;
    struct http *http;
    struct fetch *fetch;
    char **artists; /* the CSV's distinct artists (the plan points into it) */
    size_t nartists;
    struct tag_want *want;
    size_t nwant, next; /* the plan, and the next to pull */
    long open;          /* pulled and not concluded */
    int exit_code;
    bool finished;
    struct tags_stats st;
    double t0;
    ev_timer done_timer; /* calls `done` from the loop */
};

static void finish(struct tags *t, int code)
{
    if (t->finished)
        return;
    t->finished = true;
    t->exit_code = code;
    if (t->fetch)
        fetch_stop(t->fetch);
    struct fetch_stats fs = t->fetch ? fetch_stats(t->fetch) : (struct fetch_stats){0};
    t->st.requests = fs.requests;
    t->st.retries = fs.retries;
    t->st.seconds = mono_now() - t->t0;
    ev_timer_start(t->loop, &t->done_timer);
}

static void on_done_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct tags *t = w->data;
    t->done(t->opaque, t->exit_code, &t->st);
}

static bool on_pull(void *opaque, struct fetch_request *ret)
{
    struct tags *t = opaque;
    if (t->finished || t->next >= t->nwant)
        return false;
    *ret = (struct fetch_request){
        .method = FETCH_TOP_TAGS, .kind = (int)t->next, .artist = t->want[t->next].artist};
    t->next++;
    t->open++;
    return true;
}

static char *on_url(void *opaque, const struct fetch_request *req)
{
    struct tags *t = opaque;
    return lastfm_build_tags_url(t->cfg.api_url, req->artist, t->cfg.api_key);
}

static void on_retrying(void *opaque, const struct fetch_request *req, const struct fetch_retry *r)
{
    log_debug("tags of '%.200s': %s; retry %u/%u in %.1f s", req->artist, r->why, r->retry,
              r->max_retries, r->delay);
}

static void on_fetched(void *opaque, const struct fetch_request *req, const struct fetch_verdict *v)
{
    struct tags *t = opaque;
    t->open--;
    if (t->finished)
        return;
    const struct tag_want *w = &t->want[req->kind];
    switch (v->outcome) {
    case FETCH_OK: {
        struct tag_meta m = {.artist = (char *)w->artist,
                             .fetched_at = (int64_t)time(NULL),
                             .http_status = v->http_status,
                             .unknown = v->result->unknown_artist,
                             .tags = v->result->tags};
        int r = tagstore_write(t->store, &m, v->body, v->len);
        if (r < 0) {
            log_err("cannot store the tags of '%.200s' in %s/%s: %s: free space or fix "
                    "permissions; the tags run stops",
                    w->artist, store_data_dir(t->store), STORE_TAGS_DIR, strerror(-r));
            finish(t, EXIT_IOERR);
            return;
        }
        t->st.stored++;
        t->st.unknown += m.unknown;
        t->st.refreshed += w->refresh;
        log_debug("tags of '%.200s': %s", w->artist, v->result->reason);
        break;
    }
    case FETCH_FATAL:
        log_err("%s", v->result->reason);
        finish(t, v->result->exit_code);
        return;
    case FETCH_GAVE_UP:
    case FETCH_FAILED:
        t->st.failed++;
        log_warn("tags of '%.200s': giving up for now after %u retries: %s; asked again by "
                 "the next run",
                 w->artist, v->retries, v->why);
        break;
    }
    if (t->next >= t->nwant && t->open == 0)
        finish(t, EXIT_DONE);
}

/* What to ask: the CSV's artists against the stored answers. */
static int plan(struct tags *t, const struct config *cfg)
{
    int r = tagstore_csv_artists(t->store, &t->artists, &t->nartists);
    if (r < 0)
        return r;
    struct tag_meta *stored;
    size_t nstored, bad;
    if ((r = store_list_tags(t->store, &stored, &nstored, &bad)) < 0)
        return r;
    if (bad)
        log_warn("%zu stored tag answers in %s/%s cannot be read: their artists are asked "
                 "again",
                 bad, store_data_dir(t->store), STORE_TAGS_DIR);
    r = tagplan_make(t->artists, t->nartists, stored, nstored, (int64_t)time(NULL),
                     cfg->tag_refresh, TAGS_REFRESH_PER_RUN, &t->want, &t->nwant);
    tagmeta_free_list(stored, nstored);
    t->st.artists = (long)t->nartists;
    t->st.wanted = (long)t->nwant;
    return r;
}

int tags_start(struct ev_loop *loop, const struct config *cfg, struct store *store,
               struct sync_budget *budget, tags_done_fn done, void *opaque, struct tags **ret)
{
    struct tags *t = calloc(1, sizeof *t);
    if (!t)
        return -ENOMEM;
    t->loop = loop;
    t->store = store;
    t->done = done;
    t->opaque = opaque;
    t->t0 = mono_now();
    ev_timer_init(&t->done_timer, on_done_timer, 0.0, 0.0);
    t->done_timer.data = t;
    int r = sync_settings_copy(&t->cfg, cfg);
    if (r == 0)
        r = plan(t, cfg);
    if (r == 0 && t->nwant == 0) {
        finish(t, EXIT_DONE); /* nothing to ask: done from the loop */
        *ret = t;
        return 0;
    }
    struct http_options ho = sync_settings_http(&t->cfg);
    if (r == 0)
        r = http_new(loop, &ho, &t->http);
    struct fetch_options fo = sync_settings_fetch(&t->cfg, budget ? &budget->rl : NULL);
    struct fetch_ops ops = {
        .pull = on_pull, .url = on_url, .done = on_fetched, .retrying = on_retrying};
    if (r == 0)
        r = fetch_new(loop, t->http, &fo, &ops, t, &t->fetch);
    if (r < 0) {
        tags_free(t);
        return r;
    }
    log_info("tags: asking Last.fm about %zu of %zu artists", t->nwant, t->nartists);
    fetch_wake(t->fetch);
    *ret = t;
    return 0;
}

void tags_free(struct tags *t)
{
    if (!t)
        return;
    ev_timer_stop(t->loop, &t->done_timer);
    fetch_free(t->fetch);
    http_free(t->http);
    free(t->want);
    tagstore_free_artists(t->artists, t->nartists);
    sync_settings_free(&t->cfg);
    free(t);
}

int tags_tally(struct store *s, const struct config *cfg, int64_t now, struct tags_tally *ret)
{
    *ret = (struct tags_tally){0};
    char **artists;
    size_t nartists, nstored, nwant;
    struct tag_meta *stored;
    struct tag_want *want = NULL;
    int r = tagstore_csv_artists(s, &artists, &nartists);
    if (r < 0)
        return r;
    if ((r = store_list_tags(s, &stored, &nstored, &ret->unread)) == 0) {
        r = tagplan_make(artists, nartists, stored, nstored, now, cfg->tag_refresh, nartists, &want,
                         &nwant);
        tagmeta_free_list(stored, nstored);
    }
    if (r == 0) {
        ret->artists = (long)nartists;
        for (size_t i = 0; i < nwant; i++)
            *(want[i].refresh ? &ret->stale : &ret->missing) += 1;
    }
    free(want);
    tagstore_free_artists(artists, nartists);
    return r;
}
