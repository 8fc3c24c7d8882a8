/* One pass's state machine: shape, pages in any order, verify, restart, resume,
 * and pages that do not fit their neighbours (pagefit_int.h). */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pass_int.h"
#include "test.h"

static struct manifest manifest(const char *kind, long total, long total_pages)
{
    struct manifest m = {.pass = 7,
                         .window_from = 1000,
                         .window_to = 2000,
                         .limit = 100,
                         .state = PASS_RUNNING,
                         .attempt = 1,
                         .total = total,
                         .total_pages = total_pages};
    strcpy(m.kind, kind);
    return m;
}

static struct lastfm_result result(long total, long total_pages, long scrobbles)
{
    return (struct lastfm_result){
        .verdict = LFM_OK, .total = total, .total_pages = total_pages, .scrobbles = scrobbles};
}

/* A page of one scrobble at `uts`. */
static const char *page_at(long uts, char buf[static 512])
{
    snprintf(buf, 512,
             "{\"recenttracks\":{\"track\":[{\"artist\":{\"mbid\":\"\",\"#text\":\"A\"},"
             "\"name\":\"T\",\"album\":{\"mbid\":\"\",\"#text\":\"\"},\"date\":{\"uts\":\"%ld\","
             "\"#text\":\"x\"}}],\"@attr\":{\"user\":\"u\",\"totalPages\":\"1\",\"page\":\"1\","
             "\"perPage\":\"100\",\"total\":\"1\"}}}",
             uts);
    return buf;
}

/* A page of scrobbles "uts:track" (the artist and album fixed), in order. */
static struct page_edge edge_of(const char *items)
{
    static char body[4096];
    char list[3000] = "", one[256];
    char copy[512];
    snprintf(copy, sizeof copy, "%s", items);
    for (char *save, *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        long uts;
        char name[32];
        CHECK(sscanf(t, "%ld:%31s", &uts, name) == 2);
        snprintf(one, sizeof one,
                 "%s{\"artist\":{\"mbid\":\"\",\"#text\":\"A\"},\"name\":\"%s\","
                 "\"album\":{\"mbid\":\"\",\"#text\":\"\"},\"date\":{\"uts\":\"%ld\"}}",
                 list[0] ? "," : "", name, uts);
        strcat(list, one);
    }
    snprintf(body, sizeof body, "{\"recenttracks\":{\"track\":[%s],\"@attr\":{}}}", list);
    struct page_edge e;
    const char *why;
    CHECK_INT(page_edge_read(body, strlen(body), &e, &why), 0);
    return e;
}

/* Hand out every request now possible; returns how many, pages into got[]. */
static int drain(struct pass *p, long got[], bool *verify)
{
    int n = 0;
    long page;
    bool v;
    *verify = false;
    while (pass_next(p, &page, &v)) {
        if (v)
            *verify = true;
        else
            got[n++] = page;
    }
    return n;
}

static void test_whole_pass(void)
{
    struct pass p;
    struct manifest m = manifest("full", -1, -1);
    struct lastfm_result r;
    long got[16];
    bool verify;
    char why[128];
    pass_init(&p, &m, false);
    CHECK_INT(p.phase, PHASE_SHAPE);
    /* Only page 1 until it is answered. */
    CHECK_INT(drain(&p, got, &verify), 1);
    CHECK_INT(got[0], 1);
    CHECK_INT(drain(&p, got, &verify), 0);
    r = result(250, 3, 100);
    CHECK_INT(pass_page_ok(&p, 1, &r, "", 0, why), PASS_ACT_STORE_SHAPED);
    CHECK_INT(p.m.total, 250);
    CHECK_INT(p.m.total_pages, 3);
    pass_page_stored(&p, 1, 100, NULL);
    CHECK_INT(p.phase, PHASE_PAGES);
    /* The other pages at once, then nothing until they are in. */
    CHECK_INT(drain(&p, got, &verify), 2);
    CHECK_INT(got[0], 2);
    CHECK_INT(got[1], 3);
    CHECK(!verify);
    r = result(250, 3, 50);
    CHECK_INT(pass_page_ok(&p, 3, &r, "", 0, why), PASS_ACT_STORE);
    pass_page_stored(&p, 3, 50, NULL);
    CHECK_INT(drain(&p, got, &verify), 0);
    CHECK(!verify); /* page 2 is still out */
    r = result(250, 3, 100);
    CHECK_INT(pass_page_ok(&p, 2, &r, "", 0, why), PASS_ACT_STORE);
    pass_page_stored(&p, 2, 100, NULL);
    CHECK_INT(p.pages_done, 3);
    CHECK_INT(p.scrobbles, 250);
    CHECK_INT(p.pages_fetched, 3);
    /* Then the count, once. */
    CHECK_INT(drain(&p, got, &verify), 0);
    CHECK(verify);
    CHECK_INT(p.phase, PHASE_VERIFY);
    CHECK_INT(drain(&p, got, &verify), 0);
    CHECK(!verify);
    CHECK_INT(pass_count_ok(&p, 250, why), PASS_ACT_COMPLETE);
    CHECK_INT(p.phase, PHASE_DONE);
    pass_free(&p);
}

static void test_restarts(void)
{
    struct pass p;
    struct manifest m = manifest("recheck", -1, -1);
    struct lastfm_result r;
    long got[16];
    bool verify;
    char why[128];
    pass_init(&p, &m, true);
    drain(&p, got, &verify);
    r = result(150, 2, 100);
    CHECK_INT(pass_page_ok(&p, 1, &r, "", 0, why), PASS_ACT_STORE_SHAPED);
    pass_page_stored(&p, 1, 100, NULL);
    drain(&p, got, &verify);
    /* Page 2 sees a scrobble more than page 1 did. */
    r = result(151, 2, 51);
    CHECK_INT(pass_page_ok(&p, 2, &r, "", 0, why), PASS_ACT_RESTART);
    CHECK_STR(why, "page 2 says 151 scrobbles, page 1 said 150");
    CHECK(pass_restart(&p));
    CHECK_INT(p.m.attempt, 2);
    CHECK_INT(p.phase, PHASE_SHAPE);
    CHECK_INT(p.pages_done, 0);
    CHECK_INT(p.m.total, -1);
    CHECK(p.on_disk);
    CHECK_INT(drain(&p, got, &verify), 1);
    CHECK_INT(got[0], 1);
    /* The count disagrees with the pages. */
    r = result(150, 2, 100);
    pass_page_ok(&p, 1, &r, "", 0, why);
    pass_page_stored(&p, 1, 100, NULL);
    drain(&p, got, &verify);
    r = result(150, 2, 50);
    pass_page_ok(&p, 2, &r, "", 0, why);
    pass_page_stored(&p, 2, 50, NULL);
    drain(&p, got, &verify);
    CHECK(verify);
    CHECK_INT(pass_count_ok(&p, 149, why), PASS_ACT_RESTART);
    CHECK_STR(why, "150 scrobbles at the start, 150 in the pages, 149 now");
    /* Up to PASS_MAX_ATTEMPTS attempts in all. */
    for (unsigned a = 2; a < PASS_MAX_ATTEMPTS; a++)
        CHECK(pass_restart(&p));
    CHECK_INT(p.m.attempt, PASS_MAX_ATTEMPTS);
    CHECK(!pass_restart(&p));
    pass_free(&p);
}

static void test_empty(void)
{
    struct pass p;
    struct manifest m = manifest("new", -1, -1);
    struct lastfm_result r = result(0, 0, 0);
    long got[4];
    bool verify;
    char why[128], body[512];
    /* A new pass with nothing in it leaves no trace. */
    pass_init(&p, &m, false);
    drain(&p, got, &verify);
    CHECK_INT(pass_page_ok(&p, 1, &r, "", 0, why), PASS_ACT_DROP);
    pass_free(&p);
    /* Nor does one whose only scrobble is on the margin second. */
    pass_init(&p, &m, false);
    drain(&p, got, &verify);
    r = result(1, 1, 1);
    page_at(999, body);
    CHECK_INT(pass_page_ok(&p, 1, &r, body, strlen(body), why), PASS_ACT_DROP);
    pass_free(&p);
    /* One inside the window is kept. */
    pass_init(&p, &m, false);
    drain(&p, got, &verify);
    page_at(1000, body);
    CHECK_INT(pass_page_ok(&p, 1, &r, body, strlen(body), why), PASS_ACT_STORE_SHAPED);
    pass_free(&p);
    /* A recheck over stored time that is now empty is recorded as complete. */
    m = manifest("recheck", -1, -1);
    pass_init(&p, &m, false);
    drain(&p, got, &verify);
    r = result(0, 0, 0);
    CHECK_INT(pass_page_ok(&p, 1, &r, "", 0, why), PASS_ACT_COMPLETE);
    pass_free(&p);
}

static void test_resume(void)
{
    struct pass p;
    struct manifest m = manifest("full", 450, 5);
    long got[16];
    bool verify;
    pass_init(&p, &m, true);
    CHECK_INT(p.m.total, 450);
    CHECK_INT(pass_set_shape(&p, m.total, m.total_pages), 0);
    pass_have_page(&p, 2, 100, NULL);
    pass_have_page(&p, 4, 100, NULL);
    pass_have_page(&p, 4, 100, NULL); /* twice counts once */
    pass_have_page(&p, 9, 100, NULL); /* not a page of this pass */
    CHECK_INT(p.pages_done, 2);
    CHECK_INT(p.scrobbles, 200);
    CHECK_INT(p.pages_fetched, 0);
    CHECK_INT(drain(&p, got, &verify), 3);
    CHECK_INT(got[0], 1);
    CHECK_INT(got[1], 3);
    CHECK_INT(got[2], 5);
    pass_free(&p);
}

static void test_edges(void)
{
    struct page_edge a = edge_of("300:x 200:y 200:z"), b = edge_of("200:w 100:v"),
                     c = edge_of("200:z 100:v"), d = edge_of("250:q 100:v"), none = {0};
    CHECK_INT(a.newest, 300);
    CHECK_INT(a.oldest, 200);
    CHECK_INT(a.ntail, 2);
    CHECK_INT(a.nhead, 1);
    /* Same second, other scrobbles: neighbours. */
    CHECK_INT(page_edge_fit(&a, &b), PAGE_FITS);
    /* The last scrobble of the page before, again: repeated. */
    CHECK_INT(page_edge_fit(&a, &c), PAGE_REPEAT);
    /* Newer than where the page before ended: overlapping. */
    CHECK_INT(page_edge_fit(&a, &d), PAGE_OVERLAP);
    CHECK_INT(page_edge_fit(&a, &none), PAGE_FITS);
    /* Not newest first inside a page. */
    const char *bad = "{\"recenttracks\":{\"track\":[{\"artist\":{\"#text\":\"A\"},\"name\":"
                      "\"t\",\"date\":{\"uts\":\"5\"}},{\"artist\":{\"#text\":\"A\"},"
                      "\"name\":\"t\",\"date\":{\"uts\":\"6\"}}],\"@attr\":{}}}";
    struct page_edge e;
    const char *why = NULL;
    CHECK_INT(page_edge_read(bad, strlen(bad), &e, &why), -EINVAL);
    CHECK_STR(why, "its scrobbles are not newest first");
    page_edge_free(&a);
    page_edge_free(&b);
    page_edge_free(&c);
    page_edge_free(&d);
}

/* Store pages 1..3 of a 3-page pass with the given contents. */
static void store3(struct pass *p, const char *p1, const char *p2, const char *p3)
{
    const char *items[] = {NULL, p1, p2, p3};
    long got[8];
    bool verify;
    char why[128];
    drain(p, got, &verify);
    for (long page = 1; page <= 3; page++) {
        if (p->pg && p->pg[page].have)
            continue;
        struct lastfm_result r = result(6, 3, 2);
        pass_page_ok(p, page, &r, "", 0, why);
        struct page_edge e = edge_of(items[page]);
        pass_page_stored(p, page, 2, &e);
        drain(p, got, &verify);
    }
}

static void test_fit(void)
{
    struct pass p;
    struct manifest m = manifest("full", -1, -1);
    char why[256];
    long bad;
    long got[8];
    bool verify;
    /* Pages that fit: nothing to do. */
    pass_init(&p, &m, false);
    store3(&p, "600:a 500:b", "500:c 400:d", "300:e 200:f");
    CHECK_INT(pass_fit(&p, 2, &bad, why), PASS_FITS);
    CHECK_INT(pass_fit(&p, 0, &bad, why), PASS_FITS);
    pass_free(&p);

    /* Page 3 answered with page 2's items: both fetched again, then the pass
     * gives up naming the page. */
    pass_init(&p, &m, false);
    for (int read = 0; read < PASS_MAX_REREADS; read++) {
        store3(&p, "600:a 500:b", "400:c 300:d", "400:c 300:d");
        CHECK_INT(pass_fit(&p, 3, &bad, why), PASS_REREAD);
        CHECK_INT(bad, 3);
        CHECK_STR(why, "page 3 is not the page asked for: its newest scrobble (400) is newer "
                       "than the oldest of page 2 (300)");
        CHECK(!p.pg[2].have && !p.pg[3].have && p.pg[1].have);
        CHECK_INT(p.pages_done, 1);
        CHECK_INT(p.scrobbles, 2);
        CHECK_INT(drain(&p, got, &verify), 2); /* pages 2 and 3 again */
        CHECK_INT(got[0], 2);
        CHECK_INT(got[1], 3);
        p.outstanding = 0;
    }
    store3(&p, "600:a 500:b", "400:c 300:d", "400:c 300:d");
    CHECK_INT(pass_fit(&p, 3, &bad, why), PASS_WRONG);
    CHECK_INT(p.refetched, 2 * PASS_MAX_REREADS);
    pass_free(&p);

    /* The last scrobble of page 1 begins page 2 at every read: another page
     * size, and if that repeats too, the pass gives up. */
    pass_init(&p, &m, false);
    for (int read = 0; read < PASS_MAX_REREADS; read++) {
        store3(&p, "600:a 500:b", "500:b 400:c", "300:e 200:f");
        CHECK_INT(pass_fit(&p, 0, &bad, why), PASS_REREAD);
        CHECK_INT(bad, 2);
        p.outstanding = 0;
    }
    store3(&p, "600:a 500:b", "500:b 400:c", "300:e 200:f");
    CHECK_INT(pass_fit(&p, 2, &bad, why), PASS_RESIZE);
    CHECK_STR(why, "page 2 is not the page asked for: it begins with a scrobble that page 1 "
                   "ends with (the same second 500, track, artist and album)");
    CHECK(pass_restart_resized(&p));
    CHECK_INT(p.m.limit, 99);
    CHECK_INT(p.phase, PHASE_SHAPE);
    for (int read = 0; read < PASS_MAX_REREADS; read++) {
        store3(&p, "600:a 500:b", "500:b 400:c", "300:e 200:f");
        CHECK_INT(pass_fit(&p, 2, &bad, why), PASS_REREAD);
        p.outstanding = 0;
    }
    store3(&p, "600:a 500:b", "500:b 400:c", "300:e 200:f");
    CHECK_INT(pass_fit(&p, 2, &bad, why), PASS_WRONG);
    pass_free(&p);
}

/* Pages forgotten for not fitting are asked again; pages still in flight
 * after them are not asked twice, and a page answered twice is stored once. */
static void test_refetch_in_flight(void)
{
    struct pass p;
    struct manifest m = manifest("full", -1, -1);
    struct lastfm_result r = result(10, 5, 2);
    long got[8], bad;
    bool verify;
    char why[256], w[128];
    pass_init(&p, &m, false);
    drain(&p, got, &verify);
    CHECK_INT(pass_page_ok(&p, 1, &r, "", 0, w), PASS_ACT_STORE_SHAPED);
    struct page_edge e = edge_of("900:a 800:b");
    pass_page_stored(&p, 1, 2, &e);
    CHECK_INT(drain(&p, got, &verify), 4); /* pages 2..5 in flight */
    CHECK_INT(pass_page_ok(&p, 2, &r, "", 0, w), PASS_ACT_STORE);
    e = edge_of("900:a 800:b"); /* page 1 again: it does not fit */
    pass_page_stored(&p, 2, 2, &e);
    CHECK_INT(pass_fit(&p, 2, &bad, why), PASS_REREAD);
    /* Pages 1 and 2 again, not 3..5, which are still out. */
    CHECK_INT(drain(&p, got, &verify), 2);
    CHECK_INT(got[0], 1);
    CHECK_INT(got[1], 2);
    /* Page 3's answer, and a second answer for it, which is dropped. */
    CHECK_INT(pass_page_ok(&p, 3, &r, "", 0, w), PASS_ACT_STORE);
    e = edge_of("500:e 400:f");
    pass_page_stored(&p, 3, 2, &e);
    CHECK_INT(pass_page_ok(&p, 3, &r, "", 0, w), PASS_ACT_IGNORE);
    CHECK_INT(p.pages_done, 1);
    pass_free(&p);
}

int main(void)
{
    test_refetch_in_flight();
    test_edges();
    test_fit();
    test_whole_pass();
    test_restarts();
    test_empty();
    test_resume();
    TEST_DONE();
}
