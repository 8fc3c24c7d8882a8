/* passlist_int.h: the stored passes as a list: read back (a pass whose manifest
 * is unreadable is moved aside), and pruned of passes that say nothing any
 * more.  Logs what it does; the run (sync.c) owns the list. */
#ifndef LASTFM_PASSLIST_H
#define LASTFM_PASSLIST_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "store.h"

/* Read the stored passes again into *passes (malloc'd, sorted by number; the
 * old array is freed).  A pass whose manifest is unreadable is moved aside to
 * raw/pass-NNNNNN.corrupt (logged), and its stretch of time is fetched again
 * (plan.c's holes).  Returns 0 or an exit code, already logged. */
int passlist_reload(struct store *st, struct manifest **passes, size_t *n);

/* Remove complete passes that newer ones cover entirely, and passes read
 * while the clock ran ahead once they are spent (history_pass_spent(), with
 * the server's time `server`, 0 if unknown).  Reloads the list first. */
void passlist_prune(struct store *st, struct manifest **passes, size_t *n, int64_t server);

#endif
