/* sd_notify messages, captured through a fake NOTIFY_SOCKET. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify_int.h"
#include "test.h"

static int sock = -1;

static const char *next_message(void)
{
    static char buf[1024];
    ssize_t n = recv(sock, buf, sizeof buf - 1, MSG_DONTWAIT);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

int main(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "/tmp/lastfm-notify-%d.sock", (int)getpid());
    unlink(sa.sun_path);
    sock = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof sa) < 0)
        return 99;
    setenv("NOTIFY_SOCKET", sa.sun_path, 1);

    notify_ready();
    CHECK_STR(next_message(), "READY=1");
    notify_status("pass %u: page %ld/%ld, %.1f req/s, %u retries", 12u, 120L, 731L, 4.9, 3u);
    CHECK_STR(next_message(), "STATUS=pass 12: page 120/731, 4.9 req/s, 3 retries");
    notify_reloading();
    const char *m = next_message();
    unsigned long long usec = 0;
    CHECK(sscanf(m, "RELOADING=1\nMONOTONIC_USEC=%llu", &usec) == 1 && usec > 0);
    notify_stopping();
    CHECK_STR(next_message(), "STOPPING=1");
    notify_watchdog();
    CHECK_STR(next_message(), "WATCHDOG=1");

    /* The watchdog interval comes from WATCHDOG_USEC (for this PID, or any). */
    unsetenv("WATCHDOG_USEC");
    CHECK_INT(notify_watchdog_usec(), 0);
    setenv("WATCHDOG_USEC", "20000000", 1);
    CHECK_INT(notify_watchdog_usec(), 20000000);
    setenv("WATCHDOG_PID", "1", 1);
    CHECK_INT(notify_watchdog_usec(), 0); /* meant for another process */

    /* Without NOTIFY_SOCKET every call is a quiet no-op. */
    unsetenv("NOTIFY_SOCKET");
    notify_ready();
    CHECK_STR(next_message(), "");
    unlink(sa.sun_path);
    TEST_DONE();
}
