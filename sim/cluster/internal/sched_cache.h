/* internal/sched_cache.h -- the scheduler's cache (ks_sched_cache.c): the
 * nodes in the order the scheduler searches them, and how many pods of
 * each owner run on each node, kept from the store's notifications (the
 * real scheduler's cache, fed by its informers) so that scoring a node
 * costs an array read, never a walk of the owner's pods.
 */
#ifndef KSI_SCHED_CACHE_H
#define KSI_SCHED_CACHE_H

#include "cluster.h"
#include "core/ks_idmap.h"

typedef struct ksi_sched_cache {
    ks_node **nodes;              /* in creation order (the search order) */
    size_t nnodes, nodes_cap;
    ks_idmap node_index;          /* node id -> index + 1 */
    ks_idmap owners;              /* owner id -> its (node index, count) list */
    int32_t *same;                /* scratch: per node index, pods of one owner */
    size_t same_cap;
} ksi_sched_cache;

/* A node joined (KS_ADDED). Returns KS_OK or KS_ENOMEM. */
int ksi_sched_cache_add_node(ks_sim *sim, ksi_sched_cache *c, ks_node *n);
/* A pod changed or went (gone): counts it as its owner's on its node while
 * it is bound, owned and not terminating, and as nothing otherwise. */
void ksi_sched_cache_account(ks_sim *sim, ksi_sched_cache *c, ksi_pod *p, bool gone);
/* Fills c->same[i] with the pods of owner on node i (true), or clears what
 * the last fill set (false). False when the owner has no pods anywhere
 * (c->same is then all zeros). */
bool ksi_sched_cache_spread(ksi_sched_cache *c, ks_id owner, bool fill);
void ksi_sched_cache_fini(ks_sim *sim, ksi_sched_cache *c);

#endif
