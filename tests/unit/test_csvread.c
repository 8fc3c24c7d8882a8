/* Reading the CSV back (the writer's inverse) and the artist alias file. */
#include "autoconfig.h"

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
    CHECK_INT(r.line, 4);   /* the quoted line breaks count */
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
    if (a.n == 3) {
        CHECK_STR(a.list[0].variant, "Motorhead");
        CHECK_STR(a.list[0].canonical, "Motörhead");
        CHECK_STR(a.list[1].variant, "Charli xcx");
        CHECK_STR(a.list[1].canonical, "Charli XCX");
        CHECK_STR(a.list[2].variant, "A=B");
        CHECK_STR(a.list[2].canonical, "C");
    }
    aliases_free(&a);
    const struct {
        const char *text, *where;
    } bad[] = {
        {"ok = fine\nno separator\n", "aliases.txt:2:"},
        {"x = y\nx = z\n", "aliases.txt:2: this variant is listed twice"},
        {"x =  \n", "aliases.txt:1:"},
    };
    for (size_t i = 0; i < 3; i++) {
        CHECK(!aliases_parse("aliases.txt", bad[i].text, strlen(bad[i].text), &a, err,
                             sizeof err));
        CHECK(strstr(err, bad[i].where) != NULL);
    }
}

int main(void)
{
    test_round_trip();
    test_malformed();
    test_aliases();
    TEST_DONE();
}
