/* test_excludes.c: the exclude file (LASTFM_EXCLUDE): its rules parsed, each
 * error named by line, and matched in the file's order. */
#include "autoconfig.h"

#include <string.h>

#include "excludes.h"
#include "test.h"

static bool parse(const char *text, struct excludes *x, char *err)
{
    return excludes_parse("ex", text, strlen(text), x, err, 300);
}

static void test_rules(void)
{
    struct excludes x;
    char err[300];
    CHECK(parse("# the children's films\n"
                "album\tIdina Menzel\tFrozen (Original Motion Picture Soundtrack)\r\n"
                "\n"
                "artist\tChristophe Beck\n"
                "dates\t2019-12-24\t2019-12-26\n"
                "artist\t Spaced \n",
                &x, err));
    CHECK_INT((long)x.n, 4);
    CHECK_INT(x.list[0].kind, EXCLUDE_ALBUM);
    CHECK_STR(x.list[0].b, "Frozen (Original Motion Picture Soundtrack)"); /* CR dropped */
    CHECK_INT(x.list[1].line, 4);
    CHECK_STR(x.list[3].a, " Spaced "); /* names exactly as written */
    CHECK(excludes_by_date(&x));
    /* an album: its artist and its name; an artist: all of it; dates inclusive */
    CHECK_INT(excludes_match(&x, "Idina Menzel", 12, "Frozen (Original Motion Picture Soundtrack)",
                             43, "2020-01-01"),
              0);
    CHECK_INT(excludes_match(&x, "Idina Menzel", 12, "Other", 5, "2020-01-01"), -1);
    CHECK_INT(excludes_match(&x, "idina menzel", 12, "Frozen (Original Motion Picture Soundtrack)",
                             43, "2020-01-01"),
              -1); /* case counts */
    CHECK_INT(excludes_match(&x, "Christophe Beck", 15, "", 0, "2020-01-01"), 1);
    CHECK_INT(excludes_match(&x, "Anyone", 6, "", 0, "2019-12-24"), 2);
    CHECK_INT(excludes_match(&x, "Anyone", 6, "", 0, "2019-12-26"), 2);
    CHECK_INT(excludes_match(&x, "Anyone", 6, "", 0, "2019-12-27"), -1);
    CHECK_INT(excludes_match(&x, "Anyone", 6, "", 0, NULL), -1);
    /* the first rule in the file's order wins */
    CHECK_INT(excludes_match(&x, "Christophe Beck", 15, "", 0, "2019-12-25"), 1);
    CHECK_STR(excludes_kind_name(EXCLUDE_DATES), "dates");
    excludes_free(&x);
    CHECK(parse("", &x, err) && x.n == 0 && !excludes_by_date(&x));
}

static void test_errors(void)
{
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"artist Name\n", "ex:1: not a rule"},                      /* spaces, not a tab */
        {"# c\nsong\tX\n", "ex:2: not a rule"},                     /* unknown kind */
        {"artist\tA\tB\n", "ex:1: an artist rule has 3"},           /* too many fields */
        {"album\tA\n", "ex:1: an album rule has 2"},                /* too few */
        {"artist\t\n", "ex:1: a field is empty"},                   /* empty name */
        {"dates\t2019-12-24\t2019-12-32\n", "ex:1: a date is not"}, /* no such day */
        {"dates\t2019-02-29\t2019-03-01\n", "ex:1: a date is not"}, /* not a leap year */
        {"dates\t24.12.2019\t2019-12-26\n", "ex:1: a date is not"},
        {"dates\t2019-12-26\t2019-12-24\n", "ex:1: the range ends before it starts"},
        {"artist\tA\nartist\tB\nartist\tA\n", "ex:3: the rule of line 1 again"},
        {"artist\t\xff\xfe\n", "ex:1: a name is not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct excludes x;
        char err[300] = "";
        CHECK(!parse(bad[i].text, &x, err));
        CHECK(strncmp(err, bad[i].want, strlen(bad[i].want)) == 0);
        if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
            fprintf(stderr, "  got: %s\n  want: %s\n", err, bad[i].want);
    }
    struct excludes x;
    char err[300];
    CHECK(!excludes_parse("ex", "artist\tA\0B\n", 11, &x, err, sizeof err));
    CHECK(strstr(err, "NUL") != NULL);
    CHECK(parse("dates\t2020-02-29\t2020-02-29\n", &x, err)); /* a leap day, one day */
    excludes_free(&x);
}

int main(void)
{
    test_rules();
    test_errors();
    TEST_DONE();
}
