/* schema_int.h: the scrobbles table's columns as the processed stage binds them,
 * pure.  The INSERT names every column (never by position alone), and
 * test_schema holds this list to process.sql's CREATE TABLE: a column added,
 * renamed or moved there and not here fails the test, not the data. */
#ifndef LASTFM_SCHEMA_H
#define LASTFM_SCHEMA_H

#include <stddef.h>

/* The parameter number of each column in schema_insert_sql (?1 is seq). */
enum schema_col {
    COL_SEQ = 1,
    COL_PLAYED_AT_UTC, /* COL_PLAYED_AT_UTC + k: the CSV's column k (0..8) */
    COL_TRACK_NAME,
    COL_ARTIST_NAME,
    COL_ALBUM_NAME,
    COL_TRACK_MBID,
    COL_ARTIST_MBID,
    COL_ALBUM_MBID,
    COL_SOURCE_PAGE,
    COL_SOURCE_FILE,
    COL_UTS,
    COL_PLAYED_AT_LOCAL,
    COL_LOCAL_DATE,
    COL_LOCAL_YEAR,
    COL_LOCAL_MONTH,
    COL_LOCAL_HOUR,
    COL_LOCAL_WEEKDAY,
    COL_TZ,
    COL_ARTIST,
    COL_SESSION_ID,
    COL_BAD_TIME,
    COL_DUPLICATE,
    COL_UNKNOWN_ARTIST,
    COL_BURST,
    COL_EXCLUDED,
    COL_COUNTED,
};
#define SCHEMA_COLUMNS COL_COUNTED

/* The column names, schema_columns[COL_x - 1] for COL_x. */
extern const char *const schema_columns[SCHEMA_COLUMNS];

/* "INSERT INTO scrobbles (seq, ...) VALUES (?1, ...)". */
extern const char schema_insert_sql[];

#endif
