/* flatten_write.c: the CSV's rows, newest first, whatever order the API's
 * pages came in.
 *
 * Pieces of time run newest first (history.h); within a piece, the pass's
 * pages are written in page order, which is newest first when the API sends
 * them so (it does).  Each row's time is checked against the one before: a
 * page out of order (a server that shuffles them) makes that piece be
 * gathered whole and sorted by time, newest first, before it is written.
 * Ties in one second keep the page's own order, and across pages the order
 * the pages would have had: by their newest time, then their oldest, then
 * their number.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flatten_int.h"
#include "grow.h"

/* One row of a piece being sorted. */
struct held_row {
    int64_t uts;
    uint64_t order; /* the page's rank, then the row's place in it: the tie-break */
    char *text;     /* the CSV line (not NUL-terminated) */
    uint32_t len;
};

static int newest_first(const void *a, const void *b)
{
    const struct held_row *x = a, *y = b;
    if (x->uts != y->uts)
        return x->uts < y->uts ? 1 : -1;
    return (x->order > y->order) - (x->order < y->order);
}

/* Walk the records of a page that fall in [from, to]. */
typedef int (*row_fn)(void *opaque, int64_t uts, const char *text, uint32_t len);

static int each_row(const struct page_rows *pr, int64_t from, int64_t to, row_fn fn, void *opaque)
{
    for (size_t off = sizeof pr->h; off < pr->len;) {
        int64_t uts;
        uint32_t l;
        memcpy(&uts, pr->buf + off, sizeof uts);
        memcpy(&l, pr->buf + off + sizeof uts, sizeof l);
        off += RECORD_HEAD;
        if (uts >= from && uts <= to) {
            int r = fn(opaque, uts, pr->buf + off, l);
            if (r)
                return r;
        }
        off += l;
    }
    return 0;
}

/* The fast path: straight to the output while the times do not rise. */
struct stream {
    FILE *out;
    struct flattener *f;
    int64_t last;  /* the time of the row written before */
    bool disorder; /* a row newer than the one before it */
};

static int stream_row(void *opaque, int64_t uts, const char *text, uint32_t len)
{
    struct stream *st = opaque;
    if (uts > st->last) {
        st->disorder = true;
        return 1;
    }
    st->last = uts;
    if (fwrite(text, 1, len, st->out) != len)
        return errno ? -errno : -EIO;
    st->f->rep.rows++;
    return 0;
}

/* The slow path: a piece's rows gathered, then sorted. */
struct gather {
    struct held_row *rows;
    size_t n, cap;
    uint32_t page; /* the page being gathered (0-based) */
    uint32_t at;   /* the row's place in it */
};

static int gather_row(void *opaque, int64_t uts, const char *text, uint32_t len)
{
    struct gather *g = opaque;
    if (grow(&g->rows, &g->cap, g->n + 1, sizeof *g->rows, 0) < 0)
        return -ENOMEM;
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, text, len);
    /* the page for now; its rank replaces it once every page is seen */
    g->rows[g->n++] = (struct held_row){uts, (uint64_t)g->page << 32 | g->at++, copy, len};
    return 0;
}

/* A page's times, for its rank. */
struct page_span {
    int64_t max, min;
    uint32_t page;
};

static int page_order(const void *a, const void *b)
{
    const struct page_span *x = a, *y = b;
    if (x->max != y->max)
        return x->max < y->max ? 1 : -1;
    if (x->min != y->min)
        return x->min < y->min ? 1 : -1;
    return (x->page > y->page) - (x->page < y->page);
}

/* Every row of piece pc from its pass's pages, through fn.  1 if a page
 * could not be read (logged), else fn's first nonzero return or 0.  With
 * spans, each page's times too. */
static int piece_rows(struct flattener *f, const struct manifest *m, const struct history_piece *pc,
                      row_fn fn, void *opaque, struct gather *g, struct page_span *spans)
{
    for (long page = 1; page <= m->total_pages; page++) {
        struct page_rows pr = {0};
        if (flatten_load_page(f, m, page, &pr) < 0)
            return 1; /* logged with the page's path */
        if (g) {
            g->page = (uint32_t)(page - 1);
            g->at = 0;
            spans[page - 1] =
                (struct page_span){pr.h.nrows ? pr.h.max_uts : INT64_MIN,
                                   pr.h.nrows ? pr.h.min_uts : INT64_MIN, (uint32_t)(page - 1)};
        }
        int r = 0;
        if (pr.h.nrows > 0 && pr.h.min_uts <= pc->to && pr.h.max_uts >= pc->from)
            r = each_row(&pr, pc->from, pc->to, fn, opaque);
        free(pr.buf);
        if (r)
            return r;
    }
    return 0;
}

static int write_sorted(struct flattener *f, FILE *out, const struct manifest *m,
                        const struct history_piece *pc)
{
    struct gather g = {0};
    size_t npages = m->total_pages > 0 ? (size_t)m->total_pages : 1;
    struct page_span *spans = calloc(npages, sizeof *spans);
    uint32_t *rank = calloc(npages, sizeof *rank);
    int r = spans && rank ? piece_rows(f, m, pc, gather_row, &g, &g, spans) : -ENOMEM;
    if (r == 0) {
        qsort(spans, (size_t)m->total_pages, sizeof *spans, page_order);
        for (uint32_t k = 0; k < (uint32_t)m->total_pages; k++)
            rank[spans[k].page] = k;
        for (size_t i = 0; i < g.n; i++)
            g.rows[i].order =
                (uint64_t)rank[g.rows[i].order >> 32] << 32 | (g.rows[i].order & 0xffffffffu);
        if (g.n > 1)
            qsort(g.rows, g.n, sizeof *g.rows, newest_first);
    }
    for (size_t i = 0; i < g.n; i++) {
        if (r == 0 && fwrite(g.rows[i].text, 1, g.rows[i].len, out) != g.rows[i].len)
            r = errno ? -errno : -EIO;
        else if (r == 0)
            f->rep.rows++;
        free(g.rows[i].text);
    }
    free(g.rows);
    free(spans);
    free(rank);
    return r;
}

int flatten_write_rows(struct flattener *f, FILE *out, const struct manifest *passes,
                       const struct history_piece *pieces, size_t npieces)
{
    for (size_t i = 0; i < npieces; i++) {
        const struct history_piece *pc = &pieces[i];
        const struct manifest *m = &passes[pc->pass_index];
        long rows0 = f->rep.rows;
        off_t at = ftello(out);
        struct stream st = {.out = out, .f = f, .last = INT64_MAX};
        int r = piece_rows(f, m, pc, stream_row, &st, NULL, NULL);
        if (r == 1 && st.disorder) {
            /* Pages out of order: this piece again, sorted, over what was
             * written of it (all its rows: at least as many as were). */
            if (at < 0 || fflush(out) != 0 || fseeko(out, at, SEEK_SET) != 0)
                return errno ? -errno : -EIO;
            f->rep.rows = rows0;
            r = write_sorted(f, out, m, pc);
        }
        if (r)
            return r;
    }
    return 0;
}
