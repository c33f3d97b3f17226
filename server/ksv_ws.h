/* ksv_ws.h -- a WebSocket answer after an HTTP upgrade (pods/exec): the
 * messages the API prepared (ksv_upgrade: each a channel byte and its data,
 * as the k8s.io channel protocols frame them), sent as binary frames by
 * wslay over the upgraded socket, then a close; or, with a reader, what the
 * client sends read and answered until the reader finishes. Framing, masking and the
 * close handshake are wslay's; the socket is non-blocking and pumped from
 * the server's loop (ksv_http_run), never waited on.
 * Depends on: wslay, ks_strbuf. */
#ifndef KSV_WS_H
#define KSV_WS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ks_strbuf.h"

typedef struct ksv_ws ksv_ws;

/* A session that reads what the client sends (an exec with stdin): each
 * message the client sends, its channel byte first (0 stdin, 4 a
 * terminal's size, 255 v5's close of a stream), to on_msg; data NULL when
 * the client closed the connection. on_msg answers with ksv_ws_send and
 * ends the session with ksv_ws_finish. free_ud frees ud with the session. */
typedef struct ksv_ws_reader {
    void *ud;
    void (*on_msg)(void *ud, ksv_ws *w, const unsigned char *data, size_t len);
    void (*free_ud)(void *ud);
} ksv_ws_reader;

/* What the API answers an upgrade with (ksv_response.upgrade). */
typedef struct ksv_upgrade {
    char protocol[32];            /* Sec-WebSocket-Protocol chosen */
    char accept[64];              /* Sec-WebSocket-Accept */
    ks_strbuf *msgs;              /* channel byte + data, in order */
    size_t nmsgs, cap;
    ksv_ws_reader reader;         /* on_msg NULL: send msgs, then close */
} ksv_upgrade;

/* Appends a message on channel ch (data may be empty: nothing is sent then,
 * except on channel 3, the status, which is always sent). Out of memory:
 * the message is left out. */
void ksv_upgrade_add(ksv_upgrade *up, unsigned char ch, const char *data, size_t len);
void ksv_upgrade_free(ksv_upgrade *up);

/* Starts sending up's messages (taken: freed with the session) on sock,
 * after the extra_in bytes the HTTP library already read from the client.
 * NULL when out of memory (up is freed). */
ksv_ws *ksv_ws_start(ksv_upgrade *up, int sock, const char *extra_in, size_t extra_len,
                     double now);
/* Sends and receives what the socket allows now. Returns false when the
 * session is over (everything sent and the close answered, the client gone,
 * or 5 s after the close was sent): then the caller closes the socket and
 * calls ksv_ws_free. */
bool ksv_ws_pump(ksv_ws *w, double now);
void ksv_ws_free(ksv_ws *w);

/* From a reader's on_msg: queues a message on channel ch (nothing when the
 * close has begun); ends the session once what is queued is sent. */
void ksv_ws_send(ksv_ws *w, unsigned char ch, const char *data, size_t len);
void ksv_ws_finish(ksv_ws *w);

#endif
