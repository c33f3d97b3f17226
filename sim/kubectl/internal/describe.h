/* internal/describe.h -- the describe writer shared by ks_kubectl_describe.c
 * (deployments, services, nodes, claims; the command),
 * ks_kubectl_describe_pod.c (pods) and ks_kubectl_describe_work.c (Jobs,
 * CronJobs, StatefulSets, DaemonSets): "Key:\tvalue" lines at kubectl's indentation levels, aligned by the
 * tabwriter as kubectl's describers are (minwidth 0, padding 2). */
#ifndef KSI_DESCRIBE_H
#define KSI_DESCRIBE_H

#include "kubectl.h"

typedef struct ksi_describer {
    ksi_kc *k;
    ks_strbuf sb;
} ksi_describer;

/* A line (or part of one) at level (two spaces each). */
void ksi_dw(ksi_describer *d, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Aligns and appends what was written to the command's output. */
void ksi_dw_flush(ksi_describer *d);
/* printLabelsMultiline: "Title:\tk=v\n\tk2=v2\n" sorted, or <none>. sep is
 * "=" for labels and ": " for annotations. */
void ksi_dw_kvs(ksi_describer *d, const char *title, const ks_kvs *m, const char *sep);
/* The Events table of one object, oldest last-seen first, or <none>. */
void ksi_dw_events(ksi_describer *d, ks_id id);
/* kubectl's DescribePodTemplate: "Pod Template:" with labels, annotations,
 * (init) containers, volumes, node selectors and tolerations. */
void ksi_dw_template(ksi_describer *d, const ks_pod_template *t);

/* Quantities as describe prints them: cpu "500m" or "2", memory "128Mi". */
const char *ksi_dw_cpu(ksi_kc *k, int64_t milli);
const char *ksi_dw_mem(ksi_kc *k, int64_t bytes);

/* ks_kubectl_describe_pod.c */
void ksi_describe_pod(ksi_describer *d, ks_id id);

/* ks_kubectl_describe_work.c */
void ksi_describe_job(ksi_describer *d, ks_id id);
void ksi_describe_cronjob(ksi_describer *d, ks_id id);
void ksi_describe_hpa(ksi_describer *d, ks_id id);
void ksi_describe_statefulset(ksi_describer *d, ks_id id);
void ksi_describe_daemonset(ksi_describer *d, ks_id id);
void ksi_describe_netpol(ksi_describer *d, ks_id id);
void ksi_describe_serviceaccount(ksi_describer *d, ks_id id);

#endif
