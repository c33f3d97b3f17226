/* test_daemonset.c -- the DaemonSet controller (sim/cluster/ks_daemonset.c),
 * its loader and kubectl on it, on a simulated cluster of two nodes with the
 * default catalog. busybox is pulled in 1 s the first time per node; a
 * container starts 350 ms after binding; `sleep` ignores SIGTERM, so an
 * old pod takes its 30 s grace period to go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "cluster/ks_workloads.h"
#include "kubectl/ks_kubectl.h"

static const char nodes[] =
    "apiVersion: v1\nkind: Node\nmetadata: {name: node-1, labels: {disk: ssd}}\n---\n"
    "apiVersion: v1\nkind: Node\nmetadata: {name: node-2}\n";

static const char *ds_yaml(char *buf, size_t n, const char *extra, const char *pod_extra)
{
    snprintf(buf, n,
             "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n%s"
             "  selector: {matchLabels: {app: agent}}\n"
             "  template:\n    metadata: {labels: {app: agent}}\n    spec:\n%s"
             "      containers:\n        - name: c\n          image: busybox\n"
             "          command: [sh, -c, \"sleep 3600\"]\n",
             extra, pod_extra);
    return buf;
}

static const ks_daemonset *ds(fixture *f)
{
    return ks_cluster_daemonset(f->sim, ks_cluster_find(f->sim, KS_KIND_DAEMONSET, "default",
                                                        "agent"));
}

/* Agents (not deleted) on the node named node. */
static int agents_on(fixture *f, const char *node)
{
    ks_id id = 0, nid = ks_cluster_find(f->sim, KS_KIND_NODE, NULL, node);
    int n = 0;
    while ((id = ks_cluster_next(f->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(f->sim, id);
        n += strncmp(p->name, "agent-", 6) == 0 && p->node == nid && !p->terminating;
    }
    return n;
}

/* One pod per node; a new node gets one; cordon and drain leave it. */
static void test_ds_one_per_node(void **state)
{
    fixture f;
    char y[1024];
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, nodes), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, ds_yaml(y, sizeof y, "", "")), 0);
    run_to(&f, 10 * KS_SEC);
    assert_int_equal(agents_on(&f, "node-1"), 1);
    assert_int_equal(agents_on(&f, "node-2"), 1);
    assert_int_equal(ds(&f)->desired, 2);
    assert_int_equal(ds(&f)->ready, 2);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Node\nmetadata: {name: node-3}\n"),
                     0);
    run_to(&f, 20 * KS_SEC);
    assert_int_equal(agents_on(&f, "node-3"), 1);
    assert_int_equal(ds(&f)->available, 3);
    assert_int_equal(ks_kubectl_run(f.sim, "drain node-2", NULL, &out), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "cannot delete DaemonSet-managed Pods (use "
                                                "--ignore-daemonsets to ignore)"));
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "drain node-2 --ignore-daemonsets", NULL, &out), 0);
    run_to(&f, 60 * KS_SEC);
    assert_int_equal(agents_on(&f, "node-2"), 1);          /* cordoned: it stays */
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "get ds", NULL, &out), 0);
    assert_string_equal(ks_strbuf_str(&out),
                        "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   "
                        "NODE SELECTOR   AGE\n"
                        "agent   3         3         3       3            3           "
                        "<none>          60s\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* A nodeSelector picks the nodes; a failed node keeps its pod, which is
 * not made again elsewhere, and is not evicted. */
static void test_ds_node_selector_and_failure(void **state)
{
    fixture f;
    char y[1024];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, nodes), KS_OK);
    assert_int_equal(fixture_apply(&f, ds_yaml(y, sizeof y, "",
                                               "      nodeSelector: {disk: ssd}\n")), 0);
    run_to(&f, 10 * KS_SEC);
    assert_int_equal(agents_on(&f, "node-1"), 1);
    assert_int_equal(agents_on(&f, "node-2"), 0);
    assert_int_equal(ds(&f)->desired, 1);
    assert_int_equal(ks_world_node_action(f.sim, ks_cluster_find(f.sim, KS_KIND_NODE, NULL,
                                                                 "node-1"), KS_NODE_FAIL), 0);
    run_to(&f, 600 * KS_SEC);                  /* past the 300 s eviction toleration */
    assert_int_equal(agents_on(&f, "node-1"), 1);
    assert_int_equal(agents_on(&f, "node-2"), 0);
    fixture_fini(&f);
}

/* RollingUpdate, maxUnavailable 1: one node at a time, the old pod gone
 * before the new one starts. */
static void test_ds_rolling_update(void **state)
{
    fixture f;
    char y[1024];
    ks_strbuf out;
    ks_id id = 0;
    int old = 0, fresh = 0;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, nodes), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, ds_yaml(y, sizeof y, "", "")), 0);
    run_to(&f, 10 * KS_SEC);
    assert_int_equal(ks_kubectl_run(f.sim, "set image daemonset/agent c=busybox:1.36", NULL,
                                    &out), 0);
    run_to(&f, 20 * KS_SEC);
    while ((id = ks_cluster_next(f.sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(f.sim, id);
        if (strncmp(p->name, "agent-", 6) != 0)
            continue;
        old += p->terminating;
        fresh += strcmp(p->spec->containers[0].image, "busybox:1.36") == 0;
    }
    assert_int_equal(old, 1);                  /* one at a time */
    assert_int_equal(fresh, 0);                /* maxSurge 0: after the old one */
    run_to(&f, 120 * KS_SEC);
    assert_int_equal(ds(&f)->updated, 2);
    assert_int_equal(ds(&f)->available, 2);
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "rollout status ds/agent", NULL, &out), 0);
    assert_string_equal(ks_strbuf_str(&out), "daemon set \"agent\" successfully rolled out\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

static void test_ds_validation(void **state)
{
    fixture f;
    char y[1024];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, ds_yaml(y, sizeof y,
                                               "  updateStrategy: {rollingUpdate: "
                                               "{maxUnavailable: 0}}\n", "")), 1);
    assert_int_equal(fixture_apply(&f, ds_yaml(y, sizeof y,
                                               "  updateStrategy: {type: Sometimes}\n", "")),
                     1);
    assert_int_equal(fixture_apply(&f, ds_yaml(y, sizeof y, "",
                                               "      restartPolicy: Never\n")), 1);
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ds_one_per_node),
        cmocka_unit_test(test_ds_node_selector_and_failure),
        cmocka_unit_test(test_ds_rolling_update),
        cmocka_unit_test(test_ds_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
