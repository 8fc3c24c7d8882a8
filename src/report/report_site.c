/* report_site.c: the report as a site: the numbers read once, then every
 * page written into a new directory, published whole (store_site_*). */
#include "autoconfig.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "config.h"
#include "exitcodes.h"
#include "log.h"
#include "monoclock.h"
#include "report_int.h"
#include "store.h"

struct report_options report_options_from(const struct config *cfg)
{
    return (struct report_options){
        .artist_min =
            cfg->report_artist_min > 0 ? cfg->report_artist_min : CONFIG_REPORT_ARTIST_MIN,
        .album_min = cfg->report_album_min > 0 ? cfg->report_album_min : CONFIG_REPORT_ALBUM_MIN,
        .track_min = cfg->report_track_min > 0 ? cfg->report_track_min : CONFIG_REPORT_TRACK_MIN};
}

/* The site's directory is made new by every build, after the database it
 * draws from was written: its time, not index.html's (a page the build found
 * unchanged is carried over with its old time), says which is newer. */
const char *report_needed(struct store *s)
{
    struct stat db, site, page;
    if (store_stage_stat(s, REPORT_DIR, REPORT_NAME, &page) < 0 ||
        store_stage_stat(s, REPORT_DIR, ".", &site) < 0)
        return "there is no report yet";
    if (store_stage_stat(s, STORE_PROCESSED_DIR, STORE_DB_NAME, &db) < 0)
        return NULL; /* nothing to draw it from: the report stands */
    if (site.st_mtim.tv_sec < db.st_mtim.tv_sec ||
        (site.st_mtim.tv_sec == db.st_mtim.tv_sec && site.st_mtim.tv_nsec < db.st_mtim.tv_nsec))
        return "it is older than the database";
    return NULL;
}

_Static_assert(sizeof((struct report_stats *)0)->kind_pages ==
                   PAGE_KINDS * sizeof(((struct report_stats *)0)->kind_pages[0]),
               "report.h: one count of pages per kind of report_model_int.h");

/* One page into the new site; b is emptied for the next. */
static int put(struct store_site *w, const char *sub, const char *file, struct hbuf *b,
               struct report_stats *st, const char *data_dir)
{
    if (b->oom) {
        log_err("out of memory writing the report's %s%s%s", sub ? sub : "", sub ? "/" : "", file);
        return EXIT_TEMPFAIL;
    }
    int rc = store_site_write(w, sub, file, b->data ? b->data : "", b->len);
    if (rc < 0) {
        log_err("cannot write %s/%s/%s%s%s: %s: the previous report is kept; free space or fix "
                "permissions",
                data_dir, REPORT_DIR, sub ? sub : "", sub ? "/" : "", file, strerror(-rc));
        return EXIT_IOERR;
    }
    st->bytes += (long)b->len;
    st->pages++;
    if (rc == 1) { /* the same bytes as the published page: carried over */
        st->carried_pages++;
        st->carried_bytes += (long)b->len;
    }
    b->len = 0;
    return 0;
}

/* Every page of every kind (report_kinds[], report_model_int.h), in the
 * table's order, each into the new site. */
static int write_pages(struct store_site *w, sqlite3 *db, struct report *r, struct report_stats *st,
                       const char *data_dir, const char *db_path)
{
    struct hbuf b = {0};
    int code = 0;
    double t0 = mono_now();
    char file[REPORT_FILE_MAX];
    for (int k = 0; k < PAGE_KINDS && code == 0; k++) {
        const struct page_kind_def *kind = &report_kinds[k];
        const char *dir = report_page_dir(kind->kind);
        r->root = dir ? "../" : "";
        void *it = NULL;
        int more = kind->open(db, r, &it);
        while (more >= 0 && (more = kind->next(it, &b, r, file, sizeof file)) == 1) {
            if ((code = put(w, dir, file, &b, st, data_dir)) != 0)
                break;
            st->kind_pages[k]++;
        }
        if (it)
            kind->close(it);
        log_debug("%.3f s: the %s (%ld)", mono_now() - t0, kind->what, st->kind_pages[k]);
        if (code == 0 && more < 0) {
            char doing[80];
            snprintf(doing, sizeof doing, "writing the report's %s", kind->what);
            code = report_failed(db, db_path, doing, more);
        }
    }
    st->year_pages = st->kind_pages[PAGE_YEAR];
    st->artist_pages = st->kind_pages[PAGE_ARTIST];
    hbuf_free(&b);
    return code;
}

int report_run(struct store *s, const struct report_options *o, struct report_stats *ret)
{
    double t0 = mono_now();
    struct report_stats st = {0};
    /* Long names make SQLite allocate and free blocks of a MiB and more: a
     * fixed threshold keeps them mapped and given back (glibc's moving one
     * would keep them in the heap, and the RSS at their sum). */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    /* One thread, one connection: no mutex around every page and allocation
     * (a no-op once SQLite is initialised). */
    sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    const char *data_dir = store_data_dir(s);
    char db_path[4200];
    store_stage_path(s, STORE_PROCESSED_DIR, STORE_DB_NAME, db_path, sizeof db_path);
    struct report r;
    sqlite3 *db = NULL;
    int code = report_load(db_path, &r, &db);
    if (code != 0) {
        report_free(&r);
        return code;
    }
    log_debug("%.3f s: the numbers read", mono_now() - t0);
    if ((code = report_artist_links(db, &r, o->artist_min)) < 0 ||
        (code = report_pair_links(db, &r, o->album_min, o->track_min)) < 0) {
        code = report_failed(db, db_path, "listing the pages", code);
        sqlite3_close(db);
        report_free(&r);
        return code;
    }
    if (r.nyears) {
        r.links.first_year = r.years[0].year;
        r.links.last_year = r.years[r.nyears - 1].year;
    }
    struct store_site *w;
    int rc = store_site_begin(s, REPORT_DIR, &w);
    if (rc < 0) {
        log_err("cannot create the new report in %s: %s: the previous report is kept; free "
                "space or fix permissions",
                data_dir, strerror(-rc));
        sqlite3_close(db);
        report_free(&r);
        return EXIT_IOERR;
    }
    code = write_pages(w, db, &r, &st, data_dir, db_path);
    sqlite3_close(db);
    log_debug("SQL: %lld VM steps in all; the heaviest statement: %lld VM steps in %.3f s: %s",
              r.heaviest.total, r.heaviest.steps, r.heaviest.seconds, r.heaviest.sql);
    report_free(&r);
    if (code != 0) {
        store_site_abort(w);
        return code;
    }
    log_debug("%.3f s: %ld pages written", mono_now() - t0, st.pages);
    if ((rc = store_site_publish(w)) < 0) {
        log_err("cannot publish %s/%s: %s: the previous report is kept; free space or fix "
                "permissions",
                data_dir, REPORT_DIR, strerror(-rc));
        return EXIT_IOERR;
    }
    st.seconds = mono_now() - t0;
    if (ret)
        *ret = st;
    return 0;
}

void report_log_written(const char *data_dir, const struct report_stats *st)
{
    char bytes_field[48], pages_field[48];
    snprintf(bytes_field, sizeof bytes_field, "BYTES=%ld", st->bytes);
    snprintf(pages_field, sizeof pages_field, "PAGES=%ld", st->pages);
    const char *fields[] = {bytes_field, pages_field, NULL};
    log_event(LOG_LVL_INFO, LOG_MSGID_REPORT_WRITTEN, fields,
              "wrote %s/%s/%s: %ld pages (%ld years, %ld artists), %ld bytes in %.2f s; %ld "
              "pages (%ld bytes) the same as before, carried over",
              data_dir, REPORT_DIR, REPORT_NAME, st->pages, st->year_pages, st->artist_pages,
              st->bytes, st->seconds, st->carried_pages, st->carried_bytes);
}
