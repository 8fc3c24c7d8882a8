/* One pass's state machine: shape, pages in any order, verify, restart, resume. */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "pass.h"
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
    pass_page_stored(&p, 1, 100);
    CHECK_INT(p.phase, PHASE_PAGES);
    /* The other pages at once, then nothing until they are in. */
    CHECK_INT(drain(&p, got, &verify), 2);
    CHECK_INT(got[0], 2);
    CHECK_INT(got[1], 3);
    CHECK(!verify);
    r = result(250, 3, 50);
    CHECK_INT(pass_page_ok(&p, 3, &r, "", 0, why), PASS_ACT_STORE);
    pass_page_stored(&p, 3, 50);
    CHECK_INT(drain(&p, got, &verify), 0);
    CHECK(!verify); /* page 2 is still out */
    r = result(250, 3, 100);
    CHECK_INT(pass_page_ok(&p, 2, &r, "", 0, why), PASS_ACT_STORE);
    pass_page_stored(&p, 2, 100);
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
    pass_page_stored(&p, 1, 100);
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
    pass_page_stored(&p, 1, 100);
    drain(&p, got, &verify);
    r = result(150, 2, 50);
    pass_page_ok(&p, 2, &r, "", 0, why);
    pass_page_stored(&p, 2, 50);
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
    pass_have_page(&p, 2, 100);
    pass_have_page(&p, 4, 100);
    pass_have_page(&p, 4, 100); /* twice counts once */
    pass_have_page(&p, 9, 100); /* not a page of this pass */
    CHECK_INT(p.pages_done, 2);
    CHECK_INT(p.scrobbles, 200);
    CHECK_INT(p.pages_fetched, 0);
    CHECK_INT(drain(&p, got, &verify), 3);
    CHECK_INT(got[0], 1);
    CHECK_INT(got[1], 3);
    CHECK_INT(got[2], 5);
    pass_free(&p);
}

int main(void)
{
    test_whole_pass();
    test_restarts();
    test_empty();
    test_resume();
    TEST_DONE();
}
