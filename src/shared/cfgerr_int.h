/* cfgerr_int.h: configuration errors, gathered, then said in the order of the
 * lines they are about.
 *
 * Settings are read from several places and checked key by key; a user fixes
 * a file top to bottom.  So every error is kept with where it points
 * ("FILE:LINE", "FILE", "environment", "command line", ...) and cfgerr_flush()
 * logs them sorted: the files in the order they were read, each by line, then
 * everything else in the order it was found.
 */
#ifndef LASTFM_CFGERR_H
#define LASTFM_CFGERR_H

#include <stdbool.h>
#include <stddef.h>

#define CFGERR_MAX_FILES 4

struct cfgerr {
    size_t rank;        /* index of its file in `files`; nfiles: not a file */
    unsigned long line; /* 1-based line in that file, 0: the file as a whole */
    size_t seq;         /* order found, for the rest */
    char *text;         /* the whole message */
};

struct cfgerr_list {
    const char *files[CFGERR_MAX_FILES]; /* in the order read (must outlive the list) */
    size_t nfiles;
    struct cfgerr *v;
    size_t n, cap;
    bool oom; /* memory ran out: the settings are not all read (exit 75, not 78) */
    /* A settings file that is there could not be read: a required setting
     * then "not set" is a consequence, not a problem of its own (unsaid). */
    bool unread;
};

/* A file about to be read: its errors come before those of files read later. */
void cfgerr_file(struct cfgerr_list *l, const char *path);
/* An error about `origin`; the message is "ORIGIN: TEXT" unless origin is NULL
 * (then TEXT alone, sorted with the rest).  If memory runs out it is logged at
 * once instead, and l->oom set. */
void cfgerr_add(struct cfgerr_list *l, const char *origin, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Memory ran out reading or checking what `origin` names: said as an error,
 * and l->oom set (the caller exits 75, EX_TEMPFAIL: try again). */
void cfgerr_oom(struct cfgerr_list *l, const char *origin);
/* Sort, log each at err (and a count of several, at info), and empty the list. */
void cfgerr_flush(struct cfgerr_list *l);

#endif
