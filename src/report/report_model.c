/* report_model.c: the page model's link rule (report_model_int.h): where
 * each kind's pages are, and the links between them.  The pages call it; it
 * calls none of them (the table of kinds is report_kinds.c). */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static const char *const dirs[PAGE_KINDS] = {
    [PAGE_YEAR] = "year",   [PAGE_MONTH] = "month", [PAGE_ARTIST] = "artist",
    [PAGE_ALBUM] = "album", [PAGE_TRACK] = "track", [PAGE_TAG] = "tag",
};

const char *report_page_dir(enum page_kind kind)
{
    return kind >= 0 && kind < PAGE_KINDS ? dirs[kind] : NULL;
}

long report_month_n(const struct report *r, int year, int month)
{
    char m[32];
    snprintf(m, sizeof m, "%04d-%02d", year, month);
    long lo = 0, hi = r->nmonths; /* r->months: sorted */
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (strcmp(r->months[mid].month, m) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->nmonths && strcmp(r->months[lo].month, m) == 0 ? r->months[lo].n : 0;
}

static bool month_has_page(const struct report *r, int year, int month)
{
    return report_month_n(r, year, month) > 0;
}

bool report_page_path(const struct report *r, enum page_kind kind, const struct page_key *key,
                      char out[REPORT_PATH_MAX])
{
    const struct page_link *p;
    switch (kind) {
    case PAGE_INDEX: snprintf(out, REPORT_PATH_MAX, "index.html"); return true;
    case PAGE_ARTISTS: snprintf(out, REPORT_PATH_MAX, "artists.html"); return true;
    case PAGE_ALBUMS: snprintf(out, REPORT_PATH_MAX, "albums.html"); return true;
    case PAGE_TRACKS: snprintf(out, REPORT_PATH_MAX, "tracks.html"); return true;
    case PAGE_TRENDS: snprintf(out, REPORT_PATH_MAX, "trends.html"); return true;
    case PAGE_YEAR:
        if (!r->links.first_year || key->year < r->links.first_year ||
            key->year > r->links.last_year)
            return false;
        snprintf(out, REPORT_PATH_MAX, "year/%d.html", key->year);
        return true;
    case PAGE_MONTH:
        if (key->month < 1 || key->month > 12 || !month_has_page(r, key->year, key->month))
            return false;
        snprintf(out, REPORT_PATH_MAX, "month/%04d-%02d.html%s%.10s", key->year, key->month,
                 key->day ? "#" : "", key->day ? key->day : "");
        return true;
    case PAGE_ARTIST: p = report_links_find(&r->links.artists, NULL, key->artist); break;
    case PAGE_ALBUM:
        p = report_links_find(&r->links.albums, key->artist ? key->artist : "", key->name);
        break;
    case PAGE_TRACK:
        p = report_links_find(&r->links.tracks, key->artist ? key->artist : "", key->name);
        break;
    case PAGE_TAG: p = key->name ? report_links_find(&r->links.tags, NULL, key->name) : NULL; break;
    default: return false;
    }
    if (!p)
        return false;
    snprintf(out, REPORT_PATH_MAX, "%s/%s", dirs[kind], p->file);
    return true;
}

bool report_link_open(struct hbuf *b, const struct report *r, enum page_kind kind,
                      const struct page_key *key)
{
    char path[REPORT_PATH_MAX];
    if (!report_page_path(r, kind, key, path))
        return false;
    hbuf_printf(b, "<a href=\"%s%s\">", r->root ? r->root : "", path);
    return true;
}

/* The year as a link to its page (or as text). */
void report_year_link(struct hbuf *b, const struct report *r, int year)
{
    bool link = report_link_open(b, r, PAGE_YEAR, &(struct page_key){.year = year});
    hbuf_printf(b, link ? "%d</a>" : "%d", year);
}
