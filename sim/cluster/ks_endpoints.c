/* ks_endpoints.c -- the endpoints controller: each Service's endpoints are
 * the Ready, non-terminating pods on a node whose labels match its selector
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

static bool push_id(ks_sim *sim, ks_id **items, size_t *n, size_t *cap, ks_id id)
{
    if (ksi_grow(sim, (void **)items, cap, *n + 1, sizeof **items))
        return false;
    (*items)[(*n)++] = id;
    return true;
}

static void sync_service(ks_sim *sim, void *ud, ks_id id)
{
    ksi_service *s = ksi_service_get(sim, id);
    const ks_service_spec *spec;
    size_t old_ready = s->pub.nready, i;
    ks_id old[64];
    bool changed;
    ks_id pid = 0;
    (void)ud;
    if (!s)
        return;
    spec = &s->pub.obj->u.svc;
    for (i = 0; i < old_ready && i < 64; i++)
        old[i] = s->pub.ready[i];
    s->pub.nready = s->pub.nnot_ready = 0;
    if (spec->selector.n)              /* no selector: Endpoints are manual */
        while ((pid = ks_cluster_next(sim, KS_KIND_POD, pid)) != 0) {
            const ks_pod *p = ks_cluster_pod(sim, pid);
            ks_selector sel = {spec->selector, NULL, 0};
            if (strcmp(p->ns, s->pub.obj->meta.ns) != 0 || !p->node
                || !ks_selector_matches(&sel, &p->labels))
                continue;
            if (p->ready && !p->terminating)
                push_id(sim, &s->pub.ready, &s->pub.nready, &s->ready_cap, pid);
            else if (!p->terminating)
                push_id(sim, &s->pub.not_ready, &s->pub.nnot_ready, &s->not_ready_cap, pid);
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
