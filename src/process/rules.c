/* rules.c: quality rules and sessions, one pass in time order. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules_int.h"

void rules_init(struct rules_state *st, int64_t built_at, long window)
{
    memset(st, 0, sizeof *st);
    st->built_at = built_at;
    st->window = window;
}

void rules_free(struct rules_state *st)
{
    csv_buf_free(&st->prev_names);
    csv_buf_free(&st->cur_names);
}

/* What a name may be made of and still be blank: Unicode's White_Space,
 * the zero-width characters and the Hangul fillers (which render as
 * nothing), sorted. */
static const uint32_t blanks[] = {
    0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x0020, 0x0085, 0x00a0, 0x115f, 0x1160, 0x1680, 0x180e,
    0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x200b,
    0x200c, 0x200d, 0x2028, 0x2029, 0x202f, 0x205f, 0x2060, 0x3000, 0x3164, 0xfeff, 0xffa0,
};

static bool is_blank(uint32_t c)
{
    for (size_t i = 0; i < sizeof blanks / sizeof *blanks && blanks[i] <= c; i++)
        if (blanks[i] == c)
            return true;
    return false;
}

/* The code point at s (n bytes left): its length, 0 if not well-formed UTF-8. */
static size_t utf8_at(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len = s[0] < 0x80             ? 1
                 : (s[0] & 0xe0) == 0xc0 ? 2
                 : (s[0] & 0xf0) == 0xe0 ? 3
                 : (s[0] & 0xf8) == 0xf0 ? 4
                                         : 0;
    if (len == 0 || len > n)
        return 0;
    uint32_t c = len == 1 ? s[0] : (uint32_t)(s[0] & (0x7f >> len));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    *cp = c;
    return len;
}

bool rules_unknown_artist(const char *name, size_t n)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t i = 0, j = n, len;
    uint32_t c;
    while (i < j && (len = utf8_at(s + i, j - i, &c)) && is_blank(c))
        i += len;
    while (j > i) {
        size_t k = j - 1;
        while (k > i && (s[k] & 0xc0) == 0x80)
            k--;
        if (utf8_at(s + k, j - k, &c) != j - k || !is_blank(c))
            break;
        j = k;
    }
    n = j - i;
    name += i;
    return n == 0 || (n == 9 && strncasecmp(name, "[unknown]", 9) == 0) ||
           (n == 14 && strncasecmp(name, "unknown artist", 14) == 0);
}

/* Track, artist and album, each with its length first: equal buffers mean
 * equal names, whatever bytes the names hold. */
static bool encode(struct csv_buf *b, const struct rules_row *r)
{
    const char *s[] = {r->track, r->artist, r->album};
    size_t n[] = {r->track_len, r->artist_len, r->album_len};
    b->len = 0;
    for (int i = 0; i < 3; i++)
        if (!csv_append_raw(b, (const char *)&n[i], sizeof n[i]) || !csv_append_raw(b, s[i], n[i]))
            return false;
    return true;
}

int rules_next(struct rules_state *st, const struct rules_row *row)
{
    struct csv_buf *names = &st->cur_names;
    int flags = 0;
    if (row->uts < RULES_LASTFM_EPOCH || row->uts > st->built_at)
        flags |= RULE_BAD_TIME;
    if (rules_unknown_artist(row->artist, row->artist_len))
        flags |= RULE_UNKNOWN_ARTIST;
    if (!encode(names, row))
        return -1;
    if (st->have_prev && row->uts - st->prev_uts <= st->window &&
        names->len == st->prev_names.len &&
        memcmp(names->data, st->prev_names.data, names->len) == 0)
        flags |= RULE_DUPLICATE;
    /* This row is the one before the next. */
    struct csv_buf t = st->prev_names;
    st->prev_names = *names;
    *names = t;
    st->have_prev = true;
    st->prev_uts = row->uts;
    return flags;
}

/* Bad times and double scrobbles are not plays: they make no burst. */
static bool plays(unsigned char flags) { return !(flags & (RULE_BAD_TIME | RULE_DUPLICATE)); }

void rules_bursts(const int64_t *uts, const uint32_t *order, unsigned char *flags, size_t n,
                  long limit)
{
    if (limit <= 0)
        return;
    /* [lo, hi) in time order: the rows within RULES_BURST_REACH of row k;
     * `near` counts the plays among them. */
    size_t lo = 0, hi = 0;
    long near = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t i = order[k];
        if (!plays(flags[i]))
            continue;
        for (; hi < n && uts[order[hi]] <= uts[i] + RULES_BURST_REACH; hi++)
            near += plays(flags[order[hi]]);
        for (; uts[order[lo]] < uts[i] - RULES_BURST_REACH; lo++)
            near -= plays(flags[order[lo]]);
        if (near > limit)
            flags[i] |= RULE_BURST;
    }
}

void rules_sessions(const int64_t *uts, const uint32_t *order, const unsigned char *flags, size_t n,
                    int64_t *session)
{
    int64_t id = 0, prev = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t i = order[k];
        session[i] = 0;
        if (flags[i])
            continue;
        if (id == 0 || uts[i] - prev > RULES_SESSION_GAP)
            id++;
        prev = uts[i];
        session[i] = id;
    }
}

static const int64_t *sort_uts;

static int by_time(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (sort_uts[x] != sort_uts[y])
        return sort_uts[x] < sort_uts[y] ? -1 : 1;
    return (x < y) - (x > y); /* later in the CSV is earlier in time */
}

uint32_t *rules_time_order(const int64_t *uts, size_t n)
{
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return NULL;
    bool newest_first = true; /* what the flatten writes: then no sort is needed */
    for (size_t i = 0; i < n; i++) {
        order[i] = (uint32_t)(n - 1 - i);
        if (i > 0 && uts[i] > uts[i - 1])
            newest_first = false;
    }
    if (!newest_first) {
        sort_uts = uts;
        qsort(order, n, sizeof *order, by_time);
        sort_uts = NULL;
    }
    return order;
}
