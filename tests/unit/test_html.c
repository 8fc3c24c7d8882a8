/* HTML/SVG text: names are data (escaped, what XML cannot carry replaced),
 * cut by characters with an ellipsis, numbers with thousands separators. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "html_int.h"
#include "test.h"

static char *text(const char *s)
{
    struct hbuf b = {0};
    html_text(&b, s);
    hbuf_puts(&b, "");
    char *out = strndup(b.data ? b.data : "", b.len);
    hbuf_free(&b);
    return out;
}

static char *cut(const char *s, size_t max, bool *was)
{
    struct hbuf b = {0};
    *was = html_text_cut(&b, s, max);
    char *out = strndup(b.data ? b.data : "", b.len);
    hbuf_free(&b);
    return out;
}

/* hbuf_fixed: printf's "%.*f" for a chart's coordinates, half away from zero. */
static void test_fixed(void)
{
    static const struct {
        double v;
        int decimals;
        const char *want;
    } cases[] = {
        {0, 1, "0.0"},
        {12.34, 1, "12.3"},
        {12.36, 1, "12.4"},
        {-3.14159, 2, "-3.14"},
        {99.999, 2, "100.00"},
        {7, 0, "7"},
        {0.05, 1, "0.1"},
        {-0.04, 1, "0.0"},
        {123456.789, 3, "123456.789"},
        {1e20, 1, "100000000000000000000.0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct hbuf b = {0};
        hbuf_fixed(&b, cases[i].v, cases[i].decimals);
        CHECK_STR(b.data ? b.data : "", cases[i].want);
        hbuf_free(&b);
    }
}

/* html_wrap_open: a plain box, or the phone's toggle right before a box
 * naming the columns it sets aside (the CSS's sibling rule needs both). */
static void test_wrap(void)
{
    struct hbuf b = {0};
    html_wrap_open(&b, NULL);
    html_wrap_open(&b, "");
    hbuf_puts(&b, "");
    CHECK_STR(b.data, "<div class=\"wrap\"><div class=\"wrap\">");
    hbuf_free(&b);
    b = (struct hbuf){0};
    html_wrap_open(&b, "h2 h4");
    CHECK_STR(b.data, "<details class=\"more\"><summary>all columns</summary></details>"
                      "<div class=\"wrap h2 h4\">");
    hbuf_free(&b);
}

int main(void)
{
    test_fixed();
    test_wrap();
    char *t = text("</svg><script>alert(\"x\" & 'y')</script>");
    CHECK_STR(t, "&lt;/svg&gt;&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
    free(t);
    t = text("&amp;");
    CHECK_STR(t, "&amp;amp;"); /* an entity in a name is text, not an entity */
    free(t);
    /* Control characters and invalid UTF-8: U+FFFD; a tab or a line break
     * is a space (a name never breaks a line of the page). */
    t = text("a\x01"
             "b\tc\nd\xff"
             "e\r");
    CHECK_STR(t, "a\xef\xbf\xbd"
                 "b c d\xef\xbf\xbd"
                 "e ");
    free(t);
    t = text("坂本龍一 שלום");
    CHECK_STR(t, "坂本龍一 שלום");
    free(t);

    bool was;
    t = cut("Sigur Rós", 20, &was);
    CHECK_STR(t, "Sigur Rós");
    CHECK(!was);
    free(t);
    t = cut("Frozen (Original Motion Picture Soundtrack)", 10, &was);
    CHECK(was);
    CHECK(strncmp(t, "Frozen (Or", 10) == 0 || strncmp(t, "Frozen (O", 9) == 0);
    CHECK(strstr(t, "\xe2\x80\xa6") != NULL); /* the ellipsis */
    free(t);
    /* Cut by characters, never inside one. */
    t = cut("ééééééééé", 4, &was);
    CHECK(was);
    CHECK(strncmp(t, "ééé", strlen("ééé")) == 0);
    CHECK(strstr(t, "\xe2\x80\xa6") != NULL);
    free(t);
    t = cut("<b>", 10, &was);
    CHECK_STR(t, "&lt;b&gt;");
    free(t);

    /* hbuf_printf formats into the room left, again when it did not fit */
    struct hbuf pb = {0};
    char big[3000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 100; i++)
        hbuf_printf(&pb, "<%d:%s>", i, i % 10 == 9 ? big : "ab");
    size_t want = 0;
    for (int i = 0; i < 100; i++)
        want += (size_t)snprintf(NULL, 0, "<%d:%s>", i, i % 10 == 9 ? big : "ab");
    CHECK_INT(pb.len, want);
    CHECK_INT(strlen(pb.data), want);
    CHECK(strncmp(pb.data, "<0:ab><1:ab>", 12) == 0);
    CHECK(strstr(pb.data, "<99:zzz") != NULL && pb.data[pb.len - 1] == '>');
    CHECK(!pb.oom);
    hbuf_free(&pb);

    char n[32];
    html_thousands(146213, n, sizeof n);
    CHECK_STR(n, "146,213");
    html_thousands(0, n, sizeof n);
    CHECK_STR(n, "0");
    html_thousands(999, n, sizeof n);
    CHECK_STR(n, "999");
    html_thousands(1000000, n, sizeof n);
    CHECK_STR(n, "1,000,000");
    html_thousands(-4321, n, sizeof n);
    CHECK_STR(n, "-4,321");
    TEST_DONE();
}
