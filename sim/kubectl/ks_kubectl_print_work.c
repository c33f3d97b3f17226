/* ks_kubectl_print_work.c -- `kubectl get` of the workload kinds kept as
 * their manifest: Jobs, CronJobs (and, as they come, StatefulSets,
 * DaemonSets), with the columns of
 * pkg/printers/internalversion/printers.go at v1.30 (printJob: the STATUS
 * column arrived in 1.30, kubernetes/kubernetes#123226; printCronJob).
 */
#include <stdio.h>

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
