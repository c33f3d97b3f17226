/* ksv_json_apps.c -- Deployments and ReplicaSets (apps/v1), with the
 * fields kubectl rollout status and rollout history read: generation and
 * observedGeneration, the replica counts, the Available and Progressing
 * conditions, and the deployment.kubernetes.io/revision annotations
 * (pkg/controller/deployment/util/deployment_util.go). */
#include <stdio.h>
#include <string.h>

#include "ksv_json.h"

json_t *ksv_intstr(const ks_intstr *v, const char *dflt)
{
    char buf[32];
    if (!v->set)
        return json_string(dflt);
    if (v->is_str)
        return json_string(v->str);
    if (v->percent) {
        snprintf(buf, sizeof buf, "%lld%%", (long long)v->num);
        return json_string(buf);
    }
    return json_integer((json_int_t)v->num);
}

static void condition(const ksv_ctx *c, json_t *a, const char *type, bool status,
                      const char *reason, const char *msg, ks_time at)
{
    json_t *o = json_object();
    ksv_set_str(o, "type", type);
    ksv_set_str(o, "status", status ? "True" : "False");
    ksv_set_time(c, o, "lastUpdateTime", at);
    ksv_set_time(c, o, "lastTransitionTime", at);
    ksv_set_str(o, "reason", reason);
    ksv_set_str(o, "message", msg);
    json_array_append_new(a, o);
}

json_t *ksv_deployment(const ksv_ctx *c, const ks_deployment *d)
{
    const ks_deployment_spec *s = d->spec;
    json_t *meta = ksv_meta(c, d->name, d->ns, d->id, KSV_UID_OBJECT, d->created, &d->labels,
                            NULL);
    json_t *o, *spec, *strategy, *st, *conds, *ann;
    const ks_replicaset *rs = ks_cluster_rs(c->sim, d->current_rs);
    const ks_object *applied = ks_cluster_object(c->sim, d->id);
    char rev[32], msg[400];
    size_t i;
    if (!meta)
        return NULL;
    /* the annotations as applied, then the revision the controller adds */
    ann = json_object();
    for (i = 0; applied && i < applied->meta.annotations.n; i++)
        ksv_set_str(ann, applied->meta.annotations.items[i].key,
                    applied->meta.annotations.items[i].value);
    snprintf(rev, sizeof rev, "%d", d->revision);
    ksv_set_str(ann, "deployment.kubernetes.io/revision", rev);
    json_object_set_new(meta, "annotations", ann);
    o = ksv_object("apps/v1", "Deployment", meta);
    if (!o)
        return NULL;
    spec = json_object();
    ksv_set_int(spec, "replicas", d->replicas);
    ksv_set(spec, "selector", ksv_selector(&s->selector));
    ksv_set(spec, "template", ksv_pod_template(d->tmpl));
    strategy = json_object();
    if (s->recreate) {
        ksv_set_str(strategy, "type", "Recreate");
    } else {
        json_t *ru = json_object();
        json_object_set_new(ru, "maxUnavailable", ksv_intstr(&s->max_unavailable, "25%"));
        json_object_set_new(ru, "maxSurge", ksv_intstr(&s->max_surge, "25%"));
        ksv_set_str(strategy, "type", "RollingUpdate");
        json_object_set_new(strategy, "rollingUpdate", ru);
    }
    json_object_set_new(spec, "strategy", strategy);
    if (s->min_ready_seconds)
        ksv_set_int(spec, "minReadySeconds", s->min_ready_seconds);
    ksv_set_int(spec, "revisionHistoryLimit", s->revision_history_limit);
    ksv_set_int(spec, "progressDeadlineSeconds", s->progress_deadline);
    json_object_set_new(o, "spec", spec);

    st = json_object();
    ksv_set_int(st, "observedGeneration", 0);        /* the store sets it */
    if (d->total)
        ksv_set_int(st, "replicas", d->total);
    if (d->updated)
        ksv_set_int(st, "updatedReplicas", d->updated);
    if (d->ready)
        ksv_set_int(st, "readyReplicas", d->ready);
    if (d->available)
        ksv_set_int(st, "availableReplicas", d->available);
    if (d->total - d->available > 0)
        ksv_set_int(st, "unavailableReplicas", d->total - d->available);
    conds = json_array();
    /* deployment_util.go: Available holds when available >= replicas - maxUnavailable;
       kubesim's controller keeps that bound, so it is available unless nothing is */
    condition(c, conds, "Available", d->available > 0 || d->replicas == 0,
              d->available > 0 || d->replicas == 0 ? "MinimumReplicasAvailable"
                                                   : "MinimumReplicasUnavailable",
              d->available > 0 || d->replicas == 0
                  ? "Deployment has minimum availability."
                  : "Deployment does not have minimum availability.",
              d->created);
    if (rs) {
        bool done = d->updated == d->replicas && d->available == d->replicas
                    && d->total == d->replicas;
        snprintf(msg, sizeof msg, done ? "ReplicaSet \"%s\" has successfully progressed."
                                       : "ReplicaSet \"%s\" is progressing.",
                 rs->name);
        condition(c, conds, "Progressing", true,
                  done ? "NewReplicaSetAvailable" : "ReplicaSetUpdated", msg, rs->created);
    }
    json_object_set_new(st, "conditions", conds);
    json_object_set_new(o, "status", st);
    return o;
}

json_t *ksv_replicaset(const ksv_ctx *c, const ks_replicaset *r)
{
    json_t *meta = ksv_meta(c, r->name, r->ns, r->id, KSV_UID_OBJECT, r->created, &r->labels,
                            NULL);
    const ks_deployment *d = ks_cluster_deployment(c->sim, r->owner);
    json_t *o, *spec, *st, *ann;
    char buf[32];
    if (!meta)
        return NULL;
    ann = json_object();
    if (d) {
        json_t *refs = json_array();
        snprintf(buf, sizeof buf, "%lld", (long long)d->replicas);
        ksv_set_str(ann, "deployment.kubernetes.io/desired-replicas", buf);
        ksv_set_str(ann, "deployment.kubernetes.io/max-replicas", buf);
        json_array_append_new(refs, ksv_owner_ref("apps/v1", "Deployment", d->name, d->id));
        json_object_set_new(meta, "ownerReferences", refs);
    }
    snprintf(buf, sizeof buf, "%d", r->revision);
    ksv_set_str(ann, "deployment.kubernetes.io/revision", buf);
    json_object_set_new(meta, "annotations", ann);
    o = ksv_object("apps/v1", "ReplicaSet", meta);
    if (!o)
        return NULL;
    spec = json_object();
    ksv_set_int(spec, "replicas", r->replicas);
    ksv_set(spec, "selector", ksv_selector(&r->selector));
    ksv_set(spec, "template", ksv_pod_template(r->tmpl));
    json_object_set_new(o, "spec", spec);
    st = json_object();
    ksv_set_int(st, "replicas", r->current);
    ksv_set_int(st, "fullyLabeledReplicas", r->current);
    if (r->ready)
        ksv_set_int(st, "readyReplicas", r->ready);
    if (r->available)
        ksv_set_int(st, "availableReplicas", r->available);
    ksv_set_int(st, "observedGeneration", 0);        /* the store sets it */
    json_object_set_new(o, "status", st);
    return o;
}
