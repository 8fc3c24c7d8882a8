/* report_days.c: what a list of active days says, pure: the first and last,
 * the longest run of days and the longest absence (in the listener's active
 * days), each return after a long absence, the busiest day and week (report.h, struct day_runs). */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "report_int.h"

/* Monday = 0 of a day number (1970-01-01, a Thursday, is 3). */
static long weekday0(long dn)
{
    static long epoch = -1;
    if (epoch < 0)
        epoch = report_day_number("1970-01-01");
    long w = (dn - epoch + 3) % 7;
    return w < 0 ? w + 7 : w;
}

static void set_run(struct run_of_days *run, const char *from, const char *to, long days,
                    long calendar)
{
    snprintf(run->from, sizeof run->from, "%s", from);
    snprintf(run->to, sizeof run->to, "%s", to);
    run->days = days;
    run->calendar = calendar;
}

long report_day_at(const struct day_count *all, long nall, const char *date)
{
    long lo = 0, hi = nall;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (strcmp(all[mid].date, date) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void report_day_runs(const struct day_count *days, long n, const struct day_count *all, long nall,
                     long away, struct day_runs *out)
{
    memset(out, 0, sizeof *out);
    if (n <= 0)
        return;
    snprintf(out->first, sizeof out->first, "%s", days[0].date);
    snprintf(out->last, sizeof out->last, "%s", days[n - 1].date);
    out->active_days = n;
    long start = 0, week_start = 0, week_n = 0;
    long prev = report_day_number(days[0].date);
    for (long i = 0; i < n; i++) {
        long dn = i ? report_day_number(days[i].date) : prev;
        if (i && dn != prev + 1) { /* a run ended at i - 1; an absence before i */
            if (i - start > out->longest_run.days)
                set_run(&out->longest_run, days[start].date, days[i - 1].date, i - start, 0);
            long calendar = dn - prev - 1, gap = calendar;
            if (all) { /* the listener's active days strictly between */
                gap = report_day_at(all, nall, days[i].date) -
                      report_day_at(all, nall, days[i - 1].date) - 1;
                gap = gap < 0 ? 0 : gap;
            }
            if (gap > out->longest_gap.days)
                set_run(&out->longest_gap, days[i - 1].date, days[i].date, gap, calendar);
            if (gap >= away && out->nreturns < REPORT_RETURNS)
                set_run(&out->returns[out->nreturns++], days[i - 1].date, days[i].date, gap,
                        calendar);
            start = i;
        }
        if (days[i].n > out->busiest_day.n)
            out->busiest_day = days[i];
        long monday = dn - weekday0(dn);
        if (i == 0 || monday != week_start) {
            week_start = monday;
            week_n = 0;
        }
        week_n += days[i].n;
        if (week_n > out->busiest_week_n) {
            out->busiest_week_n = week_n;
            report_format_day(week_start, out->busiest_week);
        }
        prev = dn;
    }
    if (n - start > out->longest_run.days)
        set_run(&out->longest_run, days[start].date, days[n - 1].date, n - start, 0);
}
