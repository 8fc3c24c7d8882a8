/* namefold.c: names folded for comparison by tables of code points (see
 * namefold.h for what is folded and why). */
#include "autoconfig.h"

#include <stdint.h>
#include <string.h>

#include "namefold.h"

/* U+00C0..U+017F: the base letter (lower case) of each, or a two-letter fold
 * ("ae", "ss", "oe") as a string; 0: keep the character. */
static const char *const latin[0x180 - 0xC0] = {
    /* C0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",
    "e",           "e", "e",  "e",  "i", "i", "i",  "i",
    /* D0 */ "d",  "n", "o",  "o",  "o", "o", "o",  0,
    "o",           "u", "u",  "u",  "u", "y", "th", "ss",
    /* E0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",
    "e",           "e", "e",  "e",  "i", "i", "i",  "i",
    /* F0 */ "d",  "n", "o",  "o",  "o", "o", "o",  0,
    "o",           "u", "u",  "u",  "u", "y", "th", "y",
    /* 100 */ "a", "a", "a",  "a",  "a", "a", "c",  "c",
    "c",           "c", "c",  "c",  "c", "c", "d",  "d",
    /* 110 */ "d", "d", "e",  "e",  "e", "e", "e",  "e",
    "e",           "e", "e",  "e",  "g", "g", "g",  "g",
    /* 120 */ "g", "g", "g",  "g",  "h", "h", "h",  "h",
    "i",           "i", "i",  "i",  "i", "i", "i",  "i",
    /* 130 */ "i", "i", "ij", "ij", "j", "j", "k",  "k",
    "k",           "l", "l",  "l",  "l", "l", "l",  "l",
    /* 140 */ "l", "l", "l",  "n",  "n", "n", "n",  "n",
    "n",           "n", "n",  "n",  "o", "o", "o",  "o",
    /* 150 */ "o", "o", "oe", "oe", "r", "r", "r",  "r",
    "r",           "r", "s",  "s",  "s", "s", "s",  "s",
    /* 160 */ "s", "s", "t",  "t",  "t", "t", "t",  "t",
    "u",           "u", "u",  "u",  "u", "u", "u",  "u",
    /* 170 */ "u", "u", "u",  "u",  "w", "w", "y",  "y",
    "y",           "z", "z",  "z",  "z", "z", "z",  "s",
};

/* Greek U+0386..U+03AB with tonos or dialytika: the plain capital's offset
 * from U+0391, or -1 to keep it. */
static int greek_base(uint32_t c)
{
    switch (c) {
    case 0x386: return 0;  /* Ά -> Α */
    case 0x388: return 4;  /* Έ -> Ε */
    case 0x389: return 6;  /* Ή -> Η */
    case 0x38A: return 8;  /* Ί -> Ι */
    case 0x38C: return 14; /* Ό -> Ο */
    case 0x38E: return 19; /* Ύ -> Υ */
    case 0x38F: return 23; /* Ώ -> Ω */
    case 0x3AA: return 8;  /* Ϊ -> Ι */
    case 0x3AB: return 19; /* Ϋ -> Υ */
    default: return -1;
    }
}

/* Greek lower case with tonos or dialytika (U+03AC..U+03CE): the plain small
 * letter, or 0 to keep it. */
static uint32_t greek_small(uint32_t c)
{
    switch (c) {
    case 0x3AC: return 0x3B1;
    case 0x3AD: return 0x3B5;
    case 0x3AE: return 0x3B7;
    case 0x3AF:
    case 0x3CA:
    case 0x390: return 0x3B9;
    case 0x3CC: return 0x3BF;
    case 0x3CD:
    case 0x3CB:
    case 0x3B0: return 0x3C5;
    case 0x3CE: return 0x3C9;
    case 0x3C2: return 0x3C3; /* final sigma */
    default: return 0;
    }
}

/* The code point at s (n bytes left) and its length, or 0 when it is not a
 * well-formed 2-byte sequence (the only ones folded here). */
static int two_byte(const unsigned char *s, size_t n, uint32_t *ret)
{
    if (n < 2 || (s[0] & 0xE0) != 0xC0 || (s[1] & 0xC0) != 0x80 || s[0] < 0xC2)
        return 0;
    *ret = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    return 2;
}

static size_t put(char *out, size_t at, size_t cap, const char *s, size_t n)
{
    for (size_t i = 0; i < n && at + 1 < cap; i++)
        out[at++] = s[i];
    return at;
}

static size_t put_cp(char *out, size_t at, size_t cap, uint32_t c)
{
    char b[2] = {(char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F))};
    return put(out, at, cap, b, 2);
}

size_t name_fold(const char *s, size_t len, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t at = 0;
    if (!cap)
        return 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        int k = two_byte(p + i, len - i, &c);
        if (!k) { /* ASCII folded, any other byte kept */
            char ch = (char)p[i];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch - 'A' + 'a');
            at = put(out, at, cap, &ch, 1);
            i++;
            continue;
        }
        i += (size_t)k;
        if (c >= 0xC0 && c < 0x180 && latin[c - 0xC0]) {
            at = put(out, at, cap, latin[c - 0xC0], strlen(latin[c - 0xC0]));
        } else if (greek_base(c) >= 0) {
            at = put_cp(out, at, cap, 0x3B1 + (uint32_t)greek_base(c));
        } else if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) {
            at = put_cp(out, at, cap, c + 0x20);
        } else if (greek_small(c)) {
            at = put_cp(out, at, cap, greek_small(c));
        } else if (c >= 0x410 && c <= 0x42F) {
            at = put_cp(out, at, cap, c + 0x20);
        } else if (c >= 0x400 && c <= 0x40F) {
            at = put_cp(out, at, cap, c + 0x50);
        } else {
            at = put(out, at, cap, (const char *)p + i - k, (size_t)k);
        }
    }
    out[at] = '\0';
    return at;
}
