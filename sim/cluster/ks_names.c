/* ks_names.c -- the store's index of names: (kind, namespace, name) -> id,
 * so ks_cluster_find is a hash lookup instead of a walk of the kind's list
 * (a pod's name is checked for uniqueness when it is made: with 100,000
 * pods that walk was most of the cost of making one).
 *
 * Open addressing with linear probing over ids (0 = empty), deletion by
 * backward shift, so there are no tombstones. Keys are not stored: a slot's
 * id is looked up for its kind, namespace and name, which live as long as
 * the object. The index answers exactly as the walk did: the oldest live
 * object of that kind, namespace and name. The API refuses a second live
 * object of a name (apply updates the first; generated names are checked);
 * only a world given one node twice holds twins, and nodes are never
 * removed: the older twin keeps the slot for good, as it was first in the
 * walk for good.
 */
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"

#define MIN_CAP 64

/* Kinds whose objects have no namespace. */
static bool cluster_scoped(ks_kind kind)
{
    return kind == KS_KIND_NODE || kind == KS_KIND_PV || kind == KS_KIND_STORAGECLASS
           || kind == KS_KIND_NAMESPACE || kind == KS_KIND_INGRESSCLASS;
}

static uint64_t hash_key(ks_kind kind, const char *ns, const char *name)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)kind;
    h *= 0x100000001b3ull;
    if (!cluster_scoped(kind))
        for (; *ns; ns++)
            h = (h ^ (unsigned char)*ns) * 0x100000001b3ull;
    h = (h ^ '/') * 0x100000001b3ull;
    for (; *name; name++)
        h = (h ^ (unsigned char)*name) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

static bool same_key(const ks_sim *sim, ks_id id, ks_kind kind, const char *ns,
                     const char *name)
{
    const char *ons, *oname;
    if (ks_cluster_kind(sim, id) != kind)
        return false;
    ksi_store_name(sim, id, &ons, &oname);
    return oname && strcmp(oname, name) == 0 && (cluster_scoped(kind) || strcmp(ons, ns) == 0);
}

static size_t slot_of(const ksi_names *x, uint64_t h)
{
    return (size_t)h & (x->cap - 1);
}

static int grow(ks_sim *sim, ksi_names *x)
{
    size_t old_cap = x->cap, i, ncap = old_cap ? old_cap * 2 : MIN_CAP;
    ks_id *old = x->slots;
    x->slots = ks_mem_calloc(&sim->alloc, ncap, sizeof *x->slots);
    if (!x->slots) {
        x->slots = old;
        ks_sim_fail(sim, KS_ENOMEM);
        return -1;
    }
    x->cap = ncap;
    for (i = 0; i < old_cap; i++)
        if (old[i]) {
            const char *ns, *name;
            size_t s;
            ksi_store_name(sim, old[i], &ns, &name);
            s = slot_of(x, hash_key(ks_cluster_kind(sim, old[i]), ns, name));
            while (x->slots[s])
                s = (s + 1) & (x->cap - 1);
            x->slots[s] = old[i];
        }
    ks_mem_free(&sim->alloc, old, old_cap * sizeof *old);
    return 0;
}

void ksi_names_add(ks_sim *sim, ks_id id)
{
    ksi_names *x = &sim->cluster->names;
    const char *ns, *name;
    ks_kind kind = ks_cluster_kind(sim, id);
    size_t s;
    ksi_store_name(sim, id, &ns, &name);
    if (!name)
        return;                         /* not findable by name (as before) */
    if ((x->n + 1) * 4 > x->cap * 3 && grow(sim, x) != 0)
        return;
    s = slot_of(x, hash_key(kind, ns, name));
    for (; x->slots[s]; s = (s + 1) & (x->cap - 1))
        if (same_key(sim, x->slots[s], kind, ns, name))
            return;                     /* a twin: the older one keeps it */
    x->slots[s] = id;
    x->n++;
}

/* Takes slot s out, shifting later entries of its run back into place. */
static void erase(ks_sim *sim, ksi_names *x, size_t s)
{
    size_t i = s, j = s, mask = x->cap - 1;
    x->slots[s] = 0;
    x->n--;
    for (;;) {
        const char *ns, *name;
        size_t home;
        j = (j + 1) & mask;
        if (!x->slots[j])
            return;
        ksi_store_name(sim, x->slots[j], &ns, &name);
        home = slot_of(x, hash_key(ks_cluster_kind(sim, x->slots[j]), ns, name));
        /* move it back unless its home lies cyclically in (i, j] */
        if ((i <= j) ? (i < home && home <= j) : (i < home || home <= j))
            continue;
        x->slots[i] = x->slots[j];
        x->slots[j] = 0;
        i = j;
    }
}

void ksi_names_remove(ks_sim *sim, ks_id id)
{
    ksi_names *x = &sim->cluster->names;
    const char *ns, *name;
    size_t s;
    ksi_store_name(sim, id, &ns, &name);
    if (!name || !x->cap)
        return;
    for (s = slot_of(x, hash_key(ks_cluster_kind(sim, id), ns, name)); x->slots[s];
         s = (s + 1) & (x->cap - 1))
        if (x->slots[s] == id) {
            erase(sim, x, s);
            return;
        }
}

ks_id ks_cluster_find(const ks_sim *sim, ks_kind kind, const char *ns, const char *name)
{
    const ksi_names *x;
    size_t s;
    if (!ns)
        ns = "default";
    if (!sim->cluster || kind >= KS_KIND_COUNT || !name || !sim->cluster->names.cap)
        return 0;
    x = &sim->cluster->names;
    for (s = slot_of(x, hash_key(kind, ns, name)); x->slots[s]; s = (s + 1) & (x->cap - 1))
        if (same_key(sim, x->slots[s], kind, ns, name))
            return x->slots[s];
    return 0;
}

void ksi_names_fini(ks_sim *sim)
{
    ksi_names *x = &sim->cluster->names;
    ks_mem_free(&sim->alloc, x->slots, x->cap * sizeof *x->slots);
    memset(x, 0, sizeof *x);
}
