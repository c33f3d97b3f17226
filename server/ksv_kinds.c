/* ksv_kinds.c -- the served resources, one row each, with how each is
 * listed and built. Groups and versions are those of Kubernetes 1.30 (the
 * version kubesim imitates, KS_KUBECTL_K8S_VERSION); short names and the
 * "all" category are those `kubectl api-resources` shows there. */
#include "ksv_kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kubectl/ks_kubectl.h"

/* ---- listing ------------------------------------------------------------------- */
static ksv_item *grow(ks_arena *ar, ksv_item *items, size_t n, size_t *cap)
{
    ksv_item *bigger;
    if (n < *cap)
        return items;
    *cap = *cap ? *cap * 2 : 64;
    if (!(bigger = ks_arena_alloc(ar, *cap * sizeof *bigger)))
        return NULL;
    if (n)
        memcpy(bigger, items, n * sizeof *items);
    return bigger;
}

/* Name, namespace and labels of an object of the store. */
static bool describe_id(ks_sim *sim, ks_id id, ksv_item *it)
{
    const ks_object *o;
    it->key = id;
    it->labels = NULL;
    switch (ks_cluster_kind(sim, id)) {
    case KS_KIND_POD: {
        const ks_pod *p = ks_cluster_pod(sim, id);
        it->ns = p->ns, it->name = p->name, it->labels = &p->labels;
        return true;
    }
    case KS_KIND_DEPLOYMENT: {
        const ks_deployment *d = ks_cluster_deployment(sim, id);
        it->ns = d->ns, it->name = d->name, it->labels = &d->labels;
        return true;
    }
    case KS_KIND_REPLICASET: {
        const ks_replicaset *r = ks_cluster_rs(sim, id);
        it->ns = r->ns, it->name = r->name, it->labels = &r->labels;
        return true;
    }
    case KS_KIND_NODE: {
        const ks_node *n = ks_cluster_node(sim, id);
        it->ns = NULL, it->name = n->name, it->labels = &n->labels;
        return true;
    }
    case KS_KIND_PV: {
        const ks_pv *pv = ks_cluster_pv(sim, id);
        if (!pv)
            return false;
        it->ns = NULL, it->name = pv->name, it->labels = pv->obj ? &pv->obj->meta.labels : NULL;
        return true;
    }
    default:
        if (!(o = ks_cluster_object(sim, id)))
            return false;
        it->ns = o->meta.ns, it->name = o->meta.name, it->labels = &o->meta.labels;
        return o->meta.name != NULL;
    }
}

static size_t list_objects(ks_sim *sim, const ksv_resource *r, ks_arena *ar, ksv_item **items)
{
    size_t n = 0, cap = 0;
    ks_id id = 0;
    *items = NULL;
    while ((id = ks_cluster_next(sim, (ks_kind)r->ks_kind, id)) != 0) {
        ksv_item it;
        memset(&it, 0, sizeof it);
        if (!describe_id(sim, id, &it))
            continue;
        if (!r->namespaced)
            it.ns = NULL;
        if (!(*items = grow(ar, *items, n, &cap)))
            return (size_t)-1;
        (*items)[n++] = it;
    }
    return n;
}

bool ksv_resource_tracked(const ksv_resource *r)
{
    /* Pods: the kubelet's and the scheduler's changes go through the store
       (ksi_pod_update). Not (yet) the others: a Deployment's or a
       ReplicaSet's status, a Node's, an HPA's, Endpoints are read from
       other objects, which change without a new version of theirs
       (KUBESIM_SERVE_CHECK_VERSIONS finds them). */
    return r->ks_kind == KS_KIND_POD && r->list == list_objects;
}

/* Every Service has Endpoints of its name; an Endpoints object applied by
 * hand stands for itself unless a Service of its name exists. */
static size_t list_endpoints(ks_sim *sim, const ksv_resource *r, ks_arena *ar, ksv_item **items)
{
    size_t n = 0, cap = 0;
    ks_id id = 0;
    (void)r;
    *items = NULL;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_object *o = ks_cluster_object(sim, id);
        if (!o || o->u.svc.type == KS_SVC_EXTERNALNAME)
            continue;
        if (!(*items = grow(ar, *items, n, &cap)))
            return (size_t)-1;
        (*items)[n++] = (ksv_item){id, o->meta.ns, o->meta.name, &o->meta.labels, 0};
    }
    while ((id = ks_cluster_next(sim, KS_KIND_ENDPOINTS, id)) != 0) {
        const ks_object *o = ks_cluster_object(sim, id);
        if (!o || ks_cluster_find(sim, KS_KIND_SERVICE, o->meta.ns, o->meta.name))
            continue;
        if (!(*items = grow(ar, *items, n, &cap)))
            return (size_t)-1;
        (*items)[n++] = (ksv_item){id, o->meta.ns, o->meta.name, &o->meta.labels, 0};
    }
    return n;
}

static size_t list_slices(ks_sim *sim, const ksv_resource *r, ks_arena *ar, ksv_item **items)
{
    size_t n = 0, cap = 0;
    ks_id id = 0;
    (void)r;
    *items = NULL;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *s = ks_cluster_service(sim, id);
        char name[300];
        if (!s || (!s->obj->u.svc.selector.n && !ks_service_is_apiserver(s->obj)))
            continue;
        if (ks_service_is_apiserver(s->obj))
            snprintf(name, sizeof name, "%s", s->obj->meta.name);
        else
            ksv_slice_name(s->obj->meta.name, id, name, sizeof name);
        if (!(*items = grow(ar, *items, n, &cap)))
            return (size_t)-1;
        (*items)[n++] = (ksv_item){id, s->obj->meta.ns, ks_arena_strdup(ar, name), NULL, 0};
        if (!(*items)[n - 1].name)
            return (size_t)-1;
    }
    return n;
}

static size_t list_namespaces(ks_sim *sim, const ksv_resource *r, ks_arena *ar,
                              ksv_item **items)
{
    const char *names[KS_KUBECTL_MAX_NAMESPACES];
    ks_time created[KS_KUBECTL_MAX_NAMESPACES];
    size_t n = ks_kubectl_namespaces(sim, names, created, KS_KUBECTL_MAX_NAMESPACES), i;
    (void)r;
    if (!(*items = ks_arena_alloc(ar, (n + 1) * sizeof **items)))
        return (size_t)-1;
    for (i = 0; i < n; i++)
        (*items)[i] = (ksv_item){ksv_hash(names[i], KSV_HASH_SEED), NULL, names[i], NULL, i};
    return n;
}

uint64_t ksv_event_key(ks_sim *sim, size_t i)
{
    const ks_k8s_event *e = ks_cluster_event(sim, i);
    char buf[64];
    uint64_t h = ksv_hash(e->reason, KSV_HASH_SEED ^ e->object);
    snprintf(buf, sizeof buf, "%d/%lld", (int)e->kind, (long long)e->first);
    h = ksv_hash(buf, h);
    /* the message too: a ReplicaSet's two SuccessfulCreate at one instant
       ("Created pod: A", "Created pod: B") are two events */
    h = ksv_hash(e->message, h);
    return ksv_hash(e->name, h) & 0x7fffffffffffffffULL;
}

static size_t list_events(ks_sim *sim, const ksv_resource *r, ks_arena *ar, ksv_item **items)
{
    size_t n = ks_cluster_event_count(sim), i;
    (void)r;
    if (!(*items = ks_arena_alloc(ar, (n + 1) * sizeof **items)))
        return (size_t)-1;
    for (i = 0; i < n; i++) {
        const ks_k8s_event *e = ks_cluster_event(sim, i);
        uint64_t key = ksv_event_key(sim, i);
        char *name = ks_arena_printf(ar, "%s.%016llx", e->name ? e->name : "kubesim",
                                     (unsigned long long)key);
        if (!name)
            return (size_t)-1;
        (*items)[i] = (ksv_item){key, ks_kubectl_event_namespace(sim, i), name, NULL, i};
    }
    return n;
}

/* The nodes' Leases in kube-node-lease (computed by sim/, not stored):
 * keyed by their nodes' ids. */
static size_t list_leases(ks_sim *sim, const ksv_resource *r, ks_arena *ar, ksv_item **items)
{
    size_t n = 0, cap = 0;
    ks_id id = 0;
    ks_lease l;
    (void)r;
    *items = NULL;
    while ((id = ks_cluster_next(sim, KS_KIND_NODE, id)) != 0) {
        if (!ks_cluster_node_lease(sim, id, &l))
            continue;
        if (!(*items = grow(ar, *items, n, &cap)))
            return (size_t)-1;
        (*items)[n++] = (ksv_item){id, "kube-node-lease", l.name, NULL, 0};
    }
    return n;
}

static json_t *build_lease(const ksv_ctx *c, const ksv_item *it)
{
    return ksv_lease(c, (ks_id)it->key);
}

static int cmp_item(const void *a, const void *b)
{
    const ksv_item *x = a, *y = b;
    int c = strcmp(x->ns ? x->ns : "", y->ns ? y->ns : "");
    if (c)
        return c;
    c = strcmp(x->name, y->name);
    return c ? c : (x->key < y->key ? -1 : x->key > y->key);
}

size_t ksv_list_items(ks_sim *sim, const ksv_resource *r, ks_arena *ar, ksv_item **items)
{
    size_t n = r->list(sim, r, ar, items);
    if (n != (size_t)-1 && n > 1)
        qsort(*items, n, sizeof **items, cmp_item);
    return n;
}

/* ---- building ------------------------------------------------------------------- */
static json_t *build_object(const ksv_ctx *c, const ksv_item *it)
{
    ks_sim *sim = c->sim;
    ks_id id = (ks_id)it->key;
    const ks_object *o = ks_cluster_object(sim, id);
    switch (ks_cluster_kind(sim, id)) {
    case KS_KIND_POD:
        return ksv_pod(c, ks_cluster_pod(sim, id));
    case KS_KIND_DEPLOYMENT:
        return ksv_deployment(c, ks_cluster_deployment(sim, id));
    case KS_KIND_REPLICASET:
        return ksv_replicaset(c, ks_cluster_rs(sim, id));
    case KS_KIND_NODE:
        return ksv_node(c, ks_cluster_node(sim, id));
    case KS_KIND_PV:
        return ks_cluster_pv(sim, id) ? ksv_pv(c, ks_cluster_pv(sim, id)) : NULL;
    case KS_KIND_SERVICE:
        return o ? ksv_service(c, id, ks_cluster_service(sim, id), o) : NULL;
    case KS_KIND_INGRESS:
        return o ? ksv_ingress(c, id, o) : NULL;
    case KS_KIND_INGRESSCLASS:
        return o ? ksv_ingressclass(c, id, o) : NULL;
    case KS_KIND_SECRET:
        return o ? ksv_secret(c, id, o) : NULL;
    case KS_KIND_CONFIGMAP:
        return o ? ksv_configmap(c, id, o) : NULL;
    case KS_KIND_SERVICEACCOUNT:
        return o ? ksv_serviceaccount(c, id, o) : NULL;
    case KS_KIND_PVC:
        return o ? ksv_pvc(c, id, o) : NULL;
    case KS_KIND_STORAGECLASS:
        return o ? ksv_storageclass(c, id, o) : NULL;
    case KS_KIND_JOB:
        return ksv_job(c, id);
    case KS_KIND_CRONJOB:
        return ksv_cronjob(c, id);
    case KS_KIND_STATEFULSET:
        return ksv_statefulset(c, id);
    case KS_KIND_DAEMONSET:
        return ksv_daemonset(c, id);
    case KS_KIND_HPA:
        return ksv_hpa(c, id);
    case KS_KIND_NETPOL:
        return ksv_netpol(c, id);
    default:
        return NULL;
    }
}

static json_t *build_endpoints(const ksv_ctx *c, const ksv_item *it)
{
    ks_sim *sim = c->sim;
    ks_id id = (ks_id)it->key;
    const ks_object *o = ks_cluster_object(sim, id);
    if (!o)
        return NULL;
    if (ks_cluster_kind(sim, id) == KS_KIND_SERVICE) {
        ks_id ep = ks_cluster_find(sim, KS_KIND_ENDPOINTS, o->meta.ns, o->meta.name);
        return ksv_endpoints(c, ks_cluster_service(sim, id), o,
                             o->u.svc.selector.n ? NULL : ks_cluster_object(sim, ep), id);
    }
    return ksv_endpoints(c, NULL, NULL, o, id);
}

static json_t *build_slice(const ksv_ctx *c, const ksv_item *it)
{
    ks_sim *sim = c->sim;
    return ksv_endpointslice(c, ks_cluster_service(sim, (ks_id)it->key));
}

/* PodDisruptionBudgets are not simulated: there are none (policy/v1 lists
   them as a real API server does, so that kubectl drain evicts and kubectl's
   discovery cache keeps the group: client-go discovery/cached/disk caches no
   group version without resources, and asks again at every command) */
static size_t list_none(ks_sim *sim, const ksv_resource *r, ks_arena *ar, ksv_item **items)
{
    (void)sim;
    (void)r;
    (void)ar;
    *items = NULL;
    return 0;
}

static json_t *build_none(const ksv_ctx *c, const ksv_item *it)
{
    (void)c;
    (void)it;
    return NULL;
}

static json_t *build_namespace(const ksv_ctx *c, const ksv_item *it)
{
    ks_sim *sim = c->sim;
    const char *names[KS_KUBECTL_MAX_NAMESPACES];
    ks_time created[KS_KUBECTL_MAX_NAMESPACES];
    size_t n = ks_kubectl_namespaces(sim, names, created, KS_KUBECTL_MAX_NAMESPACES);
    return it->index < n ? ksv_namespace(c, names[it->index], created[it->index]) : NULL;
}

static json_t *build_event(const ksv_ctx *c, const ksv_item *it)
{
    ks_sim *sim = c->sim;
    return it->index < ks_cluster_event_count(sim) ? ksv_event(c, it->index, it->key) : NULL;
}

/* kubectl autoscale (up to 1.32 at least) writes autoscaling/v1 */
static json_t *build_hpa_v1(const ksv_ctx *c, const ksv_item *it)
{
    return ksv_hpa_v1(c, (ks_id)it->key);
}

/* ---- the table ----------------------------------------------------------------------- */
#define OBJ(kind) (kind), (kind), "status", list_objects, build_object

const ksv_resource ksv_resources[] = {
    {"", "v1", "namespaces", "namespace", "Namespace", false, "ns", false, true,
     KS_KIND_NAMESPACE, KS_KIND_NAMESPACE, "status", list_namespaces, build_namespace},
    {"", "v1", "nodes", "node", "Node", false, "no", false, false, OBJ(KS_KIND_NODE)},
    {"", "v1", "pods", "pod", "Pod", true, "po", true, true,
     KS_KIND_POD, KS_KIND_POD, "status log eviction exec attach portforward binding",
     list_objects, build_object},
    {"", "v1", "services", "service", "Service", true, "svc", true, true,
     KS_KIND_SERVICE, KS_KIND_SERVICE, "status proxy", list_objects, build_object},
    {"", "v1", "endpoints", "endpoints", "Endpoints", true, "ep", false, true,
     KS_KIND_ENDPOINTS, KS_KIND_ENDPOINTS, "", list_endpoints, build_endpoints},
    {"", "v1", "secrets", "secret", "Secret", true, NULL, false, true, OBJ(KS_KIND_SECRET)},
    {"", "v1", "configmaps", "configmap", "ConfigMap", true, "cm", false, true,
     OBJ(KS_KIND_CONFIGMAP)},
    {"", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa", false, true,
     OBJ(KS_KIND_SERVICEACCOUNT)},
    {"", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", false, "pv", false,
     true, OBJ(KS_KIND_PV)},
    {"", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true,
     "pvc", false, true, OBJ(KS_KIND_PVC)},
    {"", "v1", "events", "event", "Event", true, "ev", false, false, -1, KS_KUBECTL_EVENTS, "",
     list_events, build_event},
    {"apps", "v1", "deployments", "deployment", "Deployment", true, "deploy", true, true,
     KS_KIND_DEPLOYMENT, KS_KIND_DEPLOYMENT, "status scale", list_objects, build_object},
    {"apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, "ds", true, true,
     OBJ(KS_KIND_DAEMONSET)},
    {"apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, "rs", true, true,
     KS_KIND_REPLICASET, KS_KIND_REPLICASET, "status scale", list_objects, build_object},
    {"apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, "sts", true, true,
     KS_KIND_STATEFULSET, KS_KIND_STATEFULSET, "status scale", list_objects, build_object},
    {"autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler",
     "HorizontalPodAutoscaler", true, "hpa", true, true, OBJ(KS_KIND_HPA)},
    {"autoscaling", "v1", "horizontalpodautoscalers", "horizontalpodautoscaler",
     "HorizontalPodAutoscaler", true, "hpa", true, true, KS_KIND_HPA, KS_KIND_HPA, "status",
     list_objects, build_hpa_v1},
    {"batch", "v1", "cronjobs", "cronjob", "CronJob", true, "cj", true, true,
     OBJ(KS_KIND_CRONJOB)},
    {"batch", "v1", "jobs", "job", "Job", true, NULL, true, true, OBJ(KS_KIND_JOB)},
    /* the nodes' Leases only, read-only (kubectl get leases -n kube-node-lease) */
    {"coordination.k8s.io", "v1", "leases", "lease", "Lease", true, NULL, false, false, -1,
     KS_KUBECTL_LEASES, "", list_leases, build_lease},
    {"discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true, NULL,
     false, false, -1, -1, "", list_slices, build_slice},
    {"networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true,
     "netpol", false, true, KS_KIND_NETPOL, KS_KIND_NETPOL, "", list_objects, build_object},
    {"networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, "ing", false, true,
     KS_KIND_INGRESS, KS_KIND_INGRESS, "status", list_objects, build_object},
    {"networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass", false, NULL,
     false, true, OBJ(KS_KIND_INGRESSCLASS)},
    {"policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true,
     "pdb", false, false, -1, -1, "status", list_none, build_none},
    {"storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", false, "sc",
     false, true, OBJ(KS_KIND_STORAGECLASS)},
};
const size_t ksv_nresources = sizeof ksv_resources / sizeof ksv_resources[0];

void ksv_group_version(const ksv_resource *r, char *buf, size_t n)
{
    if (r->group[0])
        snprintf(buf, n, "%s/%s", r->group, r->version);
    else
        snprintf(buf, n, "%s", r->version);
}

const ksv_resource *ksv_resource_find(const char *group, const char *version,
                                      const char *name)
{
    size_t i;
    for (i = 0; i < ksv_nresources; i++)
        if (strcmp(ksv_resources[i].group, group) == 0
            && strcmp(ksv_resources[i].version, version) == 0
            && strcmp(ksv_resources[i].name, name) == 0)
            return &ksv_resources[i];
    return NULL;
}

const ksv_resource *ksv_resource_of_kind(int kind)
{
    size_t i;
    for (i = 0; i < ksv_nresources; i++)
        if (ksv_resources[i].ks_kind == kind)
            return &ksv_resources[i];
    return NULL;
}

const ksv_resource *ksv_resource_of(const char *api_version, const char *kind)
{
    char gv[128];
    size_t i;
    for (i = 0; api_version && kind && i < ksv_nresources; i++) {
        ksv_group_version(&ksv_resources[i], gv, sizeof gv);
        if (strcmp(gv, api_version) == 0 && strcmp(ksv_resources[i].kind, kind) == 0)
            return &ksv_resources[i];
    }
    return NULL;
}
