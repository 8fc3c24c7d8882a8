/* svg_int.h: the one module every chart of the report draws through: a chart's
 * frame (title, size, margins), linear and band scales, "nice" ticks, and the
 * axes with their labels and units.  Writes SVG text, pure.
 */
#ifndef LASTFM_SVG_H
#define LASTFM_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "html_int.h"

/* A linear map from data [d0, d1] to pixels [r0, r1]. */
struct scale {
    double d0, d1, r0, r1;
};
double svg_scale_at(const struct scale *s, double v);

/* Round ticks covering [lo, hi]: about `want` of them at 1, 2 or 5 x 10^k.
 * Fills ticks[] (at most `max`), returns how many; *ret_step is their step. */
size_t svg_ticks(double lo, double hi, size_t want, double *ticks, size_t max, double *ret_step);

/* One chart: an <svg> with a title, a plot area and axes. */
struct chart {
    struct hbuf *b;
    double width, height;            /* the whole SVG, px */
    double left, right, top, bottom; /* margins around the plot area */
    struct scale x, y;               /* set by the caller or the axis helpers */
    bool narrow;                     /* drawn for a phone's width (svg_chart_svg) */
};

/* <figure><h3>title</h3><svg ...> and a <title> for screen readers.  The plot
 * area is [left, width - right] x [top, height - bottom]. */
void svg_chart_begin(struct chart *c, struct hbuf *b, const char *id, const char *title,
                     double width, double height);
/* The same in two steps, for a chart drawn twice: <figure><h3>, then each
 * <svg>: first the one for a phone's width (narrow: class "narrow", shown
 * instead of the wide one that follows it at 600 px and less), then the
 * wide one.  svg_chart_end() after each. */
void svg_chart_figure(struct hbuf *b, const char *id, const char *title);
void svg_chart_svg(struct chart *c, struct hbuf *b, const char *id, const char *title, double width,
                   double height, bool narrow);
/* How many labels of `px` each fit across the plot area (at least 1). */
size_t svg_chart_fit(const struct chart *c, double px);
/* A y axis from 0 (or lo) to hi with nice ticks, gridlines and a rotated
 * label ("scrobbles"); sets c->y.  Returns the top of the axis (>= hi). */
double svg_chart_axis_y(struct chart *c, double lo, double hi, const char *label);
/* An x axis over [lo, hi] with ticks labelled by fmt (printf of the value, e.g.
 * "%.0f") or by label_fn; sets c->x. */
void svg_chart_axis_x(struct chart *c, double lo, double hi, const char *label,
                      void (*label_fn)(struct hbuf *b, double v, void *opaque), void *opaque,
                      size_t want_ticks);
/* Band positions: n equal bands across the plot area; band i's left edge and width. */
double svg_chart_band_x(const struct chart *c, size_t n, size_t i, double *ret_width);
/* An x axis of n bands labelled label_fn(i): bands first, first + every, ... */
void svg_chart_axis_bands(struct chart *c, size_t n, size_t first, size_t every, const char *label,
                          void (*label_fn)(struct hbuf *b, size_t i, void *opaque), void *opaque);
/* n bars, one per band, v[i] high on c->y, `fill` of the band wide, of CSS
 * class `cls`; each with a tooltip "LABEL: VALUE" (label(i), then v[i] with
 * `decimals` decimals and `suffix`). */
void svg_chart_bars(struct chart *c, size_t n, const double *v, const char *cls, double fill,
                    int decimals, const char *suffix,
                    void (*label)(struct hbuf *b, size_t i, void *opaque), void *opaque);

/* </svg>, then the caller's <details> table, then svg_chart_close(). */
void svg_chart_end(struct chart *c);
void svg_chart_close(struct hbuf *b);

#endif
