/* kvf_exec.c -- see kvf_exec.h. The upgrade request is one GET with the
 * WebSocket headers (RFC 6455 section 4.1); the answer's head is read up to
 * its blank line and only its status code is looked at (101, or an error
 * whose body, a Status or the kubelet's text, says why). */
#define _GNU_SOURCE                       /* strcasestr */
#include "kvf_exec.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <curl/curl.h>
#include <jansson.h>
#include <wslay/wslay.h>

#include "load/ks_validate.h"

#define MAX_HEAD 16384

typedef struct session {
    CURL *h;
    char head[MAX_HEAD];          /* the answer's head, then what came after it */
    size_t head_len, extra_off, extra_len;
    bool closed;                  /* the server hung up */
    bool have_status;
    kvf_exec_result *r;
} session;

/* Waits (at most ms) until the connection can be read (or written). */
static void wait_socket(CURL *h, bool write, int ms)
{
    curl_socket_t fd = CURL_SOCKET_BAD;
    struct pollfd p;
    curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &fd);
    if (fd == CURL_SOCKET_BAD)
        return;
    p.fd = (int)fd;
    p.events = write ? POLLOUT : POLLIN;
    p.revents = 0;
    poll(&p, 1, ms < 0 ? 0 : ms);
}

/* The key's nonce and the frames' masks: the kernel's random bytes
 * (getrandom(2)), as RFC 6455 section 10.3 wants them unpredictable; false
 * when it has none to give. */
static bool random_bytes(unsigned char *b, size_t n)
{
    while (n) {
        ssize_t got = getrandom(b, n, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        b += got;
        n -= (size_t)got;
    }
    return true;
}

static bool send_all(session *s, const char *p, size_t n, double deadline)
{
    while (n) {
        size_t sent = 0;
        CURLcode rc = curl_easy_send(s->h, p, n, &sent);
        if (rc == CURLE_AGAIN) {
            if (kvf_now_ms() > deadline)
                return false;
            wait_socket(s->h, true, 100);
            continue;
        }
        if (rc != CURLE_OK)
            return false;
        p += sent;
        n -= sent;
    }
    return true;
}

/* Reads what the server sends next onto the end of s->head, waiting (until
 * deadline) while nothing has come. Returns 1 when bytes came, 0 when the
 * server hung up or failed (or s->head is full), -1 when time ran out. */
static int recv_more(session *s, double deadline)
{
    while (s->head_len < sizeof s->head - 1) {
        size_t got = 0;
        CURLcode rc = curl_easy_recv(s->h, s->head + s->head_len,
                                     sizeof s->head - 1 - s->head_len, &got);
        if (rc == CURLE_AGAIN) {
            if (kvf_now_ms() > deadline)
                return -1;
            wait_socket(s->h, false, 100);
            continue;
        }
        if (rc != CURLE_OK || got == 0)
            return 0;
        s->head_len += got;
        s->head[s->head_len] = '\0';
        return 1;
    }
    return 0;
}

/* Reads the answer's head (to its blank line); the bytes after it stay in
 * s->head for wslay. Returns the status code, 0 when none came. */
static int read_head(session *s, double deadline)
{
    char *end = NULL;
    int code = 0, got;
    while (!end && (got = recv_more(s, deadline)) != 0) {
        if (got < 0)
            return 0;
        end = strstr(s->head, "\r\n\r\n");
    }
    if (sscanf(s->head, "HTTP/%*s %d", &code) != 1)
        return 0;
    if (end) {
        s->extra_off = (size_t)(end + 4 - s->head);
        s->extra_len = s->head_len;
    }
    return code;
}

/* The refusal's words: a Status's message, else the body's text. */
static void refusal(session *s, int code, double deadline)
{
    char *body = s->extra_off ? s->head + s->extra_off : NULL;
    const char *cl = strcasestr(s->head, "\r\nContent-Length:");
    size_t want = cl && body && cl < body ? strtoul(cl + 17, NULL, 10) : 0;
    json_t *j;
    const char *msg;
    /* the rest of a short body, if the server sent it after the head (its
       Content-Length says how much; without one, a Status to its end) */
    while (body && (want ? strlen(body) < want : !strchr(body, '}') && strncmp(body, "{", 1) == 0)
           && recv_more(s, deadline) > 0)
        ;
    j = body ? json_loads(body, JSON_DISABLE_EOF_CHECK, NULL) : NULL;
    msg = j ? json_string_value(json_object_get(j, "message")) : NULL;
    if (msg)
        snprintf(s->r->error, sizeof s->r->error, "%d: %s", code, msg);
    else
        snprintf(s->r->error, sizeof s->r->error, "%d: %.400s", code,
                 body && *body ? body : "the server refused the upgrade");
    json_decref(j);
}

/* ---- wslay over libcurl ---------------------------------------------------------------- */
static ssize_t recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags,
                       void *user)
{
    session *s = user;
    size_t got = 0;
    CURLcode rc;
    (void)flags;
    if (s->extra_off < s->extra_len) {
        size_t n = s->extra_len - s->extra_off;
        if (n > len)
            n = len;
        memcpy(buf, s->head + s->extra_off, n);
        s->extra_off += n;
        return (ssize_t)n;
    }
    rc = curl_easy_recv(s->h, buf, len, &got);
    if (rc == CURLE_AGAIN) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (rc != CURLE_OK || got == 0) {
        s->closed = true;
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return (ssize_t)got;
}

static ssize_t send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags,
                       void *user)
{
    session *s = user;
    size_t sent = 0;
    CURLcode rc = curl_easy_send(s->h, data, len, &sent);
    (void)flags;
    if (rc == CURLE_AGAIN) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (rc != CURLE_OK) {
        s->closed = true;
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return (ssize_t)sent;
}

static int genmask_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, void *user)
{
    (void)user;
    if (!random_bytes(buf, len)) {
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return 0;
}

static void append(char **p, size_t *len, const uint8_t *data, size_t n)
{
    char *b;
    if (*len + n > KVF_EXEC_MAX_OUTPUT || !(b = realloc(*p, *len + n + 1)))
        return;
    memcpy(b + *len, data, n);
    *len += n;
    b[*len] = '\0';
    *p = b;
}

/* The exec's Status (channel 3): Success, or the exit code of a
 * NonZeroExitCode, or why it failed. */
static void status(session *s, const uint8_t *data, size_t n)
{
    json_t *j = json_loadb((const char *)data, n, 0, NULL), *c;
    const char *st = json_string_value(json_object_get(j, "status"));
    const char *reason = json_string_value(json_object_get(j, "reason"));
    size_t i;
    s->have_status = true;
    if (st && strcmp(st, "Success") == 0) {
        s->r->code = 0;
    } else if (reason && strcmp(reason, "NonZeroExitCode") == 0) {
        json_array_foreach(json_object_get(json_object_get(j, "details"), "causes"), i, c) {
            const char *why = json_string_value(json_object_get(c, "reason"));
            const char *m = json_string_value(json_object_get(c, "message"));
            if (why && m && strcmp(why, "ExitCode") == 0)
                s->r->code = atoi(m);
        }
    } else {
        const char *m = json_string_value(json_object_get(j, "message"));
        snprintf(s->r->error, sizeof s->r->error, "%.500s", m ? m : "the exec failed");
    }
    json_decref(j);
}

static void on_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg,
                   void *user)
{
    session *s = user;
    (void)ctx;
    if (arg->opcode != WSLAY_BINARY_FRAME || arg->msg_length == 0)
        return;
    switch (arg->msg[0]) {
    case 1:
        append(&s->r->out, &s->r->out_len, arg->msg + 1, arg->msg_length - 1);
        break;
    case 2:
        append(&s->r->err, &s->r->err_len, arg->msg + 1, arg->msg_length - 1);
        break;
    case 3:
        status(s, arg->msg + 1, arg->msg_length - 1);
        break;
    default:
        break;
    }
}

static void converse(session *s, double deadline)
{
    struct wslay_event_callbacks cb = {recv_cb, send_cb, genmask_cb, NULL, NULL, NULL, on_msg};
    wslay_event_context_ptr ctx;
    if (wslay_event_context_client_init(&ctx, &cb, s) != 0) {
        snprintf(s->r->error, sizeof s->r->error, "out of memory");
        return;
    }
    while (!s->closed && (wslay_event_want_read(ctx) || wslay_event_want_write(ctx))) {
        if (kvf_now_ms() > deadline) {
            snprintf(s->r->error, sizeof s->r->error, "the exec did not end in time");
            break;
        }
        if (wslay_event_recv(ctx) != 0 || wslay_event_send(ctx) != 0)
            break;
        if (!s->closed && (wslay_event_want_read(ctx) || wslay_event_want_write(ctx)))
            wait_socket(s->h, wslay_event_want_write(ctx), 50);
    }
    wslay_event_context_free(ctx);
    if (!s->have_status && !s->r->error[0])
        snprintf(s->r->error, sizeof s->r->error, "the connection ended without the exec's "
                 "status");
}

/* "host[:port]" of the server's URL. */
static void host_of(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    snprintf(out, n, "%.*s", (int)strcspn(p, "/"), p);
}

int kvf_exec(kvf_client *c, const char *ns, const char *pod, const char *container,
             const char *const *argv, size_t argc, long timeout_ms, kvf_exec_result *r)
{
    session *s = calloc(1, sizeof *s);
    char *req = NULL, host[300], key[32];
    const char *auth = NULL;
    unsigned char nonce[16];
    size_t cap, len, i;
    double deadline = kvf_now_ms() + (double)(timeout_ms > 0 ? timeout_ms : 30000);
    int code, rc = -1;
    memset(r, 0, sizeof *r);
    r->code = -1;
    if (!s) {
        snprintf(r->error, sizeof r->error, "out of memory");
        return -1;
    }
    s->r = r;
    if (!(s->h = kvf_client_connect(c, &auth, r->error, sizeof r->error))) {
        free(s);
        return -1;
    }
    cap = 2048 + strlen(ns) + strlen(pod) + (container ? 3 * strlen(container) : 0)
          + (auth ? strlen(auth) : 0);
    for (i = 0; i < argc; i++)
        cap += 12 + 3 * strlen(argv[i]);
    if (!random_bytes(nonce, sizeof nonce)) {
        snprintf(r->error, sizeof r->error, "no random bytes for the WebSocket key: %s",
                 strerror(errno));
        curl_easy_cleanup(s->h);
        free(s);
        return -1;
    }
    ks_base64_encode((const char *)nonce, sizeof nonce, key, sizeof key);
    host_of(kvf_client_server(c), host, sizeof host);
    if ((req = malloc(cap)) != NULL) {
        len = (size_t)snprintf(req, cap, "GET /api/v1/namespaces/%s/pods/%s/exec?", ns, pod);
        for (i = 0; i < argc; i++) {
            char *e = curl_easy_escape(s->h, argv[i], 0);
            len += (size_t)snprintf(req + len, cap - len, "command=%s&", e ? e : "");
            curl_free(e);
        }
        if (container) {
            char *e = curl_easy_escape(s->h, container, 0);
            len += (size_t)snprintf(req + len, cap - len, "container=%s&", e ? e : "");
            curl_free(e);
        }
        snprintf(req + len, cap - len, "stdout=true&stderr=true HTTP/1.1\r\nHost: %s\r\n"
                 "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                 "Sec-WebSocket-Version: 13\r\n"
                 "Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io\r\n"
                 "User-Agent: kubesim-verify\r\n%s%s\r\n", host, key, auth ? auth : "",
                 auth ? "\r\n" : "");
    }
    if (!req) {
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if (!send_all(s, req, strlen(req), deadline)) {
        snprintf(r->error, sizeof r->error, "sending the exec request failed");
    } else if ((code = read_head(s, deadline)) == 0) {
        snprintf(r->error, sizeof r->error, "no answer to the exec request");
    } else if (code != 101) {
        refusal(s, code, deadline);
    } else {
        converse(s, deadline);
        rc = r->error[0] ? -1 : 0;
    }
    free(req);
    curl_easy_cleanup(s->h);
    free(s);
    return rc;
}

void kvf_exec_result_fini(kvf_exec_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}
