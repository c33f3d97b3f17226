/* ksv_exec.c -- pods/exec (GET or POST .../pods/NAME/exec?command=...&
 * container=...&stdout=true&stderr=true): the checks the API server makes
 * (pkg/registry/core/pod/strategy.go ExecLocation, streamLocation,
 * validateContainer), then the command run by the simulation at a quiet
 * instant as a kubectl step (ks_run_exec: on the trace and kept for
 * --record), and the answer as the kubelet streams it over WebSocket
 * (k8s.io/apimachinery/pkg/util/remotecommand; client-go's
 * transport/websocket): protocol v5.channel.k8s.io or v4.channel.k8s.io,
 * channel 1 stdout, 2 stderr, 3 the exec's Status (a failing command:
 * reason NonZeroExitCode, details.causes [{reason: ExitCode, message: N}],
 * which kubectl turns into its own exit code; kubelet/cri/streaming/
 * remotecommand/exec.go ServeExec).
 *
 * The command runs to completion before the connection is upgraded (its
 * time is not simulated, ks_exec.h): what goes over the socket is its
 * whole output, then the Status, then a close. With stdin=true it waits
 * for its stdin first (ksv_exec_stdin.c).
 * SPDY (kubectl before 1.30) is refused with a Status saying so and
 * what to use instead (Debian has no SPDY library in C; client-go's is
 * Go's spdystream); the framing is ksv_ws.c's. */
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ksv_internal.h"
#include "load/ks_validate.h"
#include "ksv_ws.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"    /* RFC 6455 section 1.3 */
#define MAX_LINE 8192

/* The protocols served, most preferred first (client-go's
   remotecommand.StreamProtocolV5Name, V4Name). */
static const char *const protocols[] = {"v5.channel.k8s.io", "v4.channel.k8s.io"};

/* The first protocol of ours the client offers (Sec-WebSocket-Protocol,
 * comma separated), or NULL. */
static const char *pick_protocol(const char *offered)
{
    size_t i;
    for (i = 0; offered && i < sizeof protocols / sizeof protocols[0]; i++) {
        const char *s = offered, *p = protocols[i];
        size_t n = strlen(p);
        while ((s = strstr(s, p)) != NULL) {
            bool start = s == offered || s[-1] == ',' || s[-1] == ' ';
            bool end = s[n] == '\0' || s[n] == ',' || s[n] == ' ';
            if (start && end)
                return p;
            s += n;
        }
    }
    return NULL;
}

/* Sec-WebSocket-Accept: base64(SHA-1(key + the GUID)). */
static bool accept_key(const char *key, char *out, size_t n)
{
    char buf[200];
    unsigned char sha[20];
    int len = snprintf(buf, sizeof buf, "%s" WS_GUID, key);
    if (len < 0 || (size_t)len >= sizeof buf
        || gnutls_hash_fast(GNUTLS_DIG_SHA1, buf, (size_t)len, sha) != 0
        || n < 4 * ((sizeof sha + 2) / 3) + 1)
        return false;
    ks_base64_encode((const char *)sha, sizeof sha, out, n);
    return true;
}

/* A word of the command line as kubesim's kubectl reads it back: bare when
 * it can be, else in '...' (a ' as '\''). */
void ksv_exec_quote(ks_strbuf *b, const char *w)
{
    const char *s;
    bool bare = *w != '\0';
    for (s = w; *s && bare; s++)
        bare = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
               || strchr("_./:=@%+,-", *s);
    ks_strbuf_putc(b, ' ');
    if (bare) {
        ks_strbuf_puts(b, w);
        return;
    }
    ks_strbuf_putc(b, '\'');
    for (s = w; *s; s++)
        if (*s == '\'')
            ks_strbuf_puts(b, "'\\''");
        else
            ks_strbuf_putc(b, *s);
    ks_strbuf_putc(b, '\'');
}

/* "[a b c]", as Go prints a []string. */
static void names(const ks_pod *p, size_t from, size_t to, char *out, size_t n)
{
    size_t i, k = (size_t)snprintf(out, n, "[");
    for (i = from; i < to && k < n; i++)
        k += (size_t)snprintf(out + k, n - k, "%s%s", i > from ? " " : "",
                              p->containers[i].spec->name);
    if (k < n)
        snprintf(out + k, n - k, "]");
}

/* The container the API server picks (strategy.go validateContainer), or
 * NULL with a BadRequest in rs. */
static const char *container_of(const ks_pod *p, const char *want, ksv_response *rs)
{
    size_t i, every = p->ncontainers + p->ninit;
    char list[600], init[400];
    if (want && *want) {
        for (i = 0; i < every; i++)
            if (strcmp(p->containers[i].spec->name, want) == 0)
                return want;
        ksv_fail(rs, 400, "BadRequest", "container %s is not valid for pod %s", want, p->name);
        return NULL;
    }
    if (p->ncontainers == 1)
        return p->containers[0].spec->name;
    names(p, 0, p->ncontainers, list, sizeof list);
    names(p, p->ncontainers, every, init, sizeof init);
    ksv_fail(rs, 400, "BadRequest", "a container name must be specified for pod %s, choose one "
             "of: %s%s%s", p->name, list, p->ninit ? " or one of the init containers: " : "",
             p->ninit ? init : "");
    return NULL;
}

/* The Status on channel 3 (remotecommand ServeExec). */
char *ksv_exec_status(const ks_exec_result *res)
{
    json_t *st = json_object(), *causes, *cause;
    char msg[300], code[16];
    char *text;
    json_object_set_new(st, "metadata", json_object());
    if (res->outcome == KS_EXEC_RAN && res->code == 0) {
        json_object_set_new(st, "status", json_string("Success"));
    } else if (res->outcome == KS_EXEC_RAN) {
        snprintf(code, sizeof code, "%d", res->code);
        snprintf(msg, sizeof msg, "command terminated with non-zero exit code: command "
                 "terminated with exit code %d", res->code);
        cause = json_pack("{ssss}", "reason", "ExitCode", "message", code);
        causes = json_array();
        json_array_append_new(causes, cause);
        json_object_set_new(st, "status", json_string("Failure"));
        json_object_set_new(st, "message", json_string(msg));
        json_object_set_new(st, "reason", json_string("NonZeroExitCode"));
        json_object_set_new(st, "details", json_pack("{so}", "causes", causes));
    } else {
        json_object_set_new(st, "status", json_string("Failure"));
        json_object_set_new(st, "message", json_string(ks_strbuf_str(&res->err)));
        json_object_set_new(st, "reason", json_string("InternalError"));
        json_object_set_new(st, "code", json_integer(500));
    }
    text = json_dumps(st, JSON_COMPACT);
    json_decref(st);
    return text;
}

/* Refusals before the connection is upgraded; false with the Status in rs. */
static bool upgrade_ok(const ksv_request *rq, const char **proto, ksv_response *rs)
{
    if (rq->upgrade && strncasecmp(rq->upgrade, "SPDY/", 5) == 0) {
        /* kubectl 1.29 has the WebSocket executor behind this variable
           (KEP-4006, alpha); checked with kubectl 1.29.x: exec works */
        ksv_fail(rs, 400, "BadRequest", "kubesim serves exec over WebSocket only (%s, %s), "
                 "not over %s, which this kubectl asked for (kubectl 1.29 and older do): use "
                 "a newer kubectl (1.30 or later, or 1.29 with "
                 "KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true)", protocols[0], protocols[1],
                 rq->upgrade);
        return false;
    }
    if (!rq->upgrade || strcasecmp(rq->upgrade, "websocket") != 0 || !rq->ws_key) {
        ksv_fail(rs, 400, "BadRequest", "Upgrade request required");
        return false;
    }
    if (!(*proto = pick_protocol(rq->ws_protocol))) {
        ksv_fail(rs, 400, "BadRequest", "unable to upgrade: unable to negotiate protocol: "
                 "client supports %s, server supports %s, %s",
                 rq->ws_protocol ? rq->ws_protocol : "none", protocols[0], protocols[1]);
        return false;
    }
    return true;
}

struct to_up {
    ksv_upgrade *up;
    bool tty;
};

static void add_write(void *ud, int stream, const char *s, size_t n)
{
    struct to_up *to = ud;
    ksv_upgrade_add(to->up, to->tty ? 1 : (unsigned char)stream, s, n);
}

void ksv_exec(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs)
{
    const char *argv[KSV_MAX_PARAMS], *proto = NULL, *cname;
    size_t argc = 0, i;
    bool tty = ksv_param_bool(rq, "tty");
    const ks_pod *p;
    ks_id id;
    ks_time at;
    ks_strbuf line;
    ks_exec_result res;
    ksv_upgrade *up;
    char *status;
    for (i = 0; i < rq->nparams && argc < KSV_MAX_PARAMS; i++)
        if (strcmp(rq->params[i].key, "command") == 0)
            argv[argc++] = rq->params[i].value ? rq->params[i].value : "";
    /* the API server's and the kubelet's refusals come first: kubectl
       1.30+ falls back to SPDY after any refused WebSocket upgrade
       (remotecommand.FallbackExecutor), and must get the same words then */
    if (!ksv_param_bool(rq, "stdin") && !ksv_param_bool(rq, "stdout")
        && !(ksv_param_bool(rq, "stderr") && !tty)) {
        ksv_fail(rs, 400, "BadRequest", "you must specify at least 1 of stdin, stdout, stderr");
        return;
    }
    /* the input happens at a quiet instant: what it finds is what a
       replay of the recording finds */
    at = ks_run_quiet_instant(api->run);
    if (!(id = ks_cluster_find(api->sim, KS_KIND_POD, t->ns, t->name))
        || !(p = ks_cluster_pod(api->sim, id))) {
        ksv_not_found(rs, t->r, t->name);
        return;
    }
    if (!(cname = container_of(p, ksv_param_get(rq, "container"), rs)))
        return;
    if (!p->node) {
        ksv_fail(rs, 400, "BadRequest", "pod %s does not have a host assigned", p->name);
        return;
    }
    if (argc == 0) {
        ksv_fail(rs, 400, "BadRequest", "you must specify at least one command for the "
                 "container");
        return;
    }
    for (i = 0; strcmp(p->containers[i].spec->name, cname) != 0; i++)
        ;
    if (p->containers[i].state != KS_CS_RUNNING) {
        /* the kubelet's answer, in plain text: kubectl prints "error:
           unable to upgrade connection: container not found ("c")" */
        rs->status = 404;
        rs->content_type = "text/plain; charset=utf-8";
        ks_strbuf_printf(&rs->body, "container not found (\"%s\")", cname);
        return;
    }
    if (!upgrade_ok(rq, &proto, rs))
        return;
    if (!(up = calloc(1, sizeof *up)) || !accept_key(rq->ws_key, up->accept, sizeof up->accept)) {
        free(up);
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return;
    }
    snprintf(up->protocol, sizeof up->protocol, "%s", proto);
    if (ksv_param_bool(rq, "stdin")) {
        /* the command waits for its stdin (ksv_exec_stdin.c) */
        if (!ksv_exec_stdin_start(api, up, p, cname, argv, argc, tty,
                                  strcmp(proto, protocols[1]) == 0)) {
            ksv_upgrade_free(up);
            ksv_fail(rs, 500, "InternalError", "out of memory");
            return;
        }
        rs->status = 101;
        rs->upgrade = up;
        return;
    }
    ks_strbuf_init(&line, NULL);
    ks_strbuf_printf(&line, "kubectl exec %s -n %s -c %s --", p->name, p->ns, cname);
    for (i = 0; i < argc; i++)
        ksv_exec_quote(&line, argv[i]);
    ksv_step_exec(api, at, ks_strbuf_str(&line), id, cname, argv, argc, NULL, &res);
    ks_strbuf_fini(&line);
    /* each stream's frames in the order the command wrote them; with a
       terminal, stderr is the terminal too (one stream) */
    if (res.outcome == KS_EXEC_RAN) {
        struct to_up to = {up, tty};
        ks_exec_each_write(&res, add_write, &to);
    }
    status = ksv_exec_status(&res);
    ksv_upgrade_add(up, 3, status ? status : "", status ? strlen(status) : 0);
    free(status);
    ks_exec_result_fini(&res);
    rs->status = 101;
    rs->upgrade = up;
}
