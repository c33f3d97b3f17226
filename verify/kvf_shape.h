/* kvf_shape.h -- whether a cluster is shaped as a scenario's spec.cluster
 * says: its nodes (how many, their names, cpu and memory), the metrics API
 * (the metrics-server addon), a network plugin that enforces NetworkPolicy
 * (cni calico or cilium). verify cannot shape a real cluster, so it says
 * what differs, as notes of the report, before the rows that may differ
 * because of it. The nodes and the metrics API come from the API (nodes,
 * discovery); the network plugin is not in the API: against kubesim serve
 * it is GET /kubesim/v1/cluster, elsewhere the plugin's pods in kube-system
 * (k8s-app=calico-node, k8s-app=cilium, as their manifests label them).
 * `kubesim serve --cluster SCENARIO` starts a cluster of that shape.
 * Depends on: kvf_cluster, sim/load (ks_scenario, ks_validate).
 */
#ifndef KVF_SHAPE_H
#define KVF_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "load/ks_scenario.h"
#include "kvf_cluster.h"

#define KVF_SHAPE_NOTE 400

/* Up to max notes, each a sentence, on how k differs from sc's
 * spec.cluster (kubesim: the server answered kubesim's clock). Returns how
 * many were written. */
size_t kvf_shape_check(kvf_cluster *k, const ks_scenario *sc, bool kubesim,
                       char (*notes)[KVF_SHAPE_NOTE], size_t max);

#endif
