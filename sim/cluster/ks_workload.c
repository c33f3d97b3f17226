/* ks_workload.c -- the ReplicaSet and Deployment controllers, and pod
 * creation from templates.
 *
 * Controllers are level-triggered, as real ones: whatever changes marks an
 * object dirty, and one sync event (after the current event, at the same
 * simulated time) reconciles every dirty object until nothing changes.
 * Numbers and orders follow KUBERNETES.md section 5: names
 * <deploy>-<hash>-<5 chars>, maxSurge rounded up and maxUnavailable rounded
 * down from 25%, the scale-down victim order, Recreate waiting for the old
 * pods to be gone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define SYNC_PRIO 200

/* ---- work queues ------------------------------------------------------------- */
static void sync_all(ks_sim *sim, void *subject, uint64_t arg);

static void schedule_sync(ks_sim *sim)
{
    ksi_cluster *c = sim->cluster;
    if (!ks_event_pending(sim, c->sync_event))
        c->sync_event = ks_event_schedule(sim, ks_now(sim), SYNC_PRIO, sync_all, NULL, 0);
}

static void mark(ks_sim *sim, ks_id **q, size_t *n, size_t *cap, ks_id id)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if ((*q)[i] == id)
            return;
    if (ksi_grow(sim, (void **)q, cap, *n + 1, sizeof **q))
        return;
    (*q)[(*n)++] = id;
    schedule_sync(sim);
}

void ksi_mark_rs(ks_sim *sim, ks_id rs)
{
    ksi_cluster *c = sim->cluster;
    mark(sim, &c->dirty_rs, &c->ndirty_rs, &c->dirty_rs_cap, rs);
}

void ksi_mark_deploy(ks_sim *sim, ks_id d)
{
    ksi_cluster *c = sim->cluster;
    mark(sim, &c->dirty_deploy, &c->ndirty_deploy, &c->dirty_deploy_cap, d);
}

void ksi_pod_changed(ks_sim *sim, ksi_pod *p)
{
    if (p && p->pub.owner)
        ksi_mark_rs(sim, p->pub.owner);
    ksi_endpoints_dirty(sim);
}

/* ---- pods ------------------------------------------------------------------------ */
ksi_pod *ksi_pod_create(ks_sim *sim, const char *name, const char *ns,
                        const ks_pod_template *tmpl, const ks_pod_spec *spec,
                        const ks_kvs *labels, ks_id owner)
{
    ksi_pod *p = ks_mem_calloc(&sim->alloc, 1, sizeof *p);
    size_t i, n = spec->ncontainers;
    if (!p) {
        ks_sim_fail(sim, KS_ENOMEM);
        return NULL;
    }
    p->pub.containers = ks_mem_calloc(&sim->alloc, n ? n : 1, sizeof *p->pub.containers);
    p->cst = ks_mem_calloc(&sim->alloc, n ? n : 1, sizeof *p->cst);
    if (!p->pub.containers || !p->cst) {
        ks_mem_free(&sim->alloc, p->pub.containers, n * sizeof *p->pub.containers);
        ks_mem_free(&sim->alloc, p->cst, n * sizeof *p->cst);
        ks_mem_free(&sim->alloc, p, sizeof *p);
        ks_sim_fail(sim, KS_ENOMEM);
        return NULL;
    }
    p->pub.name = name;
    p->pub.ns = ns;
    p->pub.labels = *labels;
    if (tmpl)
        p->pub.annotations = tmpl->annotations;
    p->pub.owner = owner;
    p->pub.spec = spec;
    p->pub.phase = "Pending";
    p->pub.created = ks_now(sim);
    p->pub.ncontainers = n;
    for (i = 0; i < n; i++) {
        ks_container_status *cs = &p->pub.containers[i];
        cs->spec = &spec->containers[i];
        cs->image = ks_catalog_find(sim->cluster->catalog, cs->spec->image);
        cs->state = KS_CS_WAITING;
        cs->reason = "ContainerCreating";
        p->pub.cpu += cs->spec->cpu_request;
        p->pub.memory += cs->spec->mem_request;
    }
    p->pub.id = ksi_store_add(sim, KS_KIND_POD, p, NULL);
    if (!p->pub.id) {
        ksi_pod_remove(sim, p);
        return NULL;
    }
    ksi_pod_update_status(sim, p);
    ksi_sched_enqueue(sim, p->pub.id);
    return p;
}

/* ---- ReplicaSets ---------------------------------------------------------------- */
/* Kubernetes' SafeEncodeString of the decimal hash: "79cdbdb6fb". */
static const char *hash_string(ks_sim *sim, uint32_t h)
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

ks_id ksi_rs_create(ks_sim *sim, ksi_deploy *d, const ks_pod_template *tmpl, uint32_t hash,
                    int64_t replicas)
{
    ksi_rs *rs = ksi_zalloc(sim, sizeof *rs);
    ks_kv *labels;
    if (!rs)
        return 0;
    rs->pub.hash = hash_string(sim, hash);
    rs->pub.tmpl = tmpl;
    rs->pub.replicas = replicas;
    rs->pub.created = ks_now(sim);
    rs->pub.ns = d ? d->pub.ns : "default";
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
    rs->pub.id = ksi_store_add(sim, KS_KIND_REPLICASET, rs, NULL);
    if (d && rs->pub.id) {
        if (ksi_grow(sim, (void **)&d->rs, &d->cap, d->nrs + 1, sizeof *d->rs))
            return 0;
        d->rs[d->nrs++] = rs->pub.id;
    }
    ksi_mark_rs(sim, rs->pub.id);
    return rs->pub.id;
}

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

void ksi_rs_pod_removed(ks_sim *sim, ks_id rs_id, ks_id pod)
{
    ksi_rs *rs = ksi_rs_get(sim, rs_id);
    if (rs) {
        rs_forget_pod(rs, pod);
        ksi_mark_rs(sim, rs_id);
        if (rs->pub.owner)                 /* Recreate waits for this */
            ksi_mark_deploy(sim, rs->pub.owner);
    }
}

static void rs_create_pod(ks_sim *sim, ksi_rs *rs)
{
    char suffix[6];
    const char *name;
    ksi_pod *p;
    do {
        ksi_random_suffix(sim, suffix);
        name = ksi_printf(sim, "%s-%s", rs->pub.name, suffix);
    } while (name && ks_cluster_find(sim, KS_KIND_POD, rs->pub.ns, name));
    if (!name)
        return;
    p = ksi_pod_create(sim, name, rs->pub.ns, rs->pub.tmpl, &rs->pub.tmpl->spec,
                       &rs->pub.labels, rs->pub.id);
    if (!p || ksi_grow(sim, (void **)&rs->pods, &rs->cap, rs->npods + 1, sizeof *rs->pods))
        return;
    rs->pods[rs->npods++] = p->pub.id;
    ksi_event(sim, false, "SuccessfulCreate", KS_KIND_REPLICASET, rs->pub.name, rs->pub.id,
              "replicaset-controller", "Created pod: %s", name);
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
        ksi_event(sim, false, "SuccessfulDelete", KS_KIND_REPLICASET, rs->pub.name, rs->pub.id,
                  "replicaset-controller", "Deleted pod: %s", v[i].p->name);
        ks_cluster_delete(sim, v[i].p->id, -1, false);
    }
    ks_mem_free(&sim->alloc, v, (rs->npods ? rs->npods : 1) * sizeof *v);
}

static void wake_rs(ks_sim *sim, void *subject, uint64_t rs)
{
    (void)subject;
    ksi_mark_rs(sim, (ks_id)rs);
}

static void sync_rs(ks_sim *sim, ksi_rs *rs)
{
    int64_t active = 0, ready = 0, available = 0, i, min_ready = min_ready_seconds(sim, rs);
    ks_time next_available = 0;
    size_t k;
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
    if (active < rs->pub.replicas)
        for (i = active; i < rs->pub.replicas; i++)
            rs_create_pod(sim, rs);
    else if (active > rs->pub.replicas)
        rs_delete_pods(sim, rs, active - rs->pub.replicas);
    if (next_available)
        ks_event_schedule(sim, next_available, SYNC_PRIO, wake_rs, NULL, rs->pub.id);
    if (rs->pub.current != active || rs->pub.ready != ready || rs->pub.available != available) {
        rs->pub.current = active;
        rs->pub.ready = ready;
        rs->pub.available = available;
        if (rs->pub.owner)
            ksi_mark_deploy(sim, rs->pub.owner);
    }
}

/* ---- Deployments -------------------------------------------------------------------- */
/* An int-or-percent of replicas, rounded as the real controller does. */
static int64_t resolve(const ks_intstr *v, int64_t replicas, bool round_up)
{
    if (!v->percent)
        return v->num;
    return round_up ? (v->num * replicas + 99) / 100 : v->num * replicas / 100;
}

static void scale_rs(ks_sim *sim, ksi_deploy *d, ksi_rs *rs, int64_t to)
{
    if (rs->pub.replicas == to)
        return;
    if (to > rs->pub.replicas)
        ksi_event(sim, false, "ScalingReplicaSet", KS_KIND_DEPLOYMENT, d->pub.name, d->pub.id,
                  "deployment-controller", "Scaled up replica set %s to %lld", rs->pub.name,
                  (long long)to);
    else
        ksi_event(sim, false, "ScalingReplicaSet", KS_KIND_DEPLOYMENT, d->pub.name, d->pub.id,
                  "deployment-controller", "Scaled down replica set %s to %lld from %lld",
                  rs->pub.name, (long long)to, (long long)rs->pub.replicas);
    rs->pub.replicas = to;
    ksi_mark_rs(sim, rs->pub.id);
}

static ksi_rs *current_rs(ks_sim *sim, ksi_deploy *d)
{
    size_t i;
    for (i = 0; i < d->nrs; i++) {
        ksi_rs *rs = ksi_rs_get(sim, d->rs[i]);
        if (rs && rs->pub.tmpl->hash == d->pub.tmpl->hash) {
            if (rs->pub.tmpl != d->pub.tmpl) {
                rs->pub.tmpl = d->pub.tmpl;      /* same content, newer copy */
            }
            if (d->pub.current_rs != rs->pub.id) {
                rs->pub.revision = ++d->pub.revision;    /* a rollback */
            }
            return rs;
        }
    }
    return ksi_rs_get(sim, ksi_rs_create(sim, d, d->pub.tmpl, d->pub.tmpl->hash, 0));
}

static void rollout_recreate(ks_sim *sim, ksi_deploy *d, ksi_rs *nrs)
{
    size_t i;
    bool old_left = false;
    for (i = 0; i < d->nrs; i++) {
        ksi_rs *rs = ksi_rs_get(sim, d->rs[i]);
        if (!rs || rs == nrs)
            continue;
        scale_rs(sim, d, rs, 0);
        if (rs->npods)                   /* terminating pods still count */
            old_left = true;
    }
    if (!old_left)
        scale_rs(sim, d, nrs, d->pub.replicas);
}

static void rollout_rolling(ks_sim *sim, ksi_deploy *d, ksi_rs *nrs)
{
    int64_t replicas = d->pub.replicas;
    int64_t surge = resolve(&d->pub.spec->max_surge, replicas, true);
    int64_t unavail = resolve(&d->pub.spec->max_unavailable, replicas, false);
    int64_t total_spec = 0, all_pods = 0, available = 0, min_available, max_down;
    size_t i;
    if (surge == 0 && unavail == 0)
        unavail = 1;
    for (i = 0; i < d->nrs; i++) {
        ksi_rs *rs = ksi_rs_get(sim, d->rs[i]);
        if (!rs)
            continue;
        total_spec += rs->pub.replicas;
        all_pods += rs->pub.current;
        available += rs->pub.available;
    }
    /* scale the new ReplicaSet up, within the surge */
    if (nrs->pub.replicas < replicas) {
        int64_t room = replicas + surge - total_spec;
        if (room > 0)
            scale_rs(sim, d, nrs, nrs->pub.replicas + room < replicas
                                      ? nrs->pub.replicas + room : replicas);
    } else if (nrs->pub.replicas > replicas) {
        scale_rs(sim, d, nrs, replicas);
    }
    /* scale old ones down, never below replicas - maxUnavailable available */
    min_available = replicas - unavail;
    max_down = all_pods - min_available - (nrs->pub.replicas - nrs->pub.available);
    for (i = 0; i < d->nrs && max_down > 0; i++) {
        ksi_rs *rs = ksi_rs_get(sim, d->rs[i]);
        int64_t unhealthy, down;
        if (!rs || rs == nrs || !rs->pub.replicas)
            continue;
        /* first the old pods that are not available anyway */
        unhealthy = rs->pub.replicas - rs->pub.available;
        down = unhealthy < max_down ? unhealthy : max_down;
        if (down > 0) {
            scale_rs(sim, d, rs, rs->pub.replicas - down);
            max_down -= down;
        }
    }
    max_down = available - min_available;
    for (i = 0; i < d->nrs && max_down > 0; i++) {
        ksi_rs *rs = ksi_rs_get(sim, d->rs[i]);
        int64_t down;
        if (!rs || rs == nrs || !rs->pub.replicas)
            continue;
        down = rs->pub.replicas < max_down ? rs->pub.replicas : max_down;
        scale_rs(sim, d, rs, rs->pub.replicas - down);
        max_down -= down;
    }
}

static void sync_deploy(ks_sim *sim, ksi_deploy *d)
{
    ksi_rs *nrs = current_rs(sim, d);
    size_t i;
    if (!nrs)
        return;
    d->pub.current_rs = nrs->pub.id;
    if (d->pub.spec->recreate)
        rollout_recreate(sim, d, nrs);
    else
        rollout_rolling(sim, d, nrs);
    d->pub.ready = d->pub.available = d->pub.total = 0;
    for (i = 0; i < d->nrs; i++) {
        ksi_rs *rs = ksi_rs_get(sim, d->rs[i]);
        if (!rs)
            continue;
        d->pub.ready += rs->pub.ready;
        d->pub.available += rs->pub.available;
        d->pub.total += rs->pub.current;
    }
    d->pub.updated = nrs->pub.current;
}

/* Runs every dirty controller until nothing is dirty (bounded, in case two
 * controllers keep waking each other). */
static void sync_all(ks_sim *sim, void *subject, uint64_t arg)
{
    ksi_cluster *c = sim->cluster;
    int rounds = 0;
    (void)subject;
    (void)arg;
    while ((c->ndirty_rs || c->ndirty_deploy) && rounds++ < 100 && ks_sim_status(sim) == KS_OK) {
        while (c->ndirty_deploy) {
            ksi_deploy *d = ksi_deploy_get(sim, c->dirty_deploy[--c->ndirty_deploy]);
            if (d)
                sync_deploy(sim, d);
        }
        while (c->ndirty_rs) {
            ksi_rs *rs = ksi_rs_get(sim, c->dirty_rs[--c->ndirty_rs]);
            if (rs)
                sync_rs(sim, rs);
        }
    }
}
