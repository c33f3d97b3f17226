/* internal/manifest.h -- helpers shared by the manifest readers
 * (ks_manifest*.c; the helpers themselves are in ks_manifest_fields.c). */
#ifndef KSI_MANIFEST_H
#define KSI_MANIFEST_H

#include "../ks_manifest.h"
#include "../ks_read.h"

/* What the keys and values of a string map must be: anything, label keys
 * and values, annotations (keys as label keys in any case, 256 KiB in
 * all), or ConfigMap/Secret data keys (ks_check_config_key). */
typedef enum ksi_kv_rule { KSI_KV_ANY, KSI_KV_LABELS, KSI_KV_ANNOTATIONS,
                           KSI_KV_DATA } ksi_kv_rule;
/* Reads a string-to-string map (labels, data...), checking it by rule.
 * Missing is fine (empty). */
bool ksi_read_kvs(ks_reader *r, const ks_yaml_node *map, const char *key, ksi_kv_rule rule,
                  ks_kvs *out);
/* matchLabels + matchExpressions under key (required or not). */
bool ksi_read_selector(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
                       ks_selector *out);
/* An int-or-string field. */
bool ksi_read_intstr(ks_reader *r, const ks_yaml_node *map, const char *key, ks_intstr *out);
/* A resource quantity (scale -3: millicores, 0: bytes). Missing and not
 * required: true, *out untouched. */
bool ksi_read_quantity(ks_reader *r, const ks_yaml_node *map, const char *key, int scale,
                       bool required, int64_t *out);
/* Validates a name with one of the ks_check_* rules; reports at n. */
bool ksi_check_name(ks_reader *r, const ks_yaml_node *map, const char *key,
                    const char *(*rule)(const char *), const char *value);
/* Allocates n zeroed items in the arena; reports ENOMEM. */
void *ksi_alloc_items(ks_reader *r, const ks_yaml_node *at, size_t n, size_t size);

/* Which restartPolicy a pod template may have: any (a Pod), Always only
 * (Deployment, ReplicaSet, StatefulSet, DaemonSet), or not Always (a Job's
 * pods must end: OnFailure or Never, which then must be written). */
typedef enum ksi_restart_rule { KSI_RESTART_ANY, KSI_RESTART_ALWAYS, KSI_RESTART_JOB,
                                KSI_RESTART_STATEFUL } ksi_restart_rule;
/* KSI_RESTART_STATEFUL: Always, and volumeMounts are left unchecked: they
 * may name a volumeClaimTemplate, so the StatefulSet's reader checks them
 * with ksi_check_mounts once its claims are volumes of the template. */
bool ksi_check_mounts(ks_reader *r, const ks_pod_spec *ps);
/* spec.template: labels, annotations and the pod spec (ks_manifest_pod.c). */
bool ksi_read_template(ks_reader *r, const ks_yaml_node *spec, ks_pod_template *t,
                       ksi_restart_rule rule);
/* replicas (NULL: none), the required selector, the template (Always), and
 * the selector must match the template's labels. */
bool ksi_read_workload(ks_reader *r, const ks_yaml_node *spec, int64_t *replicas,
                       ks_selector *sel, ks_pod_template *t);

/* ---- what the API server serves (ks_api_versions.c) ---------------------------- */
/* Whether kind in api (group/version) is a kind Kubernetes serves itself
 * (kubectl api-resources on a 1.34 cluster), as opposed to a custom one. */
bool ksi_api_builtin(const char *kind, const char *api);
/* An API version Kubernetes stopped serving, from the deprecation guide. */
typedef struct ksi_removed_api {
    const char *version;          /* "policy/v1beta1" */
    const char *kinds;            /* its kinds, space-separated */
    const char *removed_in;       /* "1.25" */
    const char *use;              /* the version to use; NULL: none (PodSecurityPolicy) */
} ksi_removed_api;
/* kind in api when that version of it is no longer served, else NULL. */
const ksi_removed_api *ksi_api_removed(const char *api, const char *kind);

/* Per-kind readers: spec is the object's "spec" (may be NULL), doc the
 * whole document. They fill o->u and return false after reporting. */
bool ksi_read_pod(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
bool ksi_read_deployment(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
bool ksi_read_replicaset(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
bool ksi_read_service(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
bool ksi_read_endpoints(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
bool ksi_read_ingress(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
bool ksi_read_job(ks_reader *r, const ks_yaml_node *doc, ks_object *o);          /* batch */
bool ksi_read_cronjob(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
bool ksi_read_hpa(ks_reader *r, const ks_yaml_node *doc, ks_object *o);          /* autoscaling */
bool ksi_read_statefulset(ks_reader *r, const ks_yaml_node *doc, ks_object *o);  /* apps */
bool ksi_read_daemonset(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
/* A PersistentVolumeClaim's spec under doc (a claim, or a StatefulSet's
 * volumeClaimTemplates item). */
bool ksi_read_pvc(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
bool ksi_read_netpol(ks_reader *r, const ks_yaml_node *doc, ks_object *o);       /* networking */

#endif
