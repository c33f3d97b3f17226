/* ks_usage.h -- what containers and nodes use, as the kubelet measures it
 * (cAdvisor, through the kubelet's Summary and resource metrics endpoints):
 * a cumulative CPU counter and the memory working set, now.
 *
 * Usage comes from the work the simulation hands each process -- CPU per
 * request and per job, memory per connection and per record, a base and a
 * background load -- as the image catalog's cpu: and memory: say. A
 * container gets CPU up to its limit (CFS bandwidth: a quota per 100 ms
 * period), its program's threads and its share of the node; work beyond it
 * waits, which is what makes a throttled service slow. A container over its
 * memory limit is OOMKilled (exit 137) and restarted as any crash is.
 * Depends on: cluster (pods, nodes).
 */
#ifndef KS_USAGE_H
#define KS_USAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "cluster/ks_cluster.h"

/* The CFS period of a container's CPU quota (Linux cpu.cfs_period_us, which
 * the kubelet leaves at 100 ms: pkg/kubelet/cm/helpers_linux.go,
 * QuotaPeriod = 100000). */
#define KS_USAGE_CFS_PERIOD (100 * KS_MSEC)

typedef struct ks_usage {
    ks_time started;              /* when the counter started (container or node) */
    int64_t cpu_ns;               /* CPU time used since started, nanoseconds */
    int64_t cpu_recent;           /* millicores, over the last second or two */
    int64_t memory;               /* working set now, bytes */
    int64_t queued_ns;            /* CPU work waiting for its turn (throttled) */
    int64_t rate;                 /* millicores it may use now (0: not running) */
} ks_usage;

/* Container c of pod (false when it is not running), the pod's running
 * containers summed (false when none runs), a node (false when it is gone
 * or down). Computed at the sim's current time; nothing changes. */
bool ks_usage_container(const ks_sim *sim, ks_id pod, size_t c, ks_usage *out);
bool ks_usage_pod(const ks_sim *sim, ks_id pod, ks_usage *out);
bool ks_usage_node(const ks_sim *sim, ks_id node, ks_usage *out);

#endif
