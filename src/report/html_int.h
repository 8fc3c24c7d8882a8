/* html_int.h: writing HTML and SVG text into a growing buffer, pure.
 *
 * Names from the API are data, never markup: html_text() escapes & < > " '
 * and replaces what XML cannot carry (control characters, invalid UTF-8) with
 * U+FFFD, and a tab or a line break with a space, so the page and every SVG
 * in it stay well-formed whatever a track is called.
 */
#ifndef LASTFM_HTML_H
#define LASTFM_HTML_H

#include <stdbool.h>
#include <stddef.h>

struct hbuf {
    char *data;
    size_t len, cap;
    bool oom; /* an allocation failed: the content is incomplete */
};

void hbuf_printf(struct hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hbuf_puts(struct hbuf *b, const char *s);
/* v with `decimals` (0..3) decimals, rounded half away from zero: printf's
 * "%.*f" without its cost, for the many coordinates of a chart. */
void hbuf_fixed(struct hbuf *b, double v, int decimals);
void hbuf_free(struct hbuf *b);

/* `s` as text (element content or an attribute value). */
void html_text(struct hbuf *b, const char *s);

/* A name where text of ours may follow it in HTML: inside <bdi>, so that a
 * name ending in a right-to-left character or a bidi control (U+202E) cannot
 * turn our text around. */
void html_name(struct hbuf *b, const char *s);
/* The same where markup cannot go (a page's <title>, an SVG <title> or
 * <text>, an attribute): between FSI and PDI (U+2068, U+2069), with the
 * name's own isolate controls (U+2066..U+2069), which could close ours, shown
 * as U+FFFD. */
void html_name_plain(struct hbuf *b, const char *s);

/* At most `max` columns of `s`, with "…" when cut: a character takes one
 * column, an East Asian wide or fullwidth one (and M, W, m, w, @) two, so
 * that a cut name fits the room of `max` average Latin letters.  Returns true
 * when it was cut (the caller then gives the full name in a <title>). */
bool html_text_cut(struct hbuf *b, const char *s, size_t max);

/* <details><summary>The numbers</summary><table> with a header row, and
 * its end. */
void html_table_begin(struct hbuf *b, const char *summary, const char *const *headers, size_t n);
void html_table_end(struct hbuf *b);

/* The box of a wide table: `<div class="wrap">`, scrolled sideways when the
 * table is wider.  With `hide` (e.g. "h3 h5", 1-based columns): on a phone
 * those columns are set aside behind an "all columns" toggle written first,
 * so the name and the plays stay in view (report_css.c's .more rules). */
void html_wrap_open(struct hbuf *b, const char *hide);

/* 146213 -> "146,213": the one number format of every page */
void html_thousands(long v, char *buf, size_t size);
/* The same into buf, returned: for printf's %s, as HTML_NUM(v) (a buffer of
 * the statement's own). */
#define HTML_NUM_SIZE 32
const char *html_num(long v, char buf[HTML_NUM_SIZE]);
#define HTML_NUM(v) html_num((v), (char[HTML_NUM_SIZE]){0})

#endif
