/* ks_daemonset.c -- the DaemonSet controller: one pod on every node that
 * should run one (pkg/controller/daemon, v1.30: daemon_controller.go
 * manage, podsShouldBeOnNode, NodeShouldRunDaemonPod; update.go
 * rollingUpdate; util/daemonset_util.go).
 *
 * What it keeps true, each from those files:
 *   - a node should run the pod when the template's nodeSelector matches
 *     its labels and its taints are tolerated; the pods get the
 *     DaemonSet tolerations (util AddOrUpdateDaemonPodTolerations):
 *     not-ready and unreachable NoExecute, memory-pressure, disk-pressure,
 *     pid-pressure and unschedulable NoSchedule -- so a cordoned node keeps
 *     (and gets) its pod, and a node that stops answering keeps its pod,
 *     which is never made again elsewhere; a NotReady node's not-ready
 *     NoSchedule taint is not tolerated: no new pod there until it is back;
 *   - a node that should run it and has none gets one, bound to it (the
 *     controller gives the pod node affinity to that node; the scheduler
 *     binds it); extra pods on a node are deleted, the oldest kept; a pod on
 *     a node that should no longer run it is deleted; a Failed pod is
 *     deleted and made again;
 *   - RollingUpdate (maxSurge 0): old pods are deleted, unavailable ones
 *     first, while the unavailable stay within maxUnavailable (1 by
 *     default; a percentage of the desired nodes, rounded up); each node
 *     then gets a pod of the new template; OnDelete: only deleted pods
 *     change;
 *   - pods are named <set>-<5 characters> (generateName) and labelled with
 *     the template's labels, controller-revision-hash and
 *     pod-template-generation; events SuccessfulCreate "Created pod: NAME",
 *     SuccessfulDelete "Deleted pod: NAME" (controller_utils.go).
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "ks_workloads.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define SOURCE "daemonset-controller"

typedef struct ds_state {
    ks_daemonset pub;             /* first: ks_cluster_daemonset returns it */
    ks_id *pods;                  /* its live pods */
    size_t npods, cap;
} ds_state;
static const ksi_pod_list_at pod_list = KSI_POD_LIST_AT(ds_state, pods, npods, cap);

const ks_daemonset *ks_cluster_daemonset(const ks_sim *sim, ks_id id)
{
    return ksi_store_status(sim, id, KS_KIND_DAEMONSET);
}

/* ---- nodes ---------------------------------------------------------------------------- */
/* NodeShouldRunDaemonPod: *run (a new pod may be placed) and *keep (a pod
 * there may stay). */
static void should_run(const ds_state *s, const ks_node *n, bool *run, bool *keep)
{
    const ks_kvs *sel = &s->pub.spec->tmpl.spec.node_selector;
    size_t i;
    *run = *keep = true;
    for (i = 0; i < sel->n; i++) {
        const char *v = ks_kvs_get(&n->labels, sel->items[i].key);
        if (!v || strcmp(v, sel->items[i].value) != 0)
            *run = *keep = false;
    }
    if (!n->ready)
        *run = false;             /* not-ready:NoSchedule is not tolerated */
}

/* ---- health ------------------------------------------------------------------------------- */
static bool available(const ks_sim *sim, const ds_state *s, const ks_pod *p)
{
    return p->ready && !p->terminating
           && ks_now(sim) - p->ready_since >= s->pub.spec->min_ready_seconds * KS_SEC;
}

static bool updated(const ds_state *s, const ks_pod *p)
{
    const char *h = ks_kvs_get(&p->labels, "controller-revision-hash");
    return h && strcmp(h, s->pub.hash) == 0;
}

/* ---- pods ------------------------------------------------------------------------------------ */
static void create_pod(ks_sim *sim, ds_state *s, const ks_node *n)
{
    const ks_pod_template *t = &s->pub.spec->tmpl;
    ks_pod_spec *ps = ksi_zalloc(sim, sizeof *ps);
    ks_kv *labels = ksi_zalloc(sim, (t->labels.n + 2) * sizeof *labels);
    char suffix[6];
    const char *name;
    ksi_pod *p;
    char msg[400];
    if (!ps || !labels)
        return;
    if (!ksi_pod_admit_sa(sim, s->pub.ns, &t->spec, ksi_printf(sim, "%s-", s->pub.name), msg,
                          sizeof msg)) {
        ksi_event(sim, true, "FailedCreate", KS_KIND_DAEMONSET, s->pub.name, s->pub.id, SOURCE,
                  "Error creating: %s", msg);
        return;
    }
    do {
        ksi_random_suffix(sim, suffix);
        name = ksi_printf(sim, "%s-%s", s->pub.name, suffix);
    } while (name && ks_cluster_find(sim, KS_KIND_POD, s->pub.ns, name));
    if (!name)
        return;
    *ps = t->spec;
    ps->node_name = n->name;             /* its node affinity: this node only */
    ps->daemon = true;
    if (t->labels.n)
        memcpy(labels, t->labels.items, t->labels.n * sizeof *labels);
    labels[t->labels.n] = (ks_kv){"controller-revision-hash", s->pub.hash};
    labels[t->labels.n + 1] = (ks_kv){"pod-template-generation",
                                      ksi_printf(sim, "%lld", (long long)s->pub.generation)};
    p = ksi_pod_create(sim, name, s->pub.ns, t, ps, &(ks_kvs){labels, t->labels.n + 2},
                       s->pub.id);
    if (!p)
        return;
    ksi_store_set_owner(sim, p->pub.id, s->pub.id);
    ksi_event(sim, false, "SuccessfulCreate", KS_KIND_DAEMONSET, s->pub.name, s->pub.id, SOURCE,
              "Created pod: %s", name);
}

static void delete_pod(ks_sim *sim, ds_state *s, ksi_pod *p)
{
    ksi_event(sim, false, "SuccessfulDelete", KS_KIND_DAEMONSET, s->pub.name, s->pub.id, SOURCE,
              "Deleted pod: %s", p->pub.name);
    ksi_pod_delete(sim, p, p->pub.spec->grace_seconds);
}

/* ---- the sync ---------------------------------------------------------------------------------- */
/* The live pods of s on node n (terminating ones too), oldest first. */
static size_t pods_on(ks_sim *sim, const ds_state *s, ks_id node, ksi_pod **out, size_t max)
{
    size_t i, k = 0;
    for (i = 0; i < s->npods && k < max; i++) {
        ksi_pod *p = ksi_pod_get(sim, s->pods[i]);
        if (p && p->pub.node == node)
            out[k++] = p;
    }
    return k;
}

/* manage: per node, the pods it should have (podsShouldBeOnNode). */
static void manage(ks_sim *sim, ds_state *s)
{
    size_t i, j;
    for (i = 0; i < s->npods; i++) {           /* pods never bound: their node is gone */
        ksi_pod *p = ksi_pod_get(sim, s->pods[i]);
        if (p && !p->pub.node && !p->pub.terminating
            && !ks_cluster_find(sim, KS_KIND_NODE, NULL, p->pub.spec->node_name))
            delete_pod(sim, s, p);
    }
    for (i = 0; i < sim->cluster->nnodes; i++) {
        const ks_node *n = ksi_node_get(sim, sim->cluster->node_ids[i]);
        ksi_pod *on[8];
        size_t k, live = 0;
        bool run, keep;
        if (!n)
            continue;
        should_run(s, n, &run, &keep);
        k = pods_on(sim, s, n->id, on, 8);
        for (j = 0; j < s->npods; j++) {       /* made for n, not bound yet */
            ksi_pod *p = ksi_pod_get(sim, s->pods[j]);
            if (p && !p->pub.node && k < 8 && strcmp(p->pub.spec->node_name, n->name) == 0)
                on[k++] = p;
        }
        for (j = 0; j < k; j++) {
            ksi_pod *p = on[j];
            if (p->pub.terminating)
                continue;
            if (!keep || strcmp(p->pub.phase, "Failed") == 0 || live > 0)
                delete_pod(sim, s, p);        /* not wanted here, failed, or extra */
            else
                live++;
        }
        if (run && !live && !k)
            create_pod(sim, s, n);
    }
}

/* rollingUpdate (maxSurge 0): delete old pods within maxUnavailable. */
static void rolling_update(ks_sim *sim, ds_state *s)
{
    const ks_intstr *mu = &s->pub.spec->max_unavailable;
    int64_t max_unavail = mu->percent ? (s->pub.desired * mu->num + 99) / 100 : mu->num;
    int64_t unavailable = 0;
    size_t i, k;
    for (i = 0; i < sim->cluster->nnodes; i++) {
        const ks_node *n = ksi_node_get(sim, sim->cluster->node_ids[i]);
        ksi_pod *on[8];
        bool run, keep, ok = false;
        if (!n)
            continue;
        should_run(s, n, &run, &keep);
        if (!run && !keep)
            continue;
        k = pods_on(sim, s, n->id, on, 8);
        while (k-- > 0)
            ok |= available(sim, s, &on[k]->pub);
        unavailable += !ok;
    }
    for (i = 0; i < 2; i++)                    /* unavailable old pods, then available */
        for (k = 0; k < s->npods; k++) {
            ksi_pod *p = ksi_pod_get(sim, s->pods[k]);
            bool avail;
            if (!p || p->pub.terminating || updated(s, &p->pub))
                continue;
            avail = available(sim, s, &p->pub);
            if (i == 0 && !avail)
                delete_pod(sim, s, p);
            else if (i == 1 && avail && unavailable < max_unavail) {
                delete_pod(sim, s, p);
                unavailable++;
            }
        }
}

static void tally(ks_sim *sim, ksi_workload_ctl *ctl, ds_state *s)
{
    size_t i, k;
    s->pub.desired = s->pub.current = s->pub.ready = s->pub.updated = 0;
    s->pub.available = s->pub.misscheduled = 0;
    for (i = 0; i < sim->cluster->nnodes; i++) {
        const ks_node *n = ksi_node_get(sim, sim->cluster->node_ids[i]);
        ksi_pod *on[8];
        bool run, keep, has = false, ready = false, upd = false, avail = false;
        if (!n)
            continue;
        should_run(s, n, &run, &keep);
        k = pods_on(sim, s, n->id, on, 8);
        while (k-- > 0) {
            if (on[k]->pub.terminating)
                continue;
            has = true;
            ready |= on[k]->pub.ready;
            upd |= updated(s, &on[k]->pub);
            avail |= available(sim, s, &on[k]->pub);
            if (on[k]->pub.ready && !available(sim, s, &on[k]->pub))
                ksi_wq_add_after(sim, &ctl->queue, s->pub.id,
                                 on[k]->pub.ready_since
                                     + s->pub.spec->min_ready_seconds * KS_SEC);
        }
        if (run || (keep && has)) {
            s->pub.desired++;
            s->pub.current += has;
            s->pub.ready += ready;
            s->pub.updated += upd;
            s->pub.available += avail;
        } else {
            s->pub.misscheduled += has;
        }
    }
}

static void sync_ds(ks_sim *sim, void *ud, ks_id id)
{
    ksi_workload_ctl *ctl = ud;
    ds_state *s = ksi_store_status(sim, id, KS_KIND_DAEMONSET);
    ks_daemonset before;
    if (!s)
        return;
    before = s->pub;
    manage(sim, s);
    tally(sim, ctl, s);
    if (!s->pub.spec->on_delete)
        rolling_update(sim, s);
    tally(sim, ctl, s);
    if (before.desired != s->pub.desired || before.current != s->pub.current
        || before.ready != s->pub.ready || before.updated != s->pub.updated
        || before.available != s->pub.available || before.misscheduled != s->pub.misscheduled)
        ksi_store_update(sim, id, NULL);          /* its status */
}

/* ---- what it hears --------------------------------------------------------------------------- */
static void set_template(ks_sim *sim, ds_state *s, const ks_object *o)
{
    const char *hash = ksi_hash_text(sim, o->u.ds.tmpl.hash);
    s->pub.obj = o;
    s->pub.spec = &o->u.ds;
    if (hash && (!s->pub.hash || strcmp(hash, s->pub.hash) != 0)) {
        s->pub.hash = hash;
        s->pub.generation++;
    }
}

static void on_ds(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ksi_workload_ctl *ctl = ud;
    ds_state *s = ksi_store_status(sim, ch->id, KS_KIND_DAEMONSET);
    if (ksi_workload_settled(sim, ch, &ctl->queue, s, &pod_list))
        return;                                    /* gone, or its own status */
    if (ch->type == KS_ADDED && !s) {
        const ks_object *o = ch->obj;
        if (!(s = ksi_zalloc(sim, sizeof *s)))
            return;
        s->pub.id = ch->id;
        s->pub.name = o->meta.name;
        s->pub.ns = o->meta.ns;
        s->pub.created = ks_now(sim);
        ksi_store_ref(sim, ch->id)->status = s;
        set_template(sim, s, o);
    } else if (ch->type == KS_UPDATED) {
        if (!s)
            return;
        set_template(sim, s, ch->obj);             /* applied again, restarted */
    }
    ksi_wq_add(sim, &ctl->queue, ch->id);
}

static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ksi_workload_ctl *ctl = ud;
    const ksi_pod *p = ch->obj;
    ds_state *s = ksi_store_status(sim, p->pub.owner, KS_KIND_DAEMONSET);
    if (!s || ksi_owned_pods_track(sim, &s->pods, &s->npods, &s->cap, ch))
        return;
    ksi_wq_add(sim, &ctl->queue, s->pub.id);
}

/* A node joined, changed labels, became (un)ready: every DaemonSet looks. */
static void on_node(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ksi_workload_ctl *ctl = ud;
    ks_id id = 0;
    (void)ch;
    while ((id = ks_cluster_next(sim, KS_KIND_DAEMONSET, id)) != 0)
        ksi_wq_add(sim, &ctl->queue, id);
}

int ksi_ctl_daemonset(ks_sim *sim)
{
    ksi_workload_ctl *ctl = ksi_workload_ctl_start(sim, KS_KIND_DAEMONSET, &pod_list,
                                                   KSI_PRIO_WORKLOADS,
                                                   KSI_WQ_OLDEST_OBJECT_FIRST, sync_ds, on_ds,
                                                   on_pod);
    if (!ctl || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_NODE), on_node, ctl))
        return KS_ENOMEM;
    return KS_OK;
}
