/* test_report_sql.c: report.sql's named statements: the lookup by name, and
 * every statement in the file prepares against the schema process.sql makes
 * once "setup" has run (a misspelt column fails here, not in a user's
 * report). */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "process_sql.h"
#include "report_int.h"
#include "report_sql.h"
#include "test.h"

static void test_find(void)
{
    static const char text[] = "-- a comment\n"
                               "-- name: one\n"
                               "SELECT 1;\n"
                               "-- name: one_more\n"
                               "SELECT 2;\n"
                               "SELECT 3;\n"
                               "-- name: last";
    size_t len;
    const char *s = report_sql_find(text, "one", &len);
    CHECK(s != NULL);
    if (s)
        CHECK(len == strlen("SELECT 1;\n") && strncmp(s, "SELECT 1;\n", len) == 0);
    s = report_sql_find(text, "one_more", &len);
    CHECK(s != NULL && len == strlen("SELECT 2;\nSELECT 3;\n"));
    s = report_sql_find(text, "last", &len);
    CHECK(s != NULL && len == 0);
    CHECK(report_sql_find(text, "on", &len) == NULL); /* a prefix is no name */
    CHECK(report_sql_find(text, "two", &len) == NULL);
    CHECK(report_sql_find("", "one", &len) == NULL);
}

static void test_all_prepare(void)
{
    sqlite3 *db;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, process_sql, NULL, NULL, NULL) == SQLITE_OK);
    /* the two run whole (several statements each), in the report's order */
    CHECK_INT(report_exec_named(db, "open"), 0);
    CHECK_INT(report_exec_named(db, "setup"), 0);
    CHECK_INT(report_exec_named(db, "genre_setup"), 0);
    int names = 0;
    for (const char *p = report_sql_text; (p = strstr(p, "-- name: ")) != NULL;) {
        p += strlen("-- name: ");
        char name[64];
        size_t n = strcspn(p, "\n");
        if (n >= sizeof name)
            n = sizeof name - 1;
        memcpy(name, p, n);
        name[n] = '\0';
        names++;
        if (strcmp(name, "setup") == 0 || strcmp(name, "open") == 0 ||
            strcmp(name, "genre_setup") == 0)
            continue;
        sqlite3_stmt *st;
        int rc = report_stmt(db, name, &st);
        if (rc != 0)
            fprintf(stderr, "report.sql: %s: %s\n", name, sqlite3_errmsg(db));
        CHECK_INT(rc, 0);
        /* one statement per name: nothing left after it but comments */
        sqlite3_finalize(st);
    }
    CHECK(names >= 15);
    CHECK(report_stmt(db, "no such statement", &(sqlite3_stmt *){NULL}) < 0);
    sqlite3_close(db);
}

int main(void)
{
    test_find();
    test_all_prepare();
    TEST_DONE();
}
