/* The flatten's row cache: a page's cache is current only for the raw page it
 * was made from (size, time, inode), a torn or foreign file is not valid, and
 * the sweep keeps the caches of complete passes only. */
#include "autoconfig.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rowcache_int.h"
#include "test.h"

/* A cache file for a page with stat `st`: header and one record. */
static size_t make(char *buf, const struct stat *st)
{
    struct rowcache_header h = {.src_size = (uint64_t)st->st_size,
                                .src_mtime_sec = st->st_mtim.tv_sec,
                                .src_mtime_nsec = st->st_mtim.tv_nsec,
                                .src_ino = (uint64_t)st->st_ino,
                                .nrows = 1,
                                .min_uts = 5,
                                .max_uts = 5};
    memcpy(h.magic, ROWCACHE_MAGIC, 8);
    const char line[] = "1970-01-01T00:00:05Z,t,a,,,,,1,raw/x\n";
    int64_t uts = 5;
    uint32_t len = sizeof line - 1;
    h.records_len = RECORD_HEAD + len;
    memcpy(buf, &h, sizeof h);
    memcpy(buf + sizeof h, &uts, sizeof uts);
    memcpy(buf + sizeof h + sizeof uts, &len, sizeof len);
    memcpy(buf + sizeof h + RECORD_HEAD, line, len);
    return sizeof h + RECORD_HEAD + len;
}

int main(void)
{
    char dir[] = "/tmp/test_rowcache.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char page[4096];
    snprintf(page, sizeof page, "%s/page.json", dir);
    FILE *f = fopen(page, "w");
    fputs("{\"recenttracks\":{}}", f);
    fclose(f);
    struct stat st;
    CHECK_INT(stat(page, &st), 0);
    int cache = open(dir, O_RDONLY | O_DIRECTORY);
    CHECK(cache >= 0);

    char name[64];
    rowcache_name(12, 1, name);
    CHECK_STR(name, "pass-000012/page-000001.rows");

    char buf[512];
    size_t len = make(buf, &st);
    CHECK(rowcache_valid(buf, len, &st));
    CHECK(!rowcache_valid(buf, len - 1, &st));   /* torn */
    CHECK(!rowcache_current(&st, cache, 12, 1)); /* none yet */
    rowcache_store(cache, 12, 1, buf, len);
    CHECK(rowcache_current(&st, cache, 12, 1));
    /* The raw page rewritten (another size): the cache is stale. */
    struct stat other = st;
    other.st_size++;
    CHECK(!rowcache_current(&other, cache, 12, 1));
    CHECK(!rowcache_valid(buf, len, &other));
    /* Another magic: not ours. */
    buf[0] ^= 1;
    CHECK(!rowcache_valid(buf, len, &st));
    buf[0] ^= 1;

    /* The sweep keeps complete passes' caches only. */
    rowcache_store(cache, 13, 1, buf, len);
    struct manifest passes[2] = {{.pass = 12, .state = PASS_COMPLETE},
                                 {.pass = 13, .state = PASS_RUNNING}};
    rowcache_sweep(cache, passes, 2);
    CHECK(rowcache_current(&st, cache, 12, 1));
    CHECK(!rowcache_current(&st, cache, 13, 1));
    rowcache_sweep(cache, passes, 0);
    CHECK(!rowcache_current(&st, cache, 12, 1));

    close(cache);
    unlink(page);
    rmdir(dir);
    TEST_DONE();
}
