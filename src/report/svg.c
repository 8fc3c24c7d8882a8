/* svg.c: chart frames, scales, ticks and axes. */
#include "autoconfig.h"

#include <math.h>

#include "svg_int.h"

double svg_scale_at(const struct scale *s, double v)
{
    if (s->d1 == s->d0)
        return (s->r0 + s->r1) / 2;
    return s->r0 + (v - s->d0) * (s->r1 - s->r0) / (s->d1 - s->d0);
}

size_t svg_ticks(double lo, double hi, size_t want, double *ticks, size_t max, double *ret_step)
{
    if (!(hi > lo))
        hi = lo + 1;
    if (want < 2)
        want = 2;
    double raw = (hi - lo) / (double)(want - 1);
    double mag = pow(10, floor(log10(raw)));
    double step = mag;
    if (raw / mag > 5)
        step = 10 * mag;
    else if (raw / mag > 2)
        step = 5 * mag;
    else if (raw / mag > 1)
        step = 2 * mag;
    size_t n = 0;
    for (double t = ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9 && n < max; t += step)
        ticks[n++] = fabs(t) < step * 1e-9 ? 0 : t;
    *ret_step = step;
    return n;
}

void svg_chart_figure(struct hbuf *b, const char *id, const char *title)
{
    hbuf_printf(b, "<figure id=\"%s\"><h3>", id);
    html_text(b, title);
    hbuf_puts(b, "</h3>\n");
}

void svg_chart_svg(struct chart *c, struct hbuf *b, const char *id, const char *title, double width,
                   double height, bool narrow)
{
    *c = (struct chart){.b = b,
                        .width = width,
                        .height = height,
                        .left = 66,
                        .right = 16,
                        .top = 12,
                        .bottom = 44,
                        .narrow = narrow};
    c->x = (struct scale){0, 1, c->left, width - c->right};
    c->y = (struct scale){0, 1, height - c->bottom, c->top};
    hbuf_printf(b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\"%s viewBox=\"0 0 %.0f %.0f\" "
                "role=\"img\" aria-labelledby=\"%s-%c\"><title id=\"%s-%c\">",
                narrow ? " class=\"narrow\"" : "", width, height, id, narrow ? 'n' : 't', id,
                narrow ? 'n' : 't');
    html_text(b, title);
    hbuf_puts(b, "</title>\n");
}

void svg_chart_begin(struct chart *c, struct hbuf *b, const char *id, const char *title,
                     double width, double height)
{
    svg_chart_figure(b, id, title);
    svg_chart_svg(c, b, id, title, width, height, false);
}

size_t svg_chart_fit(const struct chart *c, double px)
{
    double room = c->width - c->left - c->right;
    return room > px ? (size_t)(room / px) : 1;
}

double svg_chart_axis_y(struct chart *c, double lo, double hi, const char *label)
{
    double ticks[16], step;
    size_t n = svg_ticks(lo, hi, 5, ticks, 16, &step);
    double top = n ? ticks[n - 1] : hi;
    if (top < hi) {
        top += step;
        if (n < 16)
            ticks[n++] = top;
    }
    c->y = (struct scale){lo, top, c->height - c->bottom, c->top};
    for (size_t i = 0; i < n; i++) {
        double y = svg_scale_at(&c->y, ticks[i]);
        hbuf_printf(c->b,
                    "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                    "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                    c->left, c->width - c->right, y, y, c->left - 6, y + 4);
        if (step >= 1 && fabs(ticks[i]) >= 1000) {
            char num[32];
            html_thousands((long)llround(ticks[i]), num, sizeof num);
            hbuf_puts(c->b, num);
        } else {
            hbuf_printf(c->b, "%g", ticks[i]);
        }
        hbuf_puts(c->b, "</text>\n");
    }
    hbuf_printf(c->b,
                "<text class=\"label\" transform=\"translate(12 %.1f) rotate(-90)\" "
                "text-anchor=\"middle\">",
                (c->top + c->height - c->bottom) / 2);
    html_text(c->b, label);
    hbuf_puts(c->b, "</text>\n");
    return top;
}

static void x_label(struct chart *c, const char *label)
{
    hbuf_printf(c->b, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                c->left, c->width - c->right, c->height - c->bottom, c->height - c->bottom);
    hbuf_printf(c->b, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                (c->left + c->width - c->right) / 2, c->height - 4);
    html_text(c->b, label);
    hbuf_puts(c->b, "</text>\n");
}

void svg_chart_axis_x(struct chart *c, double lo, double hi, const char *label,
                      void (*label_fn)(struct hbuf *b, double v, void *opaque), void *opaque,
                      size_t want_ticks)
{
    double ticks[32], step;
    c->x = (struct scale){lo, hi, c->left, c->width - c->right};
    size_t n = svg_ticks(lo, hi, want_ticks, ticks, 32, &step);
    for (size_t i = 0; i < n; i++) {
        if (ticks[i] < lo || ticks[i] > hi)
            continue;
        double x = svg_scale_at(&c->x, ticks[i]);
        hbuf_printf(c->b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x,
                    c->height - c->bottom + 19);
        if (label_fn)
            label_fn(c->b, ticks[i], opaque);
        else
            hbuf_printf(c->b, "%g", ticks[i]);
        hbuf_puts(c->b, "</text>\n");
    }
    x_label(c, label);
}

double svg_chart_band_x(const struct chart *c, size_t n, size_t i, double *ret_width)
{
    double w = (c->width - c->right - c->left) / (double)(n ? n : 1);
    *ret_width = w;
    return c->left + w * (double)i;
}

void svg_chart_axis_bands(struct chart *c, size_t n, size_t first, size_t every, const char *label,
                          void (*label_fn)(struct hbuf *b, size_t i, void *opaque), void *opaque)
{
    for (size_t i = first; i < n; i += every ? every : 1) {
        double w, x = svg_chart_band_x(c, n, i, &w);
        hbuf_printf(c->b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                    x + w / 2, c->height - c->bottom + 19);
        label_fn(c->b, i, opaque);
        hbuf_puts(c->b, "</text>\n");
    }
    x_label(c, label);
}

void svg_chart_bars(struct chart *c, size_t n, const double *v, const char *cls, double fill,
                    int decimals, const char *suffix,
                    void (*label)(struct hbuf *b, size_t i, void *opaque), void *opaque)
{
    for (size_t i = 0; i < n; i++) {
        double w, x = svg_chart_band_x(c, n, i, &w);
        double y = svg_scale_at(&c->y, v[i]);
        /* the coordinates by hbuf_fixed: a site has millions of them */
        hbuf_puts(c->b, "<rect class=\"");
        hbuf_puts(c->b, cls);
        hbuf_puts(c->b, "\" x=\"");
        hbuf_fixed(c->b, x + w * (1 - fill) / 2, 2);
        hbuf_puts(c->b, "\" y=\"");
        hbuf_fixed(c->b, y, 1);
        hbuf_puts(c->b, "\" width=\"");
        hbuf_fixed(c->b, w * fill, 2);
        hbuf_puts(c->b, "\" height=\"");
        hbuf_fixed(c->b, c->height - c->bottom - y, 1);
        hbuf_puts(c->b, "\"><title>");
        label(c->b, i, opaque);
        hbuf_puts(c->b, ": ");
        hbuf_fixed(c->b, v[i], decimals);
        hbuf_puts(c->b, suffix);
        hbuf_puts(c->b, "</title></rect>");
    }
}

void svg_chart_end(struct chart *c) { hbuf_puts(c->b, "</svg>\n"); }

void svg_chart_close(struct hbuf *b) { hbuf_puts(b, "</figure>\n"); }
