/* rowcache_int.h: the flatten's per-page row cache (derived data: safe to delete). */
#ifndef LASTFM_ROWCACHE_H
#define LASTFM_ROWCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "manifest.h"
#include "store.h"

#define ROWCACHE_MAGIC "LFMROWS2"

/* Header of a cache file: the rows of one raw page, ready to write. */
struct rowcache_header {
    char magic[8];     /* ROWCACHE_MAGIC */
    uint64_t src_size; /* the raw page's size, mtime and inode when cached */
    int64_t src_mtime_sec;
    int64_t src_mtime_nsec;
    uint64_t src_ino;
    uint64_t records_len; /* bytes of records after the header */
    uint32_t nrows;
    uint32_t reserved;
    int64_t min_uts, max_uts;
};

/* A record: int64 uts, uint32 length, then the CSV line (with "\n"). */
#define RECORD_HEAD (sizeof(int64_t) + sizeof(uint32_t))

/* Is `buf` a whole cache file for a raw page with stat `st`? */
bool rowcache_valid(const char *buf, size_t len, const struct stat *st);
/* "pass-000012/page-000001.rows", relative to the cache directory. */
void rowcache_name(unsigned pass, long page, char buf[static 64]);
/* Write one page's cache in place (no temp, no fsync: a torn file fails
 * rowcache_valid() and is rebuilt). */
void rowcache_store(int cache_fd, unsigned pass, long page, const char *buf, size_t len);
/* Is the cache of this page current?  (Its header against the raw page's stat.) */
bool rowcache_current(const struct stat *page_st, int cache_fd, unsigned pass, long page);
/* Remove the caches of passes that no longer exist or are not complete. */
void rowcache_sweep(int cache_fd, const struct manifest *passes, size_t n);

#endif
