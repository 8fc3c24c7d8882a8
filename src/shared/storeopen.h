/* storeopen.h: the store opened for a program, with the one message every
 * program gives when it cannot be (store.h itself never logs). */
#ifndef LASTFM_STOREOPEN_H
#define LASTFM_STOREOPEN_H

#include <stdbool.h>

#include "store.h"

/* store_open(), said: 0, or an exit code after logging why (in use: 75;
 * unsafe or not writable: 74; with `must_exist`, a data directory that is not
 * there: 66, so that a mistyped --data-dir of a stage's program creates
 * nothing). */
int store_open_said(const char *data_dir, bool must_exist, struct store **ret);

#endif
