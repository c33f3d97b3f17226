/* ksv_http.c -- libmicrohttpd in external-polling mode with epoll: the
 * access handler collects the body (refusing more than KSV_MAX_BODY),
 * checks the token, and answers through ksv_api_handle. A watch answer is a
 * chunked stream whose reader takes the watch's queued events; with nothing
 * queued the connection is suspended until ksv_http_wake. An exec answer
 * is an upgrade (MHD_create_response_for_upgrade): the upgraded socket goes
 * to a WebSocket session (ksv_ws.c) pumped by ksv_http_run. A proxied
 * request in flight (ksv_proxy.c) suspends its connection until
 * ksv_http_wake finds its answer there; the library then calls the access
 * handler again, which sends it. */
#include "ksv_http.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ksv_internal.h"
#include "ksv_tls.h"
#include "ksv_watch.h"
#include "ksv_ws.h"

#define MAX_CONNECTIONS 256
#define CONNECTION_TIMEOUT_S 120

typedef struct conn conn;
typedef struct session session;

/* An upgraded connection: its WebSocket session. */
struct session {
    ksv_ws *ws;
    struct MHD_UpgradeResponseHandle *urh;
    session *next;
};

struct ksv_http {
    struct MHD_Daemon *d;
    ksv_api *api;
    char token[128];
    int port;
    conn *streams;            /* connections with an open stream, or a proxied request */
    session *sessions;        /* upgraded connections (exec) */
    char *cert, *key;         /* PEM, this run's (ksv_tls.c) */
    FILE *log;                /* the library's complaints, or NULL */
};

struct conn {
    ks_strbuf body;
    bool too_large;
    bool started;
    ksv_http *h;
    /* a stream (watch), or a proxied request waiting for its answer */
    ksv_watch *watch;
    ksv_proxied *proxied;
    struct MHD_Connection *mc;
    bool suspended;
    double deadline;          /* monotonic seconds when it ends (0: never) */
    conn *next;
};

static void conn_free(ksv_http *h, conn *c)
{
    conn **p;
    for (p = &h->streams; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    if (c->watch)
        ksv_watch_close(h->api, c->watch);
    ksv_proxy_drop(c->proxied);               /* its client went first */
    ks_strbuf_fini(&c->body);
    free(c);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    ksv_http *h = cls;
    conn *c = *con_cls;
    (void)mc, (void)toe;
    if (c && !c->watch)          /* a stream is freed by its response's free callback */
        conn_free(h, c);
    *con_cls = NULL;
}

static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    ksv_request *rq = cls;
    (void)kind;
    if (rq->nparams < KSV_MAX_PARAMS)
        rq->params[rq->nparams++] = (ksv_param){key, value ? value : ""};
    return MHD_YES;
}

static bool token_ok(const ksv_http *h, const char *auth)
{
    static const char prefix[] = "Bearer ";
    size_t n, i;
    unsigned char diff = 0;
    if (!auth || strncmp(auth, prefix, sizeof prefix - 1) != 0)
        return false;
    auth += sizeof prefix - 1;
    n = strlen(h->token);
    if (strlen(auth) != n)
        return false;
    for (i = 0; i < n; i++)                  /* constant time */
        diff |= (unsigned char)(auth[i] ^ h->token[i]);
    return diff == 0;
}

static enum MHD_Result send_response(struct MHD_Connection *mc, const ksv_response *rs)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        rs->body.len, (void *)ks_strbuf_str(&rs->body), MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ok;
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", rs->content_type);
    MHD_add_response_header(r, "Cache-Control", "no-cache, private");
    if (rs->warning[0]) {
        /* RFC 7234 warn-text is a quoted-string: \" and \\ inside */
        char w[1100];
        size_t k = 0;
        const char *c;
        k += (size_t)snprintf(w, sizeof w, "299 - \"");
        for (c = rs->warning; *c && k + 4 < sizeof w; c++) {
            if (*c == '"' || *c == '\\')
                w[k++] = '\\';
            w[k++] = *c;
        }
        w[k++] = '"';
        w[k] = '\0';
        MHD_add_response_header(r, "Warning", w);
    }
    ok = MHD_queue_response(mc, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    return ok;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- streams ------------------------------------------------------------------------------ */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    conn *c = cls;
    size_t n;
    (void)pos;
    if (!c->watch)
        return MHD_CONTENT_READER_END_OF_STREAM;
    n = ksv_watch_take(c->watch, buf, max);
    if (n)
        return (ssize_t)n;
    if (ksv_watch_ended(c->watch))
        return MHD_CONTENT_READER_END_OF_STREAM;
    MHD_suspend_connection(c->mc);           /* nothing yet: wait for ksv_http_wake */
    c->suspended = true;
    return 0;
}

static void stream_free(void *cls)
{
    conn *c = cls;
    conn_free(c->h, c);
}

static enum MHD_Result start_stream(ksv_http *h, conn *c, struct MHD_Connection *mc,
                                    ksv_response *rs)
{
    struct MHD_Response *r;
    enum MHD_Result ok;
    c->watch = rs->watch;
    rs->watch = NULL;
    c->mc = mc;
    if (ksv_watch_timeout(c->watch))
        c->deadline = now_s() + (double)ksv_watch_timeout(c->watch);
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, stream_read, c,
                                          stream_free);
    if (!r) {
        ksv_watch_close(h->api, c->watch);
        c->watch = NULL;
        return MHD_NO;
    }
    c->next = h->streams;
    h->streams = c;
    MHD_add_response_header(r, "Content-Type", rs->content_type);
    MHD_add_response_header(r, "Cache-Control", "no-cache, private");
    ok = MHD_queue_response(mc, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- upgrades (exec) ------------------------------------------------------------------- */
/* An exec's answer between the 101 and the upgrade: not in the conn, which
 * the library may free first. (Lost when the client goes before the
 * upgrade: a few hundred bytes.) */
typedef struct pending {
    ksv_http *h;
    ksv_upgrade *up;
} pending;

static void on_upgraded(void *cls, struct MHD_Connection *mc, void *con_cls,
                        const char *extra_in, size_t extra_in_size, MHD_socket sock,
                        struct MHD_UpgradeResponseHandle *urh)
{
    pending *pd = cls;
    ksv_http *h = pd->h;
    session *s = calloc(1, sizeof *s);
    ksv_upgrade *up = pd->up;
    (void)mc, (void)con_cls;
    free(pd);
    if (!s || !(s->ws = ksv_ws_start(up, sock, extra_in, extra_in_size, now_s()))) {
        if (!s)
            ksv_upgrade_free(up);
        free(s);
        MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
        return;
    }
    s->urh = urh;
    s->next = h->sessions;
    h->sessions = s;
    ksv_ws_pump(s->ws, now_s());
}

static enum MHD_Result start_upgrade(ksv_http *h, struct MHD_Connection *mc, ksv_response *rs)
{
    struct MHD_Response *r;
    enum MHD_Result ok;
    ksv_upgrade *up = rs->upgrade;
    pending *pd = malloc(sizeof *pd);
    if (!pd)
        return MHD_NO;
    pd->h = h;
    pd->up = up;
    rs->upgrade = NULL;
    if (!(r = MHD_create_response_for_upgrade(on_upgraded, pd))) {
        ksv_upgrade_free(up);
        free(pd);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_UPGRADE, "websocket");
    MHD_add_response_header(r, "Sec-WebSocket-Accept", up->accept);
    MHD_add_response_header(r, "Sec-WebSocket-Protocol", up->protocol);
    ok = MHD_queue_response(mc, MHD_HTTP_SWITCHING_PROTOCOLS, r);
    MHD_destroy_response(r);
    return ok;
}

/* Pumps every session; ends those that are over. */
static void run_sessions(ksv_http *h)
{
    session **p = &h->sessions, *s;
    double now = now_s();
    while ((s = *p) != NULL) {
        if (ksv_ws_pump(s->ws, now)) {
            p = &s->next;
            continue;
        }
        *p = s->next;
        ksv_ws_free(s->ws);
        MHD_upgrade_action(s->urh, MHD_UPGRADE_ACTION_CLOSE);
        free(s);
    }
}

/* ---- proxied requests ---------------------------------------------------------------------- */
/* Holds the connection until the answer is there (ksv_http_wake). */
static enum MHD_Result hold_proxied(ksv_http *h, conn *c, struct MHD_Connection *mc,
                                    ksv_response *rs)
{
    c->proxied = rs->proxied;
    rs->proxied = NULL;
    c->mc = mc;
    c->next = h->streams;
    h->streams = c;
    MHD_suspend_connection(mc);
    c->suspended = true;
    return MHD_YES;
}

/* The answer of a held request, once resumed. */
static enum MHD_Result answer_proxied(conn *c, struct MHD_Connection *mc)
{
    ksv_response rs;
    enum MHD_Result ok;
    ksv_response_init(&rs);
    ksv_proxy_answer(c->proxied, &rs);
    c->proxied = NULL;
    ok = send_response(mc, &rs);
    ksv_response_fini(&rs);
    return ok;
}

/* ---- requests --------------------------------------------------------------------------- */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    ksv_http *h = cls;
    conn *c = *con_cls;
    ksv_request rq;
    ksv_response rs;
    enum MHD_Result ok;
    (void)version;
    if (!c) {
        const char *len = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Content-Length");
        if (!(c = calloc(1, sizeof *c)))
            return MHD_NO;
        c->h = h;
        ks_strbuf_init(&c->body, NULL);
        c->too_large = len && strtoull(len, NULL, 10) > KSV_MAX_BODY;
        *con_cls = c;
        return MHD_YES;
    }
    if (c->proxied)
        return answer_proxied(c, mc);
    if (*upload_size) {
        if (!c->too_large && c->body.len + *upload_size <= KSV_MAX_BODY)
            ks_strbuf_append(&c->body, upload, *upload_size);
        else
            c->too_large = true;
        *upload_size = 0;
        return MHD_YES;
    }
    ksv_response_init(&rs);
    memset(&rq, 0, sizeof rq);
    rq.method = method;
    rq.path = url;
    rq.accept = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Accept");
    rq.content_type = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Content-Type");
    rq.user_agent = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "User-Agent");
    rq.host = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Host");
    rq.upgrade = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Upgrade");
    rq.ws_key = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Sec-WebSocket-Key");
    rq.ws_protocol = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Sec-WebSocket-Protocol");
    MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, add_param, &rq);
    rq.body = ks_strbuf_str(&c->body);
    rq.body_len = c->body.len;
    if (!token_ok(h, MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Authorization"))) {
        ksv_fail(&rs, 401, "Unauthorized", "Unauthorized");
    } else if (c->too_large) {
        /* apiserver: "the request is too large" (RequestEntityTooLarge) */
        ksv_fail(&rs, 413, "RequestEntityTooLarge",
                 "Request entity too large: limit is %d", KSV_MAX_BODY);
    } else if (ks_strbuf_failed(&c->body)) {
        ksv_fail(&rs, 500, "InternalError", "out of memory");
    } else {
        ksv_api_handle(h->api, &rq, &rs);
    }
    if (rs.proxied)
        ok = hold_proxied(h, c, mc, &rs);
    else if (rs.watch)
        ok = start_stream(h, c, mc, &rs);
    else if (rs.upgrade)
        ok = start_upgrade(h, mc, &rs);
    else
        ok = send_response(mc, &rs);
    ksv_response_fini(&rs);
    return ok;
}

/* The library's messages (a client that hung up mid-handshake...) go to the
 * request log, not to the learner's terminal. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    ksv_http *h = cls;
    if (h->log) {
        fputs("libmicrohttpd: ", h->log);
        vfprintf(h->log, fmt, ap);
        fflush(h->log);
    }
}

/* ---- life ---------------------------------------------------------------------------------- */
ksv_http *ksv_http_start(ksv_api *api, const ksv_http_config *cfg, char *err, size_t n)
{
    ksv_http *h = calloc(1, sizeof *h);
    struct sockaddr_in addr;
    const union MHD_DaemonInfo *info;
    const char *a = cfg->address ? cfg->address : "127.0.0.1";
    if (!h) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    h->api = api;
    snprintf(h->token, sizeof h->token, "%s", cfg->token ? cfg->token : "");
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)cfg->port);
    if (inet_pton(AF_INET, a, &addr.sin_addr) != 1) {
        snprintf(err, n, "--address %s is not an IPv4 address (e.g. 127.0.0.1)", a);
        free(h);
        return NULL;
    }
    if (ksv_tls_make(a, &h->cert, &h->key, err, n) != 0) {
        free(h);
        return NULL;
    }
    h->log = cfg->log;
    h->d = MHD_start_daemon(MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG
                                | MHD_USE_TLS | MHD_ALLOW_UPGRADE,
                            0, NULL, NULL, on_request, h,
                            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
                            MHD_OPTION_HTTPS_MEM_KEY, h->key,
                            MHD_OPTION_HTTPS_MEM_CERT, h->cert,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
                            MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, n, "cannot listen on %s:%d (in use? try another --port)", a, cfg->port);
        free(h->cert);
        free(h->key);
        free(h);
        return NULL;
    }
    info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : cfg->port;
    return h;
}

void ksv_http_stop(ksv_http *h)
{
    conn *c;
    session *s;
    if (!h)
        return;
    while ((s = h->sessions) != NULL) {
        h->sessions = s->next;
        ksv_ws_free(s->ws);
        MHD_upgrade_action(s->urh, MHD_UPGRADE_ACTION_CLOSE);
        free(s);
    }
    for (c = h->streams; c; c = c->next) {       /* MHD_stop_daemon needs them resumed */
        if (c->watch)
            ksv_watch_end(c->watch);
        if (c->suspended) {
            c->suspended = false;
            MHD_resume_connection(c->mc);
        }
    }
    MHD_stop_daemon(h->d);
    free(h->cert);
    free(h->key);
    free(h);
}

const char *ksv_http_cert(const ksv_http *h)
{
    return h->cert;
}

int ksv_http_port(const ksv_http *h)
{
    return h->port;
}

int ksv_http_fd(const ksv_http *h)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
    return info ? info->epoll_fd : -1;
}

int ksv_http_timeout_ms(ksv_http *h)
{
    MHD_UNSIGNED_LONG_LONG t;
    int max = h->sessions ? 5 : 1000;    /* a session's socket is not polled: pump it soon */
    if (MHD_get_timeout(h->d, &t) != MHD_YES)
        return h->sessions ? max : -1;
    return t > (MHD_UNSIGNED_LONG_LONG)max ? max : (int)t;
}

void ksv_http_run(ksv_http *h)
{
    conn *c;
    double now = 0;
    for (c = h->streams; c; c = c->next)         /* timeoutSeconds passed: end it */
        if (c->deadline > 0 && c->watch && !ksv_watch_ended(c->watch)
            && (now ? now : (now = now_s())) >= c->deadline)
            ksv_watch_end(c->watch);
    ksv_http_wake(h);
    MHD_run(h->d);
    if (h->sessions) {
        run_sessions(h);
        MHD_run(h->d);                           /* relays what they wrote (TLS) */
    }
}

void ksv_http_wake(ksv_http *h)
{
    conn *c;
    for (c = h->streams; c; c = c->next)
        if (c->suspended && ((c->watch && (ksv_watch_pending(c->watch)
                                           || ksv_watch_ended(c->watch)))
                             || (c->proxied && ksv_proxy_ready(c->proxied)))) {
            c->suspended = false;
            MHD_resume_connection(c->mc);
        }
}
