/* internal/cluster.h -- the inside of the simulated cluster: the object
 * store (the API server's state), its informers and the controllers' work
 * queues. Shared by sim/cluster/ and, read-mostly, by the layers above
 * (storage/, node/, net/, world/), which learn about change only through
 * ksi_informer_add.
 */
#ifndef KSI_CLUSTER_H
#define KSI_CLUSTER_H

#include <stddef.h>

#include "../ks_cluster.h"
#include "core/ks_event.h"
#include "core/ks_trace.h"

/* ---- objects ------------------------------------------------------------------ */
/* Per-pod kubelet state not shown to readers (node/ks_kubelet.c). */
typedef struct ksi_pod_state {
    ks_event_id timer;            /* the kubelet's next step for this pod */
    ks_event_id kill_timer;       /* grace period expiry */
    ks_event_id sidecar_timer;    /* the grace period's end: sidecars still waiting stop */
    ks_time kill_at;              /* when the kubelet began to stop it */
    int pull_failures;
    bool config_error;            /* waiting on a Secret/ConfigMap */
    bool admitted;                /* the kubelet of its node took it */
    bool killing;                 /* the kubelet is stopping it */
} ksi_pod_state;

/* Per-container timers (node/). */
typedef struct ksi_container_state {
    ks_event_id exit_timer;       /* the workload exits (crash, shell exit) */
    ks_event_id probe_timer[3];   /* liveness, readiness, startup */
    int probe_failures[3];
    int probe_successes[3];
    ks_event_id restart_timer;
    bool image_ready;             /* pulled (or present) for this pod */
    struct ksi_proc *proc;        /* the running process (node/ks_container.c) */
} ksi_container_state;

/* What the scheduler's cache counts a pod as (cluster/ks_sched.c): its
 * owner on its node, or zeros. */
typedef struct ksi_sched_state {
    ks_id owner, node;
} ksi_sched_state;

typedef struct ksi_pod {
    ks_pod pub;
    ksi_pod_state st;
    ksi_sched_state sched;
    ksi_container_state *cst;
    char *ref;                    /* "policy:pod/NAME", made when first
                                     asked (ksi_pod_ref gives its tail
                                     "pod/NAME"), freed with the pod */
    uint32_t ref_len;             /* strlen(ref) */
} ksi_pod;

typedef struct ksi_rs {
    ks_replicaset pub;
    ks_id *pods;                  /* owned pods, live ones */
    size_t npods, cap;
    unsigned create_failures;     /* refused creates in a row (the requeue's back-off) */
} ksi_rs;

typedef struct ksi_deploy {
    ks_deployment pub;
    ks_id *rs;                    /* its ReplicaSets, oldest first */
    size_t nrs, cap;
} ksi_deploy;

typedef struct ksi_service {
    ks_service pub;
    size_t ready_cap, not_ready_cap;      /* of pub.ready, pub.not_ready */
    size_t ready_ports_cap, not_ready_ports_cap;
    bool synced;                  /* endpoints computed at least once */
} ksi_service;

typedef struct ksi_pvc {
    ks_pvc pub;
} ksi_pvc;

typedef struct ksi_pv {
    ks_pv pub;
} ksi_pv;

typedef struct ksi_ref {
    ks_kind kind;                 /* KS_KIND_COUNT once removed */
    ks_kind listed;               /* its kind, kept after it is removed */
    ks_id next, prev;             /* objects of its kind, in creation order
                                     (a removed one keeps `next`, so that
                                     walks standing on it go on) */
    ks_time created;
    uint64_t version;             /* resourceVersion: the store revision of
                                     its last change */
    const ks_object *applied;     /* last applied manifest, or NULL */
    void *ptr;                    /* ksi_pod, ksi_rs, ksi_deploy, ks_node,
                                     ksi_service, ksi_pvc, ksi_pv, or NULL for
                                     objects that are their manifest */
    void *status;                 /* for objects that are their manifest: the
                                     status their controller keeps (made and
                                     owned by it), or NULL */
    ks_id owner;                  /* the controller that made it (its
                                     ownerReference), or 0: the garbage
                                     collector deletes it with its owner */
    ks_time deleted_at;           /* deletionTimestamp of an object that goes
                                     in steps (a Namespace); 0: none */
    bool terminating;
} ksi_ref;

/* ---- informers ---------------------------------------------------------------- */
/* A change of one object, as the store tells it to the handlers registered
 * for its kind (client-go's informer: Add/Update/Delete). */
typedef struct ksi_change {
    ks_change_type type;
    ks_kind kind;
    ks_id id;
    /* The object: its internal struct (ksi_pod, ksi_rs, ksi_deploy,
     * ks_node, ksi_service, ksi_pvc, ksi_pv), or its ks_object for kinds
     * that are their manifest. For KS_DELETED, the object as it was; valid
     * only during the call. */
    const void *obj;
    /* KS_UPDATED: the public part as it was before (ks_pod, ks_node, ...;
     * the previous ks_object for manifest kinds), or NULL when the change
     * kept no copy; valid only during the call. */
    const void *old;
} ksi_change;

typedef void (*ksi_handler_fn)(ks_sim *sim, const ksi_change *ch, void *ud);

typedef struct ksi_handler {
    ksi_handler_fn fn;
    void *ud;
    unsigned kinds;               /* bit per ks_kind */
} ksi_handler;

#define KSI_MAX_HANDLERS 48
#define KSI_KIND_BIT(k) (1u << (k))
#define KSI_MAX_WORKERS 8

/* The name index (ks_names.c): ids in an open-addressed table. */
typedef struct ksi_names {
    ks_id *slots;
    size_t n, cap;
} ksi_names;

/* ---- the cluster --------------------------------------------------------------- */
typedef struct ksi_cluster {
    const ks_catalog *catalog;
    ksi_ref *refs;                /* by id; refs[0] unused */
    size_t nrefs, refs_cap;
    ks_id first[KS_KIND_COUNT], last[KS_KIND_COUNT];   /* per kind */
    ksi_names names;              /* (kind, namespace, name) -> id */
    uint64_t revision;            /* bumped at every change */
    int64_t clock;                /* wall-clock seconds of simulated time 0 */
    ks_arena *arena;              /* names and copies that live with the sim */
    ks_arena **kept;              /* arenas handed over by callers */
    size_t nkept, kept_cap;
    ks_k8s_event *events;         /* ring of the most recent events */
    size_t nevents, events_head;
    ks_id *node_ids;              /* nodes, in creation order */
    size_t nnodes, node_cap;
    uint32_t next_ip;             /* pod IPs, 10.244.0.2 on */
    uint64_t endpoints_epoch;     /* bumped when any Service's endpoints change */
    unsigned next_lb;             /* load balancer addresses */
    bool ingress_nginx;           /* the ingress addon is installed */
    bool metrics_api;             /* the metrics-server addon registered the
                                     metrics.k8s.io API */
    bool network_policy;          /* the network plugin enforces NetworkPolicy */
    size_t pod_owned;             /* objects ever given a pod as owner */
    ks_time lease_ns_created;     /* kube-node-lease made again at (0: at the start) */
    bool lease_ns_gone;           /* kube-node-lease deleted, not yet made again */
    ks_admit_fn admit[8];         /* validating admission webhooks, in order */
    void *admit_ud[8];
    size_t nadmit;
    ksi_handler handlers[KSI_MAX_HANDLERS];   /* in registration order */
    size_t nhandlers;
    struct ksi_worker *workers[KSI_MAX_WORKERS];  /* one per work-queue priority */
    size_t nworkers;
    /* State of the layers above, each owned (made and freed) by its layer. */
    struct ksi_dns *dns;          /* cluster/ks_dns.c */
    struct ksi_data *data;        /* storage/ks_data.c */
    struct ksi_images *images;    /* node/ks_images.c */
    struct ksi_svc_env *svc_envs; /* node/ks_downward.c: Service link variables */
    struct ksi_net *net;          /* net/ks_net.c */
    struct ksi_traffic *traffic;  /* net/ks_traffic.c */
    /* A request a container's program sends (wget, curl): net/ks_fetch.c
     * fills it in, node/'s shell calls it (node/ is below net/). Returns
     * the HTTP status or a negative KS_SHELL_HTTP_* (node/ks_shell.h). */
    int (*fetch)(ks_sim *sim, ks_id from, const char *method, const char *host, int port,
                 const char *path, char *body, size_t n, char addr[64], ks_time *took);
    struct ksi_usage_state *usage; /* node/ks_usage.c */
    struct ksi_eviction *eviction; /* node/ks_eviction.c */
    struct ksi_metrics *metrics;  /* autoscale/ks_metrics.c */
} ksi_cluster;

#define KSI_EVENT_RING 2000

/* The version of the DNS records (ks_dns.c): it changes whenever a name
 * could answer differently (a Service changed, any endpoints changed), so
 * a resolver may keep an answer while it stays the same. */
uint64_t ksi_dns_version(const ks_sim *sim);
/* A version that changes whenever any Service is added, changed or removed. */
uint64_t ksi_services_version(const ks_sim *sim);

/* The cluster of a sim (created by ksi_cluster_create). */
ksi_cluster *ksi_cluster_of(const ks_sim *sim);

/* ---- life (ks_cluster.c) -------------------------------------------------------- */
/* Creates the empty cluster (store, arena, events) inside sim, torn down
 * with it. Returns KS_OK or KS_ENOMEM. */
int ksi_cluster_create(ks_sim *sim, const ks_catalog *catalog);
/* Adds a node object (o NULL: the default node-1, 4 cpu, 8Gi). */
ks_node *ksi_node_add(ks_sim *sim, const ks_object *o);

/* ---- store (ks_store.c) ----------------------------------------------------------- */
/* Puts an object in the table, where it gets its id (0: out of memory).
 * Once it is complete, ksi_store_added tells the informers (KS_ADDED). */
ks_id ksi_store_add(ks_sim *sim, ks_kind kind, void *ptr, const ks_object *applied);
void ksi_store_added(ks_sim *sim, ks_id id);
/* Tells the informers that the object changed (KS_UPDATED); old is its
 * public part before the change, or NULL. */
void ksi_store_update(ks_sim *sim, ks_id id, const void *old);
/* A change no controller reacts to (the scheduler's PodScheduled condition,
 * a status write): the object's version moves (ks_cluster_version, so an
 * API server sees it) and no informer is told. */
void ksi_store_touch(ks_sim *sim, ks_id id);
/* Tells the informers (KS_DELETED; lookups still find it meanwhile) and
 * takes the object out of the table; its memory stays the caller's to
 * free, after this returns. */
void ksi_store_remove(ks_sim *sim, ks_id id);
ksi_ref *ksi_store_ref(const ks_sim *sim, ks_id id);
/* An object's namespace ("default" for cluster-scoped ones) and name (NULL
 * for objects that have none to look up by). */
void ksi_store_name(const ks_sim *sim, ks_id id, const char **ns, const char **name);

/* ---- the name index (ks_names.c) ------------------------------------------------- */
/* The store keeps it: an object is findable by name from ksi_store_add until
 * its KS_DELETED handlers have run. */
void ksi_names_add(ks_sim *sim, ks_id id);
void ksi_names_remove(ks_sim *sim, ks_id id);
void ksi_names_fini(ks_sim *sim);
ksi_pod *ksi_pod_get(const ks_sim *sim, ks_id id);
ksi_rs *ksi_rs_get(const ks_sim *sim, ks_id id);
ksi_deploy *ksi_deploy_get(const ks_sim *sim, ks_id id);
ks_node *ksi_node_get(const ks_sim *sim, ks_id id);
ksi_service *ksi_service_get(const ks_sim *sim, ks_id id);
ksi_pvc *ksi_pvc_get(const ks_sim *sim, ks_id id);
ksi_pv *ksi_pv_get(const ks_sim *sim, ks_id id);
/* The status a controller keeps for an object of kind that is its manifest
 * (ksi_ref.status), or NULL. */
void *ksi_store_status(const ks_sim *sim, ks_id id, ks_kind kind);
/* Sets the object's owner (its ownerReference): the garbage collector
 * (ks_gc.c) deletes it when the owner goes. */
void ksi_store_set_owner(ks_sim *sim, ks_id id, ks_id owner);
/* A string that lives as long as the sim (NULL on OOM: the sim is failed). */
const char *ksi_strdup(ks_sim *sim, const char *s);
const char *ksi_printf(ks_sim *sim, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *ksi_zalloc(ks_sim *sim, size_t n);   /* sim arena; NULL fails the sim */
/* Grows an array through the sim's allocator; -1 fails the sim. */
int ksi_grow(ks_sim *sim, void **items, size_t *cap, size_t need, size_t elem);
/* Keeps a controller's list of the pods it owns as a pod change says: an
 * ADDED pod is appended, a DELETED one removed (order kept). -1 fails the sim. */
int ksi_owned_pods_track(ks_sim *sim, ks_id **pods, size_t *n, size_t *cap, const ksi_change *ch);
/* Where a controller's per-object state keeps its list of owned pods
 * (any element: an id, or an id with what the controller notes of it). */
typedef struct ksi_pod_list_at {
    size_t items, n, cap, elem;   /* offsets of the array, count and room; element size */
} ksi_pod_list_at;
#define KSI_POD_LIST_AT(type, items, n, cap)                                                     \
    {offsetof(type, items), offsetof(type, n), offsetof(type, cap),                             \
     sizeof *((type *)0)->items}
/* Frees the list in state (its object went), leaving it empty. */
void ksi_pod_list_free(ks_sim *sim, void *state, const ksi_pod_list_at *at);
/* Frees the lists of every object of kind (the sim stops). */
void ksi_pod_lists_free(ks_sim *sim, ks_kind kind, const ksi_pod_list_at *at);
/* Records a Kubernetes Event and emits it on the trace. */
void ksi_event(ks_sim *sim, bool warning, const char *reason, ks_kind kind, const char *name,
               ks_id obj, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* Five characters from the kubernetes alphabet, seeded. */
void ksi_random_suffix(ks_sim *sim, char out[6]);

/* ---- informers and work queues (ks_informer.c) ------------------------------------ */
/* Registers fn for changes of the kinds in the mask (KSI_KIND_BIT(k) | ...).
 * Handlers run in registration order, at the simulated instant of the
 * change, and only note work (they enqueue keys); the order of
 * registration is fixed (world/ks_world.c), so runs are deterministic.
 * Returns KS_OK or KS_ENOMEM when KSI_MAX_HANDLERS are taken. */
int ksi_informer_add(ks_sim *sim, unsigned kinds, ksi_handler_fn fn, void *ud);
/* Runs the handlers for one change (the store calls this). */
void ksi_informer_notify(ks_sim *sim, const ksi_change *ch);

/* A controller's work queue (client-go's workqueue): a set of keys (object
 * ids), each present at most once, drained at the simulated instant the
 * first key was added. The sync function reconciles one key from the
 * store's current state (level-triggered: ten changes before a drain cost
 * one sync).
 * Queues of one priority share a worker: one drain event that syncs every
 * queue in registration order, again and again until all are empty, so
 * controllers that feed each other (Deployment -> ReplicaSet -> Deployment)
 * settle within the instant, before anything else happens at it. */
typedef void (*ksi_sync_fn)(ks_sim *sim, void *ctl, ks_id key);

typedef enum ksi_wq_order {
    KSI_WQ_NEWEST_FIRST,          /* the last key added is synced first */
    KSI_WQ_OLDEST_OBJECT_FIRST    /* by id: objects in creation order */
} ksi_wq_order;

/* A key to be added later (ksi_wq_add_after). */
typedef struct ksi_wq_later {
    ks_id key;
    ks_time at;
    ks_event_id ev;
} ksi_wq_later;

typedef struct ksi_workqueue {
    ksi_sync_fn sync;
    void *ctl;                    /* the controller, passed to sync */
    ksi_wq_order order;
    struct ksi_worker *worker;
    ks_id *keys;
    size_t n, cap;
    ksi_wq_later *later;          /* keys waiting for their time, one each */
    size_t nlater, later_cap;
} ksi_workqueue;

/* Sets up q and joins it to the worker of priority prio (made on first
 * use). Returns KS_OK or KS_ENOMEM. */
int ksi_wq_init(ks_sim *sim, ksi_workqueue *q, int prio, ksi_wq_order order, ksi_sync_fn sync,
                void *ctl);
void ksi_wq_add(ks_sim *sim, ksi_workqueue *q, ks_id key);
/* Adds key at simulated time t (client-go's delaying queue, AddAfter), at
 * the queue's priority; a key waits once: an earlier time already set
 * stands, a later one is brought forward to t. */
void ksi_wq_add_after(ks_sim *sim, ksi_workqueue *q, ks_id key, ks_time t);
/* Drops key's wait (its object went). */
void ksi_wq_forget(ks_sim *sim, ksi_workqueue *q, ks_id key);
void ksi_wq_fini(ks_sim *sim, ksi_workqueue *q);
/* The start of a workload controller's handler of its own kind (Jobs,
 * StatefulSets, DaemonSets, which keep a list of their pods in their
 * state): true when the change asks nothing more of it -- the object went
 * (its key leaves q, the pod list in state, if any, is freed) or it is
 * the controller's own status update (no old object). */
bool ksi_workload_settled(ks_sim *sim, const ksi_change *ch, ksi_workqueue *q, void *state,
                          const ksi_pod_list_at *at);
/* A controller of objects that keep a list of their pods (Jobs,
 * StatefulSets, DaemonSets): its work queue, and what its teardown frees
 * with the queue: the pod list of every object of kind. */
typedef struct ksi_workload_ctl {
    ksi_workqueue queue;
    ks_kind kind;
    const ksi_pod_list_at *pods;
} ksi_workload_ctl;
/* Starts one, torn down with the sim: its queue at prio in order, synced
 * by sync, and informers on kind (on_obj) then on pods (on_pod). Returns
 * it (the handlers' and sync's ctl), or NULL when out of memory. */
ksi_workload_ctl *ksi_workload_ctl_start(ks_sim *sim, ks_kind kind, const ksi_pod_list_at *pods,
                                         int prio, ksi_wq_order order, ksi_sync_fn sync,
                                         ksi_handler_fn on_obj, ksi_handler_fn on_pod);

/* Drain priorities at one instant, lowest first: the Deployment and
 * ReplicaSet controllers (one worker, Deployments first: a Deployment's
 * scaling reaches its ReplicaSets in the same instant), then CronJobs and
 * Jobs, then the garbage collector, then volumes, then endpoints (which see
 * the pods the others have just made or removed). */
#define KSI_PRIO_WORKLOADS 200
#define KSI_PRIO_BATCH     201    /* CronJob -> Job -> TTL: one worker */
#define KSI_PRIO_GC        203    /* the garbage collector, namespaces */
#define KSI_PRIO_VOLUMES   205
#define KSI_PRIO_ENDPOINTS 210

/* ---- pods (ks_pods.c) --------------------------------------------------------------- */
/* The ServiceAccount admission plugin on a pod create: the pod's
 * serviceAccountName must name a ServiceAccount of its namespace ("default"
 * always does: the service account controller makes it in every namespace);
 * false with the API server's Forbidden in msg (name: the pod's name, or a
 * controller's generateName prefix). */
bool ksi_pod_admit_sa(const ks_sim *sim, const char *ns, const ks_pod_spec *spec,
                      const char *name, char *msg, size_t n);
/* Creates a pod from a template (owner may be 0) and adds it to the store.
 * NULL when out of memory (the sim is failed). */
ksi_pod *ksi_pod_create(ks_sim *sim, const char *name, const char *ns,
                        const ks_pod_template *tmpl, const ks_pod_spec *spec,
                        const ks_kvs *labels, ks_id owner);
/* The pod's status changed (its kubelet, the scheduler, the node
 * controller): recomputes kubectl's STATUS (a trace event when it changed)
 * and tells the informers. old: its public part before, or NULL. */
void ksi_pod_update(ks_sim *sim, ksi_pod *p, const ks_pod *old);
/* Sets the pod's DisruptionTarget condition (reason and message as the
 * component writes them), unless it has one; the delete that follows
 * tells the informers. */
void ksi_pod_disrupt(ks_sim *sim, ksi_pod *p, const char *reason, const char *message);
/* Marks a pod for deletion with a grace period in seconds (the API
 * server's graceful delete): a pod that is not on a node goes at once;
 * otherwise its kubelet takes it from there. */
void ksi_pod_delete(ks_sim *sim, ksi_pod *p, int64_t grace_seconds);
/* Removes a pod from the store for good and frees it (its kubelet is done
 * with it, or it never had one). */
void ksi_pod_remove(ks_sim *sim, ksi_pod *p);
/* Frees a pod at the cluster's teardown, telling no one. */
void ksi_pod_free(ks_sim *sim, ksi_pod *p);
/* "pod/NAME" (kubectl's form, the trace's hop ends): made once per pod, on
 * first use, so a request's hops format nothing. Valid while p lives;
 * "pod/?" when out of memory (the sim then fails). */
const char *ksi_pod_ref(ks_sim *sim, ksi_pod *p);
/* "policy:pod/NAME": where a NetworkPolicy drops a connection to the pod
 * (a hop's end in the trace). */
const char *ksi_pod_policy_ref(ks_sim *sim, ksi_pod *p);
/* strlen of ksi_pod_ref's and ksi_pod_policy_ref's strings, kept with them:
 * the trace hashes a hop's ends without measuring them. */
size_t ksi_pod_ref_len(ks_sim *sim, ksi_pod *p);
size_t ksi_pod_policy_ref_len(ks_sim *sim, ksi_pod *p);

/* A pod's status texts (pending_reason, a container's message): *slot
 * becomes the formatted text cut to max - 1 bytes (as a char[max] kept it),
 * allocated, or "" (nothing allocated) when empty; the text it replaces is
 * freed. A pod with nothing to say carries no buffer. */
void ksi_msg_set(ks_sim *sim, const char **slot, size_t max, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ksi_msg_free(ks_sim *sim, const char *msg);

/* ---- ReplicaSets (ks_replicaset.c) ---------------------------------------------------- */
/* Creates a ReplicaSet object: Deployment d's (o NULL), with the template's
 * hash as its pod-template-hash, or one applied on its own (d NULL, o its
 * manifest). Returns its id or 0. */
ks_id ksi_rs_create(ks_sim *sim, ksi_deploy *d, const ks_object *o, const ks_pod_template *tmpl,
                    uint32_t hash, int64_t replicas);

/* Kubernetes' SafeEncodeString of a decimal hash: "79cdbdb6fb" (a
 * pod-template-hash, a controller-revision-hash). */
const char *ksi_hash_text(ks_sim *sim, uint32_t h);

/* ---- Services (ks_services.c) ------------------------------------------------------ */
int ksi_service_apply(ks_sim *sim, ks_id id, const ks_object *o, ks_id *out);
/* A nodePort another Service already holds: the API server's error. */
int ksi_service_check_ports(ks_sim *sim, ks_id self, const ks_object *o, ks_error *err);
void ksi_service_free(ks_sim *sim, ks_id id);

/* ---- namespaces (ks_namespace.c) ------------------------------------------------------ */
/* NamespaceLifecycle on a create (see ks_cluster_apply). */
int ksi_namespace_admit(ks_sim *sim, const ks_object *o, ks_error *err);

/* ---- claims, volumes and classes (ks_claims.c) ----------------------------------------- */
int ksi_claims_init(ks_sim *sim);      /* the default StorageClass */
int ksi_claims_apply(ks_sim *sim, ks_id id, const ks_object *o, ks_error *err);
int ksi_claims_delete(ks_sim *sim, ks_id id);
/* The StorageClass named name, or NULL. */
const ks_object *ksi_claims_class(const ks_sim *sim, const char *name);
/* A volume for claim c from class sc's provisioner, bound to it (the
 * external provisioner's work, with its events). */
void ksi_claims_provision(ks_sim *sim, ksi_pvc *c, const ks_object *sc);
/* Binds claim c to volume v (both sides, with a trace event). */
void ksi_claims_bind(ks_sim *sim, ksi_pvc *c, ksi_pv *v);
/* A trace event about a volume: what (Bound, Provisioned, Released,
 * Deleted), the claim, the volume, its capacity. */
void ksi_claims_trace(ks_sim *sim, const char *what, const char *claim, const char *pv,
                      int64_t capacity);

#endif
