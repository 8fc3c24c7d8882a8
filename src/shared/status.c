/* status.c: the progress bar, the status line's rate, journal fields. */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>

#include "status.h"

void status_fields_add(struct fields *f, const char *fmt, ...)
{
    va_list ap;
    if (f->n >= 8)
        return;
    va_start(ap, fmt);
    vsnprintf(f->buf[f->n], sizeof f->buf[f->n], fmt, ap);
    va_end(ap);
    f->ptr[f->n] = f->buf[f->n];
    f->ptr[++f->n] = NULL;
}

double status_rate_sample(struct rate_window *w, double now, unsigned requests, double t0)
{
    unsigned k = w->taken % STATUS_RATE_SAMPLES;
    w->t[k] = now;
    w->req[k] = requests;
    w->taken++;
    unsigned oldest = w->taken > STATUS_RATE_SAMPLES ? w->taken % STATUS_RATE_SAMPLES : 0;
    double span = now - w->t[oldest];
    if (span >= 2.0)
        return (double)(requests - w->req[oldest]) / span;
    return now > t0 ? requests / (now - t0) : 0.0;
}

void status_bar(char *buf, size_t size, unsigned pass, long done, long total, double rate,
                unsigned retries)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    if (total < 0)
        total = 0;
    int filled = total ? (int)(WIDTH * (done < total ? done : total) / total) : 0;
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    snprintf(buf, size, "pass %u [%s] page %ld/%ld  %.1f req/s  %u retries", pass, bar, done, total,
             rate, retries);
}

/* 146213 -> "146,213" */
static void thousands(long v, char *buf, size_t size)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%ld", v < 0 ? 0 : v), j = 0;
    for (int i = 0; i < n && (size_t)j + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[j++] = ',';
        buf[j++] = tmp[i];
    }
    buf[j] = '\0';
}

static void hhmm(time_t t, char buf[static 16])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(buf, 16, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

void status_idle_line(char *buf, size_t size, long rows, time_t last_sync, time_t next_sync,
                      const char *report, long pages)
{
    char n[32], last[16], next[16], site[48] = "";
    if (pages > 0)
        snprintf(site, sizeof site, " (%ld pages)", pages);
    thousands(rows, n, sizeof n);
    hhmm(next_sync, next);
    hhmm(last_sync, last);
    if (last_sync && rows >= 0 && report)
        snprintf(buf, size, "idle: %s scrobbles, last sync %s UTC, next %s; report site %s%s", n,
                 last, next, report, site);
    else if (last_sync && rows >= 0)
        snprintf(buf, size, "idle: %s scrobbles, last sync %s UTC, next %s", n, last, next);
    else if (last_sync) /* nothing changed since the start: no CSV was written to count */
        snprintf(buf, size, "idle: last sync %s UTC, next %s", last, next);
    else
        snprintf(buf, size, "idle: no complete sync yet, next try %s UTC", next);
}

void status_run_line(char *buf, size_t size, unsigned run, unsigned pass, long done, long total,
                     double rate, unsigned retries)
{
    if (pass == 0)
        snprintf(buf, size, "run %u: planning", run);
    else if (total < 0)
        snprintf(buf, size, "pass %u: page 1, %.1f req/s, %u retries", pass, rate, retries);
    else
        snprintf(buf, size, "pass %u: page %ld/%ld, %.1f req/s, %u retries", pass, done, total,
                 rate, retries);
}
