/* status.c: the progress bar, the status line's rate, journal fields. */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>

#include "status.h"

void fields_add(struct fields *f, const char *fmt, ...)
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

double rate_window_sample(struct rate_window *w, double now, unsigned requests, double t0)
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
    snprintf(buf, size, "pass %u [%s] page %ld/%ld  %.1f req/s  %u retries", pass, bar, done,
             total, rate, retries);
}
