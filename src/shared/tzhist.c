/* tzhist.c: a history of time zones, through TZ and localtime_r. */
#include "autoconfig.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tzhist.h"

bool tz_zone_exists(const char *zone)
{
    size_t n = strlen(zone);
    if (n == 0 || n >= sizeof((struct tz_era *)0)->zone || zone[0] == '/' || strstr(zone, ".."))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)zone[i]) && !strchr("/_+-", zone[i]))
            return false;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
    int fd = open(path, O_RDONLY | O_CLOEXEC); /* no stdio: nothing to allocate */
    if (fd < 0)
        return false;
    char magic[4];
    bool ok = read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
    close(fd);
    return ok;
}

/* Make `zone` the process's local time zone (cached: once per era change). */
static void use_zone(struct tz_history *h, int era)
{
    if (h->current == era)
        return;
    setenv("TZ", h->era[era].zone, 1);
    tzset();
    h->current = era;
}

static bool parse_date(const char *s, size_t len, int *y, int *m, int *d)
{
    char buf[16];
    int used = 0;
    if (len != 10)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (sscanf(buf, "%4d-%2d-%2d%n", y, m, d, &used) != 3 || used != 10 || buf[4] != '-' ||
        buf[7] != '-' || !isdigit((unsigned char)buf[5]) || !isdigit((unsigned char)buf[8]))
        return false;
    if (*y < 1970 || *y > 9999 || *m < 1 || *m > 12 || *d < 1)
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    return *d <= days[*m - 1] + (*m == 2 && leap);
}

static const char *trim(const char *s, const char *end, const char **ret_end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    *ret_end = end;
    return s;
}

static bool resolve(struct tz_history *h, char *err, size_t errsize);

bool tz_history_parse(const char *spec, struct tz_history *h, char *err, size_t errsize)
{
    memset(h, 0, sizeof *h);
    h->current = -1;
    if (!spec || !*spec)
        spec = "UTC";
    const char *p = spec;
    for (;;) {
        const char *comma = strchr(p, ','), *end;
        const char *item = trim(p, comma ? comma : p + strlen(p), &end);
        size_t len = (size_t)(end - item);
        if (h->n == TZ_MAX_ERAS) {
            snprintf(err, errsize, "more than %d zones", TZ_MAX_ERAS);
            return false;
        }
        struct tz_era *e = &h->era[h->n];
        const char *zone = item;
        if (h->n > 0) {
            /* "YYYY-MM-DD Zone" */
            const char *sp = memchr(item, ' ', len);
            if (!sp || !parse_date(item, (size_t)(sp - item), &e->year, &e->month, &e->day)) {
                snprintf(err, errsize,
                         "'%.*s' is not 'YYYY-MM-DD Zone/Name' (every zone after "
                         "the first starts on a date)",
                         (int)len, item);
                return false;
            }
            zone = trim(sp, end, &end);
        } else if (len >= 10 && isdigit((unsigned char)item[0]) && memchr(item, ' ', len)) {
            snprintf(err, errsize,
                     "'%.*s': the first zone has no date (it applies before every "
                     "date): write 'Zone, YYYY-MM-DD Zone, ...'",
                     (int)len, item);
            return false;
        }
        size_t zlen = (size_t)(end - zone);
        if (zlen == 0 || zlen >= sizeof e->zone) {
            snprintf(err, errsize, "'%.*s' names no zone", (int)len, item);
            return false;
        }
        memcpy(e->zone, zone, zlen);
        e->zone[zlen] = '\0';
        if (strncmp(e->zone, "right/", 6) == 0) {
            snprintf(err, errsize,
                     "'%s' counts leap seconds, which Unix time (and so every "
                     "scrobble's time) does not: local times would be %s off; use '%s'",
                     e->zone, "about 27 s", e->zone + 6);
            return false;
        }
        if (!tz_zone_exists(e->zone)) {
            snprintf(err, errsize,
                     "'%s' is not a time zone of the tz database (e.g. "
                     "Europe/Berlin, America/New_York; see timedatectl list-timezones)",
                     e->zone);
            return false;
        }
        h->n++;
        if (!comma)
            break;
        p = comma + 1;
    }
    /* Each switch at local midnight of its date, in the zone in force before.
     * (The process's own TZ is put back afterwards.) */
    const char *old = getenv("TZ");
    char saved[256] = "";
    bool had_tz = old != NULL;
    if (old)
        snprintf(saved, sizeof saved, "%s", old);
    bool ok = resolve(h, err, errsize);
    if (had_tz)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    h->current = -1;
    return ok;
}

static bool resolve(struct tz_history *h, char *err, size_t errsize)
{
    h->era[0].from_uts = INT64_MIN;
    for (size_t i = 1; i < h->n; i++) {
        struct tz_era *e = &h->era[i];
        use_zone(h, (int)i - 1);
        struct tm tm = {
            .tm_year = e->year - 1900, .tm_mon = e->month - 1, .tm_mday = e->day, .tm_isdst = -1};
        time_t t = mktime(&tm);
        if (t == (time_t)-1 && !(tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31)) {
            snprintf(err, errsize, "%04d-%02d-%02d cannot be represented", e->year, e->month,
                     e->day);
            return false;
        }
        e->from_uts = (int64_t)t;
        if (e->from_uts <= h->era[i - 1].from_uts ||
            (i > 1 &&
             (e->year * 10000 + e->month * 100 + e->day) <=
                 (h->era[i - 1].year * 10000 + h->era[i - 1].month * 100 + h->era[i - 1].day))) {
            snprintf(err, errsize,
                     "%04d-%02d-%02d %s is not after the date before it: list "
                     "the zones in the order you lived in them",
                     e->year, e->month, e->day, e->zone);
            return false;
        }
    }
    return true;
}

void tz_history_describe(const struct tz_history *h, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < h->n && at < size; i++) {
        const struct tz_era *e = &h->era[i];
        int n = i == 0 ? snprintf(buf + at, size - at, "%s", e->zone)
                       : snprintf(buf + at, size - at, ", %04d-%02d-%02d %s", e->year, e->month,
                                  e->day, e->zone);
        if (n < 0)
            break;
        at += (size_t)n;
    }
}

int tz_era_at(const struct tz_history *h, int64_t uts)
{
    int era = 0;
    for (size_t i = 1; i < h->n; i++)
        if (uts >= h->era[i].from_uts)
            era = (int)i;
    return era;
}

bool tz_local(struct tz_history *h, int64_t uts, struct tz_local *ret)
{
    int era = tz_era_at(h, uts);
    use_zone(h, era);
    time_t t = (time_t)uts;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return false;
    ret->in_utc = tm.tm_year + 1900 > 9999;
    if (ret->in_utc && !gmtime_r(&t, &tm))
        return false;
    ret->year = tm.tm_year + 1900;
    ret->month = tm.tm_mon + 1;
    ret->day = tm.tm_mday;
    ret->hour = tm.tm_hour;
    ret->minute = tm.tm_min;
    ret->second = tm.tm_sec;
    ret->weekday = tm.tm_wday == 0 ? 7 : tm.tm_wday;
    ret->utc_offset = tm.tm_gmtoff;
    ret->era = era;
    return true;
}

/* Two digits of v (0..99) at p. */
static char *two(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

void tz_format_iso(const struct tz_local *l, char buf[static 40])
{
    /* Every field is in range (year 1900..9999, offsets under 24 h); written
     * digit by digit: this runs once a row, and printf was a tenth of the
     * processed stage's time.  Same bytes as
     * "%04u-%02u-%02uT%02u:%02u:%02u%c%02u:%02u". */
    long off = l->utc_offset < 0 ? -l->utc_offset : l->utc_offset;
    unsigned y = (unsigned)l->year % 10000u;
    char *p = two(buf, y / 100);
    p = two(p, y % 100);
    *p++ = '-';
    p = two(p, (unsigned)l->month);
    *p++ = '-';
    p = two(p, (unsigned)l->day);
    *p++ = 'T';
    p = two(p, (unsigned)l->hour);
    *p++ = ':';
    p = two(p, (unsigned)l->minute);
    *p++ = ':';
    p = two(p, (unsigned)l->second);
    *p++ = l->utc_offset < 0 ? '-' : '+';
    p = two(p, (unsigned)(off / 3600));
    *p++ = ':';
    p = two(p, (unsigned)(off / 60 % 60));
    *p = '\0';
}
