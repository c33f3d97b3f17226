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

/* Whether container c's args, given without command, run as a shell script:
 * args[0] is a shell the image has (sh, bash) and the image's ENTRYPOINT
 * passes args on as the command -- none (args replace its CMD: busybox,
 * httpd) or docker-library's docker-entrypoint.sh, which ends `exec "$@"`
 * when args[0] is not its own program (postgres, redis, nginx). */
bool ks_node_args_run_sh(const ks_image_entry *e, const ks_container *c);
/* The data directories the pod's running containers see now (at most
 * max, in out; returns how many): each one's writable layer and process
 * memory, and everything under each of its mounts, whoever wrote it (a pod
 * on the same hostPath of its node, a pod of the same claim). Callers count
 * a directory two pods see only once. */
size_t ks_node_pod_dirs(const ks_sim *sim, ks_id pod, const ks_datadir **out, size_t max);
/* The downward API's value of an env var of container c of pod p
 * (valueFrom.fieldRef or resourceFieldRef), as the kubelet puts it in the
 * environment and kubectl describe shows it: a string of the pod's, or the
 * text made in buf (n bytes). ks_downward.c. */
const char *ks_node_env_from(const ks_sim *sim, const ks_pod *p, const ks_container *c,
                             const ks_env_var *v, char *buf, size_t n);

/* The records in those directories (-1: the pod sees no data directory). */
int64_t ks_node_pod_records(const ks_sim *sim, ks_id pod);

#endif
