/* internal/cluster.h -- the inside of the simulated cluster, shared by the
 * controller files (ks_store.c, ks_sched.c, ks_kubelet.c, ks_workload.c,
 * ks_nodes.c, ks_apply.c). */
#ifndef KSI_CLUSTER_H
#define KSI_CLUSTER_H

#include "../ks_cluster.h"
#include "core/ks_event.h"
#include "core/ks_trace.h"

/* Per-pod kubelet state not shown to readers. */
typedef struct ksi_pod_state {
    ks_event_id timer;            /* the kubelet's next step for this pod */
    ks_event_id kill_timer;       /* grace period expiry */
    size_t next_container;        /* containers are set up in order */
    int pull_failures;
    ks_time pull_backoff;
    bool config_error;            /* waiting on a Secret/ConfigMap */
} ksi_pod_state;

/* Per-container timers. */
typedef struct ksi_container_state {
    ks_event_id exit_timer;       /* the workload exits (crash, shell exit) */
    ks_event_id probe_timer[3];   /* liveness, readiness, startup */
    int probe_failures[3];
    int probe_successes[3];
    ks_event_id restart_timer;
    bool image_ready;             /* pulled (or present) for this pod */
    struct ksi_proc *proc;        /* the running process (ks_container.c) */
} ksi_container_state;

typedef struct ksi_pod {
    ks_pod pub;
    ksi_pod_state st;
    ksi_container_state *cst;
} ksi_pod;

typedef struct ksi_rs {
    ks_replicaset pub;
    ks_id *pods;                  /* owned pods, live ones */
    size_t npods, cap;
} ksi_rs;

typedef struct ksi_deploy {
    ks_deployment pub;
    ks_id *rs;                    /* its ReplicaSets, oldest first */
    size_t nrs, cap;
} ksi_deploy;

typedef struct ksi_service {
    ks_service pub;
    size_t ready_cap, not_ready_cap;
    bool synced;                  /* endpoints computed at least once */
    uint64_t rr;                  /* ingress-nginx's round-robin counter */
} ksi_service;

typedef struct ksi_pvc {
    ks_pvc pub;
} ksi_pvc;

typedef struct ksi_pv {
    ks_pv pub;
} ksi_pv;

typedef struct ksi_ref {
    ks_kind kind;
    ks_time created;
    const ks_object *applied;     /* last applied manifest, or NULL */
    uint64_t applied_hash;
    void *ptr;                    /* ksi_pod, ksi_rs, ksi_deploy, ks_node, or
                                     NULL for generic objects */
} ksi_ref;

#define KSI_DNS_CACHE 64

typedef struct ksi_dns_entry {
    const char *host;             /* hostbuf once set */
    char hostbuf[128], ns[64];
    uint64_t version;
    ks_id svc;
} ksi_dns_entry;

typedef struct ksi_cluster {
    const ks_catalog *catalog;
    ksi_ref *refs;                /* by id; refs[0] unused */
    size_t nrefs, refs_cap;
    ks_arena *arena;              /* names and copies that live with the sim */
    ks_arena **kept;              /* arenas handed over by callers */
    size_t nkept, kept_cap;
    ks_k8s_event *events;         /* ring of the most recent events */
    size_t nevents, events_head;
    /* work queues: ids whose controller must look again */
    ks_id *dirty_rs, *dirty_deploy;
    size_t ndirty_rs, ndirty_deploy, dirty_rs_cap, dirty_deploy_cap;
    ks_event_id sync_event;
    ks_id *pending;               /* pods waiting for the scheduler */
    size_t npending, pending_cap;
    ks_event_id sched_event;
    uint32_t next_ip;
    ks_id *node_ids;
    size_t nnodes, node_cap;
    struct image_cache *images;   /* images present on nodes (ks_nodes.c) */
    ks_event_id endpoints_event;
    uint64_t svc_version;         /* bumped when a Service changes */
    ksi_dns_entry dns[KSI_DNS_CACHE];
    ks_event_id storage_event;
    struct ks_ingress_table *ingress; /* the controller's routes (ks_net.c) */
    bool ingress_dirty;
    bool ingress_nginx;           /* the controller is installed */
    struct ksi_traffic *traffic;  /* generators, requests, stats */
    struct ksi_dir **dirs;        /* data directories (ks_data.c) */
    size_t ndirs, dirs_cap;
    uint32_t next_dir;
    unsigned next_lb;
} ksi_cluster;

#define KSI_EVENT_RING 2000

/* The cluster of a sim (created by ks_cluster_init). */
ksi_cluster *ksi_cluster_of(const ks_sim *sim);

/* ---- store (ks_store.c) ---------------------------------------------------- */
ks_id ksi_store_add(ks_sim *sim, ks_kind kind, void *ptr, const ks_object *applied);
void ksi_store_remove(ks_sim *sim, ks_id id);
ksi_ref *ksi_store_ref(const ks_sim *sim, ks_id id);
ksi_pod *ksi_pod_get(const ks_sim *sim, ks_id id);
ksi_rs *ksi_rs_get(const ks_sim *sim, ks_id id);
ksi_deploy *ksi_deploy_get(const ks_sim *sim, ks_id id);
ks_node *ksi_node_get(const ks_sim *sim, ks_id id);
/* A string that lives as long as the sim (NULL on OOM: the sim is failed). */
const char *ksi_strdup(ks_sim *sim, const char *s);
const char *ksi_printf(ks_sim *sim, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *ksi_zalloc(ks_sim *sim, size_t n);   /* sim arena; NULL fails the sim */
/* Grows an array through the sim's allocator; -1 fails the sim. */
int ksi_grow(ks_sim *sim, void **items, size_t *cap, size_t need, size_t elem);
/* Records a Kubernetes Event and emits it on the trace. */
void ksi_event(ks_sim *sim, bool warning, const char *reason, ks_kind kind, const char *name,
               ks_id obj, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* Emits a status trace event when the pod's kubectl STATUS changed. */
void ksi_pod_update_status(ks_sim *sim, ksi_pod *p);
/* Five characters from the kubernetes alphabet, seeded. */
void ksi_random_suffix(ks_sim *sim, char out[6]);

/* ---- controllers: work queues and sync (ks_workload.c) ------------------------ */
void ksi_mark_rs(ks_sim *sim, ks_id rs);
void ksi_mark_deploy(ks_sim *sim, ks_id deploy);
/* A pod of an owner changed (readiness, phase, deletion). */
void ksi_pod_changed(ks_sim *sim, ksi_pod *p);
ks_id ksi_rs_create(ks_sim *sim, ksi_deploy *d, const ks_pod_template *tmpl, uint32_t hash,
                    int64_t replicas);
/* A pod of rs is gone for good. */
void ksi_rs_pod_removed(ks_sim *sim, ks_id rs, ks_id pod);
/* Creates a pod from a template (owner may be 0). */
ksi_pod *ksi_pod_create(ks_sim *sim, const char *name, const char *ns,
                        const ks_pod_template *tmpl, const ks_pod_spec *spec,
                        const ks_kvs *labels, ks_id owner);

/* ---- Services (ks_services.c) -------------------------------------------------- */
int ksi_service_apply(ks_sim *sim, ks_id id, const ks_object *o, ks_id *out);
/* A nodePort another Service already holds: the API server's error. */
int ksi_service_check_ports(ks_sim *sim, ks_id self, const ks_object *o, ks_error *err);
void ksi_service_free(ks_sim *sim, ks_id id);
/* Pods or Services changed: recompute every Service's endpoints. */
void ksi_endpoints_dirty(ks_sim *sim);

/* ---- storage (ks_storage.c) ---------------------------------------------------- */
int ksi_storage_init(ks_sim *sim);      /* the default StorageClass */
int ksi_storage_apply(ks_sim *sim, ks_id id, const ks_object *o, ks_error *err);
int ksi_storage_delete(ks_sim *sim, ks_id id);
void ksi_storage_dirty(ks_sim *sim);
/* Claims deleted while in use go once no pod uses them. */
void ksi_storage_release_unused(ks_sim *sim);
/* Whether the pod's claims let it be scheduled; false with the reason. */
bool ksi_storage_pod_ready(ks_sim *sim, const ks_pod *p, char *why, size_t n);
/* A trace event about a volume: what (Bound, Provisioned, Released,
 * Deleted), the claim, the volume, its capacity. */
void ksi_storage_trace(ks_sim *sim, const char *what, const char *claim, const char *pv,
                       int64_t capacity);
/* The data on a volume is gone (ks_data.c). */
void ksi_data_drop_pv(ks_sim *sim, ksi_pv *v, const char *why);

/* ---- scheduler (ks_sched.c) -------------------------------------------------- */
void ksi_sched_enqueue(ks_sim *sim, ks_id pod);
void ksi_sched_kick(ks_sim *sim);        /* something changed: try again */

/* ---- kubelet (ks_kubelet.c) ---------------------------------------------------- */
void ksi_kubelet_pod_bound(ks_sim *sim, ksi_pod *p);
void ksi_kubelet_pod_deleted(ks_sim *sim, ksi_pod *p, int64_t grace_seconds);
void ksi_kubelet_crash(ks_sim *sim, ksi_pod *p, size_t c, int exit_code, const char *reason);
void ksi_kubelet_node_down(ks_sim *sim, ks_node *n);
void ksi_kubelet_node_up(ks_sim *sim, ks_node *n);
/* A Secret or ConfigMap appeared: pods waiting on one retry soon. */
void ksi_kubelet_config_changed(ks_sim *sim);
/* Removes a pod for good (after termination). */
void ksi_pod_remove(ks_sim *sim, ksi_pod *p);
/* Container c's process ended (reason NULL: Completed/Error by code). */
void ksi_container_exited(ks_sim *sim, ksi_pod *p, size_t c, int code, const char *reason);

/* ---- nodes (ks_nodes.c) ---------------------------------------------------------- */
bool ksi_node_has_image(const ks_sim *sim, ks_id node, const char *image);
void ksi_node_add_image(ks_sim *sim, ks_id node, const char *image);

#endif
