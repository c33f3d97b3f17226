/* kvf_exec.h -- a command run in a pod's container through the API
 * server's pods/exec, as kubectl 1.30+ runs it: an HTTP upgrade to
 * WebSocket with the k8s.io channel protocol (v5.channel.k8s.io, else v4),
 * stdout on channel 1, stderr on 2, the exec's Status on 3 (exit code from
 * a NonZeroExitCode Status's ExitCode cause). Debian 12's libcurl (7.88)
 * is built without its WebSocket API (curl-config --features lists no
 * WebSockets), so libcurl only connects (CONNECT_ONLY: TCP, TLS, client
 * certificates as for every request) and wslay frames the messages over
 * curl_easy_send/curl_easy_recv. No stdin, no terminal.
 * Depends on: kvf_client, libcurl, wslay, jansson.
 */
#ifndef KVF_EXEC_H
#define KVF_EXEC_H

#include <stddef.h>

#include "kvf_client.h"

#define KVF_EXEC_MAX_OUTPUT (1024 * 1024)   /* more of stdout or stderr is dropped */

typedef struct kvf_exec_result {
    int code;                     /* the command's exit status (when it ran) */
    char *out, *err;              /* its stdout and stderr, NUL-terminated (may be NULL) */
    size_t out_len, err_len;
    char error[512];              /* why it did not run, or "" */
} kvf_exec_result;

/* Runs argv[0..argc) in container (NULL: the pod's only one) of pod ns/name.
 * Returns 0 when the command ran (r->code), -1 when it did not (r->error:
 * the server's Status message, or what failed on the way). r is always
 * filled; free it with kvf_exec_result_fini. Bounded by timeout_ms. */
int kvf_exec(kvf_client *c, const char *ns, const char *pod, const char *container,
             const char *const *argv, size_t argc, long timeout_ms, kvf_exec_result *r);
void kvf_exec_result_fini(kvf_exec_result *r);

#endif
