/* store.c: atomic files, raw page layout, pass manifests. */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

#define TMP_MARK ".tmp-"

void store_pass_name(unsigned pass, char buf[static 32]) { snprintf(buf, 32, "pass-%06u", pass); }
void store_page_name(long page, char buf[static 32]) { snprintf(buf, 32, "page-%06ld.json", page); }
void store_page_relpath(unsigned pass, long page, char buf[static 64])
{
    snprintf(buf, 64, "raw/pass-%06u/page-%06ld.json", pass, page);
}

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
    int out = openat(fd, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
    int e = -errno;
    if (fd != dir_fd)
        close(fd);
    return out < 0 ? e : out;
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
    rewinddir(d);   /* a dup shares the offset of an earlier listing */
    struct dirent *e;
    int r = 0;
    while (r == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        unsigned char type = e->d_type;
        if (type == DT_UNKNOWN) {
            struct stat st;
            if (fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                continue;   /* gone meanwhile */
            type = S_ISLNK(st.st_mode) ? DT_LNK : S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
        }
        r = fn(opaque, dir_fd, e->d_name, type);
    }
    closedir(d);
    return r;
}

int store_atomic_write(int dir_fd, const char *name, const void *buf, size_t len)
{
    char tmp[256];
    int r, fd = -1;
    for (unsigned attempt = 0;; attempt++) {
        snprintf(tmp, sizeof tmp, ".%s" TMP_MARK "%06x", name,
                 (unsigned)((getpid() * 2654435761u) ^ (unsigned)random()) & 0xffffffu);
        fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0)
            break;
        if (errno != EEXIST || attempt > 100)
            return -errno;
    }
    r = write_all(fd, buf, len);
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    if (close(fd) < 0 && r == 0)
        r = -errno;
    if (r == 0 && renameat(dir_fd, tmp, dir_fd, name) < 0)
        r = -errno;
    if (r < 0) {
        unlinkat(dir_fd, tmp, 0);
        return r;
    }
    if (fsync(dir_fd) < 0)
        return -errno;
    return 0;
}

int store_read_file(int dir_fd, const char *name, size_t max, char **ret_buf, size_t *ret_len)
{
    int fd = store_openat(dir_fd, name, O_RDONLY, 0);
    if (fd < 0)
        return fd;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        close(fd);
        return S_ISREG(st.st_mode) ? -EFBIG : -EINVAL;
    }
    /* One spare byte beyond the size: reading into it means the file grew. */
    size_t cap = (size_t)st.st_size + 2, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return -ENOMEM;
    }
    for (;;) {
        if (len == cap - 1) {
            /* The file grew while read: nothing here appends, so refuse. */
            free(buf);
            close(fd);
            return -EAGAIN;
        }
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = -errno;
            free(buf);
            close(fd);
            return e;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    *ret_buf = buf;
    *ret_len = len;
    return 0;
}

/* Remove temp files left in `fd` by a crash. */
static int sweep_one(void *opaque, int fd, const char *name, unsigned char type)
{
    if (name[0] == '.' && strstr(name, TMP_MARK) && type != DT_DIR)
        unlinkat(fd, name, 0);
    return 0;
}

static void sweep_temp(int fd) { store_walk(fd, sweep_one, NULL); }

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
};

static int scan_entry(void *opaque, int fd, const char *name, unsigned char type)
{
    struct link_scan *ls = opaque;
    size_t at = strlen(ls->path);
    snprintf(ls->path + at, sizeof ls->path - at, "%s%s", at ? "/" : "", name);
    if (type == DT_LNK)
        return -ELOOP;   /* ls->path names it */
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
static int check_owner(int fd)
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

const char *store_open_hint(int r)
{
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
    default:
        return "create it with write permission or set LASTFM_DATA_DIR";
    }
}

static bool parse_pass_dir(const char *name, unsigned *ret)
{
    unsigned n;
    int used = 0;
    if (strncmp(name, "pass-", 5) || sscanf(name + 5, "%6u%n", &n, &used) != 1 ||
        used != 6 || name[11] != '\0' || n == 0)
        return false;
    *ret = n;
    return true;
}

/* mkdir -p: every missing level of the data directory's path. */
static int make_parents(const char *path)
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

int store_open(const char *data_dir, struct store **ret, const char **ret_what)
{
    struct store *s = calloc(1, sizeof *s);
    int r;
    if (!s)
        return -ENOMEM;
    s->dir_fd = s->raw_fd = s->interim_fd = s->lock_fd = -1;
    s->data_dir = strdup(data_dir);
    *ret_what = data_dir;
    if (!s->data_dir) {
        r = -ENOMEM;
        goto fail;
    }
    if ((r = make_parents(data_dir)) < 0)
        goto fail;
    s->dir_fd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->dir_fd < 0) {
        r = -errno;
        goto fail;
    }
    if ((r = check_owner(s->dir_fd)) < 0)
        goto fail;
    *ret_what = ".lock";
    s->lock_fd = openat(s->dir_fd, ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (s->lock_fd < 0) {
        r = -errno;
        goto fail;
    }
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        r = -errno;
        goto fail;
    }
    /* Who holds it, for the message another opener gives. */
    char pid[24];
    int pn = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    if (ftruncate(s->lock_fd, 0) == 0 && pwrite(s->lock_fd, pid, (size_t)pn, 0) < 0) {
        /* only a courtesy to the message: never a reason to fail */
    }
    /* Refuse any link planted anywhere in the tree before touching a thing. */
    struct link_scan scan = {.path = ""};
    if ((r = store_walk(s->dir_fd, scan_entry, &scan)) < 0) {
        static char found[sizeof scan.path];
        snprintf(found, sizeof found, "%s", scan.path);
        *ret_what = r == -ELOOP ? found : data_dir;
        goto fail;
    }
    *ret_what = "raw";
    if ((r = s->raw_fd = store_subdir(s->dir_fd, "raw")) < 0)
        goto fail;
    *ret_what = "interim";
    if ((r = s->interim_fd = store_subdir(s->dir_fd, "interim")) < 0)
        goto fail;
    /* A crash may have left temp files anywhere we write. */
    sweep_temp(s->interim_fd);
    sweep_temp(s->raw_fd);
    static const char *const stage_dirs[] = {"processed", "report"};
    for (size_t i = 0; i < sizeof stage_dirs / sizeof *stage_dirs; i++) {
        int fd = openat(s->dir_fd, stage_dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            sweep_temp(fd);
            close(fd);
        }
    }
    int dup_fd = dup(s->raw_fd);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (d) {
        struct dirent *e;
        unsigned n;
        rewinddir(d);
        while ((e = readdir(d)))
            if (parse_pass_dir(e->d_name, &n)) {
                int fd = openat(s->raw_fd, e->d_name,
                                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0) {
                    sweep_temp(fd);
                    bool debris = faccessat(fd, "manifest.json", F_OK, 0) < 0 && errno == ENOENT;
                    close(fd);
                    /* No manifest: a pass that crashed while being created or removed. */
                    if (debris)
                        store_pass_remove(s, n);
                }
            }
        closedir(d);
    } else if (dup_fd >= 0) {
        close(dup_fd);
    }
    *ret = s;
    *ret_what = NULL;
    return 0;
fail:
    store_close(s);
    return r;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->raw_fd >= 0)
        close(s->raw_fd);
    if (s->interim_fd >= 0)
        close(s->interim_fd);
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    if (s->dir_fd >= 0)
        close(s->dir_fd);
    free(s->data_dir);
    free(s);
}

static int open_pass_dir(struct store *s, unsigned pass)
{
    char name[32];
    store_pass_name(pass, name);
    int fd = openat(s->raw_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

static int compare_pass(const void *a, const void *b)
{
    const struct manifest *x = a, *y = b;
    return (x->pass > y->pass) - (x->pass < y->pass);
}

int store_list_passes(struct store *s, struct manifest **ret, size_t *ret_n,
                      char ret_bad[static 128], unsigned *ret_bad_pass)
{
    struct manifest *list = NULL;
    size_t n = 0, cap = 0;
    ret_bad[0] = '\0';
    int dup_fd = dup(s->raw_fd);
    if (dup_fd < 0)
        return -errno;
    DIR *d = fdopendir(dup_fd);
    if (!d) {
        int e = -errno;
        close(dup_fd);
        return e;
    }
    rewinddir(d);
    struct dirent *e;
    unsigned pass;
    int r = 0;
    while ((e = readdir(d))) {
        if (!parse_pass_dir(e->d_name, &pass))
            continue;
        char path[300], *text = NULL;
        size_t len;
        struct manifest m;
        const char *why = NULL;
        snprintf(path, sizeof path, "%s/manifest.json", e->d_name);
        int rr = store_read_file(s->raw_fd, path, 1 << 16, &text, &len);
        bool ok = rr == 0 && manifest_parse(text, len, &m, &why) && m.pass == pass;
        free(text);
        if (!ok) {
            if (!ret_bad[0]) {
                snprintf(ret_bad, 128, "raw/pass-%06u/manifest.json", pass);
                if (ret_bad_pass)
                    *ret_bad_pass = pass;
            }
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            struct manifest *t = realloc(list, cap * sizeof *list);
            if (!t) {
                r = -ENOMEM;
                break;
            }
            list = t;
        }
        list[n++] = m;
    }
    closedir(d);
    if (r < 0) {
        free(list);
        return r;
    }
    if (n)
        qsort(list, n, sizeof *list, compare_pass);
    *ret = list;
    *ret_n = n;
    return 0;
}

int store_manifest_write(struct store *s, const struct manifest *m)
{
    size_t len;
    char *text = manifest_to_json(m, &len);
    if (!text)
        return -ENOMEM;
    int fd = open_pass_dir(s, m->pass);
    int r = fd < 0 ? fd : store_atomic_write(fd, "manifest.json", text, len);
    if (fd >= 0)
        close(fd);
    free(text);
    return r;
}

int store_pass_create(struct store *s, const struct manifest *m)
{
    char name[32];
    store_pass_name(m->pass, name);
    if (mkdirat(s->raw_fd, name, 0755) < 0)
        return -errno;
    if (fsync(s->raw_fd) < 0)
        return -errno;
    return store_manifest_write(s, m);
}

int store_page_write(struct store *s, unsigned pass, long page, const void *buf, size_t len)
{
    char name[32];
    store_page_name(page, name);
    int fd = open_pass_dir(s, pass);
    if (fd < 0)
        return fd;
    int r = store_atomic_write(fd, name, buf, len);
    close(fd);
    return r;
}

bool store_page_exists(struct store *s, unsigned pass, long page)
{
    char path[64];
    store_page_relpath(pass, page, path);
    struct stat st;
    int fd = store_openat(s->dir_fd, path, O_PATH, 0);
    bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (fd >= 0)
        close(fd);
    return ok;
}

int store_page_read(struct store *s, unsigned pass, long page, char **ret_buf, size_t *ret_len)
{
    char path[64];
    store_page_relpath(pass, page, path);
    return store_read_file(s->dir_fd, path, STORE_MAX_PAGE_BYTES, ret_buf, ret_len);
}

/* Remove the files of a pass directory: pages only, or everything.  unlinkat()
 * removes a link itself, never what it points to. */
static int clear_one(void *opaque, int fd, const char *name, unsigned char type)
{
    bool pages_only = *(bool *)opaque;
    if (pages_only && strncmp(name, "page-", 5) != 0)
        return 0;
    if (unlinkat(fd, name, 0) < 0 && errno != ENOENT)
        return -errno;
    return 0;
}

static int clear_dir(struct store *s, unsigned pass, bool pages_only)
{
    int fd = open_pass_dir(s, pass);
    if (fd < 0)
        return fd;
    int r = 0;
    /* The manifest goes first: a pass without one is debris, swept at open. */
    if (!pages_only && unlinkat(fd, "manifest.json", 0) < 0 && errno != ENOENT)
        r = -errno;
    if (r == 0)
        r = store_walk(fd, clear_one, &pages_only);
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    close(fd);
    return r;
}

int store_pass_clear_pages(struct store *s, unsigned pass) { return clear_dir(s, pass, true); }

int store_pass_remove(struct store *s, unsigned pass)
{
    char name[32];
    int r = clear_dir(s, pass, false);
    if (r < 0 && r != -ENOENT)
        return r;
    store_pass_name(pass, name);
    if (unlinkat(s->raw_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
        return -errno;
    return fsync(s->raw_fd) < 0 ? -errno : 0;
}

int store_pass_quarantine(struct store *s, unsigned pass)
{
    char name[32], aside[48];
    store_pass_name(pass, name);
    snprintf(aside, sizeof aside, "%s.corrupt", name);
    if (renameat(s->raw_fd, name, s->raw_fd, aside) < 0)
        return -errno;
    return fsync(s->raw_fd) < 0 ? -errno : 0;
}

int store_page_refetch(struct store *s, const struct manifest *m, long page)
{
    char name[32], aside[48];
    store_page_name(page, name);
    snprintf(aside, sizeof aside, "%s.corrupt", name);
    int fd = open_pass_dir(s, m->pass);
    if (fd < 0)
        return fd;
    int r = renameat(fd, name, fd, aside) < 0 && errno != ENOENT ? -errno : 0;
    close(fd);
    if (r < 0)
        return r;
    struct manifest again = *m;
    again.state = PASS_RUNNING;
    again.finished_at = 0;
    return store_manifest_write(s, &again);
}
