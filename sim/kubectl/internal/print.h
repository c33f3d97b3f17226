/* internal/print.h -- the `kubectl get` table shared by ks_kubectl_print.c
 * (pods, Deployments, Services... and the command) and
 * ks_kubectl_print_work.c (Jobs and the other workload kinds kept as their
 * manifest): rows of cells, written for the tabwriter or handed to a
 * callback (ks_kubectl_columns). */
#ifndef KSI_PRINT_H
#define KSI_PRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "kubectl.h"

typedef struct ksi_table {
    ksi_kc *k;
    ks_strbuf sb;
    bool ns_column, label_column, headers;
    const char *prefix;       /* "pod/" when several types are listed */
    size_t rows;
    ks_kubectl_row_fn fn;     /* set: cells go to fn, not to sb (ks_kubectl_columns) */
    void *ud;
    size_t ncells;            /* cells of the last row given to fn */
} ksi_table;

#define KSI_MAX_CELLS 16

/* One row: ns and labels are used when those columns are on; then cells
 * up to NULL. The first cell (NAME) gets the type prefix unless header.
 * key (the object's id, 0 for the header) goes to t->fn when it is set. */
void ksi_table_row(ksi_table *t, bool header, uint64_t key, const char *ns, const char *labels,
                   ...);

#define HEAD(t, ...)                                                                     \
    ksi_table_row(t, true, 0, "NAMESPACE", "LABELS", __VA_ARGS__, (const char *)NULL)
#define ROW(t, id, ...)                                                                  \
    ksi_table_row(t, false, id, ksi_kc_obj_ns((t)->k->sim, id),                          \
                  ksi_kc_labels_text((t)->k, ksi_kc_obj_labels((t)->k->sim, id)),        \
                  __VA_ARGS__, (const char *)NULL)

/* Cells several printers use. */
const char *ksi_kc_num(ksi_kc *k, int64_t v);
/* "app=web,tier in (a,b)" or "<none>" (metav1.FormatLabelSelector). */
const char *ksi_kc_selector_text(ksi_kc *k, const ks_selector *s);
/* Container names or images, comma-separated (layoutContainerCells). */
const char *ksi_kc_containers_text(ksi_kc *k, const ks_pod_spec *spec, bool images);

/* ks_kubectl_print_work.c */
void ksi_print_jobs(ksi_table *t, const ks_id *ids, size_t n, bool wide);
void ksi_print_cronjobs(ksi_table *t, const ks_id *ids, size_t n, bool wide);
void ksi_print_hpas(ksi_table *t, const ks_id *ids, size_t n);
void ksi_print_netpols(ksi_table *t, const ks_id *ids, size_t n);
/* An HPA's metric i: its target ("50%", "500m", "100Mi") and its current
 * value ("72%", with describe "72% (144m)"; "<unknown>"). */
struct ks_hpa;
const char *ksi_hpa_target_text(ksi_kc *k, const ks_hpa_metric *m);
const char *ksi_hpa_current_text(ksi_kc *k, const struct ks_hpa *h, size_t i, bool describe);
void ksi_print_statefulsets(ksi_table *t, const ks_id *ids, size_t n, bool wide);
void ksi_print_daemonsets(ksi_table *t, const ks_id *ids, size_t n, bool wide);
/* ks_kubectl_print_net.c */
void ksi_print_services(ksi_table *t, const ks_id *ids, size_t n, bool wide);
void ksi_print_endpoints(ksi_table *t, const ks_id *ids, size_t n);
void ksi_print_ingresses(ksi_table *t, const ks_id *ids, size_t n);
/* ks_kubectl_print_ns.c: namespaces: the four a new cluster has and the
 * Namespace objects (the ingress addon's, any applied); those named in want only, when
 * nwant (NotFound for the others). Returns how many rows. */
size_t ksi_print_namespaces(ksi_kc *k, ksi_table *t, const char *const *want, size_t nwant);
/* Rows of the namespaces at indices idx of ks_kubectl_namespaces' list. */
void ksi_namespace_rows(ksi_table *t, const size_t *idx, size_t n);
/* ks_kubectl_print_ns.c: the nodes' Leases in this namespace (those named in
 * want, when nwant; NotFound for the others), as rows or (names_only) as
 * lines "lease.coordination.k8s.io/NAME". Returns how many. */
size_t ksi_print_leases(ksi_kc *k, ksi_table *t, const char *const *want, size_t nwant,
                        bool names_only);
/* The Leases of nodes ids[0..n) as rows (ks_kubectl_columns, the API
 * server's Tables): NAME HOLDER AGE, a node without one skipped. */
void ksi_lease_rows(ksi_table *t, const ks_id *ids, size_t n);

#endif
