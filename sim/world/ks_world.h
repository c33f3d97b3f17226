/* ks_world.h -- the simulated world put together: the cluster as a course
 * starts from it (minikube with the ingress addon), every controller
 * registered in its fixed order, and the things that happen to the world
 * rather than through the API (a node's machine failing).
 * Depends on: every layer below (cluster, storage, node, net).
 */
#ifndef KS_WORLD_H
#define KS_WORLD_H

#include <stdbool.h>

#include "cluster/ks_cluster.h"
#include "node/ks_node.h"

typedef struct ks_world_config {
    const ks_catalog *catalog;            /* image behaviour (required) */
    const ks_object *const *nodes;        /* Node objects; none: one default */
    size_t nnodes;
    bool no_ingress_controller;           /* leave out ingress-nginx */
    bool metrics_server;                  /* the metrics-server addon */
    bool network_policy;                  /* the network plugin enforces
                                             NetworkPolicy (calico, cilium) */
    int64_t clock;                        /* wall-clock seconds of time 0;
                                             0: KS_CLUSTER_DEFAULT_CLOCK */
} ks_world_config;

/* Sets up the cluster inside sim: the store, the controllers, the nodes,
 * the default StorageClass `standard`, and the ingress-nginx controller
 * (namespace ingress-nginx: a Deployment, its LoadBalancer Service,
 * IngressClass nginx; its image already on the nodes); with metrics_server,
 * minikube's metrics-server addon (namespace kube-system). Returns KS_OK or
 * KS_ENOMEM. Call once, before the first event; the sim frees it all. */
int ks_world_init(ks_sim *sim, const ks_world_config *cfg);

/* Node actions of a scenario: the machine fails or recovers (the world),
 * or kubectl cordons, uncordons or drains it (the API). */
typedef enum ks_node_action { KS_NODE_FAIL, KS_NODE_RECOVER, KS_NODE_CORDON,
                              KS_NODE_UNCORDON, KS_NODE_DRAIN } ks_node_action;
int ks_world_node_action(ks_sim *sim, ks_id node, ks_node_action action);

#endif
