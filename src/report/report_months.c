/* report_months.c: the biggest months and what drove them (their top
 * artist and album), read from the processed database. */
#include "autoconfig.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "report_int.h"

/* A month's top artist, or top album (with its artist): the first row of
 * report.sql's month_artists or month_albums, the lists of the month's page.
 * -ENOMEM, or -1 on an SQL error. */
static int top_of_month(sqlite3 *db, const char *month, bool album, struct named_count *ret)
{
    sqlite3_stmt *st;
    int prc = report_stmt(db, album ? "month_albums" : "month_artists", &st);
    if (prc < 0)
        return prc;
    sqlite3_bind_text(st, 1, month, 7, SQLITE_STATIC);
    int rc = sqlite3_step(st), fail = 0;
    if (rc == SQLITE_ROW) {
        *ret = (struct named_count){report_column_name(st, 0),
                                    album ? report_column_name(st, 1) : NULL,
                                    sqlite3_column_int64(st, album ? 2 : 1), 1};
        fail = report_copied(ret->name, st, 0) || (album && report_copied(ret->artist, st, 1));
    }
    sqlite3_finalize(st);
    return fail ? -ENOMEM : report_sql_rc(rc);
}

/* The biggest months (of r->months as read: those with scrobbles), each with
 * its top artist and album. */
int report_load_big_months(sqlite3 *db, struct report *r)
{
    for (long i = 0; i < r->nmonths; i++) {
        int at = r->nbig < REPORT_BIG_MONTHS ? r->nbig++ : REPORT_BIG_MONTHS - 1;
        if (at == REPORT_BIG_MONTHS - 1 && r->big[at].month[0] && r->big[at].n >= r->months[i].n)
            continue;
        r->big[at] = (struct big_month){.n = r->months[i].n};
        snprintf(r->big[at].month, sizeof r->big[at].month, "%s", r->months[i].month);
        for (int k = at; k > 0 && r->big[k].n > r->big[k - 1].n; k--) {
            struct big_month t = r->big[k];
            r->big[k] = r->big[k - 1];
            r->big[k - 1] = t;
        }
    }
    for (int k = 0; k < r->nbig; k++) {
        struct big_month *m = &r->big[k];
        for (int i = 0; i < r->nyears; i++)
            if (r->years[i].year == atoi(m->month))
                m->year_n = r->years[i].scrobbles;
        int rc = top_of_month(db, m->month, false, &m->artist);
        if (rc < 0 || (rc = top_of_month(db, m->month, true, &m->album)) < 0)
            return rc;
    }
    return 0;
}
