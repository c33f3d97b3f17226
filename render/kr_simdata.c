/* kr_simdata.c -- the window's figures from the simulation itself: records
 * per claim and per pod (sim/cluster/ks_cluster.h data layer), per-route request
 * figures (sim/net/ks_traffic.h), and request dots from KS_TR_HOP trace events.
 *
 * Hops are drawn the way a learner thinks of them: a request that the sim
 * sends from the ingress (or a node port) straight to a pod passes through
 * the Service pill that selects that pod, and so does a call from one pod to
 * another (an api to its database). Answers are drawn only when they fail
 * (vermillion, with their status code): the way in is what shows the
 * routing, and half the dots keep the picture readable.
 * Depends on: ks_cluster, ks_traffic, ks_trace, kr_anim, kr_data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_data.h"
#include "kr_simdata.h"
#include "net/ks_traffic.h"
#include "world/ks_world.h"

/* ---------------------------------------------------------------------------
 * Figures
 * ------------------------------------------------------------------------- */
static bool sim_records(void *ud, const ks_sim *sim, ks_id pvc, ks_id pod, const char *volume,
                        kr_records *out)
{
    (void)ud;
    (void)volume;
    memset(out, 0, sizeof *out);
    if (pvc) {
        const ks_pvc *c = ks_cluster_pvc(sim, pvc);
        int64_t n = ks_pvc_records(sim, pvc);
        if (n < 0 && !(c && c->pv))
            return false;                 /* no volume yet: nothing to show */
        out->count = n < 0 ? 0 : (long)n;
        if (c && c->pv) {
            int writers;
            kr_sim_volume_hazard(sim, c->pv, &writers, &out->unsafe);
        }
        return true;
    }
    if (pod) {
        int64_t n = ks_node_pod_records(sim, pod);
        kr_pod_data pd;
        if (n < 0)
            return false;
        out->count = (long)n;
        if (kr_sim_pod_data(sim, pod, &pd)) {
            out->where = pd.where;
            out->lost = pd.lost;
            out->lost_at = pd.lost_at;
        } else {
            out->where = "on a volume";
        }
        return true;
    }
    return false;
}

static size_t sim_routes(void *ud, const ks_sim *sim, kr_route_stat *out, size_t max)
{
    size_t n = ks_traffic_route_count(sim), i, k = 0;
    (void)ud;
    for (i = 0; i < n && k < max; i++) {
        ks_route_stats r;
        ks_traffic_route(sim, i, &r);
        snprintf(out[k].method, sizeof out[k].method, "%s", r.method ? r.method : "GET");
        snprintf(out[k].path, sizeof out[k].path, "%s", r.path ? r.path : "/");
        out[k].rate = r.rate;
        out[k].total = (long)r.stats.count;
        out[k].success = r.stats.count ? (double)r.stats.ok / (double)r.stats.count : -1;
        out[k].p99_ms = r.stats.count ? (double)r.stats.p99 / 1000.0 : -1;
        k++;
    }
    return k;
}

static double sim_rate(void *ud, const ks_sim *sim)
{
    size_t n = ks_traffic_route_count(sim), i;
    double sum = 0;
    bool outside = false;
    (void)ud;
    /* the Traffic box is the scenario's clients: what pods send themselves
       (wget, curl) is in the Requests panel, not here */
    for (i = 0; i < n; i++) {
        ks_route_stats r;
        ks_traffic_route(sim, i, &r);
        if (r.pods_only)
            continue;
        outside = true;
        sum += r.rate;
    }
    return outside ? sum : -1;
}

const kr_data_source *kr_data_sim(void)
{
    static const kr_data_source src = {NULL, sim_records, sim_routes, sim_rate};
    return &src;
}

bool kr_sim_pod_data(const ks_sim *sim, ks_id pod, kr_pod_data *out)
{
    size_t i, n = ks_datadir_count(sim);
    memset(out, 0, sizeof *out);
    for (i = 0; i < n; i++) {
        const ks_datadir *d = ks_datadir_get(sim, i);
        if (!d || d->pod != pod
            || (d->kind != KS_DATA_LAYER && d->kind != KS_DATA_MEMORY
                && d->kind != KS_DATA_EMPTYDIR))
            continue;
        if (d->lost > 0) {                    /* gone ones too: they say what was lost */
            out->lost += (long)d->lost;
            out->lost_at = d->lost_at > out->lost_at ? d->lost_at : out->lost_at;
        }
        if (d->gone)
            continue;
        out->records += d->records;
        out->where = d->kind == KS_DATA_LAYER ? "in its layer"
                     : d->kind == KS_DATA_MEMORY ? "in memory" : "in emptyDir";
        out->found = true;
    }
    return out->found;
}

bool kr_sim_volume_hazard(const ks_sim *sim, ks_id pv, int *writers, long *unreliable)
{
    size_t i, n = ks_datadir_count(sim);
    *writers = 0;
    *unreliable = 0;
    for (i = 0; pv && i < n; i++) {
        const ks_datadir *d = ks_datadir_get(sim, i);
        if (!d || d->kind != KS_DATA_VOLUME || d->pv != pv || d->gone)
            continue;
        if (d->writers > *writers)
            *writers = d->writers;
        *unreliable += (long)d->unreliable;
    }
    return *writers > 1 || *unreliable > 0;
}

/* ---------------------------------------------------------------------------
 * Hops
 * ------------------------------------------------------------------------- */
/* A pod by name: the default namespace first, then any. */
static ks_id pod_named(const ks_sim *sim, const char *name)
{
    ks_id id = ks_cluster_find(sim, KS_KIND_POD, "default", name);
    if (id)
        return id;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        if (p && strcmp(p->name, name) == 0)
            return id;
    }
    return 0;
}

/* "client", "ingress", "nodeport:31515", "loadbalancer:NAME",
 * "service:NAME", "pod/NAME", "policy:pod/NAME" -> an endpoint; false when
 * unknown. */
static bool endpoint(const ks_sim *sim, const char *s, kr_endpoint *e)
{
    ks_id id = 0;
    memset(e, 0, sizeof *e);
    if (!s)
        return false;
    if (strcmp(s, "client") == 0) {
        e->kind = KR_EP_CLIENT;
        return true;
    }
    if (strcmp(s, "ingress") == 0) {
        e->kind = KR_EP_INGRESS;
        return true;
    }
    if (strncmp(s, "pod/", 4) == 0) {
        e->kind = KR_EP_POD;
        e->id = pod_named(sim, s + 4);
        return e->id != 0;
    }
    if (strncmp(s, "policy:pod/", 11) == 0) {
        e->kind = KR_EP_POLICY;
        e->id = pod_named(sim, s + 11);
        return e->id != 0;
    }
    if (strncmp(s, "service:", 8) == 0 || strncmp(s, "loadbalancer:", 13) == 0) {
        e->kind = KR_EP_SERVICE;
        e->id = ks_cluster_find(sim, KS_KIND_SERVICE, NULL, strchr(s, ':') + 1);
        return e->id != 0;
    }
    if (strncmp(s, "nodeport:", 9) == 0) {
        int port = atoi(s + 9), k;
        while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
            const ks_service *sv = ks_cluster_service(sim, id);
            for (k = 0; sv && k < KS_SERVICE_MAX_PORTS; k++)
                if (sv->node_port[k] == port) {
                    e->kind = KR_EP_SERVICE;
                    e->id = id;
                    return true;
                }
        }
    }
    return false;
}

/* The Service a request to this pod went through: one whose ready
 * endpoints include it (the first, in creation order). */
static ks_id service_of(const ks_sim *sim, ks_id pod)
{
    ks_id id = 0;
    size_t k;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *sv = ks_cluster_service(sim, id);
        for (k = 0; sv && k < sv->nready; k++)
            if (sv->ready[k] == pod)
                return id;
    }
    return 0;
}

size_t kr_sim_hops(const ks_sim *sim, const ks_trace_event *ev, kr_hop out[2])
{
    kr_endpoint from, to;
    int status;
    ks_time lat;
    ks_id svc;
    if (ev->type != KS_TR_HOP || !endpoint(sim, ev->name, &from)
        || !endpoint(sim, ev->reason, &to))
        return 0;
    status = (int)ev->n[1];
    lat = ev->n[2] > 0 ? ev->n[2] : 1;
    memset(out, 0, 2 * sizeof *out);
    out[0].req = (uint64_t)ev->n[0];
    out[0].t_start = ev->t;
    out[0].t_end = ev->t + lat;
    out[0].status = status;
    out[0].from = from;
    out[0].to = to;
    if (to.kind == KR_EP_CLIENT) {
        /* an answer: good ones are not drawn; a failed one (no answer at
         * all is status 0) is drawn where it failed, waiting there as long
         * as the caller waited */
        if (status >= 200 && status < 400)
            return 0;
        out[0].ok = false;
        out[0].to = from;
        out[0].timeout = lat >= KS_SEC;
        return 1;
    }
    out[0].ok = status == 0 || (status >= 200 && status < 400);
    if (status != 0 && from.kind == KR_EP_POD)
        return 0;                           /* a failed call between pods: its log says */
    /* to a pod (or its policy) from outside it: through the Service pill
     * that selects it */
    if ((to.kind == KR_EP_POD || to.kind == KR_EP_POLICY) && from.kind != KR_EP_SERVICE
        && (svc = service_of(sim, to.id)) != 0) {
        out[1] = out[0];
        out[0].to.kind = KR_EP_SERVICE;
        out[0].to.id = svc;
        out[0].t_end = ev->t + lat / 2;
        out[1].from = out[0].to;
        out[1].t_start = out[0].t_end;
        return 2;
    }
    return 1;
}
