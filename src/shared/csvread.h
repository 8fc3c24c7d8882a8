/* csvread.h: reading RFC 4180 records, pure (the other half of csv.h).
 *
 * Fields are returned as pointers into the input where possible; a quoted
 * field is unescaped into the reader's scratch buffer.  Records end with LF or
 * CRLF; a quoted field may hold commas, quotes ("") and line breaks.
 */
#ifndef LASTFM_CSVREAD_H
#define LASTFM_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "csv.h"

#define CSVREAD_MAX_FIELDS 32

struct csv_field {
    const char *ptr; /* valid until the next csvread_next() */
    size_t len;
};

struct csv_reader {
    const char *p, *end;    /* what is left of the input */
    long line;              /* line number where the record just read starts (1-based) */
    long next_line;         /* ... and the last line it spans */
    struct csv_buf scratch; /* unescaped quoted fields of the current record */
    struct csv_field field[CSVREAD_MAX_FIELDS];
    size_t nfields;
};

void csvread_init(struct csv_reader *r, const char *data, size_t len);
/* Read the next record into r->field.  1: a record; 0: end of input; -1: a
 * malformed record (an unclosed quote, text after a closing quote, too many
 * fields), *ret_why says which.  -2: out of memory. */
int csvread_next(struct csv_reader *r, const char **ret_why);
void csvread_free(struct csv_reader *r);

#endif
