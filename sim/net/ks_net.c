/* ks_net.c -- in-cluster networking: Service DNS names, kube-proxy's choice
 * of endpoint (random per connection, as in iptables mode), ingress-nginx's
 * round robin, and the controller's routing table (ks_ingress.c), rebuilt
 * when an Ingress changes (KUBERNETES.md sections 7 and 8).
 */
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "internal/net.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define DNS_CACHE 64

typedef struct dns_entry {
    const char *host;             /* hostbuf once set */
    char hostbuf[128], ns[64];
    uint64_t version;
    ks_id svc;
} dns_entry;

/* The network's state (the cluster's `net` slot). */
struct ksi_net {
    dns_entry dns[DNS_CACHE];
    uint64_t svc_version;         /* bumped when a Service changes */
    ks_ingress_table *ingress;    /* the controller's routes */
    bool ingress_dirty;
    uint64_t *rr;                 /* ingress-nginx's round robin, by Service id */
    size_t rr_cap;
};

static ks_id resolve(const ks_sim *sim, const char *ns, const char *host);

/* DNS answers are cached per (namespace, host) until a Service changes:
 * the apps ask for the same names on every request. */
ks_id ksi_net_resolve(const ks_sim *sim, const char *ns, const char *host)
{
    struct ksi_net *c = sim->cluster->net;
    dns_entry *e;
    uint32_t h = 2166136261u;
    const char *s;
    if (!host)
        return 0;
    for (s = host; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    for (s = ns; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    e = &c->dns[h % DNS_CACHE];
    if (e->version != c->svc_version || !e->host || strcmp(e->host, host) != 0
        || strcmp(e->ns, ns) != 0) {
        snprintf(e->hostbuf, sizeof e->hostbuf, "%s", host);
        snprintf(e->ns, sizeof e->ns, "%s", ns);
        e->host = e->hostbuf;
        e->version = c->svc_version;
        e->svc = resolve(sim, ns, host);
    }
    return e->svc;
}

static ks_id resolve(const ks_sim *sim, const char *ns, const char *host)
{
    char name[254], sns[64];
    const char *dot;
    ks_id id = 0;
    size_t n;
    if (!host || !*host)
        return 0;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *s = ks_cluster_service(sim, id);
        if (strcmp(s->cluster_ip, host) == 0)
            return id;
    }
    dot = strchr(host, '.');
    n = dot ? (size_t)(dot - host) : strlen(host);
    if (n >= sizeof name)
        return 0;
    memcpy(name, host, n);
    name[n] = '\0';
    snprintf(sns, sizeof sns, "%s", ns);
    if (dot) {
        /* name.ns[.svc[.cluster.local]] */
        const char *rest = dot + 1, *d2 = strchr(rest, '.');
        size_t m = d2 ? (size_t)(d2 - rest) : strlen(rest);
        if (m >= sizeof sns)
            return 0;
        memcpy(sns, rest, m);
        sns[m] = '\0';
        if (d2 && strcmp(d2, ".svc") != 0 && strcmp(d2, ".svc.cluster.local") != 0)
            return 0;
    }
    return ks_cluster_find(sim, KS_KIND_SERVICE, sns, name);
}

ks_id ksi_net_nodeport(const ks_sim *sim, int port, size_t *index)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *s = ks_cluster_service(sim, id);
        size_t i;
        for (i = 0; i < KS_SERVICE_MAX_PORTS; i++)
            if (s->node_port[i] == port) {
                *index = i;
                return id;
            }
    }
    return 0;
}

int ksi_net_service_port(const ks_service *svc, int port, const char *name)
{
    size_t i;
    for (i = 0; i < svc->obj->u.svc.nports; i++) {
        const ks_service_port *p = &svc->obj->u.svc.ports[i];
        if ((name && p->name && strcmp(p->name, name) == 0) || (!name && p->port == port))
            return (int)i;
    }
    return -1;
}

int ksi_net_target_port(const ks_service *svc, size_t pi, const ks_pod *p)
{
    const ks_intstr *t = &svc->obj->u.svc.ports[pi].target_port;
    size_t c, k;
    if (!t->is_str)
        return (int)t->num;
    for (c = 0; c < p->ncontainers; c++)       /* a named containerPort */
        for (k = 0; k < p->containers[c].spec->nports; k++) {
            const ks_port *cp = &p->containers[c].spec->ports[k];
            if (cp->name && strcmp(cp->name, t->str) == 0)
                return cp->port;
        }
    return 0;
}

ks_id ksi_net_pick(ks_sim *sim, const ks_service *svc, size_t pi, int *target)
{
    ks_id pod;
    if (!svc->nready)
        return 0;
    pod = svc->ready[ks_rng_below(ks_sim_rng(sim, KS_RNG_ROUTING), svc->nready)];
    *target = ksi_net_target_port(svc, pi, ks_cluster_pod(sim, pod));
    return pod;
}

ks_id ksi_net_round_robin(ks_sim *sim, const ks_service *svc, size_t pi, int *target)
{
    struct ksi_net *net = sim->cluster->net;
    ks_id pod;
    if (!svc->nready)
        return 0;
    if (svc->id >= net->rr_cap) {
        size_t had = net->rr_cap;
        if (ks_mem_grow(&sim->alloc, (void **)&net->rr, &net->rr_cap, svc->id + 1,
                        sizeof *net->rr)) {
            ks_sim_fail(sim, KS_ENOMEM);
            return 0;
        }
        memset(net->rr + had, 0, (net->rr_cap - had) * sizeof *net->rr);
    }
    pod = svc->ready[net->rr[svc->id]++ % svc->nready];
    *target = ksi_net_target_port(svc, pi, ks_cluster_pod(sim, pod));
    return pod;
}

/* ---- the ingress controller's table ---------------------------------------------------- */
const ks_ingress_table *ksi_net_ingress(ks_sim *sim)
{
    struct ksi_net *c = sim->cluster->net;
    const ks_object **objs = NULL;
    size_t n = 0, cap = 0;
    ks_diags *d;
    ks_id id = 0;
    if (!c->ingress_dirty)
        return c->ingress;
    c->ingress_dirty = false;
    ks_ingress_table_destroy(c->ingress);
    c->ingress = NULL;
    while ((id = ks_cluster_next(sim, KS_KIND_INGRESS, id)) != 0) {
        if (ksi_grow(sim, (void **)&objs, &cap, n + 1, sizeof *objs))
            return NULL;
        objs[n++] = ks_cluster_object(sim, id);
    }
    id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_INGRESSCLASS, id)) != 0) {
        if (ksi_grow(sim, (void **)&objs, &cap, n + 1, sizeof *objs))
            return NULL;
        objs[n++] = ks_cluster_object(sim, id);
    }
    d = ks_mem_alloc(&sim->alloc, sizeof *d);
    if (d) {
        ks_diags_init(d);
        ks_ingress_table_create(&sim->alloc, NULL, objs, n, &c->ingress, d);
        if (d->warnings && d->n)               /* tell the class in the log */
            ksi_event(sim, true, "IngressIgnored", KS_KIND_INGRESS, "ingress-nginx", 0,
                      "nginx-ingress-controller", "%s", d->items[0].err.msg);
        ks_mem_free(&sim->alloc, d, sizeof *d);
    }
    ks_mem_free(&sim->alloc, objs, cap * sizeof *objs);
    return c->ingress;
}

/* ---- what it hears ------------------------------------------------------------------- */
/* A Service changed: DNS answers may have; an Ingress or IngressClass
 * changed: the controller rebuilds its routes (at the next request). */
static void on_change(ks_sim *sim, const ksi_change *ch, void *ud)
{
    struct ksi_net *net = ud;
    (void)sim;
    if (ch->kind == KS_KIND_SERVICE)
        net->svc_version++;
    else
        net->ingress_dirty = true;
}

static void net_fini(ks_sim *sim, void *ud)
{
    struct ksi_net *net = ud;
    ks_ingress_table_destroy(net->ingress);
    ks_mem_free(&sim->alloc, net->rr, net->rr_cap * sizeof *net->rr);
    sim->cluster->net = NULL;
}

int ksi_ctl_net(ks_sim *sim)
{
    struct ksi_net *net = ksi_zalloc(sim, sizeof *net);
    if (!net || ksi_sim_add_part(sim, net_fini, net)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_SERVICE) | KSI_KIND_BIT(KS_KIND_INGRESS)
                                 | KSI_KIND_BIT(KS_KIND_INGRESSCLASS), on_change, net))
        return KS_ENOMEM;
    sim->cluster->net = net;
    return KS_OK;
}
