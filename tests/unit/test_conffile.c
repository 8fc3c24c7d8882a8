/* The KEY=VALUE syntax of .env and the conf file. */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "conffile_int.h"
#include "test.h"

static char got[2048];
static unsigned errors_seen;
static char last_error[256];

static void on_entry(void *o, const char *file, unsigned line, const char *key, const char *value)
{
    size_t n = strlen(got);
    snprintf(got + n, sizeof got - n, "%u:%s=[%s];", line, key, value);
}

static void on_error(void *o, const char *file, unsigned line, const char *what)
{
    errors_seen++;
    snprintf(last_error, sizeof last_error, "%s:%u: %s", file, line, what);
}

static unsigned parse(const char *text)
{
    got[0] = '\0';
    errors_seen = 0;
    last_error[0] = '\0';
    return conffile_parse("f", text, strlen(text), on_entry, on_error, NULL);
}

int main(void)
{
    CHECK_INT(parse("# comment\n\nA=1\n  B = two words  \nexport C=3\r\n"), 0);
    CHECK_STR(got, "3:A=[1];4:B=[two words];5:C=[3];");
    CHECK_INT(parse("A=\"quoted # not a comment\"  # comment\nB='single \\n kept'\n"), 0);
    CHECK_STR(got, "1:A=[quoted # not a comment];2:B=[single \\n kept];");
    CHECK_INT(parse("A=\"esc \\\" \\\\ \\n\"\nB=x#y\nC=x #y\nD=\n"), 0);
    CHECK_STR(got, "1:A=[esc \" \\ \n];2:B=[x#y];3:C=[x];4:D=[];");
    /* Every bad line is reported, with its line number; good lines still count. */
    CHECK_INT(parse("A=1\nno equals here\nB=\"open\n=nokey\nC=\"x\" junk\nD=4"), 4);
    CHECK_STR(got, "1:A=[1];6:D=[4];");
    CHECK_STR(last_error, "f:5: unexpected text after the closing quote: quote the whole value");
    CHECK_INT(parse("A=1\0B=2"), 0); /* strlen stops at the NUL */
    /* A NUL inside the given length is an error, not a truncation. */
    got[0] = '\0';
    CHECK_INT(conffile_parse("f", "A=1\nB=x\0y\n", 10, on_entry, on_error, NULL), 1);
    /* Over-long values are refused. */
    static char big[6000];
    memset(big, 'x', sizeof big - 1);
    memcpy(big, "A=", 2);
    CHECK_INT(parse(big), 1);
    TEST_DONE();
}
