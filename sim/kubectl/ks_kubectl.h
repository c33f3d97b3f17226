/* ks_kubectl.h -- kubectl, as a learner types it, against the simulated
 * cluster.
 *
 * One call runs one command line ("kubectl get pods -o wide"; the leading
 * "kubectl" is optional) at the sim's current time and appends exactly what
 * kubectl would print, stdout and stderr lines in the order they appear,
 * to a caller-owned buffer; errors read as kubectl's do ("error: ...",
 * "Error from server (NotFound): pods \"x\" not found"). Words may be
 * quoted with '...' or "..." as in a shell.
 * Commands: apply, create (secret generic, configmap, -f), delete, scale,
 * rollout (restart, status, history), set image, label, cordon, uncordon,
 * drain, get, describe, logs. DESIGN.md ("kubectl:" timeline action) and
 * KUBERNETES.md sections 1, 9 and 13 give the behaviour and the formats.
 * Changes go through ks_cluster_* like any client of the API server;
 * manifests read by apply/create live in arenas handed to the sim
 * (ks_cluster_keep_arena). Nothing is printed; nothing global is kept.
 * Depends on: ks_cluster, ks_manifest, ks_scenario (selectors),
 * ks_validate, ks_strbuf.
 */
#ifndef KS_KUBECTL_H
#define KS_KUBECTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cluster/ks_cluster.h"
#include "core/ks_sim.h"
#include "core/ks_strbuf.h"

/* Wall-clock time of simulated time 0 (seconds since 1970) when a scenario
 * sets no spec.clock: Mon, 01 Jan 2024 00:00:00 UTC. kubectl's own output
 * counts from the run's clock (ks_cluster_clock). */
#define KS_KUBECTL_EPOCH KS_CLUSTER_DEFAULT_CLOCK
/* What `get nodes` shows in VERSION. */
#define KS_KUBECTL_K8S_VERSION "v1.30.0"
/* What a node says it runs (get nodes -o wide), as minikube's node does. */
#define KS_KUBECTL_OS_IMAGE "Ubuntu 22.04.4 LTS"
#define KS_KUBECTL_KERNEL "6.5.0-kubesim"
#define KS_KUBECTL_RUNTIME "docker://26.1.1"

/* The address of a node (minikube's: 192.168.49.2, then .3 ...). */
size_t ks_kubectl_node_ip(const ks_sim *sim, ks_id node, char *buf, size_t n);

/* Simulated time t as wall-clock RFC 3339 in UTC ("2024-01-01T00:00:05Z",
 * time 0 being KS_KUBECTL_EPOCH),
 * with the microseconds (Go's RFC3339Nano, trailing zeros dropped) when
 * fraction is true. Returns the length, like snprintf. */
size_t ks_kubectl_rfc3339(ks_time t, bool fraction, char *buf, size_t n);

/* The pod port a Service port reaches: a number, a named container port of
 * the pod, or the Service port itself. */
int ks_kubectl_target_port(const ks_service_port *sp, const ks_pod *p);

/* Runs line against sim. base_dir resolves relative -f paths (NULL: the
 * process's working directory). Appends the output to out. Returns kubectl's
 * exit status: 0 on success, 1 on any error (then out says why). When
 * memory runs out, returns 1 and out (if it could grow) ends with an
 * "error: out of memory" line. */
int ks_kubectl_run(ks_sim *sim, const char *line, const char *base_dir, ks_strbuf *out);
/* Where a command's output holds tables -- a header and its rows as the
 * table writer aligns them: `get`, `top`, `rollout history` -- as byte
 * ranges [start, end) of what it appended to out, whole lines. A front end
 * that shows the output in a narrow panel narrows a table's columns before
 * its lines wrap (the window's terminal panel, render/kr_term.c). */
#define KS_KUBECTL_MAX_TABLES 16
typedef struct ks_kubectl_tables {
    size_t n;                 /* more tables than the max: the last range grows */
    size_t start[KS_KUBECTL_MAX_TABLES], end[KS_KUBECTL_MAX_TABLES];
} ks_kubectl_tables;
/* ks_kubectl_run, and where the tables of its output are (tables: filled;
 * n is 0 when there are none). */
int ks_kubectl_run_tables(ks_sim *sim, const char *line, const char *base_dir, ks_strbuf *out,
                          ks_kubectl_tables *tables);
/* ks_kubectl_run_tables with input as the command's standard input, whole
 * (what was piped into kubectl: `exec -i` gives it to the command; NULL:
 * none, as from /dev/null). tables may be NULL. */
int ks_kubectl_run_input(ks_sim *sim, const char *line, const char *base_dir, const char *input,
                         ks_strbuf *out, ks_kubectl_tables *tables);
/* Whether byte off of a command's output (0: the first it appended) is in
 * one of its tables (t NULL: no). */
bool ks_kubectl_in_table(const ks_kubectl_tables *t, size_t off);
/* What `kubectl exec` prints once the command in res ran (ks_exec), or the
 * pod's container refused it (any outcome but KS_EXEC_NO_POD): the
 * command's stdout, its stderr, and "command terminated with exit code N"
 * when it failed; or "error: WHY". Appends to out; returns kubectl's exit
 * status. */
struct ks_exec_result;
int ks_kubectl_exec_output(const struct ks_exec_result *res, ks_strbuf *out);
/* The line `kubectl apply` prints when the API server refuses to create an
 * object from file (ks_cluster_apply's KS_EUNKNOWN or KS_EFORBIDDEN: the
 * namespace is missing or terminating), e.g. `Error from server
 * (NotFound): error when creating "FILE": namespaces "shop" not found`;
 * 0 (and buf "") for any other refusal. Returns snprintf's length. */
size_t ks_kubectl_refusal(const ks_error *err, const char *file, char *buf,
                          size_t n);

/* Checks line as ks_kubectl_run would read it -- its words, the command,
 * its flags and their values, resource types, selectors, the shape of its
 * arguments -- without a cluster: whatever depends on the objects that
 * will exist when it runs (NotFound, AlreadyExists) is not looked at, nor
 * the files of -f (their loader reports those, located). Returns 0 when
 * the line would run, else 1 with kubectl's error text appended to out.
 * The same code reads the line in both: `kubesim check` and the runner use
 * this, so a bad line fails before the run starts. */
int ks_kubectl_check(const char *line, ks_strbuf *out);

/* Splits a command line into words the way a shell would for kubectl:
 * blanks separate words, '...' is literal, "..." allows \" and \\, a
 * backslash outside quotes escapes the next character. Words live in ar.
 * Returns the word count, or -1 with a reason in why (an unterminated
 * quote) or on out-of-memory (why "out of memory"). */
int ks_kubectl_split(ks_arena *ar, const char *line, const char ***words, char *why,
                     size_t whyn);

/* Go's text/tabwriter with kubectl's settings, for callers that print
 * tables: cells end at '\t', lines at '\n'; each column is as wide as its
 * widest cell plus padding, and at least minwidth (`get`: 6 and 3;
 * `describe`: 0 and 2). Appends the aligned text to out. */
void ks_kubectl_tabwrite(ks_strbuf *out, const char *text, size_t len, int minwidth,
                         int padding);

/* ---- kubectl get's columns, for front ends that print tables themselves --------
 * (the API server's Table responses). The cells are exactly those `kubectl
 * get` prints (printers.go), computed at the sim's current time. */
typedef void (*ks_kubectl_row_fn)(void *ud, uint64_t key, const char *const *cells,
                                  size_t n);
/* The `kind` of events, which are not objects with ids. */
#define KS_KUBECTL_EVENTS KS_KIND_COUNT
/* The `kind` of the nodes' Leases (computed, not stored): keys are the
 * nodes' ids (ks_cluster_node_lease). */
#define KS_KUBECTL_LEASES (KS_KIND_COUNT + 1)
#define KS_KUBECTL_MAX_NAMESPACES 64

/* Calls fn with the header (key 0), then once per key with that row's
 * cells, every column of -o wide included. kind is a ks_kind or
 * KS_KUBECTL_EVENTS or KS_KUBECTL_LEASES. keys are object ids (a
 * Lease's: its node's); for events, indices of
 * ks_cluster_event; for namespaces, indices of ks_kubectl_namespaces' list
 * (fn gets those back as index + 1, so that 0 stays the header). Returns
 * how many of the columns, from the first, kubectl shows without -o wide
 * (0 when memory ran out: then fn was not called). */
size_t ks_kubectl_columns(ks_sim *sim, int kind, const uint64_t *keys, size_t n,
                          ks_kubectl_row_fn fn, void *ud);

/* The namespaces `kubectl get namespaces` lists: the four a new cluster has
 * and the Namespace objects there are (the ingress addon's ingress-nginx,
 * any applied), sorted by name, with
 * when each was created; at most max. Returns the count. */
size_t ks_kubectl_namespaces(const ks_sim *sim, const char **names, ks_time *created,
                             size_t max);
/* The namespace an event is listed in (its object's, or "default"). */
const char *ks_kubectl_event_namespace(ks_sim *sim, size_t i);

#endif
