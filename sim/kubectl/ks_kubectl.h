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

#include "core/ks_sim.h"
#include "core/ks_strbuf.h"

/* Wall-clock time of simulated time 0, for describe's timestamps and
 * logs --timestamps (seconds since 1970): Mon, 01 Jan 2024 00:00:00 UTC. */
#define KS_KUBECTL_EPOCH 1704067200LL
/* What `get nodes` shows in VERSION. */
#define KS_KUBECTL_K8S_VERSION "v1.30.0"

/* Runs line against sim. base_dir resolves relative -f paths (NULL: the
 * process's working directory). Appends the output to out. Returns kubectl's
 * exit status: 0 on success, 1 on any error (then out says why). When
 * memory runs out, returns 1 and out (if it could grow) ends with an
 * "error: out of memory" line. */
int ks_kubectl_run(ks_sim *sim, const char *line, const char *base_dir, ks_strbuf *out);

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

#endif
