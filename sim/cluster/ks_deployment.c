/* ks_deployment.c -- the Deployment controller: a ReplicaSet per pod
 * template, rolled out by RollingUpdate (maxSurge rounded up, maxUnavailable
 * rounded down, 25% each by default) or Recreate (the old pods gone first).
 *
 * It hears of Deployments (added or changed: apply, scale, set image,
 * rollout restart), of its ReplicaSets' status, and of their pods going
 * (Recreate waits for them), and reconciles each Deployment in its work
 * queue, which shares a worker with the ReplicaSet controller's so that a
 * rollout settles within the instant (pkg/controller/deployment/).
 * KUBERNETES.md section 5.
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

typedef struct deploy_controller {
    ksi_workqueue queue;
} deploy_controller;

/* An int-or-percent of replicas, rounded as the real controller does. */
static int64_t resolve(const ks_intstr *v, int64_t replicas, bool round_up)
{
    if (!v->percent)
        return v->num;
    return round_up ? (v->num * replicas + 99) / 100 : v->num * replicas / 100;
}

static void scale_rs(ks_sim *sim, ksi_deploy *d, ksi_rs *rs, int64_t to)
{
    ks_replicaset old;
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
    old = rs->pub;
    rs->pub.replicas = to;
    ksi_store_update(sim, rs->pub.id, &old);
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
    return ksi_rs_get(sim, ksi_rs_create(sim, d, NULL, d->pub.tmpl, d->pub.tmpl->hash, 0));
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

static void sync_deploy(ks_sim *sim, void *ud, ks_id id)
{
    ksi_deploy *d = ksi_deploy_get(sim, id);
    ksi_rs *nrs;
    size_t i;
    (void)ud;
    if (!d || !(nrs = current_rs(sim, d)))
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

/* ---- what it hears ---------------------------------------------------------------------- */
static void on_deployment(ks_sim *sim, const ksi_change *ch, void *ud)
{
    deploy_controller *ctl = ud;
    if (ch->type != KS_DELETED)
        ksi_wq_add(sim, &ctl->queue, ch->id);
}

/* Its ReplicaSets' status changed. */
static void on_replicaset(ks_sim *sim, const ksi_change *ch, void *ud)
{
    deploy_controller *ctl = ud;
    const ksi_rs *rs = ch->obj;
    const ks_replicaset *old = ch->old;
    if (ch->type == KS_UPDATED && rs->pub.owner && old
        && (old->current != rs->pub.current || old->ready != rs->pub.ready
            || old->available != rs->pub.available))
        ksi_wq_add(sim, &ctl->queue, rs->pub.owner);
}

/* A pod of one of its ReplicaSets is gone: Recreate waits for that. */
static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    deploy_controller *ctl = ud;
    const ksi_pod *p = ch->obj;
    const ksi_rs *rs = ksi_rs_get(sim, p->pub.owner);
    if (ch->type == KS_DELETED && rs && rs->pub.owner)
        ksi_wq_add(sim, &ctl->queue, rs->pub.owner);
}

static void stop(ks_sim *sim, void *ud)
{
    deploy_controller *ctl = ud;
    ksi_wq_fini(sim, &ctl->queue);
}

int ksi_ctl_deployment(ks_sim *sim)
{
    deploy_controller *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl
        || ksi_wq_init(sim, &ctl->queue, KSI_PRIO_WORKLOADS, KSI_WQ_NEWEST_FIRST, sync_deploy,
                       ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_DEPLOYMENT), on_deployment, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_REPLICASET), on_replicaset, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_POD), on_pod, ctl)
        || ksi_sim_add_part(sim, stop, ctl))
        return KS_ENOMEM;
    return KS_OK;
}
