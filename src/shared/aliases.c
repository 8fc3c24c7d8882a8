/* aliases.c: "Variant = Canonical" lines: parsed in one pass, sorted once,
 * duplicates found as neighbours, chains followed to their end. */
#include "autoconfig.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aliases.h"
#include "csv.h"
#include "grow.h"

/* A name as written: trimmed of spaces, or exactly what is between double
 * quotes ("Foo " keeps its trailing space).  NULL (with *why) if it is bad. */
static char *name_of(const char *s, const char *end, const char **why)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    if (end - s >= 2 && *s == '"' && end[-1] == '"') {
        s++;
        end--;
        if (memchr(s, '"', (size_t)(end - s))) {
            *why = "a quoted name holds a double quote: write it without the quotes";
            return NULL;
        }
    }
    if (s == end) {
        *why = "a name is empty: write 'Variant = Canonical'";
        return NULL;
    }
    if (!csv_utf8_valid(s, (size_t)(end - s))) {
        *why = "a name is not valid UTF-8: save the file as UTF-8";
        return NULL;
    }
    char *out = strndup(s, (size_t)(end - s));
    if (!out)
        *why = "out of memory";
    return out;
}

void aliases_free(struct aliases *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->list[i].variant);
        free(a->list[i].canonical);
    }
    free(a->list);
    a->list = NULL;
    a->n = 0;
}

static int by_variant(const void *x, const void *y)
{
    const struct alias *a = x, *b = y;
    int c = strcmp(a->variant, b->variant);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static const struct alias *find(const struct aliases *a, const char *variant)
{
    struct alias key = {.variant = (char *)variant};
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(key.variant, a->list[mid].variant);
        if (c == 0)
            return &a->list[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static bool fail(char *err, size_t errsize, const char *path, unsigned line, const char *why,
                 struct aliases *a)
{
    snprintf(err, errsize, "%s:%u: %s", path, line, why);
    aliases_free(a);
    return false;
}

/* Chains: "C = A" with "A = B" makes C's canonical B.  A cycle ("A = B",
 * "B = A") has no canonical name: refused.  Each entry is followed once
 * (state: 0 not yet, 1 on the path being followed, 2 resolved). */
static bool resolve_chains(struct aliases *a, const char *path, char *err, size_t errsize)
{
    unsigned char *state = calloc(a->n ? a->n : 1, 1);
    size_t *trail = malloc((a->n ? a->n : 1) * sizeof *trail);
    if (!state || !trail) {
        free(state);
        free(trail);
        return fail(err, errsize, path, 0, "out of memory", a);
    }
    bool ok = true;
    for (size_t i = 0; i < a->n && ok; i++) {
        size_t depth = 0, at = i;
        while (state[at] == 0) {
            state[at] = 1;
            trail[depth++] = at;
            const struct alias *next = find(a, a->list[at].canonical);
            if (!next)
                break;
            at = (size_t)(next - a->list);
        }
        if (state[at] == 1 && find(a, a->list[at].canonical)) {
            char why[160];
            snprintf(why, sizeof why,
                     "the aliases go round in a circle ('%.40s' comes back "
                     "to itself): give the circle one canonical name",
                     a->list[at].variant);
            ok = fail(err, errsize, path, a->list[at].line, why, a);
            break;
        }
        /* The end of the chain: the last canonical name that is no variant. */
        const char *final = a->list[at].canonical;
        for (size_t k = 0; k < depth; k++) {
            struct alias *e = &a->list[trail[k]];
            if (e->canonical != final && strcmp(e->canonical, final) != 0) {
                char *copy = strdup(final);
                if (!copy) {
                    ok = fail(err, errsize, path, e->line, "out of memory", a);
                    break;
                }
                free(e->canonical);
                e->canonical = copy;
                final = copy;
            }
            state[trail[k]] = 2;
        }
    }
    free(state);
    free(trail);
    return ok;
}

bool aliases_parse(const char *path, const char *text, size_t len, struct aliases *ret, char *err,
                   size_t errsize)
{
    struct aliases a = {0};
    size_t cap = 0;
    unsigned lineno = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        lineno++;
        const char *s = p;
        while (s < eol && isspace((unsigned char)*s))
            s++;
        p = nl ? nl + 1 : end;
        if (s == eol || *s == '#')
            continue;
        if (memchr(s, '\0', (size_t)(eol - s)))
            return fail(err, errsize, path, lineno, "a NUL byte: this is not a text file", &a);
        const char *eq = NULL;
        for (const char *c = s; c + 3 <= eol && !eq; c++)
            if (c[0] == ' ' && c[1] == '=' && c[2] == ' ')
                eq = c;
        if (!eq)
            return fail(err, errsize, path, lineno,
                        "expected 'Variant = Canonical' (an equals "
                        "sign with a space on each side)",
                        &a);
        const char *why = NULL;
        char *variant = name_of(s, eq, &why);
        char *canonical = variant ? name_of(eq + 3, eol, &why) : NULL;
        if (!why && strcmp(variant, canonical) == 0)
            why = "the variant is its own canonical name: remove the line";
        if (!why && grow(&a.list, &cap, a.n + 1, sizeof *a.list, 0) < 0)
            why = "out of memory";
        if (why) {
            free(variant);
            free(canonical);
            return fail(err, errsize, path, lineno, why, &a);
        }
        a.list[a.n++] = (struct alias){variant, canonical, lineno};
    }
    if (a.n > 1)
        qsort(a.list, a.n, sizeof *a.list, by_variant);
    for (size_t i = 1; i < a.n; i++)
        if (strcmp(a.list[i - 1].variant, a.list[i].variant) == 0) {
            char why[96];
            snprintf(why, sizeof why,
                     "this variant is listed twice (first on line %u): keep "
                     "one line for it",
                     a.list[i - 1].line);
            return fail(err, errsize, path, a.list[i].line, why, &a);
        }
    if (!resolve_chains(&a, path, err, errsize))
        return false;
    *ret = a;
    return true;
}
