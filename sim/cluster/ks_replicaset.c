/* ks_replicaset.c -- the ReplicaSet controller: keeps `replicas` pods of
 * each ReplicaSet, creating pods from its template and deleting the right
 * ones when there are too many; counts them for its status.
 *
 * It hears of ReplicaSets (added, or their replicas changed) and of their
 * pods (changed or gone) from the store, and reconciles each ReplicaSet in
 * its work queue (pkg/controller/replicaset/replica_set.go). Numbers and
 * orders follow KUBERNETES.md section 5: pod names <rs>-<5 chars>, the
 * scale-down victim order, minReadySeconds for availability.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

typedef struct rs_controller {
    ksi_workqueue queue;
} rs_controller;

/* ---- ReplicaSet objects ------------------------------------------------------------ */
const char *ksi_hash_text(ks_sim *sim, uint32_t h)
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    char dec[16], out[16];
    size_t i;
    snprintf(dec, sizeof dec, "%u", h);
    for (i = 0; dec[i]; i++)
        out[i] = alphabet[(unsigned char)dec[i] % (sizeof alphabet - 1)];
    out[i] = '\0';
    return ksi_strdup(sim, out);
}

ks_id ksi_rs_create(ks_sim *sim, ksi_deploy *d, const ks_object *o, const ks_pod_template *tmpl,
                    uint32_t hash, int64_t replicas)
{
    ksi_rs *rs = ksi_zalloc(sim, sizeof *rs);
    ks_kv *labels;
    if (!rs)
        return 0;
    rs->pub.hash = ksi_hash_text(sim, hash);
    rs->pub.tmpl = tmpl;
    rs->pub.replicas = replicas;
    rs->pub.created = ks_now(sim);
    rs->pub.ns = d ? d->pub.ns : o->meta.ns;
    /* template labels plus pod-template-hash, on the RS and its pods */
    labels = ksi_zalloc(sim, (tmpl->labels.n + 1) * sizeof *labels);
    if (!labels || !rs->pub.hash)
        return 0;
    memcpy(labels, tmpl->labels.items, tmpl->labels.n * sizeof *labels);
    rs->pub.labels.items = labels;
    rs->pub.labels.n = tmpl->labels.n;
    if (d) {
        labels[tmpl->labels.n].key = "pod-template-hash";
        labels[tmpl->labels.n].value = rs->pub.hash;
        rs->pub.labels.n++;
        rs->pub.name = ksi_printf(sim, "%s-%s", d->pub.name, rs->pub.hash);
        rs->pub.owner = d->pub.id;
        rs->pub.revision = ++d->pub.revision;
        rs->pub.selector.match = rs->pub.labels;
    }
    if (o) {                               /* a ReplicaSet of its own */
        rs->pub.name = o->meta.name;
        rs->pub.selector = o->u.rs.selector;
    }
    rs->pub.id = ksi_store_add(sim, KS_KIND_REPLICASET, rs, o);
    if (!rs->pub.id)
        return 0;
    if (d) {
        if (ksi_grow(sim, (void **)&d->rs, &d->cap, d->nrs + 1, sizeof *d->rs))
            return 0;
        d->rs[d->nrs++] = rs->pub.id;
    }
    ksi_store_added(sim, rs->pub.id);
    return rs->pub.id;
}

/* ---- the controller ----------------------------------------------------------------- */
static bool pod_active(const ks_pod *p)
{
    return !p->terminating && strcmp(p->phase, "Succeeded") && strcmp(p->phase, "Failed");
}

static int64_t min_ready_seconds(const ks_sim *sim, const ksi_rs *rs)
{
    ksi_deploy *d = ksi_deploy_get(sim, rs->pub.owner);
    return d ? d->pub.spec->min_ready_seconds : 0;
}

static void rs_forget_pod(ksi_rs *rs, ks_id pod)
{
    size_t i;
    for (i = 0; i < rs->npods; i++)
        if (rs->pods[i] == pod) {
            rs->pods[i] = rs->pods[--rs->npods];
            return;
        }
}

/* false when the API server refused the pod (its ServiceAccount): the
 * controller's event says why (controller_utils.go: "Error creating: %v"). */
static bool rs_create_pod(ks_sim *sim, ksi_rs *rs)
{
    char suffix[6], msg[400];
    const char *name;
    ksi_pod *p;
    /* the pod is created with generateName NAME-: the refusal names that */
    if (!ksi_pod_admit_sa(sim, rs->pub.ns, &rs->pub.tmpl->spec,
                          ksi_printf(sim, "%s-", rs->pub.name), msg, sizeof msg)) {
        ksi_event(sim, true, "FailedCreate", KS_KIND_REPLICASET, rs->pub.name, rs->pub.id,
                  "replicaset-controller", "Error creating: %s", msg);
        return false;
    }
    do {
        ksi_random_suffix(sim, suffix);
        name = ksi_printf(sim, "%s-%s", rs->pub.name, suffix);
    } while (name && ks_cluster_find(sim, KS_KIND_POD, rs->pub.ns, name));
    if (!name)
        return true;
    p = ksi_pod_create(sim, name, rs->pub.ns, rs->pub.tmpl, &rs->pub.tmpl->spec,
                       &rs->pub.labels, rs->pub.id);
    if (!p || ksi_grow(sim, (void **)&rs->pods, &rs->cap, rs->npods + 1, sizeof *rs->pods))
        return true;
    rs->pods[rs->npods++] = p->pub.id;
    ksi_event(sim, false, "SuccessfulCreate", KS_KIND_REPLICASET, rs->pub.name, rs->pub.id,
              "replicaset-controller", "Created pod: %s", name);
    return true;
}

/* Scale-down order (KUBERNETES.md section 5): unscheduled, then pending,
 * then not ready, then on nodes running more of these replicas, then ready
 * for less time, then more restarts, then newer. */
typedef struct victim {
    const ks_pod *p;
    int on_node;
} victim;

static int restarts_of(const ks_pod *p)
{
    int r = 0;
    size_t i;
    for (i = 0; i < p->ncontainers; i++)
        r += p->containers[i].restarts;
    return r;
}

static int victim_cmp(const void *a, const void *b)
{
    const victim *x = a, *y = b;
    const ks_pod *p = x->p, *q = y->p;
    int pr = strcmp(p->phase, "Pending") == 0, qr = strcmp(q->phase, "Pending") == 0;
    if ((p->node == 0) != (q->node == 0))
        return p->node == 0 ? -1 : 1;
    if (pr != qr)
        return pr ? -1 : 1;
    if (p->ready != q->ready)
        return p->ready ? 1 : -1;
    if (x->on_node != y->on_node)
        return x->on_node > y->on_node ? -1 : 1;
    if (p->ready && p->ready_since != q->ready_since)
        return p->ready_since > q->ready_since ? -1 : 1;
    if (restarts_of(p) != restarts_of(q))
        return restarts_of(p) > restarts_of(q) ? -1 : 1;
    if (p->created != q->created)
        return p->created > q->created ? -1 : 1;
    return p->id > q->id ? -1 : 1;
}

static void rs_delete_pods(ks_sim *sim, ksi_rs *rs, int64_t n)
{
    victim *v = ks_mem_calloc(&sim->alloc, rs->npods ? rs->npods : 1, sizeof *v);
    size_t i, j, nv = 0;
    if (!v) {
        ks_sim_fail(sim, KS_ENOMEM);
        return;
    }
    for (i = 0; i < rs->npods; i++) {
        const ks_pod *p = ks_cluster_pod(sim, rs->pods[i]);
        if (p && pod_active(p))
            v[nv++].p = p;
    }
    for (i = 0; i < nv; i++)
        for (j = 0; j < nv; j++)
            v[i].on_node += v[j].p->node && v[j].p->node == v[i].p->node;
    qsort(v, nv, sizeof *v, victim_cmp);
    for (i = 0; i < nv && (int64_t)i < n; i++) {
        ksi_pod *p = ksi_pod_get(sim, v[i].p->id);
        ksi_event(sim, false, "SuccessfulDelete", KS_KIND_REPLICASET, rs->pub.name, rs->pub.id,
                  "replicaset-controller", "Deleted pod: %s", v[i].p->name);
        if (p)
            ksi_pod_delete(sim, p, p->pub.spec->grace_seconds);
    }
    ks_mem_free(&sim->alloc, v, (rs->npods ? rs->npods : 1) * sizeof *v);
}

static void wake_rs(ks_sim *sim, void *subject, uint64_t rs)
{
    rs_controller *ctl = subject;
    ksi_wq_add(sim, &ctl->queue, (ks_id)rs);
}

static void sync_rs(ks_sim *sim, void *ud, ks_id id)
{
    rs_controller *ctl = ud;
    ksi_rs *rs = ksi_rs_get(sim, id);
    ks_replicaset old;
    int64_t active = 0, ready = 0, available = 0, i, min_ready;
    ks_time next_available = 0;
    size_t k;
    if (!rs)
        return;
    min_ready = min_ready_seconds(sim, rs);
    for (k = 0; k < rs->npods; k++) {
        const ks_pod *p = ks_cluster_pod(sim, rs->pods[k]);
        if (!p || !pod_active(p))
            continue;
        active++;
        if (p->ready) {
            ready++;
            if (ks_now(sim) - p->ready_since >= min_ready * KS_SEC)
                available++;
            else if (!next_available || p->ready_since + min_ready * KS_SEC < next_available)
                next_available = p->ready_since + min_ready * KS_SEC;
        }
    }
    if (active < rs->pub.replicas) {
        for (i = active; i < rs->pub.replicas; i++)
            if (!rs_create_pod(sim, rs))
                break;
        if (i < rs->pub.replicas) {
            /* requeued rate-limited: client-go's per-item back-off, 5 ms
               doubling to 1000 s (workqueue DefaultControllerRateLimiter) */
            unsigned f = rs->create_failures < 18 ? rs->create_failures : 18;
            ks_time delay = (ks_time)5 * KS_MSEC << f;
            rs->create_failures++;
            ks_event_after(sim, delay < 1000 * KS_SEC ? delay : 1000 * KS_SEC,
                           KSI_PRIO_WORKLOADS, wake_rs, ctl, rs->pub.id);
        } else {
            rs->create_failures = 0;
        }
    } else if (active > rs->pub.replicas)
        rs_delete_pods(sim, rs, active - rs->pub.replicas);
    if (next_available)
        ks_event_schedule(sim, next_available, KSI_PRIO_WORKLOADS, wake_rs, ctl, rs->pub.id);
    if (rs->pub.current != active || rs->pub.ready != ready || rs->pub.available != available) {
        old = rs->pub;
        rs->pub.current = active;
        rs->pub.ready = ready;
        rs->pub.available = available;
        ksi_store_update(sim, rs->pub.id, &old);       /* status */
    }
}

/* ---- what it hears --------------------------------------------------------------------- */
static void on_replicaset(ks_sim *sim, const ksi_change *ch, void *ud)
{
    rs_controller *ctl = ud;
    const ksi_rs *rs = ch->obj;
    const ks_replicaset *old = ch->old;
    /* its own status updates need no second look */
    if (ch->type == KS_ADDED
        || (ch->type == KS_UPDATED && (!old || old->replicas != rs->pub.replicas
                                       || old->tmpl != rs->pub.tmpl)))
        ksi_wq_add(sim, &ctl->queue, ch->id);
}

/* Whether a pod change touches what the controller counts: active (not
 * terminating, not finished), ready, available. */
static bool counted_change(const ks_pod *now, const ks_pod *old)
{
    return !old || old->terminating != now->terminating || old->phase != now->phase
           || old->ready != now->ready || old->ready_since != now->ready_since;
}

static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    rs_controller *ctl = ud;
    const ksi_pod *p = ch->obj;
    ksi_rs *rs = ksi_rs_get(sim, p->pub.owner);
    if (!rs || ch->type == KS_ADDED)
        return;                            /* it made the pod itself */
    if (ch->type == KS_UPDATED && !counted_change(&p->pub, ch->old))
        return;
    if (ch->type == KS_DELETED)
        rs_forget_pod(rs, ch->id);
    ksi_wq_add(sim, &ctl->queue, rs->pub.id);
}

static void stop(ks_sim *sim, void *ud)
{
    rs_controller *ctl = ud;
    ksi_wq_fini(sim, &ctl->queue);
}

int ksi_ctl_replicaset(ks_sim *sim)
{
    rs_controller *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl
        || ksi_wq_init(sim, &ctl->queue, KSI_PRIO_WORKLOADS, KSI_WQ_NEWEST_FIRST, sync_rs, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_REPLICASET), on_replicaset, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_POD), on_pod, ctl)
        || ksi_sim_add_part(sim, stop, ctl))
        return KS_ENOMEM;
    return KS_OK;
}
