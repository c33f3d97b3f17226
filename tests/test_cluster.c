/* test_cluster.c -- the focus of this file: the control plane and kubelet
 * behave like a real cluster, to the second: pod names, start-up, the
 * CrashLoopBackOff schedule, replacement of deleted pods, Secrets created
 * late, scaling order, rolling updates within their availability bounds,
 * Recreate, image pull back-off and the node failure timeline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cluster_fixture.h"
#include "core/ks_trace.h"
#include "kubectl/ks_kubectl.h"
#include "world/ks_world.h"

#define WEB(replicas, extra)                                                         \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"          \
    "  replicas: " #replicas "\n" extra "  selector: {matchLabels: {app: web}}\n"    \
    "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"                  \
    "      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n"

/* cluster-1: a Deployment's pods: names, start-up time, events */
static void test_cluster_deployment_starts_pods(void **state)
{
    fixture f;
    ks_id id = 0;
    int pods = 0;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, WEB(3, "")), 0);
    run_to(&f, 5 * KS_SEC);            /* nginx takes 5 s to pull */
    assert_int_equal(count_pods(&f, "web-", "ContainerCreating"), 3);
    run_to(&f, 6 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", "Running"), 3);
    while ((id = ks_cluster_next(f.sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(f.sim, id);
        const ks_replicaset *rs = ks_cluster_rs(f.sim, p->owner);
        size_t i;
        if (strcmp(p->ns, "default") != 0)
            continue;                  /* the ingress controller's pod */
        /* <deployment>-<hash>-<5 chars of bcdfghjklmnpqrstvwxz2456789> */
        assert_non_null(rs);
        assert_int_equal(strncmp(p->name, rs->name, strlen(rs->name)), 0);
        assert_int_equal(strlen(p->name), strlen(rs->name) + 6);
        for (i = strlen(rs->name) + 1; p->name[i]; i++)
            assert_non_null(strchr("bcdfghjklmnpqrstvwxz2456789", p->name[i]));
        assert_string_equal(ks_kvs_get(&p->labels, "pod-template-hash"), rs->hash);
        assert_true(p->ready);
        pods++;
    }
    assert_int_equal(pods, 3);
    fixture_fini(&f);
}

/* cluster-2: the same seed gives the same names; another seed others */
static void test_cluster_names_follow_the_seed(void **state)
{
    fixture a, b, c;
    (void)state;
    assert_int_equal(fixture_init(&a, 7, NULL), KS_OK);
    assert_int_equal(fixture_init(&b, 7, NULL), KS_OK);
    assert_int_equal(fixture_init(&c, 8, NULL), KS_OK);
    fixture_apply(&a, WEB(2, ""));
    fixture_apply(&b, WEB(2, ""));
    fixture_apply(&c, WEB(2, ""));
    run_to(&a, KS_SEC);
    run_to(&b, KS_SEC);
    run_to(&c, KS_SEC);
    assert_string_equal(first_pod(&a, "web-")->name, first_pod(&b, "web-")->name);
    assert_string_not_equal(first_pod(&a, "web-")->name, first_pod(&c, "web-")->name);
    fixture_fini(&a);
    fixture_fini(&b);
    fixture_fini(&c);
}

/* cluster-3: CrashLoopBackOff: first restart at once, then 10 s doubling */
static void test_cluster_crashloop_schedule(void **state)
{
    static const struct {
        ks_time at;
        int restarts;
        const char *status;
    } steps[] = {
        {1 * KS_SEC, 0, "ContainerCreating"},     /* busybox pulls in 1 s */
        {5 * KS_SEC, 1, "CrashLoopBackOff"},      /* 1st restart immediate */
        {12 * KS_SEC, 2, "CrashLoopBackOff"},     /* 2nd after 10 s */
        {31 * KS_SEC, 2, "CrashLoopBackOff"},     /* 3rd due at 31.385 s */
        {32 * KS_SEC, 3, "CrashLoopBackOff"},
        {100 * KS_SEC, 4, "CrashLoopBackOff"},    /* +40 s: 71.4 s */
        {200 * KS_SEC, 5, "CrashLoopBackOff"},    /* +80 s: 151.4 s */
        {400 * KS_SEC, 6, "CrashLoopBackOff"},    /* +160 s: 311.4 s */
        {700 * KS_SEC, 7, "CrashLoopBackOff"},    /* +300 s (cap): 611.4 s */
        {900 * KS_SEC, 7, "CrashLoopBackOff"},
        {920 * KS_SEC, 8, "CrashLoopBackOff"},    /* +300 s again: 911.4 s */
    };
    fixture f;
    size_t i;
    const ks_pod *p;
    char buf[64];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: crash}\n"
                                       "spec:\n  containers:\n    - name: app\n"
                                       "      image: busybox\n"
                                       "      command: [sh, -c, 'echo boom; exit 1']\n"), 0);
    for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        run_to(&f, steps[i].at);
        p = first_pod(&f, "crash");
        assert_non_null(p);
        if (p->containers[0].restarts != steps[i].restarts
            || strcmp(p->status, steps[i].status) != 0)
            fail_msg("at %llds: %d restarts, %s; wanted %d, %s", (long long)(steps[i].at / KS_SEC),
                     p->containers[0].restarts, p->status, steps[i].restarts, steps[i].status);
    }
    assert_int_equal(p->containers[0].last_exit_code, 1);
    assert_string_equal(p->containers[0].last_reason, "Error");
    assert_string_equal(p->containers[0].log->line[0], "boom");
    ks_pod_restarts_text(f.sim, p, buf, sizeof buf);
    assert_string_equal(buf, "8 (8s ago)");
    fixture_fini(&f);
}

/* cluster-4: a deleted pod is replaced at once; the old one shows
 * Terminating until its process has stopped */
static void test_cluster_deleted_pod_is_replaced(void **state)
{
    fixture f;
    const ks_pod *victim;
    ks_id vid;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, WEB(2, ""));
    run_to(&f, 10 * KS_SEC);
    victim = first_pod(&f, "web-");
    vid = victim->id;
    assert_int_equal(ks_cluster_delete(f.sim, vid, -1, false), KS_OK);
    run_to(&f, 10 * KS_SEC + 100 * KS_MSEC);
    assert_string_equal(ks_cluster_pod(f.sim, vid)->status, "Terminating");
    assert_int_equal(count_pods(&f, "web-", NULL), 3);          /* old + 2 */
    run_to(&f, 11 * KS_SEC);                                    /* nginx stops in 200 ms */
    assert_null(ks_cluster_pod(f.sim, vid));
    assert_int_equal(count_pods(&f, "web-", "Running"), 2);     /* image present: fast */
    fixture_fini(&f);
}

/* cluster-5: a Secret created late un-sticks the pod without recreating it */
static void test_cluster_secret_created_late(void **state)
{
    fixture f;
    const ks_pod *p;
    ks_id id;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: server}\nspec:\n"
                      "  containers:\n    - name: server\n      image: nginx\n      env:\n"
                      "        - name: PGPASSWORD\n          valueFrom:\n"
                      "            secretKeyRef: {name: pgpassword, key: PGPASSWORD}\n");
    run_to(&f, 20 * KS_SEC);
    p = first_pod(&f, "server");
    id = p->id;
    assert_string_equal(p->status, "CreateContainerConfigError");
    assert_string_equal(p->containers[0].message, "secret \"pgpassword\" not found");
    fixture_apply(&f, "apiVersion: v1\nkind: Secret\nmetadata: {name: pgpassword}\n"
                      "stringData: {OTHER: x}\n");
    run_to(&f, 25 * KS_SEC);
    p = ks_cluster_pod(f.sim, id);
    assert_string_equal(p->containers[0].message,
                        "couldn't find key PGPASSWORD in Secret default/pgpassword");
    fixture_apply(&f, "apiVersion: v1\nkind: Secret\nmetadata: {name: pgpassword}\n"
                      "stringData: {PGPASSWORD: 12345asdf}\n");
    run_to(&f, 27 * KS_SEC);
    p = ks_cluster_pod(f.sim, id);
    assert_non_null(p);                        /* the same pod */
    assert_string_equal(p->status, "Running");
    assert_int_equal(p->containers[0].restarts, 0);
    fixture_fini(&f);
}

/* cluster-6: scaling down removes the newest pods first; up adds */
static void test_cluster_scale(void **state)
{
    fixture f;
    ks_id d, oldest;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, WEB(2, ""));
    run_to(&f, 10 * KS_SEC);
    oldest = first_pod(&f, "web-")->id;
    d = ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, "default", "web");
    assert_int_equal(ks_cluster_scale(f.sim, d, 4), KS_OK);
    run_to(&f, 20 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", "Running"), 4);
    assert_int_equal(ks_cluster_scale(f.sim, d, 1), KS_OK);
    run_to(&f, 30 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", NULL), 1);
    assert_non_null(ks_cluster_pod(f.sim, oldest));   /* the old ready one stays */
    assert_int_equal(ks_cluster_deployment(f.sim, d)->available, 1);
    fixture_fini(&f);
}

/* cluster-7: a rolling update never drops below the available count the
 * strategy allows, never exceeds the surge, and ends on the new image */
typedef struct watch {
    fixture *f;
    ks_id d;
    int64_t min_available, max_pods;
    bool started;
} watch;

static void on_trace(void *ud, const ks_trace_event *ev)
{
    watch *w = ud;
    const ks_deployment *d = ks_cluster_deployment(w->f->sim, w->d);
    int pods = count_pods(w->f, "web-", NULL) - count_pods(w->f, "web-", "Terminating");
    (void)ev;
    if (!w->started || !d)
        return;
    if (d->available < w->min_available)
        w->min_available = d->available;
    if (pods > w->max_pods)
        w->max_pods = pods;
}

static void test_cluster_rolling_update_bounds(void **state)
{
    fixture f;
    watch w = {0};
    ks_id id = 0;
    ks_error e;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, WEB(4, ""));
    run_to(&f, 10 * KS_SEC);
    w.f = &f;
    w.d = ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, "default", "web");
    w.min_available = 100;
    w.started = true;
    ks_trace_subscribe(f.sim, on_trace, &w);
    assert_int_equal(ks_cluster_set_image(f.sim, w.d, "web", "nginx:1.25", &e), KS_OK);
    run_to(&f, 120 * KS_SEC);
    /* 4 replicas: maxSurge ceil(1) = 1, maxUnavailable floor(1) = 1 */
    assert_int_equal(w.min_available, 3);
    assert_int_equal(w.max_pods, 5);
    assert_int_equal(count_pods(&f, "web-", "Running"), 4);
    while ((id = ks_cluster_next(f.sim, KS_KIND_POD, id)) != 0)
        if (strcmp(ks_cluster_pod(f.sim, id)->ns, "default") == 0)
            assert_string_equal(ks_cluster_pod(f.sim, id)->containers[0].spec->image,
                                "nginx:1.25");
    assert_int_equal(ks_cluster_deployment(f.sim, w.d)->revision, 2);
    fixture_fini(&f);
}

/* cluster-8: Recreate: every old pod is gone before a new one is created */
static void test_cluster_recreate(void **state)
{
    fixture f;
    ks_id d;
    ks_error e;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, WEB(2, "  strategy: {type: Recreate}\n"));
    run_to(&f, 10 * KS_SEC);
    d = ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, "default", "web");
    ks_cluster_set_image(f.sim, d, "web", "nginx:1.25", &e);
    run_to(&f, 10 * KS_SEC + 100 * KS_MSEC);
    assert_int_equal(count_pods(&f, "web-", "Terminating"), 2);
    assert_int_equal(count_pods(&f, "web-", NULL), 2);         /* no new pod yet */
    run_to(&f, 11 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", "Terminating"), 0);
    assert_int_equal(count_pods(&f, "web-", "ContainerCreating"), 2);
    run_to(&f, 20 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", "Running"), 2);
    fixture_fini(&f);
}

/* cluster-9: an image that cannot be pulled: ErrImagePull, ImagePullBackOff */
static void test_cluster_image_pull_backoff(void **state)
{
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: typo}\nspec:\n"
                      "  containers: [{name: a, image: registry.invalid/ngnix}]\n");
    run_to(&f, 5 * KS_SEC);
    assert_string_equal(first_pod(&f, "typo")->status, "ImagePullBackOff");
    fixture_fini(&f);
}

/* kubectl describe pod NAME's output. */
static const char *describe(fixture *f, const char *pod)
{
    static ks_strbuf out;
    char line[300];
    ks_strbuf_fini(&out);
    ks_strbuf_init(&out, NULL);
    snprintf(line, sizeof line, "describe pod %s", pod);
    assert_int_equal(ks_kubectl_run(f->sim, line, NULL, &out), 0);
    return ks_strbuf_str(&out);
}

/* cluster-12: kubectl drain evicts through the eviction API, which sets the
 * pods' DisruptionTarget (EvictionByEvictionAPI) before it deletes them;
 * the kubelet, alive, then puts it before its own conditions
 * (status_manager.go mergePodStatus) */
static void test_cluster_drain_disruption(void **state)
{
    fixture f;
    ks_id n2, id = 0, on_n2 = 0;
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init(&f, 1,
                                  "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n---\n"
                                  "apiVersion: v1\nkind: Node\nmetadata: {name: node-2}\n"), KS_OK);
    fixture_apply(&f, WEB(2, ""));
    run_to(&f, 10 * KS_SEC);
    n2 = ks_cluster_find(f.sim, KS_KIND_NODE, NULL, "node-2");
    while ((id = ks_cluster_next(f.sim, KS_KIND_POD, id)) != 0)
        if (ks_cluster_pod(f.sim, id)->node == n2)
            on_n2 = id;
    assert_true(on_n2 != 0);
    assert_null(strstr(describe(&f, ks_cluster_pod(f.sim, on_n2)->name), "DisruptionTarget"));
    assert_int_equal(ks_cluster_drain(f.sim, n2), KS_OK);
    p = ks_cluster_pod(f.sim, on_n2);
    assert_true(p->terminating);
    assert_string_equal(p->disruption, "EvictionByEvictionAPI");
    assert_string_equal(p->disruption_message, "Eviction API: evicting");
    assert_true(ks_pod_disruption_first(f.sim, p));
    assert_non_null(strstr(describe(&f, p->name), "Conditions:\n"
                                                  "  Type                        Status\n"
                                                  "  DisruptionTarget            True \n"
                                                  "  PodReadyToStartContainers   True \n"));
    fixture_fini(&f);
}

/* cluster-10: node failure: NotReady after 40 s, eviction after 300 s more,
 * replacements elsewhere, the old pods stuck Terminating */
static void test_cluster_node_failure_timeline(void **state)
{
    fixture f;
    ks_id n2, id = 0, on_n2 = 0;
    (void)state;
    assert_int_equal(fixture_init(&f, 1,
                                  "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n---\n"
                                  "apiVersion: v1\nkind: Node\nmetadata: {name: node-2}\n"), KS_OK);
    fixture_apply(&f, WEB(2, ""));
    run_to(&f, 10 * KS_SEC);
    n2 = ks_cluster_find(f.sim, KS_KIND_NODE, NULL, "node-2");
    while ((id = ks_cluster_next(f.sim, KS_KIND_POD, id)) != 0)
        if (ks_cluster_pod(f.sim, id)->node == n2)
            on_n2 = id;
    assert_true(on_n2 != 0);                   /* replicas spread: one per node */
    assert_int_equal(ks_world_node_action(f.sim, n2, KS_NODE_FAIL), KS_OK);
    run_to(&f, 49 * KS_SEC);
    assert_true(ks_cluster_node(f.sim, n2)->ready);
    assert_true(ks_cluster_pod(f.sim, on_n2)->ready);
    run_to(&f, 51 * KS_SEC);
    assert_false(ks_cluster_node(f.sim, n2)->ready);
    assert_false(ks_cluster_pod(f.sim, on_n2)->ready);
    run_to(&f, 349 * KS_SEC);
    assert_string_equal(ks_cluster_pod(f.sim, on_n2)->status, "Running");
    assert_null(ks_cluster_pod(f.sim, on_n2)->disruption);
    run_to(&f, 351 * KS_SEC);
    assert_string_equal(ks_cluster_pod(f.sim, on_n2)->status, "Terminating");
    /* the taint eviction controller's DisruptionTarget, after the kubelet's
       conditions: no kubelet runs there to put it first */
    assert_string_equal(ks_cluster_pod(f.sim, on_n2)->disruption, "DeletionByTaintManager");
    assert_string_equal(ks_cluster_pod(f.sim, on_n2)->disruption_message,
                        "Taint manager: deleting due to NoExecute taint");
    assert_non_null(strstr(describe(&f, ks_cluster_pod(f.sim, on_n2)->name),
                           "  PodScheduled                True \n"
                           "  DisruptionTarget            True \n"));
    run_to(&f, 600 * KS_SEC);
    assert_string_equal(ks_cluster_pod(f.sim, on_n2)->status, "Terminating");
    assert_int_equal(count_pods(&f, "web-", "Running"), 2);   /* replacement on node-1 */
    ks_world_node_action(f.sim, n2, KS_NODE_RECOVER);
    run_to(&f, 601 * KS_SEC);
    assert_null(ks_cluster_pod(f.sim, on_n2));                /* cleaned up */
    fixture_fini(&f);
}

/* cluster-11: the nodes' Leases (kube-node-lease): the kubelet renews its
 * node's every 10 s (pkg/kubelet/kubelet.go: a quarter of its 40 s); a node
 * failed at 15 s keeps the renewal of 10 s, and the node lifecycle
 * controller marks it NotReady once that is 40 s old: at 50 s, not 55 s */
static void test_cluster_node_lease(void **state)
{
    fixture f;
    ks_id n2;
    ks_lease l;
    (void)state;
    assert_int_equal(fixture_init(&f, 1,
                                  "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n---\n"
                                  "apiVersion: v1\nkind: Node\nmetadata: {name: node-2}\n"), KS_OK);
    n2 = ks_cluster_find(f.sim, KS_KIND_NODE, NULL, "node-2");
    run_to(&f, 9 * KS_SEC);
    assert_true(ks_cluster_node_lease(f.sim, n2, &l));
    assert_string_equal(l.name, "node-2");
    assert_int_equal(l.created, 0);
    assert_int_equal(l.renewed, 0);
    run_to(&f, 15 * KS_SEC);
    assert_true(ks_cluster_node_lease(f.sim, n2, &l));
    assert_int_equal(l.renewed, 10 * KS_SEC);
    assert_int_equal(ks_cluster_lease_find(f.sim, "node-2"), n2);
    assert_int_equal(ks_cluster_lease_find(f.sim, "node-3"), 0);
    assert_int_equal(ks_world_node_action(f.sim, n2, KS_NODE_FAIL), KS_OK);
    run_to(&f, 49900 * KS_MSEC);
    assert_true(ks_cluster_node_lease(f.sim, n2, &l));
    assert_int_equal(l.renewed, 10 * KS_SEC);          /* renewed no more */
    assert_true(ks_cluster_node(f.sim, n2)->ready);
    run_to(&f, 50100 * KS_MSEC);
    assert_false(ks_cluster_node(f.sim, n2)->ready);
    assert_true(ks_cluster_node_lease(f.sim, ks_cluster_find(f.sim, KS_KIND_NODE, NULL,
                                                              "node-1"), &l));
    assert_int_equal(l.renewed, 50 * KS_SEC);          /* the live one's is */
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cluster_deployment_starts_pods),
        cmocka_unit_test(test_cluster_names_follow_the_seed),
        cmocka_unit_test(test_cluster_crashloop_schedule),
        cmocka_unit_test(test_cluster_deleted_pod_is_replaced),
        cmocka_unit_test(test_cluster_secret_created_late),
        cmocka_unit_test(test_cluster_scale),
        cmocka_unit_test(test_cluster_rolling_update_bounds),
        cmocka_unit_test(test_cluster_recreate),
        cmocka_unit_test(test_cluster_image_pull_backoff),
        cmocka_unit_test(test_cluster_node_failure_timeline),
        cmocka_unit_test(test_cluster_node_lease),
        cmocka_unit_test(test_cluster_drain_disruption),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
