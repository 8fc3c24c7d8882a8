/* http.c: libev <-> curl_multi glue (after curl's evhiperfifo example). */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "grow.h"
#include "http_int.h"

/* One transfer in flight. */
struct transfer {
    struct http *http;
    CURL *easy;
    char *body; /* received bytes, NUL-terminated */
    size_t len, cap;
    bool too_large; /* the write callback refused more */
    http_done_fn done;
    void *opaque;
    char error[CURL_ERROR_SIZE];
    struct transfer *next; /* in http.transfers */
};

/* One socket curl asked us to watch. */
struct sock {
    ev_io io;
    struct http *http;
};

struct http {
    struct ev_loop *loop;
    CURLM *multi;
    ev_timer timer; /* curl's timeout */
    struct http_options opt;
    struct transfer *transfers;
    unsigned in_flight;
};

static void check_done(struct http *h);
static void fail_all(struct http *h, CURLMcode mc);

static size_t on_write(char *data, size_t size, size_t nmemb, void *opaque)
{
    struct transfer *t = opaque;
    size_t n = size * nmemb;
    if (t->len + n > t->http->opt.max_body) {
        t->too_large = true;
        return 0; /* CURLE_WRITE_ERROR ends the transfer */
    }
    /* never more than the cap allows */
    if (grow(&t->body, &t->cap, t->len + n + 1, 1, t->http->opt.max_body + 1) < 0)
        return 0;
    memcpy(t->body + t->len, data, n);
    t->len += n;
    t->body[t->len] = '\0';
    return n;
}

static void on_io(struct ev_loop *loop, ev_io *w, int revents)
{
    struct sock *s = (struct sock *)w;
    struct http *h = s->http; /* curl may free `s` (CURL_POLL_REMOVE) in the call */
    int action =
        (revents & EV_READ ? CURL_CSELECT_IN : 0) | (revents & EV_WRITE ? CURL_CSELECT_OUT : 0);
    int running;
    CURLMcode mc = curl_multi_socket_action(h->multi, w->fd, action, &running);
    check_done(h);
    if (mc != CURLM_OK)
        fail_all(h, mc);
}

static void on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct http *h = w->data;
    int running;
    CURLMcode mc = curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(h);
    if (mc != CURLM_OK)
        fail_all(h, mc);
}

/* curl: "watch this socket for this" (or stop). */
static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
    struct http *h = userp;
    struct sock *s = sockp;
    if (what == CURL_POLL_REMOVE) {
        if (s) {
            ev_io_stop(h->loop, &s->io);
            free(s);
            /* The socket is going away: nothing to do if curl no longer knows it. */
            (void)curl_multi_assign(h->multi, fd, NULL);
        }
        return 0;
    }
    int events = (what & CURL_POLL_IN ? EV_READ : 0) | (what & CURL_POLL_OUT ? EV_WRITE : 0);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s)
            return -1;
        s->http = h;
        if (curl_multi_assign(h->multi, fd, s) != CURLM_OK) {
            free(s);
            return -1; /* curl fails that transfer */
        }
    } else {
        ev_io_stop(h->loop, &s->io);
    }
    ev_io_init(&s->io, on_io, fd, events);
    ev_io_start(h->loop, &s->io);
    return 0;
}

/* curl: "call me back in timeout_ms" (-1: never). */
static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
    struct http *h = userp;
    ev_timer_stop(h->loop, &h->timer);
    if (timeout_ms >= 0) {
        ev_timer_set(&h->timer, (double)timeout_ms / 1000.0, 0.0);
        ev_timer_start(h->loop, &h->timer);
    }
    return 0;
}

static void unlink_transfer(struct http *h, struct transfer *t)
{
    for (struct transfer **p = &h->transfers; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            break;
        }
    /* Only a bad handle can fail here, and the handle is ours and valid. */
    (void)curl_multi_remove_handle(h->multi, t->easy);
    curl_easy_cleanup(t->easy);
    h->in_flight--;
}

/* The multi handle failed (out of memory, an internal error): every transfer
 * in flight ends as a transport failure, which the caller retries.  Transfers
 * started from the callbacks go on normally. */
static void fail_all(struct http *h, CURLMcode mc)
{
    struct transfer *list = h->transfers;
    h->transfers = NULL;
    while (list) {
        struct transfer *t = list;
        list = t->next;
        (void)curl_multi_remove_handle(h->multi, t->easy);
        curl_easy_cleanup(t->easy);
        h->in_flight--;
        struct http_response r = {
            .transport_ok = false, .error = curl_multi_strerror(mc), .retry_after = -1};
        t->done(t->opaque, &r);
        free(t->body);
        free(t);
    }
}

static void check_done(struct http *h)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(h->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        CURLcode result = msg->data.result; /* copy before remove_handle */
        struct transfer *t = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
        struct http_response r = {0};
        curl_off_t retry_after = -1, total_us = 0;
        r.transport_ok = result == CURLE_OK;
        r.timed_out = result == CURLE_OPERATION_TIMEDOUT;
        r.too_large = t->too_large || result == CURLE_FILESIZE_EXCEEDED;
        r.tls_failed = result == CURLE_PEER_FAILED_VERIFICATION ||
                       result == CURLE_SSL_CONNECT_ERROR || result == CURLE_SSL_CACERT_BADFILE ||
                       result == CURLE_SSL_CERTPROBLEM || result == CURLE_SSL_ISSUER_ERROR;
        r.error = r.too_large   ? "body larger than the size cap"
                  : t->error[0] ? t->error
                  /* what curl 7.88 says of a header line over its 100 KB limit */
                  : result == CURLE_OUT_OF_MEMORY ? "the response was refused by curl: a header "
                                                    "line larger than its 100 KB limit (or curl "
                                                    "ran out of memory)"
                                                  : curl_easy_strerror(result);
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r.status);
        if (curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
            retry_after > 0)
            r.retry_after = (double)retry_after;
        else
            r.retry_after = -1;
        /* The server's clock: no window may end after it (a local clock
         * that runs ahead would otherwise pin windows in the future). */
        struct curl_header *date;
        if (r.transport_ok &&
            curl_easy_header(easy, "Date", 0, CURLH_HEADER, -1, &date) == CURLHE_OK) {
            time_t when = curl_getdate(date->value, NULL);
            r.server_date = when > 0 ? (int64_t)when : 0;
        }
        curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total_us);
        r.elapsed = (double)total_us / 1e6;
        r.body = t->body ? t->body : "";
        r.len = t->len;
        unlink_transfer(h, t);
        t->done(t->opaque, &r);
        free(t->body);
        free(t);
    }
}

int http_new(struct ev_loop *loop, const struct http_options *o, struct http **ret)
{
    struct http *h = calloc(1, sizeof *h);
    if (!h)
        return -ENOMEM;
    h->loop = loop;
    h->opt = *o;
    h->multi = curl_multi_init();
    if (!h->multi) {
        free(h);
        return -ENOMEM;
    }
    ev_init(&h->timer, on_timer);
    h->timer.data = h;
    if (curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket) != CURLM_OK ||
        curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h) != CURLM_OK ||
        curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer) != CURLM_OK ||
        curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h) != CURLM_OK) {
        curl_multi_cleanup(h->multi);
        free(h);
        return -EINVAL;
    }
    *ret = h;
    return 0;
}

int http_get(struct http *h, const char *url, http_done_fn done, void *opaque)
{
    struct transfer *t = calloc(1, sizeof *t);
    if (!t)
        return -ENOMEM;
    t->http = h;
    t->done = done;
    t->opaque = opaque;
    t->easy = curl_easy_init();
    if (!t->easy) {
        free(t);
        return -ENOMEM;
    }
    CURL *e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    /* A declared Content-Length over the cap is refused before any body is
     * read; on_write enforces the cap on the (decoded) bytes either way. */
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->opt.max_body);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->opt.timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->opt.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, h->opt.allow_plain_http ? "http,https" : "https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (h->opt.ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, h->opt.ca_file);
    if (h->opt.user_agent)
        curl_easy_setopt(e, CURLOPT_USERAGENT, h->opt.user_agent);
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
        curl_easy_cleanup(e);
        free(t);
        return -EIO;
    }
    t->next = h->transfers;
    h->transfers = t;
    h->in_flight++;
    return 0;
}

void http_abort_all(struct http *h)
{
    while (h->transfers) {
        struct transfer *t = h->transfers;
        unlink_transfer(h, t);
        free(t->body);
        free(t);
    }
}

unsigned http_in_flight(const struct http *h) { return h->in_flight; }

void http_free(struct http *h)
{
    if (!h)
        return;
    http_abort_all(h);
    ev_timer_stop(h->loop, &h->timer);
    curl_multi_cleanup(h->multi);
    free(h);
}
