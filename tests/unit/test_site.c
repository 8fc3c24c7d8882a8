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
    struct page_set l = {0};
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
    CHECK(report_links_find(&l, NULL, "d") == NULL);
    const struct page_link *p = report_links_find(&l, NULL, "b");
    CHECK(p != NULL && p->n == 10);
    CHECK(report_links_find(&l, NULL, "a") != NULL && report_links_find(&l, NULL, "Zz") != NULL);
    CHECK(report_links_find(&l, NULL, "zz") == NULL); /* exact names only */
    CHECK(report_links_find(&l, NULL, NULL) == NULL);
    CHECK(report_links_find(NULL, NULL, "a") == NULL);
    for (size_t i = 1; i < l.n; i++)
        CHECK(strcmp(l.v[i - 1].name, l.v[i].name) < 0);
    struct report_links all = {.artists = l};
    report_links_free(&all);
    CHECK_INT(all.artists.n, 0);
}

/* Albums and tracks: (artist, name) pairs, the same title by two artists two pages. */
static void test_pairs(void)
{
    char a[REPORT_FILE_MAX], b[REPORT_FILE_MAX], c[REPORT_FILE_MAX];
    report_pair_file("Beatles", "Abbey Road", a);
    report_pair_file("Other", "Abbey Road", b);
    CHECK(strncmp(a, "abbey-road-", 11) == 0 && safe(a));
    CHECK(strcmp(a, b) != 0);
    /* the NUL between: ("ab", "c") is not ("a", "bc") */
    report_pair_file("ab", "c", a);
    report_pair_file("a", "bc", b);
    CHECK(strcmp(a, b) != 0);
    report_pair_file("", "", c);
    CHECK(safe(c) && strlen(c) == 16 + 5);
    struct page_set l = {0};
    l.v = calloc(4, sizeof *l.v);
    static const char *const pairs[][2] = {{"B", "Same"}, {"A", "Same"}, {"A", "Other"}};
    for (int i = 0; i < 3; i++) {
        l.v[i].artist = strdup(pairs[i][0]);
        l.v[i].name = strdup(pairs[i][1]);
        l.v[i].n = 10 - i;
        report_pair_file(pairs[i][0], pairs[i][1], l.v[i].file);
    }
    l.n = 3;
    CHECK_INT(report_links_finish(&l), 0);
    const struct page_link *p = report_links_find(&l, "A", "Same"),
                           *q = report_links_find(&l, "B", "Same");
    CHECK(p && q && p != q && strcmp(p->file, q->file) != 0);
    CHECK(report_links_find(&l, "C", "Same") == NULL);
    struct report_links all = {.albums = l};
    report_links_free(&all);
}

/* The page model's one link rule: (kind, key) to a path, or no page. */
static void test_paths(void)
{
    struct report r = {0};
    struct month_count months[] = {{"2014-08", 0, 0}, {"2014-09", 12, 1}};
    r.months = months;
    r.nmonths = 2;
    r.links.first_year = 2013;
    r.links.last_year = 2015;
    r.links.artists.v = calloc(1, sizeof *r.links.artists.v);
    char acdc[] = "AC/DC", album[] = "Back in Black";
    r.links.artists.v[0].name = acdc;
    report_artist_file("AC/DC", 5, r.links.artists.v[0].file);
    r.links.artists.n = 1;
    r.links.albums.v = calloc(1, sizeof *r.links.albums.v);
    r.links.albums.v[0] = (struct page_link){.name = album, .artist = acdc};
    report_pair_file("AC/DC", "Back in Black", r.links.albums.v[0].file);
    r.links.albums.n = 1;
    char path[REPORT_PATH_MAX];
    CHECK(report_page_path(&r, PAGE_INDEX, &(struct page_key){0}, path));
    CHECK_STR(path, "index.html");
    CHECK(report_page_path(&r, PAGE_ARTISTS, &(struct page_key){0}, path));
    CHECK_STR(path, "artists.html");
    CHECK(report_page_path(&r, PAGE_YEAR, &(struct page_key){.year = 2014}, path));
    CHECK_STR(path, "year/2014.html");
    CHECK(!report_page_path(&r, PAGE_YEAR, &(struct page_key){.year = 2016}, path));
    CHECK(report_page_path(&r, PAGE_MONTH, &(struct page_key){.year = 2014, .month = 9}, path));
    CHECK_STR(path, "month/2014-09.html");
    CHECK(report_page_path(
        &r, PAGE_MONTH, &(struct page_key){.year = 2014, .month = 9, .day = "2014-09-05"}, path));
    CHECK_STR(path, "month/2014-09.html#2014-09-05");
    /* a month without a counted scrobble, or none at all, has no page */
    CHECK(!report_page_path(&r, PAGE_MONTH, &(struct page_key){.year = 2014, .month = 8}, path));
    CHECK(!report_page_path(&r, PAGE_MONTH, &(struct page_key){.year = 2014, .month = 13}, path));
    CHECK(report_page_path(&r, PAGE_ARTIST, &(struct page_key){.artist = "AC/DC"}, path));
    CHECK(strncmp(path, "artist/ac-dc-", 13) == 0);
    CHECK(!report_page_path(&r, PAGE_ARTIST, &(struct page_key){.artist = "ac/dc"}, path));
    CHECK(report_page_path(&r, PAGE_ALBUM,
                           &(struct page_key){.artist = "AC/DC", .name = "Back in Black"}, path));
    CHECK(strncmp(path, "album/back-in-black-", 20) == 0);
    CHECK(!report_page_path(&r, PAGE_TRACK,
                            &(struct page_key){.artist = "AC/DC", .name = "Back in Black"}, path));
    struct hbuf b = {0};
    r.root = "../";
    CHECK(report_link_open(&b, &r, PAGE_YEAR, &(struct page_key){.year = 2013}));
    CHECK(!report_link_open(&b, &r, PAGE_YEAR, &(struct page_key){.year = 2012}));
    CHECK_STR(b.data, "<a href=\"../year/2013.html\">");
    hbuf_free(&b);
    free(r.links.artists.v);
    free(r.links.albums.v);
}

static void test_days(void)
{
    /* 2024-01-01 was a Monday. */
    struct day_count d[] = {{"2023-12-30", 2}, {"2023-12-31", 1}, {"2024-01-01", 5},
                            {"2024-01-02", 4}, {"2024-01-03", 3}, {"2024-02-01", 9},
                            {"2025-03-01", 1}, {"2025-03-02", 1}};
    struct day_runs r;
    report_day_runs(d, 8, NULL, 0, 365, &r);
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
    report_day_runs(d, 8, NULL, 0, 10000, &r);
    CHECK_INT(r.nreturns, 0);
    report_day_runs(d, 1, NULL, 0, 365, &r);
    CHECK_INT(r.longest_run.days, 1);
    CHECK_INT(r.longest_gap.days, 0);
    CHECK_STR(r.busiest_week, "2023-12-25");
    report_day_runs(d, 0, NULL, 0, 365, &r);
    CHECK_INT(r.active_days, 0);
    CHECK_STR(r.first, "");
    /* Absences over the listener's active days: a year in which nothing at all
     * was scrobbled is no absence of an artist (issue 30). */
    struct day_count all[] = {{"2024-01-01", 3},
                              {"2024-01-05", 1},
                              {"2024-01-09", 2},
                              {"2025-03-01", 4},
                              {"2025-03-02", 1}};
    struct day_count artist[] = {{"2024-01-01", 1}, {"2025-03-01", 2}};
    report_day_runs(artist, 2, all, 5, 2, &r);
    CHECK_INT(r.longest_gap.days, 2);       /* 2024-01-05 and 2024-01-09 */
    CHECK_INT(r.longest_gap.calendar, 424); /* 2025-03-01 - 2024-01-01 - 1 */
    CHECK_INT(r.nreturns, 1);
    CHECK_INT(r.returns[0].days, 2);
    report_day_runs(artist, 2, all, 5, 3, &r);
    CHECK_INT(r.nreturns, 0); /* 424 calendar days, but only 2 active ones away */
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
    test_pairs();
    test_paths();
    test_days();
    TEST_DONE();
}
