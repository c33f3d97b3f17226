/* ks_hpa.h -- the HorizontalPodAutoscaler: its controller's algorithm
 * (pkg/controller/podautoscaler: replica_calculator.go, horizontal.go,
 * metrics/utilization.go) as pure functions a test can drive, and the
 * status the controller (ks_hpa.c) keeps for each HPA, as `kubectl get hpa`
 * and `describe hpa` show it.
 *
 * Numbers (kube-controller-manager's defaults, pkg/controller/podautoscaler/
 * config/v1alpha1/defaults.go): sync every 15 s, tolerance 0.1, scale-down
 * stabilization 5 min, CPU initialization period 5 min, initial readiness
 * delay 30 s; without a behavior, a scale-up is limited to max(2 x current,
 * 4) (horizontal.go scaleUpLimitFactor, scaleUpLimitMinimum).
 * Depends on: load (the spec), core (time).
 */
#ifndef KS_HPA_H
#define KS_HPA_H

#include <stdbool.h>
#include <stdint.h>

#include "cluster/ks_cluster.h"

#define KS_HPA_SYNC          (15 * KS_SEC)       /* --horizontal-pod-autoscaler-sync-period */
#define KS_HPA_TOLERANCE     0.1                 /* --horizontal-pod-autoscaler-tolerance */
#define KS_HPA_DOWNSCALE_WINDOW (300 * KS_SEC)   /* ...-downscale-stabilization */
#define KS_HPA_CPU_INIT      (300 * KS_SEC)      /* ...-cpu-initialization-period */
#define KS_HPA_READINESS_DELAY (30 * KS_SEC)     /* ...-initial-readiness-delay */

/* ---- the replica calculator (replica_calculator.go) ---------------------------- */
/* A pod as the calculator sees it: the pod lister's view and its metric. */
typedef struct ks_hpa_pod {
    bool gone;                    /* deletionTimestamp set, or phase Failed */
    bool pending;                 /* phase Pending */
    bool started;                 /* has a StartTime and a Ready condition */
    bool ready;                   /* the Ready condition's status */
    ks_time start, ready_changed; /* StartTime, Ready's lastTransitionTime */
    bool has_metric;
    int64_t metric;               /* usage: millicores, or bytes */
    ks_time metric_at, window;    /* the metric's timestamp and window */
    int64_t request;              /* summed requests; -1: a container has none */
    const char *name;             /* the pod's, and the container without a */
    const char *missing;          /* request (for the error), or NULL */
} ks_hpa_pod;

typedef struct ks_hpa_calc {
    int32_t replicas;             /* the proposal */
    int32_t utilization;          /* percent of requests (Utilization) */
    int64_t raw;                  /* average usage per pod with a metric */
    const char *error;            /* why it failed (static text or msg), else NULL */
    char msg[240];
} ks_hpa_calc;

/* GetResourceReplicas: a Utilization target (percent); cpu says whether
 * the readiness rules for CPU apply. Returns false with out->error set
 * ("missing request for cpu", "did not receive metrics for any ready
 * pods", ...). */
bool ks_hpa_resource_replicas(const ks_hpa_pod *pods, size_t n, int32_t current,
                              int32_t target, bool cpu, ks_time now, ks_hpa_calc *out);
/* GetRawResourceReplicas (calcPlainMetricReplicas): an AverageValue target
 * in the metric's units. */
bool ks_hpa_raw_replicas(const ks_hpa_pod *pods, size_t n, int32_t current, int64_t target,
                         bool cpu, ks_time now, ks_hpa_calc *out);

/* ---- normalization (horizontal.go) -------------------------------------------- */
#define KS_HPA_HISTORY 256        /* > 3600 s / 15 s recommendations */
typedef struct ks_hpa_stamped {
    int32_t value;                /* a recommendation, or a replica change */
    ks_time at;
    bool outdated;
} ks_hpa_stamped;

typedef struct ks_hpa_history {
    ks_hpa_stamped recs[KS_HPA_HISTORY], up[KS_HPA_HISTORY], down[KS_HPA_HISTORY];
    size_t nrecs, nup, ndown;
} ks_hpa_history;

typedef struct ks_hpa_limits {    /* the two conditions normalization sets */
    const char *able_reason, *able_message;       /* AbleToScale (True) */
    bool limited;                                 /* ScalingLimited */
    const char *limited_reason, *limited_message;
} ks_hpa_limits;

/* recordInitialRecommendation: the current count, once. */
void ks_hpa_record_initial(ks_hpa_history *h, int32_t current, ks_time now);
/* normalizeDesiredReplicas (no behavior) or ...WithBehaviors: stabilizes
 * the proposal over the window, applies min/max and the scale rate. */
int32_t ks_hpa_normalize(ks_hpa_history *h, const ks_hpa_spec *spec, int32_t current,
                         int32_t proposal, ks_time now, ks_hpa_limits *why);
/* storeScaleEvent: after a rescale (with a behavior only). */
void ks_hpa_store_scale_event(ks_hpa_history *h, const ks_hpa_spec *spec, int32_t prev,
                              int32_t now_replicas, ks_time now);

/* ---- the status the controller keeps ------------------------------------------ */
enum { KS_HPA_ABLE_TO_SCALE, KS_HPA_SCALING_ACTIVE, KS_HPA_SCALING_LIMITED, KS_HPA_NCOND };

typedef struct ks_hpa_condition {
    bool set, status;
    const char *reason;           /* static text */
    char message[800];
    ks_time changed;              /* lastTransitionTime */
} ks_hpa_condition;

typedef struct ks_hpa_metric_status {
    bool known;
    int32_t utilization;          /* Utilization targets */
    int64_t average;              /* millicores or bytes */
} ks_hpa_metric_status;

typedef struct ks_hpa {
    ks_id id;
    const ks_object *obj;         /* as applied */
    const ks_hpa_spec *spec;
    int32_t current, desired;     /* status.currentReplicas / desiredReplicas */
    ks_time last_scale;           /* -1: never */
    ks_hpa_metric_status metrics[KS_HPA_MAX_METRICS];
    ks_hpa_condition cond[KS_HPA_NCOND];
    ks_time created;
} ks_hpa;

/* The HPA's status, or NULL when id is not an HPA. */
const ks_hpa *ks_cluster_hpa(const ks_sim *sim, ks_id id);
/* "AbleToScale", "ScalingActive", "ScalingLimited". */
const char *ks_hpa_condition_name(int c);
/* The HPA that scales a Deployment, ReplicaSet or StatefulSet (the first),
 * or 0. */
ks_id ks_hpa_of_target(const ks_sim *sim, ks_id target);

#endif
