/* tagignore.h: the tag ignore list (LASTFM_TAG_IGNORE, or the built-in
 * etc/tag-ignore), pure.
 *
 *   # comment
 *   seen live
 *   favorites
 *
 * One tag a line; blank lines and lines starting with "#" are skipped.  Each
 * is kept lower-cased (ASCII letters, as SQLite's lower()) and trimmed of
 * blanks, the form every tag is compared in.  Errors name FILE:LINE: a NUL
 * byte, a line that is not UTF-8.
 */
#ifndef LASTFM_TAGIGNORE_H
#define LASTFM_TAGIGNORE_H

#include <stdbool.h>
#include <stddef.h>

struct tag_ignore {
    char **tags; /* lower-cased, trimmed; duplicates kept (a set in SQL) */
    size_t n;
};

/* Parse `text` (of file `path`, for messages).  false with "PATH:LINE: what
 * is wrong: the fix" in `err`; out of memory: false and errno ENOMEM. */
bool tagignore_parse(const char *path, const char *text, size_t len, struct tag_ignore *ret,
                     char *err, size_t errsize);
void tagignore_free(struct tag_ignore *t);

#endif
