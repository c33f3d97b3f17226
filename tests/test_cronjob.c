/* test_cronjob.c -- the CronJob controller (sim/cluster/ks_cronjob.c) on a
 * simulated cluster: Jobs at the scheduled times (+100 ms), the concurrency
 * policies, suspend and startingDeadlineSeconds, history limits, kubectl's
 * get/describe/create --from. The clock is the default, 2024-01-01T00:00Z,
 * so time 0 is a whole minute and an every-minute schedule fires at 60 s,
 * 120 s ... */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "cluster/ks_workloads.h"
#include "kubectl/ks_kubectl.h"

static const char *cronjob(char *buf, size_t n, const char *name, const char *extra,
                           const char *script)
{
    snprintf(buf, n,
             "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: %s}\nspec:\n"
             "  schedule: \"*/1 * * * *\"\n%s"
             "  jobTemplate:\n    spec:\n      template:\n        spec:\n"
             "          restartPolicy: Never\n          containers:\n"
             "            - name: c\n              image: busybox\n"
             "              command: [sh, -c, \"%s\"]\n",
             name, extra, script);
    return buf;
}

static const ks_cronjob *cj(fixture *f, const char *name)
{
    return ks_cluster_cronjob(f->sim, ks_cluster_find(f->sim, KS_KIND_CRONJOB, "default", name));
}

static int jobs_named(fixture *f, const char *prefix)
{
    ks_id id = 0;
    int n = 0;
    while ((id = ks_cluster_next(f->sim, KS_KIND_JOB, id)) != 0)
        n += strncmp(ks_cluster_job(f->sim, id)->name, prefix, strlen(prefix)) == 0;
    return n;
}

static int events_of(fixture *f, const char *reason)
{
    size_t i, n = ks_cluster_event_count(f->sim);
    int k = 0;
    for (i = 0; i < n; i++)
        k += strcmp(ks_cluster_event(f->sim, i)->reason, reason) == 0
                 ? ks_cluster_event(f->sim, i)->count : 0;
    return k;
}

/* Allow: a Job every minute, 100 ms after the minute, named by it. */
static void test_cronjob_schedule(void **state)
{
    fixture f;
    char y[1024];
    const ks_job *j;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, cronjob(y, sizeof y, "tick", "", "echo tick")), 0);
    run_to(&f, 60 * KS_SEC + 99 * KS_MSEC);
    assert_int_equal(jobs_named(&f, "tick-"), 0);
    assert_int_equal(cj(&f, "tick")->next_run, 60 * KS_SEC);
    run_to(&f, 60 * KS_SEC + 100 * KS_MSEC);
    /* 2024-01-01T00:01:00Z is minute 28401121 since 1970 */
    j = ks_cluster_job(f.sim, ks_cluster_find(f.sim, KS_KIND_JOB, "default", "tick-28401121"));
    assert_non_null(j);
    assert_int_equal(ks_cluster_owner(f.sim, j->id), cj(&f, "tick")->id);
    assert_string_equal(ks_kvs_get(&j->obj->meta.annotations,
                                   "batch.kubernetes.io/cronjob-scheduled-timestamp"),
                        "2024-01-01T00:01:00Z");
    assert_int_equal(cj(&f, "tick")->nactive, 1);
    assert_int_equal(cj(&f, "tick")->last_schedule, 60 * KS_SEC);
    assert_int_equal(cj(&f, "tick")->next_run, 120 * KS_SEC);
    run_to(&f, 150 * KS_SEC);
    assert_int_equal(jobs_named(&f, "tick-"), 2);
    assert_int_equal(cj(&f, "tick")->nactive, 0);
    assert_int_equal(events_of(&f, "SawCompletedJob"), 2);
    /* history: 3 successful Jobs are kept, the oldest goes (the 5:00 Job
       ends at 301.5 s) */
    run_to(&f, 302 * KS_SEC);
    assert_int_equal(jobs_named(&f, "tick-"), 3);
    assert_null(ks_cluster_job(f.sim, ks_cluster_find(f.sim, KS_KIND_JOB, "default",
                                                      "tick-28401121")));
    assert_int_equal(events_of(&f, "SuccessfulDelete"), 2);
    fixture_fini(&f);
}

/* Forbid skips a time while the last Job runs; Replace deletes it. */
static void test_cronjob_concurrency(void **state)
{
    fixture f;
    char y[1024];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, cronjob(y, sizeof y, "forbid",
                                               "  concurrencyPolicy: Forbid\n", "sleep 90")), 0);
    assert_int_equal(fixture_apply(&f, cronjob(y, sizeof y, "replace",
                                               "  concurrencyPolicy: Replace\n", "sleep 90")), 0);
    assert_int_equal(fixture_apply(&f, cronjob(y, sizeof y, "allow", "", "sleep 90")), 0);
    run_to(&f, 121 * KS_SEC);
    assert_int_equal(jobs_named(&f, "forbid-"), 1);      /* 2:00 skipped */
    assert_int_equal(events_of(&f, "JobAlreadyActive"), 1);
    assert_int_equal(jobs_named(&f, "replace-"), 1);     /* 1:00 replaced by 2:00 */
    assert_non_null(ks_cluster_find(f.sim, KS_KIND_JOB, "default", "replace-28401122"));
    assert_int_equal(jobs_named(&f, "allow-"), 2);       /* both run */
    assert_int_equal(cj(&f, "allow")->nactive, 2);
    run_to(&f, 181 * KS_SEC);                            /* the 1:00 job ended at ~152 s */
    assert_int_equal(jobs_named(&f, "forbid-"), 2);
    fixture_fini(&f);
}

/* suspend: nothing runs; resumed, the most recent missed time runs at once
 * -- unless it is older than startingDeadlineSeconds. */
static void test_cronjob_suspend_and_deadline(void **state)
{
    fixture f;
    char y[1024];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, cronjob(y, sizeof y, "late", "  suspend: true\n",
                                               "true")), 0);
    assert_int_equal(fixture_apply(&f, cronjob(y, sizeof y, "strict",
                                               "  suspend: true\n  startingDeadlineSeconds: 10\n",
                                               "true")), 0);
    run_to(&f, 200 * KS_SEC);
    assert_int_equal(jobs_named(&f, "late-"), 0);
    assert_int_equal(cj(&f, "late")->next_run, -1);
    assert_int_equal(fixture_apply(&f, cronjob(y, sizeof y, "late", "", "true")), 0);
    assert_int_equal(fixture_apply(&f, cronjob(y, sizeof y, "strict",
                                               "  startingDeadlineSeconds: 10\n", "true")), 0);
    run_to(&f, 201 * KS_SEC);
    assert_int_equal(jobs_named(&f, "late-"), 1);                 /* 3:00, at 200 s */
    assert_non_null(ks_cluster_find(f.sim, KS_KIND_JOB, "default", "late-28401123"));
    assert_int_equal(jobs_named(&f, "strict-"), 0);               /* 20 s late: skipped */
    run_to(&f, 241 * KS_SEC);
    assert_int_equal(jobs_named(&f, "strict-"), 1);               /* 4:00 on time */
    fixture_fini(&f);
}

/* A failed Job: one is kept (failedJobsHistoryLimit 1). */
static void test_cronjob_failed_history(void **state)
{
    fixture f;
    char y[1024];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(
        fixture_apply(&f, "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: bad}\nspec:\n"
                          "  schedule: \"*/1 * * * *\"\n  jobTemplate:\n    spec:\n"
                          "      backoffLimit: 0\n      template:\n        spec:\n"
                          "          restartPolicy: Never\n"
                          "          containers: [{name: c, image: busybox, command: [\"false\"]}]\n"),
        0);
    (void)y;
    run_to(&f, 190 * KS_SEC);
    assert_int_equal(jobs_named(&f, "bad-"), 1);
    assert_true(ks_cluster_job(f.sim, ks_cluster_find(f.sim, KS_KIND_JOB, "default",
                                                      "bad-28401123"))->failed_cond);
    fixture_fini(&f);
}

/* kubectl get/describe cronjob, create job --from, delete cronjob. */
static void test_cronjob_kubectl(void **state)
{
    fixture f;
    char y[1024];
    ks_strbuf out;
    const ks_job *j;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, cronjob(y, sizeof y, "tick", "", "echo tick")), 0);
    run_to(&f, 65 * KS_SEC);
    assert_int_equal(ks_kubectl_run(f.sim, "get cronjobs", NULL, &out), 0);
    assert_string_equal(ks_strbuf_str(&out),
                        "NAME   SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n"
                        "tick   */1 * * * *   <none>     False     0        5s              65s\n");
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "create job now --from=cronjob/tick", NULL, &out), 0);
    assert_string_equal(ks_strbuf_str(&out), "job.batch/now created\n");
    j = ks_cluster_job(f.sim, ks_cluster_find(f.sim, KS_KIND_JOB, "default", "now"));
    assert_string_equal(ks_kvs_get(&j->obj->meta.annotations,
                                   "cronjob.kubernetes.io/instantiate"), "manual");
    assert_int_equal(ks_cluster_owner(f.sim, j->id), cj(&f, "tick")->id);
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "create job x --from=deploy/web", NULL, &out), 1);
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "describe cronjob tick", NULL, &out), 0);
    assert_non_null(strstr(ks_strbuf_str(&out), "Mon, 01 Jan 2024 00:01:00 +0000\n"));
    assert_non_null(strstr(ks_strbuf_str(&out), "Last Schedule Time:"));
    assert_non_null(strstr(ks_strbuf_str(&out), "Successful Job History Limit:  3\n"));
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "delete cronjob tick", NULL, &out), 0);
    run_to(&f, 70 * KS_SEC);
    assert_int_equal(jobs_named(&f, ""), 0);            /* its Jobs went with it */
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* The API server's rules for a CronJob. */
static void test_cronjob_validation(void **state)
{
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_not_equal(fixture_apply(&f, "apiVersion: batch/v1\nkind: CronJob\nmetadata: "
                                           "{name: a}\nspec:\n  schedule: \"* * *\"\n"
                                           "  jobTemplate: {spec: {template: {spec: "
                                           "{restartPolicy: Never, containers: [{name: c, "
                                           "image: busybox}]}}}}\n"), 0);
    assert_int_not_equal(fixture_apply(&f, "apiVersion: batch/v1\nkind: CronJob\nmetadata: "
                                           "{name: b}\nspec:\n  schedule: \"TZ=UTC 0 * * * *\"\n"
                                           "  jobTemplate: {spec: {template: {spec: "
                                           "{restartPolicy: Never, containers: [{name: c, "
                                           "image: busybox}]}}}}\n"), 0);
    assert_int_not_equal(fixture_apply(&f, "apiVersion: batch/v1\nkind: CronJob\nmetadata: "
                                           "{name: c}\nspec:\n  schedule: \"0 * * * *\"\n"
                                           "  concurrencyPolicy: Sometimes\n"
                                           "  jobTemplate: {spec: {template: {spec: "
                                           "{restartPolicy: Never, containers: [{name: c, "
                                           "image: busybox}]}}}}\n"), 0);
    assert_int_equal(fixture_apply(&f, "apiVersion: batch/v1\nkind: CronJob\nmetadata: "
                                       "{name: d}\nspec:\n  schedule: \"@hourly\"\n"
                                       "  timeZone: Etc/UTC\n"
                                       "  jobTemplate: {spec: {template: {spec: "
                                       "{restartPolicy: OnFailure, containers: [{name: c, "
                                       "image: busybox}]}}}}\n"), 0);
    assert_null(cj(&f, "a"));
    assert_non_null(cj(&f, "d"));
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cronjob_schedule),
        cmocka_unit_test(test_cronjob_concurrency),
        cmocka_unit_test(test_cronjob_suspend_and_deadline),
        cmocka_unit_test(test_cronjob_failed_history),
        cmocka_unit_test(test_cronjob_kubectl),
        cmocka_unit_test(test_cronjob_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
