/* excludes.c: the exclude file's rules, parsed in one pass and matched in the
 * file's order (a listener's file holds a handful of rules). */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "excludes.h"
#include "grow.h"

static const char *const kinds[] = {"artist", "album", "dates"};

const char *excludes_kind_name(enum exclude_kind kind)
{
    return kind >= EXCLUDE_ARTIST && kind <= EXCLUDE_DATES ? kinds[kind] : "?";
}

void excludes_free(struct excludes *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->list[i].a);
        free(x->list[i].b);
    }
    free(x->list);
    x->list = NULL;
    x->n = 0;
}

static bool fail(char *err, size_t errsize, const char *path, unsigned line, const char *why,
                 struct excludes *x)
{
    snprintf(err, errsize, "%s:%u: %s", path, line, why);
    excludes_free(x);
    return false;
}

/* YYYY-MM-DD of a real day (years 1000..9999). */
static bool is_date(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= dm[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* The fields of one line, split at tabs (at most 4 looked at). */
struct fields {
    const char *p[4];
    size_t len[4];
    int n;
};

static void split(const char *s, const char *end, struct fields *f)
{
    f->n = 0;
    for (;;) {
        const char *tab = memchr(s, '\t', (size_t)(end - s));
        const char *e = tab ? tab : end;
        if (f->n < 4) {
            f->p[f->n] = s;
            f->len[f->n] = (size_t)(e - s);
        }
        f->n++;
        if (!tab)
            break;
        s = tab + 1;
    }
}

static bool same_rule(const struct exclude *r, enum exclude_kind kind, const struct fields *f)
{
    if (r->kind != kind || strlen(r->a) != f->len[1] || memcmp(r->a, f->p[1], f->len[1]) != 0)
        return false;
    return kind == EXCLUDE_ARTIST ||
           (strlen(r->b) == f->len[2] && memcmp(r->b, f->p[2], f->len[2]) == 0);
}

bool excludes_parse(const char *path, const char *text, size_t len, struct excludes *ret, char *err,
                    size_t errsize)
{
    struct excludes x = {0};
    size_t cap = 0;
    unsigned line = 0;
    if (memchr(text, '\0', len))
        return fail(err, errsize, path, 0, "holds a NUL byte: this is not a text file", &x);
    for (const char *s = text, *end = text + len; s < end;) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        const char *next = eol ? eol + 1 : end;
        eol = eol ? eol : end;
        line++;
        if (eol > s && eol[-1] == '\r')
            eol--;
        if (s == eol || *s == '#') {
            s = next;
            continue;
        }
        struct fields f;
        split(s, eol, &f);
        int kind = -1;
        for (int k = 0; k < 3; k++)
            if (f.len[0] == strlen(kinds[k]) && memcmp(f.p[0], kinds[k], f.len[0]) == 0)
                kind = k;
        if (kind < 0)
            return fail(err, errsize, path, line,
                        "not a rule: write 'artist<TAB>NAME', 'album<TAB>ARTIST<TAB>ALBUM' "
                        "or 'dates<TAB>YYYY-MM-DD<TAB>YYYY-MM-DD' (fields split by tabs)",
                        &x);
        int want = kind == EXCLUDE_ARTIST ? 2 : 3;
        if (f.n != want) {
            char why[200];
            snprintf(why, sizeof why, "an %s rule has %d tab-separated fields, not %d: write %s",
                     kinds[kind], f.n, want,
                     kind == EXCLUDE_ARTIST  ? "'artist<TAB>NAME'"
                     : kind == EXCLUDE_ALBUM ? "'album<TAB>ARTIST<TAB>ALBUM'"
                                             : "'dates<TAB>YYYY-MM-DD<TAB>YYYY-MM-DD'");
            return fail(err, errsize, path, line, why, &x);
        }
        for (int k = 1; k < want; k++) {
            if (f.len[k] == 0)
                return fail(err, errsize, path, line,
                            "a field is empty: fill it or remove the line", &x);
            if (!csv_utf8_valid(f.p[k], f.len[k]))
                return fail(err, errsize, path, line,
                            "a name is not valid UTF-8: save the file as UTF-8", &x);
        }
        if (kind == EXCLUDE_DATES) {
            if (!is_date(f.p[1], f.len[1]) || !is_date(f.p[2], f.len[2]))
                return fail(err, errsize, path, line,
                            "a date is not a day written YYYY-MM-DD (local dates, e.g. "
                            "2019-12-24)",
                            &x);
            if (memcmp(f.p[1], f.p[2], 10) > 0)
                return fail(err, errsize, path, line,
                            "the range ends before it starts: write the first date first", &x);
        }
        for (size_t i = 0; i < x.n; i++)
            if (same_rule(&x.list[i], (enum exclude_kind)kind, &f)) {
                char why[80];
                snprintf(why, sizeof why, "the rule of line %u again: remove one", x.list[i].line);
                return fail(err, errsize, path, line, why, &x);
            }
        if (grow(&x.list, &cap, x.n + 1, sizeof *x.list, 0) < 0) {
            errno = ENOMEM;
            return fail(err, errsize, path, line, "out of memory", &x);
        }
        struct exclude *r = &x.list[x.n];
        *r = (struct exclude){(enum exclude_kind)kind, strndup(f.p[1], f.len[1]),
                              want == 3 ? strndup(f.p[2], f.len[2]) : NULL, line, 0};
        x.n++;
        if (!r->a || (want == 3 && !r->b)) {
            errno = ENOMEM;
            return fail(err, errsize, path, line, "out of memory", &x);
        }
        s = next;
    }
    *ret = x;
    return true;
}

static bool equal(const char *s, const char *p, size_t n)
{
    return strlen(s) == n && memcmp(s, p, n) == 0;
}

long excludes_match(const struct excludes *x, const char *artist, size_t artist_len,
                    const char *album, size_t album_len, const char *date)
{
    for (size_t i = 0; i < x->n; i++) {
        const struct exclude *r = &x->list[i];
        bool hit = false;
        switch (r->kind) {
        case EXCLUDE_ARTIST: hit = equal(r->a, artist, artist_len); break;
        case EXCLUDE_ALBUM:
            hit = equal(r->a, artist, artist_len) && equal(r->b, album, album_len);
            break;
        case EXCLUDE_DATES:
            hit = date && strncmp(date, r->a, 10) >= 0 && strncmp(date, r->b, 10) <= 0;
            break;
        }
        if (hit)
            return (long)i;
    }
    return -1;
}

bool excludes_by_date(const struct excludes *x)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->list[i].kind == EXCLUDE_DATES)
            return true;
    return false;
}
