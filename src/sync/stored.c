/* stored.c: the stored pages' seconds for the planner, and a resumed pass's pages. */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>

#include "classify_int.h"
#include "grow.h"
#include "history.h"
#include "page.h"
#include "stored_int.h"

/* Seconds of stored scrobbles within [lo, hi], collected from raw pages. */
struct uts_list {
    int64_t *v;
    size_t n, cap;
    int64_t lo, hi;  /* keep rows with lo <= uts <= hi */
    int64_t min_uts; /* oldest row of the page being read */
};

static int collect_row(void *opaque, const struct page_row *row)
{
    struct uts_list *u = opaque;
    if (row->uts < u->min_uts)
        u->min_uts = row->uts;
    if (row->uts < u->lo || row->uts > u->hi)
        return 0;
    if (grow(&u->v, &u->cap, u->n + 1, sizeof *u->v, 0) < 0)
        return -ENOMEM;
    u->v[u->n++] = row->uts;
    return 0;
}

int stored_uts(struct store *st, const struct manifest *passes, size_t npasses, int64_t lo,
               int64_t hi, int64_t **ret, size_t *ret_n, const struct manifest **ret_bad,
               long *ret_bad_page)
{
    struct history_piece *pieces;
    size_t npieces;
    struct uts_list u = {0};
    *ret_bad = NULL;
    int r = history_pieces(passes, npasses, &pieces, &npieces);
    if (r < 0)
        return r;
    for (size_t i = 0; i < npieces && r == 0; i++) {
        const struct manifest *m = &passes[pieces[i].pass_index];
        u.lo = pieces[i].from > lo ? pieces[i].from : lo;
        u.hi = pieces[i].to < hi ? pieces[i].to : hi;
        if (u.lo > u.hi)
            continue;
        for (long page = 1; page <= m->total_pages; page++) {
            char *body;
            size_t len;
            const char *why = "";
            r = store_page_read(st, m->pass, page, &body, &len);
            if (r == 0) {
                u.min_uts = INT64_MAX;
                r = page_parse(body, len, collect_row, &u, &why);
                free(body);
            }
            if (r < 0) {
                if (r != -ENOMEM) {
                    *ret_bad = m;
                    *ret_bad_page = page;
                }
                break;
            }
            if (u.min_uts < u.lo)
                break; /* pages run newest first: the rest is older */
        }
    }
    free(pieces);
    if (r < 0) {
        free(u.v);
        return r;
    }
    *ret = u.v;
    *ret_n = u.n;
    return 0;
}

long stored_resume_pages(struct store *st, struct pass *p, const char *username)
{
    long bad = 0;
    for (long page = 1; page <= p->m.total_pages; page++) {
        char *body;
        size_t len;
        struct lastfm_result r;
        if (store_page_read(st, p->m.pass, page, &body, &len) < 0)
            continue;
        lastfm_classify(200, body, len, page, p->m.limit, username, &r);
        struct page_edge e;
        const char *why;
        if (r.verdict != LFM_OK || r.total != p->m.total ||
            page_edge_read(body, len, &e, &why) < 0) {
            free(body);
            bad++;
            continue;
        }
        free(body);
        pass_have_page(p, page, r.scrobbles, &e);
    }
    return bad;
}
