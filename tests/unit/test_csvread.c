/* Reading the CSV back (the writer's inverse) and the artist alias file. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aliases.h"
#include "csv.h"
#include "csvread.h"
#include "test.h"

static void test_round_trip(void)
{
    /* What the writer quotes comes back exactly. */
    const char *names[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", "", "é ✓ 日本"};
    struct csv_buf b = {0};
    for (size_t i = 0; i < 7; i++) {
        if (i)
            csv_append_raw(&b, ",", 1);
        csv_append_field(&b, names[i], strlen(names[i]));
    }
    csv_append_raw(&b, "\nx,y\n", 5);
    struct csv_reader r;
    const char *why = NULL;
    csvread_init(&r, b.data, b.len);
    CHECK_INT(csvread_next(&r, &why), 1);
    CHECK_INT(r.nfields, 7);
    for (size_t i = 0; i < 7 && i < r.nfields; i++)
        CHECK(r.field[i].len == strlen(names[i]) &&
              memcmp(r.field[i].ptr, names[i], r.field[i].len) == 0);
    CHECK_INT(r.line, 1);
    CHECK_INT(csvread_next(&r, &why), 1);
    CHECK_INT(r.line, 4); /* the quoted line breaks count */
    CHECK_INT(r.nfields, 2);
    CHECK_INT(csvread_next(&r, &why), 0);
    csvread_free(&r);
    csv_buf_free(&b);
}

static void test_malformed(void)
{
    const char *bad[] = {"\"open,x\n", "\"a\"b,c\n"};
    for (size_t i = 0; i < 2; i++) {
        struct csv_reader r;
        const char *why = NULL;
        csvread_init(&r, bad[i], strlen(bad[i]));
        CHECK_INT(csvread_next(&r, &why), -1);
        CHECK(why != NULL);
        csvread_free(&r);
    }
    /* A last line without its newline is still a record; CRLF is accepted. */
    struct csv_reader r;
    const char *why;
    csvread_init(&r, "a,b\r\nc", 6);
    CHECK_INT(csvread_next(&r, &why), 1);
    CHECK_INT(r.field[1].len, 1);
    CHECK_INT(csvread_next(&r, &why), 1);
    CHECK_INT(r.nfields, 1);
    CHECK_INT(csvread_next(&r, &why), 0);
    csvread_free(&r);
}

static void test_aliases(void)
{
    const char *text = "# artist names\n\nMotorhead = Motörhead\n  Charli xcx = Charli XCX  \n"
                       "A=B = C\n";
    struct aliases a;
    char err[256];
    CHECK(aliases_parse("aliases.txt", text, strlen(text), &a, err, sizeof err));
    CHECK_INT(a.n, 3);
    if (a.n == 3) { /* sorted by variant, for the binary search */
        CHECK_STR(a.list[0].variant, "A=B");
        CHECK_STR(a.list[0].canonical, "C");
        CHECK_STR(a.list[1].variant, "Charli xcx");
        CHECK_STR(a.list[1].canonical, "Charli XCX");
        CHECK_STR(a.list[2].variant, "Motorhead");
        CHECK_STR(a.list[2].canonical, "Motörhead");
    }
    aliases_free(&a);

    /* Chains are followed to their end; quotes keep spaces. */
    const char *chain = "C = A\nA = B\nD = C\n\"Sigur Ros \" = \"Sigur Rós\"\n";
    CHECK(aliases_parse("aliases.txt", chain, strlen(chain), &a, err, sizeof err));
    CHECK_INT(a.n, 4);
    for (size_t i = 0; i < a.n; i++) {
        if (strcmp(a.list[i].variant, "Sigur Ros ") == 0)
            CHECK_STR(a.list[i].canonical, "Sigur Rós");
        else
            CHECK_STR(a.list[i].canonical, "B");
    }
    aliases_free(&a);

    const struct {
        const char *text;
        size_t len;
        const char *where;
    } bad[] = {
        {"ok = fine\nno separator\n", 0, "aliases.txt:2:"},
        {"x = y\nx = z\n", 0, "aliases.txt:2: this variant is listed twice (first on line 1)"},
        {"x =  \n", 0, "aliases.txt:1:"},
        {"A = B\nB = A\n", 0, "go round in a circle"},
        {"A = B\nB = C\nC = A\n", 0, "go round in a circle"},
        {"A = A\n", 0, "aliases.txt:1: the variant is its own"},
        {"ok = fine\nA\0B = C\n", 16, "aliases.txt:2: a NUL byte"},
        {"Bj\xf6rk = Bjork\n", 0, "aliases.txt:1: a name is not valid UTF-8"},
        {"x = \"a\"b\"\n", 0, "aliases.txt:1: a quoted name holds a double quote"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t n = bad[i].len ? bad[i].len : strlen(bad[i].text);
        err[0] = '\0';
        CHECK(!aliases_parse("aliases.txt", bad[i].text, n, &a, err, sizeof err));
        if (!strstr(err, bad[i].where))
            fprintf(stderr, "case %zu: %s\n", i, err);
        CHECK(strstr(err, bad[i].where) != NULL);
    }

    /* A big file: 100,000 lines, every one found. */
    size_t big_len = 0, big_cap = 100000 * 40;
    char *big = malloc(big_cap);
    for (int i = 0; big && i < 100000; i++)
        big_len += (size_t)snprintf(big + big_len, big_cap - big_len, "Artist %06d = Canon %d\n", i,
                                    i % 977);
    CHECK(big && aliases_parse("big.txt", big, big_len, &a, err, sizeof err));
    CHECK_INT(a.n, 100000);
    CHECK(a.n == 100000 && strcmp(a.list[12345].variant, "Artist 012345") == 0 &&
          strcmp(a.list[12345].canonical, "Canon 621") == 0);
    aliases_free(&a);
    free(big);
}

int main(void)
{
    test_round_trip();
    test_malformed();
    test_aliases();
    TEST_DONE();
}
