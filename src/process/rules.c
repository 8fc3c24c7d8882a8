/* rules.c: quality rules and sessions, one pass in time order. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules.h"

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

static bool is_unknown(const char *s, size_t n)
{
    return n == 0 || (n == 9 && strncasecmp(s, "[unknown]", 9) == 0) ||
           (n == 14 && strncasecmp(s, "unknown artist", 14) == 0);
}

/* Track, artist and album, each with its length first: equal buffers mean
 * equal names, whatever bytes the names hold. */
static bool encode(struct csv_buf *b, const struct rules_row *r)
{
    const char *s[] = {r->track, r->artist, r->album};
    size_t n[] = {r->track_len, r->artist_len, r->album_len};
    b->len = 0;
    for (int i = 0; i < 3; i++)
        if (!csv_append_raw(b, (const char *)&n[i], sizeof n[i]) ||
            !csv_append_raw(b, s[i], n[i]))
            return false;
    return true;
}

int rules_next(struct rules_state *st, const struct rules_row *row, int64_t *ret_session)
{
    struct csv_buf *names = &st->cur_names;
    int flags = 0;
    if (row->uts < RULES_LASTFM_EPOCH || row->uts > st->built_at)
        flags |= RULE_BAD_TIME;
    if (is_unknown(row->artist, row->artist_len))
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
    *ret_session = 0;
    if (!flags) {
        if (!st->have_counted || row->uts - st->prev_counted_uts > RULES_SESSION_GAP)
            st->session++;
        st->have_counted = true;
        st->prev_counted_uts = row->uts;
        *ret_session = st->session;
    }
    return flags;
}

static const int64_t *sort_uts;

static int by_time(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (sort_uts[x] != sort_uts[y])
        return sort_uts[x] < sort_uts[y] ? -1 : 1;
    return (x < y) - (x > y);   /* later in the CSV is earlier in time */
}

uint32_t *rules_time_order(const int64_t *uts, size_t n)
{
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return NULL;
    bool newest_first = true;   /* what the flatten writes: then no sort is needed */
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
