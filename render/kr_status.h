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
/* Speed factor: "×4", "×0.25". */
size_t kr_speed_format(double speed, char *buf, size_t n);

/* A Service pill: name in name, and ":80 · 3/3 ready" in rest (with the
 * type and node port when not a ClusterIP: "NodePort :3050→31515 · ..."). */
void kr_service_labels(const ks_service *s, char *name, size_t nn, char *rest, size_t nr);
/* Line i of an Ingress's rules ("/api/?(.*) → server:5000"); false past
 * the last one. */
bool kr_ingress_rule_text(const ks_object *ing, size_t i, char *buf, size_t n);
/* Number of rule lines of an Ingress (paths, plus the default backend). */
size_t kr_ingress_rule_count(const ks_object *ing);

/* Copies s, shortened to at most max_chars characters (UTF-8 aware) by
 * replacing its middle with "…" while keeping the end, which is what tells
 * generated pod names apart ("postgres-…-9wq7z"). */
size_t kr_ellipsize_middle(const char *s, size_t max_chars, char *buf, size_t n);
/* Shortens a generated pod name to at most max_chars characters, keeping
 * its owner's name and its unique suffix: "client-5d8f7b9c6d-q4dtc" ->
 * "client-…-q4dtc" -> "cli…-q4dtc"; other names as kr_ellipsize_middle. */
size_t kr_name_short(const char *name, size_t max_chars, char *buf, size_t n);
/* Same, cutting the end ("Back-off restarting fai…"). */
size_t kr_ellipsize_end(const char *s, size_t max_chars, char *buf, size_t n);
/* Characters (code points) in a UTF-8 string. */
size_t kr_utf8_len(const char *s);

#endif
