/* test_site.c: the site's addresses (report_links.c) and what a list of
 * active days says (report_days.c), pure. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "test.h"

static const char *file_of(const char *name, char out[REPORT_FILE_MAX])
{
    report_artist_file(name, strlen(name), out);
    return out;
}

/* printable ASCII of [a-z0-9.-], not starting with '.', at most 63 bytes */
static int safe(const char *f)
{
    if (!*f || f[0] == '.' || f[0] == '-' || strlen(f) >= REPORT_FILE_MAX)
        return 0;
    for (const char *p = f; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
            return 0;
    return strcmp(f + strlen(f) - 5, ".html") == 0;
}

static void test_files(void)
{
    char a[REPORT_FILE_MAX], b[REPORT_FILE_MAX];
    /* FNV-1a 64, the published test vectors */
    CHECK(report_fnv1a("", 0) == 0xcbf29ce484222325ull);
    CHECK(report_fnv1a("a", 1) == 0xaf63dc4c8601ec8cull);
    CHECK(report_fnv1a("foobar", 6) == 0x85944171f73967e8ull);
    CHECK_STR(file_of("AC/DC", a), "ac-dc-9bbe7751d89eb5cf.html");
    CHECK(strcmp(file_of("AC/DC", a), file_of("ac/dc", b)) != 0); /* case: two files */
    CHECK(strncmp(a, b, 6) == 0);                                 /* ... one readable part */
    CHECK(strcmp(file_of("Beyonc\xc3\xa9", a), file_of("Beyonce\xcc\x81", b)) != 0); /* NFC, NFD */
    CHECK(strcmp(file_of("Sigur Ros", a), file_of("Sigur  Ros", b)) != 0);
    static const char *const hostile[] = {"..",
                                          ".",
                                          "/",
                                          "",
                                          "-",
                                          "../../etc/passwd",
                                          "</svg><script>alert(1)</script>",
                                          "CON",
                                          "a\\b",
                                          "\xe5\x9d\x82\xe6\x9c\xac",
                                          "%2e%2e%2f",
                                          "\t\n"};
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        file_of(hostile[i], a);
        CHECK(safe(a));
        CHECK(strstr(a, "..") == NULL);
    }
    CHECK_STR(file_of("../../etc/passwd", a), "etc-passwd-2bef2c0bbbdefdfa.html");
    /* a 300-character name: 40 of its characters, then the hash */
    char long_name[301];
    memset(long_name, 'x', 300);
    long_name[300] = '\0';
    file_of(long_name, a);
    CHECK(safe(a));
    CHECK_INT(strlen(a), 40 + 1 + 16 + 5);
    long_name[299] = 'y'; /* differs only past the readable part: another file */
    CHECK(strcmp(a, file_of(long_name, b)) != 0);
    /* stable: a function of the name alone */
    CHECK_STR(file_of("Sigur R\xc3\xb3s", a), file_of("Sigur R\xc3\xb3s", b));
    CHECK(strncmp(a, "sigur-r-s-", 10) == 0);
}

static void test_links(void)
{
    struct report_links l = {0};
    static const char *const names[] = {"b", "a", "c", "Zz"};
    static const long n[] = {10, 30, 20, 5};
    l.v = calloc(8, sizeof *l.v);
    for (int i = 0; i < 4; i++) {
        l.v[i].name = strdup(names[i]);
        l.v[i].n = n[i];
        report_artist_file(names[i], strlen(names[i]), l.v[i].file);
    }
    /* a clash of file names (forced): the one of fewer scrobbles loses its page */
    l.v[4].name = strdup("d");
    l.v[4].n = 1;
    strcpy(l.v[4].file, l.v[0].file);
    l.n = 5;
    CHECK_INT(report_links_finish(&l), 1);
    CHECK_INT(l.n, 4);
    CHECK(report_links_find(&l, "d") == NULL);
    const struct page_artist *p = report_links_find(&l, "b");
    CHECK(p != NULL && p->n == 10);
    CHECK(report_links_find(&l, "a") != NULL && report_links_find(&l, "Zz") != NULL);
    CHECK(report_links_find(&l, "zz") == NULL); /* exact names only */
    CHECK(report_links_find(&l, NULL) == NULL);
    CHECK(report_links_find(NULL, "a") == NULL);
    for (size_t i = 1; i < l.n; i++)
        CHECK(strcmp(l.v[i - 1].name, l.v[i].name) < 0);
    report_links_free(&l);
    CHECK_INT(l.n, 0);
}

static void test_days(void)
{
    /* 2024-01-01 was a Monday. */
    struct day_count d[] = {{"2023-12-30", 2}, {"2023-12-31", 1}, {"2024-01-01", 5},
                            {"2024-01-02", 4}, {"2024-01-03", 3}, {"2024-02-01", 9},
                            {"2025-03-01", 1}, {"2025-03-02", 1}};
    struct day_runs r;
    report_day_runs(d, 8, 365, &r);
    CHECK_STR(r.first, "2023-12-30");
    CHECK_STR(r.last, "2025-03-02");
    CHECK_INT(r.active_days, 8);
    CHECK_INT(r.longest_run.days, 5);
    CHECK_STR(r.longest_run.from, "2023-12-30");
    CHECK_STR(r.longest_run.to, "2024-01-03");
    /* 2024-02-01 .. 2025-03-01: 393 days between, without (Python: 2025-03-01 - 2024-02-01 - 1) */
    CHECK_INT(r.longest_gap.days, 393);
    CHECK_STR(r.longest_gap.from, "2024-02-01");
    CHECK_STR(r.longest_gap.to, "2025-03-01");
    CHECK_INT(r.nreturns, 1);
    CHECK_STR(r.returns[0].to, "2025-03-01");
    CHECK_STR(r.busiest_day.date, "2024-02-01");
    CHECK_INT(r.busiest_day.n, 9);
    /* weeks from Monday: 2024-01-01..07 holds 12, 2023-12-25..31 holds 3 */
    CHECK_STR(r.busiest_week, "2024-01-01");
    CHECK_INT(r.busiest_week_n, 12);
    report_day_runs(d, 8, 10000, &r);
    CHECK_INT(r.nreturns, 0);
    report_day_runs(d, 1, 365, &r);
    CHECK_INT(r.longest_run.days, 1);
    CHECK_INT(r.longest_gap.days, 0);
    CHECK_STR(r.busiest_week, "2023-12-25");
    report_day_runs(d, 0, 365, &r);
    CHECK_INT(r.active_days, 0);
    CHECK_STR(r.first, "");
    /* day numbers round-trip, across a leap day and a century */
    char out[11];
    static const char *const dates[] = {"2000-02-29", "1900-03-01", "2024-12-31", "1970-01-01"};
    for (size_t i = 0; i < 4; i++) {
        report_format_day(report_day_number(dates[i]), out);
        CHECK_STR(out, dates[i]);
    }
    CHECK_INT(report_day_number("2024-03-01") - report_day_number("2024-02-28"), 2);
}

int main(void)
{
    test_files();
    test_links();
    test_days();
    TEST_DONE();
}
