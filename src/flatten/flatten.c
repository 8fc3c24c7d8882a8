/* flatten.c: raw pages -> interim CSV, through a per-page row cache. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "flatten_int.h"
#include "log.h"
#include "monoclock.h"

#define CACHE_DIR "cache"

bool flatten_needed(struct store *s)
{
    struct stat csv, st;
    struct manifest *passes;
    size_t n;
    char bad[128];
    if (store_csv_stat(s, &csv) < 0 || store_list_passes(s, &passes, &n, bad, NULL) < 0)
        return true;
    bool needed = bad[0] != '\0';
    for (size_t i = 0; i < n && !needed; i++) {
        needed =
            passes[i].state == PASS_COMPLETE &&
            (store_manifest_stat(s, passes[i].pass, &st) < 0 ||
             st.st_mtim.tv_sec > csv.st_mtim.tv_sec ||
             (st.st_mtim.tv_sec == csv.st_mtim.tv_sec && st.st_mtim.tv_nsec > csv.st_mtim.tv_nsec));
    }
    free(passes);
    return needed;
}

/* Write the rows of every piece, newest first, to `out`.  Returns 0, -errno when
 * writing failed, or 1 when a raw page could not be read (already logged). */
void flatten_log_written(const char *data_dir, const struct flatten_stats *rep)
{
    char rows_field[48], parsed_field[48];
    snprintf(rows_field, sizeof rows_field, "ROWS=%ld", rep->rows);
    snprintf(parsed_field, sizeof parsed_field, "PAGES_PARSED=%ld", rep->pages_parsed);
    const char *fields[] = {rows_field, parsed_field, NULL};
    log_event(LOG_LVL_INFO, LOG_MSGID_CSV_WRITTEN, fields,
              "wrote %s/" STORE_INTERIM_DIR
              "/%s: %ld rows from %ld pages (%ld parsed, %ld cached) in %.2f s",
              data_dir, STORE_CSV_NAME, rep->rows, rep->pages, rep->pages_parsed,
              rep->pages - rep->pages_parsed, rep->seconds);
}

/* The passes on disk and the pieces of time each speaks for (newest wins):
 * EXIT_DONE, or the exit code of what stopped it (logged). */
static int load_passes(struct store *s, struct manifest **ret_passes, size_t *ret_npasses,
                       struct history_piece **ret_pieces, size_t *ret_npieces)
{
    char bad[128];
    int r = store_list_passes(s, ret_passes, ret_npasses, bad, NULL);
    if (r < 0) {
        log_err("cannot list %s/raw: %s", store_data_dir(s), strerror(-r));
        return EXIT_IOERR;
    }
    if (bad[0]) {
        log_err("%s/%s is unreadable or not a valid manifest: the CSV was left as it was; "
                "the next lastfm-syncd run moves that pass aside (to .corrupt) and fetches its "
                "stretch of time again",
                store_data_dir(s), bad);
        return EXIT_DATAERR;
    }
    if (history_pieces(*ret_passes, *ret_npasses, ret_pieces, ret_npieces) < 0)
        return EXIT_TEMPFAIL;
    return EXIT_DONE;
}

/* The CSV through the store's one writer into `interim`: a temp file, every
 * row, fsync, then commit.  The previous CSV stays on any failure. */
static int write_csv(struct flattener *f, int interim, const struct manifest *passes,
                     const struct history_piece *pieces, size_t npieces)
{
    const char *dir = store_data_dir(f->store);
    char tmp[256] = "";
    int code = EXIT_IOERR, r;
    FILE *out = NULL;
    int fd = store_tmp_create(interim, STORE_CSV_NAME, tmp);
    if (fd < 0 || !(out = fdopen(fd, "w"))) {
        log_err("cannot create a temp file in %s/%s: %s: free space or fix permissions", dir,
                STORE_INTERIM_DIR, strerror(fd < 0 ? -fd : errno));
        if (fd >= 0)
            close(fd);
        else
            tmp[0] = '\0';
        goto out;
    }
    /* glibc ignores the size without a buffer of ours: give it one. */
    static char outbuf[1 << 20];
    setvbuf(out, outbuf, _IOFBF, sizeof outbuf);
    fputs(FLATTEN_HEADER, out);
    r = flatten_prepare_cache(f, passes, pieces, npieces);
    if (r == 0)
        r = flatten_write_rows(f, out, passes, pieces, npieces);
    if (r > 0) {
        code = EXIT_DATAERR; /* a page that does not read: logged */
        goto out;
    }
    if (r < 0 || fflush(out) != 0 || fsync(fileno(out)) != 0) {
        log_err("cannot write %s/%s/%s: %s: the previous CSV is kept; free space and run again",
                dir, STORE_INTERIM_DIR, STORE_CSV_NAME, strerror(r < 0 ? -r : errno));
        goto out;
    }
    r = fclose(out) != 0 ? -errno : 0;
    out = NULL;
    if (r == 0) {
        r = store_tmp_commit(interim, tmp, STORE_CSV_NAME, STORE_SYNCED);
        tmp[0] = '\0'; /* committed, or removed by the commit */
    }
    if (r < 0) {
        log_err("cannot replace %s/%s/%s: %s: the previous CSV is kept", dir, STORE_INTERIM_DIR,
                STORE_CSV_NAME, strerror(-r));
        goto out;
    }
    code = EXIT_DONE;
out:
    if (out)
        fclose(out);
    if (tmp[0])
        unlinkat(interim, tmp, 0);
    return code;
}

int flatten_run(struct store *s, bool rebuild, struct flatten_stats *ret)
{
    struct flattener f = {.store = s, .rebuild = rebuild, .cache_fd = -1};
    struct manifest *passes = NULL;
    struct history_piece *pieces = NULL;
    size_t npasses = 0, npieces = 0;
    int code, interim = -1;
    double t0 = mono_now();

    if ((code = load_passes(s, &passes, &npasses, &pieces, &npieces)) != EXIT_DONE)
        goto done;
    interim = store_stage_dir(s, STORE_INTERIM_DIR);
    if (interim < 0) {
        log_err("cannot open %s/%s: %s: fix permissions and run again", store_data_dir(s),
                STORE_INTERIM_DIR, strerror(-interim));
        code = EXIT_IOERR;
        goto done;
    }
    f.cache_fd = store_subdir(interim, CACHE_DIR);
    if (f.cache_fd < 0)
        log_warn("no row cache in %s/%s/%s: %s: every page is parsed", store_data_dir(s),
                 STORE_INTERIM_DIR, CACHE_DIR, strerror(-f.cache_fd));
    if ((code = write_csv(&f, interim, passes, pieces, npieces)) != EXIT_DONE)
        goto done;
    rowcache_sweep(f.cache_fd, passes, npasses);
    f.rep.seconds = mono_now() - t0;
done:
    if (interim >= 0)
        close(interim);
    if (f.cache_fd >= 0)
        close(f.cache_fd);
    csv_buf_free(&f.rec);
    csv_buf_free(&f.tail);
    free(pieces);
    free(passes);
    if (ret)
        *ret = f.rep;
    return code;
}
