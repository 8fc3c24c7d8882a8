/* storecsv.c: an interim CSV record by record (store.h). */
#include "autoconfig.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "csvread.h"
#include "store.h"

int store_interim_each(struct store *s, const char *name, store_row_fn fn, void *opaque)
{
    char *text;
    size_t len;
    int r = store_interim_read(s, name, &text, &len);
    if (r < 0)
        return r;
    struct csv_reader rd;
    csvread_init(&rd, text, len);
    const char *why;
    bool header = true;
    int stop = 0;
    while ((r = csvread_next(&rd, &why)) == 1) {
        if (header)
            header = false;
        else if ((stop = fn(opaque, &rd)) < 0)
            break;
    }
    csvread_free(&rd);
    free(text);
    if (stop < 0)
        return stop;
    return r == 0 ? 0 : r == -2 ? -ENOMEM : -EBADMSG;
}
