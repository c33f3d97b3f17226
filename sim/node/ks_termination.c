/* ks_termination.c -- how the kubelet stops things: a pod marked for
 * deletion gets SIGTERM in each container and SIGKILL when its grace
 * period (terminationGracePeriodSeconds, 30 s by default) runs out, then is
 * removed from the API; a container that dies (a crash, OOMKilled); a node
 * whose machine fails (its processes and timers gone, the API keeping the
 * last status) and comes back (containers start again, pods deleted while
 * it was away are cleaned up). KUBERNETES.md sections 4 and 14.
 */
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "core/internal/sim.h"
#include "internal/kubelet.h"
#include "internal/workload.h"
#include "core/ks_error.h"
#include "ks_node.h"

#define KILL_EXIT        137              /* 128 + SIGKILL */
#define set_timer ksi_kubelet_timer
#define pc_pod ksi_kubelet_pod_of

/* ---- termination ---------------------------------------------------------------------------- */
void ksi_kubelet_teardown(ks_sim *sim, ksi_pod *p)
{
    size_t c;
    ks_event_cancel(sim, p->st.timer);
    ks_event_cancel(sim, p->st.kill_timer);
    ks_event_cancel(sim, p->st.sidecar_timer);
    for (c = 0; c < p->pub.ncontainers + p->pub.ninit; c++)
        ksi_kubelet_stop_container(sim, p, c);
}

static void finish_termination(ks_sim *sim, void *subject, uint64_t pod)
{
    ksi_pod *p = ksi_pod_get(sim, (ks_id)pod);
    size_t c;
    (void)subject;
    if (!p)
        return;
    for (c = 0; c < p->pub.ncontainers + p->pub.ninit; c++)
        if (p->pub.containers[c].state == KS_CS_RUNNING)
            return;                      /* still shutting down */
    ksi_pod_remove(sim, p);
}

/* SIGTERM to container c, grace left: the process exits within its
 * shutdown time, or is killed when the grace runs out. */
static void sigterm(ks_sim *sim, ksi_pod *p, size_t c, ks_time grace);

/* The pod's grace period, in whole seconds as the kubelet has it. */
static int64_t grace_seconds(const ksi_pod *p)
{
    return (p->pub.grace_until - p->pub.deleted_at) / KS_SEC;
}

/* Sidecars stop last, the last one first (KEP-753; kuberuntime's
 * terminationOrdering): a sidecar gets SIGTERM once every app container and
 * every sidecar after it has exited, or when the pod's grace period has run
 * out since the kubelet began (waitForTurn's timer), whichever comes first;
 * its grace is what is left of the pod's in whole seconds, at least
 * minimumGracePeriodInSeconds (killContainer; 2 in kuberuntime_manager.go).
 * A sidecar waiting is running with no exit under way. */
#define MIN_GRACE_SECONDS 2
static void sidecar_turns(ks_sim *sim, ksi_pod *p)
{
    ks_time waited = ks_now(sim) - p->st.kill_at;
    bool over = waited >= grace_seconds(p) * KS_SEC, before_done = true;
    size_t c, i;
    for (c = 0; c < p->pub.ncontainers; c++)
        before_done &= p->pub.containers[c].state != KS_CS_RUNNING;
    for (i = p->pub.ninit; i-- > 0;) {
        ks_container_status *cs = &p->pub.init[i];
        int64_t left;
        c = p->pub.ncontainers + i;
        if (!cs->spec->sidecar || cs->state != KS_CS_RUNNING)
            continue;
        if ((before_done || over) && !ks_event_pending(sim, p->cst[c].exit_timer)) {
            left = grace_seconds(p) - waited / KS_SEC;   /* seconds, truncated */
            sigterm(sim, p, c, (left < MIN_GRACE_SECONDS ? MIN_GRACE_SECONDS : left) * KS_SEC);
        }
        before_done = false;             /* the sidecars before it wait for it */
    }
}

static void grace_over(ks_sim *sim, void *subject, uint64_t pod)
{
    ksi_pod *p = ksi_pod_get(sim, (ks_id)pod);
    (void)subject;
    if (p)
        sidecar_turns(sim, p);
}

static void container_stopped(ks_sim *sim, void *subject, uint64_t arg)
{
    size_t c;
    ksi_pod *p = pc_pod(sim, arg >> 1, &c);
    (void)subject;
    if (!p)
        return;
    ksi_container_exited(sim, p, c, (arg & 1) ? KILL_EXIT : 0, (arg & 1) ? "Error" : "Completed");
    if (grace_seconds(p) > 0)
        sidecar_turns(sim, p);
    finish_termination(sim, NULL, p->pub.id);
}

static void sigterm(ks_sim *sim, ksi_pod *p, size_t c, ks_time grace)
{
    ks_time stop = p->pub.containers[c].image->shutdown;
    ksi_workload_sigterm(sim, p, c);
    if (stop <= grace)
        p->cst[c].exit_timer = ks_event_after(sim, stop, KS_PRIO_DEFAULT, container_stopped,
                                              NULL, ((uint64_t)p->pub.id << 8 | c) << 1);
    else
        p->cst[c].exit_timer = ks_event_after(sim, grace, KS_PRIO_DEFAULT, container_stopped,
                                              NULL, ((uint64_t)p->pub.id << 8 | c) << 1 | 1);
}

void ksi_kubelet_kill(ks_sim *sim, ksi_pod *p)
{
    int64_t grace = grace_seconds(p);
    bool sidecars = false;
    size_t c;
    p->st.killing = true;
    p->st.kill_at = ks_now(sim);
    ks_event_cancel(sim, p->st.timer);
    for (c = 0; c < p->pub.ncontainers + p->pub.ninit; c++) {     /* init ones too */
        ks_container_status *cs = &p->pub.containers[c];
        int k;
        if (cs->state != KS_CS_RUNNING)
            continue;
        ksi_event(sim, false, "Killing", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "Stopping container %s", cs->spec->name);
        for (k = 0; k < 3; k++)
            ks_event_cancel(sim, p->cst[c].probe_timer[k]);
        ks_event_cancel(sim, p->cst[c].exit_timer);
        if (grace > 0 && cs->spec->sidecar) {
            sidecars = true;             /* its turn comes (sidecar_turns) */
            continue;
        }
        sigterm(sim, p, c, grace * KS_SEC);
    }
    if (sidecars) {
        sidecar_turns(sim, p);
        set_timer(sim, &p->st.sidecar_timer, grace * KS_SEC, grace_over, p->pub.id);
    }
    set_timer(sim, &p->st.kill_timer, 0, finish_termination, p->pub.id);
}

/* ---- a container dies -------------------------------------------------------------------- */
int ks_node_crash(ks_sim *sim, ks_id id, const char *container, int exit_code,
                  const char *reason)
{
    ksi_pod *p = ksi_pod_get(sim, id);
    size_t i = 0;
    if (!p)
        return KS_EUNKNOWN;
    if (container) {
        for (i = 0; i < p->pub.ncontainers + p->pub.ninit; i++)
            if (strcmp(p->pub.containers[i].spec->name, container) == 0)
                break;
        if (i == p->pub.ncontainers + p->pub.ninit)
            return KS_EUNKNOWN;
    }
    if (p->pub.containers[i].state != KS_CS_RUNNING)
        return KS_EINVAL;
    if (reason && strcmp(reason, "OOMKilled") == 0 && exit_code == 1)
        exit_code = KILL_EXIT;
    ksi_container_exited(sim, p, i, exit_code, reason);
    return ks_sim_status(sim);
}


/* ---- node down and up ------------------------------------------------------------------------ */
static void node_down(ks_sim *sim, ks_node *n)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        size_t c;
        if (p->pub.node != n->id)
            continue;
        /* the machine is gone: processes and timers with it; the API still
           shows the last status the kubelet reported */
        ks_event_cancel(sim, p->st.timer);
        ks_event_cancel(sim, p->st.kill_timer);
        ks_event_cancel(sim, p->st.sidecar_timer);
        for (c = 0; c < p->pub.ncontainers + p->pub.ninit; c++)
            ksi_kubelet_stop_container(sim, p, c);
    }
}

static void node_up(ks_sim *sim, ks_node *n)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        size_t c;
        if (p->pub.node != n->id)
            continue;
        if (p->pub.terminating) {        /* deleted while away: clean up */
            ksi_pod_remove(sim, p);
            continue;
        }
        /* the node rebooted: containers start again */
        for (c = 0; c < p->pub.ncontainers; c++) {
            ks_container_status *cs = &p->pub.containers[c];
            if (cs->state == KS_CS_RUNNING) {
                cs->state = KS_CS_TERMINATED;
                cs->reason = "Unknown";
                cs->exit_code = 255;
                cs->has_last = true;
                cs->last_reason = "Unknown";
                cs->last_exit_code = 255;
                cs->last_started = cs->started_at;
                cs->last_finished = ks_now(sim);
                set_timer(sim, &p->cst[c].restart_timer, CREATE_TIME, ksi_kubelet_restart,
                          (uint64_t)p->pub.id << 8 | c);
            }
        }
        ksi_kubelet_admit(sim, p, CREATE_TIME);
        ksi_kubelet_refresh(sim, p);
    }
}
/* ---- the machine fails and comes back ------------------------------------------------------- */
int ks_node_fail(ks_sim *sim, ks_id id)
{
    ks_node *n = ksi_node_get(sim, id);
    ks_node old;
    if (!n)
        return KS_EUNKNOWN;
    if (n->down)
        return KS_OK;
    old = *n;
    n->down = true;
    n->down_since = ks_now(sim);
    node_down(sim, n);
    ksi_store_update(sim, id, &old);    /* its heartbeats stop */
    return ks_sim_status(sim);
}

int ks_node_recover(ks_sim *sim, ks_id id)
{
    ks_node *n = ksi_node_get(sim, id);
    ks_node old;
    if (!n)
        return KS_EUNKNOWN;
    if (!n->down)
        return KS_OK;
    old = *n;
    n->down = false;
    n->ready = true;
    ksi_event(sim, false, "NodeReady", KS_KIND_NODE, n->name, n->id, "kubelet",
              "Node %s status is now: NodeReady", n->name);
    node_up(sim, n);
    ksi_store_update(sim, id, &old);
    return ks_sim_status(sim);
}
