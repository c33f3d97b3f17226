/* ks_kubectl_describe.c -- `kubectl describe`: the describe writer, and
 * deployments, services, nodes and claims in kubectl's shorter forms (pods
 * in full in ks_kubectl_describe_pod.c, the workload kinds in
 * ks_kubectl_describe_work.c).
 *
 * describe writes through the same tabwriter as kubectl's describers
 * (minwidth 0, padding 2) with kubectl's indentation levels of two spaces,
 * so blocks of "Key:\tvalue" lines align as they do on a real cluster; the
 * Events table is flushed on its own. Names that match no object exactly
 * describe every object whose name starts with them, as kubectl does.
 * Container IDs and image digests are made up, deterministically, from the
 * pod, the container and its restart count.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/describe.h"
#include "internal/kubectl.h"
#include "core/ks_error.h"
#include "load/ks_validate.h"
#include "node/ks_node.h"

/* ---- the describe writer ------------------------------------------------------------- */
void ksi_dw(ksi_describer *d, int level, const char *fmt, ...)
{
    va_list ap;
    int i;
    for (i = 0; i < level; i++)
        ks_strbuf_puts(&d->sb, "  ");
    va_start(ap, fmt);
    ks_strbuf_vprintf(&d->sb, fmt, ap);
    va_end(ap);
}

void ksi_dw_flush(ksi_describer *d)
{
    ks_kubectl_tabwrite(d->k->out, ks_strbuf_str(&d->sb), d->sb.len, 0, 2);
    ks_strbuf_clear(&d->sb);
}

static int cmp_kv(const void *a, const void *b)
{
    return strcmp(((const ks_kv *)a)->key, ((const ks_kv *)b)->key);
}

void ksi_dw_kvs(ksi_describer *d, const char *title, const ks_kvs *m, const char *sep)
{
    ks_kv *c;
    size_t i;
    ksi_dw(d, 0, "%s:\t", title);
    if (!m || m->n == 0 || !(c = ks_arena_alloc(d->k->tmp, m->n * sizeof *c))) {
        ksi_dw(d, 0, "<none>\n");
        return;
    }
    memcpy(c, m->items, m->n * sizeof *c);
    qsort(c, m->n, sizeof *c, cmp_kv);
    for (i = 0; i < m->n; i++)
        ksi_dw(d, 0, "%s%s%s%s\n", i ? "\t" : "", c[i].key, sep, c[i].value);
}

void ksi_dw_events(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    size_t n = ks_cluster_event_count(k->sim), i, m = 0, j;
    const ks_k8s_event **ev = ks_arena_alloc(k->tmp, (n + 1) * sizeof *ev);
    for (i = 0; ev && i < n; i++) {
        const ks_k8s_event *e = ks_cluster_event(k->sim, i);
        if (e->object == id)
            ev[m++] = e;
    }
    if (m == 0) {
        ksi_dw(d, 0, "Events:\t<none>\n");
        return;
    }
    for (i = 1; i < m; i++)                   /* stable insertion sort by last seen */
        for (j = i; j > 0 && ev[j - 1]->last > ev[j]->last; j--) {
            const ks_k8s_event *x = ev[j];
            ev[j] = ev[j - 1];
            ev[j - 1] = x;
        }
    ksi_dw_flush(d);
    ksi_dw(d, 0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    ksi_dw(d, 1, "----\t------\t----\t----\t-------\n");
    for (i = 0; i < m; i++)
        ksi_dw(d, 1, "%s\t%s\t%s\t%s\t%s\n", ev[i]->warning ? "Warning" : "Normal",
               ev[i]->reason, ksi_kc_event_age(k, ev[i]), ev[i]->source ? ev[i]->source : "",
               ev[i]->message);
}

const char *ksi_dw_cpu(ksi_kc *k, int64_t milli)
{
    return milli % 1000 ? ksi_kc_fmt(k, "%lldm", (long long)milli)
                        : ksi_kc_fmt(k, "%lld", (long long)(milli / 1000));
}

const char *ksi_dw_mem(ksi_kc *k, int64_t bytes)
{
    char buf[32];
    ks_quantity_format_bytes(bytes, buf, sizeof buf);
    return ksi_kc_fmt(k, "%s", buf);
}

/* ---- deployments, services, nodes, claims ------------------------------------------------ */
static const char *intstr_text(ksi_kc *k, const ks_intstr *v, const char *dflt)
{
    if (!v->set)
        return dflt;
    if (v->is_str)
        return v->str;
    return ksi_kc_fmt(k, v->percent ? "%lld%%" : "%lld", (long long)v->num);
}

static void describe_deployment(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_deployment *dp = ks_cluster_deployment(k->sim, id);
    const ks_replicaset *cur = ks_cluster_rs(k->sim, dp->current_rs);
    ks_strbuf old;
    ks_kvs ann;
    ks_kv rev;
    ks_id r = 0;
    int64_t unavailable = dp->replicas - dp->available;
    ksi_dw(d, 0, "Name:\t%s\n", dp->name);
    ksi_dw(d, 0, "Namespace:\t%s\n", dp->ns);
    ksi_dw(d, 0, "CreationTimestamp:\t%s\n", ksi_kc_rfc1123z(k, dp->created));
    ksi_dw_kvs(d, "Labels", &dp->labels, "=");
    rev.key = "deployment.kubernetes.io/revision";
    rev.value = ksi_kc_fmt(k, "%d", dp->revision);
    ann.items = &rev;
    ann.n = 1;
    ksi_dw_kvs(d, "Annotations", &ann, ": ");
    ksi_dw(d, 0, "Selector:\t%s\n", ksi_kc_labels_text(k, &dp->spec->selector.match));
    ksi_dw(d, 0, "Replicas:\t%lld desired | %lld updated | %lld total | %lld available | %lld "
            "unavailable\n", (long long)dp->replicas, (long long)dp->updated,
      (long long)dp->total, (long long)dp->available,
      (long long)(unavailable > 0 ? unavailable : 0));
    ksi_dw(d, 0, "StrategyType:\t%s\n", dp->spec->recreate ? "Recreate" : "RollingUpdate");
    ksi_dw(d, 0, "MinReadySeconds:\t%lld\n", (long long)dp->spec->min_ready_seconds);
    if (!dp->spec->recreate)
        ksi_dw(d, 0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n",
          intstr_text(k, &dp->spec->max_unavailable, "25%"),
          intstr_text(k, &dp->spec->max_surge, "25%"));
    ksi_dw_template(d, dp->tmpl);
    ksi_dw(d, 0, "Conditions:\n  Type\tStatus\tReason\n");
    ksi_dw(d, 1, "----\t------\t------\n");
    ksi_dw(d, 1, "Available \t%s\t%s\n", dp->available >= dp->replicas - 0 ? "True" : "False",
      dp->available >= dp->replicas ? "MinimumReplicasAvailable"
                                    : "MinimumReplicasUnavailable");
    ksi_dw(d, 1, "Progressing \tTrue\t%s\n",
      dp->updated == dp->replicas && dp->available == dp->replicas && dp->total == dp->replicas
          ? "NewReplicaSetAvailable" : "ReplicaSetUpdated");
    ks_strbuf_init(&old, ks_sim_allocator(k->sim));
    while ((r = ks_cluster_next(k->sim, KS_KIND_REPLICASET, r)) != 0) {
        const ks_replicaset *x = ks_cluster_rs(k->sim, r);
        if (x->owner == id && r != dp->current_rs && (x->replicas || x->current))
            ks_strbuf_printf(&old, "%s%s (%lld/%lld replicas created)", old.len ? ", " : "",
                             x->name, (long long)x->current, (long long)x->replicas);
    }
    ksi_dw(d, 0, "OldReplicaSets:\t%s\n", old.len ? ks_strbuf_str(&old) : "<none>");
    ks_strbuf_fini(&old);
    if (cur)
        ksi_dw(d, 0, "NewReplicaSet:\t%s (%lld/%lld replicas created)\n", cur->name,
          (long long)cur->current, (long long)cur->replicas);
    else
        ksi_dw(d, 0, "NewReplicaSet:\t<none>\n");
    ksi_dw_events(d, id);
}

/* The addresses of an Endpoints object applied by hand, for a Service
 * without a selector (the API server's own, default/kubernetes, too):
 * ip:port, the port its subset gives, else the Service's. */
static void manual_endpoints(ksi_kc *k, const ks_object *svc, const ks_service_port *sp,
                             ks_strbuf *eps)
{
    ks_id ep = ks_cluster_find(k->sim, KS_KIND_ENDPOINTS, svc->meta.ns, svc->meta.name);
    const ks_object *eo = ks_cluster_object(k->sim, ep);
    size_t i, shown = 0;
    for (i = 0; eo && i < eo->u.ep.naddrs; i++)
        if (eo->u.ep.addrs[i].ready)
            ks_strbuf_printf(eps, "%s%s:%d", shown++ ? "," : "", eo->u.ep.addrs[i].ip,
                             eo->u.ep.addrs[i].port ? eo->u.ep.addrs[i].port : sp->port);
}

static void describe_service(ksi_describer *d, ks_id id)
{
    static const char *const types[] = {"ClusterIP", "NodePort", "LoadBalancer",
                                        "ExternalName"};
    ksi_kc *k = d->k;
    const ks_service *s = ks_cluster_service(k->sim, id);
    const ks_object *o = s ? s->obj : ks_cluster_object(k->sim, id);
    const ks_service_spec *spec = &o->u.svc;
    size_t i, j;
    ksi_dw(d, 0, "Name:\t%s\n", o->meta.name);
    ksi_dw(d, 0, "Namespace:\t%s\n", o->meta.ns);
    ksi_dw_kvs(d, "Labels", &o->meta.labels, "=");
    ksi_dw_kvs(d, "Annotations", &o->meta.annotations, ": ");
    ksi_dw(d, 0, "Selector:\t%s\n", spec->selector.n ? ksi_kc_labels_text(k, &spec->selector)
                                                 : "<none>");
    ksi_dw(d, 0, "Type:\t%s\n", types[spec->type]);
    if (spec->type == KS_SVC_EXTERNALNAME) {
        ksi_dw(d, 0, "External Name:\t%s\n", spec->external_name ? spec->external_name : "");
    } else {
        ksi_dw(d, 0, "IP Family Policy:\tSingleStack\nIP Families:\tIPv4\n");
        ksi_dw(d, 0, "IP:\t%s\nIPs:\t%s\n", s ? s->cluster_ip : "", s ? s->cluster_ip : "");
    }
    if (s && spec->type == KS_SVC_LOADBALANCER && s->external_ip[0])
        ksi_dw(d, 0, "LoadBalancer Ingress:\t%s\n", s->external_ip);
    for (i = 0; i < spec->nports; i++) {
        const ks_service_port *sp = &spec->ports[i];
        const char *proto = sp->protocol ? sp->protocol : "TCP";
        ks_strbuf eps;
        size_t shown = 0;
        ksi_dw(d, 0, "Port:\t%s\t%d/%s\n", sp->name ? sp->name : "<unset>", sp->port, proto);
        ksi_dw(d, 0, "TargetPort:\t%s/%s\n", intstr_text(k, &sp->target_port,
                                                     ksi_kc_fmt(k, "%d", sp->port)), proto);
        if (s && s->node_port[i] && spec->type != KS_SVC_CLUSTERIP)
            ksi_dw(d, 0, "NodePort:\t%s\t%d/%s\n", sp->name ? sp->name : "<unset>", s->node_port[i],
              proto);
        ks_strbuf_init(&eps, ks_sim_allocator(k->sim));
        if (!spec->selector.n)
            manual_endpoints(k, o, sp, &eps);
        for (j = 0; s && j < s->nready; j++) {
            const ks_pod *p = ks_cluster_pod(k->sim, s->ready[j]);
            if (p && ks_service_serves(s, j, i))
                ks_strbuf_printf(&eps, "%s%s:%d", shown++ ? "," : "", p->ip,
                                 ks_service_target_port(sp, p));
        }
        ksi_dw(d, 0, "Endpoints:\t%s\n", ks_strbuf_str(&eps));
        ks_strbuf_fini(&eps);
    }
    ksi_dw(d, 0, "Session Affinity:\t%s\n", spec->affinity_client_ip ? "ClientIP" : "None");
    if (spec->type == KS_SVC_NODEPORT || spec->type == KS_SVC_LOADBALANCER)
        ksi_dw(d, 0, "External Traffic Policy:\tCluster\n");
    ksi_dw(d, 0, "Internal Traffic Policy:\tCluster\n");
    ksi_dw_events(d, id);
}

/* "100m (5%)": a quantity and its share of the allocatable, as
 * describeNodeResource prints them (kubectl pkg/describe/describe.go). */
static const char *share(ksi_kc *k, int64_t v, int64_t of, bool cpu)
{
    return ksi_kc_fmt(k, "%s (%lld%%)", cpu ? ksi_dw_cpu(k, v) : ksi_dw_mem(k, v),
                      (long long)(of ? v * 100 / of : 0));
}

static int64_t pod_limit(const ks_pod *p, bool cpu)
{
    int64_t sum = 0;
    size_t i;
    for (i = 0; i < p->spec->ncontainers; i++)
        sum += cpu ? p->spec->containers[i].cpu_limit : p->spec->containers[i].mem_limit;
    return sum;
}

static void node_conditions(ksi_describer *d, const ks_node *n)
{
    ksi_dw(d, 0, "Conditions:\n  Type\tStatus\tReason\tMessage\n");
    ksi_dw(d, 1, "----\t------\t------\t-------\n");
    /* the kubelet's node conditions (pkg/kubelet/nodestatus/setters.go) */
    if (!n->ready) {
        ksi_dw(d, 1, "MemoryPressure \tUnknown \tNodeStatusUnknown \tKubelet stopped posting "
                     "node status.\n");
        ksi_dw(d, 1, "Ready \tUnknown \tNodeStatusUnknown \tKubelet stopped posting node "
                     "status.\n");
        return;
    }
    if (n->memory_pressure)
        ksi_dw(d, 1, "MemoryPressure \tTrue \tKubeletHasInsufficientMemory \tkubelet has "
                     "insufficient memory available\n");
    else
        ksi_dw(d, 1, "MemoryPressure \tFalse \tKubeletHasSufficientMemory \tkubelet has "
                     "sufficient memory available\n");
    ksi_dw(d, 1, "Ready \tTrue \tKubeletReady \tkubelet is posting ready status\n");
}

static void describe_node(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_node *n = ks_cluster_node(k->sim, id);
    ks_id *pods;
    size_t np, i, count = 0;
    int64_t cpu_lim = 0, mem_lim = 0;
    bool all = k->all_ns;
    ksi_dw(d, 0, "Name:\t%s\n", n->name);
    ksi_dw_kvs(d, "Labels", &n->labels, "=");
    ksi_dw(d, 0, "CreationTimestamp:\t%s\n", ksi_kc_rfc1123z(k, n->created));
    ksi_dw(d, 0, "Taints:\t%s\n", n->memory_pressure
                                      ? "node.kubernetes.io/memory-pressure:NoSchedule" : "<none>");
    ksi_dw(d, 0, "Unschedulable:\t%s\n", n->unschedulable ? "true" : "false");
    node_conditions(d, n);
    ksi_dw(d, 0, "Addresses:\n  InternalIP:\t%s\n  Hostname:\t%s\n", ksi_kc_node_ip(k, id),
           n->name);
    ksi_dw(d, 0, "Allocatable:\n  cpu:\t%s\n  memory:\t%s\n  pods:\t%lld\n",
           ksi_dw_cpu(k, n->cpu), ksi_dw_mem(k, n->memory), (long long)n->max_pods);
    k->all_ns = true;
    np = ksi_kc_select(k, KS_KIND_POD, NULL, &pods);
    k->all_ns = all;
    for (i = 0; i < np; i++) {
        const ks_pod *p = ks_cluster_pod(k->sim, pods[i]);
        /* non-terminated: on this node, and not Succeeded or Failed */
        if (p->node != id || p->terminating || strcmp(p->phase, "Succeeded") == 0
            || strcmp(p->phase, "Failed") == 0)
            pods[i] = 0;
        else
            count++;
    }
    ksi_dw(d, 0, "Non-terminated Pods:\t(%zu in total)\n", count);
    ksi_dw(d, 1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\t"
                 "Memory Limits\tAge\n");
    ksi_dw(d, 1, "---------\t----\t\t------------\t----------\t---------------\t"
                 "-------------\t---\n");
    for (i = 0; i < np; i++) {
        const ks_pod *p = pods[i] ? ks_cluster_pod(k->sim, pods[i]) : NULL;
        if (!p)
            continue;
        cpu_lim += pod_limit(p, true);
        mem_lim += pod_limit(p, false);
        ksi_dw(d, 1, "%s\t%s\t\t%s\t%s\t%s\t%s\t%s\n", p->ns, p->name,
               share(k, p->cpu, n->cpu, true), share(k, pod_limit(p, true), n->cpu, true),
               share(k, p->memory, n->memory, false),
               share(k, pod_limit(p, false), n->memory, false), ksi_kc_age(k, p->created));
    }
    ksi_dw(d, 0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., "
                 "overcommitted.)\n");
    ksi_dw(d, 1, "Resource\tRequests\tLimits\n");
    ksi_dw(d, 1, "--------\t--------\t------\n");
    ksi_dw(d, 1, "cpu\t%s\t%s\n", share(k, n->cpu_used, n->cpu, true),
           share(k, cpu_lim, n->cpu, true));
    ksi_dw(d, 1, "memory\t%s\t%s\n", share(k, n->memory_used, n->memory, false),
           share(k, mem_lim, n->memory, false));
    ksi_dw_events(d, id);
}

static void describe_pvc(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_object *o = ks_cluster_object(k->sim, id);
    const ks_pvc *c = ks_cluster_pvc(k->sim, id);
    const ks_pv *pv = c ? ks_cluster_pv(k->sim, c->pv) : NULL;
    ks_strbuf users;
    ks_id *pods;
    size_t np, i, v;
    char modes[32] = "";
    ksi_dw(d, 0, "Name:\t%s\n", o->meta.name);
    ksi_dw(d, 0, "Namespace:\t%s\n", o->meta.ns);
    ksi_dw(d, 0, "StorageClass:\t%s\n", c && c->storage_class ? c->storage_class
                                   : o->u.pvc.storage_class ? o->u.pvc.storage_class : "");
    ksi_dw(d, 0, "Status:\t%s\n", c && c->terminating ? "Terminating"
                             : c && c->phase ? c->phase : "Pending");
    ksi_dw(d, 0, "Volume:\t%s\n", pv ? pv->name : "");
    ksi_dw_kvs(d, "Labels", &o->meta.labels, "=");
    ksi_dw_kvs(d, "Annotations", &o->meta.annotations, ": ");
    ksi_dw(d, 0, "Finalizers:\t[kubernetes.io/pvc-protection]\n");
    if (pv)
        ks_access_modes_format(pv->access, modes, sizeof modes);
    ksi_dw(d, 0, "Capacity:\t%s\n", pv ? ksi_dw_mem(k, pv->capacity) : "");
    ksi_dw(d, 0, "Access Modes:\t%s\n", modes);
    ksi_dw(d, 0, "VolumeMode:\tFilesystem\n");
    ks_strbuf_init(&users, ks_sim_allocator(k->sim));
    np = ksi_kc_select(k, KS_KIND_POD, NULL, &pods);
    for (i = 0; i < np; i++) {
        const ks_pod *p = ks_cluster_pod(k->sim, pods[i]);
        for (v = 0; p->spec && v < p->spec->nvolumes; v++)
            if (p->spec->volumes[v].type == KS_VOL_PVC && p->spec->volumes[v].source
                && strcmp(p->spec->volumes[v].source, o->meta.name) == 0) {
                ks_strbuf_printf(&users, "%s%s", users.len ? "\n\t" : "", p->name);
                break;
            }
    }
    ksi_dw(d, 0, "Used By:\t%s\n", users.len ? ks_strbuf_str(&users) : "<none>");
    ks_strbuf_fini(&users);
    ksi_dw_events(d, id);
}

/* The kinds kubesim describes. */
static void (*const describers[KS_KIND_COUNT])(ksi_describer *d, ks_id id) = {
    [KS_KIND_POD] = ksi_describe_pod,     [KS_KIND_DEPLOYMENT] = describe_deployment,
    [KS_KIND_SERVICE] = describe_service, [KS_KIND_NODE] = describe_node,
    [KS_KIND_PVC] = describe_pvc,         [KS_KIND_JOB] = ksi_describe_job,
    [KS_KIND_CRONJOB] = ksi_describe_cronjob, [KS_KIND_HPA] = ksi_describe_hpa,
    [KS_KIND_STATEFULSET] = ksi_describe_statefulset,
    [KS_KIND_DAEMONSET] = ksi_describe_daemonset,
    [KS_KIND_NETPOL] = ksi_describe_netpol,
    [KS_KIND_SERVICEACCOUNT] = ksi_describe_serviceaccount,
};

int ksi_kc_describe(ksi_kc *k)
{
    const char *type, *name, *seltext = ksi_kc_flag(k, "selector");
    ks_selector sel;
    ks_id *ids;
    size_t n = 0, i, a, first = 0;
    int kind;
    ksi_describer d;
    bool slash;
    if (k->nargs == 0)
        return ksi_kc_error(k, "You must specify the type of resource to describe. Use "
                               "\"kubectl api-resources\" for a complete list of supported "
                               "resources.");
    if (seltext && !ksi_kc_selector(k, seltext, &sel))
        return 1;
    slash = ksi_kc_split_slash(k, k->args[0], &type, &name);
    if (!slash) {
        type = k->args[0];
        first = 1;
    }
    if ((kind = ksi_kc_resource(type)) == KSI_KC_NONE)
        return ksi_kc_no_type(k, type);
    if (kind == KSI_KC_LEASES && !slash)
        return ksi_kc_dry(k) ? 0 : ksi_kc_describe_leases(k, k->args + 1, k->nargs - 1);
    if (kind == KSI_KC_LEASES && k->nargs == 1)
        return ksi_kc_dry(k) ? 0 : ksi_kc_describe_leases(k, &name, 1);
    if (kind >= KS_KIND_COUNT || !describers[kind])
        return ksi_kc_error(k, "kubesim describes pods, deployments, jobs, cronjobs, "
                               "horizontalpodautoscalers, networkpolicies, services, "
                               "serviceaccounts, nodes and persistentvolumeclaims; try kubectl "
                               "get %s", type);
    if (slash || k->nargs > first) {
        ks_id *all;
        size_t nall = ksi_kc_dry(k) ? 0 : ksi_kc_select(k, kind, NULL, &all);
        ids = ks_arena_alloc(k->tmp, (nall + k->nargs + 1) * sizeof *ids);
        if (!ids)
            return ksi_kc_error(k, "out of memory");
        for (a = slash ? 0 : 1; a < k->nargs; a++) {
            size_t before = n;
            if (slash && a > 0 && !ksi_kc_split_slash(k, k->args[a], &type, &name))
                return ksi_kc_error(k, "there is no need to specify a resource type as a "
                                       "separate argument when passing arguments in "
                                       "resource/name form");
            if (!slash)
                name = k->args[a];
            else if (ksi_kc_resource(type) != kind)
                return ksi_kc_error(k, "kubesim describes one type per command");
            if (ksi_kc_dry(k))
                continue;
            if ((ids[n] = ksi_kc_find(k, kind, name)) != 0) {
                n++;
                continue;
            }
            for (i = 0; i < nall; i++)        /* kubectl falls back to a name prefix */
                if (strncmp(ksi_kc_obj_name(k->sim, all[i]), name, strlen(name)) == 0)
                    ids[n++] = all[i];
            if (n == before)
                ksi_kc_not_found(k, kind, name);
        }
    } else if (ksi_kc_dry(k)) {
        return 0;
    } else {
        n = ksi_kc_select(k, kind, seltext ? &sel : NULL, &ids);
        if (n == 0) {
            if (ksi_kc_namespaced(kind) && !k->all_ns)
                ksi_kc_line(k, "No resources found in %s namespace.", k->ns);
            else
                ksi_kc_line(k, "No resources found");
            return k->status;
        }
    }
    if (ksi_kc_dry(k))
        return k->status;
    memset(&d, 0, sizeof d);
    d.k = k;
    ks_strbuf_init(&d.sb, ks_sim_allocator(k->sim));
    for (i = 0; i < n; i++) {
        if (i)
            ks_strbuf_puts(k->out, "\n\n");
        describers[kind](&d, ids[i]);
        ksi_dw_flush(&d);
    }
    ks_strbuf_fini(&d.sb);
    return k->status;
}
