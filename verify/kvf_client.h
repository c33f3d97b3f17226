/* kvf_client.h -- HTTP(S) to a Kubernetes API server, as the kubeconfig
 * says: the server's URL, its CA (or none checked when the kubeconfig says
 * insecure-skip-tls-verify), client certificates from memory, a bearer
 * token or basic auth. libcurl does the HTTP and TLS (one easy handle, so
 * connections are kept alive); bodies come back whole, JSON through jansson.
 * Traffic goes out asynchronously (kvf_client_start: a handle of its own in
 * a multi handle), so a request that waits for its answer -- a pod that
 * never answers holds the API server's proxy for its dial timeout, 30 s --
 * holds up nothing else, as the scenario's clients do not wait either.
 * Every request has a timeout: a cluster that does not answer is an error
 * with words, never a hang.
 * Depends on: kvf_kubeconfig, libcurl, jansson.
 */
#ifndef KVF_CLIENT_H
#define KVF_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "kvf_kubeconfig.h"

#define KVF_MAX_RESPONSE (64 * 1024 * 1024)   /* a body larger than this is an error */

typedef struct kvf_client kvf_client;

typedef struct kvf_response {
    long status;                  /* HTTP status; 0 when nothing came back */
    char *body;                   /* malloc'd, NUL-terminated (may be NULL) */
    size_t len;
    char error[512];              /* a transport error in words, or "" */
} kvf_response;

/* A client for kc (copied: kc may go after this). timeout_ms bounds each
 * request (connecting included). NULL with the reason in why. */
kvf_client *kvf_client_create(const kvf_kubeconfig *kc, long timeout_ms, char *why, size_t n);
void kvf_client_destroy(kvf_client *c);
/* The server's URL ("https://127.0.0.1:6443"). */
const char *kvf_client_server(const kvf_client *c);
/* Requests sent so far, and how many came back with no HTTP answer. */
size_t kvf_client_requests(const kvf_client *c);

/* Sends method path (with its query; "/api/v1/pods?limit=5") with body
 * (may be NULL) of content type ctype, accepting JSON. Returns 0 when an
 * HTTP answer came (any status: see r->status), -1 when none did (the
 * reason in r->error). r is always filled; free it with kvf_response_fini. */
int kvf_client_request(kvf_client *c, const char *method, const char *path, const char *ctype,
                       const char *body, size_t len, kvf_response *r);
void kvf_response_fini(kvf_response *r);
/* The next request (only) carries "Host: host" instead of the server's
 * address. The API server's service proxy passes the request's Host on to
 * the backend, so an ingress controller behind it routes by that host as
 * it would a request from outside. NULL or "": no change. */
void kvf_client_next_host(kvf_client *c, const char *host);

/* The answer to a started request: status (0: no HTTP answer, error says
 * why; -1: never sent or given up, when the client goes first). */
typedef void (*kvf_done_fn)(void *ud, long status, const char *error);

/* Starts method path as kvf_client_request does (the body is copied; the
 * Host of kvf_client_next_host applies) and returns at once; done(ud, ...)
 * is called from kvf_client_pump when the answer has come (or from
 * kvf_client_destroy, with -1). Returns 0, or -1 when it could not start
 * (done is not called). */
int kvf_client_start(kvf_client *c, const char *method, const char *path, const char *ctype,
                     const char *body, size_t len, kvf_done_fn done, void *ud);
/* Completes the started requests whose answers have come, waiting up to
 * wait_ms for one when none has. Returns how many are still in flight. */
size_t kvf_client_pump(kvf_client *c, int wait_ms);
/* The monotonic clock in milliseconds, from an arbitrary start: verify's
 * deadlines and pacing (one clock for the whole of verify/). */
double kvf_now_ms(void);
/* Pumps until every started request has gone out whole (its head and body
 * written: the server has it), at most timeout_ms. false: some had not. */
bool kvf_client_flush(kvf_client *c, int timeout_ms);
/* Pumps until no answer has come for quiet_ms (or none is in flight):
 * what the server has answered by now is in. */
void kvf_client_settle(kvf_client *c, int quiet_ms);

/* GET path as JSON. Returns the parsed object (the caller's reference) when
 * the status is 2xx; else NULL with *status set (0: no answer) and why
 * filled: the transport error, or the Status message the server gave. */
json_t *kvf_client_get_json(kvf_client *c, const char *path, long *status, char *why,
                            size_t n);

/* A connection of its own to the server (TLS and client certificate as
 * for requests) for the caller to speak over after an HTTP upgrade: a
 * libcurl CONNECT_ONLY handle (a CURL *: curl_easy_send, curl_easy_recv,
 * curl_easy_cleanup), connected; *auth is the "Authorization: ..." header
 * line to send (NULL: none). NULL with the reason in why. (kvf_exec.c) */
void *kvf_client_connect(kvf_client *c, const char **auth, char *why, size_t n);

/* The message of a Status object in body (or the body's start, or the
 * HTTP status) in words, for error lines. */
void kvf_response_why(const kvf_response *r, char *why, size_t n);

#endif
