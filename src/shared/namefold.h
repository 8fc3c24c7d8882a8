/* namefold.h: an artist's name folded for comparison, pure: case and
 * diacritics dropped, so that "IDLES" and "Idles", "Motörhead" and
 * "Motorhead", "Sigur Rós" and "Sigur Ros" fold the same.  Letters folded:
 * ASCII, Latin-1 and Latin Extended-A (U+00C0..U+017F: each to its base
 * letter, lower case; ß to "ss", æ to "ae", œ to "oe"), Greek (U+0386..U+03AB,
 * accents dropped) and Cyrillic (U+0400..U+042F).  Everything else is kept
 * byte for byte, so invalid UTF-8 never merges two names.  The report and
 * lastfm-process -v point such names out; nothing is merged without the alias
 * file.
 */
#ifndef LASTFM_NAMEFOLD_H
#define LASTFM_NAMEFOLD_H

#include <stddef.h>

/* s (len bytes) folded into out (at most cap - 1 bytes, NUL-terminated; a fold
 * is never longer than twice its input).  Returns the folded length. */
size_t name_fold(const char *s, size_t len, char *out, size_t cap);

#endif
