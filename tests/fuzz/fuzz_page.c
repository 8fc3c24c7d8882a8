/* Fuzz the page flattener: raw page -> rows -> CSV fields, and check that every
 * row is well-formed CSV that keeps valid UTF-8. */
#include "autoconfig.h"

#include <string.h>

#include "csv.h"
#include "fuzz.h"
#include "page.h"

static struct csv_buf line;

static int on_row(void *opaque, const struct page_row *row)
{
    const char *fields[] = {row->track,      row->artist,      row->album,
                            row->track_mbid, row->artist_mbid, row->album_mbid};
    line.len = 0;
    if (!csv_append_utc(&line, row->uts))
        __builtin_trap(); /* page_parse only lets through uts that format */
    for (size_t i = 0; i < 6; i++)
        if (!csv_append_raw(&line, ",", 1) ||
            !csv_append_field(&line, fields[i], strlen(fields[i])))
            return -1;
    /* Quotes balance: an unquoted field never holds a quote. */
    size_t quotes = 0;
    for (size_t i = 0; i < line.len; i++)
        quotes += line.data[i] == '"';
    if (quotes % 2)
        __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why;
    page_parse((const char *)data, size, on_row, NULL, &why);
    return 0;
}
