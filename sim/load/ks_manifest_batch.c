/* ks_manifest_batch.c -- batch/v1: Job (and the job template a CronJob
 * holds), with the API server's defaults and validation rules.
 *
 * Defaults: pkg/apis/batch/v1/defaults.go (SetDefaults_Job): parallelism 1,
 * completions 1 when neither is given, backoffLimit 6. Validation:
 * pkg/apis/batch/validation/validation.go: the pod template's restartPolicy
 * is OnFailure or Never; counts are not negative; activeDeadlineSeconds is
 * positive; the selector is generated unless manualSelector is true.
 */
#include <string.h>

#include "internal/manifest.h"

#define MAX_SECONDS ((int64_t)1 << 40)

/* A non-negative (or, min 1, positive) count at spec[key]. */
static bool read_count(ks_reader *r, const ks_yaml_node *spec, const char *key, int64_t min,
                       int64_t max, int64_t *out)
{
    if (!ks_yaml_get(spec, key) || ks_yaml_is_null(ks_yaml_get(spec, key)))
        return true;
    return ks_rd_int(r, spec, key, false, min, max, out);
}

/* A Job's spec (the object's, or a CronJob's jobTemplate.spec). */
static bool read_job_spec(ks_reader *r, const ks_yaml_node *spec, ks_job_spec *j)
{
    static const char *const known[] = {
        "parallelism", "completions", "backoffLimit", "activeDeadlineSeconds",
        "ttlSecondsAfterFinished", "suspend", "template", "selector", "manualSelector",
        "completionMode", "podFailurePolicy", "backoffLimitPerIndex", "maxFailedIndexes",
        "podReplacementPolicy", "successPolicy", "managedBy", NULL};
    bool ok = true, manual = false, given_parallelism;
    const char *mode = NULL;
    ks_rd_known(r, spec, known);
    given_parallelism = ks_yaml_get(spec, "parallelism") != NULL;
    j->parallelism = 1;
    j->completions = -1;
    j->backoff_limit = 6;
    j->active_deadline = -1;
    j->ttl_after_finished = -1;
    ok &= read_count(r, spec, "parallelism", 0, 10000, &j->parallelism);
    ok &= read_count(r, spec, "completions", 0, 10000, &j->completions);
    if (j->completions < 0 && !given_parallelism)
        j->completions = 1;                /* neither given: one pod, once */
    ok &= read_count(r, spec, "backoffLimit", 0, 1000000, &j->backoff_limit);
    ok &= read_count(r, spec, "activeDeadlineSeconds", 1, MAX_SECONDS, &j->active_deadline);
    ok &= read_count(r, spec, "ttlSecondsAfterFinished", 0, MAX_SECONDS,
                     &j->ttl_after_finished);
    ks_rd_bool(r, spec, "suspend", false, &j->suspend);
    ks_rd_bool(r, spec, "manualSelector", false, &manual);
    if (ks_rd_str(r, spec, "completionMode", false, &mode) && strcmp(mode, "NonIndexed") != 0)
        ok = ks_rd_fail(r, ks_yaml_get(spec, "completionMode"), KS_EINVAL,
                        "%s '%s' is not simulated by kubesim; it runs NonIndexed Jobs only",
                        ks_rd_field(r, "completionMode"), mode);
    if (ks_yaml_get(spec, "selector") && !manual)
        ok = ks_rd_fail(r, ks_yaml_get(spec, "selector"), KS_EINVAL,
                        "%s: Invalid value: `selector` will be auto-generated; leave it out "
                        "(or set manualSelector: true)", ks_rd_field(r, "selector"));
    ok &= ksi_read_template(r, spec, &j->tmpl, KSI_RESTART_JOB);
    return ok;
}

bool ksi_read_job(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true);
    size_t saved;
    bool ok;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    ok = read_job_spec(r, spec, &o->u.job);
    ks_rd_pop(r, saved);
    return ok;
}
