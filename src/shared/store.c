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

#include "grow.h"
#include "store.h"

#include "store_int.h"

void store_pass_name(unsigned pass, char buf[static 32]) { snprintf(buf, 32, "pass-%06u", pass); }
void store_page_name(long page, char buf[static 32]) { snprintf(buf, 32, "page-%06ld.json", page); }
void store_page_relpath(unsigned pass, long page, char buf[static 64])
{
    snprintf(buf, 64, "raw/pass-%06u/page-%06ld.json", pass, page);
}

/* Remove temp files left in `fd` by a crash. */
static int sweep_one(void *opaque, int fd, const char *name, unsigned char type)
{
    if (name[0] == '.' && strstr(name, STORE_TMP_MARK) && type != DT_DIR)
        unlinkat(fd, name, 0);
    return 0;
}

static void sweep_temp(int fd) { store_walk(fd, sweep_one, NULL); }

/* In DATA_DIR itself only the identity file's temp files are ours. */
static int sweep_identity(void *opaque, int fd, const char *name, unsigned char type)
{
    static const char prefix[] = "." STORE_IDENTITY_NAME STORE_TMP_MARK;
    if (strncmp(name, prefix, sizeof prefix - 1) == 0 && type == DT_REG)
        unlinkat(fd, name, 0);
    return 0;
}

void store_sweep_temp(struct store *s)
{
    sweep_temp(s->interim_fd);
    store_site_sweep(s); /* a report child's half-built site */
    static const char *const stage_dirs[] = {STORE_PROCESSED_DIR, STORE_REPORT_DIR, STORE_TAGS_DIR};
    for (size_t i = 0; i < sizeof stage_dirs / sizeof *stage_dirs; i++) {
        int fd = openat(s->dir_fd, stage_dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            sweep_temp(fd);
            close(fd);
        }
    }
}

static bool parse_pass_dir(const char *name, unsigned *ret)
{
    unsigned n;
    int used = 0;
    if (strncmp(name, "pass-", 5) || sscanf(name + 5, "%6u%n", &n, &used) != 1 || used != 6 ||
        name[11] != '\0' || n == 0)
        return false;
    *ret = n;
    return true;
}

/* At open, for each pass directory: temp files out; and a pass without a
 * manifest is debris of a crash while it was created or removed: removed. */
static int sweep_pass(void *opaque, int dir_fd, const char *name, unsigned char type)
{
    struct store *s = opaque;
    unsigned n;
    if (!parse_pass_dir(name, &n))
        return 0;
    int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    sweep_temp(fd);
    bool debris = faccessat(fd, "manifest.json", F_OK, 0) < 0 && errno == ENOENT;
    close(fd);
    if (debris)
        store_pass_remove(s, n);
    return 0;
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
    /* Private unless DATA_DIR is the group's on purpose (store.h). */
    struct stat st;
    bool shared = stat(data_dir, &st) == 0 && (st.st_mode & 0077) == 0050;
    mode_t strip = shared ? 0027 : 0077, old_mask = umask(0);
    umask(old_mask | strip);
    if ((r = store_make_dirs(data_dir)) < 0)
        goto fail;
    s->dir_fd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->dir_fd < 0) {
        r = -errno;
        goto fail;
    }
    if ((r = store_check_owner(s->dir_fd)) < 0) {
        /* Not the path: its owner or its mode (store_open_hint() says which). */
        *ret_what = STORE_WHAT_MODE;
        goto fail;
    }
    if (fstat(s->dir_fd, &st) == 0 && !(st.st_mode & S_ISVTX) && (st.st_mode & strip))
        fchmod(s->dir_fd, st.st_mode & 07777 & ~strip);
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
    static char found[200];
    if ((r = store_scan_links(s->dir_fd, strip, found, sizeof found)) < 0) {
        *ret_what = found[0] ? found : data_dir; /* the link, or what could not be read */
        goto fail;
    }
    *ret_what = "raw";
    if ((r = s->raw_fd = store_subdir(s->dir_fd, "raw")) < 0)
        goto fail;
    *ret_what = "interim";
    if ((r = s->interim_fd = store_subdir(s->dir_fd, STORE_INTERIM_DIR)) < 0)
        goto fail;
    /* A crash may have left temp files anywhere we write. */
    store_sweep_temp(s);
    store_walk(s->dir_fd, sweep_identity, NULL);
    sweep_temp(s->raw_fd);
    store_walk(s->raw_fd, sweep_pass, s);
    *ret = s;
    *ret_what = NULL;
    return 0;
fail:
    store_close(s);
    return r;
}

/* A subdirectory for reading: -1 when it is not there (nothing created). */
static int open_existing(int parent, const char *name)
{
    return openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int store_open_reader(const char *data_dir, struct store **ret, pid_t *ret_holder)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->dir_fd = s->raw_fd = s->interim_fd = s->lock_fd = -1;
    s->data_dir = strdup(data_dir);
    int r = -ENOMEM;
    if (!s->data_dir)
        goto fail;
    s->dir_fd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->dir_fd < 0) {
        r = -errno;
        goto fail;
    }
    s->raw_fd = open_existing(s->dir_fd, "raw");
    s->interim_fd = open_existing(s->dir_fd, STORE_INTERIM_DIR);
    /* Held?  A shared lock for as long as the question takes: a daemon
     * starting in that instant would find it taken, never a writer torn. */
    *ret_holder = 0;
    int fd = openat(s->dir_fd, ".lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        if (flock(fd, LOCK_SH | LOCK_NB) < 0) {
            int pid = store_lock_holder(data_dir);
            *ret_holder = pid > 0 ? pid : -1;
        }
        close(fd); /* releases it */
    }
    *ret = s;
    return 0;
fail:
    store_close(s);
    return r;
}

const char *store_data_dir(const struct store *s) { return s->data_dir; }

int store_stage_dir(struct store *s, const char *name) { return store_subdir(s->dir_fd, name); }

int store_stage_path(const struct store *s, const char *dir, const char *name, char *buf,
                     size_t size)
{
    int n = snprintf(buf, size, "%s/%s/%s", s->data_dir, dir, name);
    return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

void store_drop_lock(struct store *s)
{
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    s->lock_fd = -1;
}

void store_manifest_relpath(unsigned pass, char buf[static 64])
{
    snprintf(buf, 64, "raw/pass-%06u/manifest.json", pass);
}

/* stat() of "pass-NNNNNN/NAME" in raw/: one call, as cheap as the flatten's
 * per-page check needs (the tree was scanned for links at open; the last
 * component is not followed). */
static int stat_in_pass(struct store *s, unsigned pass, const char *name, struct stat *st)
{
    char rel[80], dir[32];
    store_pass_name(pass, dir);
    snprintf(rel, sizeof rel, "%s/%s", dir, name);
    return fstatat(s->raw_fd, rel, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

int store_manifest_stat(struct store *s, unsigned pass, struct stat *st)
{
    return stat_in_pass(s, pass, "manifest.json", st);
}

int store_page_stat(struct store *s, unsigned pass, long page, struct stat *st)
{
    char name[32];
    store_page_name(page, name);
    return stat_in_pass(s, pass, name, st);
}

int store_csv_stat(struct store *s, struct stat *st)
{
    return fstatat(s->interim_fd, STORE_CSV_NAME, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

int store_stage_stat(struct store *s, const char *dir, const char *name, struct stat *st)
{
    int fd = openat(s->dir_fd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int r = fstatat(fd, name, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
    close(fd);
    return r;
}

int store_interim_read(struct store *s, const char *name, char **ret_buf, size_t *ret_len)
{
    if (s->interim_fd < 0)
        return -ENOENT; /* a reader's store of a directory nothing synced into */
    return store_read_file(s->interim_fd, name, (size_t)1 << 40, ret_buf, ret_len);
}

int store_csv_open(struct store *s)
{
    return store_openat(s->interim_fd, STORE_CSV_NAME, O_RDONLY, 0);
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

/* What store_list_passes() gathers while walking raw/. */
struct pass_list {
    struct manifest *list;
    size_t n, cap;
    char *bad; /* the first unreadable manifest's path */
    unsigned *bad_pass;
};

static int list_one(void *opaque, int fd, const char *name, unsigned char type)
{
    struct pass_list *pl = opaque;
    unsigned pass;
    if (!parse_pass_dir(name, &pass))
        return 0;
    char path[300], *text = NULL;
    size_t len;
    struct manifest m;
    const char *why = NULL;
    snprintf(path, sizeof path, "%s/manifest.json", name);
    int rr = store_read_file(fd, path, 1 << 16, &text, &len);
    bool ok = rr == 0 && manifest_parse(text, len, &m, &why) && m.pass == pass;
    free(text);
    if (!ok) {
        if (!pl->bad[0]) {
            store_manifest_relpath(pass, pl->bad);
            if (pl->bad_pass)
                *pl->bad_pass = pass;
        }
        return 0;
    }
    if (grow(&pl->list, &pl->cap, pl->n + 1, sizeof *pl->list, 0) < 0)
        return -ENOMEM;
    pl->list[pl->n++] = m;
    return 0;
}

int store_list_passes(struct store *s, struct manifest **ret, size_t *ret_n,
                      char ret_bad[static 128], unsigned *ret_bad_pass)
{
    struct pass_list pl = {.bad = ret_bad, .bad_pass = ret_bad_pass};
    ret_bad[0] = '\0';
    int r = store_walk(s->raw_fd, list_one, &pl);
    if (r < 0) {
        free(pl.list);
        return r;
    }
    if (pl.n)
        qsort(pl.list, pl.n, sizeof *pl.list, compare_pass);
    *ret = pl.list;
    *ret_n = pl.n;
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

int store_identity_read(struct store *s, char **ret_buf, size_t *ret_len)
{
    return store_read_file(s->dir_fd, STORE_IDENTITY_NAME, 1 << 16, ret_buf, ret_len);
}

int store_identity_write(struct store *s, const char *text, size_t len)
{
    return store_atomic_write(s->dir_fd, STORE_IDENTITY_NAME, text, len);
}

static int unlink_in(struct store *s, const char *dir, const char *name)
{
    int fd = openat(s->dir_fd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    int r = unlinkat(fd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    close(fd);
    return r;
}

int store_clear_history(struct store *s)
{
    /* The CSV and what is made from it first: a crash half-way leaves fewer
     * of the old user's files, never a mix (the identity file still names the
     * old user until the caller rewrites it). */
    int r = unlink_in(s, STORE_INTERIM_DIR, STORE_CSV_NAME);
    if (r == 0)
        r = unlink_in(s, STORE_PROCESSED_DIR, STORE_DB_NAME);
    if (r == 0)
        r = store_remove_tree(s->dir_fd, STORE_REPORT_DIR);
    if (r == 0)
        r = store_remove_tree(s->interim_fd, "cache");
    if (r == 0) /* the other listener's artists and their tags */
        r = unlink_in(s, STORE_INTERIM_DIR, STORE_TAGS_CSV_NAME);
    if (r == 0)
        r = store_remove_tree(s->dir_fd, STORE_TAGS_DIR);
    if (r == 0)
        r = store_walk(s->raw_fd, store_remove_entry, NULL);
    if (r == 0 && (fsync(s->raw_fd) < 0 || fsync(s->interim_fd) < 0))
        r = -errno;
    return r;
}
