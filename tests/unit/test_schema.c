/* The INSERT's columns against process.sql: the same names in the same order
 * as its CREATE TABLE scrobbles, and the INSERT prepares against it. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "process_sql.h"
#include "schema_int.h"
#include "test.h"

int main(void)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    char *err = NULL;
    const char *after = strstr(process_sql, "-- @after-rows");
    CHECK(after != NULL);
    char *schema = strndup(process_sql, (size_t)(after - process_sql));
    CHECK_INT(sqlite3_exec(db, schema, NULL, NULL, &err), SQLITE_OK);
    sqlite3_free(err);
    free(schema);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('scrobbles') ORDER BY cid",
                                 -1, &st, NULL),
              SQLITE_OK);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (n < SCHEMA_COLUMNS)
            CHECK_STR(name, schema_columns[n]);
        n++;
    }
    sqlite3_finalize(st);
    CHECK_INT(n, SCHEMA_COLUMNS);
    /* The INSERT names each column of schema_columns at its parameter. */
    CHECK_INT(sqlite3_prepare_v2(db, schema_insert_sql, -1, &st, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_bind_parameter_count(st), SCHEMA_COLUMNS);
    const char *list = strchr(schema_insert_sql, '(');
    for (int i = 0; i < SCHEMA_COLUMNS && list; i++) {
        size_t len = strlen(schema_columns[i]);
        list += strspn(list, "(, ");
        CHECK(strncmp(list, schema_columns[i], len) == 0 && strchr(",)", list[len]));
        list += len;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    TEST_DONE();
}
