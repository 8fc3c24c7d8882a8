/* tagstore.c: the artists of the CSV and the stored tags answers. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "csvread.h"
#include "grow.h"
#include "tagstore_int.h"

int tagstore_file(const char *artist, char ret[static 65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(artist, strlen(artist), md, &n, EVP_sha256(), NULL) || n != 32)
        return -ENOMEM;
    for (unsigned i = 0; i < n; i++)
        snprintf(ret + 2 * i, 3, "%02x", md[i]);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void tagstore_free_artists(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* The names gathered, one a non-empty artist_name. */
struct names {
    char **v;
    size_t n, cap;
};

static int add_name(void *opaque, const struct csv_reader *rd)
{
    struct names *l = opaque;
    if (rd->nfields <= STORE_CSV_ARTIST)
        return -EBADMSG;
    const struct csv_field *f = &rd->field[STORE_CSV_ARTIST];
    if (f->len == 0)
        return 0; /* nothing to ask about */
    char *name = strndup(f->ptr, f->len);
    if (!name || grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 0) < 0) {
        free(name);
        return -ENOMEM;
    }
    l->v[l->n++] = name;
    return 0;
}

int tagstore_csv_artists(struct store *s, char ***ret, size_t *ret_n)
{
    *ret = NULL;
    *ret_n = 0;
    struct names l = {0};
    int r = store_interim_each(s, STORE_CSV_NAME, add_name, &l);
    if (r == -ENOENT)
        return 0;
    if (r < 0) {
        tagstore_free_artists(l.v, l.n);
        return r;
    }
    char **v = l.v;
    size_t n = l.n;
    /* Distinct: sorted, equal neighbours dropped. */
    if (n)
        qsort(v, n, sizeof *v, by_name);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && strcmp(v[w - 1], v[i]) == 0)
            free(v[i]);
        else
            v[w++] = v[i];
    }
    *ret = v;
    *ret_n = w;
    return 0;
}

int tagstore_write(struct store *s, struct tag_meta *m, const char *body, size_t len)
{
    int r = tagstore_file(m->artist, m->file);
    if (r < 0)
        return r;
    int fd = store_stage_dir(s, STORE_TAGS_DIR);
    if (fd < 0)
        return fd;
    char name[80];
    snprintf(name, sizeof name, "%s.json", m->file);
    r = store_atomic_write(fd, name, body, len);
    size_t mlen = 0;
    char *meta = r < 0 ? NULL : tagmeta_to_json(m, &mlen);
    if (r == 0 && !meta)
        r = -ENOMEM;
    if (r == 0) {
        snprintf(name, sizeof name, "%s.meta", m->file);
        r = store_atomic_write(fd, name, meta, mlen);
    }
    free(meta);
    close(fd);
    return r;
}
