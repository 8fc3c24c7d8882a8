/* flatten_load.c: the rows of a raw page, from the row cache or parsed (and
 * cached), with its damage handled: a page that does not parse is moved
 * aside; a cold flatten parses in parallel. */
#include "autoconfig.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "flatten_int.h"
#include "grow.h"
#include "log.h"
#include "page.h"

/* A flatten with at least this many pages to parse uses every core. */
#define PARALLEL_MIN_PAGES 64

static int build_row(void *opaque, const struct page_row *row)
{
    struct flattener *f = opaque;
    struct csv_buf *b = &f->rec;
    /* The record goes straight into the page's buffer: head, then the line. */
    size_t head = b->len;
    int64_t uts = row->uts;
    uint32_t len = 0;
    if (!csv_append_raw(b, (const char *)&uts, sizeof uts) ||
        !csv_append_raw(b, (const char *)&len, sizeof len) || !csv_append_utc(b, uts))
        return -ENOMEM;
    const char *fields[] = {row->track,      row->artist,      row->album,
                            row->track_mbid, row->artist_mbid, row->album_mbid};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (!csv_append_raw(b, ",", 1) || !csv_append_field(b, fields[i], strlen(fields[i])))
            return -ENOMEM;
    /* ",PAGE,SOURCE_FILE\n" is the same for every row of the page. */
    if (!csv_append_raw(b, f->tail.data, f->tail.len))
        return -ENOMEM;
    size_t line = b->len - head - RECORD_HEAD;
    if (line > UINT32_MAX)
        return -ENOMEM;
    len = (uint32_t)line;
    memcpy(b->data + head + sizeof uts, &len, sizeof len);
    f->nrows++;
    /* The server sent a scrobble outside the window asked for: it cannot be
     * this pass's to keep.  Counted, and said once the page is parsed. */
    if ((f->m->request_from >= 0 && uts < f->m->request_from) || uts > f->m->request_to) {
        if (f->outside++ == 0)
            f->outside_uts = uts;
    }
    if (uts < f->min_uts)
        f->min_uts = uts;
    if (uts > f->max_uts)
        f->max_uts = uts;
    return 0;
}

/* A raw page that does not parse is never dropped silently: it is moved aside
 * (page-NNNNNN.json.corrupt) and its pass marked unfinished, so that the next
 * sync fetches that page again (and checks the pass's window); the CSV stays as
 * it was until then. */
static void quarantine(struct flattener *f, const struct manifest *m, long page, const char *why)
{
    char rel[64];
    store_page_relpath(m->pass, page, rel);
    int r = store_page_refetch(f->store, m, page);
    if (r == 0)
        log_err("raw page %s/%s is not a valid page (%s): moved aside (if present) to %s.corrupt; "
                "the CSV was left as it was; the next sync fetches the page again",
                store_data_dir(f->store), rel, why, rel);
    else
        log_err("raw page %s/%s is not a valid page (%s), and it cannot be moved aside (%s): "
                "the CSV was left as it was; remove raw/pass-%06u and run lastfm-syncd again",
                store_data_dir(f->store), rel, why, strerror(-r), m->pass);
}

/* The page's rows from its cache file when that was made from this very
 * file (size, mtime, inode): true with *ret filled. */
static bool from_cache(struct flattener *f, unsigned pass, long page, const struct stat *st,
                       struct page_rows *ret)
{
    char name[64], *buf;
    size_t len;
    if (f->rebuild || f->cache_fd < 0)
        return false;
    rowcache_name(pass, page, name);
    if (store_read_file(f->cache_fd, name, SIZE_MAX / 2, &buf, &len) != 0)
        return false;
    if (!rowcache_valid(buf, len, st)) {
        free(buf);
        return false;
    }
    memcpy(&ret->h, buf, sizeof ret->h);
    ret->buf = buf;
    ret->len = len;
    return true;
}

/* The page held scrobbles outside the pass's window: said once per page. */
static void warn_outside(const struct flattener *f, const char *rel)
{
    char when[32];
    struct csv_buf t = {0};
    if (csv_append_utc(&t, f->outside_uts) && csv_append_raw(&t, "", 1))
        snprintf(when, sizeof when, "%s", t.data);
    else
        snprintf(when, sizeof when, "uts %lld", (long long)f->outside_uts);
    csv_buf_free(&t);
    log_warn("%s/%s: %ld scrobble%s outside the window the pass asked for (the first at "
             "%s): the server sent what was not asked for; not taken from this page",
             store_data_dir(f->store), rel, f->outside, f->outside == 1 ? "" : "s", when);
}

/* The rows of one raw page, from the cache when it is current. */
int flatten_load_page(struct flattener *f, const struct manifest *m, long page,
                      struct page_rows *ret)
{
    unsigned pass = m->pass;
    char rel[64];
    struct stat st;
    store_page_relpath(pass, page, rel);
    int e = store_page_stat(f->store, pass, page, &st);
    if (e < 0) {
        if (e == -ENOENT) {
            quarantine(f, m, page, "missing");
            return e;
        }
        log_err("cannot read %s/%s: %s", store_data_dir(f->store), rel, strerror(-e));
        return e;
    }
    f->rep.pages++;
    if (from_cache(f, pass, page, &st, ret))
        return 0;
    char *body;
    size_t blen;
    int r = store_page_read(f->store, pass, page, &body, &blen);
    if (r < 0) {
        log_err("cannot read %s/%s: %s", store_data_dir(f->store), rel, strerror(-r));
        return r;
    }
    struct rowcache_header h = {.src_size = (uint64_t)st.st_size,
                                .src_mtime_sec = st.st_mtim.tv_sec,
                                .src_mtime_nsec = st.st_mtim.tv_nsec,
                                .src_ino = (uint64_t)st.st_ino};
    memcpy(h.magic, ROWCACHE_MAGIC, 8);
    f->rec.len = 0;
    f->nrows = 0;
    f->min_uts = INT64_MAX;
    f->max_uts = INT64_MIN;
    char num[32];
    int nn = snprintf(num, sizeof num, ",%ld,", page);
    f->tail.len = 0;
    if (!csv_append_raw(&f->tail, num, (size_t)nn) ||
        !csv_append_field(&f->tail, rel, strlen(rel)) || !csv_append_raw(&f->tail, "\n", 1)) {
        free(body);
        return -ENOMEM;
    }
    const char *why = "out of memory";
    f->m = m;
    f->outside = 0;
    r = csv_append_raw(&f->rec, (const char *)&h, sizeof h) ? 0 : -ENOMEM;
    if (r == 0)
        r = page_parse(body, blen, build_row, f, &why);
    free(body);
    if (r < 0) {
        quarantine(f, m, page, why);
        return r;
    }
    if (f->outside > 0)
        warn_outside(f, rel);
    f->rep.pages_parsed++;
    h.nrows = f->nrows;
    h.min_uts = f->min_uts;
    h.max_uts = f->max_uts;
    h.records_len = f->rec.len - sizeof h;
    memcpy(f->rec.data, &h, sizeof h);
    if (f->cache_fd >= 0)
        rowcache_store(f->cache_fd, pass, page, f->rec.data, f->rec.len);
    /* Hand the buffer over; the next page starts a new one. */
    ret->h = h;
    ret->buf = f->rec.data;
    ret->len = f->rec.len;
    f->rec.data = NULL;
    f->rec.len = f->rec.cap = 0;
    return 0;
}

/* Pages whose cache is missing or stale, among the passes that have pieces. */
struct page_ref {
    const struct manifest *m;
    long page;
};

/* Parse stale pages in `workers` child processes (each writes the caches of
 * its share), so that a cold flatten uses every core.  Returns 0, or 1 when a
 * page could not be parsed (the worker logged it with its path). */
static int parse_in_parallel(struct flattener *f, const struct page_ref *refs, size_t n,
                             unsigned workers)
{
    pid_t pids[16];
    unsigned started = 0;
    fflush(NULL);
    for (unsigned w = 0; w < workers; w++) {
        pid_t pid = fork();
        if (pid < 0)
            break;
        if (pid == 0) {
            /* Die with the parent: a worker must not outlive a killed flatten
             * (it would hold the data directory's lock). */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() == 1)
                _exit(EXIT_TEMPFAIL);
            /* Nor hold the lock past its death: only the parent keeps it.  (A
             * cache file a dying worker leaves half-written fails validation.) */
            store_drop_lock(f->store);
            int code = 0;
            for (size_t i = w; i < n; i += workers) {
                struct page_rows pr = {0};
                if (flatten_load_page(f, refs[i].m, refs[i].page, &pr) < 0) {
                    code = EXIT_DATAERR;
                    break;
                }
                free(pr.buf);
            }
            /* The worker's own copy of the page list: freed, so that a leak
             * checker (CI runs valgrind) sees a clean exit. */
            free((void *)refs);
            _exit(code);
        }
        pids[started++] = pid;
    }
    int failed = 0;
    for (unsigned w = 0; w < started; w++) {
        int st;
        while (waitpid(pids[w], &st, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            failed = 1;
    }
    /* Pages a worker did not reach are parsed by the sequential pass. */
    return failed;
}

int flatten_prepare_cache(struct flattener *f, const struct manifest *passes,
                          const struct history_piece *pieces, size_t npieces)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (f->cache_fd < 0 || ncpu < 2)
        return 0;
    struct page_ref *refs = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < npieces; i++) {
        const struct manifest *m = &passes[pieces[i].pass_index];
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = pieces[k].pass_index == pieces[i].pass_index;
        for (long page = 1; !seen && page <= m->total_pages; page++) {
            struct stat st;
            if (!f->rebuild && store_page_stat(f->store, m->pass, page, &st) == 0 &&
                rowcache_current(&st, f->cache_fd, m->pass, page))
                continue;
            if (grow(&refs, &cap, n + 1, sizeof *refs, 0) < 0) {
                free(refs);
                return 0; /* the sequential pass will do it */
            }
            refs[n++] = (struct page_ref){m, page};
        }
    }
    int r = 0;
    if (n >= PARALLEL_MIN_PAGES) {
        unsigned workers = ncpu > 8 ? 8 : (unsigned)ncpu;
        log_debug("parsing %zu pages in %u processes", n, workers);
        r = parse_in_parallel(f, refs, n, workers);
        f->rep.pages_parsed += (long)n;
        f->rebuild = false; /* the caches are fresh now */
    }
    free(refs);
    return r;
}
