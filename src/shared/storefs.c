/* storefs.c: the store's file system primitives: opens that follow no link,
 * one directory walk, atomic writes, bounded reads, and the checks that refuse
 * a data directory another user could plant links in. */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "store.h"

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int store_openat(int dir_fd, const char *rel, int flags, mode_t mode)
{
    char path[256];
    if (snprintf(path, sizeof path, "%s", rel) >= (int)sizeof path)
        return -ENAMETOOLONG;
    int fd = dir_fd;
    char *comp = path, *slash;
    while ((slash = strchr(comp, '/'))) {
        *slash = '\0';
        if (!*comp || strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
            if (fd != dir_fd)
                close(fd);
            return -EINVAL;
        }
        int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int e = -errno;
        if (fd != dir_fd)
            close(fd);
        if (next < 0)
            return e;
        fd = next;
        comp = slash + 1;
    }
    /* O_NONBLOCK: a named pipe or a device planted by mistake cannot hang the
     * open (for regular files it changes nothing); callers check the type. */
    int out = openat(fd, comp, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, mode);
    int e = -errno;
    if (fd != dir_fd)
        close(fd);
    return out < 0 ? e : out;
}

int store_open_regular(const char *path, int flags, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | flags);
    if (fd < 0)
        return -errno;
    if (fstat(fd, st) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    /* /dev/null is an empty file here: the units give --env-file /dev/null. */
    bool devnull = S_ISCHR(st->st_mode) && major(st->st_rdev) == 1 && minor(st->st_rdev) == 3;
    if (!S_ISREG(st->st_mode) && !devnull) {
        close(fd);
        return S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL;
    }
    return fd;
}

int store_walk(int dir_fd, store_walk_fn fn, void *opaque)
{
    int dup_fd = dup(dir_fd);
    if (dup_fd < 0)
        return -errno;
    DIR *d = fdopendir(dup_fd);
    if (!d) {
        int e = -errno;
        close(dup_fd);
        return e;
    }
    rewinddir(d); /* a dup shares the offset of an earlier listing */
    struct dirent *e;
    int r = 0;
    while (r == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        unsigned char type = e->d_type;
        if (type == DT_UNKNOWN) {
            struct stat st;
            if (fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                continue; /* gone meanwhile */
            type = S_ISLNK(st.st_mode) ? DT_LNK : S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
        }
        r = fn(opaque, dir_fd, e->d_name, type);
    }
    closedir(d);
    return r;
}

int store_tmp_create(int dir_fd, const char *name, char tmp[static 256])
{
    for (unsigned attempt = 0;; attempt++) {
        snprintf(tmp, 256, ".%.200s" STORE_TMP_MARK "%06x", name,
                 (unsigned)((getpid() * 2654435761u) ^ (unsigned)random()) & 0xffffffu);
        int fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST || attempt > 100)
            return -errno;
    }
}

int store_tmp_commit(int dir_fd, const char *tmp, const char *name, int fd)
{
    int r = 0;
    if (fd >= 0) {
        if (fsync(fd) < 0)
            r = -errno;
    } else if (fd == STORE_FSYNC_BY_NAME) {
        int f = store_openat(dir_fd, tmp, O_RDONLY, 0);
        r = f < 0 ? f : fsync(f) < 0 ? -errno : 0;
        if (f >= 0)
            close(f);
    }
    if (r == 0 && renameat(dir_fd, tmp, dir_fd, name) < 0)
        r = -errno;
    if (r < 0) {
        unlinkat(dir_fd, tmp, 0); /* never fsynced twice: the caller writes anew */
        return r;
    }
    return fsync(dir_fd) < 0 ? -errno : 0;
}

int store_atomic_write(int dir_fd, const char *name, const void *buf, size_t len)
{
    char tmp[256];
    int fd = store_tmp_create(dir_fd, name, tmp);
    if (fd < 0)
        return fd;
    int r = write_all(fd, buf, len);
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    if (close(fd) < 0 && r == 0)
        r = -errno;
    if (r < 0) {
        unlinkat(dir_fd, tmp, 0);
        return r;
    }
    return store_tmp_commit(dir_fd, tmp, name, STORE_SYNCED);
}

int store_read_fd(int fd, size_t max, char **ret_buf, size_t *ret_len, struct stat *ret_st)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -errno;
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max)
        return S_ISREG(st.st_mode) ? -EFBIG : -EINVAL;
    /* One spare byte beyond the size: reading into it means the file grew. */
    size_t cap = (size_t)st.st_size + 2, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return -ENOMEM;
    for (;;) {
        if (len == cap - 1) {
            /* The file grew while read: nothing here appends, so refuse. */
            free(buf);
            return -EAGAIN;
        }
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = -errno;
            free(buf);
            return e;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    *ret_buf = buf;
    *ret_len = len;
    if (ret_st)
        *ret_st = st;
    return 0;
}

int store_read_file(int dir_fd, const char *name, size_t max, char **ret_buf, size_t *ret_len)
{
    int fd = store_openat(dir_fd, name, O_RDONLY, 0);
    if (fd < 0)
        return fd;
    int r = store_read_fd(fd, max, ret_buf, ret_len, NULL);
    close(fd);
    return r;
}

int store_subdir(int parent, const char *name)
{
    if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
        return -errno;
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

/* ---- refusing what another user could have planted ---- */

/* Where the first symbolic link was found, relative to the data directory. */
struct link_scan {
    char path[200];
    unsigned depth;
    mode_t strip; /* permission bits to take away from what we own */
};

/* The entries of DATA_DIR that are the store's (the rest is left alone: a
 * data directory may be shared with other files). */
static bool ours(const char *name)
{
    static const char *const names[] = {"raw",   "interim",           "processed",   "report",
                                        ".lock", STORE_IDENTITY_NAME, STORE_TAGS_DIR};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/* Written by an older version or under a looser umask: no more readable than
 * the data directory's mode allows (store_open()).  A file of ours that cannot
 * be tightened (a read-only file system) is an error: it would stay readable
 * to whom the mode says it must not be. */
static int tighten(const struct link_scan *ls, int fd, const char *name)
{
    struct stat st;
    if (!ls->strip || (ls->depth == 0 && !ours(name)) ||
        fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_uid != geteuid() ||
        !(st.st_mode & ls->strip) || S_ISLNK(st.st_mode))
        return 0;
    return fchmodat(fd, name, st.st_mode & 07777 & ~ls->strip, 0) < 0 ? -errno : 0;
}

static int scan_entry(void *opaque, int fd, const char *name, unsigned char type)
{
    struct link_scan *ls = opaque;
    size_t at = strlen(ls->path);
    snprintf(ls->path + at, sizeof ls->path - at, "%s%s", at ? "/" : "", name);
    if (type == DT_LNK)
        return -ELOOP; /* ls->path names it */
    int t = tighten(ls, fd, name);
    if (t < 0)
        return t; /* ls->path names it */
    if (type == DT_DIR && ls->depth < 3) {
        int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) {
            ls->depth++;
            int r = store_walk(sub, scan_entry, ls);
            ls->depth--;
            close(sub);
            if (r < 0)
                return r;
        }
    }
    ls->path[at] = '\0';
    return 0;
}

/* The data directory must be this user's alone: owned by us, and not writable
 * by group or others (unless sticky), else another user could swap a file
 * for a link between our checks. */
int store_check_owner(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -errno;
    if (st.st_uid != geteuid())
        return -EPERM;
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
        return -EACCES;
    return 0;
}

const char *store_open_hint(int r, const char *what)
{
    bool mode = what && strcmp(what, STORE_WHAT_MODE) == 0;
    if (!mode && (r == -EACCES || r == -EPERM))
        return "this user may not create or enter it: create it (mkdir -m 700) as this "
               "user, or set LASTFM_DATA_DIR to a directory of your own";
    if (r == -EROFS)
        return "it is on a read-only file system: set LASTFM_DATA_DIR to a writable place";
    switch (r) {
    case -ELOOP:
        return "it is a symbolic link, and nothing inside the data directory is ever followed "
               "through one: remove the link (move the files it points to into its place if "
               "they are yours) and run again";
    case -EPERM:
        return "the data directory belongs to another user, who could plant links in it: "
               "use a directory of your own (chown it to this user or set LASTFM_DATA_DIR)";
    case -EACCES:
        return "the data directory is writable by group or others, who could plant links in "
               "it: chmod go-w it and run again";
    default: return "create it with write permission or set LASTFM_DATA_DIR";
    }
}

/* mkdir -p: every missing level of the data directory's path. */
int store_make_dirs(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return -ENAMETOOLONG;
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0755) < 0 && errno != EEXIST)
                return -errno;
            *p = c;
            if (!c)
                return 0;
        }
    }
}

int store_lock_holder(const char *data_dir)
{
    char path[4200], buf[32] = "";
    snprintf(path, sizeof path, "%s/.lock", data_dir);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return atoi(buf);
}

int store_scan_links(int dir_fd, mode_t strip, char *ret_path, size_t size)
{
    struct link_scan scan = {.path = "", .strip = strip};
    int r = store_walk(dir_fd, scan_entry, &scan);
    snprintf(ret_path, size, "%s", scan.path);
    return r;
}

int store_remove_entry(void *opaque, int fd, const char *name, unsigned char type)
{
    if (type == DT_DIR) {
        int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0 && errno == EACCES && fchmodat(fd, name, S_IRWXU, 0) == 0)
            sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0)
            return errno == ENOENT ? 0 : -errno;
        /* A folder of ours made read-only (chmod -R a-w report/) must still go
         * when it is replaced: its entries cannot be removed otherwise. */
        struct stat st;
        if (fstat(sub, &st) == 0 && (st.st_mode & S_IRWXU) != S_IRWXU)
            fchmod(sub, (st.st_mode & 07777) | S_IRWXU);
        int r = store_walk(sub, store_remove_entry, opaque);
        close(sub);
        if (r < 0)
            return r;
        return unlinkat(fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -errno : 0;
    }
    return unlinkat(fd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
}

int store_remove_tree(int dir_fd, const char *name)
{
    struct stat st;
    if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : -errno;
    return store_remove_entry(NULL, dir_fd, name, S_ISDIR(st.st_mode) ? DT_DIR : DT_REG);
}
