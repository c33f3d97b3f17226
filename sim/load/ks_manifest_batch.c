/* ks_manifest_batch.c -- batch/v1: Job and CronJob (with its job
 * template), with the API server's defaults and validation rules.
 *
 * Defaults: pkg/apis/batch/v1/defaults.go (SetDefaults_Job): parallelism 1,
 * completions 1 when neither is given, backoffLimit 6. Validation:
 * pkg/apis/batch/validation/validation.go: the pod template's restartPolicy
 * is OnFailure or Never; counts are not negative; activeDeadlineSeconds is
 * positive; the selector is generated unless manualSelector is true. A
 * CronJob (SetDefaults_CronJob): concurrencyPolicy Allow, history limits 3
 * and 1; its schedule must parse (robfig/cron's ParseStandard, ks_cron.c)
 * and may not name a time zone with TZ= (use timeZone); kubesim schedules
 * in UTC, so a timeZone other than UTC is refused, saying so.
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
    bool ok = true, manual = false, given_parallelism;
    const char *mode = NULL;
    given_parallelism = ks_yaml_get(spec, "parallelism") != NULL;
    j->parallelism = 1;
    j->completions = -1;
    j->backoff_limit = 6;
    j->active_deadline = -1;
    j->ttl_after_finished = -1;
    ok &= read_count(r, spec, "parallelism", 0, 10000, &j->parallelism);
    ok &= read_count(r, spec, "completions", 0, 10000, &j->completions);
    j->parallelism_set = given_parallelism;
    j->completions_set = j->completions >= 0;
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

bool ksi_read_cronjob(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true), *jt, *meta, *jspec;
    ks_cronjob_spec *c = &o->u.cronjob;
    const char *policy = NULL;
    char why[200];
    size_t saved, s2;
    bool ok = true;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    c->starting_deadline = -1;
    c->successful_history = 3;
    c->failed_history = 1;
    if (ks_rd_str(r, spec, "schedule", true, &c->schedule)) {
        if (strstr(c->schedule, "TZ"))
            ok = ks_rd_fail(r, ks_yaml_get(spec, "schedule"), KS_EINVAL,
                            "%s: Invalid value: \"%s\": cannot use TZ or CRON_TZ in schedule, "
                            "use timeZone field instead", ks_rd_field(r, "schedule"),
                            c->schedule);
        else if (!ks_cron_parse(c->schedule, &c->cron, why, sizeof why))
            ok = ks_rd_fail(r, ks_yaml_get(spec, "schedule"), KS_EINVAL,
                            "%s: Invalid value: \"%s\": %s", ks_rd_field(r, "schedule"),
                            c->schedule, why);
    } else {
        ok = false;
    }
    if (ks_rd_str(r, spec, "timeZone", false, &c->time_zone) && strcmp(c->time_zone, "UTC")
        && strcmp(c->time_zone, "Etc/UTC"))
        ok = ks_rd_fail(r, ks_yaml_get(spec, "timeZone"), KS_EINVAL,
                        "%s '%s': kubesim runs CronJobs in UTC only; leave timeZone out or "
                        "write Etc/UTC", ks_rd_field(r, "timeZone"), c->time_zone);
    if (ks_rd_str(r, spec, "concurrencyPolicy", false, &policy)) {
        if (strcmp(policy, "Forbid") == 0)
            c->concurrency = KS_CONCURRENCY_FORBID;
        else if (strcmp(policy, "Replace") == 0)
            c->concurrency = KS_CONCURRENCY_REPLACE;
        else if (strcmp(policy, "Allow") != 0)
            ok = ks_rd_fail(r, ks_yaml_get(spec, "concurrencyPolicy"), KS_EINVAL,
                            "%s: Unsupported value: \"%s\": supported values: \"Allow\", "
                            "\"Forbid\", \"Replace\"", ks_rd_field(r, "concurrencyPolicy"),
                            policy);
    }
    ks_rd_bool(r, spec, "suspend", false, &c->suspend);
    ok &= read_count(r, spec, "startingDeadlineSeconds", 0, MAX_SECONDS, &c->starting_deadline);
    ok &= read_count(r, spec, "successfulJobsHistoryLimit", 0, 1000, &c->successful_history);
    ok &= read_count(r, spec, "failedJobsHistoryLimit", 0, 1000, &c->failed_history);
    if ((jt = ks_rd_map(r, spec, "jobTemplate", true)) != NULL) {
        s2 = ks_rd_push(r, "jobTemplate");
        if ((meta = ks_rd_map(r, jt, "metadata", false)) != NULL) {
            size_t s3 = ks_rd_push(r, "metadata");
            ok &= ksi_read_kvs(r, meta, "labels", KSI_KV_LABELS, &c->job_labels);
            ok &= ksi_read_kvs(r, meta, "annotations", KSI_KV_ANNOTATIONS, &c->job_annotations);
            ks_rd_pop(r, s3);
        }
        if ((jspec = ks_rd_map(r, jt, "spec", true)) != NULL) {
            size_t s3 = ks_rd_push(r, "spec");
            ok &= read_job_spec(r, jspec, &c->job);
            ks_rd_pop(r, s3);
        } else {
            ok = false;
        }
        ks_rd_pop(r, s2);
    } else {
        ok = false;
    }
    ks_rd_pop(r, saved);
    return ok;
}
