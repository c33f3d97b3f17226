/* ksv_proxy.c -- the API server's service proxy,
 *   GET|POST|PUT|PATCH|DELETE /api/v1/namespaces/NS/services/NAME[:PORT]/proxy[/PATH]
 * (kubectl get --raw, curl through kubectl proxy): one request injected
 * into the simulation's traffic at the Service (ks_traffic_send_cb), at a
 * quiet instant, as a pod of the cluster would send it. The answer is not
 * waited for here: the request is in flight (rs->proxied; the HTTP layer
 * holds its connection) while simulated time goes on as it would anyway --
 * paced to the wall clock, or, paused, as a client sets the clock -- and
 * its connection is answered once the simulation's reply reaches the API
 * server (ksv_proxy_ready, ksv_proxy_answer). So a proxied request never
 * moves the clock itself: other clients see the cluster at the time they
 * ask, whatever requests are in flight, as on a real cluster.
 * The reply has the simulated response's status code and a body that says
 * who answered. No answer: a connection refused (no ready endpoint, nothing
 * listening) is the API server's 503 "error trying to reach service ...
 * connection refused"; a pod that never answers the SYN (its node is dead,
 * a policy drops it) is the same 503 after the API server's dial timeout,
 * "i/o timeout": 30 s, Go's http.DefaultTransport dialer, which the proxy
 * transport takes (cmd/kube-apiserver/app/server.go CreateProxyTransport ->
 * apimachinery/pkg/util/net/http.go SetOldTransportDefaults). A request
 * still unanswered KSV_PROXY_LIMIT after it was sent, or when the run ends,
 * is a 504. The request is traffic, like a scenario's: it is on the trace,
 * in the statistics, and a pod that serves it may log or fail.
 * A request to the ingress addon's controller Service goes through the
 * controller's routing (the Ingress rules), as nginx would route it: by the
 * request's Host, which the API server's proxy passes on unchanged (a
 * client that wants a rule's host sends it as its Host header), without
 * its port, as nginx's $host. (The proxy handler keeps req.Host unless
 * UseLocationHost, which the service proxy does not set:
 * apimachinery/pkg/util/proxy/upgradeaware.go ServeHTTP,
 * pkg/registry/core/service/proxy.go Connect; docs/kubernetes-behaviour.md.)
 * A request no rule takes is answered by nginx's default backend, 404,
 * from no pod of the cluster's workloads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_internal.h"
#include "net/ks_traffic.h"

#define KSV_PROXY_LIMIT (60 * KS_SEC)
#define KSV_DIAL_TIMEOUT (30 * KS_SEC)   /* net.Dialer{Timeout: 30 * time.Second} */

/* A proxied request in flight. */
struct ksv_proxied {
    ksv_api *api;
    uint64_t id;                      /* the simulation's request */
    ks_time sent;
    bool done;
    int status;                       /* the simulated answer's (0: none) */
    ks_id pod;
    ks_time latency;
    bool ingress;
    const char *method;
    char ns[256], name[256], target[600], host[256], url[1200];
    ksv_proxied *next;
};

static void on_answer(void *ud, uint64_t id, int status, ks_id pod, ks_time latency)
{
    ksv_api *api = ud;
    ksv_proxied *p;
    for (p = api->proxied; p; p = p->next)
        if (p->id == id && !p->done) {
            p->done = true;
            p->status = status;
            p->pod = pod;
            p->latency = latency;
        }
}

static const char *method_name(const char *m)
{
    static const char *const known[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD",
                                        "OPTIONS", NULL};
    size_t i;
    for (i = 0; known[i]; i++)
        if (strcmp(m, known[i]) == 0)
            return known[i];
    return NULL;
}

void ksv_proxy(ksv_api *api, const ksv_request *rq, const char *ns, const char *service,
               const char *path, ksv_response *rs)
{
    static const ksv_resource *svcs;
    char name[256];
    const char *colon = strchr(service, ':'), *method = method_name(rq->method);
    const ks_service *svc;
    ksv_proxied *p;
    ks_scn_target to;
    ks_id id;
    size_t i;
    int port = 0;
    if (!svcs)
        svcs = ksv_resource_find("", "v1", "services");
    api->proxy_requests++;            /* taken in, whatever its answer (GET /kubesim/v1/clock) */
    snprintf(name, sizeof name, "%.*s", colon ? (int)(colon - service) : (int)strlen(service),
             service);
    if (!method) {
        ksv_fail(rs, 405, "MethodNotAllowed", "the service proxy does not send %s", rq->method);
        return;
    }
    if (!(id = ks_cluster_find(api->sim, KS_KIND_SERVICE, ns, name))
        || !(svc = ks_cluster_service(api->sim, id))) {
        ksv_not_found(rs, svcs, name);
        return;
    }
    if (colon && colon[1]) {
        /* PORT: a port's number or its name */
        for (i = 0; i < svc->obj->u.svc.nports; i++) {
            const ks_service_port *sp = &svc->obj->u.svc.ports[i];
            char num[16];
            snprintf(num, sizeof num, "%d", sp->port);
            if (strcmp(num, colon + 1) == 0 || (sp->name && strcmp(sp->name, colon + 1) == 0))
                port = sp->port;
        }
        if (!port) {
            ksv_fail(rs, 503, "ServiceUnavailable", "no endpoints available for service \"%s\"",
                     service);
            return;
        }
    }
    if (!(p = calloc(1, sizeof *p))) {
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return;
    }
    p->api = api;
    p->method = method;
    snprintf(p->ns, sizeof p->ns, "%s", ns);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->target, sizeof p->target, "%s.%s.svc.cluster.local", name, ns);
    memset(&to, 0, sizeof to);
    to.kind = KS_SCN_TO_SERVICE;
    to.name = p->target;
    to.port = port;
    if (strcmp(ns, "ingress-nginx") == 0 && strcmp(name, "ingress-nginx-controller") == 0) {
        const char *h = rq->host ? rq->host : "";
        size_t hl = strcspn(h, ":");
        if (h[0] == '[')                       /* [::1]:6443 */
            hl = strcspn(h, "]") + (h[strcspn(h, "]")] == ']');
        snprintf(p->host, sizeof p->host, "%.*s", (int)hl, h);
        to.kind = KS_SCN_TO_INGRESS;
        to.name = NULL;
        to.port = 0;
        p->ingress = true;
    }
    snprintf(p->url, sizeof p->url, "/%s", path);
    for (i = 0; i < rq->nparams; i++)
        snprintf(p->url + strlen(p->url), sizeof p->url - strlen(p->url), "%c%s=%s",
                 i ? '&' : '?', rq->params[i].key, rq->params[i].value ? rq->params[i].value : "");
    ks_run_quiet_instant(api->run);
    p->sent = ks_now(api->sim);
    if (ks_traffic_send_cb(api->sim, &to, method, p->url, p->host[0] ? p->host : NULL,
                           KSV_DIAL_TIMEOUT, on_answer, api, &p->id)
        != KS_OK) {
        free(p);
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return;
    }
    api->dirty = true;
    p->next = api->proxied;
    api->proxied = p;
    rs->status = 0;                   /* answered later: ksv_proxy_answer */
    rs->proxied = p;
}

bool ksv_proxy_ready(const ksv_proxied *p)
{
    const ksv_api *api = p->api;
    return p->done || ks_sim_status(api->sim) != KS_OK || ks_run_done(api->run)
           || ks_now(api->sim) - p->sent >= KSV_PROXY_LIMIT;
}

void ksv_proxy_drop(ksv_proxied *p)
{
    ksv_proxied **q;
    if (!p)
        return;
    for (q = &p->api->proxied; *q; q = &(*q)->next)
        if (*q == p) {
            *q = p->next;
            break;
        }
    free(p);
}

void ksv_proxy_drop_all(ksv_api *api)
{
    while (api->proxied)
        ksv_proxy_drop(api->proxied);
}

void ksv_proxy_answer(ksv_proxied *p, ksv_response *rs)
{
    const ks_pod *pod = p->done && p->pod ? ks_cluster_pod(p->api->sim, p->pod) : NULL;
    ks_strbuf_clear(&rs->body);
    if (!p->done) {
        ksv_fail(rs, 504, "Timeout", "the simulated request to service %s/%s got no answer "
                 "within %llds of simulated time%s", p->ns, p->name,
                 (long long)(KSV_PROXY_LIMIT / KS_SEC),
                 ks_run_done(p->api->run) ? " (the simulation's run has ended)" : "");
    } else if (p->status <= 0) {
        /* a pod that never answered the SYN, or a refused connection */
        ksv_fail(rs, 503, "ServiceUnavailable", "error trying to reach service: dial tcp "
                 "%s: %s", p->target, p->latency >= KSV_DIAL_TIMEOUT ? "i/o timeout"
                                                                   : "connect: connection refused");
    } else {
        rs->status = p->status;
        rs->content_type = "text/plain; charset=utf-8";
        if (pod)
            ks_strbuf_printf(&rs->body, "%d from pod %s/%s", p->status, pod->ns, pod->name);
        else if (p->ingress)          /* nginx answered itself: no rule matched */
            ks_strbuf_printf(&rs->body, "%d from the ingress controller's default backend "
                             "(no Ingress rule for host \"%s\", path %s)", p->status, p->host,
                             p->url);
        else
            ks_strbuf_printf(&rs->body, "%d from service %s/%s", p->status, p->ns, p->name);
        ks_strbuf_printf(&rs->body, " in %.1f ms of simulated time\n",
                         (double)p->latency / 1000.0);
    }
    if (p->api->cfg.log) {        /* the request's own line said it was held */
        fprintf(p->api->cfg.log, "%s /api/v1/namespaces/%s/services/%s/proxy%s -> %d (%zu "
                "bytes), the proxied answer after %.1f ms of simulated time\n", p->method,
                p->ns, p->name, p->url, rs->status, rs->body.len,
                (double)(ks_now(p->api->sim) - p->sent) / 1000.0);
        fflush(p->api->cfg.log);
    }
    ksv_proxy_drop(p);
}

uint64_t ksv_proxy_answered(const ksv_api *api)
{
    const ksv_proxied *p;
    uint64_t held = 0;
    for (p = api->proxied; p; p = p->next)
        held += !ksv_proxy_ready(p);
    return api->proxy_requests - held;
}
