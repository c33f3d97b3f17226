/* kvf_machine.h -- a scenario's `node: {action: fail | recover}` on a
 * cluster: a machine going down or coming back, which the Kubernetes API
 * has no verb for. Against kubesim serve it is serve's own endpoint (POST
 * /kubesim/v1/nodes/NAME/fail | recover, docs/api-server.md), which runs
 * the scenario step in the simulation. On a kind cluster, when the user
 * allows it (--allow-node-stop), the node's container is stopped (`docker
 * stop NAME`: the kubelet stops with it, as on a machine that died) or
 * started again; kind names a node's container after the node and gives
 * the node the providerID kind://docker/CLUSTER/NAME. Anywhere else it is
 * skipped, saying why.
 * Depends on: kvf_client, kvf_cluster.
 */
#ifndef KVF_MACHINE_H
#define KVF_MACHINE_H

#include <stdbool.h>
#include <stddef.h>

#include "kvf_cluster.h"

typedef enum kvf_machine_result {
    KVF_MACHINE_DONE,             /* it happened; what says how */
    KVF_MACHINE_SKIPPED,          /* not done here; what says why */
    KVF_MACHINE_FAILED            /* tried, and it failed; what says why */
} kvf_machine_result;

/* The machine of node name fails (fail true) or recovers, on the cluster k:
 * through serve's endpoint when kubesim is true (the server answered
 * kubesim's clock), else by docker on a kind node when allow_stop. */
kvf_machine_result kvf_machine_action(kvf_cluster *k, bool kubesim, bool allow_stop,
                                      const char *name, bool fail, char *what, size_t n);

#endif
