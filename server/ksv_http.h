/* ksv_http.h -- the API on a socket, with GNU libmicrohttpd: HTTP/1.1
 * parsing, keep-alive and chunked streams are the library's; this module
 * checks the bearer token on every request, limits bodies, turns requests
 * into ksv_request and ksv_response into replies, and streams watches.
 *
 * Single-threaded: the caller's loop polls ksv_http_fd (an epoll fd) and
 * calls ksv_http_run, between advances of the simulation, so requests and
 * the simulation never run at the same time and nothing needs a lock.
 * It speaks HTTPS only, with a certificate made for the run (ksv_tls.h):
 * kubectl sends a bearer token only over TLS.
 * Depends on: ksv_api, libmicrohttpd.
 */
#ifndef KSV_HTTP_H
#define KSV_HTTP_H

#include <stdbool.h>
#include <stdio.h>

#include "ksv_api.h"

typedef struct ksv_http_config {
    const char *address;      /* "127.0.0.1" (the default when NULL) */
    int port;                 /* 0: a free port, chosen by the system */
    const char *token;        /* required as "Authorization: Bearer TOKEN" */
    FILE *log;                /* the HTTP library's messages (NULL: dropped) */
} ksv_http_config;

typedef struct ksv_http ksv_http;

/* Listens; NULL with the reason in err (a port in use, a bad address). */
ksv_http *ksv_http_start(ksv_api *api, const ksv_http_config *cfg, char *err, size_t n);
/* Closes every connection and the socket. NULL is fine. */
void ksv_http_stop(ksv_http *h);

/* The server's certificate (PEM), for the kubeconfig's certificate-authority-data. */
const char *ksv_http_cert(const ksv_http *h);
/* The port it listens on (the chosen one when asked for 0). */
int ksv_http_port(const ksv_http *h);
/* A file descriptor that becomes readable when there is work. */
int ksv_http_fd(const ksv_http *h);
/* Longest wait before ksv_http_run must be called again, in ms (-1: none). */
int ksv_http_timeout_ms(ksv_http *h);
/* Does the work that is ready; never blocks. */
void ksv_http_run(ksv_http *h);
/* Streams have new data (ksv_api_after_advance said so): wake them. */
void ksv_http_wake(ksv_http *h);

#endif
