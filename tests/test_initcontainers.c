/* test_initcontainers.c -- init containers as the kubelet runs them
 * (sim/node/ks_kubelet.c) and kubectl shows them (sim/cluster/ks_pods.c:
 * printPod's STATUS), on a simulated cluster with the default catalog.
 * busybox is pulled in 1 s the first time; a pod's first container starts
 * 350 ms after binding; the kubelet sees an init container's exit within
 * its 1 s relist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "kubectl/ks_kubectl.h"
#include "node/ks_node.h"
#include "cluster/ks_workloads.h"

static const ks_pod *pod(fixture *f, const char *name)
{
    return ks_cluster_pod(f->sim, ks_cluster_find(f->sim, KS_KIND_POD, "default", name));
}

/* A pod "p" with two init containers running the scripts, and nginx. */
static const char *pod_yaml(char *buf, size_t n, const char *policy, const char *first,
                            const char *second)
{
    snprintf(buf, n,
             "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
             "  restartPolicy: %s\n  initContainers:\n"
             "    - {name: one, image: busybox, command: [sh, -c, \"%s\"],\n"
             "       resources: {requests: {cpu: 500m}}}\n"
             "    - {name: two, image: busybox, command: [sh, -c, \"%s\"]}\n"
             "  containers:\n"
             "    - {name: web, image: nginx, resources: {requests: {cpu: 100m}}}\n",
             policy, first, second);
    return buf;
}

/* In order, each to completion; the app container only after them. */
static void test_init_in_order(void **state)
{
    fixture f;
    char y[1024];
    const ks_pod *p;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, pod_yaml(y, sizeof y, "Always", "sleep 3",
                                                "sleep 2")), 0);
    run_to(&f, KS_SEC);                        /* pulling busybox */
    p = pod(&f, "p");
    assert_string_equal(p->status, "Init:0/2");
    assert_int_equal(p->cpu, 500);             /* the largest of 500m and 100m */
    run_to(&f, 3 * KS_SEC);                    /* one runs (1.355 s - 4.355 s) */
    assert_int_equal(p->init[0].state, KS_CS_RUNNING);
    assert_int_equal(p->init[1].state, KS_CS_WAITING);
    assert_int_equal(p->containers[0].state, KS_CS_WAITING);
    assert_string_equal(p->phase, "Pending");
    run_to(&f, 5 * KS_SEC);                    /* one done; two starts at 5.355 s */
    assert_string_equal(pod(&f, "p")->status, "Init:1/2");
    run_to(&f, 8 * KS_SEC);                    /* two done at 7.355 s, seen at 8.355 s */
    p = pod(&f, "p");
    assert_int_equal(p->init[1].state, KS_CS_TERMINATED);
    assert_int_equal(p->containers[0].state, KS_CS_WAITING);
    run_to(&f, 10 * KS_SEC);                   /* nginx being pulled */
    assert_string_equal(pod(&f, "p")->status, "PodInitializing");
    assert_int_equal(ks_kubectl_run(f.sim, "logs p", NULL, &out), 1);
    assert_string_equal(ks_strbuf_str(&out), "Error from server (BadRequest): container "
                                             "\"web\" in pod \"p\" is waiting to start: "
                                             "PodInitializing\n");
    run_to(&f, 30 * KS_SEC);
    p = pod(&f, "p");
    assert_string_equal(p->status, "Running");
    assert_true(p->ready);
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* A failing init container: restarted with the back-off (restartPolicy
 * Always), kubectl counting its restarts; with Never the pod fails. */
static void test_init_failures(void **state)
{
    fixture f;
    char y[1024], r[32];
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, pod_yaml(y, sizeof y, "Always", "exit 1", "true")), 0);
    run_to(&f, 5 * KS_SEC);
    p = pod(&f, "p");
    assert_string_equal(p->status, "Init:CrashLoopBackOff");
    assert_int_equal(p->init[0].restarts, 1);
    ks_pod_restarts_text(f.sim, p, r, sizeof r);
    assert_string_equal(r, "1");
    assert_int_equal(p->containers[0].state, KS_CS_WAITING);
    assert_string_equal(p->phase, "Pending");
    fixture_fini(&f);

    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, pod_yaml(y, sizeof y, "Never", "true", "exit 3")), 0);
    run_to(&f, 10 * KS_SEC);
    p = pod(&f, "p");
    assert_string_equal(p->status, "Init:Error");
    assert_string_equal(p->phase, "Failed");
    assert_int_equal(p->init[1].exit_code, 3);
    assert_int_equal(p->init[1].restarts, 0);
    assert_int_equal(p->containers[0].state, KS_CS_WAITING);
    fixture_fini(&f);
}

/* Waiting for a Service through the cluster's DNS. */
static void test_init_waits_for_service(void **state)
{
    fixture f;
    char y[1024];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, pod_yaml(y, sizeof y, "Always",
                                                "until nslookup db; do sleep 2; done",
                                                "true")), 0);
    run_to(&f, 30 * KS_SEC);
    assert_string_equal(pod(&f, "p")->status, "Init:0/2");
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
                                       "spec:\n  selector: {app: db}\n  ports: [{port: 5432}]\n"),
                     0);
    run_to(&f, 60 * KS_SEC);
    assert_string_equal(pod(&f, "p")->status, "Running");
    fixture_fini(&f);
}

/* A sidecar (an init container with restartPolicy: Always, KEP-753):
 * started in its turn, the next init container goes once it runs; it keeps
 * running beside the app, counts in READY, its restarts in RESTARTS. */
static void test_sidecar_runs_beside(void **state)
{
    fixture f;
    const ks_pod *p;
    char buf[32];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  initContainers:\n"
        "    - {name: shipper, image: busybox, restartPolicy: Always,\n"
        "       command: [sh, -c, \"sleep 3600\"]}\n"
        "    - {name: migrate, image: busybox, command: [sh, -c, \"sleep 2\"]}\n"
        "  containers:\n    - {name: web, image: nginx}\n"), 0);
    run_to(&f, 2 * KS_SEC);                    /* shipper runs (1.355 s); migrate waits */
    p = pod(&f, "s");
    assert_int_equal(p->init[0].state, KS_CS_RUNNING);
    assert_int_equal(p->init[1].state, KS_CS_WAITING);
    assert_string_equal(p->status, "Init:1/2");
    run_to(&f, 4 * KS_SEC);                    /* seen at 2.355 s: migrate runs */
    assert_int_equal(pod(&f, "s")->init[1].state, KS_CS_RUNNING);
    run_to(&f, 30 * KS_SEC);
    p = pod(&f, "s");
    assert_string_equal(p->status, "Running");
    assert_true(p->ready);
    assert_int_equal(p->init[0].state, KS_CS_RUNNING);
    ks_pod_ready_text(p, buf, sizeof buf);
    assert_string_equal(buf, "2/2");
    assert_int_equal(ks_node_crash(f.sim, p->id, "shipper", 1, "Error"), 0);
    run_to(&f, 40 * KS_SEC);                   /* restarted at once, whatever the pod's policy */
    p = pod(&f, "s");
    assert_int_equal(p->init[0].state, KS_CS_RUNNING);
    assert_int_equal(ks_pod_restarts(p), 1);   /* kubectl counts the sidecar's restarts */
    assert_string_equal(p->status, "Running");
    fixture_fini(&f);
}

/* A Job's pod with a sidecar completes when its app container does: the
 * sidecar is stopped and the Job completes. Any restartPolicy but Always on
 * an init container is refused. */
static void test_sidecar_in_a_job(void **state)
{
    fixture f;
    char y[1024];
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, fixture_job_yaml(y, sizeof y, "j", "", "Never",
                                                        "name: proxy, image: busybox, "
                                                        "restartPolicy: Always, "
                                                        "command: [sh, -c, \"sleep 3600\"]",
                                                        "sleep 2")), 0);
    run_to(&f, 30 * KS_SEC);
    p = first_pod(&f, "j-");
    assert_non_null(p);
    assert_string_equal(p->phase, "Succeeded");
    assert_string_equal(p->status, "Completed");
    assert_int_equal(p->init[0].state, KS_CS_TERMINATED);
    assert_true(ks_cluster_job(f.sim, ks_cluster_find(f.sim, KS_KIND_JOB, "default", "j"))
                    ->complete);
    assert_int_not_equal(fixture_apply(&f,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  initContainers:\n"
        "    - {name: i, image: busybox, restartPolicy: OnFailure}\n"
        "  containers:\n    - {name: web, image: nginx}\n"), 0);
    fixture_fini(&f);
}

/* The scheduler counts sidecars with the app containers (resource.
 * PodRequests, KEP-753): 100m + 200m of sidecars + 300m of app = 600m; an
 * init container runs beside the sidecars before it: 600m + 100m = 700m,
 * the larger; memory 64Mi + 128Mi (sidecars) + 64Mi = 256Mi over
 * 100Mi + 64Mi. */
static void test_sidecar_requests(void **state)
{
    fixture f;
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: r}\nspec:\n  initContainers:\n"
        "    - {name: a, image: busybox, restartPolicy: Always, command: [sh, -c, \"sleep 3600\"],\n"
        "       resources: {requests: {cpu: 100m, memory: 64Mi}}}\n"
        "    - {name: m, image: busybox, command: [sh, -c, \"sleep 2\"],\n"
        "       resources: {requests: {cpu: 600m, memory: 100Mi}}}\n"
        "    - {name: b, image: busybox, restartPolicy: Always, command: [sh, -c, \"sleep 3600\"],\n"
        "       resources: {requests: {cpu: 200m, memory: 128Mi}}}\n"
        "  containers:\n    - {name: web, image: nginx,\n"
        "       resources: {requests: {cpu: 300m, memory: 64Mi}}}\n"), 0);
    p = pod(&f, "r");
    assert_int_equal(p->cpu, 700);
    assert_int_equal(p->memory, 256LL << 20);
    /* without the init container, the sum: 600m */
    assert_int_equal(fixture_apply(&f,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: r2}\nspec:\n  initContainers:\n"
        "    - {name: a, image: busybox, restartPolicy: Always, command: [sh, -c, \"sleep 3600\"],\n"
        "       resources: {requests: {cpu: 100m}}}\n"
        "    - {name: b, image: busybox, restartPolicy: Always, command: [sh, -c, \"sleep 3600\"],\n"
        "       resources: {requests: {cpu: 200m}}}\n"
        "  containers:\n    - {name: web, image: nginx, resources: {requests: {cpu: 300m}}}\n"),
        0);
    assert_int_equal(pod(&f, "r2")->cpu, 600);
    fixture_fini(&f);
}

/* Runs in steps of 10 ms to t, noting when each of the pod's containers
 * (apps, then init) was seen terminated, with its exit code. */
static void watch_exits(fixture *f, const char *name, ks_time t, ks_time *at, int *code)
{
    ks_time now = ks_now(f->sim);
    size_t c;
    for (c = 0; c < 3; c++)
        at[c] = -1;
    for (; now <= t; now += 10 * KS_MSEC) {
        const ks_pod *p;
        run_to(f, now);
        if (!(p = pod(f, name)))
            return;
        for (c = 0; c < 3 && c < p->ncontainers + p->ninit; c++)
            if (at[c] < 0 && p->containers[c].state == KS_CS_TERMINATED) {
                at[c] = p->containers[c].finished_at;
                code[c] = p->containers[c].exit_code;
            }
    }
}

/* A new cluster with the pod of yaml, Running at 30 s, then `kubectl delete
 * pod NAME --wait=false`: watch_exits to t. */
static void delete_at_30s(fixture *f, const char *yaml, const char *name, ks_time t,
                          ks_time *at, int *code)
{
    ks_strbuf out;
    char cmd[128];
    assert_int_equal(fixture_init(f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(f, yaml), 0);
    run_to(f, 30 * KS_SEC);
    assert_string_equal(pod(f, name)->status, "Running");
    snprintf(cmd, sizeof cmd, "delete pod %s --wait=false", name);
    assert_int_equal(ks_kubectl_run(f->sim, cmd, NULL, &out), 0);
    ks_strbuf_fini(&out);
    watch_exits(f, name, t, at, code);
}

/* A deleted pod's sidecars stop after its app containers, the last one
 * first (kuberuntime terminationOrdering): nginx, redis and httpd exit
 * 200 ms after SIGTERM, so web goes, then b, then a, 200 ms apart. */
static void test_sidecar_shutdown_order(void **state)
{
    fixture f;
    const ks_pod *p;
    ks_time at[3];
    int code[3];
    (void)state;
    delete_at_30s(&f,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: o}\nspec:\n  initContainers:\n"
        "    - {name: a, image: redis, restartPolicy: Always}\n"
        "    - {name: b, image: httpd, restartPolicy: Always}\n"
        "  containers:\n    - {name: web, image: nginx}\n",
        "o", 30 * KS_SEC + 500 * KS_MSEC, at, code);   /* web, a, b */
    assert_int_equal(at[0], 30 * KS_SEC + 200 * KS_MSEC);  /* SIGTERM at once: web */
    assert_int_equal(at[2], at[0] + 200 * KS_MSEC);       /* then b, the last sidecar */
    assert_int_equal(code[0] + code[2], 0);
    p = pod(&f, "o");                          /* a waited for b: still running */
    assert_non_null(p);
    assert_int_equal(p->init[0].state, KS_CS_RUNNING);
    run_to(&f, at[2] + 200 * KS_MSEC);         /* a exits; the pod goes */
    assert_null(pod(&f, "o"));
    fixture_fini(&f);
}

/* Sidecars still waiting when the grace period runs out get SIGTERM then,
 * with 2 s (the kubelet's minimum grace), all at once: busybox's sleep
 * ignores SIGTERM, so the app is killed after 5 s, both sidecars 2 s later. */
static void test_sidecar_shutdown_grace(void **state)
{
    fixture f;
    ks_time at[3];
    int code[3];
    (void)state;
    delete_at_30s(&f,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: g}\nspec:\n"
        "  terminationGracePeriodSeconds: 5\n  initContainers:\n"
        "    - {name: a, image: busybox, restartPolicy: Always, command: [sh, -c, \"sleep 3600\"]}\n"
        "    - {name: b, image: busybox, restartPolicy: Always, command: [sh, -c, \"sleep 3600\"]}\n"
        "  containers:\n    - {name: w, image: busybox, command: [sh, -c, \"sleep 3600\"]}\n",
        "g", 36 * KS_SEC + 990 * KS_MSEC, at, code);   /* w, a, b */
    assert_int_equal(at[0], 35 * KS_SEC);      /* killed when its 5 s ran out */
    assert_int_equal(code[0], 137);
    assert_int_equal(at[1], -1);               /* the sidecars: SIGTERM at 35 s, 2 s more */
    assert_int_equal(at[2], -1);
    assert_non_null(pod(&f, "g"));
    run_to(&f, 37 * KS_SEC);                   /* both killed: the pod goes */
    assert_null(pod(&f, "g"));
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_in_order),
        cmocka_unit_test(test_init_failures),
        cmocka_unit_test(test_init_waits_for_service),
        cmocka_unit_test(test_sidecar_runs_beside),
        cmocka_unit_test(test_sidecar_in_a_job),
        cmocka_unit_test(test_sidecar_requests),
        cmocka_unit_test(test_sidecar_shutdown_order),
        cmocka_unit_test(test_sidecar_shutdown_grace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
