/* ks_idmap.h -- a map from nonzero 64-bit keys (object ids, pairs of ids)
 * to 64-bit values: open addressing with linear probing, deletion by
 * backward shift (no tombstones), grown through a ks_allocator. For the
 * caches that must not cost a walk (the scheduler's pods per owner and
 * node, a node's position). Iteration order is not part of the contract:
 * nothing may depend on it.
 * Depends on: ks_mem.
 */
#ifndef KS_IDMAP_H
#define KS_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ks_mem.h"

typedef struct ks_idmap_slot {
    uint64_t key;                 /* 0 = empty */
    uint64_t value;
} ks_idmap_slot;

typedef struct ks_idmap {
    ks_idmap_slot *slots;
    size_t n, cap;                /* cap: 0 or a power of two */
} ks_idmap;

/* The value of key, or NULL; valid until the map next changes. */
uint64_t *ks_idmap_find(const ks_idmap *m, uint64_t key);
/* The value of key, added as 0 when absent; NULL when out of memory. */
uint64_t *ks_idmap_get(ks_idmap *m, const ks_allocator *a, uint64_t key);
/* Removes key; false when it was absent. */
bool ks_idmap_remove(ks_idmap *m, uint64_t key);
/* Frees the table (the map is then empty and reusable). */
void ks_idmap_fini(ks_idmap *m, const ks_allocator *a);

#endif
