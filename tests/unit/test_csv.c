/* RFC 4180 quoting, UTF-8 kept valid, UTC timestamps. */
#include "autoconfig.h"

#include <string.h>

#include "csv.h"
#include "test.h"

static const char *field(const char *s, size_t len)
{
    static struct csv_buf b;
    b.len = 0;
    csv_append_field(&b, s, len);
    csv_append_raw(&b, "", 1);
    return b.data;
}
#define F(s) field(s, sizeof(s) - 1)

int main(void)
{
    CHECK_STR(F("plain"), "plain");
    CHECK_STR(F(""), "");
    CHECK_STR(F("a,b"), "\"a,b\"");
    CHECK_STR(F("say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_STR(F("\""), "\"\"\"\"");
    CHECK_STR(F("line\nbreak"), "\"line\nbreak\"");
    CHECK_STR(F("cr\rhere"), "\"cr\rhere\"");
    CHECK_STR(F("crlf\r\n"), "\"crlf\r\n\"");
    /* kept as is: spaces, tabs, control characters, HTML entities, apostrophes */
    CHECK_STR(F("  spaced\t "), "  spaced\t ");
    CHECK_STR(F("a\x01"
                "b"),
              "a\x01"
              "b");
    CHECK_STR(F("&amp; <b>"), "&amp; <b>");
    CHECK_STR(F("it's"), "it's");
    /* valid UTF-8 passes through: accents, CJK, emoji (4 bytes) */
    CHECK_STR(F("Sigur Rós 坂本龍一 🎸"), "Sigur Rós 坂本龍一 🎸");
    /* what a UTF-8 CSV cannot carry becomes U+FFFD */
    CHECK_STR(F("bad\xff"
                "byte"),
              "bad\xef\xbf\xbd"
              "byte");
    CHECK_STR(F("cut\xe2\x82"), "cut\xef\xbf\xbd\xef\xbf\xbd");
    CHECK_STR(F("overlong\xc0\xaf"), "overlong\xef\xbf\xbd\xef\xbf\xbd");
    CHECK_STR(F("surrogate\xed\xa0\x80"), "surrogate\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    CHECK_STR(F("q\",\xff"), "\"q\"\",\xef\xbf\xbd\"");

    struct csv_buf b = {0};
    csv_append_utc(&b, 0);
    csv_append_raw(&b, " ", 1);
    csv_append_utc(&b, 1718051405);
    csv_append_raw(&b, " ", 1);
    csv_append_utc(&b, 253402300799);
    csv_append_raw(&b, "", 1);
    CHECK_STR(b.data, "1970-01-01T00:00:00Z 2024-06-10T20:30:05Z 9999-12-31T23:59:59Z");
    csv_buf_free(&b);
    TEST_DONE();
}
