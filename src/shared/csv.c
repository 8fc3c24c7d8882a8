/* csv.c: RFC 4180 quoting, UTF-8 kept valid. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "grow.h"

static bool reserve(struct csv_buf *b, size_t extra)
{
    return extra <= SIZE_MAX - b->len && grow(&b->data, &b->cap, b->len + extra, 1, 0) == 0;
}

bool csv_append_raw(struct csv_buf *b, const char *s, size_t len)
{
    if (len == 0)
        return true; /* s may be NULL then: memcpy must not see it */
    if (!reserve(b, len))
        return false;
    memcpy(b->data + b->len, s, len);
    b->len += len;
    return true;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not valid. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* overlong forms, surrogates, beyond U+10FFFF */
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

bool csv_append_field(struct csv_buf *b, const char *s, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    /* Worst case: every byte doubled or replaced by 3 bytes, plus quotes. */
    if (!reserve(b, len * 3 + 2))
        return false;
    char *out = b->data + b->len;
    if (quote)
        *out++ = '"';
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        /* Fast path: a run of plain ASCII without quotes is copied as is. */
        const unsigned char *run = p;
        while (run < end && *run < 0x80 && *run != '"')
            run++;
        if (run > p) {
            memcpy(out, p, (size_t)(run - p));
            out += run - p;
            p = run;
            continue;
        }
        size_t n = utf8_seq(p, (size_t)(end - p));
        if (n == 0) {
            memcpy(out, "\xef\xbf\xbd", 3); /* U+FFFD */
            out += 3;
            p++;
            continue;
        }
        if (n == 1 && *p == '"')
            *out++ = '"';
        memcpy(out, p, n);
        out += n;
        p += n;
    }
    if (quote)
        *out++ = '"';
    b->len = (size_t)(out - b->data);
    return true;
}

bool csv_append_utc(struct csv_buf *b, int64_t uts)
{
    /* Scrobbles come newest first, many per day: remember the last day's date. */
    static int64_t cached_day = INT64_MIN;
    static char date[48];
    int64_t day = uts >= 0 ? uts / 86400 : -((-uts + 86399) / 86400);
    int64_t sec = uts - day * 86400;
    if (day != cached_day) {
        struct tm tm;
        time_t t = (time_t)(day * 86400);
        if (!gmtime_r(&t, &tm))
            return false;
        snprintf(date, sizeof date, "%04d-%02d-%02dT", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday);
        cached_day = day;
    }
    char buf[32];
    size_t n = strlen(date);
    memcpy(buf, date, n);
    buf[n++] = (char)('0' + sec / 36000);
    buf[n++] = (char)('0' + sec / 3600 % 10);
    buf[n++] = ':';
    buf[n++] = (char)('0' + sec % 3600 / 600);
    buf[n++] = (char)('0' + sec % 3600 / 60 % 10);
    buf[n++] = ':';
    buf[n++] = (char)('0' + sec % 60 / 10);
    buf[n++] = (char)('0' + sec % 10);
    buf[n++] = 'Z';
    return csv_append_raw(b, buf, n);
}

void csv_buf_free(struct csv_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

bool csv_utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq((const unsigned char *)s + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}
