/* kvf_traffic.h -- a scenario's traffic, sent to a real cluster, and what
 * came back (the client's view: the only one verify has).
 *
 * Requests go through the API server's service proxy
 * (/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH), which reaches any
 * Service from wherever kubectl works: `to: ingress` goes to ingress-nginx's
 * controller Service (namespace ingress-nginx, as minikube's addon and
 * kubesim make it), `service:NAME` and `loadbalancer:NAME` to that Service,
 * `nodeport:N` to the Service that has node port N. The route taken is
 * written for the report. The proxy does not pass a Host header on, so
 * Ingress rules for a host are not matched as a browser would match them.
 * Depends on: kvf_cluster, sim/load (ks_scenario).
 */
#ifndef KVF_TRAFFIC_H
#define KVF_TRAFFIC_H

#include <stdint.h>

#include "load/ks_scenario.h"
#include "kvf_cluster.h"

typedef struct kvf_traffic kvf_traffic;

/* Traffic into namespace ns (copied) of k (borrowed). NULL: out of memory. */
kvf_traffic *kvf_traffic_create(kvf_cluster *k, const char *ns);
void kvf_traffic_destroy(kvf_traffic *t);

/* Sends one request of generator g, without waiting for its answer (it is
 * counted when it comes: kvf_client_pump). route gets the URL path used
 * ("service proxy: /api/v1/..."), or why no route was found (then nothing
 * was sent, and the request counts at once as unanswered, as a client that
 * cannot connect). Returns 0 when sent, -1 when not. */
int kvf_traffic_send(kvf_traffic *t, const ks_scn_traffic *g, char *route, size_t n);

/* Requests sent so far through the service proxy (answered or not). */
uint64_t kvf_traffic_sent(const kvf_traffic *t);

/* Of those, how many have had their answer (or their failure) so far. */
uint64_t kvf_traffic_answered(const kvf_traffic *t);

/* Requests answered so far (as kubesim counts finished ones) with path
 * (NULL: any), to (NULL or NONE: any) and an HTTP status in [lo, hi] (0,0:
 * any): *count, and *ok of them 2xx. */
void kvf_traffic_stats(const kvf_traffic *t, const char *path, const ks_scn_target *to, int lo,
                       int hi, uint64_t *count, uint64_t *ok);

#endif
