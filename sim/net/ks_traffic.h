/* ks_traffic.h -- requests: generators, their hops, and statistics.
 *
 * A generator (a scenario's `traffic:` action) sends requests into the
 * cluster at an ingress, a NodePort, a LoadBalancer or a Service (from
 * inside). Each request travels hop by hop (every hop a trace event with its
 * latency) and its status comes from what really happened: no ingress
 * class, no route (404), no ready endpoint (503), a failing pod (502), a
 * database that is unreachable (500 and a log line in the api pod).
 * Statistics per path and entry point are kept in fixed memory.
 * Depends on: ks_cluster, ks_scenario (ks_scn_traffic, ks_scn_target).
 */
#ifndef KS_TRAFFIC_H
#define KS_TRAFFIC_H

#include <stdint.h>

#include "cluster/ks_cluster.h"
#include "load/ks_scenario.h"

/* Starts a generator now; it runs for t->duration (0: until the end of the
 * simulation). Returns KS_OK, or KS_ENOMEM. */
int ks_traffic_start(ks_sim *sim, const ks_scn_traffic *t);

/* Sends one request now (used by generators, and by tests). */
int ks_traffic_send(ks_sim *sim, const ks_scn_target *to, const char *method,
                    const char *path, const char *host, int client);

/* The answer to a request sent with ks_traffic_send_cb, as it reaches the
 * client: status (0: none -- the connection was refused or reset), the pod
 * that served it (0: none), the latency. Called from the simulation's
 * event: it must not change the simulation. */
typedef void (*ks_traffic_done_fn)(void *ud, uint64_t id, int status, ks_id pod,
                                   ks_time latency);

/* Sends one request now, as ks_traffic_send, and calls done (may be NULL)
 * with ud when its answer reaches the client (kubesim serve's service
 * proxy). The client gives up connecting to a pod that never answers after
 * connect_timeout (0: the generators' 5 s); through the ingress, nginx
 * connects to the pod, with its own 5 s. The strings are copied (into
 * the sim's arena). *id (may be NULL) gets the request's id. Draws nothing
 * from the random streams beyond what the request itself does. */
int ks_traffic_send_cb(ks_sim *sim, const ks_scn_target *to, const char *method,
                       const char *path, const char *host, ks_time connect_timeout,
                       ks_traffic_done_fn done, void *ud, uint64_t *id);

typedef struct ks_req_stats {
    uint64_t count;           /* finished requests */
    uint64_t ok;              /* 2xx */
    uint64_t status[6];       /* by class: [0] no response, [1] 1xx ... [5] 5xx */
    int64_t p50, p95, p99;    /* latency, microseconds (0 when count is 0) */
} ks_req_stats;

/* Statistics of the finished requests matching path (NULL: any), entry
 * point (NULL or KS_SCN_TO_NONE: any) and status range [lo, hi] (0, 0:
 * any), since the start. Paths are compared as the generator sent them. */
void ks_traffic_stats(const ks_sim *sim, const char *path, const ks_scn_target *to, int lo,
                      int hi, ks_req_stats *out);

/* Rows of per-route statistics (one per method, path and entry point),
 * for reports and the window: i in [0, ks_traffic_route_count). A request a
 * pod's own program sends through a Service (wget, curl: ks_fetch.c) counts
 * in the route of that Service, as a generator's at service:NAME does. */
size_t ks_traffic_route_count(const ks_sim *sim);
typedef struct ks_route_stats {
    const char *method, *path;
    ks_scn_target to;
    ks_req_stats stats;
    double rate;              /* requests/s over the last 10 s */
    bool pods_only;           /* only pods' own programs sent these (wget, curl) */
} ks_route_stats;
void ks_traffic_route(const ks_sim *sim, size_t i, ks_route_stats *out);

#endif
