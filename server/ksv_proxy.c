/* ksv_proxy.c -- the API server's service proxy,
 *   GET|POST|PUT|PATCH|DELETE /api/v1/namespaces/NS/services/NAME[:PORT]/proxy[/PATH]
 * (kubectl get --raw, curl through kubectl proxy): one request injected
 * into the simulation's traffic at the Service (ks_traffic_send_cb), at a
 * quiet instant, as a pod of the cluster would send it; the simulation
 * runs until its answer comes back (at most KSV_PROXY_LIMIT of simulated
 * time), and the reply has the simulated response's status code and a
 * body that says who answered. No answer (no ready endpoint, the
 * connection refused) is the API server's 503 "error trying to reach
 * service". The request is traffic, like a scenario's: it is on the trace,
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

static void on_answer(void *ud, uint64_t id, int status, ks_id pod, ks_time latency)
{
    ksv_api *api = ud;
    if (id != api->proxy_id)
        return;                       /* one that timed out earlier */
    api->proxy_done = true;
    api->proxy_status = status;
    api->proxy_pod = pod;
    api->proxy_latency = latency;
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
    char name[256], target[600], url[1200], host[256] = "";
    const char *colon = strchr(service, ':'), *method = method_name(rq->method);
    const ks_service *svc;
    ks_scn_target to;
    ks_id id;
    ks_time deadline;
    size_t i;
    int port = 0;
    if (!svcs)
        svcs = ksv_resource_find("", "v1", "services");
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
    snprintf(target, sizeof target, "%s.%s.svc.cluster.local", name, ns);
    memset(&to, 0, sizeof to);
    to.kind = KS_SCN_TO_SERVICE;
    to.name = target;
    to.port = port;
    if (strcmp(ns, "ingress-nginx") == 0 && strcmp(name, "ingress-nginx-controller") == 0) {
        const char *h = rq->host ? rq->host : "";
        size_t hl = strcspn(h, ":");
        if (h[0] == '[')                       /* [::1]:6443 */
            hl = strcspn(h, "]") + (h[strcspn(h, "]")] == ']');
        snprintf(host, sizeof host, "%.*s", (int)hl, h);
        to.kind = KS_SCN_TO_INGRESS;
        to.name = NULL;
        to.port = 0;
    }
    snprintf(url, sizeof url, "/%s", path);
    for (i = 0; i < rq->nparams; i++)
        snprintf(url + strlen(url), sizeof url - strlen(url), "%c%s=%s", i ? '&' : '?',
                 rq->params[i].key, rq->params[i].value ? rq->params[i].value : "");
    ks_run_quiet_instant(api->run);
    api->proxy_done = false;
    if (ks_traffic_send_cb(api->sim, &to, method, url, host[0] ? host : NULL, on_answer, api,
                           &api->proxy_id)
        != KS_OK) {
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return;
    }
    deadline = ks_now(api->sim) + KSV_PROXY_LIMIT;
    while (!api->proxy_done && ks_sim_status(api->sim) == KS_OK && !ks_run_done(api->run)) {
        ks_time next;
        if (!ks_next_time(api->sim, &next) || next > deadline)
            break;
        ks_run_advance(api->run, next);
    }
    api->dirty = true;
    if (!api->proxy_done) {
        api->proxy_id = 0;
        ksv_fail(rs, 504, "Timeout", "the simulated request to service %s/%s got no answer "
                 "within %llds of simulated time", ns, service,
                 (long long)(KSV_PROXY_LIMIT / KS_SEC));
        return;
    }
    if (api->proxy_status <= 0) {
        ksv_fail(rs, 503, "ServiceUnavailable", "error trying to reach service: dial tcp "
                 "%s: connect: connection refused", target);
        return;
    }
    {
        const ks_pod *p = api->proxy_pod ? ks_cluster_pod(api->sim, api->proxy_pod) : NULL;
        rs->status = api->proxy_status;
        rs->content_type = "text/plain; charset=utf-8";
        ks_strbuf_clear(&rs->body);
        if (p)
            ks_strbuf_printf(&rs->body, "%d from pod %s/%s", api->proxy_status, p->ns, p->name);
        else if (to.kind == KS_SCN_TO_INGRESS)   /* nginx answered itself: no rule matched */
            ks_strbuf_printf(&rs->body, "%d from the ingress controller's default backend "
                             "(no Ingress rule for host \"%s\", path %s)", api->proxy_status,
                             host, url);
        else
            ks_strbuf_printf(&rs->body, "%d from service %s/%s", api->proxy_status, ns, name);
        ks_strbuf_printf(&rs->body, " in %.1f ms of simulated time\n",
                         (double)api->proxy_latency / 1000.0);
    }
}
