/* internal/kubectl.h -- what the kubectl files share: ks_kubectl.c (words,
 * flags, the command table), ks_kubectl_cmd.c (output and flag values),
 * ks_kubectl_objects.c (resources, lookups,
 * time formats, the table writer), ks_kubectl_apply.c (apply, create,
 * delete), ks_kubectl_change.c (scale, rollout, set image, label, nodes),
 * ks_kubectl_print.c (get), ks_kubectl_describe.c, ks_kubectl_logs.c. */
#ifndef KSI_KUBECTL_H
#define KSI_KUBECTL_H

#include <stdbool.h>
#include <stdint.h>

#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "../ks_kubectl.h"
#include "core/ks_strbuf.h"

/* Resources that are not object kinds. */
enum { KSI_KC_EVENTS = KS_KIND_COUNT, KSI_KC_ALL, KSI_KC_LEASES, KSI_KC_NONE };

typedef enum { KSI_KC_BOOL, KSI_KC_STR, KSI_KC_INT, KSI_KC_LIST } ksi_kc_flag_type;

typedef struct ksi_kc_flag_def {
    const char *name;         /* long form, without "--" */
    char shorthand;           /* 0: none */
    ksi_kc_flag_type type;
} ksi_kc_flag_def;

typedef struct ksi_kc_flagval {
    const ksi_kc_flag_def *def;
    const char *value;        /* "true"/"false" for booleans */
} ksi_kc_flagval;

/* One command being run. */
typedef struct ksi_kc {
    ks_sim *sim;
    ks_strbuf *out;
    ks_arena *tmp;            /* scratch, freed when the command ends */
    const char *base_dir;
    const char *verb;         /* "get" */
    const char **args;        /* positional words after the verb */
    size_t nargs;
    size_t nargs_before_dash; /* args before a "--" ((size_t)-1: there was none) */
    ksi_kc_flagval *flags;
    size_t nflags;
    const char *ns;           /* -n, or "default" */
    bool all_ns;              /* -A */
    int status;               /* exit status so far */
    ks_kubectl_tables *tables; /* where the output's tables are, or NULL */
    size_t out0;              /* out's length when the command started */
    const char *input;        /* standard input (exec -i), or NULL: none */
} ksi_kc;

/* Whether the command is only being checked (ks_kubectl_check): there is no
 * sim. Every command stops where it would first look at the cluster, after
 * all the checks of its words. */
static inline bool ksi_kc_dry(const ksi_kc *k)
{
    return k->sim == NULL;
}

/* ---- output (ks_kubectl_cmd.c) ----------------------------------------------- */
/* Appends a formatted line (a '\n' is added). */
void ksi_kc_line(ksi_kc *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "error: ..." line; sets the exit status; returns 1. */
int ksi_kc_error(ksi_kc *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A resource type kubesim's kubectl does not know: a built-in resource of
 * Kubernetes that it does not show yet says so; any other word gets the
 * server's "doesn't have a resource type". Returns ksi_kc_error's status. */
int ksi_kc_no_type(ksi_kc *k, const char *type);
/* kubectl's "See 'kubectl VERB -h' for help and examples" after an error. */
int ksi_kc_usage_error(ksi_kc *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new arena for the objects a command adds to the cluster, kept as long as
 * the sim (ks_cluster_keep_arena); NULL, the "out of memory" error said
 * (exit status 1), when there is none. */
ks_arena *ksi_kc_object_arena(ksi_kc *k);
/* A table: text for the table writer (ks_kubectl_tabwrite), aligned into
 * the output, and where it is noted (k->tables). */
void ksi_kc_table(ksi_kc *k, const char *text, size_t len, int minwidth, int padding);

/* ---- flags (ks_kubectl_cmd.c) ---------------------------------------------------- */
const char *ksi_kc_flag(const ksi_kc *k, const char *name);     /* last value or NULL */
bool ksi_kc_bool(const ksi_kc *k, const char *name);
bool ksi_kc_has(const ksi_kc *k, const char *name);             /* given at all */
int64_t ksi_kc_int(const ksi_kc *k, const char *name, int64_t dflt);
/* Every value of a repeated flag, in order; returns the count. */
size_t ksi_kc_list(const ksi_kc *k, const char *name, const char ***out);
/* Go's strconv.ParseBool: 1, 0, or -1 when s is no boolean. */
int ksi_kc_parse_bool(const char *s);
/* strconv.ParseInt: 0 with *out set, 1 for bad syntax, 2 out of range. */
int ksi_kc_parse_int(const char *s, int64_t *out);

/* ---- resources ---------------------------------------------------------------------- */
/* "pods", "po", "deploy", "svc", ... -> kind (or KSI_KC_EVENTS / KSI_KC_ALL);
 * KSI_KC_NONE when kubectl would not know it. Case-insensitive. */
int ksi_kc_resource(const char *word);
/* "pods", "deployments.apps": as in NotFound messages. */
const char *ksi_kc_plural(int kind);
bool ksi_kc_namespaced(int kind);
/* Error from server (NotFound): pods "x" not found; returns 1. */
int ksi_kc_not_found(ksi_kc *k, int kind, const char *name);
/* `kubectl describe lease [NAME...]`: the nodes' Leases (ks_kubectl_print_ns.c);
 * returns the command's status. */
int ksi_kc_describe_leases(ksi_kc *k, const char *const *want, size_t nwant);

/* Name, namespace and labels of any object (NULL / "" / empty when gone). */
const char *ksi_kc_obj_name(const ks_sim *sim, ks_id id);
const char *ksi_kc_obj_ns(const ks_sim *sim, ks_id id);
const ks_kvs *ksi_kc_obj_labels(const ks_sim *sim, ks_id id);
/* The object of kind named name in the command's namespace, or 0. */
ks_id ksi_kc_find(const ksi_kc *k, int kind, const char *name);
/* Objects of kind in the command's namespace (all with -A) matching sel
 * (NULL: all), sorted by namespace and name. Array in k->tmp. */
size_t ksi_kc_select(ksi_kc *k, int kind, const ks_selector *sel, ks_id **out);
/* Parses a -l selector; prints kubectl's error and returns false if bad. */
bool ksi_kc_selector(ksi_kc *k, const char *text, ks_selector *sel);
/* The pod an argument of logs or exec names: POD, pod/POD, deployment/NAME,
 * rs/NAME, job/NAME (a ready pod first, as kubectl picks); NULL with
 * kubectl's error said (or when only checking). logs: logs' words. */
const ks_pod *ksi_kc_pod_for(ksi_kc *k, const char *arg, bool logs);
/* Splits "TYPE/NAME"; false when there is no slash. */
bool ksi_kc_split_slash(ksi_kc *k, const char *word, const char **type, const char **name);

/* ---- time ------------------------------------------------------------------------------ */
/* AGE of something that happened at t. */
const char *ksi_kc_age(ksi_kc *k, ks_time t);
/* "Mon, 01 Jan 2024 00:00:05 +0000" (Go's RFC1123Z). */
const char *ksi_kc_rfc1123z(ksi_kc *k, ks_time t);
/* "2024-01-01T00:00:05.25Z" (Go's RFC3339Nano). */
const char *ksi_kc_rfc3339(ksi_kc *k, ks_time t);
/* printf into k->tmp ("" on out-of-memory). */
const char *ksi_kc_fmt(ksi_kc *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- commands ----------------------------------------------------------------------- */
int ksi_kc_apply(ksi_kc *k);
int ksi_kc_create(ksi_kc *k);
int ksi_kc_create_job(ksi_kc *k);          /* ks_kubectl_create_job.c */
int ksi_kc_delete(ksi_kc *k);
int ksi_kc_get(ksi_kc *k);
int ksi_kc_describe(ksi_kc *k);
int ksi_kc_logs(ksi_kc *k);
int ksi_kc_exec(ksi_kc *k);                 /* ks_kubectl_exec.c */
int ksi_kc_run(ksi_kc *k);                  /* ks_kubectl_run.c */
/* Loads one manifest (text) and creates its object as kubectl create does:
 * "WHAT/NAME created", or "error: failed to create WHAT ..." (ks_kubectl_apply.c). */
int ksi_kc_create_text(ksi_kc *k, const char *text, const char *what, const char *name);
int ksi_kc_scale(ksi_kc *k);
int ksi_kc_rollout(ksi_kc *k);
int ksi_kc_set(ksi_kc *k);
int ksi_kc_label(ksi_kc *k);
int ksi_kc_cordon(ksi_kc *k);               /* cordon and uncordon */
int ksi_kc_drain(ksi_kc *k);
int ksi_kc_version(ksi_kc *k);
int ksi_kc_top(ksi_kc *k);
int ksi_kc_autoscale(ksi_kc *k);            /* ks_kubectl_hpa.c */

/* ---- shared cells (ks_kubectl_objects.c, but service ports: ks_kubectl_print.c) -- */
/* "app=web,tier=db" sorted by key, or "<none>". */
const char *ksi_kc_labels_text(ksi_kc *k, const ks_kvs *labels);
/* A Service's PORT(S) column: "80:31515/TCP,443/TCP" or "<none>". */
const char *ksi_kc_service_ports(ksi_kc *k, const ks_service *s);
/* The node's address (minikube: 192.168.49.2, then .3 ...). */
const char *ksi_kc_node_ip(ksi_kc *k, ks_id node);
/* "pod/web-x" for kind and name, as the OBJECT column of get events. */
const char *ksi_kc_event_object(ksi_kc *k, const ks_k8s_event *e);
/* "45s", or "45s (x3 over 2m)" for an aggregated event. */
const char *ksi_kc_event_age(ksi_kc *k, const ks_k8s_event *e);

#endif
