/* exitcodes.h: the exit codes every program of lastfm-syncd uses (README,
 * "Exit codes"; sysexits.h's numbers where one fits). */
#ifndef LASTFM_EXITCODES_H
#define LASTFM_EXITCODES_H

enum {
    EXIT_DONE = 0,
    EXIT_NOT_CURRENT = 1, /* lastfm-syncd --status: something is behind or not made yet */
    EXIT_USAGE = 64,      /* bad command line */
    EXIT_DATAERR = 65,    /* a raw page, manifest or the CSV on disk is unreadable */
    EXIT_NOINPUT = 66,    /* a stage's input does not exist yet */
    EXIT_TEMPFAIL = 75,   /* the pass could not complete after its retries */
    EXIT_IOERR = 74,      /* the data directory could not be written */
    EXIT_PRIVATE = 77,    /* the user's history is private (error 17) */
    EXIT_CONFIG = 78,     /* configuration error, invalid key, unknown user */
};

#endif
