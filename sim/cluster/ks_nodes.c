/* ks_nodes.c -- the node lifecycle controller, and the nodes' Leases it
 * watches: a node whose kubelet stops renewing its Lease (every 10 s) is
 * marked NotReady once the last renewal is the node-monitor grace period
 * (40 s) old,
 * and its pods not ready (they leave every Service); after the default
 * toleration of 300 s its pods are evicted: marked for deletion, so their
 * ReplicaSets replace them elsewhere, but with no kubelet to finish the
 * job they stay Terminating until the node comes back (KUBERNETES.md
 * sections 3 and 14; pkg/controller/nodelifecycle).
 */
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define NODE_GRACE (40 * KS_SEC)           /* --node-monitor-grace-period */
/* --node-monitor-period: pkg/controller/apis/config/v1alpha1/defaults.go
 * (SetDefaults_KubeCloudSharedConfiguration, NodeMonitorPeriod 5 s); the
 * controller runs monitorNodeHealth every period from its start
 * (node_lifecycle_controller.go Run: wait.UntilWithContext), kubesim's
 * time 0 */
#define NODE_MONITOR_PERIOD (5 * KS_SEC)
_Static_assert(NODE_GRACE % NODE_MONITOR_PERIOD == 0, "the grace is whole periods");
#define EVICTION_TOLERATION (300 * KS_SEC) /* default not-ready/unreachable toleration */

/* ---- failure timeline ---------------------------------------------------------- */
static void mark_not_ready(ks_sim *sim, void *subject, uint64_t node)
{
    ks_node *n = ksi_node_get(sim, (ks_id)node);
    ks_node before;
    ks_pod old;
    ks_id id = 0;
    (void)subject;
    if (!n || !n->down || !n->ready)
        return;
    before = *n;
    n->ready = false;
    ksi_event(sim, false, "NodeNotReady", KS_KIND_NODE, n->name, n->id, "node-controller",
              "Node %s status is now: NodeNotReady", n->name);
    ksi_store_update(sim, n->id, &before);
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        size_t c;
        if (p->pub.node != n->id)
            continue;
        old = p->pub;
        for (c = 0; c < p->pub.ncontainers; c++)
            p->pub.containers[c].ready = false;
        if (p->pub.ready)
            p->pub.ready_changed = ks_now(sim);
        p->pub.ready = false;
        ksi_pod_update(sim, p, &old);
    }
}

static void evict_pods(ks_sim *sim, void *subject, uint64_t node)
{
    ks_node *n = ksi_node_get(sim, (ks_id)node);
    ks_id id = 0;
    (void)subject;
    if (!n || !n->down)
        return;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        if (p->pub.node != n->id || p->pub.terminating || p->pub.spec->daemon)
            continue;                    /* a DaemonSet's pod tolerates it forever */
        ksi_event(sim, false, "TaintManagerEviction", KS_KIND_POD, p->pub.name, p->pub.id,
                  "taint-eviction-controller", "Marking for deletion Pod %s/%s", p->pub.ns,
                  p->pub.name);
        /* pkg/controller/tainteviction/taint_eviction.go addConditionAndDeletePod:
           the condition, then the delete */
        ksi_pod_disrupt(sim, p, "DeletionByTaintManager",
                        "Taint manager: deleting due to NoExecute taint");
        ksi_pod_delete(sim, p, p->pub.spec->grace_seconds);
    }
}

/* ---- the nodes' Leases ----------------------------------------------------------------- */
/* The kubelet renews its Lease every KS_NODE_LEASE_RENEW from its node's
 * start, until its machine fails; after kube-node-lease was deleted and made
 * again, it makes its Lease again at its next renewal (the lease
 * controller's ensureLease: NotFound, so create). */
static ks_time last_renewal(const ks_node *n, ks_time until)
{
    if (until < n->created)
        return n->created;
    return n->created + (until - n->created) / KS_NODE_LEASE_RENEW * KS_NODE_LEASE_RENEW;
}

bool ks_cluster_node_lease(const ks_sim *sim, ks_id node, ks_lease *out)
{
    const ks_node *n = ks_cluster_node(sim, node);
    ks_time now = ks_now(sim), made = ks_cluster_namespace_created(sim, "kube-node-lease");
    if (!n || made < 0)
        return false;
    out->name = n->name;
    out->node = n->id;
    out->renewed = last_renewal(n, n->down && n->down_since < now ? n->down_since : now);
    out->created = n->created;
    if (made > n->created) {           /* the first renewal after it was made again */
        out->created = last_renewal(n, made);
        if (out->created < made)
            out->created += KS_NODE_LEASE_RENEW;
        if (out->created > out->renewed)
            return false;              /* not yet (or its node failed meanwhile) */
    }
    return true;
}

ks_id ks_cluster_lease_find(const ks_sim *sim, const char *name)
{
    ks_id id = ks_cluster_find(sim, KS_KIND_NODE, NULL, name);
    ks_lease l;
    return id && ks_cluster_node_lease(sim, id, &l) ? id : 0;
}

/* ---- what it hears ------------------------------------------------------------------- */
/* The first check of the node lifecycle controller at or after t. */
static ks_time next_check(ks_time t)
{
    return t <= 0 ? 0 : (t + NODE_MONITOR_PERIOD - 1) / NODE_MONITOR_PERIOD * NODE_MONITOR_PERIOD;
}

/* A node stopped reporting (its machine failed): its Lease is renewed no
 * more. The controller looks every NODE_MONITOR_PERIOD: the check that
 * first sees the last renewal takes its own time as the node's
 * probeTimestamp (tryUpdateNodeHealth: a newer renewTime observed, so
 * probeTimestamp = nc.now(); kubesim's API has no latency, so a renewal is
 * seen by a check at its instant), and the first check after
 * probeTimestamp + gracePeriod marks it NotReady (monitorNodeHealth:
 * nc.now().After(probeTimestamp.Add(gracePeriod))). The checks run a
 * period after the previous one ended (wait.UntilWithContext is sliding),
 * so the check grace / period checks after the probe's is already after
 * the grace: NotReady there, at probe + 40 s. A node whose renewals fall
 * between checks (one added at run time) is seen up to 5 s late, and
 * NotReady as late. */
static void on_node(ks_sim *sim, const ksi_change *ch, void *ud)
{
    const ks_node *n = ch->obj, *old = ch->old;
    ks_time after;
    (void)ud;
    if (ch->type != KS_UPDATED || !old || old->down || !n->down)
        return;
    after = next_check(last_renewal(n, n->down_since)) + NODE_GRACE - ks_now(sim);
    if (after < 0)
        after = 0;
    ks_event_after(sim, after, KS_PRIO_DEFAULT, mark_not_ready, NULL, ch->id);
    ks_event_after(sim, after + EVICTION_TOLERATION, KS_PRIO_DEFAULT, evict_pods, NULL, ch->id);
}

int ksi_ctl_nodelifecycle(ks_sim *sim)
{
    return ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_NODE), on_node, NULL);
}
