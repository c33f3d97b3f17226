/* ks_metrics.h -- the resource metrics API (metrics.k8s.io), as the
 * metrics-server addon serves it: what `kubectl top` prints and what the
 * HorizontalPodAutoscaler reads.
 *
 * It is off unless the cluster has the addon (spec.cluster.addons:
 * [metrics-server], minikube's name; off by default, as on minikube). The
 * addon's pod scrapes every kubelet once per metric resolution -- 60 s, as
 * minikube configures it -- and keeps the last two readings of each
 * container and node. CPU is the rate of the cumulative counter between
 * those two readings (a window, not the instant); memory is the working set
 * at the newest. A container shows up after two scrapes, or after one if it
 * started 10 s to one resolution before it
 * (kubernetes-sigs/metrics-server pkg/storage/pod.go, node.go, types.go).
 * Depends on: node (the kubelet's meters), cluster.
 */
#ifndef KS_METRICS_H
#define KS_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "cluster/ks_cluster.h"

/* minikube's addon runs metrics-server with --metric-resolution=60s. */
#define KS_METRICS_RESOLUTION (60 * KS_SEC)

typedef enum ks_metrics_api {
    KS_METRICS_ABSENT,        /* no addon: the API is not there at all */
    KS_METRICS_UNAVAILABLE,   /* the addon is there, its pod is not ready */
    KS_METRICS_SERVING        /* serving (possibly without points yet) */
} ks_metrics_api;

ks_metrics_api ks_metrics_state(const ks_sim *sim);

typedef struct ks_metrics_sample {
    ks_time timestamp;        /* the newer of the two readings */
    ks_time window;           /* between the two readings */
    int64_t cpu_nano;         /* nanocores: CPU used over the window */
    int64_t memory;           /* working set at timestamp, bytes */
} ks_metrics_sample;

/* A container's, a pod's (all its running containers: false unless each
 * has a sample) or a node's sample, as the API would return it now; false
 * when it has none (yet). */
bool ks_metrics_container(const ks_sim *sim, ks_id pod, size_t c, ks_metrics_sample *out);
bool ks_metrics_pod(const ks_sim *sim, ks_id pod, ks_metrics_sample *out);
bool ks_metrics_node(const ks_sim *sim, ks_id node, ks_metrics_sample *out);

/* Quantity.MilliValue() of nanocores: rounded up, as kubectl top and the
 * HPA read it. */
int64_t ks_metrics_milli(int64_t nano);

#endif
