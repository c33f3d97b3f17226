/* ks_endpoints.c -- the endpoints controller: each Service's endpoints are
 * the non-terminating pods with an IP whose labels match its selector, per
 * port only those that have the port's targetPort, ready ones apart
 * (KUBERNETES.md section 7; pkg/controller/endpoint/endpoints_controller.go).
 * A Service without a selector has manual endpoints: none here.
 *
 * It hears of Services and of pods, queues the Services a change touches,
 * and recomputes each one; every change of a Service's ready endpoints is
 * a trace event.
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

typedef struct endpoints_controller {
    ksi_workqueue queue;
} endpoints_controller;

static void push(ks_sim *sim, ks_id **ids, uint32_t **ports, size_t *n, size_t *cap,
                 size_t *ports_cap, ks_id id, uint32_t mask)
{
    if (ksi_grow(sim, (void **)ids, cap, *n + 1, sizeof **ids)
        || ksi_grow(sim, (void **)ports, ports_cap, *n + 1, sizeof **ports))
        return;
    (*ids)[*n] = id;
    (*ports)[*n] = mask;
    (*n)++;
}

/* Which of the Service's ports pod p is an endpoint of (bit i for spec port
 * i): those whose targetPort the pod has. A Service without ports (a
 * headless one may have none) takes every pod. */
static uint32_t ports_of(const ks_service_spec *spec, const ks_pod *p)
{
    uint32_t mask = 0;
    size_t i;
    for (i = 0; i < spec->nports && i < KS_SERVICE_MAX_PORTS; i++)
        if (ks_service_target_port(&spec->ports[i], p))
            mask |= 1u << i;
    return mask;
}

/* ShouldPodBeInEndpoints (staging/src/k8s.io/endpointslice/util): not
 * terminal, has an IP, not terminating (the Endpoints controller does not
 * include terminating pods). */
static bool in_endpoints(const ks_pod *p)
{
    return p->ip[0] && !p->terminating && strcmp(p->phase, "Succeeded") != 0
           && strcmp(p->phase, "Failed") != 0;
}

/* syncService (pkg/controller/endpoint/endpoints_controller.go): every pod
 * the selector matches, per Service port the port FindPort gives; a pod
 * that has none of the ports is in no subset. Ready ones as addresses,
 * the others as notReadyAddresses, unless publishNotReadyAddresses. */
static void sync_service(ks_sim *sim, void *ud, ks_id id)
{
    ksi_service *s = ksi_service_get(sim, id);
    const ks_service_spec *spec;
    size_t old_ready, i;
    ks_id old[64];
    uint32_t old_ports[64];
    bool changed;
    ks_id pid = 0;
    (void)ud;
    if (!s)
        return;
    spec = &s->pub.obj->u.svc;
    old_ready = s->pub.nready;
    for (i = 0; i < old_ready && i < 64; i++) {
        old[i] = s->pub.ready[i];
        old_ports[i] = s->pub.ready_ports[i];
    }
    s->pub.nready = s->pub.nnot_ready = 0;
    if (spec->selector.n)              /* no selector: Endpoints are manual */
        while ((pid = ks_cluster_next(sim, KS_KIND_POD, pid)) != 0) {
            const ks_pod *p = ks_cluster_pod(sim, pid);
            ks_selector sel = {spec->selector, NULL, 0};
            uint32_t mask;
            if (strcmp(p->ns, s->pub.obj->meta.ns) != 0 || !in_endpoints(p)
                || !ks_selector_matches(&sel, &p->labels))
                continue;
            mask = ports_of(spec, p);
            if (spec->nports && !mask)
                continue;
            if (p->ready || spec->publish_not_ready)
                push(sim, &s->pub.ready, &s->pub.ready_ports, &s->pub.nready, &s->ready_cap,
                     &s->ready_ports_cap, pid, mask);
            else
                push(sim, &s->pub.not_ready, &s->pub.not_ready_ports, &s->pub.nnot_ready,
                     &s->not_ready_cap, &s->not_ready_ports_cap, pid, mask);
        }
    changed = old_ready != s->pub.nready;
    for (i = 0; !changed && i < old_ready && i < 64; i++)
        changed = old[i] != s->pub.ready[i] || old_ports[i] != s->pub.ready_ports[i];
    if (changed || old_ready > 64)
        sim->cluster->endpoints_epoch++;      /* DNS answers from endpoints */
    /* a Service without a selector is not the controller's (syncService
       returns at once): its first sync tells nothing */
    if (!spec->selector.n)
        s->synced = true;
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

/* ---- what it hears ------------------------------------------------------------------- */
/* Whether a Service in namespace ns selects a pod with these labels. */
static bool selects(const ks_object *svc, const char *ns, const ks_kvs *labels)
{
    ks_selector sel = {svc->u.svc.selector, NULL, 0};
    return svc->u.svc.selector.n && strcmp(svc->meta.ns, ns) == 0
           && ks_selector_matches(&sel, labels);
}

/* A pod changed: the Services that select it now or selected it before
 * (getPodServiceMemberships in pkg/controller/endpoint). */
static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    endpoints_controller *ctl = ud;
    const ksi_pod *p = ch->obj;
    const ks_pod *old = ch->old;
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_object *svc = ksi_service_get(sim, id)->pub.obj;
        if (selects(svc, p->pub.ns, &p->pub.labels)
            || (old && selects(svc, old->ns, &old->labels)))
            ksi_wq_add(sim, &ctl->queue, id);
    }
}

static void on_service(ks_sim *sim, const ksi_change *ch, void *ud)
{
    endpoints_controller *ctl = ud;
    if (ch->type != KS_DELETED)
        ksi_wq_add(sim, &ctl->queue, ch->id);
}

static void stop(ks_sim *sim, void *ud)
{
    endpoints_controller *ctl = ud;
    ksi_wq_fini(sim, &ctl->queue);
}

int ksi_ctl_endpoints(ks_sim *sim)
{
    endpoints_controller *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl
        || ksi_wq_init(sim, &ctl->queue, KSI_PRIO_ENDPOINTS, KSI_WQ_OLDEST_OBJECT_FIRST,
                       sync_service, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_SERVICE), on_service, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_POD), on_pod, ctl)
        || ksi_sim_add_part(sim, stop, ctl))
        return KS_ENOMEM;
    return KS_OK;
}
