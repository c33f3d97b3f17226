/* ks_kubectl_print_work.c -- `kubectl get` of the workload kinds kept as
 * their manifest: Jobs, CronJobs (and, as they come, StatefulSets,
 * DaemonSets), with the columns of
 * pkg/printers/internalversion/printers.go at v1.30 (printJob: the STATUS
 * column arrived in 1.30, kubernetes/kubernetes#123226; printCronJob;
 * printHorizontalPodAutoscaler and formatHPAMetrics: "cpu: 72%/50%", at
 * most two metrics then "+ N more...").
 */
#include <stdio.h>
#include <string.h>

#include "autoscale/ks_hpa.h"
#include "cluster/ks_workloads.h"
#include "internal/print.h"

/* COMPLETIONS: "1/3", or "0/1 of 4" for a work queue run 4 at a time. */
static const char *completions(ksi_kc *k, const ks_job *j)
{
    if (j->spec->completions >= 0)
        return ksi_kc_fmt(k, "%lld/%lld", (long long)j->succeeded,
                          (long long)j->spec->completions);
    if (j->spec->parallelism > 1)
        return ksi_kc_fmt(k, "%lld/1 of %lld", (long long)j->succeeded,
                          (long long)j->spec->parallelism);
    return ksi_kc_fmt(k, "%lld/1", (long long)j->succeeded);
}

/* DURATION: from start to completion, or to now while it runs (a Failed
 * Job has no completion time, so its duration keeps growing). */
static const char *duration(ksi_kc *k, const ks_job *j)
{
    char buf[32];
    if (j->start_time < 0)
        return "";
    ks_age_format((j->completion_time >= 0 ? j->completion_time : ks_now(k->sim))
                      - j->start_time, buf, sizeof buf);
    return ksi_kc_fmt(k, "%s", buf);
}

void ksi_print_jobs(ksi_table *t, const ks_id *ids, size_t n, bool wide)
{
    ksi_kc *k = t->k;
    size_t i;
    if (wide)
        HEAD(t, "NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES",
             "SELECTOR");
    else
        HEAD(t, "NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE");
    for (i = 0; i < n; i++) {
        const ks_job *j = ks_cluster_job(k->sim, ids[i]);
        if (!j)
            continue;
        if (wide)
            ROW(t, ids[i], j->name, ks_job_status_text(k->sim, j), completions(k, j),
                duration(k, j), ksi_kc_age(k, j->created),
                ksi_kc_containers_text(k, &j->spec->tmpl.spec, false),
                ksi_kc_containers_text(k, &j->spec->tmpl.spec, true),
                ksi_kc_fmt(k, "batch.kubernetes.io/controller-uid=%s", j->uid));
        else
            ROW(t, ids[i], j->name, ks_job_status_text(k->sim, j), completions(k, j),
                duration(k, j), ksi_kc_age(k, j->created));
    }
}

/* printCronJob: SUSPEND is printBoolPtr (True/False); LAST SCHEDULE an age. */
void ksi_print_cronjobs(ksi_table *t, const ks_id *ids, size_t n, bool wide)
{
    ksi_kc *k = t->k;
    size_t i;
    if (wide)
        HEAD(t, "NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE",
             "CONTAINERS", "IMAGES", "SELECTOR");
    else
        HEAD(t, "NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE");
    for (i = 0; i < n; i++) {
        const ks_cronjob *c = ks_cluster_cronjob(k->sim, ids[i]);
        const char *last, *tz;
        if (!c)
            continue;
        last = c->last_schedule >= 0 ? ksi_kc_age(k, c->last_schedule) : "<none>";
        tz = c->spec->time_zone ? c->spec->time_zone : "<none>";
        if (wide)
            ROW(t, ids[i], c->name, c->spec->schedule, tz, c->spec->suspend ? "True" : "False",
                ksi_kc_num(k, (int64_t)c->nactive), last, ksi_kc_age(k, c->created),
                ksi_kc_containers_text(k, &c->spec->job.tmpl.spec, false),
                ksi_kc_containers_text(k, &c->spec->job.tmpl.spec, true), "<none>");
        else
            ROW(t, ids[i], c->name, c->spec->schedule, tz, c->spec->suspend ? "True" : "False",
                ksi_kc_num(k, (int64_t)c->nactive), last, ksi_kc_age(k, c->created));
    }
}

/* ---- HorizontalPodAutoscalers ---- */
/* resource.Quantity's String() of a milli-cpu or byte value. */
static const char *quantity(ksi_kc *k, bool cpu, int64_t v)
{
    static const char *const dec[] = {"", "k", "M", "G", "T"};
    static const char *const bin[] = {"", "Ki", "Mi", "Gi", "Ti"};
    int e = 0;
    if (cpu)
        return v % 1000 == 0 ? ksi_kc_fmt(k, "%lld", (long long)(v / 1000))
                             : ksi_kc_fmt(k, "%lldm", (long long)v);
    if (v > 0 && v % 1024 == 0) {
        while (e < 4 && v % 1024 == 0 && v >= 1024) {
            v /= 1024;
            e++;
        }
        return ksi_kc_fmt(k, "%lld%s", (long long)v, bin[e]);
    }
    while (e < 4 && v != 0 && v % 1000 == 0) {
        v /= 1000;
        e++;
    }
    return ksi_kc_fmt(k, "%lld%s", (long long)v, dec[e]);
}

/* A custom metric's quantity, kept in milli-units, as resource.Quantity
 * prints a DecimalSI value: "100", "1500m", "2k". */
static const char *milli_quantity(ksi_kc *k, int64_t milli)
{
    static const char *const dec[] = {"", "k", "M", "G", "T"};
    int e = 0;
    if (milli % 1000 != 0)
        return ksi_kc_fmt(k, "%lldm", (long long)milli);
    milli /= 1000;
    while (e < 4 && milli != 0 && milli % 1000 == 0) {
        milli /= 1000;
        e++;
    }
    return ksi_kc_fmt(k, "%lld%s", (long long)milli, dec[e]);
}

const char *ksi_hpa_target_text(ksi_kc *k, const ks_hpa_metric *m)
{
    if (!ks_hpa_is_resource(m))
        return milli_quantity(k, m->average_value);
    return m->utilization ? ksi_kc_fmt(k, "%d%%", (int)m->average_utilization)
                          : quantity(k, strcmp(m->resource, "cpu") == 0, m->average_value);
}

const char *ksi_hpa_current_text(ksi_kc *k, const ks_hpa *h, size_t i, bool describe)
{
    const ks_hpa_metric *m = &h->spec->metrics[i];
    const ks_hpa_metric_status *st = &h->metrics[i];
    const char *avg;
    if (!st->known || !ks_hpa_is_resource(m))         /* no adapter: never known */
        return "<unknown>";
    avg = quantity(k, strcmp(m->resource, "cpu") == 0, st->average);
    if (!m->utilization)
        return avg;
    return describe ? ksi_kc_fmt(k, "%d%% (%s)", (int)st->utilization, avg)
                    : ksi_kc_fmt(k, "%d%%", (int)st->utilization);
}

/* formatHPAMetrics */
static const char *targets(ksi_kc *k, const ks_hpa *h)
{
    const char *out = "";
    size_t i, shown = h->spec->nmetrics < 2 ? h->spec->nmetrics : 2;
    for (i = 0; i < shown; i++) {
        const ks_hpa_metric *m = &h->spec->metrics[i];
        if (ks_hpa_is_resource(m))       /* Resource and ContainerResource alike */
            out = ksi_kc_fmt(k, "%s%s%s: %s/%s", out, i ? ", " : "", m->resource,
                             ksi_hpa_current_text(k, h, i, false), ksi_hpa_target_text(k, m));
        else                    /* Pods, Object, External: no name; "(avg)" per pod */
            out = ksi_kc_fmt(k, "%s%s%s/%s%s", out, i ? ", " : "",
                             ksi_hpa_current_text(k, h, i, false), ksi_hpa_target_text(k, m),
                             m->source != KS_HPA_PODS && !m->value ? " (avg)" : "");
    }
    if (h->spec->nmetrics > 2)
        out = ksi_kc_fmt(k, "%s + %zu more...", out, h->spec->nmetrics - 2);
    return out;
}

void ksi_print_hpas(ksi_table *t, const ks_id *ids, size_t n)
{
    ksi_kc *k = t->k;
    size_t i;
    HEAD(t, "NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE");
    for (i = 0; i < n; i++) {
        const ks_hpa *h = ks_cluster_hpa(k->sim, ids[i]);
        if (!h)
            continue;
        ROW(t, ids[i], h->obj->meta.name,
            ksi_kc_fmt(k, "%s/%s", h->spec->target_kind, h->spec->target_name), targets(k, h),
            ksi_kc_num(k, h->spec->min_replicas), ksi_kc_num(k, h->spec->max_replicas),
            ksi_kc_num(k, h->current), ksi_kc_age(k, h->created));
    }
}

/* printStatefulSet: READY is readyReplicas/spec.replicas. */
void ksi_print_statefulsets(ksi_table *t, const ks_id *ids, size_t n, bool wide)
{
    ksi_kc *k = t->k;
    size_t i;
    if (wide)
        HEAD(t, "NAME", "READY", "AGE", "CONTAINERS", "IMAGES");
    else
        HEAD(t, "NAME", "READY", "AGE");
    for (i = 0; i < n; i++) {
        const ks_statefulset *s = ks_cluster_statefulset(k->sim, ids[i]);
        const char *ready;
        if (!s)
            continue;
        ready = ksi_kc_fmt(k, "%lld/%lld", (long long)s->ready, (long long)s->spec->replicas);
        if (wide)
            ROW(t, ids[i], s->name, ready, ksi_kc_age(k, s->created),
                ksi_kc_containers_text(k, &s->spec->tmpl.spec, false),
                ksi_kc_containers_text(k, &s->spec->tmpl.spec, true));
        else
            ROW(t, ids[i], s->name, ready, ksi_kc_age(k, s->created));
    }
}

/* printDaemonSet: NODE SELECTOR is the template's nodeSelector, or <none>. */
void ksi_print_daemonsets(ksi_table *t, const ks_id *ids, size_t n, bool wide)
{
    ksi_kc *k = t->k;
    size_t i;
    if (wide)
        HEAD(t, "NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE",
             "NODE SELECTOR", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
    else
        HEAD(t, "NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE",
             "NODE SELECTOR", "AGE");
    for (i = 0; i < n; i++) {
        const ks_daemonset *d = ks_cluster_daemonset(k->sim, ids[i]);
        const char *nsel;
        if (!d)
            continue;
        nsel = ksi_kc_labels_text(k, &d->spec->tmpl.spec.node_selector);
        if (wide)
            ROW(t, ids[i], d->name, ksi_kc_num(k, d->desired), ksi_kc_num(k, d->current),
                ksi_kc_num(k, d->ready), ksi_kc_num(k, d->updated), ksi_kc_num(k, d->available),
                nsel, ksi_kc_age(k, d->created),
                ksi_kc_containers_text(k, &d->spec->tmpl.spec, false),
                ksi_kc_containers_text(k, &d->spec->tmpl.spec, true),
                ksi_kc_selector_text(k, &d->spec->selector));
        else
            ROW(t, ids[i], d->name, ksi_kc_num(k, d->desired), ksi_kc_num(k, d->current),
                ksi_kc_num(k, d->ready), ksi_kc_num(k, d->updated), ksi_kc_num(k, d->available),
                nsel, ksi_kc_age(k, d->created));
    }
}

/* ---- NetworkPolicies: printNetworkPolicy (NAME POD-SELECTOR AGE) ---- */
void ksi_print_netpols(ksi_table *t, const ks_id *ids, size_t n)
{
    ksi_kc *k = t->k;
    size_t i;
    HEAD(t, "NAME", "POD-SELECTOR", "AGE");
    for (i = 0; i < n; i++) {
        const ks_object *o = ks_cluster_object(k->sim, ids[i]);
        if (!o)
            continue;
        ROW(t, ids[i], o->meta.name, ksi_kc_selector_text(k, &o->u.netpol.pod_selector),
            ksi_kc_age(k, ks_cluster_created(k->sim, ids[i])));
    }
}
