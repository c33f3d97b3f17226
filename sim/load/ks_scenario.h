/* ks_scenario.h -- `kind: Scenario` files (apiVersion kubesim/v1) into structs.
 *
 * The format is specified in DESIGN.md ("Scenario file"); ks_scenario.c,
 * ks_scenario_timeline.c and ks_scenario_expect.c open with its grammar.
 * Every field is read and checked at load time: unknown keys are errors
 * (with a suggestion when one is close), every error is located
 * (file:line:col) and the loader reports all it finds, stopping early only
 * when the YAML itself is broken. Choices the format leaves open: goals are
 * found by their `id:` (hints: {ID: TEXT | [TEXT...]}); `ready` is a count
 * (pods, endpoints) or, for `pod`, true/false; traffic says where it goes
 * with `to: ingress | "nodeport:N" | "service:NAME" | "loadbalancer:NAME"`
 * or with one of the keys nodeport:, service:, loadbalancer:.
 * Ownership: everything a loader returns, strings included, lives in the
 * arena passed in and dies with it; nothing needs freeing on its own.
 * Depends on: ks_read (ks_yaml, ks_diag, ks_time), ks_catalog, ks_manifest
 * (selectors, label maps), ks_validate.
 */
#ifndef KS_SCENARIO_H
#define KS_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "ks_catalog.h"
#include "ks_manifest.h"
#include "ks_read.h"

#define KS_SCENARIO_API_VERSION "kubesim/v1"
#define KS_SCENARIO_MAX_ITEMS 10000       /* timeline, expect, goals: each */
#define KS_SCENARIO_MAX_NODES 10000
#define KS_SCENARIO_MAX_MANIFESTS 1000
#define KS_SCENARIO_MAX_DURATION (31 * 24 * KS_HOUR)
#define KS_SCENARIO_MAX_RATE 100000       /* requests per second, per generator */
#define KS_SCENARIO_DEFAULT_DURATION (60 * KS_SEC)
/* Without spec.cluster.nodes: one node, as `minikube start` makes it. */
#define KS_SCENARIO_DEFAULT_NODE "minikube"
#define KS_SCENARIO_DEFAULT_CPU_MILLI 2000
#define KS_SCENARIO_DEFAULT_MEMORY ((int64_t)4 << 30)

/* ---- comparisons: a number (==) or ">= 120", "< 3", "!= 0", ">= 99%" ---- */
typedef enum ks_scn_cmp_op {
    KS_SCN_CMP_EQ, KS_SCN_CMP_NE, KS_SCN_CMP_LT, KS_SCN_CMP_LE, KS_SCN_CMP_GT, KS_SCN_CMP_GE
} ks_scn_cmp_op;
#define KS_SCN_PCT_SCALE 100              /* percents are stored x100: 99.5% = 9950 */

typedef struct ks_scn_cmp {
    bool set;                 /* false: the field was not given */
    ks_scn_cmp_op op;
    int64_t value;            /* a count, or a percent x KS_SCN_PCT_SCALE */
    bool percent;
    ks_mark mark;
} ks_scn_cmp;

/* Parses text; percent says whether the field is a share (then a '%' is
 * required, up to 2 decimals, at most 100%) or a count (whole numbers >= 0).
 * KS_OK, or KS_EINVAL with the reason in why. */
int ks_scn_cmp_parse(const char *text, bool percent, ks_scn_cmp *out, char *why, size_t n);
/* ">= 99.5%", "== 3": for outcome tables. Returns the length, like snprintf. */
size_t ks_scn_cmp_format(const ks_scn_cmp *c, char *buf, size_t n);
/* Whether a count holds: actual OP value. */
bool ks_scn_cmp_eval(const ks_scn_cmp *c, int64_t actual);
/* Whether a share holds: part/whole OP value%, exactly (no floating point).
 * With whole <= 0 there is nothing to measure and it does not hold. */
bool ks_scn_cmp_eval_ratio(const ks_scn_cmp *c, int64_t part, int64_t whole);

/* ---- label selectors, as kubectl -l takes them ------------------------------ */
/* Parses "app=web,tier!=db,env in (a,b),!canary,release" into a ks_selector
 * (ks_manifest.h), so one ks_selector_matches serves Services, Deployments
 * and expectations alike: k=v and k==v become `k In (v)`, k!=v `k NotIn (v)`
 * (which, as in Kubernetes, also matches objects without k). Strings in ar.
 * An empty text is an empty selector (matches everything). KS_OK, KS_ENOMEM,
 * or KS_EINVAL with the reason in why. */
int ks_scn_selector_parse(ks_arena *ar, const char *text, ks_selector *out, char *why,
                          size_t n);

typedef struct ks_scn_selector {
    const char *text;         /* as written; NULL when not given */
    ks_selector sel;
} ks_scn_selector;

/* ---- where traffic enters: ingress, nodeport:N, service:NAME, loadbalancer:NAME */
typedef enum ks_scn_target_kind {
    KS_SCN_TO_NONE, KS_SCN_TO_INGRESS, KS_SCN_TO_NODEPORT, KS_SCN_TO_SERVICE,
    KS_SCN_TO_LOADBALANCER
} ks_scn_target_kind;

typedef struct ks_scn_target {
    ks_scn_target_kind kind;
    int port;                 /* nodeport: the node port; service: one of its
                                 ports (0: the first; ks_traffic_send_cb) */
    const char *name;         /* service / loadbalancer: the Service's name */
} ks_scn_target;

/* "nodeport:31515" etc. Returns the length, like snprintf. */
size_t ks_scn_target_format(const ks_scn_target *t, char *buf, size_t n);

/* ---- spec.cluster, spec.manifests ------------------------------------------ */
typedef struct ks_scn_node {
    ks_mark mark;
    const char *name;
    int64_t cpu_milli;        /* "4" -> 4000, "500m" -> 500 */
    int64_t memory_bytes;     /* "8Gi" -> 8 << 30 */
    ks_kvs labels;
} ks_scn_node;

typedef struct ks_scn_manifest {
    ks_mark mark;             /* the list item */
    const char *path;         /* as written; NULL for inline text */
    const char *resolved;     /* path joined to the scenario's directory */
    bool is_dir;
    const char *text;         /* inline YAML (NUL-terminated), or NULL */
    size_t len;
    /* Where the inline text's first line starts in the scenario file. When
     * text_exact, line k, column c of the text is line text_mark.line + k - 1,
     * column text_mark.col + c - 1 of the file (a `|` block, or a one-line
     * string); otherwise only text_mark itself is known to be right. */
    ks_mark text_mark;
    bool text_exact;
} ks_scn_manifest;

/* ---- spec.timeline ------------------------------------------------------------- */
typedef enum ks_scn_action {
    KS_SCN_ACT_KUBECTL, KS_SCN_ACT_TRAFFIC, KS_SCN_ACT_CRASH, KS_SCN_ACT_NODE, KS_SCN_ACT_SAY,
    KS_SCN_ACT_PAUSE
} ks_scn_action;

typedef enum ks_scn_node_action {
    KS_SCN_NODE_FAIL, KS_SCN_NODE_RECOVER, KS_SCN_NODE_CORDON, KS_SCN_NODE_UNCORDON,
    KS_SCN_NODE_DRAIN, KS_SCN_NODE_ADD
} ks_scn_node_action;

typedef struct ks_scn_traffic {
    ks_scn_target to;
    const char *method;       /* default GET */
    const char *path;         /* default / */
    const char *host;         /* Host header, or NULL */
    int64_t rate_milli;       /* rate_milli / 1000 requests every rate_period */
    ks_time rate_period;
    ks_time duration;         /* `for`; 0: until the scenario ends */
    bool constant;            /* arrivals: constant (default poisson) */
    int clients;              /* cookie-keeping clients; 0: none (default) */
} ks_scn_traffic;

typedef struct ks_scn_step {
    ks_mark mark;             /* the list item */
    ks_time at;
    ks_scn_action action;
    ks_mark action_mark;      /* the action's value */
    /* kubectl: the command without a leading "kubectl ", and its verb */
    const char *kubectl, *verb;
    const char *input;        /* stdin: what is piped into kubectl (exec -i), or NULL */
    ks_scn_traffic traffic;
    struct {
        const char *pod;      /* pod: NAME, or NULL */
        ks_scn_selector selector;
        const char *container; /* NULL: the pod's first container */
        int exit_code;        /* default 1 (137 for OOMKilled) */
        const char *reason;   /* Error, OOMKilled, or Completed for exit 0 */
    } crash;
    struct {
        const char *name;
        ks_scn_node_action action;
        ks_scn_node added;    /* add: the node that joins (name, cpu, memory, labels) */
    } node;
    const char *say;
} ks_scn_step;

/* Mean gap between requests of a generator (rounded to the microsecond). */
ks_time ks_scn_traffic_interval(const ks_scn_traffic *t);

/* ---- spec.expect and spec.goals -------------------------------------------------- */
typedef enum ks_scn_expect_kind {
    KS_SCN_EXP_PODS, KS_SCN_EXP_POD, KS_SCN_EXP_RECORDS, KS_SCN_EXP_REQUESTS, KS_SCN_EXP_PVC,
    KS_SCN_EXP_PV, KS_SCN_EXP_ENDPOINTS, KS_SCN_EXP_EVENTS, KS_SCN_EXP_LOG, KS_SCN_EXP_JOBS
} ks_scn_expect_kind;

/* One expectation; only the fields of its kind are set (others NULL/unset). */
typedef struct ks_scn_expect {
    ks_mark mark;             /* the list item */
    const char *id, *title;   /* optional; hints find goals by id */
    ks_time at;               /* at: T */
    bool at_end;              /* at: end */
    bool during;              /* during: [from, until] (at is unused) */
    ks_time from, until;
    ks_scn_expect_kind kind;
    ks_mark kind_mark;
    ks_scn_selector selector; /* pods, pod, records, events, log */
    const char *name;         /* pod, pvc, pv, jobs */
    const char *ns;           /* namespace: pods, pod, records, pvc, endpoints, events,
                                 log, jobs; NULL: every namespace (a name: default first) */
    const char *pvc;          /* records */
    const char *service;      /* endpoints */
    const char *status;       /* pods, pod, pvc, pv, jobs: a status word */
    const char *node;         /* pod */
    const char *storage_class; /* pvc, pv */
    const char *capacity;     /* pvc, pv: as written ("2Gi") */
    int64_t capacity_bytes;
    const char *path;         /* requests */
    ks_scn_target to;         /* requests (KS_SCN_TO_NONE: any) */
    int http_lo, http_hi;     /* requests `status`: 404 -> [404,404], "5xx" ->
                                 [500,599]; 0,0: any */
    const char *reason;       /* events */
    const char *contains;     /* log */
    int pod_ready;            /* pod `ready`: -1 unset, 0 false, 1 true */
    ks_scn_cmp count, ready, running, restarts, success;
    ks_scn_cmp succeeded, failed, active;   /* jobs */
    const char **hints;       /* goals: hints for this goal, in order */
    size_t nhints;
} ks_scn_expect;

/* ---- the scenario ------------------------------------------------------------------ */
typedef struct ks_scenario {
    const char *file;         /* as given (interned) */
    const char *dir;          /* its directory: relative paths start here */
    const char *name, *title; /* title may be NULL */
    uint64_t seed;            /* default 1 */
    ks_time duration;         /* default 60s */
    int64_t clock;            /* spec.clock: the wall-clock time of 0s, in
                                 seconds since 1970; 0: not given (the
                                 cluster's default, 2024-01-01T00:00:00Z) */
    ks_scn_node *nodes;       /* never empty: the default node when not given */
    size_t nnodes;
    bool default_node;
    bool ingress_nginx;       /* ingressController: nginx (default) / none */
    bool metrics_server;      /* addons: [metrics-server] (off by default) */
    const char *cni;          /* cni: auto (default), bridge, kindnet, flannel,
                                 calico, cilium -- minikube's --cni values */
    bool network_policy;      /* the cni enforces NetworkPolicy (calico,
                                 cilium) */
    ks_image_entry *images;   /* catalog overrides (override = true) */
    size_t nimages;
    ks_scn_manifest *manifests;
    size_t nmanifests;
    ks_scn_step *timeline;    /* in file order; the runner sorts stably by at */
    size_t ntimeline;
    ks_scn_expect *expect;
    size_t nexpect;
    ks_scn_expect *goals;
    size_t ngoals;
    const char *fingerprint;  /* or NULL */
} ks_scenario;

/* Whether a document claims to be a scenario (kind: Scenario, or an
 * apiVersion starting with "kubesim/"), so `kubesim check` can send it here
 * and the scenario loader, not the manifest loader, says what is wrong. */
bool ks_scenario_is_doc(const ks_yaml_doc *doc);

/* What a file found in a folder is to the commands that look for
 * scenarios (`kubesim test DIR`, `check DIR`): */
typedef enum ks_scn_probe {
    KS_SCN_PROBE_OTHER,       /* a readable file that is no scenario (a manifest) */
    KS_SCN_PROBE_SCENARIO,    /* a scenario, or a file that claims to be one
                                 (kind: Scenario / apiVersion: kubesim/...)
                                 even though it does not parse: loading it
                                 says what is wrong, where */
    KS_SCN_PROBE_UNREADABLE   /* not a regular file, or unreadable: loading
                                 it says why */
} ks_scn_probe;
/* Probes the file at path (read with ks_file_read, never blocking;
 * scratch memory in ar). */
ks_scn_probe ks_scenario_probe(ks_arena *ar, const char *path);

/* Loads the scenario file at path. On success returns KS_OK and sets *out;
 * otherwise records every problem in d (warnings too), returns the first
 * error's code and sets *out to NULL. */
int ks_scenario_load_file(ks_arena *ar, const char *path, ks_scenario **out, ks_diags *d);
/* The same from len bytes of text; relative paths start at file's directory. */
int ks_scenario_parse(ks_arena *ar, const char *file, const char *buf, size_t len,
                      ks_scenario **out, ks_diags *d);
/* The same from a document already parsed from file. src/len is the file's
 * text, used only to locate inline manifests exactly; it may be NULL. */
int ks_scenario_read_doc(ks_arena *ar, const ks_yaml_doc *doc, const char *file,
                         const char *src, size_t len, ks_scenario **out, ks_diags *d);

#endif
