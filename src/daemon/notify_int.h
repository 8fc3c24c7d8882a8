/* notify_int.h: what systemd hears from the daemon (sd_notify).
 *
 * No-ops when NOTIFY_SOCKET is unset (not under systemd, or Type=simple).
 */
#ifndef LASTFM_NOTIFY_H
#define LASTFM_NOTIFY_H

#include <stdint.h>

void notify_ready(void);
/* RELOADING=1 with MONOTONIC_USEC (systemd >= 253 wants it; older ignore it). */
void notify_reloading(void);
void notify_stopping(void);
void notify_watchdog(void);
/* STATUS= line for systemctl status. */
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The watchdog interval systemd asked for (WATCHDOG_USEC for this process), or 0. */
uint64_t notify_watchdog_usec(void);

#endif
