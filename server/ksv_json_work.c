/* ksv_json_work.c -- the workload kinds kept as manifests: Jobs and CronJobs
 * (batch/v1), StatefulSets and DaemonSets (apps/v1), HorizontalPodAutoscalers
 * (autoscaling/v2), NetworkPolicies (networking.k8s.io/v1), with the defaults
 * the API server fills in (pkg/apis/{batch,apps,autoscaling,networking}/v1*
 * /defaults.go, v1.30) and the status their controllers report, in the
 * fields kubectl reads: `rollout status` (observedGeneration, the replica
 * counts, currentRevision/updateRevision, updatedNumberScheduled), `wait
 * --for=condition=complete`, `describe` (a Job's selector finds its pods),
 * `drain` (a pod's DaemonSet ownerReference), `create job --from=cronjob`
 * (the CronJob's jobTemplate). */
#include <stdio.h>
#include <string.h>

#include "autoscale/ks_hpa.h"
#include "cluster/ks_workloads.h"
#include "ksv_json.h"

/* ---- owners ------------------------------------------------------------------------ */
/* An owner's name by id (NULL when it is gone), one reader a kind: their
 * structs differ, each has its name. */
#define NAME_OF(type, lookup)                                                            \
    static const char *lookup##_name(const ks_sim *sim, ks_id id)                        \
    {                                                                                    \
        const type *o = lookup(sim, id);                                                 \
        return o ? o->name : NULL;                                                       \
    }
NAME_OF(ks_replicaset, ks_cluster_rs)
NAME_OF(ks_deployment, ks_cluster_deployment)
NAME_OF(ks_job, ks_cluster_job)
NAME_OF(ks_cronjob, ks_cluster_cronjob)
NAME_OF(ks_statefulset, ks_cluster_statefulset)
NAME_OF(ks_daemonset, ks_cluster_daemonset)
#undef NAME_OF

/* The kinds that own others (their controllers set the reference) */
static const struct owner_kind {
    ks_kind kind;
    const char *api_version, *name;
    const char *(*name_of)(const ks_sim *sim, ks_id id);
} owner_kinds[] = {
    {KS_KIND_REPLICASET, "apps/v1", "ReplicaSet", ks_cluster_rs_name},
    {KS_KIND_DEPLOYMENT, "apps/v1", "Deployment", ks_cluster_deployment_name},
    {KS_KIND_JOB, "batch/v1", "Job", ks_cluster_job_name},
    {KS_KIND_CRONJOB, "batch/v1", "CronJob", ks_cluster_cronjob_name},
    {KS_KIND_STATEFULSET, "apps/v1", "StatefulSet", ks_cluster_statefulset_name},
    {KS_KIND_DAEMONSET, "apps/v1", "DaemonSet", ks_cluster_daemonset_name},
};

json_t *ksv_owner_refs(const ksv_ctx *c, ks_id owner)
{
    ks_kind kind = owner ? ks_cluster_kind(c->sim, owner) : KS_KIND_COUNT;
    const char *name;
    json_t *refs;
    size_t i;
    for (i = 0; i < sizeof owner_kinds / sizeof owner_kinds[0]; i++)
        if (owner_kinds[i].kind == kind)
            break;
    if (i == sizeof owner_kinds / sizeof owner_kinds[0]
        || !(name = owner_kinds[i].name_of(c->sim, owner)) || !(refs = json_array()))
        return NULL;
    json_array_append_new(refs, ksv_owner_ref(owner_kinds[i].api_version, owner_kinds[i].name,
                                              name, owner));
    return refs;
}

/* metadata of an object kept as applied, with its owner's reference */
static json_t *meta_of(const ksv_ctx *c, ks_id id, const ks_object *o, const ks_kvs *labels,
                       ks_time created)
{
    json_t *m = ksv_meta(c, o->meta.name, o->meta.ns, id, KSV_UID_OBJECT, created,
                         labels ? labels : &o->meta.labels, &o->meta.annotations);
    if (m)
        ksv_set(m, "ownerReferences", ksv_owner_refs(c, ks_cluster_owner(c->sim, id)));
    return m;
}

/* The object's apiVersion, kind and metadata; NULL when out of memory. */
static json_t *object_of(const ksv_ctx *c, ks_id id, const ks_object *o, const ks_kvs *labels,
                         ks_time created, const char *api_version, const char *kind)
{
    return ksv_object(api_version, kind, meta_of(c, id, o, labels, created));
}

static void condition(const ksv_ctx *c, json_t *a, const char *type, bool status,
                      const char *reason, const char *msg, ks_time at, bool probe)
{
    json_t *o = json_object();
    ksv_set_str(o, "type", type);
    ksv_set_str(o, "status", status ? "True" : "False");
    if (probe)
        ksv_set_time(c, o, "lastProbeTime", at);
    ksv_set_time(c, o, "lastTransitionTime", at);
    ksv_set_str(o, "reason", reason);
    ksv_set_str(o, "message", msg);
    json_array_append_new(a, o);
}

/* ---- Jobs and CronJobs ------------------------------------------------------------------ */
/* spec of a Job (SetDefaults_Job: parallelism and completions 1 when neither
   is given, backoffLimit 6, completionMode NonIndexed, suspend false,
   podReplacementPolicy TerminatingOrFailed) */
static json_t *job_spec(const ks_job_spec *s)
{
    json_t *spec = json_object();
    ksv_set_int(spec, "parallelism", s->parallelism);
    if (s->completions >= 0)
        ksv_set_int(spec, "completions", s->completions);
    if (s->active_deadline >= 0)
        ksv_set_int(spec, "activeDeadlineSeconds", s->active_deadline);
    ksv_set_int(spec, "backoffLimit", s->backoff_limit);
    if (s->ttl_after_finished >= 0)
        ksv_set_int(spec, "ttlSecondsAfterFinished", s->ttl_after_finished);
    ksv_set_str(spec, "completionMode", "NonIndexed");
    ksv_set_bool(spec, "suspend", s->suspend);
    ksv_set_str(spec, "podReplacementPolicy", "TerminatingOrFailed");
    ksv_set(spec, "template", ksv_pod_template(&s->tmpl));
    return spec;
}

json_t *ksv_job(const ksv_ctx *c, ks_id id)
{
    const ks_job *j = ks_cluster_job(c->sim, id);
    json_t *o, *spec, *st, *conds, *tm;
    if (!j || !j->obj)
        return NULL;
    /* the Job's labels are its pods' when it has none (SetDefaults_Job) */
    if (!(o = object_of(c, id, j->obj, j->obj->meta.labels.n ? NULL : &j->labels, j->created,
                        "batch/v1", "Job")))
        return NULL;
    spec = job_spec(j->spec);
    ksv_set(spec, "selector", json_pack("{s{ss}}", "matchLabels",
                                        "batch.kubernetes.io/controller-uid", j->uid));
    /* the template carries the labels the Job's selector and pods have */
    if ((tm = json_object_get(json_object_get(spec, "template"), "metadata")))
        json_object_set_new(tm, "labels", ksv_kvs(&j->labels, false));
    json_object_set_new(o, "spec", spec);
    st = json_object();
    if (j->start_time >= 0)
        ksv_set_time(c, st, "startTime", j->start_time);
    if (j->completion_time >= 0)
        ksv_set_time(c, st, "completionTime", j->completion_time);
    if (j->active)
        ksv_set_int(st, "active", j->active);
    if (j->succeeded)
        ksv_set_int(st, "succeeded", j->succeeded);
    if (j->failed)
        ksv_set_int(st, "failed", j->failed);
    ksv_set_int(st, "ready", j->ready);
    if (!j->complete && !j->failed_cond)
        json_object_set_new(st, "uncountedTerminatedPods", json_object());
    conds = json_array();
    if (j->suspended)
        condition(c, conds, "Suspended", true, "JobSuspended", "Job suspended", j->created,
                  true);
    if (j->complete)
        condition(c, conds, "Complete", true, NULL, NULL, j->finished_at, true);
    if (j->failed_cond)
        condition(c, conds, "Failed", true, j->reason, j->message, j->finished_at, true);
    if (json_array_size(conds))
        json_object_set_new(st, "conditions", conds);
    else
        json_decref(conds);
    json_object_set_new(o, "status", st);
    return o;
}

json_t *ksv_cronjob(const ksv_ctx *c, ks_id id)
{
    static const char *const policies[] = {"Allow", "Forbid", "Replace"};
    const ks_cronjob *cj = ks_cluster_cronjob(c->sim, id);
    const ks_cronjob_spec *s;
    json_t *o, *spec, *jt, *jm, *st, *active;
    size_t i;
    if (!cj || !cj->obj
        || !(o = object_of(c, id, cj->obj, NULL, cj->created, "batch/v1", "CronJob")))
        return NULL;
    s = cj->spec;
    spec = json_object();
    ksv_set_str(spec, "schedule", s->schedule);
    ksv_set_str(spec, "timeZone", s->time_zone);
    if (s->starting_deadline >= 0)
        ksv_set_int(spec, "startingDeadlineSeconds", s->starting_deadline);
    ksv_set_str(spec, "concurrencyPolicy", policies[s->concurrency]);
    ksv_set_bool(spec, "suspend", s->suspend);
    jt = json_object();
    jm = json_object();
    json_object_set_new(jm, "creationTimestamp", json_null());
    ksv_set(jm, "labels", ksv_kvs(&s->job_labels, true));
    ksv_set(jm, "annotations", ksv_kvs(&s->job_annotations, true));
    json_object_set_new(jt, "metadata", jm);
    json_object_set_new(jt, "spec", job_spec(&s->job));
    json_object_set_new(spec, "jobTemplate", jt);
    ksv_set_int(spec, "successfulJobsHistoryLimit", s->successful_history);
    ksv_set_int(spec, "failedJobsHistoryLimit", s->failed_history);
    json_object_set_new(o, "spec", spec);
    st = json_object();
    active = json_array();
    for (i = 0; i < cj->nactive; i++) {
        const ks_job *j = ks_cluster_job(c->sim, cj->active[i]);
        char uid[40];
        if (!j)
            continue;
        ksv_uid(j->id, KSV_UID_OBJECT, uid);
        json_array_append_new(active, json_pack("{ssssssssss}", "kind", "Job", "namespace",
                                                j->ns, "name", j->name, "uid", uid,
                                                "apiVersion", "batch/v1"));
    }
    if (json_array_size(active))
        json_object_set_new(st, "active", active);
    else
        json_decref(active);
    if (cj->last_schedule >= 0)
        ksv_set_time(c, st, "lastScheduleTime", cj->last_schedule);
    if (cj->last_successful >= 0)
        ksv_set_time(c, st, "lastSuccessfulTime", cj->last_successful);
    json_object_set_new(o, "status", st);
    return o;
}

/* ---- StatefulSets and DaemonSets ---------------------------------------------------------- */
/* A claim template as the API server keeps it (a PersistentVolumeClaim with
   volumeMode Filesystem and status phase Pending). */
static json_t *claim_template(const ks_object *cl)
{
    json_t *o = json_object(), *m = json_object(), *spec = json_object();
    ksv_set_str(o, "apiVersion", "v1");
    ksv_set_str(o, "kind", "PersistentVolumeClaim");
    ksv_set_str(m, "name", cl->meta.name);
    json_object_set_new(m, "creationTimestamp", json_null());
    ksv_set(m, "labels", ksv_kvs(&cl->meta.labels, true));
    json_object_set_new(o, "metadata", m);
    json_object_set_new(spec, "accessModes", ksv_access_modes(cl->u.pvc.access));
    json_object_set_new(spec, "resources",
                        json_pack("{so}", "requests", ksv_storage(cl->u.pvc.request)));
    ksv_set_str(spec, "storageClassName", cl->u.pvc.storage_class);
    ksv_set_str(spec, "volumeMode", "Filesystem");
    json_object_set_new(o, "spec", spec);
    json_object_set_new(o, "status", json_pack("{ss}", "phase", "Pending"));
    return o;
}

json_t *ksv_statefulset(const ksv_ctx *c, ks_id id)
{
    const ks_statefulset *ss = ks_cluster_statefulset(c->sim, id);
    const ks_statefulset_spec *s;
    json_t *o, *spec, *tmpl, *vols, *up, *claims, *st;
    size_t i, k;
    if (!ss || !ss->obj
        || !(o = object_of(c, id, ss->obj, NULL, ss->created, "apps/v1", "StatefulSet")))
        return NULL;
    s = &ss->obj->u.sts;
    spec = json_object();
    ksv_set_int(spec, "replicas", s->replicas);
    ksv_set(spec, "selector", ksv_selector(&s->selector));
    tmpl = ksv_pod_template(&s->tmpl);
    /* the claim templates' volumes are the pods' own, not the template's */
    vols = json_object_get(json_object_get(tmpl, "spec"), "volumes");
    for (i = json_array_size(vols); i-- > 0;) {
        const char *vn = json_string_value(json_object_get(json_array_get(vols, i), "name"));
        for (k = 0; vn && k < s->nclaims; k++)
            if (strcmp(vn, s->claims[k]->meta.name) == 0) {
                json_array_remove(vols, i);
                break;
            }
    }
    if (vols && !json_array_size(vols))
        json_object_del(json_object_get(tmpl, "spec"), "volumes");
    ksv_set(spec, "template", tmpl);
    ksv_set_str(spec, "serviceName", s->service_name);
    ksv_set_str(spec, "podManagementPolicy", s->parallel ? "Parallel" : "OrderedReady");
    up = json_object();
    ksv_set_str(up, "type", s->on_delete ? "OnDelete" : "RollingUpdate");
    if (!s->on_delete)
        json_object_set_new(up, "rollingUpdate", json_pack("{sI}", "partition",
                                                           (json_int_t)s->partition));
    json_object_set_new(spec, "updateStrategy", up);
    ksv_set_int(spec, "revisionHistoryLimit", s->revision_history_limit);
    if (s->min_ready_seconds)
        ksv_set_int(spec, "minReadySeconds", s->min_ready_seconds);
    json_object_set_new(spec, "persistentVolumeClaimRetentionPolicy",
                        json_pack("{ssss}", "whenDeleted",
                                  s->delete_when_deleted ? "Delete" : "Retain", "whenScaled",
                                  s->delete_when_scaled ? "Delete" : "Retain"));
    if (s->nclaims) {
        claims = json_array();
        for (k = 0; k < s->nclaims; k++)
            json_array_append_new(claims, claim_template(s->claims[k]));
        json_object_set_new(spec, "volumeClaimTemplates", claims);
    }
    json_object_set_new(o, "spec", spec);
    st = json_object();
    ksv_set_int(st, "observedGeneration", 0);        /* the store sets it */
    ksv_set_int(st, "replicas", ss->replicas);
    if (ss->ready)
        ksv_set_int(st, "readyReplicas", ss->ready);
    if (ss->current)
        ksv_set_int(st, "currentReplicas", ss->current);
    if (ss->updated)
        ksv_set_int(st, "updatedReplicas", ss->updated);
    ksv_set_int(st, "availableReplicas", ss->available);
    ksv_set_str(st, "currentRevision", ss->current_revision);
    ksv_set_str(st, "updateRevision", ss->update_revision);
    ksv_set_int(st, "collisionCount", 0);
    json_object_set_new(o, "status", st);
    return o;
}

json_t *ksv_daemonset(const ksv_ctx *c, ks_id id)
{
    const ks_daemonset *d = ks_cluster_daemonset(c->sim, id);
    const ks_daemonset_spec *s;
    json_t *meta, *o, *spec, *up, *st, *ann;
    char gen[32];
    if (!d || !d->obj)
        return NULL;
    s = &d->obj->u.ds;
    meta = meta_of(c, id, d->obj, NULL, d->created);
    if (!meta)
        return NULL;
    /* the DaemonSet's generation, as the controller labels its pods */
    if (!(ann = json_object_get(meta, "annotations")))
        json_object_set_new(meta, "annotations", ann = json_object());
    snprintf(gen, sizeof gen, "%lld", (long long)d->generation);
    ksv_set_str(ann, "deprecated.daemonset.template.generation", gen);
    if (!(o = ksv_object("apps/v1", "DaemonSet", meta)))
        return NULL;
    spec = json_object();
    ksv_set(spec, "selector", ksv_selector(&s->selector));
    ksv_set(spec, "template", ksv_pod_template(&s->tmpl));
    up = json_object();
    ksv_set_str(up, "type", s->on_delete ? "OnDelete" : "RollingUpdate");
    if (!s->on_delete) {
        json_t *ru = json_object();
        json_object_set_new(ru, "maxUnavailable", s->max_unavailable.set
                                                      ? ksv_intstr(&s->max_unavailable, "1")
                                                      : json_integer(1));
        json_object_set_new(ru, "maxSurge", json_integer(0));
        json_object_set_new(up, "rollingUpdate", ru);
    }
    json_object_set_new(spec, "updateStrategy", up);
    if (s->min_ready_seconds)
        ksv_set_int(spec, "minReadySeconds", s->min_ready_seconds);
    ksv_set_int(spec, "revisionHistoryLimit", s->revision_history_limit);
    json_object_set_new(o, "spec", spec);
    st = json_object();
    ksv_set_int(st, "currentNumberScheduled", d->current);
    ksv_set_int(st, "numberMisscheduled", d->misscheduled);
    ksv_set_int(st, "desiredNumberScheduled", d->desired);
    ksv_set_int(st, "numberReady", d->ready);
    ksv_set_int(st, "observedGeneration", 0);        /* the store sets it */
    if (d->updated)
        ksv_set_int(st, "updatedNumberScheduled", d->updated);
    if (d->available)
        ksv_set_int(st, "numberAvailable", d->available);
    if (d->desired - d->available > 0)
        ksv_set_int(st, "numberUnavailable", d->desired - d->available);
    json_object_set_new(o, "status", st);
    return o;
}

/* ---- HorizontalPodAutoscalers ------------------------------------------------------------- */
static json_t *quantity(const char *resource, int64_t v)
{
    char buf[48];
    if (strcmp(resource, "cpu") == 0)
        ksv_cpu_text(v, buf, sizeof buf);
    else
        ksv_bytes_text(v, buf, sizeof buf);
    return json_string(buf);
}

/* A quantity kept in milli-units (Pods, Object, External targets) as the
 * API writes it: "500m", or "30" when whole. */
static json_t *milli_quantity(int64_t v)
{
    char buf[48];
    if (v % 1000)
        snprintf(buf, sizeof buf, "%lldm", (long long)v);
    else
        snprintf(buf, sizeof buf, "%lld", (long long)(v / 1000));
    return json_string(buf);
}

/* {"type": T, "<source>": {name..., KEY: val}}: autoscaling/v2 MetricSpec
 * and MetricStatus share their shape (types.go). */
static json_t *metric_source(const ks_hpa_metric *m, const char *key, json_t *val)
{
    static const char *const type[] = {"Resource", "Pods", "Object", "External",
                                       "ContainerResource"};
    static const char *const field[] = {"resource", "pods", "object", "external",
                                        "containerResource"};
    json_t *src = json_object();
    if (ks_hpa_is_resource(m)) {
        ksv_set_str(src, "name", m->resource);
        if (m->container)
            ksv_set_str(src, "container", m->container);
    } else {
        json_t *id = json_pack("{ss}", "name", m->resource);
        if (m->selector)
            json_object_set_new(id, "selector", ksv_selector(&m->metric_selector));
        json_object_set_new(src, "metric", id);
        if (m->source == KS_HPA_OBJECT)
            json_object_set_new(src, "describedObject", json_pack("{ssss}", "kind",
                                                                  m->object_kind, "name",
                                                                  m->object_name));
    }
    json_object_set_new(src, key, val);
    return json_pack("{ssso}", "type", type[m->source], field[m->source], src);
}

static json_t *metric_spec(const ks_hpa_metric *m)
{
    json_t *target = json_object();
    if (!ks_hpa_is_resource(m)) {
        ksv_set_str(target, "type", m->value ? "Value" : "AverageValue");
        json_object_set_new(target, m->value ? "value" : "averageValue",
                            milli_quantity(m->average_value));
    } else if (m->utilization) {
        ksv_set_str(target, "type", "Utilization");
        ksv_set_int(target, "averageUtilization", m->average_utilization);
    } else {
        ksv_set_str(target, "type", "AverageValue");
        json_object_set_new(target, "averageValue", quantity(m->resource, m->average_value));
    }
    return metric_source(m, "target", target);
}

static json_t *rules(const ks_hpa_rules *r)
{
    static const char *const sel[] = {"Max", "Min", "Disabled"};
    json_t *o = json_object(), *ps = json_array();
    size_t i;
    if (r->window >= 0)
        ksv_set_int(o, "stabilizationWindowSeconds", r->window);
    ksv_set_str(o, "selectPolicy", sel[r->select]);
    for (i = 0; i < r->npolicies; i++)
        json_array_append_new(ps, json_pack("{sssisi}", "type",
                                            r->policies[i].percent ? "Percent" : "Pods",
                                            "value", (int)r->policies[i].value,
                                            "periodSeconds", (int)r->policies[i].period));
    json_object_set_new(o, "policies", ps);
    return o;
}

json_t *ksv_hpa(const ksv_ctx *c, ks_id id)
{
    const ks_hpa *h = ks_cluster_hpa(c->sim, id);
    const ks_hpa_spec *s;
    json_t *o, *spec, *ms, *st, *cur, *conds;
    size_t i;
    if (!h || !h->obj
        || !(o = object_of(c, id, h->obj, NULL, h->created, "autoscaling/v2",
                           "HorizontalPodAutoscaler")))
        return NULL;
    s = h->spec;
    spec = json_object();
    json_object_set_new(spec, "scaleTargetRef",
                        json_pack("{ssssss}", "apiVersion",
                                  s->target_api ? s->target_api : "apps/v1", "kind",
                                  s->target_kind, "name", s->target_name));
    ksv_set_int(spec, "minReplicas", s->min_replicas);
    ksv_set_int(spec, "maxReplicas", s->max_replicas);
    ms = json_array();
    cur = json_array();
    for (i = 0; i < s->nmetrics; i++) {
        const ks_hpa_metric *m = &s->metrics[i];
        json_t *now;
        json_array_append_new(ms, metric_spec(m));
        if (!h->metrics[i].known || !ks_hpa_is_resource(m))
            continue;
        now = json_object();
        json_object_set_new(now, "averageValue", quantity(m->resource, h->metrics[i].average));
        if (m->utilization)
            ksv_set_int(now, "averageUtilization", h->metrics[i].utilization);
        json_array_append_new(cur, metric_source(m, "current", now));
    }
    json_object_set_new(spec, "metrics", ms);
    if (s->has_behavior)
        json_object_set_new(spec, "behavior", json_pack("{soso}", "scaleUp", rules(&s->up),
                                                        "scaleDown", rules(&s->down)));
    json_object_set_new(o, "spec", spec);
    st = json_object();
    if (h->last_scale >= 0)
        ksv_set_time(c, st, "lastScaleTime", h->last_scale);
    ksv_set_int(st, "currentReplicas", h->current);
    ksv_set_int(st, "desiredReplicas", h->desired);
    if (json_array_size(cur))
        json_object_set_new(st, "currentMetrics", cur);
    else
        json_decref(cur);
    conds = json_array();
    for (i = 0; i < KS_HPA_NCOND; i++)
        if (h->cond[i].set)
            condition(c, conds, ks_hpa_condition_name((int)i), h->cond[i].status,
                      h->cond[i].reason, h->cond[i].message, h->cond[i].changed, false);
    if (json_array_size(conds))
        json_object_set_new(st, "conditions", conds);
    else
        json_decref(conds);
    json_object_set_new(o, "status", st);
    return o;
}

json_t *ksv_hpa_v1(const ksv_ctx *c, ks_id id)
{
    const ks_hpa *h = ks_cluster_hpa(c->sim, id);
    json_t *o = ksv_hpa(c, id), *spec, *st;
    size_t i;
    if (!o)
        return NULL;
    /* pkg/apis/autoscaling/v1/conversion.go: the cpu Utilization target and
       its current value; v1 has no other metric, behavior or conditions */
    json_object_set_new(o, "apiVersion", json_string("autoscaling/v1"));
    spec = json_object_get(o, "spec");
    st = json_object_get(o, "status");
    json_object_del(spec, "metrics");
    json_object_del(spec, "behavior");
    json_object_del(st, "currentMetrics");
    json_object_del(st, "conditions");
    for (i = 0; i < h->spec->nmetrics; i++) {
        const ks_hpa_metric *m = &h->spec->metrics[i];
        if (m->source != KS_HPA_RESOURCE || strcmp(m->resource, "cpu") != 0 || !m->utilization)
            continue;
        ksv_set_int(spec, "targetCPUUtilizationPercentage", m->average_utilization);
        if (h->metrics[i].known)
            ksv_set_int(st, "currentCPUUtilizationPercentage", h->metrics[i].utilization);
    }
    return o;
}

/* ---- NetworkPolicies ------------------------------------------------------------------------ */
static json_t *peers_and_ports(const ks_netpol_rule *r, const char *dir)
{
    json_t *o = json_object(), *peers = json_array(), *ports = json_array();
    size_t i, k;
    for (i = 0; i < r->npeers; i++) {
        const ks_netpol_peer *p = &r->peers[i];
        json_t *pj = json_object();
        if (p->cidr) {
            json_t *b = json_object(), *ex = json_array();
            ksv_set_str(b, "cidr", p->cidr);
            for (k = 0; k < p->nexcept; k++)
                json_array_append_new(ex, json_string(p->except[k]));
            if (p->nexcept)
                json_object_set_new(b, "except", ex);
            else
                json_decref(ex);
            json_object_set_new(pj, "ipBlock", b);
        }
        if (p->has_pods)
            json_object_set_new(pj, "podSelector", ksv_selector(&p->pods));
        if (p->has_namespaces)
            json_object_set_new(pj, "namespaceSelector", ksv_selector(&p->namespaces));
        json_array_append_new(peers, pj);
    }
    for (i = 0; i < r->nports; i++) {
        const ks_netpol_port *p = &r->ports[i];
        json_t *pj = json_object();
        ksv_set_str(pj, "protocol", p->protocol ? p->protocol : "TCP");
        if (!p->any_port)
            json_object_set_new(pj, "port", ksv_intstr(&p->port, "0"));
        if (p->end_port)
            ksv_set_int(pj, "endPort", p->end_port);
        json_array_append_new(ports, pj);
    }
    if (r->nports)
        json_object_set_new(o, "ports", ports);
    else
        json_decref(ports);
    if (r->npeers)
        json_object_set_new(o, dir, peers);
    else
        json_decref(peers);
    return o;
}

json_t *ksv_netpol(const ksv_ctx *c, ks_id id)
{
    const ks_object *np = ks_cluster_object(c->sim, id);
    const ks_netpol_spec *s;
    json_t *o, *spec, *types, *in, *out;
    size_t i;
    if (!np || np->kind != KS_KIND_NETPOL)
        return NULL;
    s = &np->u.netpol;
    if (!(o = ksv_object("networking.k8s.io/v1", "NetworkPolicy",
                         meta_of(c, id, np, NULL, ks_cluster_created(c->sim, id)))))
        return NULL;
    spec = json_object();
    json_object_set_new(spec, "podSelector", ksv_selector(&s->pod_selector));
    in = json_array();
    for (i = 0; i < s->nin; i++)
        json_array_append_new(in, peers_and_ports(&s->in[i], "from"));
    out = json_array();
    for (i = 0; i < s->nout; i++)
        json_array_append_new(out, peers_and_ports(&s->out[i], "to"));
    if (s->nin)
        json_object_set_new(spec, "ingress", in);
    else
        json_decref(in);
    if (s->nout)
        json_object_set_new(spec, "egress", out);
    else
        json_decref(out);
    types = json_array();
    if (s->ingress)
        json_array_append_new(types, json_string("Ingress"));
    if (s->egress)
        json_array_append_new(types, json_string("Egress"));
    json_object_set_new(spec, "policyTypes", types);
    json_object_set_new(o, "spec", spec);
    return o;
}
