/* aliases.h: the artist alias file (LASTFM_ARTIST_ALIASES), pure.
 *
 *   # comment
 *   Motorhead = Motörhead
 *   Charli xcx = Charli XCX
 *
 * One "Variant = Canonical" per line, split at the first " = " (an equals sign
 * with a space on each side, so names may hold "=" themselves); spaces around
 * each name are trimmed, unless the name is in double quotes ("Foo " keeps
 * its space); names match exactly (case and accents count).  Chains are
 * followed ("C = A" and "A = B": C becomes B).  Errors name FILE:LINE: a line
 * without " = ", an empty name, a variant listed twice, a circle of aliases,
 * a NUL byte, a name that is not UTF-8.  Parsed in O(n log n): the list comes
 * out sorted by variant (for a binary search).
 */
#ifndef LASTFM_ALIASES_H
#define LASTFM_ALIASES_H

#include <stdbool.h>
#include <stddef.h>

struct alias {
    char *variant;   /* as the API spells it */
    char *canonical; /* what the `artist` column says instead (a chain's end) */
    unsigned line;   /* where it was written */
};

struct aliases {
    struct alias *list;
    size_t n;
};

/* Parse `text` (of file `path`, for messages).  false with "PATH:LINE: what
 * is wrong: the fix" in `err`. */
bool aliases_parse(const char *path, const char *text, size_t len, struct aliases *ret, char *err,
                   size_t errsize);
void aliases_free(struct aliases *a);

#endif
