/* internal/kubelet.h -- the kubelet's parts shared inside node/: the pod
 * sync (ks_kubelet.c), termination and node failures (ks_termination.c),
 * and the nodes' image caches (ks_images.c). */
#ifndef KSI_KUBELET_H
#define KSI_KUBELET_H

#include "cluster/internal/cluster.h"

#define CREATE_TIME (300 * KS_MSEC)       /* sandbox + container create */

/* Starts (or restarts) the pod's sync after delay. */
void ksi_kubelet_admit(ks_sim *sim, ksi_pod *p, ks_time delay);
/* Recomputes the pod's phase and Ready condition and reports them. */
void ksi_kubelet_refresh(ks_sim *sim, ksi_pod *p);
/* Stops container c's probes, timers and process. */
void ksi_kubelet_stop_container(ks_sim *sim, ksi_pod *p, size_t c);
/* A restart timer's handler: container (arg) starts again. */
void ksi_kubelet_restart(ks_sim *sim, void *subject, uint64_t arg);
/* Stops the pod's containers: SIGTERM, then SIGKILL at the grace period's
 * end, then the pod goes from the API. */
void ksi_kubelet_kill(ks_sim *sim, ksi_pod *p);
/* The pod is gone from the API: its timers and processes go too. */
void ksi_kubelet_teardown(ks_sim *sim, ksi_pod *p);
/* Container c's process ended (reason NULL: Completed/Error by code). */
void ksi_container_exited(ks_sim *sim, ksi_pod *p, size_t c, int code, const char *reason);
/* (Re)arms one of the kubelet's timers: *slot is cancelled first. */
void ksi_kubelet_timer(ks_sim *sim, ks_event_id *slot, ks_time delay, ks_event_fn fn,
                       uint64_t arg);
/* The pod and container index a timer's argument (pod id << 8 | c) names. */
ksi_pod *ksi_kubelet_pod_of(const ks_sim *sim, uint64_t arg, size_t *c);

/* Images present on a node (ks_images.c). */
bool ksi_node_has_image(const ks_sim *sim, ks_id node, const char *image);
void ksi_node_add_image(ks_sim *sim, ks_id node, const char *image);

#endif
