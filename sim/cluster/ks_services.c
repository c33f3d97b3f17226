/* ks_services.c -- Services: cluster IPs, node ports, load balancer
 * addresses, and the endpoints controller.
 *
 * Endpoints hold only Ready, non-terminating pods whose labels match the
 * selector (KUBERNETES.md section 7); every change of a Service's ready
 * endpoints is a trace event. Recomputed after any pod or Service change,
 * in one sync at the same simulated time.
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define LB_PROVISION (8 * KS_SEC)           /* <pending> -> address, as a cloud LB */

static ksi_service *svc_get(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r && r->kind == KS_KIND_SERVICE ? r->ptr : NULL;
}

const ks_service *ks_cluster_service(const ks_sim *sim, ks_id id)
{
    ksi_service *s = svc_get(sim, id);
    return s ? &s->pub : NULL;
}

static bool port_taken(const ks_sim *sim, int port)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ksi_service *s = svc_get(sim, id);
        int i;
        for (i = 0; i < KS_SERVICE_MAX_PORTS; i++)
            if (s->pub.node_port[i] == port)
                return true;
    }
    return false;
}

static void lb_ready(ks_sim *sim, void *subject, uint64_t id)
{
    ksi_service *s = svc_get(sim, (ks_id)id);
    ksi_cluster *c = sim->cluster;
    (void)subject;
    if (!s || s->pub.obj->u.svc.type != KS_SVC_LOADBALANCER)
        return;
    snprintf(s->pub.external_ip, sizeof s->pub.external_ip, "203.0.113.%u", ++c->next_lb);
    ksi_event(sim, false, "EnsuredLoadBalancer", KS_KIND_SERVICE, s->pub.obj->meta.name,
              s->pub.id, "service-controller", "Ensured load balancer");
}

/* Applies a Service: a new one gets its addresses; an updated one keeps
 * them (the cluster IP is immutable) but may gain node ports. */
int ksi_service_apply(ks_sim *sim, ks_id id, const ks_object *o, ks_id *out)
{
    ksi_service *s = id ? svc_get(sim, id) : NULL;
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
        else                                 /* 10.96.0.0/12, as kubeadm/minikube */
            snprintf(s->pub.cluster_ip, sizeof s->pub.cluster_ip, "10.%u.%u.%u",
                     96 + (unsigned)ks_rng_below(rng, 16), (unsigned)ks_rng_below(rng, 256),
                     1 + (unsigned)ks_rng_below(rng, 254));
        if (spec->type == KS_SVC_LOADBALANCER)
            ks_event_after(sim, LB_PROVISION, KS_PRIO_DEFAULT, lb_ready, NULL, s->pub.id);
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
    sim->cluster->svc_version++;
    ksi_endpoints_dirty(sim);
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
            const ksi_service *s = svc_get(sim, id);
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
    ksi_service *s = svc_get(sim, id);
    if (!s)
        return;
    sim->cluster->svc_version++;
    ks_mem_free(&sim->alloc, s->pub.ready, s->ready_cap * sizeof *s->pub.ready);
    ks_mem_free(&sim->alloc, s->pub.not_ready, s->not_ready_cap * sizeof *s->pub.not_ready);
    s->pub.ready = s->pub.not_ready = NULL;
    s->ready_cap = s->not_ready_cap = 0;
}

/* ---- endpoints controller ------------------------------------------------------------ */
static void sync_endpoints(ks_sim *sim, void *subject, uint64_t arg);

void ksi_endpoints_dirty(ks_sim *sim)
{
    ksi_cluster *c = sim->cluster;
    if (!ks_event_pending(sim, c->endpoints_event))
        c->endpoints_event = ks_event_schedule(sim, ks_now(sim), 210, sync_endpoints, NULL, 0);
}

static bool push_id(ks_sim *sim, ks_id **items, size_t *n, size_t *cap, ks_id id)
{
    if (ksi_grow(sim, (void **)items, cap, *n + 1, sizeof **items))
        return false;
    (*items)[(*n)++] = id;
    return true;
}

static void sync_one(ks_sim *sim, ksi_service *s)
{
    const ks_service_spec *spec = &s->pub.obj->u.svc;
    size_t old_ready = s->pub.nready, i;
    ks_id old[64];
    bool changed;
    ks_id id = 0;
    for (i = 0; i < old_ready && i < 64; i++)
        old[i] = s->pub.ready[i];
    s->pub.nready = s->pub.nnot_ready = 0;
    if (spec->selector.n)              /* no selector: Endpoints are manual */
        while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
            const ks_pod *p = ks_cluster_pod(sim, id);
            ks_selector sel = {spec->selector, NULL, 0};
            if (strcmp(p->ns, s->pub.obj->meta.ns) != 0 || !p->node
                || !ks_selector_matches(&sel, &p->labels))
                continue;
            if (p->ready && !p->terminating)
                push_id(sim, &s->pub.ready, &s->pub.nready, &s->ready_cap, id);
            else if (!p->terminating)
                push_id(sim, &s->pub.not_ready, &s->pub.nnot_ready, &s->not_ready_cap, id);
        }
    changed = old_ready != s->pub.nready;
    for (i = 0; !changed && i < old_ready && i < 64; i++)
        changed = old[i] != s->pub.ready[i];
    if (changed || !s->synced) {
        ks_trace_event tev;
        char msg[64];
        s->synced = true;
        snprintf(msg, sizeof msg, "%zu ready, %zu not ready", s->pub.nready, s->pub.nnot_ready);
        memset(&tev, 0, sizeof tev);
        tev.type = KS_TR_ENDPOINTS;
        tev.kind = "Service";
        tev.name = s->pub.obj->meta.name;
        tev.msg = msg;
        tev.n[0] = (int64_t)s->pub.nready;
        ks_trace_emit(sim, &tev);
    }
}

static void sync_endpoints(ks_sim *sim, void *subject, uint64_t arg)
{
    ks_id id = 0;
    (void)subject;
    (void)arg;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0)
        sync_one(sim, svc_get(sim, id));
}
