/* ks_downward.c -- the downward API's values for env (valueFrom.fieldRef,
 * resourceFieldRef):
 * what the kubelet puts in a container's environment for each fieldPath
 * the API server accepts (pkg/kubelet/kubelet_pods.go podFieldSelectorRuntimeValue,
 * pkg/fieldpath ExtractFieldPathAsString); and the Service link variables,
 * shared by the containers of a namespace while its Services stay the same.
 */
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "core/internal/sim.h"
#include "internal/workload.h"
#include "ks_node.h"
#include "load/ks_validate.h"

/* The node's InternalIP, as kubectl and kubesim serve show it (minikube's
 * network: 192.168.49.2 for the first node, one more for each next). */
static void node_ip(const ks_sim *sim, ks_id node, char *buf, size_t n)
{
    ks_id id = 0;
    unsigned i = 2;
    while ((id = ks_cluster_next(sim, KS_KIND_NODE, id)) != 0 && id != node)
        i++;
    snprintf(buf, n, "192.168.49.%u", i);
}

/* metadata.labels['k'] / metadata.annotations['k']: the value, or "". */
static const char *subscript(const ks_kvs *kv, const char *path, size_t prefix)
{
    char key[256];
    size_t len = strlen(path);
    const char *v;
    if (len < prefix + 2)
        return "";
    snprintf(key, sizeof key, "%.*s", (int)(len - prefix - 2), path + prefix);
    v = ks_kvs_get(kv, key);
    return v ? v : "";
}

/* resourceFieldRef: the container's request or limit in units of the
 * divisor, rounded up; a limit not set is the node's allocatable (cpu,
 * memory; ephemeral-storage: kubesim has no node disk, 0, and kubesim check
 * warns), a request not set its limit if set (API defaulting), else 0
 * (pkg/api/v1/resource ExtractContainerResourceValue, kubelet
 * containerResourceRuntimeValue). */
static const char *resource_value(const ks_sim *sim, const ks_pod *p, const ks_container *c,
                                  const ks_env_var *v, char *buf, size_t n)
{
    const ks_node *node = ks_cluster_node(sim, p->node);
    bool cpu = strstr(v->ref_key, ".cpu") != NULL, limit = strncmp(v->ref_key, "limits.", 7) == 0;
    bool disk = strstr(v->ref_key, "ephemeral-storage") != NULL;
    int64_t amount, div = cpu ? 1000 : 1;
    size_t i;
    if (v->ref_name && p->spec)              /* containerName: another container's */
        for (i = 0; i < p->spec->ncontainers; i++)
            if (strcmp(p->spec->containers[i].name, v->ref_name) == 0)
                c = &p->spec->containers[i];
    if (disk)
        amount = limit ? c->eph_limit : c->eph_request;
    else
        amount = cpu ? (limit ? c->cpu_limit : c->cpu_request)
                     : (limit ? c->mem_limit : c->mem_request);
    if (!amount && !limit)
        amount = disk ? c->eph_limit : cpu ? c->cpu_limit : c->mem_limit;
    if (!amount && limit && node && !disk)
        amount = cpu ? node->cpu : node->memory;
    if (v->divisor && (ks_quantity_parse(v->divisor, cpu ? -3 : 0, &div) || div <= 0))
        div = cpu ? 1000 : 1;
    snprintf(buf, n, "%lld", (long long)((amount + div - 1) / div));
    return buf;
}

const char *ks_node_env_from(const ks_sim *sim, const ks_pod *p, const ks_container *c,
                             const ks_env_var *v, char *buf, size_t n)
{
    const char *path = v->ref_key;
    if (v->ref == KS_REF_RESOURCE)
        return resource_value(sim, p, c, v, buf, n);
    if (!path || strcmp(path, "metadata.name") == 0)
        return p->name;
    if (strcmp(path, "metadata.namespace") == 0)
        return p->ns ? p->ns : "default";
    if (strcmp(path, "metadata.uid") == 0) {
        char uid[40];
        ks_cluster_uid(p->id, 0, uid);
        snprintf(buf, n, "%s", uid);
        return buf;
    }
    if (strcmp(path, "spec.nodeName") == 0) {
        const ks_node *node = ks_cluster_node(sim, p->node);
        return node ? node->name : "";
    }
    if (strcmp(path, "spec.serviceAccountName") == 0)
        return p->spec && p->spec->service_account ? p->spec->service_account : "default";
    if (strcmp(path, "status.podIP") == 0 || strcmp(path, "status.podIPs") == 0)
        return p->ip;                         /* one address: podIPs is the same */
    if (strcmp(path, "status.hostIP") == 0 || strcmp(path, "status.hostIPs") == 0) {
        node_ip(sim, p->node, buf, n);
        return buf;
    }
    if (strncmp(path, "metadata.labels['", 17) == 0)
        return subscript(&p->labels, path, 17);
    if (strncmp(path, "metadata.annotations['", 22) == 0)
        return subscript(&p->annotations, path, 22);
    return "";
}

/* ---- Service link variables ---------------------------------------------------------- */
#define MASTER_IP "10.96.0.1"             /* the kubernetes Service: minikube's first
                                             address of 10.96.0.0/12 */

typedef struct envbuf {
    ks_arena *ar;
    ks_kv *items;
    size_t n, cap;
    bool failed;
} envbuf;

static void put(envbuf *b, const char *prefix, const char *suffix, const char *value)
{
    char *k, *c;
    if (b->failed)
        return;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        ks_kv *items = ks_arena_alloc(b->ar, cap * sizeof *items);
        if (!items) {
            b->failed = true;
            return;
        }
        if (b->n)
            memcpy(items, b->items, b->n * sizeof *items);
        b->items = items;
        b->cap = cap;
    }
    k = ks_arena_printf(b->ar, "%s%s", prefix, suffix);
    if (!k || !value) {
        b->failed = true;
        return;
    }
    for (c = k; *c; c++)                   /* makeEnvVariableName: upper, - to _ */
        *c = *c == '-' ? '_' : *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
    b->items[b->n].key = k;
    b->items[b->n].value = value;
    b->n++;
}

/* FromServices for one Service: NAME_SERVICE_HOST, NAME_SERVICE_PORT (its
 * first port), NAME_SERVICE_PORT_<PORTNAME> for each named port, then
 * makeLinkVariables: NAME_PORT (the first), NAME_PORT_<P>_<PROTO>, its
 * _PROTO, _PORT and _ADDR for each port. */
static void service_vars(envbuf *b, const char *name, const char *ip,
                         const ks_service_port *ports, size_t nports)
{
    size_t i;
    if (!nports)
        return;
    put(b, name, "_SERVICE_HOST", ip);
    put(b, name, "_SERVICE_PORT", ks_arena_printf(b->ar, "%d", ports[0].port));
    for (i = 0; i < nports; i++)
        if (ports[i].name && *ports[i].name)
            put(b, name, ks_arena_printf(b->ar, "_SERVICE_PORT_%s", ports[i].name),
                ks_arena_printf(b->ar, "%d", ports[i].port));
    for (i = 0; i < nports; i++) {
        const char *proto = ports[i].protocol && strcmp(ports[i].protocol, "UDP") == 0 ? "udp"
                            : ports[i].protocol && strcmp(ports[i].protocol, "SCTP") == 0
                                ? "sctp" : "tcp";
        const char *url = ks_arena_printf(b->ar, "%s://%s:%d", proto, ip, ports[i].port);
        const char *base = ks_arena_printf(b->ar, "_PORT_%d_%s", ports[i].port, proto);
        if (!url || !base) {
            b->failed = true;
            return;
        }
        if (i == 0)
            put(b, name, "_PORT", url);
        put(b, name, base, url);
        put(b, name, ks_arena_printf(b->ar, "%s_PROTO", base), proto);
        put(b, name, ks_arena_printf(b->ar, "%s_PORT", base),
            ks_arena_printf(b->ar, "%d", ports[i].port));
        put(b, name, ks_arena_printf(b->ar, "%s_ADDR", base), ip);
    }
}

/* One namespace's Service link variables as of one version of the Services.
 * Every container of the namespace started while that version holds gets
 * the same ones, so they share this (100,000 containers: one copy, not
 * 1.6 KB each); the last of them frees it. */
struct ksi_svc_env {
    struct ksi_svc_env *next;     /* the current ones, sim->cluster->svc_envs */
    ks_arena *ar;                 /* the variables' names and values */
    ks_kvs vars;
    const char *ns;
    bool links;                   /* enableServiceLinks */
    uint64_t version;             /* ksi_services_version when made */
    size_t refs;                  /* its containers, and the list while current */
};

static ksi_svc_env *svc_env_make(ks_sim *sim, const char *ns, bool links, uint64_t version)
{
    static const ks_service_port master = {"https", "TCP", 443, {0}, 0, {0}};
    ksi_svc_env *e = ks_mem_calloc(&sim->alloc, 1, sizeof *e);
    envbuf b = {NULL, NULL, 0, 0, false};
    ks_id id = 0;
    if (!e || !(e->ar = b.ar = ks_arena_create(&sim->alloc))) {
        ks_mem_free(&sim->alloc, e, sizeof *e);
        return NULL;
    }
    /* the kubernetes Service of default: in every pod, service links or not */
    service_vars(&b, "kubernetes", MASTER_IP, &master, 1);
    while (links && (id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *s = ks_cluster_service(sim, id);
        const ks_object *o = s ? s->obj : NULL;
        /* IsServiceIPSet: a ClusterIP, not None (headless) or "" (ExternalName) */
        if (!o || !s->cluster_ip[0] || strcmp(s->cluster_ip, "None") == 0
            || strcmp(o->meta.ns ? o->meta.ns : "default", ns) != 0
            || strcmp(o->meta.name, "kubernetes") == 0)
            continue;
        service_vars(&b, o->meta.name, ks_arena_strdup(b.ar, s->cluster_ip), o->u.svc.ports,
                     o->u.svc.nports);
    }
    e->vars.items = b.items;
    e->vars.n = b.n;
    e->ns = ks_arena_strdup(b.ar, ns);
    e->links = links;
    e->version = version;
    e->refs = 1;                           /* the list's */
    if (b.failed || !e->ns) {
        ksi_service_env_release(sim, e);
        return NULL;
    }
    return e;
}

const ks_kvs *ksi_service_env(ks_sim *sim, const ksi_pod *p, ksi_svc_env **held)
{
    const char *ns = p->pub.ns ? p->pub.ns : "default";
    bool links = !(p->pub.spec && p->pub.spec->no_service_links);
    uint64_t version = ksi_services_version(sim);
    ksi_svc_env **link = &sim->cluster->svc_envs, *e;
    while ((e = *link) != NULL) {
        if (e->version != version) {        /* made before a Service changed */
            *link = e->next;
            ksi_service_env_release(sim, e);
        } else if (e->links == links && strcmp(e->ns, ns) == 0) {
            break;
        } else {
            link = &e->next;
        }
    }
    if (!e) {
        if (!(e = svc_env_make(sim, ns, links, version)))
            return NULL;
        e->next = sim->cluster->svc_envs;
        sim->cluster->svc_envs = e;
    }
    e->refs++;
    *held = e;
    return &e->vars;
}

void ksi_service_env_release(ks_sim *sim, ksi_svc_env *e)
{
    if (!e || --e->refs)
        return;
    ks_arena_destroy(e->ar);
    ks_mem_free(&sim->alloc, e, sizeof *e);
}

void ksi_service_env_fini(ks_sim *sim)
{
    ksi_svc_env *e, *next;
    for (e = sim->cluster->svc_envs; e; e = next) {
        next = e->next;
        ksi_service_env_release(sim, e);
    }
    sim->cluster->svc_envs = NULL;
}
