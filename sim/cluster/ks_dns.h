/* ks_dns.h -- the cluster's DNS: CoreDNS with its kubernetes plugin, and
 * the resolver a pod gets (dnsPolicy ClusterFirst).
 *
 * The records follow the Kubernetes DNS specification (kubernetes/dns,
 * docs/specification.md), zone cluster.local:
 *   <svc>.<ns>.svc.cluster.local        A  the cluster IP; for a headless
 *                                          Service one A per ready endpoint
 *                                          (NXDOMAIN when it has none)
 *   <host>.<svc>.<ns>.svc.cluster.local A  a ready endpoint of a headless
 *                                          Service whose pod has
 *                                          spec.hostname <host> and
 *                                          spec.subdomain <svc>
 *   <a-b-c-d>.<ns>.pod.cluster.local    A  a.b.c.d (CoreDNS "pods insecure")
 *   <svc>.<ns>.svc.cluster.local        CNAME  an ExternalName Service
 * Anything else is NXDOMAIN: the simulated cluster has no outside world.
 *
 * The records live in one table (ks_dns.c), rebuilt from the store when a
 * Service or any endpoints change. Whoever wants a pod to have its own
 * name does what the real controllers do: set the pod's spec.hostname and
 * spec.subdomain (a StatefulSet sets them to the pod's name and its
 * serviceName, stateful_set_utils.go), and have a headless Service of that
 * name select it; the table then holds <pod>.<svc>.<ns>.svc.cluster.local.
 *
 * A pod's resolver (pkg/kubelet/network/dns/dns.go): search
 * <ns>.svc.cluster.local svc.cluster.local cluster.local, options ndots:5;
 * a name with fewer than 5 dots is tried with each search domain first,
 * then as it is; a trailing dot makes it absolute. The pod's own hostname
 * resolves to its IP (its /etc/hosts). The server answers only while its
 * Service (kube-system/kube-dns, 10.96.0.10) has a ready CoreDNS pod.
 * Depends on: ks_cluster.
 */
#ifndef KS_DNS_H
#define KS_DNS_H

#include <stdbool.h>
#include <stddef.h>

#include "ks_cluster.h"

#define KS_DNS_DOMAIN "cluster.local"
#define KS_DNS_SERVER "10.96.0.10"   /* the kube-dns Service of kubeadm and minikube */
#define KS_DNS_NDOTS 5               /* pkg/kubelet/network/dns/dns.go: ndotsDNSOption */
#define KS_DNS_MAX_SEARCH 3
#define KS_DNS_MAX_ANSWERS 16
#define KS_DNS_NAME_MAX 256

/* KS_DNS_TIMEOUT is no DNS rcode: no server answered (resolve only). */
enum { KS_DNS_NOERROR = 0, KS_DNS_NXDOMAIN = 3, KS_DNS_TIMEOUT = -1 };

typedef struct ks_dns_answer {
    int rcode;                    /* KS_DNS_NOERROR, KS_DNS_NXDOMAIN or KS_DNS_TIMEOUT */
    char name[KS_DNS_NAME_MAX];   /* the name asked (resolve: the one that
                                     answered), lower case, no final dot */
    size_t n;                     /* A records */
    char addr[KS_DNS_MAX_ANSWERS][16];
    ks_id svc;                    /* the Service the name belongs to, or 0 */
    const char *cname;            /* an ExternalName Service's target, or NULL */
} ks_dns_answer;

/* The answer of the cluster's DNS server for one absolute name (a final
 * dot is fine; case does not matter). */
void ks_dns_query(ks_sim *sim, const char *name, ks_dns_answer *out);

/* The search list a pod of namespace ns has in its /etc/resolv.conf; the
 * names (at most KS_DNS_MAX_SEARCH) are written to list. Returns the count. */
size_t ks_dns_search(const char *ns, char list[][KS_DNS_NAME_MAX], size_t max);

/* Whether the cluster's DNS answers: a Service at KS_DNS_SERVER with a UDP
 * port 53 has a ready endpoint (kubeadm's kube-dns, CoreDNS's pods). While
 * it has none, kube-proxy has no pod to send a pod's queries to, and every
 * lookup times out (the resolver's retries go unanswered). */
bool ks_dns_server_up(ks_sim *sim);

/* Whether pod p (NULL: none) asks the DNS server to resolve name: not for
 * a dotted IPv4 address, nor for a name of its /etc/hosts. */
bool ks_dns_asks_server(const ks_pod *p, const char *name);

/* Resolves name as pod p's resolver does (getaddrinfo over its
 * resolv.conf and /etc/hosts); p NULL: a pod of the default namespace.
 * out->rcode is NXDOMAIN when no try found an address, TIMEOUT when the
 * name is not in /etc/hosts and the DNS server does not answer. */
void ks_dns_resolve(ks_sim *sim, const ks_pod *p, const char *name, ks_dns_answer *out);

/* What an IPv4 address is in the cluster: a Service's cluster IP (*svc),
 * a pod's IP (*pod), or nothing (both 0). */
void ks_dns_owner(const ks_sim *sim, const char *ip, ks_id *svc, ks_id *pod);

#endif
