/* Time-zone history: the hard places of local time, through the tz database. */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "test.h"
#include "tzhist.h"

/* uts in the history's local time, as ISO 8601 with offset. */
static const char *local(struct tz_history *h, long long uts)
{
    static char buf[40];
    struct tz_local l;
    if (!tz_local(h, uts, &l))
        return "(error)";
    tz_format_iso(&l, buf);
    return buf;
}

static struct tz_history parse(const char *spec)
{
    struct tz_history h;
    char err[256];
    if (!tz_history_parse(spec, &h, err, sizeof err))
        fprintf(stderr, "unexpected error for '%s': %s\n", spec, err);
    return h;
}

static void test_dst(void)
{
    struct tz_history h = parse("Europe/Berlin");
    /* Clocks go back on 2021-10-31: 02:30 local happens twice, an hour apart. */
    CHECK_STR(local(&h, 1635640200), "2021-10-31T02:30:00+02:00");
    CHECK_STR(local(&h, 1635643800), "2021-10-31T02:30:00+01:00");
    /* Clocks go forward on 2021-03-28: 02:00-02:59 never happens. */
    CHECK_STR(local(&h, 1616893199), "2021-03-28T01:59:59+01:00");
    CHECK_STR(local(&h, 1616893200), "2021-03-28T03:00:00+02:00");
    struct tz_local l;
    tz_local(&h, 1616893200, &l);
    CHECK_INT(l.hour, 3);
    CHECK_INT(l.weekday, 7); /* a Sunday */
}

static void test_odd_offsets(void)
{
    struct tz_history h = parse("Asia/Kolkata");
    CHECK_STR(local(&h, 1577836800), "2020-01-01T05:30:00+05:30");
    h = parse("Asia/Kathmandu");
    CHECK_STR(local(&h, 1577836800), "2020-01-01T05:45:00+05:45");
    /* Nepal moved from +05:30 to +05:45 in 1986: the rules of the time apply. */
    CHECK_STR(local(&h, 315532800), "1980-01-01T05:30:00+05:30");
    /* Moscow: +04 all year 2011-2014, +03 since. */
    h = parse("Europe/Moscow");
    CHECK_STR(local(&h, 1341144000), "2012-07-01T16:00:00+04:00");
    CHECK_STR(local(&h, 1435752000), "2015-07-01T15:00:00+03:00");
    /* A weekday that differs from UTC's: Sunday 22:30 UTC is Monday in Tokyo. */
    h = parse("Asia/Tokyo");
    struct tz_local l;
    tz_local(&h, 1717972200, &l);
    CHECK_INT(l.weekday, 1);
    CHECK_INT(l.day, 10);
    h = parse("");
    CHECK_STR(local(&h, 1717972200), "2024-06-09T22:30:00+00:00");
    /* West of UTC, and half an hour off: St. John's, -03:30 in winter. */
    h = parse("America/St_Johns");
    CHECK_STR(local(&h, 1577836800), "2019-12-31T20:30:00-03:30");
    h = parse("Pacific/Marquesas"); /* -09:30 */
    CHECK_STR(local(&h, 1577836800), "2019-12-31T14:30:00-09:30");
}

static void test_move(void)
{
    struct tz_history h = parse("America/New_York, 2016-06-15 Europe/Berlin, "
                                "2021-03-01 Asia/Tokyo");
    CHECK_INT(h.n, 3);
    /* The switch is local midnight of 2016-06-15 in New York (EDT): 04:00 UTC. */
    CHECK_INT(h.era[1].from_uts, 1465963200);
    CHECK_STR(local(&h, 1465963199), "2016-06-14T23:59:59-04:00");
    CHECK_STR(local(&h, 1465963200), "2016-06-15T06:00:00+02:00");
    CHECK_INT(tz_era_at(&h, 1465963199), 0);
    CHECK_INT(tz_era_at(&h, 1465963200), 1);
    /* 2021-03-01 00:00 in Berlin (CET) is 2021-02-28 23:00 UTC. */
    CHECK_INT(h.era[2].from_uts, 1614553200);
    CHECK_STR(local(&h, 1614553200), "2021-03-01T08:00:00+09:00");
    /* Before every date: the first zone. */
    CHECK_STR(local(&h, 0), "1969-12-31T19:00:00-05:00");
    char buf[256];
    tz_history_describe(&h, buf, sizeof buf);
    CHECK_STR(buf, "America/New_York, 2016-06-15 Europe/Berlin, 2021-03-01 Asia/Tokyo");
}

static void test_errors(void)
{
    static const struct {
        const char *spec, *text;
    } bad[] = {
        {"Mars/Olympus_Mons", "Mars/Olympus_Mons"},
        {"../../etc/passwd", "../../etc/passwd"},
        {"Europe/Berlin, 2016-02-30 Asia/Tokyo", "2016-02-30 Asia/Tokyo"},
        {"Europe/Berlin, Asia/Tokyo", "Asia/Tokyo"},
        {"Europe/Berlin, 2020-01-01 Asia/Tokyo, 2019-01-01 UTC", "2019-01-01"},
        {"Europe/Berlin, 2020-01-01 Asia/Tokyo, 2020-01-01 UTC", "2020-01-01"},
        {"2016-06-15 Europe/Berlin", "first zone"},
        {"Europe/Berlin, 2020-01-01 Nowhere/City", "Nowhere/City"},
        {"Europe/Berlin,", "YYYY-MM-DD"},
        {"right/UTC", "leap seconds"},
        {"Europe/Berlin, 2020-01-01 right/Europe/Berlin", "use 'Europe/Berlin'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct tz_history h;
        char err[256] = "";
        bool ok = tz_history_parse(bad[i].spec, &h, err, sizeof err);
        CHECK(!ok);
        if (!strstr(err, bad[i].text))
            fprintf(stderr, "'%s': message '%s' lacks '%s'\n", bad[i].spec, err, bad[i].text);
        CHECK(strstr(err, bad[i].text) != NULL);
    }
}

/* The API's last second in a zone east of UTC would be year 10000 (written
 * "0000-01-01"): given in UTC instead, and said so. */
static void test_year_9999(void)
{
    struct tz_history h = parse("Pacific/Kiritimati");
    CHECK_STR(local(&h, INT64_C(253402300799)), "9999-12-31T23:59:59+00:00");
    struct tz_local l;
    CHECK(tz_local(&h, INT64_C(253402300799), &l));
    CHECK(l.in_utc);
    CHECK_INT(l.year, 9999);
    CHECK_STR(local(&h, INT64_C(253402200000)), "9999-12-31T10:00:00+14:00");
    CHECK(tz_local(&h, INT64_C(253402200000), &l) && !l.in_utc);
}

int main(void)
{
    test_year_9999();
    test_dst();
    test_odd_offsets();
    test_move();
    test_errors();
    TEST_DONE();
}
