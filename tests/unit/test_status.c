/* The progress bar, the status line's rate, journal fields. */
#include "autoconfig.h"

#include <string.h>
#include <time.h>

#include "status.h"
#include "test.h"

int main(void)
{
    char line[160];
    status_bar(line, sizeof line, 3, 15, 30, 2.54, 1);
    CHECK_STR(line, "pass 3 [###############...............] page 15/30  2.5 req/s  1 retries");
    status_bar(line, sizeof line, 1, 0, -1, 0, 0);
    CHECK_STR(line, "pass 1 [..............................] page 0/0  0.0 req/s  0 retries");
    status_bar(line, sizeof line, 2, 40, 40, 5, 0);
    CHECK_STR(line, "pass 2 [##############################] page 40/40  5.0 req/s  0 retries");

    /* Before 2 s of samples: the average since the start. */
    struct rate_window w = {0};
    CHECK_NEAR(status_rate_sample(&w, 100.0, 0, 100.0), 0.0, 1e-9);
    CHECK_NEAR(status_rate_sample(&w, 101.0, 10, 100.0), 10.0, 1e-9);
    /* A burst of 10 at the start, then 2 a second: after the window fills,
     * the rate is 2, not the average since the start. */
    unsigned req = 10;
    double rate = 0;
    for (int i = 0; i < 40; i++) {
        req += 1;
        rate = status_rate_sample(&w, 101.5 + 0.5 * i, req, 100.0);
    }
    CHECK_NEAR(rate, 2.0, 1e-9);
    CHECK_INT(w.taken, 42);

    struct fields f = {0};
    status_fields_add(&f, "SYNC_PASS=%u", 4u);
    status_fields_add(&f, "PAGE=%ld", 12L);
    CHECK_INT(f.n, 2);
    CHECK_STR(f.ptr[0], "SYNC_PASS=4");
    CHECK_STR(f.ptr[1], "PAGE=12");
    CHECK(f.ptr[2] == NULL);
    for (int i = 0; i < 10; i++)
        status_fields_add(&f, "X%d=1", i);
    CHECK_INT(f.n, 8);
    CHECK(f.ptr[8] == NULL);
    /* The daemon's STATUS= lines.  2026-11-24 12:00:00 UTC = 1795521600. */
    char st[256];
    time_t last = 1795521600, next = last + 900;
    status_idle_line(st, sizeof st, 146213, last, next, "/var/lib/x/report/index.html", 412);
    CHECK_STR(st, "idle: 146,213 scrobbles, last sync 12:00 UTC, next 12:15; report site "
                  "/var/lib/x/report/index.html (412 pages)");
    status_idle_line(st, sizeof st, 146213, last, next, "/var/lib/x/report/index.html", 0);
    CHECK_STR(st, "idle: 146,213 scrobbles, last sync 12:00 UTC, next 12:15; report site "
                  "/var/lib/x/report/index.html");
    status_idle_line(st, sizeof st, 999, last, next, NULL, 0);
    CHECK_STR(st, "idle: 999 scrobbles, last sync 12:00 UTC, next 12:15");
    status_idle_line(st, sizeof st, -1, last, next, NULL, 0);
    CHECK_STR(st, "idle: last sync 12:00 UTC, next 12:15");
    status_idle_line(st, sizeof st, -1, 0, next, NULL, 0);
    CHECK_STR(st, "idle: no complete sync yet, next try 12:15 UTC");
    status_idle_line(st, sizeof st, 1000000, last, next, NULL, 0);
    CHECK(strstr(st, " 1,000,000 scrobbles") != NULL);
    status_run_line(st, sizeof st, 3, 0, 0, -1, 0, 0);
    CHECK_STR(st, "run 3: planning");
    status_run_line(st, sizeof st, 3, 7, 0, -1, 4.5, 2);
    CHECK_STR(st, "pass 7: page 1, 4.5 req/s, 2 retries");
    status_run_line(st, sizeof st, 3, 7, 12, 40, 4.49, 0);
    CHECK_STR(st, "pass 7: page 12/40, 4.5 req/s, 0 retries");
    TEST_DONE();
}
