/* conffile.c: KEY=VALUE lines (.env and conf file). */
#include "autoconfig.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conffile_int.h"

#define MAX_VALUE 4096
#define MAX_KEY 64

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_key_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
static bool is_key_char(char c) { return is_key_start(c) || (c >= '0' && c <= '9'); }

/* Parse one line [p, end).  Returns NULL when fine, else what is wrong. */
static const char *parse_line(const char *p, const char *end, char *key, char *value)
{
    size_t k = 0, v = 0;
    while (p < end && is_blank(*p))
        p++;
    if (p == end || *p == '#')
        return ""; /* nothing on this line */
    if ((size_t)(end - p) > 7 && memcmp(p, "export", 6) == 0 && is_blank(p[6])) {
        p += 7;
        while (p < end && is_blank(*p))
            p++;
    }
    if (p == end || !is_key_start(*p))
        return "expected KEY=VALUE (a name of letters, digits and '_', then '=')";
    while (p < end && is_key_char(*p)) {
        if (k + 1 >= MAX_KEY)
            return "key name too long";
        key[k++] = *p++;
    }
    key[k] = '\0';
    while (p < end && is_blank(*p))
        p++;
    if (p == end || *p != '=')
        return "expected '=' after the key name";
    p++;
    while (p < end && is_blank(*p))
        p++;
    if (p < end && (*p == '"' || *p == '\'')) {
        char q = *p++;
        bool closed = false;
        while (p < end) {
            char c = *p++;
            if (c == q) {
                closed = true;
                break;
            }
            if (q == '"' && c == '\\' && p < end) {
                char e = *p++;
                c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
            }
            if (v + 1 >= MAX_VALUE)
                return "value too long (over 4096 bytes)";
            value[v++] = c;
        }
        if (!closed)
            return "unterminated quote: close the value with the same quote it opens with";
        while (p < end && is_blank(*p))
            p++;
        if (p < end && *p != '#')
            return "unexpected text after the closing quote: quote the whole value";
    } else {
        const char *start = p;
        while (p < end && !(*p == '#' && (p == start || is_blank(p[-1])))) {
            if (v + 1 >= MAX_VALUE)
                return "value too long (over 4096 bytes)";
            value[v++] = *p++;
        }
        while (v > 0 && is_blank(value[v - 1]))
            v--;
    }
    value[v] = '\0';
    return NULL;
}

unsigned conffile_parse(const char *file, const char *text, size_t len, conffile_entry_fn on_entry,
                        conffile_error_fn on_error, void *opaque)
{
    char key[MAX_KEY], value[MAX_VALUE];
    unsigned errors = 0, line = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *stop = eol ? eol : end;
        const char *content_end = stop;
        line++;
        if (content_end > p && content_end[-1] == '\r')
            content_end--;
        const char *err;
        size_t line_len = content_end > p ? (size_t)(content_end - p) : 0;
        if (line_len && memchr(p, '\0', line_len))
            err = "NUL byte in line: this is not a text file";
        else
            err = parse_line(p, content_end, key, value);
        if (!err)
            on_entry(opaque, file, line, key, value);
        else if (*err) {
            on_error(opaque, file, line, err);
            errors++;
        }
        p = eol ? eol + 1 : end;
    }
    explicit_bzero(value, sizeof value); /* it may have held the API key */
    return errors;
}
