/* kvf_cluster.h -- a cluster, through its API: which resources it serves
 * (discovery), a namespace of our own, applying manifests, listing, getting
 * and deleting objects.
 *
 * Discovery reads /api/v1 and /apis (each group's preferred version), as
 * kubectl's legacy discovery does, so a kind in a manifest maps to its
 * resource path. Applying is server-side apply (PATCH with
 * application/apply-patch+yaml, fieldManager kubesim-verify, force), falling
 * back to a create (POST) on a server that does not do it.
 * Depends on: kvf_client, jansson.
 */
#ifndef KVF_CLUSTER_H
#define KVF_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "kvf_client.h"

#define KVF_MAX_RESOURCES 512

typedef struct kvf_resource {
    char group[96];               /* "" for the core group */
    char version[32];             /* "v1" */
    char kind[64];                /* "Deployment" */
    char name[64];                /* "deployments" */
    bool namespaced;
} kvf_resource;

typedef struct kvf_cluster kvf_cluster;

/* Discovers what the server behind c (borrowed) serves. NULL with the reason
 * in why: out of memory, or the server cannot be reached or read. */
kvf_cluster *kvf_cluster_create(kvf_client *c, char *why, size_t n);
void kvf_cluster_destroy(kvf_cluster *k);
kvf_client *kvf_cluster_client(kvf_cluster *k);

/* The resource of kind in apiVersion ("apps/v1"), or of a resource name
 * ("pods", "deployments.apps"); NULL when the server does not serve it. */
const kvf_resource *kvf_cluster_find_kind(const kvf_cluster *k, const char *api_version,
                                          const char *kind);
const kvf_resource *kvf_cluster_find(const kvf_cluster *k, const char *resource);
size_t kvf_cluster_resource_count(const kvf_cluster *k);

/* The path of a collection (name NULL) or of one object:
 * "/apis/apps/v1/namespaces/NS/deployments/web". */
void kvf_cluster_path(const kvf_resource *r, const char *ns, const char *name, char *buf,
                      size_t n);

/* A namespace for the run. With want == NULL, creates a fresh one named
 * prefix-XXXXXX (*created true); when the server refuses (403, 405...),
 * uses fallback instead and says so in note. With want, uses it as it is
 * (created false). Writes the name to ns. Returns 0, or -1 with why
 * (the server cannot be reached). */
int kvf_cluster_namespace(kvf_cluster *k, const char *want, const char *prefix,
                          const char *fallback, char *ns, size_t nsn, bool *created,
                          char *note, size_t n);
/* Deletes a namespace (not waiting for it to go). 0 or -1 with why. */
int kvf_cluster_delete_namespace(kvf_cluster *k, const char *ns, char *why, size_t n);

/* Applies obj (borrowed) in ns (for namespaced kinds). Writes what
 * happened as kubectl says it ("deployment.apps/web serverside-applied",
 * "... created") or the error into what. Returns 0, or -1. */
int kvf_cluster_apply(kvf_cluster *k, const char *ns, json_t *obj, char *what, size_t n);

/* The items of a list of resource (a kvf_cluster_find name) in ns (NULL:
 * all namespaces, or cluster-scoped), with a label selector (may be NULL).
 * A new reference to the items array, or NULL with why (and *status: the
 * HTTP status, 0 when the server did not answer). */
json_t *kvf_cluster_list(kvf_cluster *k, const char *resource, const char *ns,
                         const char *selector, long *status, char *why, size_t n);
/* One object (new reference), or NULL with why and *status (404: none). */
json_t *kvf_cluster_get(kvf_cluster *k, const char *resource, const char *ns, const char *name,
                        long *status, char *why, size_t n);
/* Deletes one object. Returns the HTTP status (0: no answer; why says). */
long kvf_cluster_delete(kvf_cluster *k, const char *resource, const char *ns, const char *name,
                        char *why, size_t n);

#endif
