/* ks_netpol.h -- NetworkPolicy as a policy engine enforces it
 * (networking.k8s.io/v1; K8S/concepts/services-networking/network-policies/).
 *
 * Only when the cluster's network plugin enforces policies
 * (spec.cluster.cni: calico or cilium, as `minikube start --cni`): with
 * minikube's default plugin a NetworkPolicy is accepted, listed and
 * described, and changes nothing -- no error anywhere, as on a real cluster.
 * A pod selected by a policy with Ingress (Egress) in its policyTypes is
 * isolated for that direction: a connection is allowed only when some such
 * policy's rule admits the peer (podSelector in the policy's namespace,
 * namespaceSelector, both, or an ipBlock) and the port; a connection must
 * be allowed at both ends (the client's egress, the server's ingress). A
 * refused connection is dropped, not rejected: the caller times out.
 * Depends on: cluster (the store, namespaces' labels).
 */
#ifndef KS_NETPOL_H
#define KS_NETPOL_H

#include <stdbool.h>

#include "cluster/ks_cluster.h"

/* One end of a connection: a pod (ns set), or an address outside the pod
 * network (ns NULL: a node, a client outside the cluster). */
typedef struct ks_netpol_end {
    const char *ns;
    const ks_kvs *labels;
    const char *ip;               /* dotted IPv4, or NULL */
    const ks_pod *pod;            /* the pod, when there is one (named ports) */
} ks_netpol_end;

/* The first node's address on minikube's network (traffic from outside
 * the cluster reaches pods from it). */
#define KS_NODE_IP "192.168.49.2"

/* The end that a pod is. */
ks_netpol_end ks_netpol_pod(const ks_pod *p);
/* Whether the plugin enforces NetworkPolicy at all. */
bool ks_netpol_enforced(const ks_sim *sim);
/* Whether a connection from -> to on port/protocol ("TCP", "UDP") gets
 * through: always without enforcement; else the client's egress and the
 * server's ingress must both allow it. */
bool ks_netpol_allows(const ks_sim *sim, const ks_netpol_end *from, const ks_netpol_end *to,
                      int port, const char *protocol);
/* Whether the pod is isolated for ingress (egress) by some policy. */
bool ks_netpol_isolated(const ks_sim *sim, const ks_pod *p, bool egress);

#endif
