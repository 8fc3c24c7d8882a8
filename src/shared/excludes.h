/* excludes.h: the exclude file (LASTFM_EXCLUDE), pure.
 *
 *   # the children's films
 *   album<TAB>Idina Menzel<TAB>Frozen (Original Motion Picture Soundtrack)
 *   artist<TAB>Christophe Beck
 *   dates<TAB>2019-12-24<TAB>2019-12-26
 *
 * One rule a line, its fields split by tabs: `artist NAME`, `album ARTIST
 * ALBUM` or `dates FROM TO` (local dates, both inclusive).  Names are exactly
 * as in the interim CSV, the artist after the alias file (case and accents
 * count; nothing is trimmed but the line's end).  Empty lines and lines
 * starting with '#' are comments.  Errors name FILE:LINE: an unknown kind, a
 * wrong number of fields, an empty name, a date that is not YYYY-MM-DD or a
 * range that ends before it starts, a rule written twice, a NUL byte, a name
 * that is not UTF-8.
 *
 * A scrobble a rule matches keeps its row in the database, flagged
 * `excluded`, and is not counted.
 */
#ifndef LASTFM_EXCLUDES_H
#define LASTFM_EXCLUDES_H

#include <stdbool.h>
#include <stddef.h>

enum exclude_kind { EXCLUDE_ARTIST, EXCLUDE_ALBUM, EXCLUDE_DATES };

struct exclude {
    enum exclude_kind kind;
    char *a;       /* artist: the artist; album: its artist; dates: the first (YYYY-MM-DD) */
    char *b;       /* album: the album; dates: the last; artist: NULL */
    unsigned line; /* where it was written */
    long rows;     /* the rows it matched (the caller counts) */
};

struct excludes {
    struct exclude *list;
    size_t n;
};

/* Parse `text` (of file `path`, for messages).  false with "PATH:LINE: what
 * is wrong: the fix" in `err` (errno ENOMEM when memory ran out). */
bool excludes_parse(const char *path, const char *text, size_t len, struct excludes *ret, char *err,
                    size_t errsize);
/* The first rule (in the file's order) that a scrobble of `artist` (after the
 * alias file), `album` on local date `date` (YYYY-MM-DD) matches, or -1.  The
 * names need not be NUL-terminated. */
long excludes_match(const struct excludes *x, const char *artist, size_t artist_len,
                    const char *album, size_t album_len, const char *date);
/* Whether any rule needs the local date (a `dates` rule). */
bool excludes_by_date(const struct excludes *x);
/* "artist", "album" or "dates". */
const char *excludes_kind_name(enum exclude_kind kind);
void excludes_free(struct excludes *x);

#endif
