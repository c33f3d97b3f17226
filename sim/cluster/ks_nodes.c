/* ks_nodes.c -- node life: failure and recovery (with the node controller's
 * real delays), cordon, uncordon, drain, and each node's image cache.
 *
 * A failed node stops reporting; after the node-monitor grace period (40 s)
 * the node controller marks it NotReady and its pods not ready (they leave
 * every Service); after the default toleration of 300 s its pods are
 * evicted: marked for deletion, so their ReplicaSets replace them
 * elsewhere, but with no kubelet to finish the job they stay Terminating
 * until the node comes back (KUBERNETES.md sections 3 and 14).
 */
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "node/internal/workload.h"
#include "core/ks_error.h"

#define NODE_GRACE (40 * KS_SEC)
#define EVICTION_TOLERATION (300 * KS_SEC)

typedef struct image_entry {
    ks_id node;
    const char *image;
} image_entry;

/* The image caches of all nodes: a flat list, searched linearly (images x
 * nodes stays small in lessons; 500 nodes x 10 images is 5,000 entries). */
typedef struct image_cache {
    image_entry *items;
    size_t n, cap;
} image_cache;

static image_cache *cache_of(ks_sim *sim)
{
    ksi_cluster *c = sim->cluster;
    if (!c->images)
        c->images = ksi_zalloc(sim, sizeof(image_cache));
    return c->images;
}

bool ksi_node_has_image(const ks_sim *sim, ks_id node, const char *image)
{
    const image_cache *ic = sim->cluster->images;
    size_t i;
    for (i = 0; ic && i < ic->n; i++)
        if (ic->items[i].node == node && strcmp(ic->items[i].image, image) == 0)
            return true;
    return false;
}

void ksi_node_add_image(ks_sim *sim, ks_id node, const char *image)
{
    image_cache *ic = cache_of(sim);
    if (!ic || ksi_node_has_image(sim, node, image))
        return;
    if (ic->n == ic->cap) {
        size_t cap = ic->cap ? ic->cap * 2 : 32;
        image_entry *items = ksi_zalloc(sim, cap * sizeof *items);
        if (!items)
            return;
        if (ic->n)
            memcpy(items, ic->items, ic->n * sizeof *items);
        ic->items = items;
        ic->cap = cap;
    }
    ic->items[ic->n].node = node;
    ic->items[ic->n].image = ksi_strdup(sim, image);
    ic->n++;
}

/* ---- failure timeline ---------------------------------------------------------- */
static void mark_not_ready(ks_sim *sim, void *subject, uint64_t node)
{
    ks_node *n = ksi_node_get(sim, (ks_id)node);
    ks_id id = 0;
    (void)subject;
    if (!n || !n->down || !n->ready)
        return;
    n->ready = false;
    ksi_event(sim, false, "NodeNotReady", KS_KIND_NODE, n->name, n->id, "node-controller",
              "Node %s status is now: NodeNotReady", n->name);
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        size_t c;
        if (p->pub.node != n->id)
            continue;
        for (c = 0; c < p->pub.ncontainers; c++)
            p->pub.containers[c].ready = false;
        p->pub.ready = false;
        ksi_workload_pod_readiness(sim, p);
        ksi_pod_update_status(sim, p);
        ksi_pod_changed(sim, p);
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
        if (p->pub.node != n->id || p->pub.terminating)
            continue;
        ksi_event(sim, false, "TaintManagerEviction", KS_KIND_POD, p->pub.name, p->pub.id,
                  "taint-eviction-controller", "Marking for deletion Pod %s/%s", p->pub.ns,
                  p->pub.name);
        ksi_kubelet_pod_deleted(sim, p, p->pub.spec->grace_seconds);
    }
}

static void evict_node(ks_sim *sim, ks_node *n)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        if (p->pub.node == n->id && !p->pub.terminating) {
            ksi_event(sim, false, "Evicted", KS_KIND_POD, p->pub.name, p->pub.id, "kubectl",
                      "evicting pod %s/%s (drain)", p->pub.ns, p->pub.name);
            ksi_kubelet_pod_deleted(sim, p, p->pub.spec->grace_seconds);
        }
    }
}

int ks_cluster_node_action(ks_sim *sim, ks_id id, ks_node_action action)
{
    ks_node *n = ksi_node_get(sim, id);
    if (!n)
        return KS_EUNKNOWN;
    switch (action) {
    case KS_NODE_FAIL:
        if (n->down)
            return KS_OK;
        n->down = true;
        n->down_since = ks_now(sim);
        ksi_kubelet_node_down(sim, n);
        ks_event_after(sim, NODE_GRACE, KS_PRIO_DEFAULT, mark_not_ready, NULL, id);
        ks_event_after(sim, NODE_GRACE + EVICTION_TOLERATION, KS_PRIO_DEFAULT, evict_pods, NULL,
                       id);
        break;
    case KS_NODE_RECOVER:
        if (!n->down)
            return KS_OK;
        n->down = false;
        n->ready = true;
        ksi_event(sim, false, "NodeReady", KS_KIND_NODE, n->name, n->id, "kubelet",
                  "Node %s status is now: NodeReady", n->name);
        ksi_kubelet_node_up(sim, n);
        ksi_sched_kick(sim);
        break;
    case KS_NODE_CORDON:
        n->unschedulable = true;
        ksi_event(sim, false, "NodeNotSchedulable", KS_KIND_NODE, n->name, n->id, "kubelet",
                  "Node %s status is now: NodeNotSchedulable", n->name);
        break;
    case KS_NODE_UNCORDON:
        n->unschedulable = false;
        ksi_event(sim, false, "NodeSchedulable", KS_KIND_NODE, n->name, n->id, "kubelet",
                  "Node %s status is now: NodeSchedulable", n->name);
        ksi_sched_kick(sim);
        break;
    case KS_NODE_DRAIN:
        if (!n->unschedulable)
            ks_cluster_node_action(sim, id, KS_NODE_CORDON);
        evict_node(sim, n);
        break;
    }
    return ks_sim_status(sim);
}
