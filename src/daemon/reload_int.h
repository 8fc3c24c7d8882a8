/* reload_int.h: SIGHUP's new configuration, checked against the one in force.
 *
 * The conf file and the .env file are read again.  What a reload cannot change
 * is kept or refused here: the data directory (a restart moves it), and the
 * user and API whose history the data directory holds (identity.h: a restart
 * checks the new ones against the directory's record).
 */
#ifndef LASTFM_RELOAD_H
#define LASTFM_RELOAD_H

#include "config.h"

/* The new configuration (heap; the caller frees it), or NULL when it was
 * refused: the reasons are logged and the one in force stays.  `data_dir` is
 * the store's (a changed LASTFM_DATA_DIR takes a restart: said, not used). */
struct config *reload_config(const struct config_sources *src, const struct config *cur,
                             const char *data_dir);

#endif
