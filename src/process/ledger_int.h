/* ledger_int.h: the quality ledger (the `quality` table of the processed stage). */
#ifndef LASTFM_LEDGER_H
#define LASTFM_LEDGER_H

#include <sqlite3.h>

#include "csv.h"
#include "csvread.h"

#define LEDGER_EXAMPLES 3

/* The rules, the exclude file's rows, and two lines that are not rules:
 * renamed by an alias, counted. */
enum { L_BAD_TIME, L_DUPLICATE, L_UNKNOWN, L_BURST, L_EXCLUDED, L_ALIAS, L_COUNTED, L_COUNT };

struct ledger {
    long rows[L_COUNT];               /* rows each line applies to */
    struct csv_buf examples[L_COUNT]; /* up to LEDGER_EXAMPLES, one per line */
    int nexamples[L_COUNT];
};

/* A row `f` (the nine CSV fields) that `rule` applies to; `canonical` is the
 * alias for L_ALIAS. */
void ledger_add(struct ledger *lg, int rule, const struct csv_field *f, const char *canonical);
/* Into the quality table; `window` (the duplicate window) and `burst_limit`
 * for their descriptions. */
int ledger_write(sqlite3 *db, struct ledger *lg, long window, long burst_limit);
void ledger_free(struct ledger *lg);

#endif
