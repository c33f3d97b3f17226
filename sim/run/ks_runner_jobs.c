/* ks_runner_jobs.c -- the `jobs` expectation: Jobs by name or by label
 * selector, each of which must have the status (kubectl get jobs' STATUS)
 * and the counts (status.succeeded, failed, active) asked for.
 */
#include <stdio.h>
#include <string.h>

#include "cluster/ks_workloads.h"
#include "internal/runner.h"

/* A Job's labels: its own, or (with none) its pods', as the API defaults. */
static const ks_kvs *job_labels(const ks_job *j)
{
    return j->obj->meta.labels.n ? &j->obj->meta.labels : &j->labels;
}

static bool job_ok(const ks_run *run, const ks_scn_expect *e, const ks_job *j, ksi_text *why)
{
    const char *st = ks_job_status_text(run->sim, j);
    if (e->status && strcmp(st, e->status) != 0) {
        ksi_text_printf(why, "job %s is %s", j->name, st);
        if (j->failed_cond)
            ksi_text_printf(why, " (%s: %s)", j->reason, j->message);
        else if (!j->complete && strcmp(e->status, "Complete") == 0)
            ksi_text_printf(why, ": %lld of %lld completions so far, %lld active, %lld failed",
                            (long long)j->succeeded,
                            (long long)(j->spec->completions >= 0 ? j->spec->completions : 1),
                            (long long)j->active, (long long)j->failed);
        return false;
    }
    if ((e->succeeded.set && !ks_scn_cmp_eval(&e->succeeded, j->succeeded))
        || (e->failed.set && !ks_scn_cmp_eval(&e->failed, j->failed))
        || (e->active.set && !ks_scn_cmp_eval(&e->active, j->active))) {
        ksi_text_printf(why, "job %s (%s) has %lld succeeded, %lld failed, %lld active pods",
                        j->name, st, (long long)j->succeeded, (long long)j->failed,
                        (long long)j->active);
        return false;
    }
    return true;
}

bool ksi_run_check_jobs(ks_run *run, ks_expect_result *r, ksi_text *act, ksi_text *why)
{
    const ks_scn_expect *e = r->exp;
    const ks_job *first = NULL, *bad = NULL;
    ks_id id = 0;
    int n = 0;
    while ((id = ks_cluster_next(run->sim, KS_KIND_JOB, id)) != 0) {
        const ks_job *j = ks_cluster_job(run->sim, id);
        if (!j || (e->ns && strcmp(j->ns, e->ns) != 0)
            || (e->name && strcmp(j->name, e->name) != 0)
            || (!e->name && !ks_selector_matches(&e->selector.sel, job_labels(j))))
            continue;
        n++;
        if (!first)
            first = j;
        if (!bad && !job_ok(run, e, j, why))
            bad = j;
    }
    if (!n) {
        ksi_text_printf(act, "no job");
        ksi_text_printf(why, "there is no Job %s%s", e->name ? "named " : "with label ",
                        e->name ? e->name : e->selector.text);
        id = 0;
        while ((id = ks_cluster_next(run->sim, KS_KIND_JOB, id)) != 0 && n < 5)
            ksi_text_printf(why, "%s%s", n++ ? ", " : " (jobs here: ",
                            ks_cluster_job(run->sim, id)->name);
        if (n)
            ksi_text_printf(why, ")");
        return false;
    }
    if (n > 1)
        ksi_text_printf(act, "%d jobs; ", n);
    first = bad ? bad : first;
    ksi_text_printf(act, "%s: %s, %lld succeeded, %lld failed, %lld active", first->name,
                    ks_job_status_text(run->sim, first), (long long)first->succeeded,
                    (long long)first->failed, (long long)first->active);
    return !bad;
}
