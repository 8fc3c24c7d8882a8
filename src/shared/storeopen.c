/* storeopen.c: the store opened for a program, and the message if it cannot be. */
#include "autoconfig.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "exitcodes.h"
#include "log.h"
#include "storeopen.h"

int store_open_said(const char *data_dir, bool must_exist, struct store **ret)
{
    struct stat st;
    if (must_exist && stat(data_dir, &st) < 0 && errno == ENOENT) {
        log_err("%s: no such data directory: give the one lastfm-syncd writes (--data-dir, "
                "LASTFM_DATA_DIR), or run lastfm-syncd first",
                data_dir);
        return EXIT_NOINPUT;
    }
    const char *what;
    int r = store_open(data_dir, ret, &what);
    if (r == 0)
        return EXIT_DONE;
    if (r == -EWOULDBLOCK)
        log_err("%s is in use by process %d (a lastfm-syncd or one of its stages; lock "
                "%s/.lock): wait for it or stop it",
                data_dir, store_lock_holder(data_dir), data_dir);
    else if (r == -ENOMEM)
        log_err("out of memory opening data directory %s: free memory and run again", data_dir);
    else
        log_err("cannot open data directory %s (%s): %s: %s", data_dir, what, strerror(-r),
                store_open_hint(r, what));
    return r == -EWOULDBLOCK || r == -ENOMEM ? EXIT_TEMPFAIL : EXIT_IOERR;
}
