/* storesite.c: a directory of files published whole (store.h). */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "store_int.h"

#define SUBDIRS_MAX 8

/* A site being built. */
struct store_site {
    struct store *s;
    char name[64]; /* what it becomes: DATA_DIR/name */
    char tmp[128]; /* where it is built: DATA_DIR/.name.tmp-XXXXXX */
    int fd;        /* the new directory */
    struct {
        char name[32];
        int fd;
        int old_fd;     /* the same folder of the published site, -1: none */
    } sub[SUBDIRS_MAX]; /* its subdirectories, opened on first use */
    int nsub;
    int old_fd;       /* the published site (DATA_DIR/name), -1: none */
    mode_t file_mode; /* what a page written now gets (0644 under the umask) */
};

/* ".report.tmp-" */
static void tmp_prefix(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, ".%s" STORE_TMP_MARK, name);
}

static int sweep_site(void *opaque, int fd, const char *entry, unsigned char type)
{
    char prefix[96];
    tmp_prefix(STORE_REPORT_DIR, prefix, sizeof prefix);
    (void)opaque;
    if (strncmp(entry, prefix, strlen(prefix)) == 0)
        store_remove_entry(NULL, fd, entry, type);
    return 0;
}

void store_site_sweep(struct store *s) { store_walk(s->dir_fd, sweep_site, NULL); }

int store_site_begin(struct store *s, const char *name, struct store_site **ret)
{
    struct store_site *w = calloc(1, sizeof *w);
    if (!w)
        return -ENOMEM;
    w->s = s;
    w->fd = -1;
    w->old_fd = -1;
    snprintf(w->name, sizeof w->name, "%s", name);
    char prefix[80];
    tmp_prefix(name, prefix, sizeof prefix);
    for (int tries = 0; tries < 100; tries++) {
        unsigned char rnd[6];
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
            for (size_t i = 0; i < sizeof rnd; i++)
                rnd[i] = (unsigned char)(rand() >> 7);
        }
        static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789";
        char suffix[7];
        for (size_t i = 0; i < sizeof rnd; i++)
            suffix[i] = abc[rnd[i] % 36];
        suffix[6] = '\0';
        snprintf(w->tmp, sizeof w->tmp, "%s%s", prefix, suffix);
        if (mkdirat(s->dir_fd, w->tmp, 0755) == 0)
            break;
        if (errno != EEXIST) {
            int e = -errno;
            free(w);
            return e;
        }
        w->tmp[0] = '\0';
    }
    if (!w->tmp[0]) {
        free(w);
        return -EEXIST;
    }
    w->fd = openat(s->dir_fd, w->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (w->fd < 0) {
        int e = -errno;
        unlinkat(s->dir_fd, w->tmp, AT_REMOVEDIR);
        free(w);
        return e;
    }
    w->old_fd = openat(s->dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    mode_t mask = umask(0); /* (read back: one thread) */
    umask(mask);
    w->file_mode = 0644 & ~mask;
    *ret = w;
    return 0;
}

/* The new site's folder `sub` (NULL: its top), and in *old the published
 * site's same folder (-1: none). */
static int sub_fd(struct store_site *w, const char *sub, int *old)
{
    *old = w->old_fd;
    if (!sub)
        return w->fd;
    for (int i = 0; i < w->nsub; i++)
        if (strcmp(w->sub[i].name, sub) == 0) {
            *old = w->sub[i].old_fd;
            return w->sub[i].fd;
        }
    if (w->nsub == SUBDIRS_MAX || strlen(sub) >= sizeof w->sub[0].name || strchr(sub, '/'))
        return -EINVAL;
    int fd = store_subdir(w->fd, sub);
    if (fd < 0)
        return fd;
    snprintf(w->sub[w->nsub].name, sizeof w->sub[0].name, "%s", sub);
    w->sub[w->nsub].fd = fd;
    *old = w->sub[w->nsub].old_fd =
        w->old_fd < 0 ? -1
                      : openat(w->old_fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    w->nsub++;
    return fd;
}

/* Does the published site's `file` in `old` hold exactly buf, with the mode a
 * page written now would get (a data directory opened to its group since
 * keeps no page private)?  Read in blocks: any page costs 64 KiB here. */
static bool same_bytes(int old, const char *file, const void *buf, size_t len, mode_t mode)
{
    if (old < 0)
        return false;
    int fd = openat(old, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == mode &&
                (size_t)st.st_size == len;
    char block[65536];
    for (size_t at = 0; same && at < len;) {
        ssize_t n = read(fd, block, len - at < sizeof block ? len - at : sizeof block);
        if (n < 0 && errno == EINTR)
            continue;
        same = n > 0 && memcmp(block, (const char *)buf + at, (size_t)n) == 0;
        at += n > 0 ? (size_t)n : 0;
    }
    close(fd);
    return same;
}

int store_site_write(struct store_site *w, const char *sub, const char *file, const void *buf,
                     size_t len)
{
    if (!file[0] || strchr(file, '/') || strcmp(file, ".") == 0 || strcmp(file, "..") == 0)
        return -EINVAL;
    int old;
    int dir = sub_fd(w, sub, &old);
    if (dir < 0)
        return dir;
    /* A page the published site holds byte for byte: carried into the new
     * site as a hard link, not written again. */
    if (same_bytes(old, file, buf, len, w->file_mode) && linkat(old, file, dir, file, 0) == 0)
        return 1;
    int fd = openat(dir, file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? -errno : -EIO;
            close(fd);
            return e;
        }
        p += n;
        len -= (size_t)n;
    }
    return close(fd) < 0 ? -errno : 0;
}

static void close_all(struct store_site *w)
{
    for (int i = 0; i < w->nsub; i++) {
        close(w->sub[i].fd);
        if (w->sub[i].old_fd >= 0)
            close(w->sub[i].old_fd);
    }
    w->nsub = 0;
    if (w->old_fd >= 0)
        close(w->old_fd);
    w->old_fd = -1;
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
}

void store_site_abort(struct store_site *w)
{
    if (!w)
        return;
    close_all(w);
    store_remove_tree(w->s->dir_fd, w->tmp);
    free(w);
}

int store_site_publish(struct store_site *w)
{
    int dir = w->s->dir_fd, r = 0;
    /* Every file, every directory entry of the new tree on disk first. */
    if (syncfs(w->fd) < 0)
        r = -errno;
    close_all(w);
    if (r == 0 && renameat2(dir, w->tmp, dir, w->name, RENAME_EXCHANGE) < 0) {
        if (errno == ENOENT) { /* the first site */
            if (renameat2(dir, w->tmp, dir, w->name, RENAME_NOREPLACE) < 0)
                r = -errno;
        } else if (errno == EINVAL || errno == ENOSYS) {
            /* A file system without the exchange: the old site moved aside,
             * then the new one in (a reader may find no site for a moment,
             * never a mix). */
            char old[sizeof w->tmp];
            snprintf(old, sizeof old, "%.100sold", w->tmp);
            bool moved = renameat(dir, w->name, dir, old) == 0;
            if (!moved && errno != ENOENT) {
                r = -errno;
            } else if (renameat(dir, w->tmp, dir, w->name) < 0) {
                r = -errno;
                if (moved) /* the old site back in its place */
                    renameat(dir, old, dir, w->name);
            } else {
                snprintf(w->tmp, sizeof w->tmp, "%s", old);
            }
        } else {
            r = -errno;
        }
    }
    if (r == 0 && fsync(dir) < 0)
        r = -errno;
    /* Now w->tmp holds the old site (or, on failure, the new one): removed. */
    store_remove_tree(dir, w->tmp);
    free(w);
    return r;
}
