/* tzhist.h: a listener's history of time zones, and UTC -> local time by it.
 *
 * LASTFM_TIMEZONE is one IANA zone ("Europe/Berlin") or a dated list for a
 * listener who moved: "America/New_York, 2016-06-15 Europe/Berlin, 2021-03-01
 * Asia/Tokyo".  Each dated zone applies from local midnight of its date, in the
 * zone in force before; the first applies before every date.  Conversion goes
 * through the C library and the system's tz database (TZ + localtime_r), so DST
 * and every historical rule change are tzdata's, never a hand-written offset.
 *
 * tz_local() changes the process's TZ: it is for single-threaded stages.
 */
#ifndef LASTFM_TZHIST_H
#define LASTFM_TZHIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TZ_MAX_ERAS 32
/* The longest tz_history_describe() text, NUL included: every era of a full
 * list ("..., YYYY-MM-DD " and a 63-byte zone name). */
#define TZ_DESCRIBE_MAX (TZ_MAX_ERAS * (13 + 63) + 1)

/* One stretch of time in one zone. */
struct tz_era {
    char zone[64];        /* IANA name, e.g. "Europe/Berlin" */
    int year, month, day; /* the date it starts (local), 0 for the first era */
    int64_t from_uts;     /* first UTC second in force (INT64_MIN for the first) */
};

struct tz_history {
    size_t n; /* eras, in time order, at least 1 */
    struct tz_era era[TZ_MAX_ERAS];
    int current; /* the era whose zone TZ holds now, -1: none */
};

/* Parse and resolve a LASTFM_TIMEZONE value.  false with a one-line reason in
 * `err` naming the bad part (unknown zone, bad date, dates out of order).
 * NULL or "" means "UTC". */
bool tz_history_parse(const char *spec, struct tz_history *ret, char *err, size_t errsize);

/* Does the system's tz database have this zone?  ($TZDIR or /usr/share/zoneinfo) */
bool tz_zone_exists(const char *zone);

/* The canonical text of a history: "UTC" or "America/New_York, 2016-06-15
 * Europe/Berlin" (what the outputs say was used). */
void tz_history_describe(const struct tz_history *h, char *buf, size_t size);

/* A UTC instant in local time. */
struct tz_local {
    int year, month, day; /* local calendar date */
    int hour, minute, second;
    int weekday;     /* ISO: 1 = Monday ... 7 = Sunday */
    long utc_offset; /* seconds east of UTC, DST included */
    int era;         /* index of the era in force */
    bool in_utc;     /* the local date would be after year 9999: given in UTC instead */
};

/* Which era is in force at `uts` (pure). */
int tz_era_at(const struct tz_history *h, int64_t uts);

/* Convert; false only if the C library cannot represent the time.  A time
 * whose local date would fall after 9999-12-31 (a zone east of UTC on the
 * API's last second) is given in UTC, with in_utc set: every date written
 * stays YYYY. */
bool tz_local(struct tz_history *h, int64_t uts, struct tz_local *ret);

/* "2024-06-10T22:30:05+02:00" (25 bytes + NUL). */
void tz_format_iso(const struct tz_local *l, char buf[static 40]);

#endif
