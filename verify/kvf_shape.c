/* kvf_shape.c -- the cluster against spec.cluster. See kvf_shape.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "load/ks_validate.h"
#include "kvf_shape.h"

typedef struct notes {
    char (*v)[KVF_SHAPE_NOTE];
    size_t n, max;
} notes;

static void add(notes *ns, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(notes *ns, const char *fmt, ...)
{
    va_list ap;
    if (ns->n == ns->max)
        return;
    va_start(ap, fmt);
    vsnprintf(ns->v[ns->n++], KVF_SHAPE_NOTE, fmt, ap);
    va_end(ap);
}

static void cat(char *buf, size_t n, const char *s)
{
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%s", len ? ", " : "", s);
}

static json_t *node_named(json_t *items, const char *name)
{
    json_t *it;
    size_t i;
    json_array_foreach(items, i, it) {
        const char *nm = json_string_value(json_object_get(json_object_get(it, "metadata"),
                                                           "name"));
        if (nm && strcmp(nm, name) == 0)
            return it;
    }
    return NULL;
}

/* A node of spec.cluster against the node of that name: cpu and memory. */
static void capacity(notes *ns, const ks_scn_node *want, json_t *node)
{
    json_t *cap = json_object_get(json_object_get(node, "status"), "capacity");
    const char *cpu = json_string_value(json_object_get(cap, "cpu"));
    const char *mem = json_string_value(json_object_get(cap, "memory"));
    int64_t c = 0, m = 0;
    char wm[32];
    if (!cpu || !mem || ks_quantity_parse(cpu, -3, &c) || ks_quantity_parse(mem, 0, &m))
        return;
    /* a machine's memory is not a round number: 5 % either way is the same size */
    if (c == want->cpu_milli && m > want->memory_bytes / 20 * 19
        && m < want->memory_bytes / 20 * 21)
        return;
    ks_quantity_format_bytes(want->memory_bytes, wm, sizeof wm);
    add(ns, "cluster: node %s has cpu %s, memory %s here; spec.cluster gives it cpu %lldm, "
            "memory %s (requests, limits and evictions may differ)", want->name, cpu, mem,
        (long long)want->cpu_milli, wm);
}

static void nodes(notes *ns, kvf_cluster *k, const ks_scenario *sc)
{
    char why[300], have[300] = "", missing[300] = "", want[300] = "";
    long status;
    json_t *items = kvf_cluster_list(k, "nodes", NULL, NULL, &status, why, sizeof why), *it;
    size_t i;
    if (!items) {
        add(ns, "cluster: its nodes could not be listed (%s)", why);
        return;
    }
    json_array_foreach(items, i, it) {
        const char *nm = json_string_value(json_object_get(json_object_get(it, "metadata"),
                                                           "name"));
        cat(have, sizeof have, nm ? nm : "?");
    }
    for (i = 0; i < sc->nnodes; i++) {
        json_t *node = node_named(items, sc->nodes[i].name);
        cat(want, sizeof want, sc->nodes[i].name);
        if (!node && !sc->default_node)
            cat(missing, sizeof missing, sc->nodes[i].name);
        else if (node)
            capacity(ns, &sc->nodes[i], node);
    }
    if (json_array_size(items) != sc->nnodes)
        add(ns, "cluster: %zu node%s here (%s); spec.cluster has %zu (%s): where pods go, and "
                "what counts per node, may differ", json_array_size(items),
            json_array_size(items) == 1 ? "" : "s", have, sc->nnodes, want);
    if (missing[0])
        add(ns, "cluster: no node named %s here (nodes: %s): the scenario's node steps and the "
                "expectations naming them cannot happen as written", missing, have);
    json_decref(items);
}

static void plugin(notes *ns, kvf_cluster *k, const ks_scenario *sc, bool kubesim)
{
    char why[300], cni[64] = "";
    long status;
    bool enforces = false;
    if (kubesim) {
        json_t *j = kvf_client_get_json(kvf_cluster_client(k), "/kubesim/v1/cluster", &status,
                                        why, sizeof why);
        const char *c = json_string_value(json_object_get(j, "cni"));
        if (!j)
            return;                       /* an older serve: nothing to say */
        snprintf(cni, sizeof cni, "%s", c ? c : "?");
        enforces = json_is_true(json_object_get(j, "networkPolicy"));
        json_decref(j);
    } else {
        json_t *items = kvf_cluster_list(k, "pods", "kube-system",
                                         "k8s-app in (calico-node,cilium)", &status, why,
                                         sizeof why);
        if (!items)
            return;                       /* not allowed to look: nothing to say */
        enforces = json_array_size(items) > 0;
        snprintf(cni, sizeof cni, "%s", enforces ? "calico or cilium" : "no calico or cilium");
        json_decref(items);
    }
    if (sc->network_policy && !enforces)
        add(ns, "cluster: spec.cluster's cni %s enforces NetworkPolicy; this cluster's network "
                "plugin (%s) may accept policies and enforce nothing (minikube start "
                "--cni=calico)", sc->cni, cni);
    else if (!sc->network_policy && enforces)
        add(ns, "cluster: its network plugin (%s) enforces NetworkPolicy; spec.cluster's cni "
                "(%s) does not, so a policy the scenario shows doing nothing drops traffic here",
            cni, sc->cni ? sc->cni : "auto");
}

size_t kvf_shape_check(kvf_cluster *k, const ks_scenario *sc, bool kubesim,
                       char (*v)[KVF_SHAPE_NOTE], size_t max)
{
    notes ns = {v, 0, max};
    bool metrics = kvf_cluster_find(k, "pods.metrics.k8s.io") != NULL;
    nodes(&ns, k, sc);
    if (sc->metrics_server && !metrics)
        add(&ns, "cluster: no metrics API (metrics.k8s.io) here, but spec.cluster lists the "
                 "metrics-server addon: a HorizontalPodAutoscaler cannot scale and kubectl top "
                 "fails (minikube addons enable metrics-server)");
    else if (!sc->metrics_server && metrics)
        add(&ns, "cluster: it serves the metrics API (metrics.k8s.io), which spec.cluster's "
                 "does not (no metrics-server addon): an autoscaler the scenario shows without "
                 "metrics scales here");
    plugin(&ns, k, sc, kubesim);
    return ns.n;
}
