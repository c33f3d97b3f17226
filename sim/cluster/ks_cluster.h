/* ks_cluster.h -- the simulated cluster: its objects and what can be done
 * to them.
 *
 * The cluster lives inside a ks_sim (one per sim). Its objects are plain
 * structs, readable by anyone holding the sim (the renderer, the reporter,
 * kubectl's printers) but changed only through the functions below, which
 * act like a client of the API server: the controllers, the scheduler and
 * the kubelets then react through events, as on a real cluster.
 * Objects refer to each other by id (ks_id), never by pointer; a lookup of
 * a deleted object returns NULL, so nothing dangles. Pointers returned by
 * lookups are valid until the next event runs.
 * Depends on: core (sim, events, trace), load (manifests, catalog).
 */
#ifndef KS_CLUSTER_H
#define KS_CLUSTER_H

#include <stdbool.h>
#include <stdint.h>

#include "load/ks_catalog.h"
#include "load/ks_manifest.h"
#include "core/ks_sim.h"

typedef uint32_t ks_id;          /* 0 = no object; never reused within a sim */

/* ---- nodes ------------------------------------------------------------------ */
typedef struct ks_node {
    ks_id id;
    const char *name;
    ks_kvs labels;
    int64_t cpu, memory, max_pods;        /* allocatable (millicores, bytes) */
    int64_t cpu_used, memory_used;        /* sum of requests of its pods */
    int pods;                             /* pods bound to it (not deleted) */
    bool ready;                           /* NotReady when false */
    bool down;                            /* failed: the kubelet is gone */
    bool unschedulable;                   /* cordoned */
    bool memory_pressure;                 /* condition MemoryPressure (and its
                                             NoSchedule taint) */
    ks_time down_since;
    ks_time created;
} ks_node;

/* ---- pods -------------------------------------------------------------------- */
typedef enum ks_cstate { KS_CS_WAITING, KS_CS_RUNNING, KS_CS_TERMINATED } ks_cstate;

#define KS_LOG_LINES 40
/* The longest status texts a pod keeps, terminator included (what the
 * kubelet's and the scheduler's messages fit in) */
#define KS_CONTAINER_MESSAGE_MAX 200
#define KS_POD_REASON_MAX 320

typedef struct ks_log {                   /* a container's recent output */
    char line[KS_LOG_LINES][160];
    ks_time at[KS_LOG_LINES];
    int first, count;
} ks_log;

typedef struct ks_container_status {
    const ks_container *spec;             /* from the pod's template */
    const ks_image_entry *image;          /* its catalog behaviour */
    ks_cstate state;
    const char *reason;                   /* Waiting / Terminated reason */
    const char *message;                  /* its message: never NULL, "" when
                                             none; made only while there is
                                             one (ksi_msg_set; at most
                                             KS_CONTAINER_MESSAGE_MAX - 1
                                             bytes) */
    int exit_code;
    int restarts;
    bool ready;
    bool started;                         /* startup probe passed (or none) */
    bool started_once;                    /* started at least once (a sidecar
                                             init container counts as done) */
    ks_time started_at, finished_at;
    ks_time last_restart;                 /* for "RESTARTS 4 (62s ago)" */
    ks_time backoff_until;                /* CrashLoopBackOff: next start */
    ks_time backoff;                      /* current back-off delay */
    /* the previous run, for describe's Last State and logs --previous */
    bool has_last;
    const char *last_reason;
    int last_exit_code;
    ks_time last_started, last_finished;
    ks_log *log, *prev_log;               /* NULL until something is printed */
} ks_container_status;

typedef struct ks_pod {
    ks_id id;
    const char *name, *ns;
    ks_kvs labels, annotations;
    ks_id owner;                          /* its ReplicaSet, or 0 */
    ks_id node;                           /* 0 while unscheduled */
    const ks_pod_spec *spec;
    const char *phase;                    /* Pending, Running, Succeeded, Failed */
    const char *status;                   /* kubectl's STATUS column, now */
    bool ready;                           /* the Ready condition */
    bool terminating;                     /* deletionTimestamp set */
    bool evicted;
    const char *message;                  /* status.message (why it was
                                             evicted), or NULL */
    /* The DisruptionTarget condition (pkg/apis/core/types.go: "the pod is
     * about to be terminated due to a disruption"): its reason and message
     * as the component that set it writes them, or NULL: the kubelet's
     * eviction manager (TerminationByKubelet, status.message), the taint
     * eviction controller (DeletionByTaintManager), the eviction API of a
     * drain (EvictionByEvictionAPI). */
    const char *disruption, *disruption_message;
    ks_time disrupted_at;
    ks_time created, scheduled_at, ready_since;
    ks_time ready_changed;                /* last transition of Ready */
    ks_time deleted_at, grace_until;
    const char *pending_reason;           /* why it is not scheduled: never
                                             NULL, "" once scheduled; made only
                                             while pending (ksi_msg_set; at most
                                             KS_POD_REASON_MAX - 1 bytes) */
    char ip[16];
    ks_container_status *containers;      /* the app containers, then (at
                                             containers + ncontainers) the init
                                             containers: one array, so index c
                                             in [ncontainers, ncontainers + ninit)
                                             is init container c - ncontainers */
    size_t ncontainers;
    ks_container_status *init;            /* = containers + ncontainers */
    size_t ninit;
    int64_t cpu, memory;                  /* requests: the app containers'
                                             sum, or the largest init
                                             container's when bigger */
    uint32_t template_hash;               /* pod-template-hash of its RS */
} ks_pod;

/* ---- workloads ---------------------------------------------------------------- */
typedef struct ks_replicaset {
    ks_id id;
    const char *name, *ns;
    ks_kvs labels;
    ks_id owner;                          /* its Deployment, or 0 */
    const ks_pod_template *tmpl;
    ks_selector selector;
    int64_t replicas;                     /* desired */
    int64_t current, ready, available;    /* status */
    int revision;
    const char *hash;                     /* pod-template-hash */
    ks_time created;
} ks_replicaset;

typedef struct ks_deployment {
    ks_id id;
    const char *name, *ns;
    ks_kvs labels;
    const ks_deployment_spec *spec;       /* latest applied */
    const ks_pod_template *tmpl;          /* current template (set image,
                                             rollout restart change it) */
    int64_t replicas;                     /* desired (scale changes it) */
    int64_t ready, updated, available, total;
    int revision;
    ks_id current_rs;
    ks_time created;
} ks_deployment;

/* ---- Services and their endpoints ----------------------------------------------- */
#define KS_SERVICE_MAX_PORTS KS_MANIFEST_MAX_SERVICE_PORTS

typedef struct ks_service {
    ks_id id;
    const ks_object *obj;                 /* as applied: type, ports, selector */
    char cluster_ip[16];                  /* "None" for a headless Service */
    int node_port[KS_SERVICE_MAX_PORTS];  /* per spec port; 0 when none */
    char external_ip[32];                 /* LoadBalancer: "" while pending */
    /* Its endpoints, as the endpoints controller computes them: pods that
     * are an endpoint of at least one of its ports (a pod without the named
     * targetPort of a port is no endpoint of that port), ready ones and the
     * others; ready_ports[k] / not_ready_ports[k] have bit i set when pod k
     * is an endpoint of spec port i (ks_service_serves). */
    ks_id *ready;
    uint32_t *ready_ports;
    size_t nready;
    ks_id *not_ready;
    uint32_t *not_ready_ports;
    size_t nnot_ready;
} ks_service;

/* The pod port that Service port sp reaches on pod p: targetPort as a
 * number, or the containerPort of p named targetPort with the same
 * protocol; 0 when p has no such port (then p is no endpoint of sp:
 * FindPort in pkg/api/v1/pod/util.go). targetPort omitted is port. */
int ks_service_target_port(const ks_service_port *sp, const ks_pod *p);
/* Whether ready endpoint k of s serves its spec port i. */
bool ks_service_serves(const ks_service *s, size_t k, size_t i);
/* Whether o is the API server's own Service, default/kubernetes (no
 * selector, labelled provider=kubernetes): its endpoint is the API server,
 * not a pod; the window leaves it out of the app's Services. */
bool ks_service_is_apiserver(const ks_object *o);

/* ---- storage ------------------------------------------------------------------------ */
typedef struct ks_pvc {
    ks_id id;
    const ks_object *obj;                 /* as applied */
    const char *phase;                    /* Pending, Bound, Lost */
    const char *storage_class;            /* effective class ("" none) */
    ks_id pv;                             /* bound volume, or 0 */
    bool terminating;                     /* deleted while a pod uses it */
    ks_time deleted_at;                   /* then: when (its deletionTimestamp,
                                             set once) */
    char pending_reason[200];
} ks_pvc;

typedef struct ks_pv {
    ks_id id;
    const ks_object *obj;                 /* NULL when provisioned dynamically */
    const char *name;
    const char *phase;                    /* Available, Bound, Released, Failed */
    int64_t capacity;                     /* bytes */
    unsigned access;                      /* KS_RWO | ... */
    const char *reclaim;                  /* Delete, Retain */
    const char *storage_class;            /* "" when none */
    ks_id claim;                          /* bound claim, or 0 */
    const char *claim_ns, *claim_name;    /* "default/database-pvc" */
    ks_id node;                           /* where its data lives (hostpath) */
} ks_pv;

/* ---- Kubernetes events (kubectl get events) ----------------------------------- */
typedef struct ks_k8s_event {
    ks_time first, last;
    int count;                            /* aggregated occurrences */
    bool warning;                         /* type Warning (else Normal) */
    const char *reason;                   /* BackOff, Scheduled, ... */
    ks_kind kind;                         /* involved object */
    const char *name;
    ks_id object;
    const char *source;                   /* kubelet, default-scheduler, ... */
    char message[400];
} ks_k8s_event;

/* Events in order of their first occurrence, oldest first (an aggregated
 * event stays where it first appeared; its `last` and `count` grow): i in
 * [0, ks_cluster_event_count). The list keeps the most recent 2,000. */
size_t ks_cluster_event_count(const ks_sim *sim);
const ks_k8s_event *ks_cluster_event(const ks_sim *sim, size_t i);

/* ---- the cluster -------------------------------------------------------------- */
/* The cluster is set up by world/ks_world.h (ks_world_init), which builds it
 * and registers every controller. */

/* Lookups by id (NULL when gone) and by namespace/name. */
const ks_node *ks_cluster_node(const ks_sim *sim, ks_id id);
const ks_pod *ks_cluster_pod(const ks_sim *sim, ks_id id);
const ks_replicaset *ks_cluster_rs(const ks_sim *sim, ks_id id);
const ks_deployment *ks_cluster_deployment(const ks_sim *sim, ks_id id);
ks_id ks_cluster_find(const ks_sim *sim, ks_kind kind, const char *ns, const char *name);

/* Iteration in creation order: pass 0 to start; returns 0 at the end. */
ks_id ks_cluster_next(const ks_sim *sim, ks_kind kind, ks_id after);

/* An object's metadata.uid (version 4 layout, prefix "6b73"): key its id,
 * salt its family (0 for the objects of the store), as kubesim serve shows
 * it and the downward API's metadata.uid gives it. */
void ks_cluster_uid(uint64_t key, unsigned salt, char out[40]);

const ks_service *ks_cluster_service(const ks_sim *sim, ks_id id);
const ks_pvc *ks_cluster_pvc(const ks_sim *sim, ks_id id);
const ks_pv *ks_cluster_pv(const ks_sim *sim, ks_id id);

/* The object as last applied (Services, Secrets, claims...), or NULL. */
const ks_object *ks_cluster_object(const ks_sim *sim, ks_id id);
/* Kind of an id (KS_KIND_COUNT when gone). */
ks_kind ks_cluster_kind(const ks_sim *sim, ks_id id);
/* Wall-clock time of simulated time 0, in seconds since 1970: a scenario's
 * spec.clock, by default 2024-01-01T00:00:00Z. CronJob schedules and
 * kubectl's timestamps count from it. */
#define KS_CLUSTER_DEFAULT_CLOCK 1704067200LL
int64_t ks_cluster_clock(const ks_sim *sim);
/* When an object was created (for AGE). */
ks_time ks_cluster_created(const ks_sim *sim, ks_id id);
/* The object that controls it (its ownerReference: a Job's pods, a
 * CronJob's Jobs...), or 0. */
ks_id ks_cluster_owner(const ks_sim *sim, ks_id id);
/* Whether it is being deleted in steps (a Namespace shows Terminating). */
bool ks_cluster_terminating(const ks_sim *sim, ks_id id);
/* The namespaces every cluster has (the API server makes them:
 * pkg/controlplane/controller/systemnamespaces and the default one). */
#define KS_CLUSTER_SYSTEM_NAMESPACES 4
extern const char *const ks_cluster_system_namespaces[KS_CLUSTER_SYSTEM_NAMESPACES];
/* The namespaces of the cluster's own add-ons (kube-system, ingress-nginx):
 * what is in them is not the learner's, and lists of the learner's objects
 * leave it out. */
#define KS_CLUSTER_ADDON_NAMESPACES 2
extern const char *const ks_cluster_addon_namespaces[KS_CLUSTER_ADDON_NAMESPACES];
bool ks_cluster_addon_namespace(const char *ns);
/* Whether a namespace exists: a system one, or a Namespace object (a
 * Terminating one too). */
bool ks_cluster_namespace_exists(const ks_sim *sim, const char *ns);
/* Whether the API server refuses to delete it (NamespaceLifecycle's
 * immortal namespaces: default, kube-system, kube-public). */
bool ks_cluster_namespace_immortal(const char *ns);
/* When a system namespace was made: 0, or when kube-node-lease was made
 * again after it was deleted; -1 for a name that is not a system namespace
 * there now. */
ks_time ks_cluster_namespace_created(const ks_sim *sim, const char *ns);
/* Deletes kube-node-lease, the one system namespace the API server lets go
 * (it holds only the nodes' Leases, which go with it at once); the API server's system namespaces controller makes it again at
 * its next pass, a minute apart from the start. Returns KS_OK, or
 * KS_EUNKNOWN for any other name or while it is gone. */
int ks_cluster_namespace_delete_system(ks_sim *sim, const char *ns);

/* ---- node Leases (kube-node-lease) -------------------------------------------------
 * Each node's kubelet keeps a Lease named after its node in kube-node-lease
 * (holderIdentity the node, leaseDurationSeconds 40) and renews it every
 * 10 s, a quarter of its duration (pkg/kubelet/kubelet.go:
 * nodeLeaseRenewIntervalFraction 0.25, NodeLeaseDurationSeconds 40); a
 * failed node's kubelet renews it no more, and the node lifecycle
 * controller marks the node NotReady once the last renewal is older than
 * its grace period (ks_nodes.c). The Leases are computed, not stored: the
 * renewals happen every 10 s from the node's start, and change nothing
 * else. */
#define KS_NODE_LEASE_DURATION 40         /* seconds */
#define KS_NODE_LEASE_RENEW (10 * KS_SEC)
typedef struct ks_lease {
    const char *name;                     /* = holderIdentity: the node's name */
    ks_time created;                      /* made by the kubelet (again, after
                                             kube-node-lease was deleted) */
    ks_time renewed;                      /* spec.renewTime */
    ks_id node;                           /* its owner */
} ks_lease;
/* The Lease of node, as it is now; false when there is none (no such node,
 * or kube-node-lease deleted and not made again yet). */
bool ks_cluster_node_lease(const ks_sim *sim, ks_id node, ks_lease *out);
/* The node whose Lease is called name (0: none). */
ks_id ks_cluster_lease_find(const ks_sim *sim, const char *name);

/* ---- changes, as a client of the API server makes them ------------------------- */
typedef enum ks_apply_result { KS_APPLY_CREATED, KS_APPLY_CONFIGURED, KS_APPLY_UNCHANGED }
    ks_apply_result;

/* Creates or updates an object as `kubectl apply` does. o must outlive the
 * sim (keep its arena with ks_cluster_keep_arena). Returns KS_OK and sets
 * *res, or an error with a message in err (e.g. a field that may not
 * change, such as a Deployment's selector). */
int ks_cluster_apply(ks_sim *sim, const ks_object *o, ks_apply_result *res, ks_error *err);
/* ks_cluster_apply refuses to create an object in a namespace that does not
 * exist (KS_EUNKNOWN, err says `namespaces "NS" not found`) or is being
 * deleted (KS_EFORBIDDEN, err says `unable to create new content in
 * namespace NS because it is being terminated`): the API server's
 * NamespaceLifecycle admission (apiserver/pkg/admission/plugin/namespace/
 * lifecycle/admission.go), before any webhook. */

/* A validating admission webhook: false refuses o, with the words the API
 * server returns in msg ("admission webhook \"NAME\" denied the request:
 * ..."). Registered hooks run in order on every create and update through
 * ks_cluster_apply; a refused object is not stored. At most 8. */
typedef bool (*ks_admit_fn)(ks_sim *sim, const ks_object *o, char *msg, size_t n, void *ud);
int ks_cluster_admission_add(ks_sim *sim, ks_admit_fn fn, void *ud);
/* Hands an arena to the sim, to be freed with it (manifests applied later
 * in a run live in one). */
int ks_cluster_keep_arena(ks_sim *sim, ks_arena *ar);
/* Deletes an object. For a pod: graceful, grace_seconds < 0 meaning the
 * pod's own terminationGracePeriodSeconds; force removes it at once. A
 * Deployment or ReplicaSet takes its pods with it. KS_EUNKNOWN if absent. */
int ks_cluster_delete(ks_sim *sim, ks_id id, int64_t grace_seconds, bool force);
/* Sets an object's ownerReference, as a client may when it creates one
 * (kubectl create job --from=cronjob/NAME): the garbage collector deletes
 * it with its owner. KS_EUNKNOWN when either is gone. */
int ks_cluster_set_owner(ks_sim *sim, ks_id id, ks_id owner);
/* kubectl scale. */
int ks_cluster_scale(ks_sim *sim, ks_id deployment_or_rs, int64_t replicas);
/* kubectl set image deployment/NAME CONTAINER=IMAGE. KS_EUNKNOWN when the
 * container does not exist. */
int ks_cluster_set_image(ks_sim *sim, ks_id deployment, const char *container,
                         const char *image, ks_error *err);
/* kubectl rollout restart deployment NAME. */
int ks_cluster_rollout_restart(ks_sim *sim, ks_id deployment);
/* kubectl label KIND NAME key=value (value NULL: remove the label). */
int ks_cluster_label(ks_sim *sim, ks_id id, const char *key, const char *value);
/* kubectl cordon / uncordon NODE. */
int ks_cluster_cordon(ks_sim *sim, ks_id node, bool unschedulable);
/* kubectl drain NODE: cordons it and evicts its pods (graceful deletes). */
int ks_cluster_drain(ks_sim *sim, ks_id node);

/* ---- watching the store ----------------------------------------------------------- */
typedef enum ks_change_type { KS_ADDED, KS_UPDATED, KS_DELETED } ks_change_type;
/* Called after the cluster's own controllers heard of the change, at its
 * simulated instant. For KS_DELETED the object can still be looked up
 * during the call, for the last time. */
typedef void (*ks_watch_fn)(ks_sim *sim, ks_change_type type, ks_kind kind, ks_id id,
                            void *ud);
/* Subscribes fn to every change of every object (an API server's watch,
 * a renderer's cache). Returns KS_OK, or KS_ENOMEM when too many watch. */
int ks_cluster_watch(ks_sim *sim, ks_watch_fn fn, void *ud);
/* The store's revision: bumped at every change (a resourceVersion). */
uint64_t ks_cluster_revision(const ks_sim *sim);
/* The revision of an object's last change (0 when gone). */
uint64_t ks_cluster_version(const ks_sim *sim, ks_id id);

/* Adds a line to a container's log (workloads call this). */
void ks_cluster_log(ks_sim *sim, ks_id pod, size_t container, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Whether the pod's init containers have all completed (the Initialized
 * condition); true when it has none. */
bool ks_pod_initialized(const ks_pod *p);
/* Whether the DisruptionTarget condition comes before the kubelet's own in
 * status.conditions: the kubelet's status manager (pkg/kubelet/status
 * mergePodStatus) puts the conditions others set first and its own after;
 * a condition it sets itself (TerminationByKubelet) it appends, and one
 * another component set while no kubelet runs (a failed node) stays where
 * that component's patch appended it, last. */
bool ks_pod_disruption_first(const ks_sim *sim, const ks_pod *p);
/* The RESTARTS count kubectl prints (printPod): every init container's while
 * the pod initializes, then the sidecars' and the app containers'. */
int ks_pod_restarts(const ks_pod *p);
/* Whether status cs is of a sidecar (an init container with restartPolicy:
 * Always) that has started and runs. */
bool ks_container_sidecar_running(const ks_container_status *cs);
/* kubectl's RESTARTS column: "0", "4 (62s ago)"; while the pod initializes,
 * its init containers' restarts (printPod). */
size_t ks_pod_restarts_text(const ks_sim *sim, const ks_pod *p, char *buf, size_t n);
/* kubectl's AGE format (HumanDuration): 95s, 3m20s, 179m, 5h3m, 30h, 3d4h... */
size_t ks_age_format(ks_time age, char *buf, size_t n);
/* READY column of a pod: "1/1". */
size_t ks_pod_ready_text(const ks_pod *p, char *buf, size_t n);

/* The pod's QoS class, as the API server sets status.qosClass
 * (pkg/apis/core/helper/qos/qos.go, GetPodQOS): "Guaranteed" when every
 * container has cpu and memory limits equal to its requests, "BestEffort"
 * when no container requests or limits anything, else "Burstable". */
typedef enum ks_qos { KS_QOS_BESTEFFORT, KS_QOS_BURSTABLE, KS_QOS_GUARANTEED } ks_qos;
ks_qos ks_pod_qos(const ks_pod_spec *spec);
const char *ks_qos_name(ks_qos q);

#endif
