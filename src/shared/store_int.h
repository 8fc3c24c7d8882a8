/* store_int.h: the store's insides, for the files of the store only
 * (store.c, storesite.c). */
#ifndef LASTFM_STORE_INT_H
#define LASTFM_STORE_INT_H

/* The open data directory. */
struct store {
    char *data_dir; /* as configured, for messages */
    int dir_fd;     /* DATA_DIR */
    int raw_fd;     /* DATA_DIR/raw */
    int interim_fd; /* DATA_DIR/interim */
    int lock_fd;    /* DATA_DIR/.lock, held with flock(LOCK_EX) */
};

/* At open: the site directories a crash left half-built or half-removed. */
void store_site_sweep(struct store *s);

#endif
