/* ks_services.c -- Services as the API server allocates them: cluster IPs
 * (10.96.0.0/12), node ports (30000-32767), and the service controller
 * that gives a LoadBalancer its address after the cloud's provisioning
 * time. Endpoints are ks_endpoints.c's.
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define LB_PROVISION (8 * KS_SEC)           /* <pending> -> address, as a cloud LB */

const ks_service *ks_cluster_service(const ks_sim *sim, ks_id id)
{
    ksi_service *s = ksi_service_get(sim, id);
    return s ? &s->pub : NULL;
}

static bool port_taken(const ks_sim *sim, int port)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ksi_service *s = ksi_service_get(sim, id);
        int i;
        for (i = 0; i < KS_SERVICE_MAX_PORTS; i++)
            if (s->pub.node_port[i] == port)
                return true;
    }
    return false;
}

/* The port of that name and protocol among the containers, 0 if none. */
static int named_port(const ks_container *cs, size_t n, bool sidecars_only, const char *name,
                      const char *proto)
{
    size_t c, k;
    for (c = 0; c < n; c++)
        for (k = 0; k < cs[c].nports && (!sidecars_only || cs[c].sidecar); k++) {
            const ks_port *cp = &cs[c].ports[k];
            if (cp->name && strcmp(cp->name, name) == 0
                && strcmp(cp->protocol ? cp->protocol : "TCP", proto) == 0)
                return cp->port;
        }
    return 0;
}

/* FindPort (pkg/api/v1/pod/util.go): a number is itself; a name is looked
 * up in the app containers' ports, then in the sidecars' (init containers
 * with restartPolicy: Always); none: the pod is no endpoint of that port. */
int ks_service_target_port(const ks_service_port *sp, const ks_pod *p)
{
    const char *proto = sp->protocol ? sp->protocol : "TCP";
    int port;
    if (!sp->target_port.set)
        return sp->port;
    if (!sp->target_port.is_str)
        return (int)sp->target_port.num;
    if (!p || !p->spec)
        return 0;
    port = named_port(p->spec->containers, p->spec->ncontainers, false, sp->target_port.str,
                      proto);
    return port ? port
                : named_port(p->spec->init, p->spec->ninit, true, sp->target_port.str, proto);
}

bool ks_service_serves(const ks_service *s, size_t k, size_t i)
{
    return k < s->nready && i < KS_SERVICE_MAX_PORTS && (s->ready_ports[k] >> i & 1u);
}

bool ks_service_is_apiserver(const ks_object *o)
{
    const char *provider = o ? ks_kvs_get(&o->meta.labels, "provider") : NULL;
    return provider && strcmp(provider, "kubernetes") == 0 && !o->u.svc.selector.n
           && strcmp(o->meta.name, "kubernetes") == 0 && o->meta.ns
           && strcmp(o->meta.ns, "default") == 0;
}

/* ---- the service controller: load balancers ---------------------------------------- */
static void lb_ready(ks_sim *sim, void *subject, uint64_t id)
{
    ksi_service *s = ksi_service_get(sim, (ks_id)id);
    ksi_cluster *c = sim->cluster;
    ks_service old;
    (void)subject;
    if (!s || s->pub.obj->u.svc.type != KS_SVC_LOADBALANCER)
        return;
    old = s->pub;
    snprintf(s->pub.external_ip, sizeof s->pub.external_ip, "203.0.113.%u", ++c->next_lb);
    ksi_event(sim, false, "EnsuredLoadBalancer", KS_KIND_SERVICE, s->pub.obj->meta.name,
              s->pub.id, "service-controller", "Ensured load balancer");
    ksi_store_update(sim, s->pub.id, &old);
}

static void on_service(ks_sim *sim, const ksi_change *ch, void *ud)
{
    const ksi_service *s = ch->obj;
    (void)ud;
    if (ch->type == KS_ADDED && s->pub.obj->u.svc.type == KS_SVC_LOADBALANCER)
        ks_event_after(sim, LB_PROVISION, KS_PRIO_DEFAULT, lb_ready, NULL, ch->id);
}

int ksi_ctl_service(ks_sim *sim)
{
    return ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_SERVICE), on_service, NULL);
}

/* ---- allocation ------------------------------------------------------------------------ */

/* Applies a Service: a new one gets its addresses; an updated one keeps
 * them (the cluster IP is immutable) but may gain node ports. */
int ksi_service_apply(ks_sim *sim, ks_id id, const ks_object *o, ks_id *out)
{
    ksi_service *s = id ? ksi_service_get(sim, id) : NULL;
    const ks_service_spec *spec = &o->u.svc;
    ks_rng *rng = ks_sim_rng(sim, KS_RNG_NAMES);
    size_t i;
    if (!s) {
        s = ksi_zalloc(sim, sizeof *s);
        if (!s)
            return KS_ENOMEM;
        s->pub.id = ksi_store_add(sim, KS_KIND_SERVICE, s, o);
        if (!s->pub.id)
            return KS_ENOMEM;
        if (spec->headless)
            snprintf(s->pub.cluster_ip, sizeof s->pub.cluster_ip, "None");
        else if (spec->cluster_ip && spec->cluster_ip[0])
            snprintf(s->pub.cluster_ip, sizeof s->pub.cluster_ip, "%s", spec->cluster_ip);
        else {                               /* 10.96.0.0/12, as kubeadm/minikube */
            /* one draw per statement: C leaves the order of arguments open
               (gcc and clang differ). Last octet first: the order gcc used,
               so traces pinned before stay the same. */
            unsigned d = 1 + (unsigned)ks_rng_below(rng, 254);
            unsigned c = (unsigned)ks_rng_below(rng, 256);
            unsigned b = 96 + (unsigned)ks_rng_below(rng, 16);
            snprintf(s->pub.cluster_ip, sizeof s->pub.cluster_ip, "10.%u.%u.%u", b, c, d);
        }
    }
    s->pub.obj = o;
    for (i = 0; i < spec->nports && i < KS_SERVICE_MAX_PORTS; i++) {
        if (spec->type != KS_SVC_NODEPORT && spec->type != KS_SVC_LOADBALANCER) {
            s->pub.node_port[i] = 0;
            continue;
        }
        if (spec->ports[i].node_port)
            s->pub.node_port[i] = spec->ports[i].node_port;
        else if (!s->pub.node_port[i]) {
            int p;
            do
                p = 30000 + (int)ks_rng_below(rng, 2768);
            while (port_taken(sim, p));
            s->pub.node_port[i] = p;
        }
    }
    *out = s->pub.id;
    return ks_sim_status(sim);
}

int ksi_service_check_ports(ks_sim *sim, ks_id self, const ks_object *o, ks_error *err)
{
    size_t i;
    ks_id id = 0;
    for (i = 0; i < o->u.svc.nports; i++) {
        int np = o->u.svc.ports[i].node_port;
        if (!np)
            continue;
        while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
            const ksi_service *s = ksi_service_get(sim, id);
            int k;
            if (id == self)
                continue;
            for (k = 0; k < KS_SERVICE_MAX_PORTS; k++)
                if (s->pub.node_port[k] == np) {
                    ks_error_set(err, KS_EINVAL, o->u.svc.ports[i].mark,
                                 "The Service \"%s\" is invalid: spec.ports[%zu].nodePort: "
                                 "Invalid value: %d: provided port is already allocated",
                                 o->meta.name, i, np);
                    return KS_EINVAL;
                }
        }
    }
    return KS_OK;
}

void ksi_service_free(ks_sim *sim, ks_id id)
{
    ksi_service *s = ksi_service_get(sim, id);
    if (!s)
        return;
    ks_mem_free(&sim->alloc, s->pub.ready, s->ready_cap * sizeof *s->pub.ready);
    ks_mem_free(&sim->alloc, s->pub.not_ready, s->not_ready_cap * sizeof *s->pub.not_ready);
    ks_mem_free(&sim->alloc, s->pub.ready_ports, s->ready_ports_cap * sizeof *s->pub.ready_ports);
    ks_mem_free(&sim->alloc, s->pub.not_ready_ports,
                s->not_ready_ports_cap * sizeof *s->pub.not_ready_ports);
    s->pub.ready = s->pub.not_ready = NULL;
    s->pub.ready_ports = s->pub.not_ready_ports = NULL;
    s->ready_cap = s->not_ready_cap = s->ready_ports_cap = s->not_ready_ports_cap = 0;
}

