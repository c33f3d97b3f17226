/* ksv_metrics.c -- the resource metrics API, metrics.k8s.io/v1beta1, as the
 * metrics-server addon serves it behind the API server (an APIService):
 *   GET /apis/metrics.k8s.io/v1beta1/nodes[/NAME]                NodeMetrics
 *   GET /apis/metrics.k8s.io/v1beta1/[namespaces/NS/]pods[/NAME] PodMetrics
 * get and list only (labelSelector on lists), from the simulated addon's
 * readings (sim/autoscale/ks_metrics.h): usage cpu in nanocores ("%lldn")
 * and memory in KiB ("%lldKi"), the window between the two readings, the
 * newer one's timestamp -- what `kubectl top` reads
 * (kubernetes-sigs/metrics-server pkg/api/node.go, pod.go). Without the
 * addon the group is not there at all (404, and discovery does not list it:
 * kubectl top says "Metrics API not available"); while its pod is not ready
 * the APIService answers 503, as the aggregator does. A node or pod without
 * a sample yet is left out of a list and 404 alone. */
#include <stdio.h>
#include <string.h>

#include "autoscale/ks_metrics.h"
#include "ksv_internal.h"
#include "ksv_json.h"

#define GV "metrics.k8s.io/v1beta1"

bool ksv_metrics_served(const ksv_api *api)
{
    return ks_metrics_state(api->sim) != KS_METRICS_ABSENT;
}

static json_t *usage(const ks_metrics_sample *s)
{
    char cpu[32], mem[32];
    snprintf(cpu, sizeof cpu, "%lldn", (long long)s->cpu_nano);
    snprintf(mem, sizeof mem, "%lldKi", (long long)(s->memory / 1024));
    return json_pack("{ssss}", "cpu", cpu, "memory", mem);
}

static void sample_fields(const ksv_api *api, json_t *o, const ks_metrics_sample *s)
{
    char w[32];
    ksv_set_time(&api->ctx, o, "timestamp", s->timestamp);
    snprintf(w, sizeof w, "%llds", (long long)(s->window / KS_SEC));
    ksv_set_str(o, "window", w);
}

static json_t *node_metrics(const ksv_api *api, ks_id id)
{
    const ks_node *nd = ks_cluster_node(api->sim, id);
    ks_metrics_sample s;
    json_t *meta, *o;
    if (!nd || !ks_metrics_node(api->sim, id, &s))
        return NULL;
    meta = json_object();
    ksv_set_str(meta, "name", nd->name);
    ksv_set_time(&api->ctx, meta, "creationTimestamp", ks_now(api->sim));
    ksv_set(meta, "labels", ksv_kvs(&nd->labels, true));
    o = ksv_object(GV, "NodeMetrics", meta);
    sample_fields(api, o, &s);
    json_object_set_new(o, "usage", usage(&s));
    return o;
}

static json_t *pod_metrics(const ksv_api *api, ks_id id)
{
    const ks_pod *p = ks_cluster_pod(api->sim, id);
    ks_metrics_sample s;
    json_t *meta, *o, *cs;
    size_t c;
    if (!p || !ks_metrics_pod(api->sim, id, &s))
        return NULL;
    meta = json_object();
    ksv_set_str(meta, "name", p->name);
    ksv_set_str(meta, "namespace", p->ns);
    ksv_set_time(&api->ctx, meta, "creationTimestamp", ks_now(api->sim));
    ksv_set(meta, "labels", ksv_kvs(&p->labels, true));
    o = ksv_object(GV, "PodMetrics", meta);
    sample_fields(api, o, &s);
    cs = json_array();
    for (c = 0; c < p->ncontainers + p->ninit; c++) {          /* sidecars too */
        ks_metrics_sample x;
        if (ks_metrics_container(api->sim, id, c, &x))
            json_array_append_new(cs, json_pack("{ssso}", "name", p->containers[c].spec->name,
                                                "usage", usage(&x)));
    }
    json_object_set_new(o, "containers", cs);
    return o;
}

/* seg: "apis", "metrics.k8s.io", "v1beta1", then nodes[/NAME] or
 * [namespaces/NS/]pods[/NAME]. */
void ksv_metrics(ksv_api *api, const ksv_request *rq, const char *const *seg, size_t n,
                 ksv_response *rs)
{
    const char *ns = NULL, *res, *name;
    bool nodes;
    ksv_filter f;
    ks_kind kind;
    ks_id id = 0;
    json_t *items, *doc, *o;
    if (ks_metrics_state(api->sim) == KS_METRICS_ABSENT || n < 4 || strcmp(seg[2], "v1beta1")) {
        ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
        return;
    }
    if (n >= 6 && strcmp(seg[3], "namespaces") == 0) {
        ns = seg[4];
        seg += 2;
        n -= 2;
    }
    res = seg[3];
    name = n == 5 ? seg[4] : NULL;
    nodes = strcmp(res, "nodes") == 0;
    if (n > 5 || (!nodes && strcmp(res, "pods") != 0) || (nodes && ns)) {
        ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
        return;
    }
    if (strcmp(rq->method, "GET") != 0) {
        ksv_fail(rs, 405, "MethodNotAllowed", "the metrics API is read-only (get, list)");
        return;
    }
    if (ks_metrics_state(api->sim) == KS_METRICS_UNAVAILABLE) {
        ksv_fail(rs, 503, "ServiceUnavailable", "the server is currently unable to handle the "
                 "request");
        return;
    }
    kind = nodes ? KS_KIND_NODE : KS_KIND_POD;
    if (name) {
        id = ks_cluster_find(api->sim, kind, ns ? ns : NULL, name);
        o = id ? (nodes ? node_metrics(api, id) : pod_metrics(api, id)) : NULL;
        if (!o) {
            ksv_fail(rs, 404, "NotFound", "%s.metrics.k8s.io \"%s\" not found", res, name);
            return;
        }
        ksv_reply_json(rs, 200, o);
        return;
    }
    if (!ksv_filter_parse(&f, rq, rs))
        return;
    items = json_array();
    while ((id = ks_cluster_next(api->sim, kind, id)) != 0) {
        const ks_kvs *labels;
        if (nodes) {
            labels = &ks_cluster_node(api->sim, id)->labels;
        } else {
            const ks_pod *p = ks_cluster_pod(api->sim, id);
            if (ns && strcmp(p->ns, ns) != 0)
                continue;
            labels = &p->labels;
        }
        if (f.has_labels && !ks_selector_matches(&f.labels, labels))
            continue;
        if ((o = nodes ? node_metrics(api, id) : pod_metrics(api, id)) != NULL)
            json_array_append_new(items, o);
    }
    ksv_filter_fini(&f);
    doc = ksv_object(GV, nodes ? "NodeMetricsList" : "PodMetricsList", json_object());
    json_object_set_new(doc, "items", items);
    ksv_reply_json(rs, 200, doc);
}
