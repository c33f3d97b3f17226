/* test_job.c -- the Job controller (sim/cluster/ks_job.c), the TTL-after-
 * finished controller (ks_ttl.c) and the garbage collector (ks_gc.c), on a
 * simulated cluster with the default catalog. Times follow from the
 * catalog's busybox (pulled in 1 s, then present) and the kubelet's 350 ms
 * from binding to a started container. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "cluster/ks_workloads.h"
#include "kubectl/ks_kubectl.h"

static const char *job_yaml(char *buf, size_t n, const char *name, const char *extra,
                            const char *policy, const char *script)
{
    return fixture_job_yaml(buf, n, name, extra, policy, NULL, script);
}

/* A one-node cluster with a Job applied (the arguments of fixture_job_yaml). */
static void start_job(fixture *f, const char *name, const char *extra, const char *policy,
                      const char *init, const char *script)
{
    char y[1024];
    assert_int_equal(fixture_init(f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(f, fixture_job_yaml(y, sizeof y, name, extra, policy, init,
                                                       script)), 0);
}

static const ks_job *job(fixture *f, const char *name)
{
    return ks_cluster_job(f->sim, ks_cluster_find(f->sim, KS_KIND_JOB, "default", name));
}

static int events_of(fixture *f, const char *reason, const char *name)
{
    size_t i, n = ks_cluster_event_count(f->sim);
    int k = 0;
    for (i = 0; i < n; i++) {
        const ks_k8s_event *e = ks_cluster_event(f->sim, i);
        if (strcmp(e->reason, reason) == 0 && (!name || strcmp(e->name, name) == 0))
            k += e->count;
    }
    return k;
}

/* completions 3, parallelism 2: two pods, then a third, then Complete. */
static void test_job_completions_and_parallelism(void **state)
{
    fixture f;
    const ks_job *j;
    (void)state;
    start_job(&f, "pi", "  completions: 3\n  parallelism: 2\n", "Never", NULL, "sleep 5");
    run_to(&f, 3 * KS_SEC);
    j = job(&f, "pi");
    assert_non_null(j);
    assert_int_equal(j->active, 2);
    assert_int_equal(count_pods(&f, "pi-", NULL), 2);
    assert_string_equal(ks_job_status_text(f.sim, j), "Running");
    run_to(&f, 9 * KS_SEC);               /* two done at 6.4 s; synced 1 s later */
    j = job(&f, "pi");
    assert_int_equal(j->succeeded, 2);
    assert_int_equal(j->active, 1);
    assert_int_equal(count_pods(&f, "pi-", "Completed"), 2);
    run_to(&f, 30 * KS_SEC);
    j = job(&f, "pi");
    assert_true(j->complete);
    assert_int_equal(j->succeeded, 3);
    assert_int_equal(j->active, 0);
    assert_string_equal(ks_job_status_text(f.sim, j), "Complete");
    assert_int_equal(events_of(&f, "Completed", "pi"), 1);
    assert_int_equal(events_of(&f, "SuccessfulCreate", "pi"), 3);
    assert_int_equal(count_pods(&f, "pi-", "Completed"), 3);   /* they stay */
    fixture_fini(&f);
}

/* Never: a new pod per failure, 10 s then 20 s later, and Failed once the
 * failed pods outnumber backoffLimit. */
static void test_job_backoff_never(void **state)
{
    fixture f;
    const ks_job *j;
    const ks_pod *p;
    ks_id id = 0;
    ks_time created[4];
    int n = 0;
    (void)state;
    start_job(&f, "flaky", "  backoffLimit: 2\n", "Never", NULL, "exit 1");
    run_to(&f, 120 * KS_SEC);
    while ((id = ks_cluster_next(f.sim, KS_KIND_POD, id)) != 0 && n < 4) {
        p = ks_cluster_pod(f.sim, id);
        if (strncmp(p->name, "flaky-", 6) == 0) {
            assert_string_equal(p->status, "Error");
            created[n++] = p->created;
        }
    }
    assert_int_equal(n, 3);
    /* first failure at 1.365 s (pull 1 s): next pod 10 s after it */
    assert_int_equal(created[1], created[0] + 1365 * KS_MSEC + 10 * KS_SEC);
    assert_true(created[2] - created[1] >= 20 * KS_SEC);
    assert_true(created[2] - created[1] < 21 * KS_SEC);
    j = job(&f, "flaky");
    assert_true(j->failed_cond);
    assert_int_equal(j->failed, 3);
    assert_string_equal(j->reason, "BackoffLimitExceeded");
    assert_string_equal(ks_job_status_text(f.sim, j), "Failed");
    assert_int_equal(events_of(&f, "BackoffLimitExceeded", "flaky"), 1);
    fixture_fini(&f);
}

/* OnFailure: the container restarts in place; the Job fails once the
 * restarts reach backoffLimit, and its pod is deleted. */
static void test_job_onfailure_restarts_in_place(void **state)
{
    fixture f;
    const ks_job *j;
    const ks_pod *p;
    (void)state;
    start_job(&f, "retry", "  backoffLimit: 2\n", "OnFailure", NULL, "exit 3");
    run_to(&f, 8 * KS_SEC);
    assert_int_equal(count_pods(&f, "retry-", NULL), 1);     /* one pod, restarting */
    p = first_pod(&f, "retry-");
    assert_true(p->containers[0].restarts >= 1);
    run_to(&f, 60 * KS_SEC);
    j = job(&f, "retry");
    assert_true(j->failed_cond);
    assert_string_equal(j->reason, "BackoffLimitExceeded");
    assert_int_equal(events_of(&f, "SuccessfulCreate", "retry"), 1);
    assert_int_equal(events_of(&f, "SuccessfulDelete", "retry"), 1);
    run_to(&f, 100 * KS_SEC);
    assert_int_equal(count_pods(&f, "retry-", NULL), 0);
    fixture_fini(&f);
}

/* OnFailure: an init container's restarts count too (pastBackoffLimitOnFailure
 * adds InitContainerStatuses' restartCount): its pod never gets past
 * Init:CrashLoopBackOff, and the Job fails. */
static void test_job_onfailure_init_restarts(void **state)
{
    fixture f;
    const ks_job *j;
    (void)state;
    start_job(&f, "setup", "  backoffLimit: 2\n", "OnFailure",
              "name: i, image: busybox, command: [sh, -c, \"exit 1\"]", "true");
    run_to(&f, 90 * KS_SEC);
    j = job(&f, "setup");
    assert_true(j->failed_cond);
    assert_string_equal(j->reason, "BackoffLimitExceeded");
    fixture_fini(&f);
}

/* activeDeadlineSeconds: Failed, DeadlineExceeded, the running pod deleted. */
static void test_job_active_deadline(void **state)
{
    fixture f;
    const ks_job *j;
    (void)state;
    start_job(&f, "slow", "  activeDeadlineSeconds: 10\n", "Never", NULL, "sleep 100");
    run_to(&f, 9 * KS_SEC);
    assert_false(job(&f, "slow")->failed_cond);
    run_to(&f, 11 * KS_SEC);
    j = job(&f, "slow");
    assert_true(j->failed_cond);
    assert_string_equal(j->reason, "DeadlineExceeded");
    assert_string_equal(j->message, "Job was active longer than specified deadline");
    assert_int_equal(count_pods(&f, "slow-", "Terminating"), 1);
    fixture_fini(&f);
}

/* ttlSecondsAfterFinished: the Job goes that long after it finished, and
 * the garbage collector takes its pods. */
static void test_job_ttl_and_garbage_collection(void **state)
{
    fixture f;
    ks_time done;
    (void)state;
    start_job(&f, "once", "  ttlSecondsAfterFinished: 30\n", "Never", NULL, "echo hi");
    run_to(&f, 10 * KS_SEC);
    assert_true(job(&f, "once")->complete);
    done = job(&f, "once")->finished_at;
    run_to(&f, done + 29 * KS_SEC);
    assert_non_null(job(&f, "once"));
    run_to(&f, done + 31 * KS_SEC);
    assert_null(job(&f, "once"));
    assert_int_equal(count_pods(&f, "once-", NULL) - count_pods(&f, "once-", "Terminating"), 0);
    run_to(&f, done + 40 * KS_SEC);
    assert_int_equal(count_pods(&f, "once-", NULL), 0);
    fixture_fini(&f);
}

/* kubectl delete job: its pods go too (background cascading deletion);
 * get jobs prints kubectl 1.30's columns. */
static void test_job_kubectl(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    ks_strbuf_init(&out, NULL);
    start_job(&f, "wq", "  parallelism: 2\n", "Never", NULL, "sleep 2");
    run_to(&f, 10 * KS_SEC);
    assert_int_equal(ks_kubectl_run(f.sim, "get jobs", NULL, &out), 0);
    assert_string_equal(ks_strbuf_str(&out),
                        "NAME   STATUS     COMPLETIONS   DURATION   AGE\n"
                        "wq     Complete   2/1 of 2      4s         10s\n");
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "delete job wq", NULL, &out), 0);
    assert_string_equal(ks_strbuf_str(&out), "job.batch \"wq\" deleted\n");
    run_to(&f, 11 * KS_SEC);
    assert_int_equal(count_pods(&f, "wq-", NULL), 0);   /* finished pods go at once */
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* suspend: no pods until it is applied again with suspend: false. */
static void test_job_suspend(void **state)
{
    fixture f;
    char y[1024];
    (void)state;
    start_job(&f, "later", "  suspend: true\n", "Never", NULL, "echo hi");
    run_to(&f, 5 * KS_SEC);
    assert_int_equal(count_pods(&f, "later-", NULL), 0);
    assert_string_equal(ks_job_status_text(f.sim, job(&f, "later")), "Suspended");
    assert_int_equal(fixture_apply(&f, job_yaml(y, sizeof y, "later", "  suspend: false\n",
                                                "Never", "echo hi")), 0);
    run_to(&f, 15 * KS_SEC);
    assert_true(job(&f, "later")->complete);
    assert_int_equal(events_of(&f, "Resumed", "later"), 1);
    fixture_fini(&f);
}

/* The API server's rules: a Job's pods must end; the selector is made. */
static void test_job_validation(void **state)
{
    fixture f;
    char y[1024];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_not_equal(fixture_apply(&f, job_yaml(y, sizeof y, "bad", "", "Always", "true")),
                         0);
    assert_int_not_equal(
        fixture_apply(&f, "apiVersion: batch/v1\nkind: Job\nmetadata: {name: nopol}\nspec:\n"
                          "  template:\n    spec:\n      containers: [{name: c, image: busybox}]\n"),
        0);
    assert_int_not_equal(fixture_apply(&f, job_yaml(y, sizeof y, "sel",
                                                    "  selector: {matchLabels: {a: b}}\n",
                                                    "Never", "true")), 0);
    assert_int_not_equal(fixture_apply(&f, job_yaml(y, sizeof y, "neg", "  backoffLimit: -1\n",
                                                    "Never", "true")), 0);
    assert_null(job(&f, "bad"));
    fixture_fini(&f);
}

/* A Job's update as the API server checks it (ValidateJobSpecUpdate): the
 * template compared after defaulting (the defaults written out, keys in
 * another order: no change), a new image or completions refused, and the
 * labels of a suspended Job's template that never started may change. */
static void test_job_update(void **state)
{
    static const char base[] =
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: %s}\nspec:\n  completions: 2\n%s"
        "  template:\n    metadata: {labels: {app: %s}}\n    spec:\n"
        "      restartPolicy: Never\n      containers:\n        - name: c\n"
        "          image: %s\n          command: [sh, -c, \"sleep 5\"]\n%s";
    static const char defaults[] =
        "          imagePullPolicy: IfNotPresent\n          terminationMessagePath: "
        "/dev/termination-log\n          ports: [{containerPort: 80, protocol: TCP}]\n"
        "      dnsPolicy: ClusterFirst\n      terminationGracePeriodSeconds: 30\n"
        "      serviceAccountName: default\n";
    fixture f;
    char y[2048];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    snprintf(y, sizeof y, base, "w", "", "w", "busybox:1.36",
             "          ports: [{containerPort: 80}]\n");
    assert_int_equal(fixture_apply(&f, y), 0);
    snprintf(y, sizeof y, base, "w", "  activeDeadlineSeconds: 600\n", "w", "busybox:1.36",
             defaults);
    assert_int_equal(fixture_apply(&f, y), 0);
    assert_int_equal(job(&f, "w")->spec->active_deadline, 600);
    snprintf(y, sizeof y, base, "w", "", "w", "busybox:1.37", defaults);
    assert_int_not_equal(fixture_apply(&f, y), 0);
    snprintf(y, sizeof y, base, "w", "", "other", "busybox:1.36", defaults);
    assert_int_not_equal(fixture_apply(&f, y), 0);          /* started: labels immutable */
    snprintf(y, sizeof y, "%s", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: w}\nspec:\n"
             "  completions: 3\n  template:\n    metadata: {labels: {app: w}}\n    spec:\n"
             "      restartPolicy: Never\n      containers:\n        - name: c\n"
             "          image: busybox:1.36\n          command: [sh, -c, \"sleep 5\"]\n"
             "          ports: [{containerPort: 80}]\n");
    assert_int_not_equal(fixture_apply(&f, y), 0);
    snprintf(y, sizeof y, base, "s", "  suspend: true\n", "a", "busybox:1.36", "");
    assert_int_equal(fixture_apply(&f, y), 0);
    run_to(&f, 2 * KS_SEC);
    snprintf(y, sizeof y, base, "s", "  suspend: false\n", "b", "busybox:1.36", "");
    assert_int_equal(fixture_apply(&f, y), 0);
    assert_string_equal(ks_kvs_get(&job(&f, "s")->labels, "app"), "b");
    snprintf(y, sizeof y, base, "s", "  suspend: true\n", "c", "busybox:1.36", "");
    assert_int_not_equal(fixture_apply(&f, y), 0);          /* it has started */
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_completions_and_parallelism),
        cmocka_unit_test(test_job_backoff_never),
        cmocka_unit_test(test_job_onfailure_restarts_in_place),
        cmocka_unit_test(test_job_onfailure_init_restarts),
        cmocka_unit_test(test_job_active_deadline),
        cmocka_unit_test(test_job_ttl_and_garbage_collection),
        cmocka_unit_test(test_job_kubectl),
        cmocka_unit_test(test_job_suspend),
        cmocka_unit_test(test_job_validation),
        cmocka_unit_test(test_job_update),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
