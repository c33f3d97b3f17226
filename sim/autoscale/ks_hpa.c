/* ks_hpa.c -- the HorizontalPodAutoscaler controller (kube-controller-
 * manager's horizontal-pod-autoscaler, pkg/controller/podautoscaler/
 * horizontal.go reconcileAutoscaler): every 15 s per HPA -- the first time
 * 15 s after it is created, since its queue adds every key with the resync
 * period's delay (NewDefaultHPARateLimiter) -- it reads the target's scale,
 * lists the target's pods, reads their metrics from metrics.k8s.io
 * (autoscale/ks_metrics.c), proposes a replica count (ks_hpa_calc.c),
 * stabilizes and limits it, and scales the target through the API server
 * as `kubectl scale` does. Conditions and events carry the controller's
 * words: SuccessfulRescale "New size: N; reason: cpu resource utilization
 * (percentage of request) above target", FailedGetResourceMetric,
 * FailedComputeMetricsReplicas, FailedGetScale.
 */
#include "ks_hpa.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"
#include "ks_metrics.h"

#define SOURCE "horizontal-pod-autoscaler"
#define MAX_POD_VIEW 4096

typedef struct hpa_state {
    ks_hpa pub;                   /* first: ks_cluster_hpa returns it */
    ks_hpa_history hist;
    ks_event_id tick;
} hpa_state;

typedef struct hpa_controller {
    ks_hpa_pod *pods;             /* scratch: the pods of one target */
    size_t cap;
} hpa_controller;

const ks_hpa *ks_cluster_hpa(const ks_sim *sim, ks_id id)
{
    return ksi_store_status(sim, id, KS_KIND_HPA);
}

const char *ks_hpa_condition_name(int c)
{
    static const char *const names[KS_HPA_NCOND] = {"AbleToScale", "ScalingActive",
                                                    "ScalingLimited"};
    return c >= 0 && c < KS_HPA_NCOND ? names[c] : "?";
}

/* The target: a Deployment, a ReplicaSet or a StatefulSet (the kinds with
 * a scale subresource kubesim runs). */
static ks_id target_of(const ks_sim *sim, const ks_hpa_spec *spec, const char *ns)
{
    ks_kind k = strcmp(spec->target_kind, "ReplicaSet") == 0    ? KS_KIND_REPLICASET
                : strcmp(spec->target_kind, "StatefulSet") == 0 ? KS_KIND_STATEFULSET
                                                                : KS_KIND_DEPLOYMENT;
    return ks_cluster_find(sim, k, ns, spec->target_name);
}

ks_id ks_hpa_of_target(const ks_sim *sim, ks_id target)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_HPA, id)) != 0) {
        const ks_hpa *h = ks_cluster_hpa(sim, id);
        if (h && target_of(sim, h->spec, h->obj->meta.ns) == target)
            return id;
    }
    return 0;
}

/* setCondition: the transition time moves only when the status flips. */
static void set_cond(ks_sim *sim, hpa_state *s, int c, bool status, const char *reason,
                     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void set_cond(ks_sim *sim, hpa_state *s, int c, bool status, const char *reason,
                     const char *fmt, ...)
{
    ks_hpa_condition *x = &s->pub.cond[c];
    va_list ap;
    if (!x->set || x->status != status)
        x->changed = ks_now(sim);
    x->set = true;
    x->status = status;
    x->reason = reason;
    va_start(ap, fmt);
    vsnprintf(x->message, sizeof x->message, fmt, ap);
    va_end(ap);
}

static void warn(ks_sim *sim, hpa_state *s, const char *reason, const char *msg)
{
    ksi_event(sim, true, reason, KS_KIND_HPA, s->pub.obj->meta.name, s->pub.id, SOURCE, "%s",
              msg);
}

/* ---- what the replica calculator sees --------------------------------------------- */
/* container: NULL for the pod's whole (Resource), else that container's
 * (ContainerResource): its request (calculatePodRequests: the app
 * containers and sidecars of that name) and its metric; false when the pod
 * has metrics without that container (the metrics client's error). */
static bool view_pod(const ks_sim *sim, const ks_pod *p, bool cpu, const char *container,
                     ks_hpa_pod *v)
{
    ks_metrics_sample ps, cs;
    size_t c;
    bool found = false;
    memset(v, 0, sizeof *v);
    v->name = p->name;
    v->gone = p->terminating || strcmp(p->phase, "Failed") == 0;
    v->pending = strcmp(p->phase, "Pending") == 0;
    v->started = p->node != 0;
    v->start = p->scheduled_at;
    v->ready = p->ready;
    v->ready_changed = p->ready_changed;
    for (c = 0; c < p->spec->ncontainers + p->spec->ninit; c++) {
        const ks_container *k = c < p->spec->ncontainers ? &p->spec->containers[c]
                                                         : &p->spec->init[c - p->spec->ncontainers];
        int64_t req = cpu ? k->cpu_request : k->mem_request;
        if ((c >= p->spec->ncontainers && !k->sidecar)
            || (container && strcmp(k->name, container) != 0))
            continue;
        if (req <= 0) {
            v->request = -1;
            v->missing = k->name;
            break;
        }
        v->request += req;
    }
    if (!ks_metrics_pod(sim, p->id, &ps))
        return true;
    v->has_metric = true;
    v->metric_at = ps.timestamp;
    v->window = ps.window;
    /* each container of the pod's metrics, sidecars too (metrics/client.go
       getPodMetrics sums them all; getContainerMetrics finds one by name) */
    for (c = 0; c < p->ncontainers + p->ninit; c++) {  /* each one's MilliValue */
        if (container && strcmp(p->containers[c].spec->name, container) != 0)
            continue;
        if (!ks_metrics_container(sim, p->id, c, &cs))
            continue;
        found = true;
        v->metric += cpu ? ks_metrics_milli(cs.cpu_nano) : cs.memory;
    }
    return !container || found;
}

/* The target's pods (its selector, its namespace); *absent: the first pod
 * whose metrics lack the container (ContainerResource), else NULL. */
static size_t list_pods(ks_sim *sim, hpa_controller *ctl, const ks_selector *sel,
                        const char *ns, bool cpu, const char *container, size_t *with_metrics,
                        const ks_pod **absent)
{
    ks_id id = 0;
    size_t n = 0;
    *with_metrics = 0;
    *absent = NULL;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0 && n < MAX_POD_VIEW) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        if (!p || strcmp(p->ns, ns) != 0 || !ks_selector_matches(sel, &p->labels))
            continue;
        if (ksi_grow(sim, (void **)&ctl->pods, &ctl->cap, n + 1, sizeof *ctl->pods))
            return 0;
        if (!view_pod(sim, p, cpu, container, &ctl->pods[n]) && !*absent)
            *absent = p;
        *with_metrics += ctl->pods[n].has_metric;
        n++;
    }
    return n;
}

/* ---- one metric ------------------------------------------------------------------ */
/* Why a metric could not be had: the condition's reason and error
 * (getUnableComputeReplicaCountCondition, which also records it as an
 * event), and the error computeReplicasForMetric returns, wrapped in its
 * words (FailedComputeMetricsReplicas quotes the first). */
typedef struct metric_error {
    const char *reason;
    char cond[700], wrapped[900];
} metric_error;

/* Pods, Object and External metrics: kubesim's minikube registers neither
 * custom.metrics.k8s.io nor external.metrics.k8s.io (no adapter such as
 * prometheus-adapter), so the metrics client fails as client-go's do --
 * custom_metrics discovers no group, external_metrics gets a 404 -- and
 * the replica calculator (replica_calculator.go GetMetricReplicas,
 * GetObject*MetricReplicas, GetExternal*MetricReplicas) and
 * computeStatusFor{Pods,Object,External}Metric wrap it in their words. */
static void custom_unavailable(ks_sim *sim, hpa_state *s, const ks_hpa_metric *m,
                               metric_error *e)
{
    static const char custom[] = "unable to fetch metrics from custom metrics API: no custom "
                                 "metrics API (custom.metrics.k8s.io) registered";
    const char *ns = s->pub.obj->meta.ns;
    switch (m->source) {
    case KS_HPA_PODS:
        e->reason = "FailedGetPodsMetric";
        snprintf(e->cond, sizeof e->cond, "unable to get metric %s: %s", m->resource, custom);
        snprintf(e->wrapped, sizeof e->wrapped, "failed to get pods metric value: %s", e->cond);
        break;
    case KS_HPA_OBJECT:                /* its format string's argument order, verbatim */
        e->reason = "FailedGetObjectMetric";
        snprintf(e->cond, sizeof e->cond, "unable to get metric %s: %s on %s %s/%s", m->resource,
                 m->object_kind, ns, m->object_name, custom);
        if (m->value)
            snprintf(e->wrapped, sizeof e->wrapped, "failed to get object metric value: %s",
                     e->cond);
        else
            snprintf(e->wrapped, sizeof e->wrapped, "failed to get object metric value: failed "
                     "to get %s object metric: %s", m->resource, e->cond);
        break;
    default:
        e->reason = "FailedGetExternalMetric";
        snprintf(e->cond, sizeof e->cond, "unable to get external metric %s/%s/%s: unable to "
                 "fetch metrics from external metrics API: the server could not find the "
                 "requested resource (get %s.external.metrics.k8s.io)", ns, m->resource,
                 m->selector ? m->selector : "nil", m->resource);
        if (m->value)
            snprintf(e->wrapped, sizeof e->wrapped, "failed to get external metric %s: %s",
                     m->resource, e->cond);
        else
            snprintf(e->wrapped, sizeof e->wrapped, "failed to get %s external metric: %s",
                     m->resource, e->cond);
        break;
    }
    warn(sim, s, e->reason, e->cond);
}

/* computeStatusForResourceMetric: true with *proposal; false with e */
static bool compute_metric(ks_sim *sim, hpa_controller *ctl, hpa_state *s, size_t i,
                           const ks_selector *sel, int32_t current, int32_t *proposal,
                           char *name, size_t name_len, metric_error *e)
{
    const ks_hpa_metric *m = &s->pub.spec->metrics[i];
    bool cpu = strcmp(m->resource, "cpu") == 0;
    const char *what = m->utilization ? "utilization" : "usage";
    char why[400];
    size_t n, with_metrics;
    ks_hpa_calc calc;
    ks_metrics_api api = ks_metrics_state(sim);
    const ks_pod *absent;
    bool ok, one = m->source == KS_HPA_CONTAINER_RESOURCE;
    s->pub.metrics[i].known = false;
    if (!ks_hpa_is_resource(m)) {
        custom_unavailable(sim, s, m, e);
        return false;
    }
    n = list_pods(sim, ctl, sel, s->pub.obj->meta.ns, cpu, one ? m->container : NULL,
                  &with_metrics, &absent);
    if (api != KS_METRICS_SERVING)      /* rest_metrics_client.go GetResourceMetric */
        snprintf(why, sizeof why, "unable to get metrics for resource %s: unable to fetch "
                 "metrics from resource metrics API: %s (get pods.metrics.k8s.io)",
                 m->resource, api == KS_METRICS_ABSENT
                                  ? "the server could not find the requested resource"
                                  : "the server is currently unable to handle the request");
    else if (with_metrics == 0)
        snprintf(why, sizeof why, "unable to get metrics for resource %s: no metrics returned "
                 "from resource metrics API", m->resource);
    else if (absent)                    /* getContainerMetrics */
        snprintf(why, sizeof why, "unable to get metrics for resource %s: failed to get "
                 "container metrics: container %s not present in metrics for pod %s/%s",
                 m->resource, m->container, absent->ns, absent->name);
    else {
        ok = m->utilization ? ks_hpa_resource_replicas(ctl->pods, n, current,
                                                       m->average_utilization, cpu,
                                                       ks_now(sim), &calc)
                            : ks_hpa_raw_replicas(ctl->pods, n, current, m->average_value, cpu,
                                                  ks_now(sim), &calc);
        if (ok) {
            s->pub.metrics[i] = (ks_hpa_metric_status){true, calc.utilization, calc.raw};
            *proposal = calc.replicas;
            /* computeStatusForResourceMetricGeneric's metric names */
            snprintf(name, name_len, !m->utilization ? "%s resource"
                                     : one ? "%s container resource utilization (percentage "
                                             "of request)"
                                           : "%s resource utilization (percentage of request)",
                     m->resource);
            return true;
        }
        snprintf(why, sizeof why, "%s", calc.error);
    }
    /* getUnableComputeReplicaCountCondition: an event, and the condition;
     * computeReplicasForMetric's wrapping names the container */
    e->reason = one ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
    snprintf(e->cond, sizeof e->cond, "failed to get %s %s: %.380s", m->resource, what, why);
    if (one)
        snprintf(e->wrapped, sizeof e->wrapped, "failed to get %s container metric value: %s",
                 m->container, e->cond);
    else
        snprintf(e->wrapped, sizeof e->wrapped, "failed to get %s resource metric value: %s",
                 m->resource, e->cond);
    warn(sim, s, e->reason, e->cond);
    return false;
}

/* computeReplicasForMetrics */
static bool compute(ks_sim *sim, hpa_controller *ctl, hpa_state *s, const ks_selector *sel,
                    int32_t current, int32_t *replicas, char *metric, size_t metric_len)
{
    const ks_hpa_spec *spec = s->pub.spec;
    metric_error first, e;
    char name[120];
    size_t i, invalid = 0;
    *replicas = 0;
    memset(&first, 0, sizeof first);
    for (i = 0; i < spec->nmetrics; i++) {
        int32_t p = 0;
        if (!compute_metric(sim, ctl, s, i, sel, current, &p, name, sizeof name, &e)) {
            if (invalid++ == 0)
                first = e;
        } else if (*replicas == 0 || p > *replicas) {
            *replicas = p;
            snprintf(metric, metric_len, "%s", name);
        }
    }
    if (invalid >= spec->nmetrics) {
        char ev[1000];
        set_cond(sim, s, KS_HPA_SCALING_ACTIVE, false, first.reason,
                 "the HPA was unable to compute the replica count: %s", first.cond);
        snprintf(ev, sizeof ev, "invalid metrics (%zu invalid out of %zu), first error is: %s",
                 invalid, spec->nmetrics, first.wrapped);
        warn(sim, s, "FailedComputeMetricsReplicas", ev);
        return false;
    }
    set_cond(sim, s, KS_HPA_SCALING_ACTIVE, true, "ValidMetricFound",
             "the HPA was able to successfully calculate a replica count from %s", metric);
    return true;
}

/* ---- reconcileAutoscaler ---------------------------------------------------------- */
static void reconcile(ks_sim *sim, hpa_controller *ctl, hpa_state *s)
{
    const ks_hpa_spec *spec = s->pub.spec;
    const char *ns = s->pub.obj->meta.ns;
    ks_id target = target_of(sim, spec, ns);
    const ks_deployment *d = ks_cluster_deployment(sim, target);
    const ks_replicaset *rs = ks_cluster_rs(sim, target);
    const ks_object *sts = target && ks_cluster_kind(sim, target) == KS_KIND_STATEFULSET
                               ? ks_cluster_object(sim, target) : NULL;
    const ks_selector *sel;
    char reason[200] = "", metric[120] = "";
    int32_t current, desired = 0;
    bool rescale = true;
    if (!d && !rs && !sts) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s \"%s\" not found",
                 strcmp(spec->target_kind, "ReplicaSet") == 0    ? "replicasets.apps"
                 : strcmp(spec->target_kind, "StatefulSet") == 0 ? "statefulsets.apps"
                                                                 : "deployments.apps",
                 spec->target_name);
        warn(sim, s, "FailedGetScale", msg);
        set_cond(sim, s, KS_HPA_ABLE_TO_SCALE, false, "FailedGetScale",
                 "the HPA controller was unable to get the target's current scale: %s", msg);
        return;
    }
    set_cond(sim, s, KS_HPA_ABLE_TO_SCALE, true, "SucceededGetScale",
             "the HPA controller was able to get the target's current scale");
    /* the scale subresource: spec.replicas and the selector */
    current = (int32_t)(d ? d->replicas : rs ? rs->replicas : sts->u.sts.replicas);
    sel = d ? &d->spec->selector : rs ? &rs->selector : &sts->u.sts.selector;
    ks_hpa_record_initial(&s->hist, current, ks_now(sim));
    if (current == 0 && spec->min_replicas != 0) {
        rescale = false;
        set_cond(sim, s, KS_HPA_SCALING_ACTIVE, false, "ScalingDisabled",
                 "scaling is disabled since the replica count of the target is zero");
    } else if (current > spec->max_replicas) {
        snprintf(reason, sizeof reason, "Current number of replicas above Spec.MaxReplicas");
        desired = spec->max_replicas;
    } else if (current < spec->min_replicas) {
        snprintf(reason, sizeof reason, "Current number of replicas below Spec.MinReplicas");
        desired = spec->min_replicas;
    } else {
        ks_hpa_limits why;
        int32_t proposal;
        if (!compute(sim, ctl, s, sel, current, &proposal, metric, sizeof metric)) {
            s->pub.current = current;          /* setCurrentReplicasInStatus */
            return;
        }
        desired = proposal;
        if (desired > current)
            snprintf(reason, sizeof reason, "%s above target", metric);
        if (desired < current)
            snprintf(reason, sizeof reason, "All metrics below target");
        desired = ks_hpa_normalize(&s->hist, spec, current, desired, ks_now(sim), &why);
        set_cond(sim, s, KS_HPA_ABLE_TO_SCALE, true, why.able_reason, "%s", why.able_message);
        set_cond(sim, s, KS_HPA_SCALING_LIMITED, why.limited, why.limited_reason, "%s",
                 why.limited_message);
        rescale = desired != current;
    }
    if (rescale) {
        ks_cluster_scale(sim, target, desired);
        set_cond(sim, s, KS_HPA_ABLE_TO_SCALE, true, "SucceededRescale",
                 "the HPA controller was able to update the target scale to %d", (int)desired);
        ksi_event(sim, false, "SuccessfulRescale", KS_KIND_HPA, s->pub.obj->meta.name,
                  s->pub.id, SOURCE, "New size: %d; reason: %s", (int)desired, reason);
        ks_hpa_store_scale_event(&s->hist, spec, current, desired, ks_now(sim));
        s->pub.last_scale = ks_now(sim);
    }
    s->pub.current = current;                  /* setStatus */
    s->pub.desired = desired;
}

/* ---- the loop ------------------------------------------------------------------------ */
static void tick(ks_sim *sim, void *subject, uint64_t id)
{
    hpa_controller *ctl = subject;
    hpa_state *s = ksi_store_status(sim, (ks_id)id, KS_KIND_HPA);
    ks_hpa before;
    if (!s)
        return;
    before = s->pub;
    reconcile(sim, ctl, s);
    s->tick = ks_event_schedule(sim, ks_now(sim) + KS_HPA_SYNC, KSI_PRIO_WORKLOADS + 9, tick,
                                ctl, s->pub.id);
    if (memcmp(&before, &s->pub, sizeof before) != 0)
        ksi_store_update(sim, s->pub.id, NULL);            /* its status */
}

static void on_hpa(ks_sim *sim, const ksi_change *ch, void *ud)
{
    hpa_controller *ctl = ud;
    hpa_state *s = ksi_store_status(sim, ch->id, KS_KIND_HPA);
    const ks_object *o = ch->obj;
    if (ch->type == KS_DELETED) {
        if (s)
            ks_event_cancel(sim, s->tick);
        return;
    }
    if (ch->type == KS_UPDATED) {
        if (s && ch->old) {                    /* applied again */
            s->pub.obj = o;
            s->pub.spec = &o->u.hpa;
        }
        return;
    }
    if (s || !(s = ksi_zalloc(sim, sizeof *s)))
        return;
    s->pub.id = ch->id;
    s->pub.obj = o;
    s->pub.spec = &o->u.hpa;
    s->pub.last_scale = -1;
    s->pub.created = ks_now(sim);
    ksi_store_ref(sim, ch->id)->status = s;
    s->tick = ks_event_schedule(sim, ks_now(sim) + KS_HPA_SYNC, KSI_PRIO_WORKLOADS + 9, tick,
                                ctl, ch->id);
}

static void stop(ks_sim *sim, void *ud)
{
    hpa_controller *ctl = ud;
    ks_mem_free(&sim->alloc, ctl->pods, ctl->cap * sizeof *ctl->pods);
}

int ksi_ctl_hpa(ks_sim *sim)
{
    hpa_controller *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_HPA), on_hpa, ctl)
        || ksi_sim_add_part(sim, stop, ctl))
        return KS_ENOMEM;
    return KS_OK;
}
