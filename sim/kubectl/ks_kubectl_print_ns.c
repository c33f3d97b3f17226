/* ks_kubectl_print_ns.c -- `kubectl get namespaces`, and what the system
 * namespace kube-node-lease holds: `kubectl get leases` and `kubectl
 * describe lease`, the nodes' Leases, which their kubelets renew
 * (ks_cluster_node_lease). Columns NAME HOLDER AGE (printers.go printLease);
 * describe as kubectl's generic describer prints a Lease (there is no
 * Lease describer in staging/src/k8s.io/kubectl/pkg/describe/describe.go).
 */
#include <stdlib.h>
#include <string.h>

#include "internal/kubectl.h"
#include "internal/print.h"

#define NODE_LEASE_NS "kube-node-lease"

/* ---- namespaces ------------------------------------------------------------------------ */
size_t ks_kubectl_namespaces(const ks_sim *sim, const char **names, ks_time *created,
                             size_t max)
{
    ks_id id = 0;
    size_t n = 0, i, j;
    for (i = 0; i < KS_CLUSTER_SYSTEM_NAMESPACES && n < max; i++) {
        ks_time t = ks_cluster_namespace_created(sim, ks_cluster_system_namespaces[i]);
        if (t < 0)
            continue;                    /* kube-node-lease, deleted */
        names[n] = ks_cluster_system_namespaces[i];
        created[n++] = t;
    }
    while ((id = ks_cluster_next(sim, KS_KIND_NAMESPACE, id)) != 0 && n < max) {
        const char *name = ksi_kc_obj_name(sim, id);
        for (i = 0; name && i < n && strcmp(names[i], name) != 0; i++) {
        }
        if (name && i == n) {
            names[n] = name;
            created[n++] = ks_cluster_created(sim, id);
        }
    }
    for (i = 1; i < n; i++)                    /* insertion sort by name */
        for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *x = names[j];
            ks_time c = created[j];
            names[j] = names[j - 1];
            created[j] = created[j - 1];
            names[j - 1] = x;
            created[j - 1] = c;
        }
    return n;
}

/* Rows of the namespaces at indices idx of ks_kubectl_namespaces' list. */
void ksi_namespace_rows(ksi_table *t, const size_t *idx, size_t n)
{
    const char *names[KS_KUBECTL_MAX_NAMESPACES];
    ks_time created[KS_KUBECTL_MAX_NAMESPACES];
    size_t all = ks_kubectl_namespaces(t->k->sim, names, created, KS_KUBECTL_MAX_NAMESPACES), i;
    HEAD(t, "NAME", "STATUS", "AGE");
    for (i = 0; i < n; i++)
        if (idx[i] < all)
            ksi_table_row(t, false, idx[i] + 1, "", "<none>", names[idx[i]],
                ks_cluster_terminating(t->k->sim, ks_cluster_find(t->k->sim, KS_KIND_NAMESPACE,
                                                                  NULL, names[idx[i]]))
                    ? "Terminating" : "Active",
                ksi_kc_age(t->k, created[idx[i]]), (const char *)NULL);
}

/* Namespaces: the four a new cluster has and the Namespace objects (the
 * ingress addon's, any applied); only those named in want[0..nwant) when
 * nwant (NotFound for a name that is none of them). */
size_t ksi_print_namespaces(ksi_kc *k, ksi_table *t, const char *const *want, size_t nwant)
{
    const char *names[KS_KUBECTL_MAX_NAMESPACES];
    ks_time created[KS_KUBECTL_MAX_NAMESPACES];
    size_t idx[KS_KUBECTL_MAX_NAMESPACES], n, i, m = 0, w;
    n = ks_kubectl_namespaces(k->sim, names, created, KS_KUBECTL_MAX_NAMESPACES);
    for (w = 0; w < (nwant ? nwant : 1); w++)
        for (i = 0; i < n; i++)
            if (!nwant || strcmp(names[i], want[w]) == 0) {
                idx[m++] = i;
                if (nwant)
                    break;
            }
    for (w = 0; w < nwant; w++) {
        for (i = 0; i < n && strcmp(names[i], want[w]) != 0; i++) {
        }
        if (i == n)
            ksi_kc_not_found(k, KS_KIND_NAMESPACE, want[w]);
    }
    if (m)
        ksi_namespace_rows(t, idx, m);
    return m;
}


/* ---- the nodes' Leases ---------------------------------------------------------------- */
static int by_name(const void *a, const void *b)
{
    return strcmp(((const ks_lease *)a)->name, ((const ks_lease *)b)->name);
}

/* The Leases of this namespace (or every one, -A), by name, in *out
 * (k->tmp); those named in want[0..nwant) only, when nwant (NotFound for a
 * name that is none). Returns how many. */
static size_t leases(ksi_kc *k, const char *const *want, size_t nwant, ks_lease **out)
{
    size_t n = 0, max = 0, i, w, m = 0;
    ks_id id = 0;
    ks_lease *all;
    bool here = k->all_ns || strcmp(k->ns, NODE_LEASE_NS) == 0;
    while ((id = ks_cluster_next(k->sim, KS_KIND_NODE, id)) != 0)
        max++;
    all = ks_arena_alloc(k->tmp, (max + 1) * sizeof *all);
    *out = ks_arena_alloc(k->tmp, (max + nwant + 1) * sizeof **out);
    if (!all || !*out)
        return 0;
    while (here && (id = ks_cluster_next(k->sim, KS_KIND_NODE, id)) != 0 && n < max)
        if (ks_cluster_node_lease(k->sim, id, &all[n]))
            n++;
    qsort(all, n, sizeof *all, by_name);
    for (w = 0; w < (nwant ? nwant : 1); w++) {
        for (i = 0; i < n; i++)
            if (!nwant || strcmp(all[i].name, want[w]) == 0) {
                (*out)[m++] = all[i];
                if (nwant)
                    break;
            }
        if (nwant && i == n)
            ksi_kc_not_found(k, KSI_KC_LEASES, want[w]);
    }
    return m;
}

size_t ksi_print_leases(ksi_kc *k, ksi_table *t, const char *const *want, size_t nwant,
                        bool names_only)
{
    ks_lease *l;
    size_t n = leases(k, want, nwant, &l), i;
    if (n && !names_only)
        HEAD(t, "NAME", "HOLDER", "AGE");
    for (i = 0; i < n; i++) {
        if (names_only)
            ksi_kc_line(k, "lease.coordination.k8s.io/%s", l[i].name);
        else
            ksi_table_row(t, false, l[i].node, NODE_LEASE_NS, "<none>", l[i].name, l[i].name,
                          ksi_kc_age(k, l[i].created), (const char *)NULL);
    }
    return n;
}

void ksi_lease_rows(ksi_table *t, const ks_id *ids, size_t n)
{
    size_t i;
    ks_lease l;
    HEAD(t, "NAME", "HOLDER", "AGE");
    for (i = 0; i < n; i++)
        if (ks_cluster_node_lease(t->k->sim, ids[i], &l))
            ksi_table_row(t, false, ids[i], NODE_LEASE_NS, "<none>", l.name, l.name,
                          ksi_kc_age(t->k, l.created), (const char *)NULL);
}

int ksi_kc_describe_leases(ksi_kc *k, const char *const *want, size_t nwant)
{
    ks_lease *l;
    size_t n = leases(k, want, nwant, &l), i;
    if (!n && !nwant) {
        if (k->all_ns)
            ksi_kc_line(k, "No resources found");
        else
            ksi_kc_line(k, "No resources found in %s namespace.", k->ns);
    }
    for (i = 0; i < n; i++) {
        if (i)
            ksi_kc_line(k, "%s", "");
        ksi_kc_line(k, "Name:         %s", l[i].name);
        ksi_kc_line(k, "Namespace:    %s", NODE_LEASE_NS);
        ksi_kc_line(k, "Labels:       <none>");
        ksi_kc_line(k, "Annotations:  <none>");
        ksi_kc_line(k, "API Version:  coordination.k8s.io/v1");
        ksi_kc_line(k, "Kind:         Lease");
        ksi_kc_line(k, "Metadata:");
        ksi_kc_line(k, "  Creation Timestamp:  %.19sZ", ksi_kc_rfc3339(k, l[i].created));
        ksi_kc_line(k, "  Owner References:");
        ksi_kc_line(k, "    API Version:  v1");
        ksi_kc_line(k, "    Kind:         Node");
        ksi_kc_line(k, "    Name:         %s", l[i].name);
        ksi_kc_line(k, "Spec:");
        ksi_kc_line(k, "  Holder Identity:         %s", l[i].name);
        ksi_kc_line(k, "  Lease Duration Seconds:  %d", KS_NODE_LEASE_DURATION);
        /* a MicroTime: microseconds always */
        ksi_kc_line(k, "  Renew Time:              %.19s.%06lldZ", ksi_kc_rfc3339(k, l[i].renewed),
                    (long long)(l[i].renewed % KS_SEC));
        ksi_kc_line(k, "Events:                    <none>");
    }
    return k->status;
}
