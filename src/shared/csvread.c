/* csvread.c: RFC 4180 records. */
#include "autoconfig.h"

#include <string.h>

#include "csvread.h"

void csvread_init(struct csv_reader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof *r);
    r->p = data;
    r->end = data + len;
}

void csvread_free(struct csv_reader *r) { csv_buf_free(&r->scratch); }

int csvread_next(struct csv_reader *r, const char **ret_why)
{
    /* Offsets into scratch, resolved to pointers once the record is whole
     * (scratch may move while it grows). */
    size_t scratch_off[CSVREAD_MAX_FIELDS];
    bool in_scratch[CSVREAD_MAX_FIELDS];
    const char *p = r->p, *end = r->end;
    if (p >= end)
        return 0;
    r->line = ++r->next_line;
    r->scratch.len = 0;
    r->nfields = 0;
    for (;;) {
        if (r->nfields == CSVREAD_MAX_FIELDS) {
            *ret_why = "more fields than any row of ours has";
            return -1;
        }
        size_t i = r->nfields++;
        if (p < end && *p == '"') {
            p++;
            in_scratch[i] = true;
            scratch_off[i] = r->scratch.len;
            for (;;) {
                const char *q = memchr(p, '"', (size_t)(end - p));
                if (!q) {
                    *ret_why = "a quoted field is not closed";
                    return -1;
                }
                for (const char *c = p; c < q; c++)
                    if (*c == '\n')
                        r->next_line++;
                if (!csv_append_raw(&r->scratch, p, (size_t)(q - p)))
                    return -2;
                p = q + 1;
                if (p < end && *p == '"') { /* "" inside quotes: one quote */
                    if (!csv_append_raw(&r->scratch, "\"", 1))
                        return -2;
                    p++;
                    continue;
                }
                break;
            }
            r->field[i].len = r->scratch.len - scratch_off[i];
            if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
                *ret_why = "text after a closing quote";
                return -1;
            }
        } else {
            const char *start = p;
            while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                p++;
            in_scratch[i] = false;
            r->field[i].ptr = start;
            r->field[i].len = (size_t)(p - start);
        }
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == '\r')
            p++;
        if (p < end && *p == '\n')
            p++;
        break;
    }
    for (size_t i = 0; i < r->nfields; i++)
        if (in_scratch[i])
            r->field[i].ptr = r->scratch.data ? r->scratch.data + scratch_off[i] : "";
    r->p = p;
    return 1;
}
