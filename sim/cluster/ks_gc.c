/* ks_gc.c -- the garbage collector: when an object goes, the objects it
 * owns go after it (background cascading deletion, the default of `kubectl
 * delete`): a Job's pods, a CronJob's Jobs, a StatefulSet's claims when its
 * retention policy says Delete (pkg/controller/garbagecollector).
 *
 * Ownership is ksi_ref.owner, set by the controller that made the object
 * (its ownerReference). The collector hears every deletion, queues the id
 * and, in its sync, deletes what that id owned -- gracefully, through the
 * API like any client, so pods still get their grace period and what they
 * owned goes in turn. Deployments and ReplicaSets take their pods with
 * them already (ks_cluster.c); a pod already terminating is left alone.
 */
#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

typedef struct gc_controller {
    ksi_workqueue queue;
} gc_controller;

static void sync_gone(ks_sim *sim, void *ud, ks_id gone)
{
    ksi_cluster *c = sim->cluster;
    size_t i;
    (void)ud;
    /* O(objects) per deletion: a scan of the table, fine below 100k */
    for (i = 1; i < c->nrefs; i++) {
        const ksi_ref *r = &c->refs[i];
        const ksi_pod *p;
        if (r->kind == KS_KIND_COUNT || r->owner != gone)
            continue;
        p = ksi_pod_get(sim, (ks_id)i);
        if (p && p->pub.terminating)
            continue;
        ks_cluster_delete(sim, (ks_id)i, -1, false);
    }
}

/* Pods seldom own anything (a StatefulSet's claim being scaled away): a
 * pod's deletion is looked at only while some object has a pod owner. */
static void on_delete(ks_sim *sim, const ksi_change *ch, void *ud)
{
    gc_controller *ctl = ud;
    if (ch->type == KS_DELETED && (ch->kind != KS_KIND_POD || sim->cluster->pod_owned))
        ksi_wq_add(sim, &ctl->queue, ch->id);
}

static void stop(ks_sim *sim, void *ud)
{
    gc_controller *ctl = ud;
    ksi_wq_fini(sim, &ctl->queue);
}

int ksi_ctl_gc(ks_sim *sim)
{
    gc_controller *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl
        || ksi_wq_init(sim, &ctl->queue, KSI_PRIO_GC, KSI_WQ_OLDEST_OBJECT_FIRST, sync_gone,
                       ctl)
        || ksi_informer_add(sim, ~0u, on_delete, ctl) || ksi_sim_add_part(sim, stop, ctl))
        return KS_ENOMEM;
    return KS_OK;
}
