/* ks_ttl.c -- the TTL-after-finished controller: a Job with
 * ttlSecondsAfterFinished is deleted that many seconds after it finished
 * (Complete or Failed), and its pods with it through the garbage collector
 * (pkg/controller/ttlafterfinished/ttlafterfinished_controller.go; it
 * records no event).
 */
#include "internal/cluster.h"
#include "ks_workloads.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

typedef struct ttl_controller {
    ksi_workqueue queue;
} ttl_controller;

static void expire(ks_sim *sim, void *subject, uint64_t id)
{
    ttl_controller *ctl = subject;
    ksi_wq_add(sim, &ctl->queue, (ks_id)id);
}

static void sync_ttl(ks_sim *sim, void *ud, ks_id id)
{
    const ks_job *j = ks_cluster_job(sim, id);
    ks_time at;
    if (!j || j->spec->ttl_after_finished < 0 || !(j->complete || j->failed_cond))
        return;
    at = j->finished_at + j->spec->ttl_after_finished * KS_SEC;
    if (at > ks_now(sim))
        ks_event_schedule(sim, at, KSI_PRIO_BATCH, expire, ud, id);
    else
        ks_cluster_delete(sim, id, -1, false);
}

/* A Job finished (its status changed) or was applied with a TTL. */
static void on_job(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ttl_controller *ctl = ud;
    const ks_job *j = ks_cluster_job(sim, ch->id);
    if (ch->type != KS_DELETED && j && j->spec->ttl_after_finished >= 0
        && (j->complete || j->failed_cond))
        ksi_wq_add(sim, &ctl->queue, ch->id);
}

static void stop(ks_sim *sim, void *ud)
{
    ttl_controller *ctl = ud;
    ksi_wq_fini(sim, &ctl->queue);
}

int ksi_ctl_ttlafterfinished(ks_sim *sim)
{
    ttl_controller *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl
        || ksi_wq_init(sim, &ctl->queue, KSI_PRIO_BATCH, KSI_WQ_OLDEST_OBJECT_FIRST, sync_ttl,
                       ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_JOB), on_job, ctl)
        || ksi_sim_add_part(sim, stop, ctl))
        return KS_ENOMEM;
    return KS_OK;
}
