/* schema.c: the scrobbles table's columns and the INSERT that names them. */
#include "autoconfig.h"

#include "schema_int.h"

const char *const schema_columns[SCHEMA_COLUMNS] = {
    "seq",
    "played_at_utc",
    "track_name",
    "artist_name",
    "album_name",
    "track_mbid",
    "artist_mbid",
    "album_mbid",
    "source_page",
    "source_file",
    "uts",
    "played_at_local",
    "local_date",
    "local_year",
    "local_month",
    "local_hour",
    "local_weekday",
    "tz",
    "artist",
    "session_id",
    "bad_time",
    "duplicate",
    "unknown_artist",
    "burst",
    "excluded",
    "counted",
};

const char schema_insert_sql[] =
    "INSERT INTO scrobbles (seq, played_at_utc, track_name, artist_name, album_name, "
    "track_mbid, artist_mbid, album_mbid, source_page, source_file, uts, played_at_local, "
    "local_date, local_year, local_month, local_hour, local_weekday, tz, artist, session_id, "
    "bad_time, duplicate, unknown_artist, burst, excluded, counted) VALUES (?1, ?2, ?3, ?4, ?5, "
    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
    "?25, ?26)";
