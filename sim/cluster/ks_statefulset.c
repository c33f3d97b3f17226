/* ks_statefulset.c -- the StatefulSet controller: pods with a stable
 * identity, <set>-<ordinal>, each with its own claims, made and removed in
 * order (pkg/controller/statefulset, v1.30: stateful_set_control.go
 * updateStatefulSet, processReplica, processCondemned; stateful_set_utils.go;
 * stateful_pod_control.go).
 *
 * What it keeps true, each from those files:
 *   - the pods of ordinals [0, replicas) exist; a missing one is made with
 *     its claims first (<template>-<set>-<ordinal>, labelled with the
 *     template's labels and the selector's matchLabels), and is named,
 *     labelled (statefulset.kubernetes.io/pod-name, apps.kubernetes.io/
 *     pod-index, controller-revision-hash) and given spec.hostname = its
 *     name and spec.subdomain = serviceName, so a headless Service of that
 *     name gives it the DNS name <pod>.<service> (updateIdentity);
 *   - OrderedReady (monotonic): one step per sync -- a pod is made only
 *     when every lower ordinal is Running and Ready (and available for
 *     minReadySeconds); a terminating pod is waited for, so a deleted
 *     pod's replacement (same name, same claims) starts only after the old
 *     one is gone; pods above replicas go from the highest ordinal down,
 *     one at a time, each once the others are healthy; Parallel: all at
 *     once, waiting for nothing;
 *   - a Failed or Succeeded pod is deleted and made again;
 *   - RollingUpdate: once all is healthy, the highest ordinal >= partition
 *     not at the update revision is deleted (and made again at it), one at
 *     a time (maxUnavailable 1: MaxUnavailableStatefulSet is alpha);
 *     ordinals below the partition are made at the current revision; when
 *     every pod is updated and ready the update revision becomes current
 *     (completeRollingUpdate); OnDelete: pods change only when deleted;
 *   - claims stay when pods go (scale-down, deletion) unless
 *     persistentVolumeClaimRetentionPolicy says Delete: whenDeleted makes
 *     the set own them, whenScaled makes a condemned pod own its claims, and
 *     the garbage collector (ks_gc.c) deletes them with their owner.
 * Events (stateful_pod_control.go recordPodEvent / recordClaimEvent):
 * SuccessfulCreate "create Pod web-0 in StatefulSet web successful",
 * "create Claim www-web-0 Pod web-0 in StatefulSet web success",
 * SuccessfulDelete "delete Pod web-2 in StatefulSet web successful".
 * A revision is <set>-<hash of the template> (a ControllerRevision's name);
 * the same template again is the same revision, as FindEqualRevisions finds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/cluster.h"
#include "ks_workloads.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define SOURCE "statefulset-controller"

typedef struct sts_state {
    ks_statefulset pub;           /* first: ks_cluster_statefulset returns it */
    const ks_pod_template *cur_tmpl;      /* the current revision's template */
    ks_id *pods;                  /* its pods, live ones, any order */
    size_t npods, cap;
} sts_state;
static const ksi_pod_list_at pod_list = KSI_POD_LIST_AT(sts_state, pods, npods, cap);

/* One pod of the set with its ordinal (a sync's view). */
typedef struct member {
    int64_t ord;
    ksi_pod *p;
} member;

const ks_statefulset *ks_cluster_statefulset(const ks_sim *sim, ks_id id)
{
    return ksi_store_status(sim, id, KS_KIND_STATEFULSET);
}

int64_t ks_statefulset_ordinal(const ks_statefulset *s, const ks_pod *p)
{
    size_t n = strlen(s->name);
    const char *d;
    int64_t ord = 0;
    if (strncmp(p->name, s->name, n) != 0 || p->name[n] != '-' || !p->name[n + 1])
        return -1;
    for (d = p->name + n + 1; *d; d++) {
        if (*d < '0' || *d > '9' || ord > KS_MANIFEST_MAX_REPLICAS)
            return -1;
        ord = ord * 10 + (*d - '0');
    }
    return ord;
}

static const char *revision(ks_sim *sim, const sts_state *s, const ks_pod_template *t)
{
    return ksi_printf(sim, "%s-%s", s->pub.name, ksi_hash_text(sim, t->hash));
}

/* ---- health (stateful_set_utils.go) --------------------------------------------------- */
static bool running_ready(const ks_pod *p)
{
    return strcmp(p->phase, "Running") == 0 && p->ready;
}

static bool available(const ks_sim *sim, const sts_state *s, const ks_pod *p)
{
    return running_ready(p)
           && ks_now(sim) - p->ready_since >= s->pub.spec->min_ready_seconds * KS_SEC;
}

static bool unavailable(const ks_sim *sim, const sts_state *s, const ks_pod *p)
{
    return !available(sim, s, p) || p->terminating;
}

static bool pod_done(const ks_pod *p)
{
    return strcmp(p->phase, "Failed") == 0 || strcmp(p->phase, "Succeeded") == 0;
}

static const char *pod_revision(const ks_pod *p)
{
    const char *r = ks_kvs_get(&p->labels, "controller-revision-hash");
    return r ? r : "";
}

/* ---- claims and pods ------------------------------------------------------------------------- */
static const char *claim_name(ks_sim *sim, const sts_state *s, const char *tpl, int64_t ord)
{
    return ksi_printf(sim, "%s-%s-%lld", tpl, s->pub.name, (long long)ord);
}

/* Creates the claims of ordinal ord that do not exist yet
 * (createPersistentVolumeClaims). */
static void create_claims(ks_sim *sim, sts_state *s, int64_t ord, const char *pod)
{
    const ks_statefulset_spec *spec = s->pub.spec;
    size_t i;
    for (i = 0; i < spec->nclaims; i++) {
        const ks_object *tpl = spec->claims[i];
        const char *name = claim_name(sim, s, tpl->meta.name, ord);
        const ks_kvs *sel = &spec->selector.match;
        ks_object *o;
        ks_kv *labels;
        ks_apply_result res;
        ks_error err = {0};
        ks_id id;
        if (!name || ks_cluster_find(sim, KS_KIND_PVC, s->pub.ns, name))
            continue;
        o = ksi_zalloc(sim, sizeof *o);
        labels = ksi_zalloc(sim, (tpl->meta.labels.n + sel->n + 1) * sizeof *labels);
        if (!o || !labels)
            return;
        *o = *tpl;
        o->meta.name = name;
        o->meta.ns = s->pub.ns;
        o->hash = tpl->hash ^ (0x9e3779b97f4a7c15ull * (uint64_t)(ord + 1));
        if (tpl->meta.labels.n)
            memcpy(labels, tpl->meta.labels.items, tpl->meta.labels.n * sizeof *labels);
        o->meta.labels.items = labels;
        o->meta.labels.n = tpl->meta.labels.n;
        for (size_t k = 0; k < sel->n; k++) {        /* the selector's labels win */
            size_t j;
            for (j = 0; j < o->meta.labels.n && strcmp(labels[j].key, sel->items[k].key); j++) {
            }
            labels[j] = sel->items[k];
            if (j == o->meta.labels.n)
                o->meta.labels.n++;
        }
        if (ks_cluster_apply(sim, o, &res, &err) != KS_OK) {
            ksi_event(sim, true, "FailedCreate", KS_KIND_STATEFULSET, s->pub.name, s->pub.id,
                      SOURCE, "create Claim %s for Pod %s in StatefulSet %s failed error: %s",
                      name, pod, s->pub.name, err.msg);
            continue;
        }
        ksi_event(sim, false, "SuccessfulCreate", KS_KIND_STATEFULSET, s->pub.name, s->pub.id,
                  SOURCE, "create Claim %s Pod %s in StatefulSet %s success", name, pod,
                  s->pub.name);
        if (spec->delete_when_deleted && (id = ks_cluster_find(sim, KS_KIND_PVC, s->pub.ns, name)))
            ksi_store_set_owner(sim, id, s->pub.id);
    }
}

/* The pod's spec: the template's, with its identity and its own claims. */
static const ks_pod_spec *pod_spec(ks_sim *sim, const sts_state *s, const ks_pod_template *t,
                                   const char *pod, int64_t ord)
{
    ks_pod_spec *ps = ksi_zalloc(sim, sizeof *ps);
    ks_volume *v;
    size_t i;
    if (!ps)
        return NULL;
    *ps = t->spec;
    ps->hostname = pod;
    ps->subdomain = s->pub.spec->service_name;
    if (!ps->nvolumes)
        return ps;
    if (!(v = ksi_zalloc(sim, ps->nvolumes * sizeof *v)))
        return NULL;
    memcpy(v, t->spec.volumes, ps->nvolumes * sizeof *v);
    for (i = 0; i < ps->nvolumes; i++)
        if (v[i].type == KS_VOL_PVC && !v[i].source
            && !(v[i].source = claim_name(sim, s, v[i].name, ord)))
            return NULL;
    ps->volumes = v;
    return ps;
}

static void create_pod(ks_sim *sim, sts_state *s, int64_t ord)
{
    const ks_statefulset_spec *spec = s->pub.spec;
    bool at_current = !spec->on_delete && ord < spec->partition;
    const ks_pod_template *t = at_current ? s->cur_tmpl : &spec->tmpl;
    const char *name = ksi_printf(sim, "%s-%lld", s->pub.name, (long long)ord);
    const char *rev = at_current ? s->pub.current_revision : s->pub.update_revision;
    const ks_pod_spec *ps;
    ks_kv *labels;
    size_t n;
    ksi_pod *p;
    char msg[400];
    if (!name || ks_cluster_find(sim, KS_KIND_POD, s->pub.ns, name))
        return;                        /* AlreadyExists: someone else's pod */
    if (!ksi_pod_admit_sa(sim, s->pub.ns, &t->spec, name, msg, sizeof msg)) {
        ksi_event(sim, true, "FailedCreate", KS_KIND_STATEFULSET, s->pub.name, s->pub.id,
                  SOURCE, "create Pod %s in StatefulSet %s failed error: %s", name,
                  s->pub.name, msg);
        return;
    }
    create_claims(sim, s, ord, name);
    n = t->labels.n;
    labels = ksi_zalloc(sim, (n + 3) * sizeof *labels);
    if (!labels || !(ps = pod_spec(sim, s, t, name, ord)))
        return;
    if (n)
        memcpy(labels, t->labels.items, n * sizeof *labels);
    labels[n] = (ks_kv){"apps.kubernetes.io/pod-index", ksi_printf(sim, "%lld", (long long)ord)};
    labels[n + 1] = (ks_kv){"controller-revision-hash", rev};
    labels[n + 2] = (ks_kv){"statefulset.kubernetes.io/pod-name", name};
    p = ksi_pod_create(sim, name, s->pub.ns, t, ps, &(ks_kvs){labels, n + 3}, s->pub.id);
    if (!p)
        return;
    ksi_store_set_owner(sim, p->pub.id, s->pub.id);
    ksi_event(sim, false, "SuccessfulCreate", KS_KIND_STATEFULSET, s->pub.name, s->pub.id,
              SOURCE, "create Pod %s in StatefulSet %s successful", name, s->pub.name);
}

static void delete_pod(ks_sim *sim, sts_state *s, ksi_pod *p)
{
    ksi_event(sim, false, "SuccessfulDelete", KS_KIND_STATEFULSET, s->pub.name, s->pub.id,
              SOURCE, "delete Pod %s in StatefulSet %s successful", p->pub.name, s->pub.name);
    ksi_pod_delete(sim, p, p->pub.spec->grace_seconds);
}

/* whenScaled: Delete -- a condemned pod owns its claims, which go with it
 * (UpdatePodClaimForRetentionPolicy). */
static void claims_follow_pod(ks_sim *sim, sts_state *s, const member *m)
{
    const ks_statefulset_spec *spec = s->pub.spec;
    size_t i;
    for (i = 0; spec->delete_when_scaled && i < spec->nclaims; i++) {
        const char *name = claim_name(sim, s, spec->claims[i]->meta.name, m->ord);
        ks_id id = name ? ks_cluster_find(sim, KS_KIND_PVC, s->pub.ns, name) : 0;
        if (id && ks_cluster_owner(sim, id) != m->p->pub.id)
            ksi_store_set_owner(sim, id, m->p->pub.id);
    }
}

/* ---- the sync (updateStatefulSet) ------------------------------------------------------------ */
static int by_ordinal_desc(const void *a, const void *b)
{
    const member *x = a, *y = b;
    return (x->ord < y->ord) - (x->ord > y->ord);
}

/* Makes, removes and updates pods; returns at the first step that must
 * wait (monotonic) or when done. replicas[ord] is NULL for a missing pod;
 * condemned is sorted by ordinal, highest first. */
static void reconcile(ks_sim *sim, ksi_workload_ctl *ctl, sts_state *s, ksi_pod **replicas,
                      member *condemned, size_t ncondemned)
{
    const ks_statefulset_spec *spec = s->pub.spec;
    bool monotonic = !spec->parallel;
    const ks_pod *first_unhealthy = NULL;
    int64_t ord, n = spec->replicas;
    size_t i;
    for (ord = 0; ord < n && !first_unhealthy; ord++)
        if (replicas[ord] && unavailable(sim, s, &replicas[ord]->pub))
            first_unhealthy = &replicas[ord]->pub;
    for (i = ncondemned; i-- > 0 && !first_unhealthy;)
        if (unavailable(sim, s, &condemned[i].p->pub))
            first_unhealthy = &condemned[i].p->pub;
    for (ord = 0; ord < n; ord++) {                       /* processReplica */
        ksi_pod *p = replicas[ord];
        if (p && pod_done(&p->pub)) {
            if (!p->pub.terminating)
                delete_pod(sim, s, p);
            if (monotonic)
                return;
            continue;
        }
        if (!p) {
            create_pod(sim, s, ord);
            if (monotonic)
                return;
            continue;
        }
        if (!monotonic)
            continue;
        if (p->pub.terminating || !running_ready(&p->pub))
            return;
        if (!available(sim, s, &p->pub)) {
            ksi_wq_add_after(sim, &ctl->queue, s->pub.id,
                             p->pub.ready_since + spec->min_ready_seconds * KS_SEC);
            return;
        }
    }
    for (i = 0; i < ncondemned; i++)                       /* fixPodClaim */
        claims_follow_pod(sim, s, &condemned[i]);
    for (i = 0; i < ncondemned; i++) {                     /* processCondemned */
        ksi_pod *p = condemned[i].p;
        if (p->pub.terminating) {
            if (monotonic)
                return;
            continue;
        }
        if (monotonic && !running_ready(&p->pub) && &p->pub != first_unhealthy)
            return;
        delete_pod(sim, s, p);
        if (monotonic)
            return;
    }
    if (spec->on_delete)
        return;
    for (ord = n - 1; ord >= spec->partition && ord >= 0; ord--) {   /* the rolling update */
        ksi_pod *p = replicas[ord];
        if (!p)
            return;
        if (strcmp(pod_revision(&p->pub), s->pub.update_revision) != 0 && !p->pub.terminating) {
            delete_pod(sim, s, p);
            return;
        }
        if (unavailable(sim, s, &p->pub))
            return;
    }
}

/* status (updateStatus, completeRollingUpdate) */
static void tally(ks_sim *sim, sts_state *s)
{
    size_t i;
    s->pub.replicas = s->pub.ready = s->pub.available = s->pub.current = s->pub.updated = 0;
    for (i = 0; i < s->npods; i++) {
        const ks_pod *p = ks_cluster_pod(sim, s->pods[i]);
        if (!p)
            continue;
        s->pub.replicas++;
        if (running_ready(p)) {
            s->pub.ready++;
            s->pub.available += available(sim, s, p);
        }
        if (!p->terminating) {
            s->pub.current += strcmp(pod_revision(p), s->pub.current_revision) == 0;
            s->pub.updated += strcmp(pod_revision(p), s->pub.update_revision) == 0;
        }
    }
    if (!s->pub.spec->on_delete && s->pub.updated == s->pub.replicas
        && s->pub.ready == s->pub.replicas
        && strcmp(s->pub.current_revision, s->pub.update_revision) != 0) {
        s->pub.current_revision = s->pub.update_revision;
        s->pub.current = s->pub.updated;
        s->cur_tmpl = &s->pub.spec->tmpl;
    }
}

static void sync_sts(ks_sim *sim, void *ud, ks_id id)
{
    ksi_workload_ctl *ctl = ud;
    sts_state *s = ksi_store_status(sim, id, KS_KIND_STATEFULSET);
    ks_statefulset before;
    ksi_pod **replicas;
    member *condemned;
    size_t i, nc = 0, n;
    if (!s)
        return;
    before = s->pub;
    n = (size_t)s->pub.spec->replicas;
    replicas = ks_mem_calloc(&sim->alloc, n + 1, sizeof *replicas);
    condemned = ks_mem_calloc(&sim->alloc, s->npods + 1, sizeof *condemned);
    if (!replicas || !condemned) {
        ks_sim_fail(sim, KS_ENOMEM);
    } else {
        for (i = 0; i < s->npods; i++) {
            ksi_pod *p = ksi_pod_get(sim, s->pods[i]);
            int64_t ord = p ? ks_statefulset_ordinal(&s->pub, &p->pub) : -1;
            if (ord < 0)
                continue;                  /* not of the form <set>-<n>: ignored */
            if ((size_t)ord < n)
                replicas[ord] = p;
            else
                condemned[nc++] = (member){ord, p};
        }
        qsort(condemned, nc, sizeof *condemned, by_ordinal_desc);
        reconcile(sim, ctl, s, replicas, condemned, nc);
    }
    ks_mem_free(&sim->alloc, replicas, (n + 1) * sizeof *replicas);
    ks_mem_free(&sim->alloc, condemned, (s->npods + 1) * sizeof *condemned);
    tally(sim, s);
    if (before.replicas != s->pub.replicas || before.ready != s->pub.ready
        || before.available != s->pub.available || before.current != s->pub.current
        || before.updated != s->pub.updated
        || before.current_revision != s->pub.current_revision
        || before.update_revision != s->pub.update_revision)
        ksi_store_update(sim, id, NULL);          /* its status */
}

/* ---- what it hears ------------------------------------------------------------------------- */
static sts_state *sts_new(ks_sim *sim, ks_id id, const ks_object *o)
{
    sts_state *s = ksi_zalloc(sim, sizeof *s);
    if (!s)
        return NULL;
    s->pub.id = id;
    s->pub.obj = o;
    s->pub.name = o->meta.name;
    s->pub.ns = o->meta.ns;
    s->pub.spec = &o->u.sts;
    s->pub.created = ks_now(sim);
    s->cur_tmpl = &o->u.sts.tmpl;
    s->pub.update_revision = s->pub.current_revision = revision(sim, s, s->cur_tmpl);
    ksi_store_ref(sim, id)->status = s;
    return s->pub.update_revision ? s : NULL;
}

static void on_sts(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ksi_workload_ctl *ctl = ud;
    sts_state *s = ksi_store_status(sim, ch->id, KS_KIND_STATEFULSET);
    if (ksi_workload_settled(sim, ch, &ctl->queue, s, &pod_list))
        return;                                /* gone, or its own status */
    if (ch->type == KS_ADDED && !s && !sts_new(sim, ch->id, ch->obj))
        return;
    if (s && ch->type == KS_UPDATED) {         /* applied again, scaled, restarted */
        const char *rev;
        s->pub.obj = ch->obj;
        s->pub.spec = &s->pub.obj->u.sts;
        rev = revision(sim, s, &s->pub.spec->tmpl);
        if (rev && strcmp(rev, s->pub.update_revision) != 0)
            s->pub.update_revision = strcmp(rev, s->pub.current_revision) == 0
                                         ? s->pub.current_revision : rev;
        if (s->pub.update_revision == s->pub.current_revision)
            s->cur_tmpl = &s->pub.spec->tmpl;
    }
    ksi_wq_add(sim, &ctl->queue, ch->id);
}

/* Its pods: kept in its list, and any change of one syncs it. */
static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ksi_workload_ctl *ctl = ud;
    const ksi_pod *p = ch->obj;
    sts_state *s = ksi_store_status(sim, p->pub.owner, KS_KIND_STATEFULSET);
    if (!s || ksi_owned_pods_track(sim, &s->pods, &s->npods, &s->cap, ch))
        return;
    ksi_wq_add(sim, &ctl->queue, s->pub.id);
}

int ksi_ctl_statefulset(ks_sim *sim)
{
    return ksi_workload_ctl_start(sim, KS_KIND_STATEFULSET, &pod_list, KSI_PRIO_WORKLOADS,
                                  KSI_WQ_OLDEST_OBJECT_FIRST, sync_sts, on_sts, on_pod)
               ? KS_OK : KS_ENOMEM;
}
