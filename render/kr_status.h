/* kr_status.h -- the words the window shows, derived from the cluster: a
 * pod's tone and detail line ("next start in 27 s", "deleted at 00:45.0",
 * a shortened scheduler reason), Service and Ingress labels, capacities,
 * the clock, and middle-ellipsis shortening of names.
 * Pure functions of (sim, now): no SDL, no state, so layout tests use them
 * and the window and the headless PNGs always say the same thing.
 * Depends on: ks_cluster, kr_palette.
 */
#ifndef KR_STATUS_H
#define KR_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "kr_palette.h"
#include "cluster/ks_cluster.h"

/* Tone of a pod, from its STATUS and readiness. */
kr_tone kr_pod_tone(const ks_pod *p);
/* A pod not scheduled that the window shows in the "not scheduled" box:
 * the scheduler said why it waits, or it waited KR_WAIT_SHOWN. Pods on
 * their way to a node in an instant are shown once they are there. */
#define KR_WAIT_SHOWN KS_SEC
bool kr_pod_waits(const ks_sim *sim, const ks_pod *p);
/* Whether the window draws the object of namespace ns: not kube-system's,
 * the cluster's own machinery (CoreDNS, metrics-server), which no request
 * of the lesson's passes through; `kubectl get pods -A` in the panel lists
 * them. (The ingress controller is drawn: the lesson's traffic enters it.) */
bool kr_ns_drawn(const char *ns);
/* Whether the window draws Service o: not the API server's own, not
 * kube-system's (kr_ns_drawn). */
bool kr_service_drawn(const ks_object *o);
/* Sum of the restarts of its containers. */
int kr_pod_restarts(const ks_pod *p);
/* The one-line detail under the status on a full card: "Ready 1/1",
 * "next start in 27 s", "deleted at 00:45.0", "Insufficient cpu",
 * "pulling nginx", "exit code 1", "secret "pg" not found"... */
size_t kr_pod_detail(const ks_sim *sim, const ks_pod *p, char *buf, size_t n);
/* Shortens a scheduler message ("0/1 nodes are available: 1 Insufficient
 * cpu. preemption: ...") to its gist ("Insufficient cpu"). */
size_t kr_pending_short(const char *reason, char *buf, size_t n);
/* Seconds (rounded up) until a crash-looping container of p starts again,
 * or -1 when none is waiting in back-off. */
long kr_pod_backoff_left(const ks_sim *sim, const ks_pod *p);

/* "00:47.2" (minutes:seconds.tenths; hours when needed: "1:02:03.4"). */
size_t kr_clock_format(ks_time t, char *buf, size_t n);
/* Binary capacities as kubectl prints them: "2Gi", "512Mi", "1536Ki". */
size_t kr_bytes_format(int64_t bytes, char *buf, size_t n);
/* What a node's pods request against its allocatable, labelled so, as
 * `kubectl describe node` sums it (shown when the metrics API has no sample
 * of the node: no metrics-server addon, or not yet), in three
 * lengths: form 0 "requests: cpu 850m of 2 (42%) · memory 1.5Gi of 8Gi
 * (18%)", 1 "requests: cpu 42% · memory 18%", 2 "req. cpu 42% mem 18%". */
size_t kr_node_requests_text(const ks_node *n, int form, char *buf, size_t len);
/* A node's usage from the metrics API (the metrics-server addon), as
 * `kubectl top node` reads it, in three lengths: form 0 "cpu 120m of 4 (3%)
 * · memory 1.2Gi of 8Gi (15%)", 1 "cpu 3% · memory 15%", 2 "cpu 3% mem
 * 15%"; beside the bars, kubectl's columns: 3 "kubectl top node 120m 3%
 * 1229Mi 15%", 4 "top 120m 3% 1229Mi 15%"; 0 (nothing written) when the
 * API has no sample of it. */
size_t kr_node_usage_text(const ks_sim *sim, const ks_node *n, int form, char *buf, size_t len);
/* A pod's usage from the metrics API against what it asks for: "cpu
 * 84m/200m · 12Mi/64Mi" (cpu over its request, memory over its limit
 * or else its request); 0 when the API has no sample of it. */
size_t kr_pod_usage_text(const ks_sim *sim, const ks_pod *p, char *buf, size_t len);
/* A node's CPU and memory bars in its box's header: what it uses now, as
 * its kubelet measures it (CPU over the last second or two, the memory
 * working set; with or without the metrics API), and what its pods
 * request, each as a share of allocatable; pct: the use as a whole
 * percentage. False when the node is down (no kubelet to ask). */
typedef struct kr_node_bars {
    double cpu, cpu_req, mem, mem_req;
    int cpu_pct, mem_pct;
} kr_node_bars;
bool kr_node_bars_of(const ks_sim *sim, const ks_node *n, kr_node_bars *b);
/* A HorizontalPodAutoscaler as its card shows it: head "HPA php-apache",
 * target "→ Deployment/php-apache", metric "cpu 42% / 50%" (the first
 * metric, as `kubectl get hpa` lists it; "<unknown>" before a sample),
 * pods "6 pods · min 1 · max 10" ("4 → 8 pods ..." while a rescale is
 * under way), ratio = current / target of that metric (0: unknown). */
typedef struct kr_hpa_view {
    char head[160], target[200], metric[80], pods[96];
    bool known;
    double ratio;
    int32_t current, desired, min, max;
} kr_hpa_view;
bool kr_hpa_view_of(const ks_sim *sim, ks_id id, kr_hpa_view *v);
/* Speed factor: "×4", "×0.25". */
size_t kr_speed_format(double speed, char *buf, size_t n);

/* A Service pill: name in name, and ":80 · 3/3 ready" in rest (with the
 * type and node port when not a ClusterIP: "NodePort :3050→31515 · ..."). */
void kr_service_labels(const ks_service *s, char *name, size_t nn, char *rest, size_t nr);
/* Line i of an Ingress's rules ("host/api/?(.*) → server:5000", with
 * " as /$1" when ingress-nginx rewrites the path); false past the last. */
bool kr_ingress_rule_text(const ks_object *ing, size_t i, char *buf, size_t n);
/* Number of rule lines of an Ingress (paths, plus the default backend). */
size_t kr_ingress_rule_count(const ks_object *ing);

/* Copies s, shortened to at most max_chars characters (UTF-8 aware) by
 * replacing its middle with "…" while keeping the end, which is what tells
 * generated pod names apart ("postgres-…-9wq7z"). */
size_t kr_ellipsize_middle(const char *s, size_t max_chars, char *buf, size_t n);
/* Shortens a name to at most max_chars characters, keeping what tells it
 * apart. A generated pod name keeps its owner (the workload) and its unique
 * suffix, dropping the hash, then the owner's last words, whole:
 * "server-deployment-5d8f7b9c6d-q4dtc" -> "server-deployment-…-q4dtc" ->
 * "server-…-q4dtc", and only past that cuts a word ("serv…-q4dtc"). Other
 * names keep whole leading words: "postgres-cluster-ip-service" ->
 * "postgres-cluster-…" -> "postgres-…". */
size_t kr_name_short(const char *name, size_t max_chars, int min_words, char *buf, size_t n);
/* The shortest form kr_name_short gives before it cuts a word
 * ("server-…-q4dtc", "postgres-…"), keeping at least min_words words of
 * the owner: what a card must have room for. */
size_t kr_name_min(const char *name, int min_words, char *buf, size_t n);

/* The owners (workloads) of the pods on screen, to know how many leading
 * words tell each apart: "payment-ledger-…" from "payment-worker-…" needs
 * two. Up to KR_NAMER_MAX owners (more: one word). */
#define KR_NAMER_MAX 64
typedef struct kr_namer {
    char owner[KR_NAMER_MAX][96];
    int n;
} kr_namer;
void kr_namer_clear(kr_namer *nm);
/* Adds the owner of a generated name (other names: nothing). */
void kr_namer_add(kr_namer *nm, const char *name);
/* The owner words a name keeps to differ from every other owner (>= 1). */
int kr_namer_words(const kr_namer *nm, const char *name);
/* Same, cutting the end ("Back-off restarting fai…"). */
size_t kr_ellipsize_end(const char *s, size_t max_chars, char *buf, size_t n);
/* Copies s with its tabs as spaces to the next multiple of 8 columns
 * (what a terminal shows; a font draws a tab as a box). */
size_t kr_expand_tabs(const char *s, char *buf, size_t n);
/* Which lines of a terminal's text are a table's, as kubectl says
 * (ks_kubectl_tables; the trace's kubectl lines: n[1]): bit i for line i. */
#define KR_TERM_MAX_LINES 8192
typedef struct kr_term_tables {
    unsigned char bit[KR_TERM_MAX_LINES / 8];
} kr_term_tables;
/* Marks line i (from 0) a table's; beyond KR_TERM_MAX_LINES: nothing. */
void kr_term_table_line(kr_term_tables *t, size_t i);
/* Splits a terminal's text into the lines a terminal of cols columns
 * shows (tabs expanded, long lines wrapped); calls fn (when not NULL) with
 * each, cont true for a wrapped part. A table (its lines in tables, when
 * not NULL) wider than cols has its columns two spaces apart instead of
 * kubectl's three; a line still wider wraps, as a terminal wraps it, so
 * nothing of it is lost. Returns how many there are. */
size_t kr_term_lines(const char *text, const kr_term_tables *tables, int cols,
                     void (*fn)(void *ud, const char *line, bool cont), void *ud);
/* Characters (code points) in a UTF-8 string. */
size_t kr_utf8_len(const char *s);

#endif
