/* report_artist.c: a page per artist of at least LASTFM_REPORT_ARTIST_MIN
 * counted scrobbles, report/artist/FILE.html: its count and rank, first and
 * last scrobble, scrobbles per month over its whole life, rank and share per
 * year, all its albums and tracks (each linked to its page where it has one),
 * its hours and weekdays against the listener's,
 * its longest run and absence and each return, the names merged into it. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "grow.h"
#include "log.h"
#include "report_int.h"

#define ARTIST_VARIANTS 20

/* report.sql's statements of an artist's page, the artist bound to ?1 */
static const char *const page_sql[] = {"artist_days",   "artist_years", "artist_albums",
                                       "artist_tracks", "artist_punch", "artist_variants",
                                       "artist_tags"};
_Static_assert(ARTIST_VARIANTS == 20, "report.sql's artist_variants takes 20");
enum { Q_DAYS, Q_YEARS, Q_ALBUMS, Q_TRACKS, Q_PUNCH, Q_VARIANTS, Q_TAGS, Q_COUNT };
_Static_assert(sizeof page_sql / sizeof *page_sql == Q_COUNT, "one statement per query");

/* A year of the artist: its scrobbles and its rank among the year's artists. */
struct artist_year {
    int year;
    long n, rank;
};

struct artist_pages {
    sqlite3 *db;
    sqlite3_stmt *list, *q[Q_COUNT];
    struct day_count *days; /* the artist's active days (reused) */
    long ndays;
    size_t cap;
    struct artist_year *years; /* its years (reused) */
    long nyears;
    size_t years_cap;
    struct named_count variants[ARTIST_VARIANTS]; /* names merged into it */
    int nvariants;
};

int report_artist_links(sqlite3 *db, struct report *r, long min)
{
    sqlite3_stmt *st;
    int prc = report_stmt(db, "artist_links", &st);
    if (prc < 0)
        return prc;
    sqlite3_bind_int64(st, 1, min);
    struct page_set *l = &r->links.artists;
    l->min = min;
    int rc;
    bool oom = false;
    while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((oom = grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 0) < 0))
            break;
        const char *name = (const char *)sqlite3_column_text(st, 0);
        struct page_link *p = &l->v[l->n];
        memset(p, 0, sizeof *p);
        if (!name || !(p->name = report_name_dup(name))) {
            oom = true; /* a NULL name is SQLite out of memory too */
            break;
        }
        report_artist_file(name, (size_t)sqlite3_column_bytes(st, 0), p->file);
        p->n = sqlite3_column_int64(st, 1);
        l->n++;
    }
    sqlite3_finalize(st);
    if (oom)
        return -ENOMEM; /* a site with links missing is not published */
    if (rc != SQLITE_DONE)
        return report_sql_fail(rc);
    l->qualifying = (long)l->n;
    if (l->n == REPORT_ARTIST_PAGES_MAX) {
        if ((prc = report_stmt(db, "artist_qualifying", &st)) < 0)
            return prc;
        sqlite3_bind_int64(st, 1, min);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            l->qualifying = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
            return report_sql_fail(rc);
        if (l->qualifying > (long)l->n)
            log_warn("%ld artists have at least %ld counted scrobbles (LASTFM_REPORT_ARTIST_MIN): "
                     "pages are made for the %d most played; raise the setting to choose them",
                     l->qualifying, min, REPORT_ARTIST_PAGES_MAX);
    }
    if (report_links_finish(l) < 0)
        return -ENOMEM;
    return 0;
}

int report_artist_pages_open(sqlite3 *db, const struct report *r, void **ret)
{
    struct artist_pages *ap = calloc(1, sizeof *ap);
    if (!ap)
        return -ENOMEM;
    ap->db = db;
    int bad = report_stmt(db, "artist_links", &ap->list);
    if (!bad)
        sqlite3_bind_int64(ap->list, 1, r->links.artists.min);
    for (int i = 0; i < Q_COUNT && !bad; i++)
        bad = report_stmt(db, page_sql[i], &ap->q[i]);
    if (bad) {
        report_artist_pages_close(ap);
        return bad; /* -ENOMEM or -1 */
    }
    *ret = ap;
    return 0;
}

static void free_variants(struct artist_pages *ap)
{
    for (int i = 0; i < ap->nvariants; i++)
        free(ap->variants[i].name);
    ap->nvariants = 0;
}

void report_artist_pages_close(void *it)
{
    struct artist_pages *ap = it;
    if (!ap)
        return;
    sqlite3_finalize(ap->list);
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(ap->q[i]);
    free(ap->days);
    free(ap->years);
    free_variants(ap);
    free(ap);
}

/* Bind the artist (the list's row: valid until its next step) and reset. */
static sqlite3_stmt *query(struct artist_pages *ap, int q)
{
    sqlite3_stmt *st = ap->q[q];
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, (const char *)sqlite3_column_text(ap->list, 0),
                      sqlite3_column_bytes(ap->list, 0), SQLITE_STATIC);
    return st;
}

static int load_days(struct artist_pages *ap)
{
    return report_read_days(query(ap, Q_DAYS), &ap->days, &ap->ndays, &ap->cap);
}

static int load_years(struct artist_pages *ap)
{
    sqlite3_stmt *st = query(ap, Q_YEARS);
    int rc;
    ap->nyears = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow(&ap->years, &ap->years_cap, (size_t)ap->nyears + 1, sizeof *ap->years, 0) < 0)
            return -ENOMEM;
        ap->years[ap->nyears++] = (struct artist_year){
            sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)};
    }
    return rc == SQLITE_DONE ? 0 : report_sql_fail(rc);
}

static int load_variants(struct artist_pages *ap)
{
    sqlite3_stmt *st = query(ap, Q_VARIANTS);
    int rc = SQLITE_DONE;
    free_variants(ap);
    while (ap->nvariants < ARTIST_VARIANTS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct named_count *v = &ap->variants[ap->nvariants++];
        *v = (struct named_count){report_column_name(st, 0), NULL, sqlite3_column_int64(st, 1),
                                  ap->nvariants};
        if (report_copied(v->name, st, 0))
            return -ENOMEM;
    }
    return report_sql_rc(rc);
}

/* What the artist's page reads besides its albums and tracks (drawn as read):
 * -ENOMEM, -1 (SQL) or 0. */
static int load_artist(struct artist_pages *ap)
{
    int rc = load_days(ap);
    if (!rc)
        rc = load_years(ap);
    return rc ? rc : load_variants(ap);
}

/* ---- its years ---- */

static void years_table(struct hbuf *b, const struct artist_pages *ap, const struct report *r)
{
    hbuf_puts(b, "<section id=\"years\"><h2>Year by year</h2><p class=\"note\">Its counted "
                 "scrobbles, their share of the year's, and its rank among the year's artists "
                 "(no rank in a thin year).</p>");
    html_wrap_open(b, "h3"); /* a phone: year, scrobbles, rank */
    hbuf_puts(b, "<table><thead><tr><th>year"
                 "</th><th class=\"n\">scrobbles</th><th class=\"n\">share of the year</th>"
                 "<th class=\"n\">rank</th></tr></thead><tbody>");
    int yi = 0, last = 0;
    for (long i = 0; i < ap->nyears; i++) {
        int year = ap->years[i].year;
        long n = ap->years[i].n, k = ap->years[i].rank;
        /* the years between, without a scrobble of it */
        while (yi < r->nyears && r->years[yi].year < year) {
            if (last && r->years[yi].year > last) {
                hbuf_puts(b, "<tr><td>");
                report_year_link(b, r, r->years[yi].year);
                hbuf_puts(b, "</td><td class=\"n\">0</td><td class=\"n\">0.0%</td><td "
                             "class=\"n\">&#8211;</td></tr>");
            }
            yi++;
        }
        const struct year_stat *y =
            yi < r->nyears && r->years[yi].year == year ? &r->years[yi] : NULL;
        hbuf_puts(b, "<tr><td>");
        report_year_link(b, r, year);
        hbuf_puts(b, "</td>");
        report_td_num(b, n);
        report_td_share(b, n, y ? y->scrobbles : 0);
        if (!y || y->thin)
            hbuf_puts(b, "<td class=\"n\">&#8211; (thin year)</td>");
        else
            hbuf_printf(b, "<td class=\"n\">%s</td>", HTML_NUM(k));
        hbuf_puts(b, "</tr>");
        last = year;
    }
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

/* ---- its hours and weekdays against the listener's ---- */

static int hours(struct hbuf *b, struct artist_pages *ap, const struct report *r, long total)
{
    long p[7][24];
    int rc = report_read_punch(query(ap, Q_PUNCH), p);
    if (rc == 0)
        report_artist_hours(b, r, p, total);
    return rc;
}

static void variants(struct hbuf *b, const struct artist_pages *ap)
{
    if (!ap->nvariants)
        return;
    hbuf_puts(b, "<section id=\"variants\"><h2>Names merged into it</h2><p class=\"note"
                 "\">The alias file (LASTFM_ARTIST_ALIASES) counts these names as this "
                 "artist; the scrobbles under each.</p><div class=\"wrap\"><table><thead>"
                 "<tr><th>name as scrobbled</th><th class=\"n\">scrobbles</th></tr>"
                 "</thead><tbody>");
    for (int i = 0; i < ap->nvariants; i++) {
        hbuf_puts(b, "<tr>");
        report_td_text(b, ap->variants[i].name, 60);
        report_td_num(b, ap->variants[i].n);
        hbuf_puts(b, "</tr>");
    }
    hbuf_puts(b, "</tbody></table></div></section>\n");
}

int report_artist_next(void *it, struct hbuf *b, const struct report *r, char *ret_file,
                       unsigned long size)
{
    struct artist_pages *ap = it;
    for (;;) {
        int rc = sqlite3_step(ap->list);
        if (rc == SQLITE_DONE)
            return 0;
        if (rc != SQLITE_ROW)
            return report_sql_fail(rc);
        char *name = report_column_name(ap->list, 0);
        if (!name)
            return -ENOMEM; /* never a page silently left out */
        const struct page_link *p = report_links_find(&r->links.artists, NULL, name);
        char file[REPORT_FILE_MAX];
        report_artist_file((const char *)sqlite3_column_text(ap->list, 0),
                           (size_t)sqlite3_column_bytes(ap->list, 0), file);
        if (!p || strcmp(p->file, file) != 0) { /* dropped: its file name clashed */
            free(name);
            continue;
        }
        long total = sqlite3_column_int64(ap->list, 1), rank = sqlite3_column_int64(ap->list, 2);
        int fail = load_artist(ap);
        if (fail < 0) {
            free(name);
            return fail; /* -ENOMEM or -1 (SQL): nothing is published */
        }
        struct day_runs d;
        report_day_runs(ap->days, ap->ndays, r->days, r->ndays, r->away_days, &d);
        report_page_head(b, r, name);
        char s[32];
        html_thousands(total, s, sizeof s);
        hbuf_puts(b, "<h1 class=\"name\">");
        html_name(b, name);
        hbuf_printf(b,
                    "</h1><dl class=\"kv\"><dt>Scrobbles counted</dt><dd>%s, rank %s of "
                    "%s artists (%.1f%% of all)</dd>",
                    s, HTML_NUM(rank), HTML_NUM(r->artists),
                    r->scrobbles ? 100.0 * (double)total / (double)r->scrobbles : 0.0);
        hbuf_printf(b,
                    "<dt>First scrobble</dt><dd>%s</dd><dt>Last scrobble</dt><dd>%s</dd>"
                    "<dt>Active days</dt><dd>%s</dd><dt>Busiest day</dt><dd>%s: %s</dd>"
                    "</dl><p class=\"note\">Local dates and times (",
                    d.first, d.last, HTML_NUM(d.active_days), d.busiest_day.date,
                    HTML_NUM(d.busiest_day.n));
        html_text(b, r->timezone ? r->timezone : "UTC");
        hbuf_puts(b, "); counted scrobbles only; the artist after the alias file.</p>\n");
        free(name);
        report_artist_months(b, ap->days, ap->ndays);
        years_table(b, ap, r);
        /* all its albums and tracks, each linked to its page where it has one */
        char *shown = report_column_name(ap->list, 0);
        if (!shown)
            return -ENOMEM;
        hbuf_puts(b, "<section id=\"albums\"><h2>Its albums</h2>");
        fail = report_parts_table(b, r, query(ap, Q_ALBUMS), PAGE_ALBUM, shown, "album");
        hbuf_puts(b, "</section>\n<section id=\"tracks\"><h2>Its tracks</h2>");
        if (!fail)
            fail = report_parts_table(b, r, query(ap, Q_TRACKS), PAGE_TRACK, shown, "track");
        hbuf_puts(b, "</section>\n");
        free(shown);
        if (fail)
            return fail;
        if ((fail = hours(b, ap, r, total)) < 0)
            return fail;
        report_artist_runs(b, r, &d);
        if ((fail = report_artist_tags(b, r, query(ap, Q_TAGS))) < 0)
            return fail;
        variants(b, ap);
        report_page_foot(b);
        snprintf(ret_file, size, "%s", p->file);
        return 1;
    }
}
