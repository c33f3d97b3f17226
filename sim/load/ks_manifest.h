/* ks_manifest.h -- Kubernetes objects as read from manifests.
 *
 * The loader turns the YAML a learner would `kubectl apply` (files, folders,
 * multi-document streams, inline text) into these typed, validated structs.
 * Everything lives in the arena given to the loader: strings, arrays and
 * objects are freed together with it. Fields the simulation does not use
 * are accepted and dropped; misspellings of known fields warn.
 * Depends on: ks_yaml, ks_read, ks_diag.
 */
#ifndef KS_MANIFEST_H
#define KS_MANIFEST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ks_diag.h"
#include "ks_cron.h"
#include "ks_yaml.h"

typedef enum ks_kind {
    KS_KIND_NAMESPACE, KS_KIND_NODE, KS_KIND_POD, KS_KIND_DEPLOYMENT,
    KS_KIND_REPLICASET, KS_KIND_SERVICE, KS_KIND_ENDPOINTS, KS_KIND_INGRESS,
    KS_KIND_INGRESSCLASS, KS_KIND_SECRET, KS_KIND_CONFIGMAP, KS_KIND_PV,
    KS_KIND_PVC, KS_KIND_STORAGECLASS, KS_KIND_JOB, KS_KIND_CRONJOB,
    KS_KIND_HPA, KS_KIND_NETPOL,
    KS_KIND_STATEFULSET, KS_KIND_DAEMONSET, KS_KIND_SERVICEACCOUNT,
    KS_KIND_COUNT
} ks_kind;

/* "Deployment", and the resource name kubectl prints: "deployment.apps". */
const char *ks_kind_name(ks_kind k);
const char *ks_kind_resource(ks_kind k);
/* Whether objects of a kind live in a namespace (a Node, PersistentVolume,
 * StorageClass, IngressClass or Namespace does not). */
bool ks_kind_namespaced(ks_kind k);
/* The resource's plural with its group, as API errors name it:
 * "deployments.apps", "networkpolicies.networking.k8s.io", "pods". */
const char *ks_kind_plural(ks_kind k);

typedef struct ks_kv {
    const char *key, *value;
} ks_kv;

typedef struct ks_kvs {           /* labels, annotations, data, ... */
    ks_kv *items;
    size_t n;
} ks_kvs;

/* The value of key, or NULL. */
const char *ks_kvs_get(const ks_kvs *m, const char *key);

typedef struct ks_meta {
    const char *name;
    const char *ns;               /* "default" when not given */
    ks_kvs labels, annotations;
    ks_mark mark;                 /* the document */
    ks_mark name_mark;
} ks_meta;

/* ---- selectors ---------------------------------------------------------- */
typedef enum ks_sel_op { KS_SEL_IN, KS_SEL_NOT_IN, KS_SEL_EXISTS, KS_SEL_NOT_EXISTS } ks_sel_op;

typedef struct ks_sel_req {
    const char *key;
    ks_sel_op op;
    const char **values;
    size_t nvalues;
} ks_sel_req;

typedef struct ks_selector {      /* matchLabels AND matchExpressions */
    ks_kvs match;
    ks_sel_req *exprs;
    size_t nexprs;
} ks_selector;

/* Whether labels satisfy sel (an empty selector matches everything). */
bool ks_selector_matches(const ks_selector *sel, const ks_kvs *labels);

/* ---- pod template pieces ---------------------------------------------------- */
/* valueFrom: FIELD has the fieldPath in ref_key; RESOURCE the resource in
 * ref_key, its containerName in ref_name and divisor in value_divisor. */
typedef enum ks_ref_kind {
    KS_REF_NONE, KS_REF_SECRET, KS_REF_CONFIGMAP, KS_REF_FIELD, KS_REF_RESOURCE
} ks_ref_kind;

typedef struct ks_env_var {
    const char *name;
    const char *value;            /* literal value, or NULL with a ref */
    ks_ref_kind ref;              /* valueFrom */
    const char *ref_name, *ref_key;
    const char *divisor;          /* resourceFieldRef's, NULL: 1 */
    bool optional;
    ks_mark mark;
} ks_env_var;

typedef struct ks_env_from {
    ks_ref_kind ref;              /* SECRET or CONFIGMAP */
    const char *name, *prefix;
    bool optional;
    ks_mark mark;
} ks_env_from;

typedef struct ks_port {          /* containerPort */
    const char *name;
    int port;
    const char *protocol;         /* "TCP" */
} ks_port;

typedef struct ks_mount {
    const char *name, *path, *sub_path;
    bool read_only;
    ks_mark mark;
} ks_mount;

typedef enum ks_probe_type { KS_PROBE_NONE, KS_PROBE_HTTP, KS_PROBE_TCP, KS_PROBE_EXEC,
                             KS_PROBE_GRPC } ks_probe_type;

typedef struct ks_probe {
    ks_probe_type type;
    const char *path;             /* httpGet */
    int port;                     /* httpGet / tcpSocket / grpc, 0 with port_name */
    const char *port_name;
    const char **command;         /* exec */
    size_t ncommand;
    int initial_delay, period, timeout, success_threshold, failure_threshold; /* s */
    int grace;                    /* terminationGracePeriodSeconds, -1 = pod's */
} ks_probe;

typedef struct ks_container {
    const char *name, *image, *pull_policy;
    const char **command, **args;
    size_t ncommand, nargs;
    ks_env_var *env;
    size_t nenv;
    ks_env_from *env_from;
    size_t nenv_from;
    ks_port *ports;
    size_t nports;
    ks_mount *mounts;
    size_t nmounts;
    ks_probe liveness, readiness, startup;
    int64_t cpu_request, cpu_limit;       /* millicores, 0 = none */
    int64_t mem_request, mem_limit;       /* bytes, 0 = none */
    int64_t eph_request, eph_limit;       /* ephemeral-storage, bytes, 0 = none
                                             (the downward API's only) */
    ks_mark mark, image_mark;
    ks_mark command_mark;         /* command (else args, else the container) */
    bool sidecar;             /* an init container with restartPolicy: Always
                                 (KEP-753): started in its turn, it keeps
                                 running beside the app containers */
} ks_container;

typedef enum ks_volume_type { KS_VOL_EMPTYDIR, KS_VOL_HOSTPATH, KS_VOL_PVC, KS_VOL_SECRET,
                              KS_VOL_CONFIGMAP, KS_VOL_DOWNWARD_API, KS_VOL_PROJECTED,
                              KS_VOL_OTHER } ks_volume_type;

typedef struct ks_volume {
    const char *name;
    ks_volume_type type;
    const char *source;           /* claimName, hostPath path, secret/configMap name */
    bool memory;                  /* emptyDir medium: Memory */
    int64_t size_limit;           /* emptyDir sizeLimit, bytes */
    bool read_only;
    ks_kvs items;                 /* configMap/secret items: path -> key (only
                                     these keys are files, at these paths) */
    ks_mark mark;
} ks_volume;

typedef struct ks_pod_spec {
    ks_container *containers, *init;
    size_t ncontainers, ninit;
    ks_volume *volumes;
    size_t nvolumes;
    const char *restart_policy;   /* Always (default), OnFailure, Never */
    const char *node_name;
    const char *hostname, *subdomain;     /* DNS: <hostname>.<subdomain>.<ns>.svc */
    bool no_service_links;        /* enableServiceLinks: false */
    const char *service_account;  /* serviceAccountName (or the deprecated
                                     serviceAccount); NULL: "default" */
    ks_kvs node_selector;
    int64_t grace_seconds;        /* terminationGracePeriodSeconds, default 30 */
    const ks_yaml_node *tolerations, *affinity; /* as written, or NULL: kubesim does
                                     not simulate them (a warning says so), the
                                     API returns them and compares them on updates */
    bool daemon;                  /* a DaemonSet's pod: it tolerates the taints of
                                     node conditions (its controller adds them:
                                     pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations) */
} ks_pod_spec;

typedef struct ks_pod_template {
    ks_kvs labels, annotations;
    ks_pod_spec spec;
    ks_mark mark;
    uint32_t hash;                /* of its content: the pod-template-hash */
} ks_pod_template;

/* Whether a and b are the same template as the API server compares them
 * (after its defaults: ks_template_equal.c); with KS_TMPL_MUTABLE_SCHEDULING
 * the labels, annotations, nodeSelector, tolerations and affinity may differ (a suspended Job that
 * never started: pkg/apis/batch/validation validatePodTemplateUpdate). */
#define KS_TMPL_MUTABLE_SCHEDULING 1u
bool ks_pod_template_equal(const ks_pod_template *a, const ks_pod_template *b, unsigned flags);

/* A container's imagePullPolicy, defaulted as SetDefaults_Container does:
 * Always for :latest or no tag, IfNotPresent otherwise. */
const char *ks_container_pull_policy(const ks_container *c);
/* The imagePullPolicy an image gets when none is given (the same rule). */
const char *ks_image_pull_policy(const char *image);

/* A pod template's hash (ReplicaSets' pod-template-hash, revisions): over
 * the template after the API server's defaults, keys in any order, so that
 * the template sent back with its defaults is the same one
 * (ks_template_hash.c). */
uint32_t ks_template_hash(const ks_yaml_node *tmpl);
/* A hash of n's content with each map's keys in any order and empty values
 * as absent (no defaults): equal for the same tolerations or affinity sent
 * back as JSON with its keys sorted. */
uint32_t ks_yaml_hash_unordered(const ks_yaml_node *n);


/* An int-or-string field (targetPort, maxSurge): a number, a name, or N%. */
typedef struct ks_intstr {
    bool set, is_str, percent;
    int64_t num;
    const char *str;
} ks_intstr;

/* ---- kinds ---------------------------------------------------------------- */
typedef struct ks_deployment_spec {
    int64_t replicas;             /* default 1 */
    ks_selector selector;
    ks_pod_template tmpl;
    bool recreate;                /* strategy.type Recreate */
    ks_intstr max_surge, max_unavailable;    /* default 25% / 25% */
    int64_t min_ready_seconds, revision_history_limit, progress_deadline;
} ks_deployment_spec;

typedef struct ks_replicaset_spec {
    int64_t replicas;
    ks_selector selector;
    ks_pod_template tmpl;
} ks_replicaset_spec;

/* batch/v1 Job. Defaults as pkg/apis/batch/v1/defaults.go SetDefaults_Job:
 * completions and parallelism 1 when neither is given, parallelism 1,
 * backoffLimit 6, suspend false. */
typedef struct ks_job_spec {
    int64_t parallelism;
    int64_t completions;          /* -1: not given (a work queue: done when
                                     one pod succeeded and none is active) */
    int64_t backoff_limit;
    int64_t active_deadline;      /* activeDeadlineSeconds; -1: none */
    int64_t ttl_after_finished;   /* ttlSecondsAfterFinished; -1: none */
    bool suspend;
    bool parallelism_set, completions_set;  /* written in the manifest */
    ks_pod_template tmpl;         /* restartPolicy OnFailure or Never */
} ks_job_spec;

/* batch/v1 CronJob. Defaults as pkg/apis/batch/v1/defaults.go
 * SetDefaults_CronJob: concurrencyPolicy Allow, suspend false, history
 * limits 3 successful and 1 failed. */
typedef enum ks_concurrency { KS_CONCURRENCY_ALLOW, KS_CONCURRENCY_FORBID,
                              KS_CONCURRENCY_REPLACE } ks_concurrency;

typedef struct ks_cronjob_spec {
    const char *schedule;         /* as written */
    ks_cron cron;                 /* parsed (ks_cron.h) */
    const char *time_zone;        /* NULL, or UTC / Etc/UTC */
    ks_concurrency concurrency;
    bool suspend;
    int64_t starting_deadline;    /* startingDeadlineSeconds; -1: none */
    int64_t successful_history, failed_history;
    ks_kvs job_labels, job_annotations;     /* jobTemplate.metadata */
    ks_job_spec job;              /* jobTemplate.spec */
} ks_cronjob_spec;

/* autoscaling/v2 HorizontalPodAutoscaler (autoscaling/v1 read into the
 * same). Defaults as pkg/apis/autoscaling/v2/defaults.go: minReplicas 1;
 * no metrics: cpu at 80 % of requests (autoscaling.DefaultCPUUtilization);
 * a behavior given fills what it leaves out with the default rules
 * (GenerateHPAScaleUpRules/ScaleDownRules): scale up 0 s window, Max of
 * {4 Pods, 100 Percent} per 15 s; scale down Max of {100 Percent per 15 s},
 * its window the controller's (300 s). */
typedef enum ks_hpa_select { KS_HPA_SELECT_MAX, KS_HPA_SELECT_MIN, KS_HPA_SELECT_DISABLED }
    ks_hpa_select;

typedef struct ks_hpa_policy {
    bool percent;                 /* type Percent, else Pods */
    int32_t value, period;        /* periodSeconds */
} ks_hpa_policy;

#define KS_HPA_MAX_POLICIES 10
typedef struct ks_hpa_rules {
    ks_hpa_select select;
    int32_t window;               /* stabilizationWindowSeconds; -1: not set */
    ks_hpa_policy policies[KS_HPA_MAX_POLICIES];
    size_t npolicies;
} ks_hpa_rules;

/* metrics[].type: Resource (the metrics-server's cpu and memory, the pod's
 * containers summed), ContainerResource (one container's), or Pods,
 * Object and External, which need a custom or external metrics adapter:
 * kubesim's minikube has none (no custom.metrics.k8s.io nor
 * external.metrics.k8s.io API), so the controller reports them unavailable
 * in its own words. */
typedef enum ks_hpa_source { KS_HPA_RESOURCE, KS_HPA_PODS, KS_HPA_OBJECT, KS_HPA_EXTERNAL,
                             KS_HPA_CONTAINER_RESOURCE } ks_hpa_source;

typedef struct ks_hpa_metric {
    const char *resource;         /* "cpu" or "memory"; Pods/Object/External: metric.name */
    bool utilization;             /* target type Utilization, else AverageValue */
    int32_t average_utilization;  /* percent of requests */
    int64_t average_value;        /* Resource: millicores or bytes; others: milli-units
                                     (averageValue, or value when `value`) */
    ks_hpa_source source;
    bool value;                   /* Object/External: target type Value */
    const char *object_kind, *object_name;   /* Object: describedObject */
    const char *container;        /* ContainerResource: the container's name */
    const char *selector;         /* metric.selector as Go prints it
                                     ("&LabelSelector{...}"), or NULL */
    ks_selector metric_selector;  /* the same, read (empty when none) */
} ks_hpa_metric;

/* Resource and ContainerResource: read from the resource metrics API. */
static inline bool ks_hpa_is_resource(const ks_hpa_metric *m)
{
    return m->source == KS_HPA_RESOURCE || m->source == KS_HPA_CONTAINER_RESOURCE;
}

#define KS_HPA_MAX_METRICS 8
typedef struct ks_hpa_spec {
    const char *target_kind, *target_name, *target_api;   /* scaleTargetRef */
    int32_t min_replicas, max_replicas;
    ks_hpa_metric metrics[KS_HPA_MAX_METRICS];
    size_t nmetrics;
    bool has_behavior;            /* spec.behavior given: up and down are set */
    ks_hpa_rules up, down;
} ks_hpa_spec;
/* apps/v1 StatefulSet. Defaults as pkg/apis/apps/v1/defaults.go
 * SetDefaults_StatefulSet: replicas 1, podManagementPolicy OrderedReady,
 * updateStrategy RollingUpdate with partition 0, revisionHistoryLimit 10,
 * persistentVolumeClaimRetentionPolicy whenDeleted Retain, whenScaled
 * Retain. */
typedef struct ks_statefulset_spec {
    int64_t replicas;
    ks_selector selector;
    ks_pod_template tmpl;         /* its volumes include one per claim
                                     template (type PVC, source NULL: the
                                     claim of each pod's ordinal) */
    const char *service_name;     /* serviceName, or NULL */
    bool parallel;                /* podManagementPolicy Parallel */
    bool on_delete;               /* updateStrategy OnDelete */
    int64_t partition;            /* rollingUpdate.partition */
    int64_t min_ready_seconds, revision_history_limit;
    bool delete_when_deleted;     /* retention policy whenDeleted: Delete */
    bool delete_when_scaled;      /* whenScaled: Delete */
    struct ks_object **claims;    /* volumeClaimTemplates, as claims (kind
                                     PersistentVolumeClaim, name = template's) */
    size_t nclaims;
} ks_statefulset_spec;

/* apps/v1 DaemonSet. Defaults as pkg/apis/apps/v1/defaults.go
 * SetDefaults_DaemonSet: updateStrategy RollingUpdate with maxUnavailable 1
 * and maxSurge 0, revisionHistoryLimit 10. */
typedef struct ks_daemonset_spec {
    ks_selector selector;
    ks_pod_template tmpl;
    bool on_delete;               /* updateStrategy OnDelete */
    ks_intstr max_unavailable;    /* default 1 */
    int64_t min_ready_seconds, revision_history_limit;
} ks_daemonset_spec;

/* networking.k8s.io/v1 NetworkPolicy. policyTypes default to Ingress, plus
 * Egress when egress rules are given (pkg/apis/networking/v1/defaults.go
 * SetDefaults_NetworkPolicy). A peer with neither selector nor ipBlock is
 * refused, as the API server does (validation.go ValidateNetworkPolicyPeer). */
typedef struct ks_netpol_peer {
    bool has_pods, has_namespaces;
    ks_selector pods, namespaces; /* podSelector, namespaceSelector */
    const char *cidr;             /* ipBlock, or NULL */
    bool v6;                      /* an IPv6 block: no pod of kubesim's is in it */
    uint32_t net, mask;           /* the cidr's IPv4 network and mask */
    uint32_t *except_net, *except_mask;
    size_t nexcept;
    const char **except;          /* as written */
} ks_netpol_peer;

typedef struct ks_netpol_port {
    const char *protocol;         /* TCP (default), UDP, SCTP */
    bool any_port;                /* no port: every port of the protocol */
    ks_intstr port;               /* a number or a named container port */
    int end_port;                 /* 0: none */
} ks_netpol_port;

typedef struct ks_netpol_rule {
    ks_netpol_peer *peers;        /* from / to; none: every peer */
    size_t npeers;
    ks_netpol_port *ports;        /* none: every port */
    size_t nports;
} ks_netpol_rule;

typedef struct ks_netpol_spec {
    ks_selector pod_selector;     /* empty: every pod of its namespace */
    bool ingress, egress;         /* policyTypes */
    ks_netpol_rule *in, *out;
    size_t nin, nout;
} ks_netpol_spec;

typedef struct ks_service_port {
    const char *name, *protocol;
    int port;
    ks_intstr target_port;        /* defaults to port */
    int node_port;                /* 0 = allocate (NodePort/LoadBalancer) */
    ks_mark mark;
} ks_service_port;

typedef enum ks_service_type { KS_SVC_CLUSTERIP, KS_SVC_NODEPORT, KS_SVC_LOADBALANCER,
                               KS_SVC_EXTERNALNAME } ks_service_type;

typedef struct ks_service_spec {
    ks_service_type type;
    bool headless;                /* clusterIP: None */
    const char *cluster_ip;       /* as given, or NULL */
    ks_kvs selector;              /* empty: no selector (manual Endpoints) */
    ks_service_port *ports;
    size_t nports;
    bool affinity_client_ip;
    bool publish_not_ready;       /* publishNotReadyAddresses */
    const char *external_name;
} ks_service_spec;

typedef struct ks_endpoint_addr {
    const char *ip;
    bool ready;
    int port;                     /* its subset's first port (0: none given) */
    const char *port_name;        /* and that port's name (NULL: none) */
} ks_endpoint_addr;

typedef struct ks_endpoints_spec {       /* read-only: accepted and shown */
    ks_endpoint_addr *addrs;
    size_t naddrs;
} ks_endpoints_spec;

typedef enum ks_path_type { KS_PATH_PREFIX, KS_PATH_EXACT, KS_PATH_IMPL } ks_path_type;

typedef struct ks_ingress_backend {
    const char *service;
    int port;                     /* 0 with port_name */
    const char *port_name;
    ks_mark mark;
} ks_ingress_backend;

typedef struct ks_ingress_path {
    const char *path;             /* "/" when not given */
    ks_path_type type;
    ks_ingress_backend backend;
    ks_mark mark;
} ks_ingress_path;

typedef struct ks_ingress_rule {
    const char *host;             /* NULL: every host */
    ks_ingress_path *paths;
    size_t npaths;
    ks_mark mark;
} ks_ingress_rule;

typedef struct ks_ingress_spec {
    const char *class_name;       /* spec.ingressClassName, or the old
                                     kubernetes.io/ingress.class annotation */
    bool class_from_annotation;
    bool legacy;                  /* extensions/v1beta1 or networking v1beta1 */
    bool has_default_backend;
    ks_ingress_backend default_backend;
    ks_ingress_rule *rules;
    size_t nrules;
    const char **tls_hosts;
    size_t ntls_hosts;
} ks_ingress_spec;

typedef struct ks_ingressclass_spec {
    const char *controller;
    bool is_default;
} ks_ingressclass_spec;

typedef struct ks_secret_spec {
    const char *type;             /* Opaque */
    ks_kvs data;                  /* decoded values (data and stringData merged) */
} ks_secret_spec;

typedef struct ks_serviceaccount_spec {
    const char **pull_secrets;    /* imagePullSecrets' names (describe shows them) */
    size_t npull;
} ks_serviceaccount_spec;

typedef struct ks_configmap_spec {
    ks_kvs data;
} ks_configmap_spec;

/* Access modes as a bit set. */
enum { KS_RWO = 1, KS_ROX = 2, KS_RWX = 4, KS_RWOP = 8 };
/* "RWO,RWX" as kubectl prints access modes. */
size_t ks_access_modes_format(unsigned modes, char *buf, size_t n);

typedef struct ks_pv_spec {
    int64_t capacity;             /* bytes */
    unsigned access;
    const char *reclaim;          /* Retain (static default), Delete, Recycle */
    const char *storage_class;    /* "" when none */
    const char *host_path;
    const char *claim_ns, *claim_name;    /* claimRef (pre-binding) */
} ks_pv_spec;

typedef struct ks_pvc_spec {
    int64_t request;              /* bytes */
    unsigned access;
    const char *storage_class;    /* NULL = not set (default class), "" = none */
    const char *volume_name;
} ks_pvc_spec;

typedef struct ks_storageclass_spec {
    const char *provisioner;
    const char *reclaim;          /* Delete (default) or Retain */
    bool wait_for_consumer;       /* volumeBindingMode WaitForFirstConsumer */
    bool is_default;              /* storageclass.kubernetes.io/is-default-class */
} ks_storageclass_spec;

typedef struct ks_node_spec {
    int64_t cpu;                  /* millicores allocatable */
    int64_t memory;               /* bytes allocatable */
    int64_t max_pods;             /* default 110 */
    bool unschedulable;
} ks_node_spec;

typedef struct ks_object {
    ks_kind kind;
    const char *api_version;
    ks_meta meta;
    ks_mark mark;                 /* the document's first line */
    uint64_t hash;                /* of the document's content */
    union {
        ks_pod_spec pod;
        ks_deployment_spec deploy;
        ks_replicaset_spec rs;
        ks_job_spec job;
        ks_cronjob_spec cronjob;
        ks_hpa_spec hpa;
        ks_statefulset_spec sts;
        ks_daemonset_spec ds;
        ks_netpol_spec netpol;
        ks_service_spec svc;
        ks_endpoints_spec ep;
        ks_ingress_spec ing;
        ks_ingressclass_spec ingclass;
        ks_secret_spec secret;
        ks_configmap_spec cm;
        ks_serviceaccount_spec sa;
        ks_pv_spec pv;
        ks_pvc_spec pvc;
        ks_storageclass_spec sc;
        ks_node_spec node;
    } u;
} ks_object;

/* A set of loaded objects, in file order (files in name order). */
typedef struct ks_manifests {
    ks_object **objs;
    size_t n, cap;
    size_t files;                 /* manifest files read */
    size_t unknown_kinds;         /* documents skipped for an unknown kind */
} ks_manifests;

#define KS_MANIFEST_MAX_OBJECTS 10000
#define KS_MANIFEST_MAX_REPLICAS 10000
#define KS_MANIFEST_MAX_SERVICE_PORTS 16

/* Loads a file, or every *.yaml / *.yml / *.json in a folder (not
 * recursive, in name order, as `kubectl apply -f DIR`), appending to out.
 * Documents that are not Kubernetes objects we know are reported: an
 * unknown kind as KS_EUNKNOWN ("no matches for kind ...", like kubectl)
 * while the others still load; any other problem as a located error.
 * Returns KS_OK when no error was reported (warnings allowed), else the
 * first error's code. */
int ks_manifest_load_path(ks_arena *ar, const char *path, const ks_yaml_limits *lim,
                          ks_manifests *out, ks_diags *d);

/* Same for text (an inline manifest). line0/col0: where the text starts in
 * its file (1-based), so marks point into that file. */
int ks_manifest_load_text(ks_arena *ar, const char *file, const char *text, size_t len,
                          unsigned line0, unsigned col0, const ks_yaml_limits *lim,
                          ks_manifests *out, ks_diags *d);

/* Reads one parsed document (used by the above, and by `kubesim check` for
 * documents it has already parsed). Sets *out (NULL for an empty document
 * or an unknown kind). */
int ks_manifest_from_doc(ks_arena *ar, const ks_yaml_doc *doc, ks_object **out, ks_diags *d);

#endif
