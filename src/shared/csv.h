/* csv.h: RFC 4180 fields and rows, pure.
 *
 * A field is quoted when it holds a comma, a double quote, CR or LF; quotes are
 * doubled.  Nothing else is changed, except what a UTF-8 CSV cannot carry: a
 * byte sequence that is not valid UTF-8 becomes U+FFFD.  Rows end with "\n".
 */
#ifndef LASTFM_CSV_H
#define LASTFM_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer. */
struct csv_buf {
    char *data;
    size_t len, cap;
};

/* Append `len` bytes of `s` as one field (no separator).  false on ENOMEM. */
bool csv_append_field(struct csv_buf *b, const char *s, size_t len);
/* Append raw bytes. */
bool csv_append_raw(struct csv_buf *b, const char *s, size_t len);
/* Append a Unix time as YYYY-MM-DDTHH:MM:SSZ (UTC). */
bool csv_append_utc(struct csv_buf *b, int64_t uts);
void csv_buf_free(struct csv_buf *b);
/* Is s[0..len) valid UTF-8 (no overlong forms, no surrogates)? */
bool csv_utf8_valid(const char *s, size_t len);

#endif
