/* The data directory: atomic writes, temp sweep, lock, pass listing. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvread.h"
#include "store.h"
#include "test.h"

static char dir[256];

static bool exists(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    return access(p, F_OK) == 0;
}

static void touch(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* store_interim_each's fn: counts the records, stops at the third with
 * `stop` when it is set. */
struct rows {
    int n, stop;
};

static int count_row(void *opaque, const struct csv_reader *rd)
{
    struct rows *r = opaque;
    CHECK(rd->nfields == 2);
    return ++r->n == 3 && r->stop ? r->stop : 0;
}

static struct manifest make(unsigned n, enum pass_state st)
{
    struct manifest m = {.pass = n,
                         .kind = "full",
                         .window_from = 0,
                         .window_to = 100,
                         .request_from = -1,
                         .request_to = 101,
                         .limit = 200,
                         .state = st,
                         .attempt = 1,
                         .total = st == PASS_COMPLETE ? 0 : -1,
                         .total_pages = st == PASS_COMPLETE ? 0 : -1,
                         .started_at = 1};
    return m;
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/lastfm-test-store-XXXXXX");
    if (!mkdtemp(dir))
        return 99;
    strcat(dir, "/data");
    struct store *s;
    const char *what;
    CHECK_INT(store_open(dir, &s, &what), 0);
    CHECK(exists("raw") && exists("interim") && exists(".lock"));

    /* A second opener is refused while the first holds the lock. */
    struct store *s2;
    CHECK_INT(store_open(dir, &s2, &what), -EWOULDBLOCK);

    /* Atomic write: content in place, no temp file left. */
    int interim = store_stage_dir(s, STORE_INTERIM_DIR);
    CHECK(interim >= 0);
    CHECK_INT(store_atomic_write(interim, "x.txt", "hello", 5), 0);
    char *buf;
    size_t len;
    CHECK_INT(store_read_file(interim, "x.txt", 100, &buf, &len), 0);
    CHECK_INT(len, 5);
    CHECK_STR(buf, "hello");
    free(buf);
    CHECK_INT(store_read_file(interim, "x.txt", 4, &buf, &len), -EFBIG);
    /* An interim CSV record by record: the header skipped, a malformed
     * record or fn's error ends the walk with it; no file: -ENOENT. */
    struct rows rows = {0};
    const char *csv = "a,b\n1,x\n2,\"y,\"\"z\"\"\"\n3,\"multi\nline\"\n4,w\n";
    CHECK_INT(store_atomic_write(interim, "x.csv", csv, strlen(csv)), 0);
    CHECK_INT(store_interim_each(s, "x.csv", count_row, &rows), 0);
    CHECK_INT(rows.n, 4);
    rows = (struct rows){.stop = -ECANCELED};
    CHECK_INT(store_interim_each(s, "x.csv", count_row, &rows), -ECANCELED);
    CHECK_INT(rows.n, 3);
    CHECK_INT(store_atomic_write(interim, "x.csv", "a,b\n1,\"open\n", 12), 0);
    rows = (struct rows){0};
    CHECK_INT(store_interim_each(s, "x.csv", count_row, &rows), -EBADMSG);
    CHECK_INT(store_interim_each(s, "none.csv", count_row, &rows), -ENOENT);
    CHECK_INT(store_atomic_write(interim, "x.txt", "replaced", 8), 0);
    CHECK_INT(store_read_file(interim, "x.txt", 100, &buf, &len), 0);
    CHECK_STR(buf, "replaced");
    free(buf);
    CHECK_INT(store_atomic_write(interim, "nodir/x", "a", 1), -ENOENT);
    close(interim);

    /* Passes, pages. */
    struct manifest m3 = make(3, PASS_COMPLETE), m1 = make(1, PASS_RUNNING);
    CHECK_INT(store_pass_create(s, &m3), 0);
    CHECK_INT(store_pass_create(s, &m1), 0);
    CHECK_INT(store_pass_create(s, &m1), -EEXIST);
    CHECK_INT(store_page_write(s, 1, 1, "{}", 2), 0);
    CHECK_INT(store_page_write(s, 1, 2, "[]", 2), 0);
    CHECK(store_page_exists(s, 1, 2) && !store_page_exists(s, 1, 3));
    /* What the flatten and the processed stage ask of the store by name. */
    struct stat st;
    CHECK_INT(store_page_stat(s, 1, 2, &st), 0);
    CHECK_INT(st.st_size, 2);
    CHECK_INT(store_page_stat(s, 1, 3, &st), -ENOENT);
    CHECK_INT(store_manifest_stat(s, 1, &st), 0);
    CHECK(st.st_size > 0);
    CHECK_INT(store_manifest_stat(s, 2, &st), -ENOENT);
    CHECK_INT(store_csv_stat(s, &st), -ENOENT);
    CHECK_INT(store_csv_open(s), -ENOENT);
    /* Its path for SQLite and messages, refused when cut. */
    {
        char path[600], want[600], small[8];
        snprintf(want, sizeof want, "%s/%s/%s", dir, STORE_PROCESSED_DIR, STORE_DB_NAME);
        CHECK_INT(store_stage_path(s, STORE_PROCESSED_DIR, STORE_DB_NAME, path, sizeof path), 0);
        CHECK_STR(path, want);
        CHECK_INT(store_stage_path(s, STORE_PROCESSED_DIR, STORE_DB_NAME, small, sizeof small),
                  -ENAMETOOLONG);
    }
    /* A later stage's file, by its stage's name: not created, not followed. */
    CHECK_INT(store_stage_stat(s, STORE_PROCESSED_DIR, STORE_DB_NAME, &st), -ENOENT);
    CHECK(!exists(STORE_PROCESSED_DIR));
    CHECK_INT(store_stage_stat(s, STORE_INTERIM_DIR, "x.txt", &st), 0);
    CHECK_INT(st.st_size, 8);
    {
        char target[512], link[512];
        snprintf(target, sizeof target, "%s/interim", dir);
        snprintf(link, sizeof link, "%s/report", dir);
        CHECK_INT(symlink(target, link), 0);
        CHECK_INT(store_stage_stat(s, STORE_REPORT_DIR, "x.txt", &st), -ENOTDIR);
        unlink(link);
        snprintf(link, sizeof link, "%s/interim/y.txt", dir);
        CHECK_INT(symlink("x.txt", link), 0);
        CHECK_INT(store_stage_stat(s, STORE_INTERIM_DIR, "y.txt", &st), 0);
        CHECK(S_ISLNK(st.st_mode)); /* the link itself, not what it names */
        unlink(link);
    }
    char rel[64];
    store_manifest_relpath(12, rel);
    CHECK_STR(rel, "raw/pass-000012/manifest.json");
    CHECK(exists("raw/pass-000001/page-000002.json"));
    struct manifest *list;
    size_t n;
    char bad[128];
    CHECK_INT(store_list_passes(s, &list, &n, bad, NULL), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(list[0].pass, 1);
        CHECK_INT(list[1].pass, 3);
        CHECK_INT(list[1].state, PASS_COMPLETE);
    }
    CHECK_STR(bad, "");
    free(list);
    CHECK_INT(store_pass_clear_pages(s, 1), 0);
    CHECK(!store_page_exists(s, 1, 1) && exists("raw/pass-000001/manifest.json"));

    /* A corrupted manifest is reported by path. */
    touch("raw/pass-000003/manifest.json", "{\"format\":1,");
    CHECK_INT(store_list_passes(s, &list, &n, bad, NULL), 0);
    CHECK_INT(n, 1);
    CHECK_STR(bad, "raw/pass-000003/manifest.json");
    free(list);
    CHECK_INT(store_pass_remove(s, 3), 0);
    CHECK(!exists("raw/pass-000003"));

    /* Crash debris: temp files, a pass directory without a manifest.  The next
     * open sweeps them; real files stay. */
    touch("interim/.lastfm_scrobbles_interim.csv.tmp-123", "partial");
    touch("raw/pass-000001/.page-000001.json.tmp-abcdef", "{\"recent");
    mkdir("/tmp", 0755);
    char p[512];
    snprintf(p, sizeof p, "%s/raw/pass-000009", dir);
    mkdir(p, 0755);
    touch("raw/pass-000009/page-000001.json", "{}");
    store_close(s);
    CHECK_INT(store_open(dir, &s, &what), 0);
    CHECK(!exists("interim/.lastfm_scrobbles_interim.csv.tmp-123"));
    CHECK(!exists("raw/pass-000001/.page-000001.json.tmp-abcdef"));
    CHECK(!exists("raw/pass-000009"));
    CHECK(exists("raw/pass-000001/manifest.json") && exists("interim/x.txt"));
    store_close(s);

    /* The report's site: built aside, published whole, the old pages gone. */
    CHECK_INT(store_open(dir, &s, &what), 0);
    struct store_site *w;
    CHECK_INT(store_site_begin(s, STORE_REPORT_DIR, &w), 0);
    CHECK_INT(store_site_write(w, NULL, "index.html", "one", 3), 0);
    CHECK_INT(store_site_write(w, "artist", "a.html", "A", 1), 0);
    CHECK_INT(store_site_write(w, "artist", "old.html", "O", 1), 0);
    CHECK_INT(store_site_write(w, "artist", "../x.html", "X", 1), -EINVAL);
    CHECK_INT(store_site_write(w, "artist", "..", "X", 1), -EINVAL);
    CHECK_INT(store_site_write(w, "a/b", "x.html", "X", 1), -EINVAL);
    CHECK_INT(store_site_write(w, NULL, "index.html", "twice", 5), -EEXIST);
    CHECK(!exists("report/index.html")); /* nothing shows before the publish */
    CHECK_INT(store_site_publish(w), 0);
    CHECK(exists("report/index.html") && exists("report/artist/old.html"));
    CHECK_INT(store_site_begin(s, STORE_REPORT_DIR, &w), 0);
    CHECK_INT(store_site_write(w, NULL, "index.html", "two", 3), 0);
    CHECK_INT(store_site_write(w, "artist", "a.html", "A2", 2), 0);
    CHECK(exists("report/artist/old.html")); /* the old site, whole, until the swap */
    CHECK_INT(store_site_publish(w), 0);
    CHECK(exists("report/artist/a.html") && !exists("report/artist/old.html"));
    int rfd = store_stage_dir(s, STORE_REPORT_DIR);
    CHECK_INT(store_read_file(rfd, "index.html", 100, &buf, &len), 0);
    CHECK_INT(len, 3);
    CHECK(memcmp(buf, "two", 3) == 0);
    free(buf);
    close(rfd);
    /* a page of the same bytes as the published one is carried over (1: a
     * hard link, the same file), a changed one written (0) */
    struct stat before, after;
    snprintf(p, sizeof p, "%s/report/artist/a.html", dir);
    CHECK(stat(p, &before) == 0);
    CHECK_INT(store_site_begin(s, STORE_REPORT_DIR, &w), 0);
    CHECK_INT(store_site_write(w, "artist", "a.html", "A2", 2), 1);
    CHECK_INT(store_site_write(w, NULL, "index.html", "twO", 3), 0);
    CHECK_INT(store_site_write(w, "year", "2020.html", "new", 3), 0); /* no old folder */
    CHECK_INT(store_site_publish(w), 0);
    CHECK(stat(p, &after) == 0 && after.st_ino == before.st_ino && after.st_nlink == 1);
    rfd = store_stage_dir(s, STORE_REPORT_DIR);
    CHECK_INT(store_read_file(rfd, "index.html", 100, &buf, &len), 0);
    CHECK(len == 3 && memcmp(buf, "twO", 3) == 0);
    free(buf);
    close(rfd);
    /* given up: nothing of it stays, the published site does */
    CHECK_INT(store_site_begin(s, STORE_REPORT_DIR, &w), 0);
    CHECK_INT(store_site_write(w, NULL, "index.html", "three", 5), 0);
    store_site_abort(w);
    CHECK(exists("report/artist/a.html"));
    /* a crash mid-build leaves .report.tmp-XXXXXX (made here as a kill -9
     * would leave it): swept at the next open */
    store_close(s);
    snprintf(p, sizeof p, "%s/.report.tmp-abc123", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/.report.tmp-abc123/year", dir);
    mkdir(p, 0700);
    touch(".report.tmp-abc123/year/2020.html", "y");
    CHECK(exists(".report.tmp-abc123/year/2020.html"));
    CHECK_INT(store_open(dir, &s, &what), 0);
    char ls[700];
    snprintf(ls, sizeof ls, "ls -a '%s' | grep -q '^\\.report'", dir);
    CHECK(system(ls) != 0);
    CHECK(exists("report/index.html"));
    /* the history cleared: the whole site with it */
    CHECK_INT(store_clear_history(s), 0);
    CHECK(!exists("report"));
    store_close(s);

    /* A data directory that is a file. */
    snprintf(p, sizeof p, "%s/interim/x.txt", dir);
    CHECK_INT(store_open(p, &s, &what), -ENOTDIR);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(dir) - 5), dir);
    if (system(cmd) != 0)
        return 99;
    TEST_DONE();
}
