/* ks_netpol.c -- NetworkPolicy enforcement: which connections a policy
 * engine (Calico, Cilium) lets through, decided from the policies in the
 * store at the instant of the connection.
 *
 * The rules (K8S/concepts/services-networking/network-policies/ and the
 * API reference of NetworkPolicySpec):
 *   - a pod is isolated for ingress (egress) when a policy of its
 *     namespace selects it and lists Ingress (Egress) in policyTypes;
 *     policies are additive: a connection is allowed when any of them
 *     allows it; a pod no policy selects allows everything;
 *   - a rule with no from/to admits every peer, with no ports every port;
 *     a peer's podSelector alone means pods of the policy's namespace,
 *     namespaceSelector alone every pod of the matching namespaces, both
 *     together pods matching both; namespaces are matched on their labels,
 *     which always include kubernetes.io/metadata.name (K8S/concepts/
 *     overview/working-with-objects/namespaces/, automatic labelling, 1.22+);
 *   - an ipBlock matches addresses in its cidr and not in its except; for
 *     pods kubesim matches their IPs (Calico and Cilium do; the API leaves
 *     it to the plugin);
 *   - a named port matches the destination pod's container port of that
 *     name; endPort makes a range.
 */
#include "ks_netpol.h"

#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "core/internal/sim.h"

#define MAX_NS_LABELS 64

ks_netpol_end ks_netpol_pod(const ks_pod *p)
{
    ks_netpol_end e;
    e.ns = p->ns;
    e.labels = &p->labels;
    e.ip = p->ip[0] ? p->ip : NULL;
    e.pod = p;
    return e;
}

bool ks_netpol_enforced(const ks_sim *sim)
{
    return sim->cluster && sim->cluster->network_policy;
}

static bool parse_ip(const char *s, uint32_t *out)
{
    unsigned a, b, c, d;
    char tail;
    if (!s || sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255
        || c > 255 || d > 255)
        return false;
    *out = (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | (uint32_t)d;
    return true;
}

/* A namespace's labels, with kubernetes.io/metadata.name, match sel. */
static bool namespace_matches(const ks_sim *sim, const ks_selector *sel, const char *ns)
{
    ks_kv items[MAX_NS_LABELS + 1];
    ks_kvs labels = {items, 0};
    const ks_object *o = ks_cluster_object(sim, ks_cluster_find(sim, KS_KIND_NAMESPACE, "", ns));
    size_t i;
    if (o)
        for (i = 0; i < o->meta.labels.n && labels.n < MAX_NS_LABELS; i++)
            if (strcmp(o->meta.labels.items[i].key, "kubernetes.io/metadata.name") != 0)
                items[labels.n++] = o->meta.labels.items[i];
    items[labels.n++] = (ks_kv){"kubernetes.io/metadata.name", ns};
    return ks_selector_matches(sel, &labels);
}

static bool peer_matches(const ks_sim *sim, const ks_object *pol, const ks_netpol_peer *p,
                         const ks_netpol_end *x)
{
    uint32_t ip;
    size_t i;
    if (p->cidr) {
        if (p->v6 || !parse_ip(x->ip, &ip) || (ip & p->mask) != p->net)
            return false;
        for (i = 0; i < p->nexcept; i++)
            if ((ip & p->except_mask[i]) == p->except_net[i])
                return false;
        return true;
    }
    if (!x->ns)
        return false;                   /* not a pod: selectors never match */
    if (p->has_namespaces ? !namespace_matches(sim, &p->namespaces, x->ns)
                          : strcmp(x->ns, pol->meta.ns) != 0)
        return false;
    return !p->has_pods || ks_selector_matches(&p->pods, x->labels);
}

/* The port of the destination pod named name for protocol, or 0. */
static int named_port(const ks_pod *p, const char *name, const char *protocol)
{
    size_t c, k;
    for (c = 0; p && c < p->spec->ncontainers; c++)
        for (k = 0; k < p->spec->containers[c].nports; k++) {
            const ks_port *cp = &p->spec->containers[c].ports[k];
            const char *proto = cp->protocol ? cp->protocol : "TCP";
            if (cp->name && strcmp(cp->name, name) == 0 && strcmp(proto, protocol) == 0)
                return cp->port;
        }
    return 0;
}

static bool port_matches(const ks_netpol_port *pp, const ks_netpol_end *dst, int port,
                         const char *protocol)
{
    int want;
    if (strcmp(pp->protocol, protocol) != 0)
        return false;
    if (pp->any_port)
        return true;
    if (pp->port.is_str)
        return (want = named_port(dst->pod, pp->port.str, protocol)) != 0 && want == port;
    if (pp->end_port)
        return port >= pp->port.num && port <= pp->end_port;
    return port == pp->port.num;
}

static bool rule_allows(const ks_sim *sim, const ks_object *pol, const ks_netpol_rule *r,
                        const ks_netpol_end *peer, const ks_netpol_end *dst, int port,
                        const char *protocol)
{
    size_t i;
    bool peer_ok = r->npeers == 0, port_ok = r->nports == 0;
    for (i = 0; !peer_ok && i < r->npeers; i++)
        peer_ok = peer_matches(sim, pol, &r->peers[i], peer);
    for (i = 0; peer_ok && !port_ok && i < r->nports; i++)
        port_ok = port_matches(&r->ports[i], dst, port, protocol);
    return peer_ok && port_ok;
}

/* One end's side: self's policies for the direction admit peer. isolated
 * is set when some policy selects self for it. */
static bool side_allows(const ks_sim *sim, const ks_netpol_end *self, const ks_netpol_end *peer,
                        bool egress, const ks_netpol_end *dst, int port, const char *protocol,
                        bool *isolated)
{
    ks_id id = 0;
    *isolated = false;
    while ((id = ks_cluster_next(sim, KS_KIND_NETPOL, id)) != 0) {
        const ks_object *o = ks_cluster_object(sim, id);
        const ks_netpol_spec *np;
        const ks_netpol_rule *rules;
        size_t i, n;
        if (!o || strcmp(o->meta.ns, self->ns) != 0)
            continue;
        np = &o->u.netpol;
        if (!(egress ? np->egress : np->ingress)
            || !ks_selector_matches(&np->pod_selector, self->labels))
            continue;
        *isolated = true;
        rules = egress ? np->out : np->in;
        n = egress ? np->nout : np->nin;
        for (i = 0; i < n; i++)
            if (rule_allows(sim, o, &rules[i], peer, dst, port, protocol))
                return true;
    }
    return !*isolated;
}

bool ks_netpol_allows(const ks_sim *sim, const ks_netpol_end *from, const ks_netpol_end *to,
                      int port, const char *protocol)
{
    bool isolated;
    if (!ks_netpol_enforced(sim))
        return true;
    if (from->ns && !side_allows(sim, from, to, true, to, port, protocol, &isolated))
        return false;
    return !to->ns || side_allows(sim, to, from, false, to, port, protocol, &isolated);
}

bool ks_netpol_isolated(const ks_sim *sim, const ks_pod *p, bool egress)
{
    ks_netpol_end self = ks_netpol_pod(p), nobody = {NULL, NULL, NULL, NULL};
    bool isolated;
    side_allows(sim, &self, &nobody, egress, &self, 0, "TCP", &isolated);
    return isolated && ks_netpol_enforced(sim);
}
