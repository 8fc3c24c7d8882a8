/* rowcache.c: the flatten's row cache, interim/cache/pass-NNNNNN/page-NNNNNN.rows:
 * the CSV rows of one raw page, ready to write, valid while the page's size,
 * mtime and inode are those recorded in its header. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rowcache_int.h"

/* Is `buf` a whole cache file for a raw page with stat `st`? */
bool rowcache_valid(const char *buf, size_t len, const struct stat *st)
{
    struct rowcache_header h;
    if (len < sizeof h)
        return false;
    memcpy(&h, buf, sizeof h);
    if (memcmp(h.magic, ROWCACHE_MAGIC, 8) || h.src_size != (uint64_t)st->st_size ||
        h.src_mtime_sec != st->st_mtim.tv_sec || h.src_mtime_nsec != st->st_mtim.tv_nsec ||
        h.src_ino != (uint64_t)st->st_ino || h.records_len != len - sizeof h)
        return false;
    /* Walk the records: their lengths must add up exactly. */
    size_t off = sizeof h;
    uint32_t n = 0;
    while (off < len) {
        uint32_t l;
        if (len - off < RECORD_HEAD)
            return false;
        memcpy(&l, buf + off + sizeof(int64_t), sizeof l);
        if (l > len - off - RECORD_HEAD)
            return false;
        off += RECORD_HEAD + l;
        n++;
    }
    return n == h.nrows;
}

void rowcache_name(unsigned pass, long page, char buf[static 64])
{
    snprintf(buf, 64, "pass-%06u/page-%06ld.rows", pass, page);
}

/* Write a cache file in place: no temp file, no fsync.  It is derived data, and
 * a file cut short by a crash fails rowcache_valid() and is rebuilt. */
void rowcache_store(int cache_fd, unsigned pass, long page, const char *buf, size_t len)
{
    char name[64], dir[32];
    snprintf(dir, sizeof dir, "pass-%06u", pass);
    if (mkdirat(cache_fd, dir, 0755) < 0 && errno != EEXIST)
        return;
    rowcache_name(pass, page, name);
    int fd = store_openat(cache_fd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    bool ok = true;
    for (size_t off = 0; ok && off < len;) {
        ssize_t n = write(fd, buf + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        if (ok)
            off += (size_t)n;
    }
    if (close(fd) < 0 || !ok)
        unlinkat(cache_fd, name, 0);
}

/* Is the cache of this page current?  (Header only: cheap.) */
bool rowcache_current(const struct stat *page_st, int cache_fd, unsigned pass, long page)
{
    char name[64];
    struct stat cst;
    const struct stat st = *page_st;
    struct rowcache_header h;
    rowcache_name(pass, page, name);
    int fd = store_openat(cache_fd, name, O_RDONLY, 0);
    if (fd < 0)
        return false;
    bool ok = fstat(fd, &cst) == 0 && pread(fd, &h, sizeof h, 0) == (ssize_t)sizeof h &&
              memcmp(h.magic, ROWCACHE_MAGIC, 8) == 0 && h.src_size == (uint64_t)st.st_size &&
              h.src_mtime_sec == st.st_mtim.tv_sec && h.src_mtime_nsec == st.st_mtim.tv_nsec &&
              h.src_ino == (uint64_t)st.st_ino && h.records_len == (uint64_t)cst.st_size - sizeof h;
    close(fd);
    return ok;
}

/* Remove cache directories of passes that no longer exist (or are not
 * complete), with the files in them. */
struct cache_keep {
    const struct manifest *passes;
    size_t n;
};

static int unlink_one(void *opaque, int dir_fd, const char *name, unsigned char type)
{
    unlinkat(dir_fd, name, 0);
    return 0;
}

static int sweep_pass_cache(void *opaque, int dir_fd, const char *name, unsigned char type)
{
    const struct cache_keep *k = opaque;
    unsigned pass;
    if (sscanf(name, "pass-%6u", &pass) != 1)
        return 0;
    for (size_t i = 0; i < k->n; i++)
        if (k->passes[i].pass == pass && k->passes[i].state == PASS_COMPLETE)
            return 0;
    int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        store_walk(fd, unlink_one, NULL);
        close(fd);
    }
    unlinkat(dir_fd, name, AT_REMOVEDIR);
    return 0;
}

void rowcache_sweep(int cache_fd, const struct manifest *passes, size_t n)
{
    struct cache_keep k = {passes, n};
    if (cache_fd >= 0)
        store_walk(cache_fd, sweep_pass_cache, &k);
}
