/* flatten: cache reuse (work proportional to what is new), invalidation when a
 * page file changes, a corrupt cache ignored, a bad page refused. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "flatten.h"
#include "log.h"
#include "store.h"
#include "test.h"

static char dir[256];

/* A page of `n` scrobbles, uts from `top` down. */
static char *make_page(long page, long pages, long total, long top, int n, const char *name)
{
    size_t cap = 256 + (size_t)n * 200;
    char *b = malloc(cap);
    size_t len = (size_t)snprintf(b, cap, "{\"recenttracks\":{\"track\":[");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(b + len, cap - len,
                                "%s{\"artist\":{\"mbid\":\"\",\"#text\":\"A\"},\"name\":\"%s\","
                                "\"album\":{\"mbid\":\"\",\"#text\":\"\"},\"mbid\":\"\","
                                "\"date\":{\"uts\":\"%ld\",\"#text\":\"\"}}",
                                i ? "," : "", name, top - i);
    snprintf(b + len, cap - len,
             "],\"@attr\":{\"page\":\"%ld\",\"totalPages\":\"%ld\",\"total\":\"%ld\","
             "\"perPage\":\"10\",\"user\":\"u\"}}}",
             page, pages, total);
    return b;
}

static void add_pass(struct store *s, unsigned pass, int64_t from, int64_t to, int pages, long top,
                     const char *name)
{
    struct manifest m = {.pass = pass,
                         .kind = "full",
                         .window_from = from,
                         .window_to = to,
                         .request_from = from ? from - 1 : -1,
                         .request_to = to + 1,
                         .limit = 10,
                         .state = PASS_COMPLETE,
                         .attempt = 1,
                         .total = pages * 10,
                         .total_pages = pages,
                         .started_at = 1};
    store_pass_create(s, &m);
    for (int p = 1; p <= pages; p++) {
        char *b = make_page(p, pages, pages * 10, top - (p - 1) * 10, 10, name);
        store_page_write(s, pass, p, b, strlen(b));
        free(b);
    }
}

static long csv_lines(void)
{
    char p[512];
    snprintf(p, sizeof p, "%s/interim/" STORE_CSV_NAME, dir);
    FILE *f = fopen(p, "r");
    long n = 0;
    int c;
    while (f && (c = fgetc(f)) != EOF)
        n += c == '\n';
    if (f)
        fclose(f);
    return n;
}

int main(void)
{
    log_set_level(LOG_LVL_ERR);
    snprintf(dir, sizeof dir, "/tmp/lastfm-test-flatten-XXXXXX");
    if (!mkdtemp(dir))
        return 99;
    struct store *s;
    const char *what;
    CHECK_INT(store_open(dir, &s, &what), 0);
    struct flatten_stats r;

    add_pass(s, 1, 0, 100000, 50, 100000, "old");
    CHECK_INT(flatten_run(s, false, &r), 0);
    CHECK_INT(r.rows, 500);
    CHECK_INT(r.pages_parsed, 50);
    CHECK_INT(csv_lines(), 501);

    /* Nothing new: every page from the cache. */
    CHECK_INT(flatten_run(s, false, &r), 0);
    CHECK_INT(r.pages_parsed, 0);
    CHECK_INT(r.rows, 500);

    /* One new page in a new pass: exactly one page parsed. */
    add_pass(s, 2, 100001, 200000, 1, 200000, "new");
    CHECK_INT(flatten_run(s, false, &r), 0);
    CHECK_INT(r.pages_parsed, 1);
    CHECK_INT(r.rows, 510);

    /* A page file rewritten (as a resumed pass does): its cache is stale. */
    char *b = make_page(3, 50, 500, 100000 - 20, 10, "rewritten");
    CHECK_INT(store_page_write(s, 1, 3, b, strlen(b)), 0);
    free(b);
    CHECK_INT(flatten_run(s, false, &r), 0);
    CHECK_INT(r.pages_parsed, 1);

    /* A cache file cut short is ignored. */
    char p[512];
    snprintf(p, sizeof p, "%s/interim/cache/pass-000001/page-000007.rows", dir);
    CHECK_INT(truncate(p, 100), 0);
    CHECK_INT(flatten_run(s, false, &r), 0);
    CHECK_INT(r.pages_parsed, 1);
    CHECK_INT(r.rows, 510);

    /* --rebuild parses everything. */
    CHECK_INT(flatten_run(s, true, &r), 0);
    CHECK_INT(r.pages_parsed, 51);

    /* A newer pass covering everything: the old pass's rows disappear. */
    add_pass(s, 3, 0, 300000, 2, 300000, "full");
    CHECK_INT(flatten_run(s, false, &r), 0);
    CHECK_INT(r.rows, 20);
    CHECK_INT(csv_lines(), 21);

    /* A page that does not parse: exit 65, the CSV untouched. */
    CHECK_INT(store_page_write(s, 3, 2, "{\"recenttracks\":", 16), 0);
    CHECK_INT(flatten_run(s, false, &r), EXIT_DATAERR);
    CHECK_INT(csv_lines(), 21);

    store_close(s);

    /* A server that sends scrobbles outside the window asked for: they are not
     * taken, and a warning names the page and how many. */
    char dir2[300];
    snprintf(dir2, sizeof dir2, "%s/outside", dir);
    CHECK_INT(store_open(dir2, &s, &what), 0);
    add_pass(s, 1, 1000, 2000, 1, 2005, "early"); /* 2005..1996: 2002..2005 outside */
    char logf[320];
    snprintf(logf, sizeof logf, "%s/stderr.txt", dir);
    fflush(stderr);
    int saved = dup(2);
    FILE *lf = freopen(logf, "w", stderr);
    log_set_level(LOG_LVL_WARN);
    int code = flatten_run(s, false, &r);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    CHECK(lf != NULL);
    CHECK_INT(code, 0);
    CHECK_INT(r.rows, 5); /* 2000..1996; 2001 is the margin the request adds */
    char text[2048] = "";
    FILE *rf = fopen(logf, "r");
    size_t tn = rf ? fread(text, 1, sizeof text - 1, rf) : 0;
    text[tn] = '\0';
    if (rf)
        fclose(rf);
    CHECK(strstr(text, "raw/pass-000001/page-000001.json: 4 scrobbles outside") != NULL);
    CHECK(strstr(text, "1970-01-01T00:33:25Z") != NULL); /* the first: uts 2005 */
    store_close(s);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 99;
    TEST_DONE();
}
