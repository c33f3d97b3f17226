/* ks_sched_cache.c -- the scheduler's cache (see internal/sched_cache.h).
 *
 * Each owner (ReplicaSet) with bound pods has a short list of (node index,
 * pods there): a Deployment of 50 replicas lists at most 50 nodes. Binding,
 * a pod starting to terminate or going changes one entry. What each pod
 * counts as is kept in the pod (ksi_sched_state), so an update whose old
 * state nobody kept (the kubelet's) still undoes exactly what was counted.
 */
#include <stdint.h>
#include <string.h>

#include "internal/sched_cache.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

typedef struct owner_node {
    uint32_t index;               /* in the cache's nodes */
    int32_t count;
} owner_node;

typedef struct owner_rec {
    owner_node *v;
    size_t n, cap;
} owner_rec;

int ksi_sched_cache_add_node(ks_sim *sim, ksi_sched_cache *c, ks_node *n)
{
    uint64_t *slot;
    if (ks_mem_grow(&sim->alloc, (void **)&c->nodes, &c->nodes_cap, c->nnodes + 1,
                    sizeof *c->nodes)
        || ks_mem_grow(&sim->alloc, (void **)&c->same, &c->same_cap, c->nnodes + 1,
                       sizeof *c->same)
        || !(slot = ks_idmap_get(&c->node_index, &sim->alloc, n->id)))
        return KS_ENOMEM;
    c->same[c->nnodes] = 0;
    c->nodes[c->nnodes++] = n;
    *slot = c->nnodes;
    return KS_OK;
}

static owner_rec *rec_of(const ksi_sched_cache *c, ks_id owner)
{
    uint64_t *v = ks_idmap_find(&c->owners, owner);
    return v ? (owner_rec *)(uintptr_t)*v : NULL;
}

/* Adds d (+1 or -1) to the pods of owner on node. */
static void add(ks_sim *sim, ksi_sched_cache *c, ks_id owner, ks_id node, int32_t d)
{
    uint64_t *ix = ks_idmap_find(&c->node_index, node), *slot;
    owner_rec *r = rec_of(c, owner);
    size_t i;
    if (!ix)
        return;                   /* not a node the scheduler knows */
    if (!r) {
        if (d < 0)
            return;
        if (!(r = ks_mem_calloc(&sim->alloc, 1, sizeof *r))
            || !(slot = ks_idmap_get(&c->owners, &sim->alloc, owner))) {
            ks_mem_free(&sim->alloc, r, sizeof *r);
            ks_sim_fail(sim, KS_ENOMEM);
            return;
        }
        *slot = (uint64_t)(uintptr_t)r;
    }
    for (i = 0; i < r->n && r->v[i].index != *ix - 1; i++)
        ;
    if (i == r->n) {
        if (d < 0)
            return;
        if (ks_mem_grow(&sim->alloc, (void **)&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
            ks_sim_fail(sim, KS_ENOMEM);
            return;
        }
        r->v[r->n].index = (uint32_t)(*ix - 1);
        r->v[r->n++].count = 0;
    }
    if ((r->v[i].count += d) > 0)
        return;
    r->v[i] = r->v[--r->n];       /* order in the list does not matter */
    if (r->n)
        return;
    ks_mem_free(&sim->alloc, r->v, r->cap * sizeof *r->v);
    ks_mem_free(&sim->alloc, r, sizeof *r);
    ks_idmap_remove(&c->owners, owner);
}

void ksi_sched_cache_account(ks_sim *sim, ksi_sched_cache *c, ksi_pod *p, bool gone)
{
    ks_id owner = 0, node = 0;
    if (!gone && p->pub.owner && p->pub.node && !p->pub.terminating) {
        owner = p->pub.owner;
        node = p->pub.node;
    }
    if (owner == p->sched.owner && node == p->sched.node)
        return;
    if (p->sched.owner)
        add(sim, c, p->sched.owner, p->sched.node, -1);
    if (owner)
        add(sim, c, owner, node, 1);
    p->sched.owner = owner;
    p->sched.node = node;
}

bool ksi_sched_cache_spread(ksi_sched_cache *c, ks_id owner, bool fill)
{
    const owner_rec *r = owner ? rec_of(c, owner) : NULL;
    size_t i;
    if (!r)
        return false;
    for (i = 0; i < r->n; i++)
        c->same[r->v[i].index] = fill ? r->v[i].count : 0;
    return true;
}

void ksi_sched_cache_fini(ks_sim *sim, ksi_sched_cache *c)
{
    size_t i;
    for (i = 0; i < c->owners.cap; i++)
        if (c->owners.slots[i].key) {
            owner_rec *r = (owner_rec *)(uintptr_t)c->owners.slots[i].value;
            ks_mem_free(&sim->alloc, r->v, r->cap * sizeof *r->v);
            ks_mem_free(&sim->alloc, r, sizeof *r);
        }
    ks_idmap_fini(&c->owners, &sim->alloc);
    ks_idmap_fini(&c->node_index, &sim->alloc);
    ks_mem_free(&sim->alloc, c->nodes, c->nodes_cap * sizeof *c->nodes);
    ks_mem_free(&sim->alloc, c->same, c->same_cap * sizeof *c->same);
}
