/* ksv_kinds.h -- the resources the API server serves: one row per resource
 * (group, version, names, verbs, how to list its objects, how to build
 * one's JSON). Discovery, the OpenAPI documents, lists, tables and writes
 * all read this table, so adding a kind is one row here and one builder in
 * ksv_json*.c.
 * Depends on: ksv_json, sim/ (ks_cluster, ks_kubectl).
 */
#ifndef KSV_KINDS_H
#define KSV_KINDS_H

#include <stdbool.h>
#include <stdint.h>

#include "ksv_json.h"

/* One object of a resource, as a list finds it. */
typedef struct ksv_item {
    uint64_t key;             /* identity within the resource: a ks_id, an
                                 event's hash, a namespace's index... */
    const char *ns;           /* NULL for cluster-scoped */
    const char *name;
    const ks_kvs *labels;     /* may be NULL */
    size_t index;             /* events, namespaces: position in their list */
} ksv_item;

typedef struct ksv_resource ksv_resource;
struct ksv_resource {
    const char *group;        /* "" for the core group */
    const char *version;      /* "v1" */
    const char *name;         /* plural: "pods" */
    const char *singular;     /* "pod" */
    const char *kind;         /* "Pod" */
    bool namespaced;
    const char *short_names;  /* "po", "deploy", comma-separated, or NULL */
    bool in_all;              /* in the category "all" (kubectl get all) */
    bool writable;            /* create/update/patch/delete go to the sim */
    int ks_kind;              /* its kind in sim/ (ks_kind), or -1 */
    int table_kind;           /* what ks_kubectl_columns prints it as */
    const char *subresources; /* space-separated: "status scale log ..." */
    /* Every object, in any order, as an array in ar; returns the count,
     * or (size_t)-1 when memory ran out. */
    size_t (*list)(ks_sim *sim, const ksv_resource *r, ks_arena *ar, ksv_item **items);
    /* The object's JSON (new reference), or NULL when it is gone. */
    json_t *(*build)(const ksv_ctx *c, const ksv_item *it);
};

/* The table, in discovery order. */
extern const ksv_resource ksv_resources[];
extern const size_t ksv_nresources;

/* "apps/v1" or "v1". */
void ksv_group_version(const ksv_resource *r, char *buf, size_t n);
/* The resource for (group, version, plural name), or NULL. */
const ksv_resource *ksv_resource_find(const char *group, const char *version,
                                      const char *name);
/* The resource of a kind in sim/ (for objects read from manifests). */
const ksv_resource *ksv_resource_of_kind(int kind);
/* The resource for (apiVersion, kind) as an object names it, or NULL. */
const ksv_resource *ksv_resource_of(const char *api_version, const char *kind);

/* Whether an object of r is served as a function of that object alone, so
 * that its JSON changes only when the simulation changes the object (its
 * version, ks_cluster_version): ksv_store builds it again only then. */
bool ksv_resource_tracked(const ksv_resource *r);

/* Every object of r now, sorted by namespace then name, as an array in ar
 * (names too). Returns the count, or (size_t)-1 when memory ran out. */
size_t ksv_list_items(ks_sim *sim, const ksv_resource *r, ks_arena *ar, ksv_item **items);

/* The stable identity of event i (kind, object, reason, first time). */
uint64_t ksv_event_key(ks_sim *sim, size_t i);

#endif
