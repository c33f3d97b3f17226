/* ks_node.h -- what happens on the nodes themselves, outside the API: a
 * container's process dies, a machine fails or comes back; and what the
 * processes there hold (the records a pod's workloads would return).
 * The kubelet of each node then does what a real one does.
 * Depends on: cluster (ids), storage (data directories).
 */
#ifndef KS_NODE_H
#define KS_NODE_H

#include "cluster/ks_cluster.h"
#include "storage/ks_data.h"

/* The container of a pod dies now (a scenario's `crash:`, a click), with
 * an exit code and a reason (Error, OOMKilled: exit 137). container NULL:
 * the first. KS_EUNKNOWN: no such pod or container; KS_EINVAL: it is not
 * running. */
int ks_node_crash(ks_sim *sim, ks_id pod, const char *container, int exit_code,
                  const char *reason);
/* The node's machine goes down (its kubelet and processes with it), or
 * comes back. KS_EUNKNOWN when there is no such node. */
int ks_node_fail(ks_sim *sim, ks_id node);
int ks_node_recover(ks_sim *sim, ks_id node);

/* Records the pod's workloads would return to a query now: a database's
 * data directory, a cache's memory, or files a shell wrote (-1: the pod
 * has no data-holding workload running). */
int64_t ks_node_pod_records(const ks_sim *sim, ks_id pod);
/* The directory whose records container c of a pod would return now (a
 * database's data directory, a cache's memory, where a shell last wrote),
 * or NULL: so callers can count a directory shared by pods only once. */
const ks_datadir *ks_node_pod_datadir(const ks_sim *sim, ks_id pod, size_t c);

#endif
