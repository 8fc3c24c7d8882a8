/* tagplan.c: which artists a tag run asks about (tagplan_int.h). */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tagplan_int.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_stored_name(const void *a, const void *b)
{
    return strcmp((*(const struct tag_meta *const *)a)->artist,
                  (*(const struct tag_meta *const *)b)->artist);
}

static int by_age(const void *a, const void *b)
{
    const struct tag_meta *x = *(const struct tag_meta *const *)a,
                          *y = *(const struct tag_meta *const *)b;
    if (x->fetched_at != y->fetched_at)
        return x->fetched_at < y->fetched_at ? -1 : 1;
    return strcmp(x->artist, y->artist);
}

int tagplan_make(char *const *artists, size_t n, const struct tag_meta *stored, size_t nstored,
                 int64_t now, int64_t refresh_after, size_t max_refresh, struct tag_want **ret,
                 size_t *ret_n)
{
    *ret = NULL;
    *ret_n = 0;
    char **names = malloc((n ? n : 1) * sizeof *names);
    const struct tag_meta **have = malloc((nstored ? nstored : 1) * sizeof *have);
    const struct tag_meta **stale = malloc((nstored ? nstored : 1) * sizeof *stale);
    struct tag_want *want = malloc((n ? n : 1) * sizeof *want);
    if (!names || !have || !stale || !want) {
        free(names), free(have), free(stale), free(want);
        return -ENOMEM;
    }
    if (n) /* (artists may be NULL when there are none) */
        memcpy(names, artists, n * sizeof *names);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < nstored; i++)
        have[i] = &stored[i];
    qsort(have, nstored, sizeof *have, by_stored_name);
    size_t w = 0, nstale = 0;
    for (size_t i = 0; i < n; i++) {
        struct tag_meta key = {.artist = names[i]}, *kp = &key;
        const struct tag_meta **hit = bsearch(&kp, have, nstored, sizeof *have, by_stored_name);
        if (!hit)
            want[w++] = (struct tag_want){.artist = names[i]};
        else if (refresh_after > 0 && now - (*hit)->fetched_at > refresh_after)
            stale[nstale++] = *hit;
    }
    qsort(stale, nstale, sizeof *stale, by_age);
    for (size_t i = 0; i < nstale && i < max_refresh; i++) {
        /* The caller's copy of the name (equal to the stored one). */
        char **hit = bsearch(&stale[i]->artist, names, n, sizeof *names, by_name);
        want[w++] = (struct tag_want){.artist = *hit, .refresh = true};
    }
    free(names);
    free(have);
    free(stale);
    if (!w) {
        free(want);
        return 0;
    }
    *ret = want;
    *ret_n = w;
    return 0;
}
