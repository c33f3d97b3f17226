/* kvf_observe.h -- the expectations a real cluster can answer, answered
 * from its API: pods, pod (kubectl's STATUS, READY, RESTARTS, NODE), endpoints,
 * pvc and pv, events (by reason; a selector matches the labels of the pods
 * the observer has seen, gone ones too), log (the pods' logs, the previous
 * run's as well), requests (verify's own, from kvf_traffic) and, when exec
 * is allowed, records (the catalog's count command through pods/exec,
 * kvf_exec). What the API cannot tell -- records without exec or without a
 * count command, what the server does not serve -- is NOT OBSERVABLE,
 * never passed.
 * The verdicts use sim's comparisons (ks_scn_cmp_eval), so a number means
 * the same on both sides.
 * Depends on: kvf_cluster, kvf_traffic, sim/load (ks_scenario).
 */
#ifndef KVF_OBSERVE_H
#define KVF_OBSERVE_H

#include <jansson.h>

#include "load/ks_catalog.h"
#include "load/ks_scenario.h"
#include "kvf_cluster.h"
#include "kvf_traffic.h"

typedef enum kvf_obs_state {
    KVF_OBS_PASS,
    KVF_OBS_FAIL,
    KVF_OBS_UNOBSERVABLE,         /* the cluster cannot answer this here */
    KVF_OBS_ERROR                 /* the API failed while asking */
} kvf_obs_state;

typedef struct kvf_outcome {
    kvf_obs_state state;
    char actual[300];             /* what was found, as kubesim words it */
    char why[400];                /* failures and the unobservable: why */
    bool sampling;                /* a success rate whose 95% interval holds the
                                     threshold: the sample cannot tell its side */
} kvf_outcome;

typedef struct kvf_observer kvf_observer;

/* An observer of namespace ns (copied) of k; t (may be NULL) holds the
 * requests sent. Both borrowed. NULL when out of memory. */
kvf_observer *kvf_observer_create(kvf_cluster *k, const char *ns, kvf_traffic *t);
void kvf_observer_destroy(kvf_observer *o);
/* Lets the observer count records through exec, with cat's count commands
 * (borrowed). */
void kvf_observer_allow_exec(kvf_observer *o, const ks_catalog *cat);

/* Lists the pods and remembers their labels (for events of pods that are
 * gone later). Call it at every step. */
void kvf_observer_poll(kvf_observer *o);

/* Answers e now. */
void kvf_observe(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out);

/* A pod's STATUS as `kubectl get pods` prints it (printPod in
 * kubernetes/pkg/printers/internalversion/printers.go): the phase, or the
 * pod's reason, or a container's waiting/terminated reason, "Init:..." for
 * init containers, "Terminating" once deleted. */
void kvf_pod_status(json_t *pod, char *buf, size_t n);
/* Whether the pod's Ready condition is True; its containers' restarts. */
bool kvf_pod_ready(json_t *pod);
int kvf_pod_restarts(json_t *pod);

/* The 95% Wilson score interval of a rate ok/n of n independent requests
 * (a binomial sample), in [0, 1]; [0, 1] when n is 0. */
void kvf_rate_interval(uint64_t ok, uint64_t n, double *lo, double *hi);
/* Whether e's success threshold lies strictly inside the 95% interval of
 * ok/n: n requests cannot tell on which side of it the rate is. ("100%"
 * never does: one failure is a difference, not a draw.) */
bool kvf_rate_within_sampling(const ks_scn_expect *e, uint64_t ok, uint64_t n);

const char *kvf_obs_state_name(kvf_obs_state s);   /* "PASS", "FAIL", ... */

#endif
