/* ksv_ws.c -- see ksv_ws.h. wslay's event API (server side: frames from the
 * client are masked, ours are not) over a non-blocking socket. */
#include "ksv_ws.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <fcntl.h>
#include <wslay/wslay.h>

#define CLOSE_WAIT_S 5.0          /* the client's close answer, at most */

struct ksv_ws {
    wslay_event_context_ptr ctx;
    int sock;
    ksv_upgrade *up;
    char *extra;                  /* bytes read before the upgrade, not yet given to wslay */
    size_t extra_len, extra_off;
    bool gone;                    /* the client closed or the socket failed */
    bool closing;                 /* our close is queued */
    bool finished;                /* nothing more to send: close once sent */
    bool client_closed;           /* the reader was told */
    double close_deadline;
};

void ksv_upgrade_add(ksv_upgrade *up, unsigned char ch, const char *data, size_t len)
{
    ks_strbuf *b;
    if (len == 0 && ch != 3)
        return;
    if (up->nmsgs == up->cap) {
        size_t cap = up->cap ? up->cap * 2 : 4;
        ks_strbuf *grown = realloc(up->msgs, cap * sizeof *grown);
        if (!grown)
            return;
        up->msgs = grown;
        up->cap = cap;
    }
    b = &up->msgs[up->nmsgs++];
    ks_strbuf_init(b, NULL);
    ks_strbuf_putc(b, (char)ch);
    ks_strbuf_append(b, data, len);
}

void ksv_upgrade_free(ksv_upgrade *up)
{
    size_t i;
    if (!up)
        return;
    for (i = 0; i < up->nmsgs; i++)
        ks_strbuf_fini(&up->msgs[i]);
    free(up->msgs);
    if (up->reader.free_ud)
        up->reader.free_ud(up->reader.ud);
    free(up);
}

void ksv_ws_send(ksv_ws *w, unsigned char ch, const char *data, size_t len)
{
    uint8_t *buf;
    struct wslay_event_msg m;
    if (w->closing || w->gone || (len == 0 && ch != 3) || !(buf = malloc(len + 1)))
        return;
    buf[0] = ch;
    if (len)
        memcpy(buf + 1, data, len);
    m.opcode = WSLAY_BINARY_FRAME;
    m.msg = buf;
    m.msg_length = len + 1;
    wslay_event_queue_msg(w->ctx, &m);      /* wslay copies it */
    free(buf);
}

void ksv_ws_finish(ksv_ws *w)
{
    w->finished = true;
}

/* The client closed (or went): the reader learns it once, as the end of
 * its input. */
static void tell_closed(ksv_ws *w)
{
    if (w->client_closed || !w->up->reader.on_msg || w->finished)
        return;
    w->client_closed = true;
    w->up->reader.on_msg(w->up->reader.ud, w, NULL, 0);
    w->finished = true;
}

static ssize_t recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags,
                       void *user)
{
    ksv_ws *w = user;
    ssize_t r;
    (void)flags;
    if (w->extra_off < w->extra_len) {
        size_t n = w->extra_len - w->extra_off;
        if (n > len)
            n = len;
        memcpy(buf, w->extra + w->extra_off, n);
        w->extra_off += n;
        return (ssize_t)n;
    }
    do
        r = recv(w->sock, buf, len, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (r <= 0) {
        w->gone = true;
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return r;
}

static ssize_t send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags,
                       void *user)
{
    ksv_ws *w = user;
    ssize_t r;
    (void)flags;
    do
        r = send(w->sock, data, len, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (r < 0) {
        w->gone = true;
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return r;
}

/* The client's data messages go to the reader; without one (the command
 * has run already) they are read and dropped. Control frames are wslay's. */
static void on_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg,
                   void *user)
{
    ksv_ws *w = user;
    (void)ctx;
    if (arg->opcode == WSLAY_CONNECTION_CLOSE) {
        tell_closed(w);
        return;
    }
    if (w->up->reader.on_msg && !w->finished
        && (arg->opcode == WSLAY_BINARY_FRAME || arg->opcode == WSLAY_TEXT_FRAME)
        && arg->msg_length > 0)
        w->up->reader.on_msg(w->up->reader.ud, w, arg->msg, arg->msg_length);
}

ksv_ws *ksv_ws_start(ksv_upgrade *up, int sock, const char *extra_in, size_t extra_len,
                     double now)
{
    struct wslay_event_callbacks cb = {recv_cb, send_cb, NULL, NULL, NULL, NULL, on_msg};
    ksv_ws *w = calloc(1, sizeof *w);
    size_t i;
    int fl;
    if (!w || (extra_len && !(w->extra = malloc(extra_len)))
        || wslay_event_context_server_init(&w->ctx, &cb, w) != 0) {
        if (w)
            free(w->extra);
        free(w);
        ksv_upgrade_free(up);
        return NULL;
    }
    if (extra_len)
        memcpy(w->extra, extra_in, extra_len);
    w->extra_len = extra_len;
    w->sock = sock;
    w->up = up;
    w->finished = !up->reader.on_msg;
    fl = fcntl(sock, F_GETFL, 0);
    if (fl >= 0)
        fcntl(sock, F_SETFL, fl | O_NONBLOCK);
    for (i = 0; i < up->nmsgs; i++) {
        struct wslay_event_msg m = {WSLAY_BINARY_FRAME, (const uint8_t *)up->msgs[i].buf,
                                    up->msgs[i].len};
        wslay_event_queue_msg(w->ctx, &m);
    }
    (void)now;
    return w;
}

bool ksv_ws_pump(ksv_ws *w, double now)
{
    if (!w->gone && wslay_event_want_write(w->ctx) && wslay_event_send(w->ctx) != 0)
        w->gone = true;
    /* wslay sends control frames before data: the close goes once the
       messages are out */
    if (!w->gone && !w->closing && w->finished
        && wslay_event_get_queued_msg_count(w->ctx) == 0) {
        w->closing = true;
        w->close_deadline = now + CLOSE_WAIT_S;
        if (wslay_event_queue_close(w->ctx, WSLAY_CODE_NORMAL_CLOSURE, NULL, 0) != 0
            || wslay_event_send(w->ctx) != 0)
            w->gone = true;
    }
    if (!w->gone && wslay_event_want_read(w->ctx) && wslay_event_recv(w->ctx) != 0)
        w->gone = true;
    /* what a reader queued while reading goes now */
    if (!w->gone && wslay_event_want_write(w->ctx) && wslay_event_send(w->ctx) != 0)
        w->gone = true;
    if (w->gone) {
        tell_closed(w);
        return false;
    }
    if (!wslay_event_want_write(w->ctx) && !wslay_event_want_read(w->ctx))
        return false;
    /* everything sent: the client has a while to answer the close */
    return !w->closing || wslay_event_want_write(w->ctx) || now < w->close_deadline;
}

void ksv_ws_free(ksv_ws *w)
{
    if (!w)
        return;
    wslay_event_context_free(w->ctx);
    ksv_upgrade_free(w->up);
    free(w->extra);
    free(w);
}
