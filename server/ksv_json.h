/* ksv_json.h -- kubesim's objects as the Kubernetes API shows them: one
 * function per kind, turning what the simulation holds (sim/'s public
 * structs) into the JSON the API server would return, defaults and status
 * included, plus the small helpers they share.
 *
 * JSON comes from jansson (docs/api-server.md says why). Every builder
 * returns a new reference, or NULL when memory ran out. Times are wall
 * clock as kubectl shows them (ksv_wall_us).
 * Adding a kind: one builder here, one row in ksv_kinds.c.
 * Depends on: sim/ (ks_cluster, ks_manifest, ks_kubectl), jansson.
 */
#ifndef KSV_JSON_H
#define KSV_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "cluster/ks_cluster.h"
#include "load/ks_manifest.h"

/* What a builder reads: the simulation, and how its clock shows as wall
 * time (ksv_time.c): with a wall clock, simulated instants map to the
 * wall's times as they were reached, never ahead of the wall; without one
 * (tests), simulated t is epoch_us + t / speed (microseconds since 1970). */
typedef struct ksv_timemap ksv_timemap;
typedef struct ksv_ctx {
    ks_sim *sim;
    int64_t epoch_us;             /* the wall time of simulated 0s */
    double speed;
    int64_t (*wall_us)(void);     /* the wall clock, or NULL */
    ksv_timemap *time;            /* NULL without a wall clock */
} ksv_ctx;

/* The map of ctx (which it reads), starting at simulated now; NULL when out
   of memory. */
ksv_timemap *ksv_timemap_create(const ksv_ctx *ctx, ks_time now);
void ksv_timemap_destroy(ksv_timemap *m);
/* The wall time simulated t shows as, microseconds since 1970. */
double ksv_wall_us(const ksv_ctx *ctx, ks_time t);
/* The wall time of simulated t (after base) counted from base's at base's
   speed: a future instant fixed at base (a deletionTimestamp) that later
   segments of the map do not move. */
double ksv_wall_after_us(const ksv_ctx *ctx, ks_time base, ks_time t);

/* ---- helpers ------------------------------------------------------------------ */
/* o[key] = string s, unless s is NULL. */
void ksv_set_str(json_t *o, const char *key, const char *s);
void ksv_set_int(json_t *o, const char *key, int64_t v);
void ksv_set_bool(json_t *o, const char *key, bool v);
/* o[key] = v (stolen), unless v is NULL. */
void ksv_set(json_t *o, const char *key, json_t *v);
/* o[key] = the RFC 3339 time of simulated t (seconds, as metav1.Time). */
void ksv_set_time(const ksv_ctx *c, json_t *o, const char *key, ks_time t);
/* o[key] = the time of simulated t fixed at base (ksv_wall_after_us). */
void ksv_set_time_after(const ksv_ctx *c, json_t *o, const char *key, ks_time base, ks_time t);
/* A map of strings; NULL when m is empty and omit_empty. */
json_t *ksv_kvs(const ks_kvs *m, bool omit_empty);
/* Quantities as the API server prints them: "500m" / "2"; "128Mi". */
void ksv_cpu_text(int64_t milli, char *buf, size_t n);
void ksv_bytes_text(int64_t bytes, char *buf, size_t n);
/* The uid of an object, derived from what identifies it (stable within a run). */
void ksv_uid(uint64_t key, unsigned salt, char out[40]);
/* FNV-1a of a string, for keys of objects that have no ks_id. */
uint64_t ksv_hash(const char *s, uint64_t h);
#define KSV_HASH_SEED 0xcbf29ce484222325ULL

/* metadata: name, namespace (NULL: cluster-scoped), uid, creationTimestamp,
 * labels, annotations. The caller adds resourceVersion and the rest. */
json_t *ksv_meta(const ksv_ctx *c, const char *name, const char *ns, uint64_t uid_key, unsigned uid_salt,
                 ks_time created, const ks_kvs *labels, const ks_kvs *annotations);
/* {"apiVersion": v, "kind": k, "metadata": meta (stolen)}. */
json_t *ksv_object(const char *api_version, const char *kind, json_t *meta);
/* A selector as JSON (matchLabels, matchExpressions). */
json_t *ksv_selector(const ks_selector *s);
/* An int-or-string (maxSurge, a port): dflt when not set. */
json_t *ksv_intstr(const ks_intstr *v, const char *dflt);
/* accessModes of a claim or volume; {"storage": "1Gi"}. */
json_t *ksv_access_modes(unsigned modes);
json_t *ksv_storage(int64_t bytes);
/* An owner reference to object id (controller: true). */
json_t *ksv_owner_ref(const char *api_version, const char *kind, const char *name, ks_id id);

/* ---- pods and templates (ksv_json_pod.c) ----------------------------------------- */
json_t *ksv_pod_spec(const ks_pod_spec *spec);
json_t *ksv_pod_template(const ks_pod_template *t);
json_t *ksv_pod(const ksv_ctx *c, const ks_pod *p);
/* The tolerations spec (a pod's) gets beside its own: a DaemonSet's pods
   (daemon) the controller's, others the DefaultTolerationSeconds plugin's,
   which adds them on create and on update. */
void ksv_default_tolerations(json_t *spec, bool daemon);

/* The kinds (ksv_json_apps.c, ksv_json_net.c, ksv_json_core.c). The
 * server's store adds resourceVersion, and generation (with
 * status.observedGeneration) for objects that have a spec. */
json_t *ksv_deployment(const ksv_ctx *c, const ks_deployment *d);
json_t *ksv_replicaset(const ksv_ctx *c, const ks_replicaset *r);
json_t *ksv_service(const ksv_ctx *c, ks_id id, const ks_service *s, const ks_object *o);
/* A Service's Endpoints (svc with s), or an Endpoints object applied by hand
 * (applied); id is the one whose creation time and uid it takes. */
json_t *ksv_endpoints(const ksv_ctx *c, const ks_service *s, const ks_object *svc,
                      const ks_object *applied, ks_id id);
json_t *ksv_endpointslice(const ksv_ctx *c, const ks_service *s);
void ksv_slice_name(const char *svc, ks_id id, char *buf, size_t n);
json_t *ksv_ingress(const ksv_ctx *c, ks_id id, const ks_object *o);
json_t *ksv_ingressclass(const ksv_ctx *c, ks_id id, const ks_object *o);
json_t *ksv_node(const ksv_ctx *c, const ks_node *n);
json_t *ksv_namespace(const ksv_ctx *c, const char *name, ks_time created);
/* The coordination.k8s.io/v1 Lease of a node in kube-node-lease, as its
 * kubelet keeps it (ks_cluster_node_lease), or NULL when it has none. */
json_t *ksv_lease(const ksv_ctx *c, ks_id node);
json_t *ksv_secret(const ksv_ctx *c, ks_id id, const ks_object *o);
json_t *ksv_configmap(const ksv_ctx *c, ks_id id, const ks_object *o);
json_t *ksv_serviceaccount(const ksv_ctx *c, ks_id id, const ks_object *o);
json_t *ksv_pv(const ksv_ctx *c, const ks_pv *pv);
json_t *ksv_pvc(const ksv_ctx *c, ks_id id, const ks_object *o);
json_t *ksv_storageclass(const ksv_ctx *c, ks_id id, const ks_object *o);
/* The workload kinds kept as manifests (ksv_json_work.c): batch/v1 Jobs and
 * CronJobs, apps/v1 StatefulSets and DaemonSets, autoscaling/v2
 * HorizontalPodAutoscalers, networking.k8s.io/v1 NetworkPolicies. */
json_t *ksv_job(const ksv_ctx *c, ks_id id);
json_t *ksv_cronjob(const ksv_ctx *c, ks_id id);
json_t *ksv_statefulset(const ksv_ctx *c, ks_id id);
json_t *ksv_daemonset(const ksv_ctx *c, ks_id id);
json_t *ksv_hpa(const ksv_ctx *c, ks_id id);
/* The same HPA as autoscaling/v1 shows it: targetCPUUtilizationPercentage. */
json_t *ksv_hpa_v1(const ksv_ctx *c, ks_id id);
json_t *ksv_netpol(const ksv_ctx *c, ks_id id);
/* The ownerReferences of an object controlled by owner (a ReplicaSet, Job,
 * StatefulSet, DaemonSet, CronJob, Deployment), or NULL when none. */
json_t *ksv_owner_refs(const ksv_ctx *c, ks_id owner);
/* Event i of ks_cluster_event, key: its identity (ksv_event_key). */
json_t *ksv_event(const ksv_ctx *c, size_t i, uint64_t key);
/* The uid salt of each family of objects (objects of the store use 0). */
enum { KSV_UID_OBJECT = 0, KSV_UID_NAMESPACE, KSV_UID_EVENT, KSV_UID_SLICE, KSV_UID_ENDPOINTS,
       KSV_UID_PV, KSV_UID_LEASE };

#endif
