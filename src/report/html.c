/* html.c: escaped text into a growing buffer. */
#include "autoconfig.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "html_int.h"

static bool reserve(struct hbuf *b, size_t more)
{
    if (b->oom)
        return false;
    if (more >= SIZE_MAX - b->len || grow(&b->data, &b->cap, b->len + more + 1, 1, 0) < 0) {
        b->oom = true;
        return false;
    }
    return true;
}

static void put(struct hbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void hbuf_puts(struct hbuf *b, const char *s) { put(b, s, strlen(s)); }

void hbuf_fixed(struct hbuf *b, double v, int decimals)
{
    static const long long scale[] = {1, 10, 100, 1000};
    if (decimals < 0 || decimals > 3 || !(v > -1e15 && v < 1e15)) { /* NaN too */
        hbuf_printf(b, "%.*f", decimals < 0 || decimals > 3 ? 3 : decimals, v == v ? v : 0.0);
        return;
    }
    long long k = llround(v * (double)scale[decimals]);
    char s[40], *p = s + sizeof s;
    bool neg = k < 0;
    unsigned long long u = neg ? (unsigned long long)-k : (unsigned long long)k;
    for (int i = 0; i < decimals; i++, u /= 10)
        *--p = (char)('0' + u % 10);
    if (decimals)
        *--p = '.';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg)
        *--p = '-';
    put(b, p, (size_t)(s + sizeof s - p));
}

void hbuf_printf(struct hbuf *b, const char *fmt, ...)
{
    /* Formatted once into the room there is; again only when it did not fit. */
    if (!reserve(b, 256))
        return;
    size_t room = b->cap - b->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        if (!reserve(b, (size_t)n)) {
            b->data[b->len] = '\0';
            return;
        }
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void hbuf_free(struct hbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xf5)
        return 0;
    size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (n == 0 || (n == 4 && s[0] > 0xf4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    uint32_t cp = n == 2 ? (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f)
                  : n == 3
                      ? (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f)
                      : (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
                            (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || cp == 0xfffe || cp == 0xffff)
        return 0;
    return n;
}

static const char REPLACEMENT[] = "\xef\xbf\xbd";

/* Escape one character (n bytes at p). */
static void put_char(struct hbuf *b, const unsigned char *p, size_t n)
{
    switch (*p) {
    case '&': hbuf_puts(b, "&amp;"); return;
    case '<': hbuf_puts(b, "&lt;"); return;
    case '>': hbuf_puts(b, "&gt;"); return;
    case '"': hbuf_puts(b, "&quot;"); return;
    case '\'': hbuf_puts(b, "&#39;"); return;
    case '\n':
    case '\r':
    case '\t': hbuf_puts(b, " "); return;
    default:
        if (*p < 0x20 || *p == 0x7f) {
            hbuf_puts(b, REPLACEMENT);
            return;
        }
        put(b, (const char *)p, n);
    }
}

/* How many columns a character takes: 2 for the East Asian wide and
 * fullwidth ranges (and the widest Latin letters), else 1. */
static size_t columns(const unsigned char *p, size_t n)
{
    if (n == 1)
        return *p == 'M' || *p == 'W' || *p == 'm' || *p == 'w' || *p == '@' ? 2 : 1;
    uint32_t cp = n == 2 ? (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f)
                  : n == 3
                      ? (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f)
                      : (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
                            (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
    bool wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
                (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
                (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
                (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
                (cp >= 0x20000 && cp <= 0x3fffd);
    return wide ? 2 : 1;
}

bool html_text_cut(struct hbuf *b, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t cols = 0;
    while (*p) {
        size_t n = utf8_len(p);
        cols += n ? columns(p, n) : 1;
        if (cols > max) {
            hbuf_puts(b, "\xe2\x80\xa6"); /* … */
            return true;
        }
        if (n == 0) {
            hbuf_puts(b, REPLACEMENT);
            p++;
        } else {
            put_char(b, p, n);
            p += n;
        }
    }
    return false;
}

void html_text(struct hbuf *b, const char *s) { html_text_cut(b, s, SIZE_MAX); }

void html_name(struct hbuf *b, const char *s)
{
    hbuf_puts(b, "<bdi>");
    html_text(b, s);
    hbuf_puts(b, "</bdi>");
}

void html_name_plain(struct hbuf *b, const char *s)
{
    static const char fsi[] = "\xe2\x81\xa8", pdi[] = "\xe2\x81\xa9";
    struct hbuf name = {0};
    s = s ? s : "";
    for (const char *p = s; *p;) {
        const char *at = strstr(p, "\xe2\x81");
        size_t n = at ? (size_t)(at - p) : strlen(p);
        put(&name, p, n);
        if (!at)
            break;
        if ((unsigned char)at[2] >= 0xa6 && (unsigned char)at[2] <= 0xa9) {
            put(&name, REPLACEMENT, sizeof REPLACEMENT - 1);
            p = at + 3;
        } else {
            put(&name, at, 2);
            p = at + 2;
        }
    }
    b->oom |= name.oom; /* a page with a name missing is not published */
    hbuf_puts(b, fsi);
    html_text(b, name.data ? name.data : "");
    hbuf_puts(b, pdi);
    b->oom |= name.oom;
    hbuf_free(&name);
}

void html_thousands(long v, char *buf, size_t size)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%ld", v < 0 ? -v : v), j = 0;
    if (v < 0 && size > 1)
        buf[j++] = '-';
    for (int i = 0; i < n && (size_t)j + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[j++] = ',';
        buf[j++] = tmp[i];
    }
    buf[j] = '\0';
}

const char *html_num(long v, char buf[HTML_NUM_SIZE])
{
    html_thousands(v, buf, HTML_NUM_SIZE);
    return buf;
}

void html_table_begin(struct hbuf *b, const char *summary, const char *const *headers, size_t n)
{
    hbuf_puts(b, "<details><summary>");
    html_text(b, summary);
    hbuf_puts(b, "</summary><table><thead><tr>");
    for (size_t i = 0; i < n; i++) {
        hbuf_puts(b, "<th>");
        html_text(b, headers[i]);
        hbuf_puts(b, "</th>");
    }
    hbuf_puts(b, "</tr></thead><tbody>\n");
}

void html_table_end(struct hbuf *b) { hbuf_puts(b, "</tbody></table></details>\n"); }

void html_wrap_open(struct hbuf *b, const char *hide)
{
    if (!hide || !*hide) {
        hbuf_puts(b, "<div class=\"wrap\">");
        return;
    }
    hbuf_printf(b,
                "<details class=\"more\"><summary>all columns</summary></details>"
                "<div class=\"wrap %s\">",
                hide);
}
