/* ksv_store.h -- the API server's view of the cluster: every served
 * object's JSON with its resourceVersion, kept in step with the simulation,
 * and the change events (ADDED, MODIFIED, DELETED) that watches deliver.
 *
 * resourceVersions are one counter for the whole cluster, as etcd's
 * revision is: a change to any object takes the next number, and a list
 * says the number it was taken at. The store learns about change whenever
 * the simulation has moved (ksv_store_sync): an object of a tracked kind
 * (ksv_resource_tracked) is built again only when the simulation's version
 * of it moved; the others are built and compared with the JSON held.
 * Unchanged objects keep their resourceVersion. Objects come in
 * namespace/name order.
 * Depends on: ksv_kinds, jansson.
 */
#ifndef KSV_STORE_H
#define KSV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksv_kinds.h"

typedef struct ksv_entry {
    uint64_t key;
    char *ns, *name;          /* ns NULL when cluster-scoped */
    char *json;               /* compact, resourceVersion included */
    size_t len;
    char *meta;               /* its "metadata" alone (Table rows carry it) */
    size_t meta_len;
    uint64_t hash;            /* of the JSON without resourceVersion */
    uint64_t spec_hash;       /* of "spec": a change bumps generation */
    uint64_t rv;
    int64_t generation;
    uint64_t version;         /* the simulation's version of the object when
                                 built (ks_cluster_version), 0: not tracked */
} ksv_entry;

typedef enum ksv_change_type { KSV_ADDED, KSV_MODIFIED, KSV_DELETED } ksv_change_type;

/* A change, for the watches: json is the object as it is now (for
 * DELETED, as it was last, with a new resourceVersion); borrowed. */
typedef void (*ksv_change_fn)(void *ud, const ksv_resource *r, ksv_change_type type,
                              const ksv_entry *e);

typedef struct ksv_store ksv_store;

/* A store reading through ctx (which must outlive it). */
ksv_store *ksv_store_create(const ksv_ctx *ctx);
void ksv_store_destroy(ksv_store *st);

/* Brings every resource up to date when the simulation has moved since the
 * last sync (or force); calls fn for each change, in resource order, then
 * namespace/name order. Returns false when memory ran out. */
bool ksv_store_sync(ksv_store *st, bool force, ksv_change_fn fn, void *ud);

/* The newest resourceVersion. */
uint64_t ksv_store_rv(const ksv_store *st);
/* Objects of a resource (sorted), as of the last sync. */
const ksv_entry *ksv_store_entries(const ksv_store *st, const ksv_resource *r, size_t *n);
/* One object, or NULL. ns is ignored for cluster-scoped resources. */
const ksv_entry *ksv_store_get(const ksv_store *st, const ksv_resource *r, const char *ns,
                               const char *name);

#endif
