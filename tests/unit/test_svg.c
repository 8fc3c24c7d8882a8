/* The charts' frame: scales, nice ticks, bands, and escaped text in the SVG. */
#include "autoconfig.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg_int.h"
#include "test.h"

/* A label function writes text through html_text(), as the report's do. */
static void band_label(struct hbuf *b, size_t i, void *opaque)
{
    (void)opaque;
    html_text(b, i == 1 ? "</svg>&" : "y");
}

int main(void)
{
    struct scale s = {0, 100, 10, 210};
    CHECK_NEAR(svg_scale_at(&s, 0), 10, 1e-9);
    CHECK_NEAR(svg_scale_at(&s, 50), 110, 1e-9);
    CHECK_NEAR(svg_scale_at(&s, 100), 210, 1e-9);
    struct scale inv = {0, 10, 200, 0}; /* a y axis: up is smaller */
    CHECK_NEAR(svg_scale_at(&inv, 10), 0, 1e-9);

    double ticks[32], step;
    size_t n = svg_ticks(0, 95, 5, ticks, 32, &step);
    CHECK(n >= 2 && n <= 10); /* "about" five */
    CHECK(step == 10 || step == 20 || step == 50);
    CHECK_NEAR(ticks[0], 0, 1e-9);
    CHECK(fmod(step, 1) == 0);
    for (size_t i = 0; i < n; i++) {
        CHECK(ticks[i] >= 0 - 1e-9 && ticks[i] <= 100 + 1e-9);
        CHECK_NEAR(fmod(ticks[i], step), 0, 1e-9);
        if (i)
            CHECK_NEAR(ticks[i] - ticks[i - 1], step, 1e-9);
    }
    /* 1, 2 or 5 x 10^k, whatever the range. */
    double ranges[][2] = {{0, 1}, {0, 7}, {0, 146213}, {3, 4}, {0, 0.03}};
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++) {
        n = svg_ticks(ranges[r][0], ranges[r][1], 5, ticks, 32, &step);
        CHECK(n >= 1 && n <= 32);
        double mant = step / pow(10, floor(log10(step)));
        CHECK(fabs(mant - 1) < 1e-9 || fabs(mant - 2) < 1e-9 || fabs(mant - 5) < 1e-9);
    }
    /* The bound on ticks holds. */
    n = svg_ticks(0, 1e6, 1000, ticks, 4, &step);
    CHECK(n <= 4);

    struct hbuf b = {0};
    struct chart c;
    svg_chart_begin(&c, &b, "t", "A & B <chart>", 600, 300);
    c.left = 40, c.right = 10, c.top = 20, c.bottom = 30;
    double w0, w1;
    double x0 = svg_chart_band_x(&c, 4, 0, &w0), x1 = svg_chart_band_x(&c, 4, 1, &w1);
    CHECK_NEAR(w0, w1, 1e-9);
    CHECK_NEAR(x1 - x0, w0, 1e-9);
    CHECK(x0 >= c.left - 1e-9);
    CHECK(svg_chart_band_x(&c, 4, 3, &w0) + w0 <= 600 - c.right + 1e-9);
    double top = svg_chart_axis_y(&c, 0, 87, "scrobbles");
    CHECK(top >= 87);
    svg_chart_axis_bands(&c, 4, 0, 1, "year", band_label, NULL);
    double v[] = {1, 2, 3, 87};
    svg_chart_bars(&c, 4, v, "bar", 0.8, 0, "", band_label, NULL);
    svg_chart_end(&c);
    svg_chart_close(&b);
    hbuf_puts(&b, "");
    CHECK(!b.oom);
    const char *svg = b.data;
    CHECK(strstr(svg, "<svg") && strstr(svg, "</svg>"));
    CHECK(strstr(svg, "A &amp; B &lt;chart&gt;") != NULL); /* the title escaped */
    CHECK(strstr(svg, "<chart>") == NULL);
    /* One opening and one closing svg element: labels cannot close it early. */
    size_t opens = 0, closes = 0;
    for (const char *p = svg; (p = strstr(p, "<svg")); p++)
        opens++;
    for (const char *p = svg; (p = strstr(p, "</svg>")); p++)
        closes++;
    CHECK_INT(opens, 1);
    CHECK_INT(closes, 1);
    CHECK(strstr(svg, "&lt;/svg&gt;&amp;") != NULL); /* the band label escaped */
    hbuf_free(&b);
    TEST_DONE();
}
