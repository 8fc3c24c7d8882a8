/* conffile_int.h: the KEY=VALUE syntax shared by .env and lastfm-syncd.conf, pure.
 *
 *   # comment            blank lines and comments are skipped
 *   export KEY=value     "export " is allowed (shell-compatible .env)
 *   KEY = "a value"      double quotes: \" \\ \n escapes; single quotes: literal
 *   KEY=value # note     unquoted: a " #" starts a comment; trailing blanks dropped
 */
#ifndef LASTFM_CONFFILE_H
#define LASTFM_CONFFILE_H

#include <stddef.h>

/* Called for each KEY=VALUE, with its file name and 1-based line. */
typedef void (*conffile_entry_fn)(void *opaque, const char *file, unsigned line, const char *key,
                                  const char *value);
/* Called for each line that is not valid, with what is wrong and the fix. */
typedef void (*conffile_error_fn)(void *opaque, const char *file, unsigned line, const char *what);

/* Parse `len` bytes of `text` (need not be NUL-terminated; NUL bytes are errors).
 * Returns the number of errors reported. */
unsigned conffile_parse(const char *file, const char *text, size_t len, conffile_entry_fn on_entry,
                        conffile_error_fn on_error, void *opaque);

#endif
