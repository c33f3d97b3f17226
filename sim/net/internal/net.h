/* internal/net.h -- in-cluster networking (ks_net.c): DNS, kube-proxy, the
 * ingress-nginx routing table; used by the traffic engine (ks_traffic.c). */
#ifndef KSI_NET_H
#define KSI_NET_H

#include "../ks_ingress.h"
#include "cluster/internal/cluster.h"

/* The Service a host name refers to from pod `from` (NULL: the default
 * namespace) through its resolver (cluster/ks_dns.h), or its cluster IP; 0
 * when DNS has no such name. */
ks_id ksi_net_resolve(ks_sim *sim, const ks_pod *from, const char *host);
/* Whether host is the pod's own loopback: "localhost" (the kubelet's
 * managed /etc/hosts maps it to 127.0.0.1 and ::1, so no DNS query is sent)
 * or an address of 127.0.0.0/8 or ::1. Every container of a pod shares its
 * network namespace, so a container reaches another one of its pod there. */
bool ksi_net_loopback(const char *host);
/* The Service with nodePort port; *index gets the port's index. */
ks_id ksi_net_nodeport(const ks_sim *sim, int port, size_t *index);
/* The index of svc's TCP port number port (or named port name), or -1. */
int ksi_net_service_port(const ks_service *svc, int port, const char *name);
/* A ready endpoint of svc for its port index pi (one that has the port's
 * targetPort), as kube-proxy picks it (random); *target gets the pod's
 * port. 0 when there is none. */
ks_id ksi_net_pick(ks_sim *sim, const ks_service *svc, size_t pi, int *target);
/* The pod port a service port's targetPort means on pod p. */
int ksi_net_target_port(const ks_service *svc, size_t pi, const ks_pod *p);
/* Round robin over svc's ready endpoints (ingress-nginx's balancer). */
ks_id ksi_net_round_robin(ks_sim *sim, const ks_service *svc, size_t pi, int *target);
/* The routing table of the ingress controller (rebuilt when Ingresses
 * changed); NULL when there is no controller. *version gets the table's
 * version, which changes with every rebuild: what is kept from a table is
 * known stale by its version, not by its address (a rebuilt table may be
 * allocated where the old one was). */
const ks_ingress_table *ksi_net_ingress(ks_sim *sim, uint64_t *version);

/* What a process's env says about one of its peers (its database or its
 * cache): read once per process (its usage generation, never reused; a
 * process's env is fixed for its life), not per request. Names longer
 * than name[] are not kept. */
typedef struct ksi_peer_env {
    uint32_t gen;                 /* the process; 0: empty */
    unsigned use;                 /* KS_USE_DATABASE or KS_USE_CACHE */
    bool has_host;                /* a host set (or defaulted); else localhost */
    char name[64];                /* the host's name (without ":port") */
    int port;                     /* the port it connects to */
    uint32_t login_gen;           /* use KS_USE_DATABASE: the database process
                                     it last logged in to; 0: none */
    uint64_t dns_version;         /* ksi_dns_version + 1 when svc was resolved
                                     (0: not yet): name's Service is kept while
                                     no DNS record changes, so a call does no
                                     lookup */
    bool from_ip;                 /* whether the pod had its IP then */
    ks_id svc;
} ksi_peer_env;

/* The slot of (gen, use) in the network's small table: its entry when
 * slot->gen == gen && slot->use == use, else the slot to fill. */
ksi_peer_env *ksi_net_peer_env(ks_sim *sim, uint32_t gen, unsigned use);

/* The route an image answers a request with (ks_catalog_route), kept by
 * the image and the request's interned method and path (strings that live
 * as long as the sim, so their addresses name them): a request finds its
 * route by three pointer compares, not by matching the image's routes. */
typedef struct ksi_route_memo {
    const void *image;            /* the catalog entry; NULL: empty */
    const char *method, *path;    /* interned */
    const void *route;            /* what ks_catalog_route answered (NULL: none) */
} ksi_route_memo;

/* The slot of (image, method, path) in the network's small table: its
 * entry when all three are equal, else an emptied slot to fill. */
ksi_route_memo *ksi_net_route_memo(ks_sim *sim, const void *image, const char *method,
                                   const char *path);

/* Fills the cluster's fetch slot: wget and curl in a container (ks_fetch.c). */
void ksi_net_fetch_init(ks_sim *sim);

/* ---- the traffic engine (ks_traffic.c, ks_serve.c) -------------------------------- */
/* A hop's text and its length: the trace hashes it without measuring it
 * again (a busy run makes millions of hops). */
typedef struct ksi_text {
    const char *s;
    size_t n;
} ksi_text;
#define KSI_TEXT(lit) ((ksi_text){lit, sizeof lit - 1})
/* Pod p's ref "pod/NAME" and its NetworkPolicy's "policy:pod/NAME". */
ksi_text ksi_pod_text(ks_sim *sim, ksi_pod *p);
ksi_text ksi_pod_policy_text(ks_sim *sim, ksi_pod *p);

/* A hop of request id as a trace event. */
/* line ("METHOD path"), from and to must outlive the call only. */
void ksi_traffic_hop(ks_sim *sim, uint64_t id, ksi_text line, ksi_text from, ksi_text to,
                     int status, ks_time latency);
/* A request a pod's own program sent through a Service (wget, curl, in its
 * command or in kubectl exec), counted in the Service's route as the
 * generators' requests are: status (0: no answer) and what it took. */
void ksi_traffic_count(ks_sim *sim, const char *method, const char *path, const char *service,
                       int status, ks_time latency);
/* A new request id, from the one sequence the generators' requests take
 * theirs from (a program's own request, wget or curl in a pod: its hops
 * carry it, so the window draws each as its own dot). 0: out of memory. */
uint64_t ksi_traffic_new_id(ks_sim *sim);
/* Container c of p serves a request: returns the status and sets *took to
 * the time it took (its own latency plus its calls to databases/caches);
 * -1 when the process died under the request (the connection drops). */
int ksi_serve(ks_sim *sim, ksi_pod *p, size_t c, const char *method, const char *path,
              ksi_text line, uint64_t id, ks_time *took);
/* The same, for a method and path interned for the sim's life (the
 * traffic engine's): the route is found once per (image, method, path). */
int ksi_serve_interned(ks_sim *sim, ksi_pod *p, size_t c, const char *method,
                       const char *path, ksi_text line, uint64_t id, ks_time *took);

#endif
