/* ks_cluster.c -- the API server's side of the cluster: its life (create,
 * teardown), nodes joining, and the changes a client makes: apply, delete,
 * scale, set image, rollout restart, label, cordon, drain.
 *
 * Each change is written to the store, which tells the controllers
 * (ks_informer.c); nothing here calls a controller.
 */
#include "ks_cluster.h"

#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "ks_workloads.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

/* ---- life ------------------------------------------------------------------------ */
static void cluster_fini(ks_sim *sim, void *ud)
{
    ksi_cluster *c = ud;
    size_t i;
    for (i = 1; i < c->nrefs; i++) {
        ksi_ref *r = &c->refs[i];
        if (r->kind == KS_KIND_POD)
            ksi_pod_free(sim, r->ptr);
        else if (r->kind == KS_KIND_SERVICE)
            ksi_service_free(sim, (ks_id)i);
        else if (r->kind == KS_KIND_REPLICASET) {
            ksi_rs *rs = r->ptr;
            ks_mem_free(&sim->alloc, rs->pods, rs->cap * sizeof *rs->pods);
        } else if (r->kind == KS_KIND_DEPLOYMENT) {
            ksi_deploy *d = r->ptr;
            ks_mem_free(&sim->alloc, d->rs, d->cap * sizeof *d->rs);
        }
    }
    for (i = 0; i < c->nkept; i++)
        ks_arena_destroy(c->kept[i]);
    ks_mem_free(&sim->alloc, c->kept, c->kept_cap * sizeof *c->kept);
    ksi_names_fini(sim);
    ks_mem_free(&sim->alloc, c->refs, c->refs_cap * sizeof *c->refs);
    ks_mem_free(&sim->alloc, c->events, KSI_EVENT_RING * sizeof *c->events);
    ks_mem_free(&sim->alloc, c->node_ids, c->node_cap * sizeof *c->node_ids);
    ks_arena_destroy(c->arena);
    ks_mem_free(&sim->alloc, c, sizeof *c);
    sim->cluster = NULL;
}

int ksi_cluster_create(ks_sim *sim, const ks_catalog *catalog)
{
    ksi_cluster *c = ks_mem_calloc(&sim->alloc, 1, sizeof *c);
    if (!c)
        return KS_ENOMEM;
    sim->cluster = c;
    if (ksi_sim_add_part(sim, cluster_fini, c) != KS_OK) {
        ks_mem_free(&sim->alloc, c, sizeof *c);
        sim->cluster = NULL;
        return KS_ENOMEM;
    }
    c->catalog = catalog;
    c->arena = ks_arena_create(&sim->alloc);
    c->events = ks_mem_calloc(&sim->alloc, KSI_EVENT_RING, sizeof *c->events);
    if (!c->arena || !c->events)
        return KS_ENOMEM;
    c->next_ip = (10u << 24) | (244u << 16) | (0u << 8) | 2;     /* 10.244.0.2 */
    c->clock = KS_CLUSTER_DEFAULT_CLOCK;
    return ksi_claims_init(sim);
}

ks_node *ksi_node_add(ks_sim *sim, const ks_object *o)
{
    ksi_cluster *c = sim->cluster;
    ks_node *n = ksi_zalloc(sim, sizeof *n);
    if (!n)
        return NULL;
    n->name = o ? o->meta.name : "node-1";
    if (o)
        n->labels = o->meta.labels;
    n->cpu = o ? o->u.node.cpu : 4000;
    n->memory = o ? o->u.node.memory : (int64_t)8 << 30;
    n->max_pods = o ? o->u.node.max_pods : 110;
    n->unschedulable = o ? o->u.node.unschedulable : false;
    n->ready = true;
    n->created = ks_now(sim);
    n->id = ksi_store_add(sim, KS_KIND_NODE, n, o);
    if (!n->id || ksi_grow(sim, (void **)&c->node_ids, &c->node_cap, c->nnodes + 1,
                           sizeof *c->node_ids))
        return NULL;
    c->node_ids[c->nnodes++] = n->id;
    ksi_store_added(sim, n->id);
    return n;
}

/* ---- apply ------------------------------------------------------------------ */
static int apply_deployment(ks_sim *sim, ks_id id, const ks_object *o, ks_apply_result *res,
                            ks_error *err)
{
    ksi_deploy *d;
    ks_deployment old;
    if (!id) {
        d = ksi_zalloc(sim, sizeof *d);
        if (!d)
            return KS_ENOMEM;
        d->pub.name = o->meta.name;
        d->pub.ns = o->meta.ns;
        d->pub.labels = o->meta.labels;
        d->pub.spec = &o->u.deploy;
        d->pub.tmpl = &o->u.deploy.tmpl;
        d->pub.replicas = o->u.deploy.replicas;
        d->pub.created = ks_now(sim);
        d->pub.id = ksi_store_add(sim, KS_KIND_DEPLOYMENT, d, o);
        if (!d->pub.id)
            return KS_ENOMEM;
        *res = KS_APPLY_CREATED;
        ksi_store_added(sim, d->pub.id);
        return KS_OK;
    }
    d = ksi_deploy_get(sim, id);
    old = d->pub;
    if (d->pub.spec->selector.match.n != o->u.deploy.selector.match.n
        || !ks_selector_matches(&o->u.deploy.selector, &d->pub.tmpl->labels)) {
        ks_error_set(err, KS_EINVAL, o->mark,
                     "The Deployment \"%s\" is invalid: spec.selector: Invalid value: field is "
                     "immutable; delete the Deployment first to change its selector",
                     o->meta.name);
        return KS_EINVAL;
    }
    if (o->u.deploy.tmpl.hash != d->pub.tmpl->hash)
        d->pub.tmpl = &o->u.deploy.tmpl;            /* a new rollout (or back) */
    else if (d->pub.tmpl != &o->u.deploy.tmpl)
        d->pub.tmpl = &o->u.deploy.tmpl;            /* same content, the applied copy */
    d->pub.replicas = o->u.deploy.replicas;
    d->pub.spec = &o->u.deploy;
    d->pub.labels = o->meta.labels;
    ksi_store_ref(sim, id)->applied = o;
    *res = KS_APPLY_CONFIGURED;
    ksi_store_update(sim, id, &old);
    return KS_OK;
}

static int apply_pod(ks_sim *sim, ks_id id, const ks_object *o, ks_apply_result *res,
                     ks_error *err)
{
    ksi_pod *p;
    if (id && (p = ksi_pod_get(sim, id)) != NULL) {
        /* the same spec (after defaulting): a change of labels or annotations,
           which an update may make (ValidatePodUpdate compares the spec) */
        ks_pod_template was, now;
        memset(&was, 0, sizeof was);
        memset(&now, 0, sizeof now);
        was.spec = *p->pub.spec;
        now.spec = o->u.pod;
        if (ks_pod_template_equal(&was, &now, 0)) {
            ks_pod old = p->pub;
            p->pub.labels = o->meta.labels;
            p->pub.annotations = o->meta.annotations;
            ksi_store_ref(sim, id)->applied = o;
            *res = KS_APPLY_CONFIGURED;
            ksi_pod_update(sim, p, &old);
            return KS_OK;
        }
    }
    if (id) {
        ks_error_set(err, KS_EINVAL, o->mark,
                     "The Pod \"%s\" is invalid: spec: Forbidden: pod updates may not change "
                     "fields other than the container images; delete the pod and apply again",
                     o->meta.name);
        return KS_EINVAL;
    }
    {
        char msg[400];
        if (!ksi_pod_admit_sa(sim, o->meta.ns, &o->u.pod, o->meta.name, msg, sizeof msg))
            return ks_error_set(err, KS_EFORBIDDEN, o->mark, "%s", msg);
    }
    p = ksi_pod_create(sim, o->meta.name, o->meta.ns, NULL, &o->u.pod, &o->meta.labels, 0);
    if (!p)
        return KS_ENOMEM;
    p->pub.annotations = o->meta.annotations;
    ksi_store_ref(sim, p->pub.id)->applied = o;
    *res = KS_APPLY_CREATED;
    return KS_OK;
}

static int apply_replicaset(ks_sim *sim, ks_id id, const ks_object *o, ks_apply_result *res)
{
    ksi_rs *rs;
    ks_replicaset old;
    if (id) {
        rs = ksi_rs_get(sim, id);
        old = rs->pub;
        rs->pub.replicas = o->u.rs.replicas;
        ksi_store_ref(sim, id)->applied = o;
        *res = KS_APPLY_CONFIGURED;
        ksi_store_update(sim, id, &old);
        return KS_OK;
    }
    if (!ksi_rs_create(sim, NULL, o, &o->u.rs.tmpl, o->u.rs.tmpl.hash, o->u.rs.replicas))
        return KS_ENOMEM;
    *res = KS_APPLY_CREATED;
    return KS_OK;
}

/* Whether the live object moved away from what was applied (kubectl scale,
 * set image, rollout restart): applying the same file again puts it back,
 * as `kubectl apply` does. */
static bool drifted(const ks_sim *sim, ks_id id, const ks_object *applied)
{
    const ksi_deploy *d = ksi_deploy_get(sim, id);
    const ksi_rs *rs = ksi_rs_get(sim, id);
    if (d)
        return d->pub.replicas != applied->u.deploy.replicas
               || d->pub.tmpl != &applied->u.deploy.tmpl;
    if (rs)
        return rs->pub.replicas != applied->u.rs.replicas;
    return false;
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* What of a StatefulSet's spec may change (pkg/apis/apps/validation
 * ValidateStatefulSetUpdate): replicas, template, updateStrategy, the
 * retention policy, minReadySeconds; not the selector, serviceName,
 * podManagementPolicy or volumeClaimTemplates. */
static bool sts_updatable(const ks_statefulset_spec *a, const ks_statefulset_spec *b)
{
    size_t i;
    if (!same_str(a->service_name, b->service_name) || a->parallel != b->parallel
        || a->nclaims != b->nclaims || a->selector.match.n != b->selector.match.n
        || a->selector.nexprs != b->selector.nexprs)
        return false;
    /* claim templates compared as the API server compares them, after
       defaulting (apiequality.Semantic.DeepEqual), not as written: a client
       that sends the object back (kubectl set image, edit) writes defaults
       the manifest left out */
    for (i = 0; i < a->nclaims; i++) {
        const ks_pvc_spec *x = &a->claims[i]->u.pvc, *y = &b->claims[i]->u.pvc;
        if (!same_str(a->claims[i]->meta.name, b->claims[i]->meta.name)
            || x->request != y->request || x->access != y->access
            || !same_str(x->storage_class, y->storage_class))
            return false;
    }
    for (i = 0; i < a->selector.match.n; i++)
        if (!same_str(a->selector.match.items[i].key, b->selector.match.items[i].key)
            || !same_str(a->selector.match.items[i].value, b->selector.match.items[i].value))
            return false;
    return true;
}

/* Kinds whose objects are their manifest, and kinds kept by helpers that do
 * not tell the store themselves: told here, once the object is complete. */
static void tell(ks_sim *sim, ks_id id, bool created, const ks_object *before)
{
    if (created)
        ksi_store_added(sim, id);
    else
        ksi_store_update(sim, id, before);
}

/* What of a Job's spec may change (pkg/apis/batch/validation
 * ValidateJobSpecUpdate): not completions, not the template, compared as the
 * API server compares them, after defaulting (ks_pod_template_equal), so a
 * client sending the object back with the defaults written out changes
 * nothing; a suspended Job that never started may change its template's
 * labels, annotations and nodeSelector (validatePodTemplateUpdate,
 * AllowMutableSchedulingDirectives: suspended and status.startTime unset). */
static int job_updatable(ks_sim *sim, ks_id id, const ks_object *was, const ks_object *o,
                         ks_error *err)
{
    const ks_job *j = ks_cluster_job(sim, id);
    unsigned flags = was->u.job.suspend && j && j->start_time < 0 ? KS_TMPL_MUTABLE_SCHEDULING
                                                                   : 0;
    if (was->u.job.completions != o->u.job.completions) {
        ks_error_set(err, KS_EINVAL, o->mark,
                     "The Job \"%s\" is invalid: spec.completions: Invalid value: %lld: field "
                     "is immutable", o->meta.name, (long long)o->u.job.completions);
        return KS_EINVAL;
    }
    if (!ks_pod_template_equal(&was->u.job.tmpl, &o->u.job.tmpl, flags)) {
        ks_error_set(err, KS_EINVAL, o->mark,
                     "The Job \"%s\" is invalid: spec.template: Invalid value: field is "
                     "immutable; delete the Job first (kubectl delete job %s)",
                     o->meta.name, o->meta.name);
        return KS_EINVAL;
    }
    return KS_OK;
}

int ks_cluster_admission_add(ks_sim *sim, ks_admit_fn fn, void *ud)
{
    ksi_cluster *c = sim->cluster;
    if (c->nadmit >= sizeof c->admit / sizeof c->admit[0])
        return KS_ELIMIT;
    c->admit[c->nadmit] = fn;
    c->admit_ud[c->nadmit++] = ud;
    return KS_OK;
}

int ks_cluster_apply(ks_sim *sim, const ks_object *o, ks_apply_result *res, ks_error *err)
{
    ks_id id = ks_cluster_find(sim, o->kind, o->meta.ns, o->meta.name);
    ksi_ref *r = ksi_store_ref(sim, id);
    const ks_object *before = r ? r->applied : NULL;
    int rc = KS_OK;
    size_t i;
    if (r && r->applied && r->applied->hash == o->hash && !drifted(sim, id, r->applied)) {
        *res = KS_APPLY_UNCHANGED;
        return KS_OK;
    }
    if (!id && (rc = ksi_namespace_admit(sim, o, err)) != KS_OK)
        return rc;
    for (i = 0; i < sim->cluster->nadmit; i++) {
        char msg[1024];
        msg[0] = '\0';
        if (!sim->cluster->admit[i](sim, o, msg, sizeof msg, sim->cluster->admit_ud[i])) {
            ks_error_set(err, KS_EINVAL, o->mark, "%s", msg);
            return KS_EINVAL;
        }
    }
    switch (o->kind) {
    case KS_KIND_DEPLOYMENT:
        rc = apply_deployment(sim, id, o, res, err);
        return rc != KS_OK ? rc : ks_sim_status(sim);
    case KS_KIND_POD:
        rc = apply_pod(sim, id, o, res, err);
        return rc != KS_OK ? rc : ks_sim_status(sim);
    case KS_KIND_REPLICASET:
        rc = apply_replicaset(sim, id, o, res);
        return rc != KS_OK ? rc : ks_sim_status(sim);
    case KS_KIND_SERVICE:
        if ((rc = ksi_service_check_ports(sim, id, o, err)) != KS_OK)
            return rc;
        *res = id ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
        rc = ksi_service_apply(sim, id, o, &id);
        break;
    case KS_KIND_PVC:
    case KS_KIND_PV:
    case KS_KIND_STORAGECLASS:
        *res = id ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
        rc = ksi_claims_apply(sim, id, o, err);
        break;
    case KS_KIND_JOB:
        if (r && r->applied && (rc = job_updatable(sim, id, r->applied, o, err)) != KS_OK)
            return rc;
        if (!id && !(id = ksi_store_add(sim, o->kind, NULL, o)))
            return KS_ENOMEM;
        *res = r ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
        break;
    case KS_KIND_STATEFULSET:
        if (r && r->applied && !sts_updatable(&r->applied->u.sts, &o->u.sts)) {
            ks_error_set(err, KS_EINVAL, o->mark,
                         "The StatefulSet \"%s\" is invalid: spec: Forbidden: updates to "
                         "statefulset spec for fields other than 'replicas', 'ordinals', "
                         "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' "
                         "and 'minReadySeconds' are forbidden", o->meta.name);
            return KS_EINVAL;
        }
        if (!id && !(id = ksi_store_add(sim, o->kind, NULL, o)))
            return KS_ENOMEM;
        *res = r ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
        break;
    case KS_KIND_NODE:
        *res = id ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
        if (!id) {
            if (!ksi_node_add(sim, o))
                return KS_ENOMEM;
            return ks_sim_status(sim);
        }
        break;
    default:
        if (!id && !(id = ksi_store_add(sim, o->kind, NULL, o)))
            return KS_ENOMEM;
        *res = r ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
    }
    if (rc != KS_OK)
        return rc;
    id = ks_cluster_find(sim, o->kind, o->meta.ns, o->meta.name);
    if ((r = ksi_store_ref(sim, id)) != NULL) {
        r->applied = o;
        tell(sim, id, *res == KS_APPLY_CREATED, before);
    }
    return ks_sim_status(sim);
}

/* ---- delete -------------------------------------------------------------------- */
/* A ReplicaSet and its pods (orphaned first, then deleted: the garbage
 * collector's foreground of a cascading delete). */
static void delete_rs(ks_sim *sim, ksi_rs *rs)
{
    size_t i;
    for (i = 0; i < rs->npods; i++) {
        ksi_pod *p = ksi_pod_get(sim, rs->pods[i]);
        if (p) {
            p->pub.owner = 0;
            ksi_pod_delete(sim, p, p->pub.spec->grace_seconds);
        }
    }
    ks_mem_free(&sim->alloc, rs->pods, rs->cap * sizeof *rs->pods);
    rs->pods = NULL;
    rs->npods = rs->cap = 0;
    ksi_store_remove(sim, rs->pub.id);
}

int ks_cluster_delete(ks_sim *sim, ks_id id, int64_t grace, bool force)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    size_t i;
    if (!r)
        return KS_EUNKNOWN;
    switch (r->kind) {
    case KS_KIND_POD: {
        ksi_pod *p = r->ptr;
        ksi_pod_delete(sim, p, force ? 0 : grace < 0 ? p->pub.spec->grace_seconds : grace);
        if (force && ksi_pod_get(sim, id))
            ksi_pod_remove(sim, p);         /* gone from the API at once */
        break;
    }
    case KS_KIND_REPLICASET:
        delete_rs(sim, r->ptr);
        break;
    case KS_KIND_DEPLOYMENT: {
        ksi_deploy *d = r->ptr;
        for (i = 0; i < d->nrs; i++) {
            ksi_rs *rs = ksi_rs_get(sim, d->rs[i]);
            if (rs)
                delete_rs(sim, rs);
        }
        ks_mem_free(&sim->alloc, d->rs, d->cap * sizeof *d->rs);
        d->rs = NULL;
        d->nrs = d->cap = 0;
        ksi_store_remove(sim, id);
        break;
    }
    case KS_KIND_NODE:
        return KS_EINVAL;
    case KS_KIND_SERVICE:
        ksi_service_free(sim, id);
        ksi_store_remove(sim, id);
        break;
    case KS_KIND_PVC:
    case KS_KIND_PV:
    case KS_KIND_STORAGECLASS:
        return ksi_claims_delete(sim, id);
    case KS_KIND_NAMESPACE:
        if (!r->terminating) {          /* Terminating; ks_namespace.c empties it */
            r->terminating = true;
            r->deleted_at = ks_now(sim);
            ksi_store_update(sim, id, r->applied);
        }
        break;
    default:
        ksi_store_remove(sim, id);
    }
    return ks_sim_status(sim);
}

/* ---- other changes ------------------------------------------------------------------ */
/* A copy of a StatefulSet's or DaemonSet's manifest, to change its spec as
 * a client's update does: it becomes what was applied, and its hash moves,
 * so that applying the file again puts it back (kubectl apply). */
static ks_object *edit_object(ks_sim *sim, ks_id id, uint64_t salt)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    ks_object *o;
    if (!r || (r->kind != KS_KIND_STATEFULSET && r->kind != KS_KIND_DAEMONSET) || !r->applied
        || !(o = ksi_zalloc(sim, sizeof *o)))
        return NULL;
    *o = *r->applied;
    o->hash = (o->hash ^ salt) * 1099511628211ull;
    return o;
}

/* Makes o what was applied of id and tells the controllers. */
static int commit_object(ks_sim *sim, ks_id id, const ks_object *o)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    const ks_object *old = r->applied;
    r->applied = o;
    ksi_store_update(sim, id, old);
    return ks_sim_status(sim);
}

int ks_cluster_scale(ks_sim *sim, ks_id id, int64_t replicas)
{
    ksi_deploy *d = ksi_deploy_get(sim, id);
    ksi_rs *rs = ksi_rs_get(sim, id);
    ks_object *o;
    if (replicas < 0 || replicas > KS_MANIFEST_MAX_REPLICAS)
        return KS_EINVAL;
    if (d) {
        ks_deployment old = d->pub;
        d->pub.replicas = replicas;
        ksi_store_update(sim, id, &old);
    } else if (rs) {
        ks_replicaset old = rs->pub;
        rs->pub.replicas = replicas;
        ksi_store_update(sim, id, &old);
    } else if (ks_cluster_kind(sim, id) == KS_KIND_STATEFULSET) {
        if (ks_cluster_object(sim, id)->u.sts.replicas == replicas)
            return KS_OK;
        if (!(o = edit_object(sim, id, (uint64_t)replicas + 1)))
            return KS_ENOMEM;
        o->u.sts.replicas = replicas;
        return commit_object(sim, id, o);
    } else {
        return KS_EUNKNOWN;
    }
    return ks_sim_status(sim);
}

/* A copy of a template (and its containers), to change one thing. */
static ks_pod_template *copy_template(ks_sim *sim, const ks_pod_template *src)
{
    ks_pod_template *t = ksi_zalloc(sim, sizeof *t);
    ks_container *cs;
    if (!t)
        return NULL;
    *t = *src;
    cs = ksi_zalloc(sim, (t->spec.ncontainers + 1) * sizeof *cs);
    if (!cs)
        return NULL;
    memcpy(cs, t->spec.containers, t->spec.ncontainers * sizeof *cs);
    t->spec.containers = cs;
    return t;
}

/* The live template of a Deployment, StatefulSet or DaemonSet, or NULL. */
static const ks_pod_template *template_of(const ks_sim *sim, ks_id id)
{
    const ksi_deploy *d = ksi_deploy_get(sim, id);
    if (d)
        return d->pub.tmpl;
    if (ks_cluster_kind(sim, id) == KS_KIND_STATEFULSET)
        return &ks_cluster_object(sim, id)->u.sts.tmpl;
    if (ks_cluster_kind(sim, id) == KS_KIND_DAEMONSET)
        return &ks_cluster_object(sim, id)->u.ds.tmpl;
    return NULL;
}

/* Gives a Deployment, StatefulSet or DaemonSet a new template. */
static int set_template(ks_sim *sim, ks_id id, const ks_pod_template *t)
{
    ksi_deploy *d = ksi_deploy_get(sim, id);
    ks_object *o;
    if (d) {
        ks_deployment old = d->pub;
        d->pub.tmpl = t;
        ksi_store_update(sim, id, &old);
        return ks_sim_status(sim);
    }
    if (!(o = edit_object(sim, id, t->hash)))
        return KS_ENOMEM;
    if (o->kind == KS_KIND_DAEMONSET)
        o->u.ds.tmpl = *t;
    else
        o->u.sts.tmpl = *t;
    return commit_object(sim, id, o);
}

static uint32_t mix_hash(uint32_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int ks_cluster_set_image(ks_sim *sim, ks_id id, const char *container, const char *image,
                         ks_error *err)
{
    const ks_pod_template *cur = template_of(sim, id);
    ks_pod_template *t;
    size_t i;
    if (!cur)
        return KS_EUNKNOWN;
    for (i = 0; i < cur->spec.ncontainers; i++)
        if (strcmp(cur->spec.containers[i].name, container) == 0)
            break;
    if (i == cur->spec.ncontainers) {
        ks_error_set(err, KS_EUNKNOWN, KS_MARK_NONE,
                     "unable to find container named \"%s\"", container);
        return KS_EUNKNOWN;
    }
    if (strcmp(cur->spec.containers[i].image, image) == 0)
        return KS_OK;
    if (!(t = copy_template(sim, cur)))
        return KS_ENOMEM;
    t->spec.containers[i].image = ksi_strdup(sim, image);
    t->hash = mix_hash(t->hash, image);
    return set_template(sim, id, t);
}

int ks_cluster_rollout_restart(ks_sim *sim, ks_id id)
{
    const ks_pod_template *cur = template_of(sim, id);
    ks_pod_template *t;
    ks_kv *ann;
    char stamp[32];
    if (!cur)
        return KS_EUNKNOWN;
    if (!(t = copy_template(sim, cur)))
        return KS_ENOMEM;
    ann = ksi_zalloc(sim, (t->annotations.n + 1) * sizeof *ann);
    if (!ann)
        return KS_ENOMEM;
    if (t->annotations.n)
        memcpy(ann, t->annotations.items, t->annotations.n * sizeof *ann);
    ks_time_format_secs(ks_now(sim), stamp, sizeof stamp);
    ann[t->annotations.n].key = "kubectl.kubernetes.io/restartedAt";
    ann[t->annotations.n].value = ksi_strdup(sim, stamp);
    t->annotations.items = ann;
    t->annotations.n++;
    t->hash = mix_hash(t->hash, stamp);
    return set_template(sim, id, t);
}

static ks_kvs *labels_of(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    if (!r)
        return NULL;
    switch (r->kind) {
    case KS_KIND_POD:
        return &((ksi_pod *)r->ptr)->pub.labels;
    case KS_KIND_NODE:
        return &((ks_node *)r->ptr)->labels;
    case KS_KIND_DEPLOYMENT:
        return &((ksi_deploy *)r->ptr)->pub.labels;
    case KS_KIND_REPLICASET:
        return &((ksi_rs *)r->ptr)->pub.labels;
    default:
        return NULL;
    }
}

int ks_cluster_label(ks_sim *sim, ks_id id, const char *key, const char *value)
{
    ks_kvs *l = labels_of(sim, id);
    ksi_pod *p = ksi_pod_get(sim, id);
    ks_pod old_pod;
    ks_kv *items;
    size_t i, n = 0;
    if (!l)
        return KS_EUNKNOWN;
    if (p)
        old_pod = p->pub;
    items = ksi_zalloc(sim, (l->n + 1) * sizeof *items);
    if (!items)
        return KS_ENOMEM;
    for (i = 0; i < l->n; i++)
        if (strcmp(l->items[i].key, key) != 0)
            items[n++] = l->items[i];
    if (value) {
        items[n].key = ksi_strdup(sim, key);
        items[n].value = ksi_strdup(sim, value);
        n++;
    }
    l->items = items;
    l->n = n;
    if (p)
        ksi_pod_update(sim, p, &old_pod);
    else
        ksi_store_update(sim, id, NULL);
    return ks_sim_status(sim);
}

/* ---- nodes ---------------------------------------------------------------------------- */
int ks_cluster_cordon(ks_sim *sim, ks_id id, bool unschedulable)
{
    ks_node *n = ksi_node_get(sim, id);
    ks_node old;
    if (!n)
        return KS_EUNKNOWN;
    old = *n;
    n->unschedulable = unschedulable;
    if (unschedulable)
        ksi_event(sim, false, "NodeNotSchedulable", KS_KIND_NODE, n->name, n->id, "kubelet",
                  "Node %s status is now: NodeNotSchedulable", n->name);
    else
        ksi_event(sim, false, "NodeSchedulable", KS_KIND_NODE, n->name, n->id, "kubelet",
                  "Node %s status is now: NodeSchedulable", n->name);
    ksi_store_update(sim, id, &old);
    return ks_sim_status(sim);
}

int ks_cluster_drain(ks_sim *sim, ks_id id)
{
    ks_node *n = ksi_node_get(sim, id);
    ks_id pid = 0;
    if (!n)
        return KS_EUNKNOWN;
    if (!n->unschedulable)
        ks_cluster_cordon(sim, id, true);
    while ((pid = ks_cluster_next(sim, KS_KIND_POD, pid)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, pid);
        /* a DaemonSet's pods stay (kubectl drain --ignore-daemonsets): its
           controller would make them again on the cordoned node anyway */
        if (p->pub.node == n->id && !p->pub.terminating && !p->pub.spec->daemon) {
            ksi_event(sim, false, "Evicted", KS_KIND_POD, p->pub.name, p->pub.id, "kubectl",
                      "evicting pod %s/%s (drain)", p->pub.ns, p->pub.name);
            /* drain evicts through the eviction API, which sets the condition
               before it deletes (pkg/registry/core/pod/storage/eviction.go) */
            ksi_pod_disrupt(sim, p, "EvictionByEvictionAPI", "Eviction API: evicting");
            ksi_pod_delete(sim, p, p->pub.spec->grace_seconds);
        }
    }
    return ks_sim_status(sim);
}

void ks_cluster_uid(uint64_t key, unsigned salt, char out[40])
{
    snprintf(out, 40, "6b73%04x-%04x-4%03x-8%03x-%012llx", salt & 0xffffu,
             (unsigned)((key >> 48) & 0xffffu), (unsigned)((key >> 36) & 0xfffu),
             (unsigned)((key >> 24) & 0xfffu),
             (unsigned long long)(key & 0xffffffffffffULL));
}
