/* report_derive.c: the figures derived from the loaded numbers, pure:
 * streaks and silences, the Eddington number, the months and years filled to
 * continuous axes, each year's coverage (partial, thin) and the change
 * between years, and each year's hour statistics (busiest weekday, peak hour,
 * the circular mean hour). */
#include "autoconfig.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

long report_day_number(const char *date)
{
    int y, m, d;
    if (sscanf(date, "%d-%d-%d", &y, &m, &d) != 3)
        return 0;
    long yy = y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy;
}

static void keep_longest(struct run_of_days *list, int *n, int max, const char *from,
                         const char *to, long days)
{
    int at = *n < max ? (*n)++ : max - 1;
    if (at == max - 1 && *n == max && list[at].days >= days)
        return;
    list[at] = (struct run_of_days){.days = days};
    snprintf(list[at].from, sizeof list[at].from, "%s", from);
    snprintf(list[at].to, sizeof list[at].to, "%s", to);
    for (int i = at; i > 0 && list[i].days > list[i - 1].days; i--) {
        struct run_of_days t = list[i];
        list[i] = list[i - 1];
        list[i - 1] = t;
    }
}

static int by_count_desc(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x < y) - (x > y);
}

static int derive_days(struct report *r)
{
    long start = 0;
    for (long i = 0; i < r->ndays; i++) {
        long dn = report_day_number(r->days[i].date);
        bool ends = i + 1 == r->ndays || report_day_number(r->days[i + 1].date) != dn + 1;
        if (ends) {
            keep_longest(r->streaks, &r->nstreaks, 5, r->days[start].date, r->days[i].date,
                         i - start + 1);
            if (i + 1 < r->ndays)
                keep_longest(r->gaps, &r->ngaps, 5, r->days[i].date, r->days[i + 1].date,
                             report_day_number(r->days[i + 1].date) - dn - 1);
            r->current = (struct run_of_days){.days = i - start + 1};
            snprintf(r->current.from, sizeof r->current.from, "%s", r->days[start].date);
            snprintf(r->current.to, sizeof r->current.to, "%s", r->days[i].date);
            start = i + 1;
        }
    }
    /* The last streak is current if it reaches the build's date (or the day
     * before: the local date may trail UTC's). */
    if (r->ndays && r->built_at_utc && strlen(r->built_at_utc) >= 10) {
        char built[11];
        snprintf(built, sizeof built, "%.10s", r->built_at_utc);
        if (report_day_number(r->current.to) < report_day_number(built) - 1)
            r->current.days = 0;
    }
    long *counts = malloc((size_t)(r->ndays ? r->ndays : 1) * sizeof *counts);
    if (!counts)
        return -ENOMEM;
    for (long i = 0; i < r->ndays; i++)
        counts[i] = r->days[i].n;
    qsort(counts, (size_t)r->ndays, sizeof *counts, by_count_desc);
    long e = 0;
    while (e < r->ndays && counts[e] >= e + 1)
        e++;
    r->eddington = e;
    /* days with at least e + 1 scrobbles, and how many more it needs */
    long have = 0;
    for (long i = 0; i < r->ndays && counts[i] >= e + 1; i++)
        have++;
    r->eddington_next_needs = e + 1 - have;
    free(counts);
    return 0;
}

/* Every month from the first to the last, those without scrobbles at 0, so
 * that the monthly charts have an even time axis. */
static int fill_months(struct report *r)
{
    if (r->nmonths < 2)
        return 0;
    int y0, m0, y1, m1;
    if (sscanf(r->months[0].month, "%d-%d", &y0, &m0) != 2 ||
        sscanf(r->months[r->nmonths - 1].month, "%d-%d", &y1, &m1) != 2)
        return 0;
    long n = (long)(y1 - y0) * 12 + (m1 - m0) + 1;
    if (n <= r->nmonths || n > 12L * 10000)
        return 0;
    struct month_count *all = calloc((size_t)n, sizeof *all);
    if (!all)
        return -ENOMEM;
    long j = 0;
    for (long i = 0; i < n; i++) {
        int y = y0 + (int)((m0 - 1 + i) / 12), m = (int)((m0 - 1 + i) % 12) + 1;
        snprintf(all[i].month, sizeof all[i].month, "%04u-%02u", (unsigned short)(y % 10000),
                 (unsigned char)m);
        if (j < r->nmonths && strcmp(r->months[j].month, all[i].month) == 0)
            all[i] = r->months[j++];
    }
    free(r->months);
    r->months = all;
    r->nmonths = n;
    return 0;
}

/* Every year from the first to the last, those without scrobbles silent. */
static int fill_years(struct report *r)
{
    if (r->nyears < 2)
        return 0;
    int y0 = r->years[0].year, y1 = r->years[r->nyears - 1].year;
    long n = (long)y1 - y0 + 1;
    if (n <= r->nyears || n > 10000)
        return 0;
    struct year_stat *all = calloc((size_t)n, sizeof *all);
    if (!all)
        return -ENOMEM;
    for (long i = 0, j = 0; i < n; i++) {
        if (j < r->nyears && r->years[j].year == y0 + i)
            all[i] = r->years[j++]; /* its names move with it */
        else
            all[i].year = (int)(y0 + i);
    }
    free(r->years);
    r->years = all;
    r->nyears = (int)n;
    return 0;
}

void report_format_day(long dn, char out[11])
{
    /* the inverse of report_day_number() (days from 0000-03-01) */
    long era = (dn >= 0 ? dn : dn - 146096) / 146097;
    long doe = dn - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y % 10000 + 10000) % 10000, (unsigned)m,
             (unsigned)d);
}

/* What part of each year the history covers: the first from its first
 * scrobble, the last to the build's date (the history was read up to then);
 * thin and silent years. */
static void derive_coverage(struct report *r)
{
    long first = r->ndays ? report_day_number(r->days[0].date) : 0;
    long last = r->ndays ? report_day_number(r->days[r->ndays - 1].date) : 0;
    if (r->built_at_utc && strlen(r->built_at_utc) >= 10) {
        char built[11];
        snprintf(built, sizeof built, "%.10s", r->built_at_utc);
        if (report_day_number(built) > last)
            last = report_day_number(built);
    }
    for (int i = 0; i < r->nyears; i++) {
        struct year_stat *y = &r->years[i];
        char jan1[16], dec31[16];
        snprintf(jan1, sizeof jan1, "%04u-01-01", (unsigned)(y->year % 10000));
        snprintf(dec31, sizeof dec31, "%04u-12-31", (unsigned)(y->year % 10000));
        long from = report_day_number(jan1), to = report_day_number(dec31), whole = to - from + 1;
        if (r->ndays && from < first)
            from = first;
        if (r->ndays && to > last)
            to = last;
        y->covered_days = to >= from ? to - from + 1 : 0;
        y->partial = y->covered_days < whole;
        report_format_day(from, y->from);
        report_format_day(to, y->to);
        y->silent = y->scrobbles == 0;
        y->thin = y->active_days < REPORT_THIN_DAYS;
    }
}

void report_year_coverage(char *buf, size_t size, const struct year_stat *y)
{
    if (y->silent)
        snprintf(buf, size, "silent");
    else if (y->thin)
        snprintf(buf, size, "thin: %ld active day%s%s%s%s%s", y->active_days,
                 y->active_days == 1 ? "" : "s", y->partial ? "; partial: " : "",
                 y->partial ? y->from : "", y->partial ? " to " : "", y->partial ? y->to : "");
    else if (y->partial)
        snprintf(buf, size, "partial: %s to %s", y->from, y->to);
    else
        buf[0] = '\0';
}

void report_year_change(char *buf, size_t size, const struct year_stat *before,
                        const struct year_stat *y)
{
    snprintf(buf, size, "\u2013");
    if (!before || before->thin || y->thin || before->scrobbles <= 0 || y->covered_days <= 0 ||
        before->covered_days <= 0)
        return;
    double a = (double)before->scrobbles, b = (double)y->scrobbles;
    if (before->partial || y->partial) {
        a /= (double)before->covered_days;
        b /= (double)y->covered_days;
    }
    if (b >= 10 * a)
        snprintf(buf, size, "\u00d7%.1f", b / a);
    else
        snprintf(buf, size, "%+.1f%%", 100.0 * (b - a) / a);
}

/* Local hour statistics of each year from its punchcard. */
static void derive_hours(struct report *r)
{
    for (int i = 0; i < r->nyears; i++) {
        struct year_stat *y = &r->years[i];
        long by_day[8] = {0}, by_hour[24] = {0};
        for (int d = 0; d < 7; d++)
            for (int hr = 0; hr < 24; hr++) {
                by_day[d + 1] += y->punch[d][hr];
                by_hour[hr] += y->punch[d][hr];
            }
        y->busiest_weekday = 1;
        for (int d = 2; d <= 7; d++)
            if (by_day[d] > by_day[y->busiest_weekday])
                y->busiest_weekday = d;
        y->peak_hour = 0;
        double sx = 0, sy = 0;
        for (int hr = 0; hr < 24; hr++) {
            if (by_hour[hr] > by_hour[y->peak_hour])
                y->peak_hour = hr;
            /* the middle of the hour, on a 24-hour circle */
            double a = (hr + 0.5) * 2 * M_PI / 24;
            sx += (double)by_hour[hr] * cos(a);
            sy += (double)by_hour[hr] * sin(a);
        }
        double m = atan2(sy, sx) * 24 / (2 * M_PI);
        y->mean_hour = m < 0 ? m + 24 : m;
    }
}

/* A return to an artist: after a year of the listener's listening without it,
 * as many active days as the listener has in an average year of the history
 * (at least 1; a history shorter than a year has none). */
static void derive_away(struct report *r)
{
    r->away_days = 365;
    if (r->ndays <= 0)
        return;
    long span =
        report_day_number(r->days[r->ndays - 1].date) - report_day_number(r->days[0].date) + 1;
    if (span >= 365)
        r->away_days = lround((double)r->ndays * 365.2425 / (double)span);
    else
        r->away_days = r->ndays; /* more than any gap inside it */
    if (r->away_days < 1)
        r->away_days = 1;
}

int report_derive(struct report *r)
{
    int rc;
    if ((rc = fill_months(r)) || (rc = fill_years(r)) || (rc = derive_days(r)))
        return rc;
    derive_away(r);
    derive_coverage(r);
    derive_hours(r);
    return 0;
}

struct year_stat *report_year_of(struct report *r, int year)
{
    for (int i = 0; i < r->nyears; i++)
        if (r->years[i].year == year)
            return &r->years[i];
    return NULL;
}
