/* test_sched.c -- the scheduler at scale: kube-scheduler's bounded search
 * (percentageOfNodesToScore and the rotating start), spreading from the
 * cache of pods per owner and node, and the store's name index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "load/ks_catalog.h"
#include "load/ks_manifest.h"
#include "world/ks_world.h"

typedef struct big {
    ks_sim *sim;
    ks_arena *ar;
} big;

/* A world of the given Node objects (YAML) and no ingress controller:
 * what the test schedules is all there is. */
static void big_init_nodes(big *b, const char *yaml)
{
    ks_sim_config cfg = {0};
    ks_world_config cc = {0};
    ks_diags d;
    ks_manifests m = {0};
    ks_catalog *cat;
    char path[512];
    cfg.seed = 7;
    b->sim = ks_sim_create(&cfg);
    b->ar = ks_arena_create(NULL);
    ks_diags_init(&d);
    snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
    assert_int_equal(ks_catalog_load_file(b->ar, path, &cat, &d), KS_OK);
    assert_int_equal(ks_manifest_load_text(b->ar, "nodes.yaml", yaml, strlen(yaml), 1, 1, NULL,
                                           &m, &d), KS_OK);
    cc.catalog = cat;
    cc.nodes = (const ks_object *const *)m.objs;
    cc.nnodes = m.n;
    cc.no_ingress_controller = true;
    assert_int_equal(ks_world_init(b->sim, &cc), KS_OK);
}

/* nodes empty nodes node-1..node-N, 4 cpu each. */
static void big_init(big *b, int nodes)
{
    char *yaml = malloc((size_t)nodes * 160 + 1), *p = yaml;
    int i;
    assert_non_null(yaml);
    for (i = 0; i < nodes; i++)
        p += sprintf(p, "apiVersion: v1\nkind: Node\nmetadata: {name: node-%d}\n"
                        "status: {allocatable: {cpu: '4', memory: 8Gi}}\n---\n", i + 1);
    big_init_nodes(b, yaml);
    free(yaml);
}

static void big_apply(big *b, const char *yaml)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_manifests m = {0};
    size_t i;
    ks_diags_init(&d);
    assert_int_equal(ks_manifest_load_text(ar, "t.yaml", yaml, strlen(yaml), 1, 1, NULL, &m, &d),
                     KS_OK);
    for (i = 0; i < m.n; i++) {
        ks_apply_result res;
        ks_error e;
        assert_int_equal(ks_cluster_apply(b->sim, m.objs[i], &res, &e), KS_OK);
    }
    ks_cluster_keep_arena(b->sim, ar);
}

static void big_fini(big *b)
{
    ks_sim_destroy(b->sim);
    ks_arena_destroy(b->ar);
}

/* The node number (node-N) a pod was bound to; 0 when unscheduled. */
static int node_of(const big *b, const char *pod)
{
    const ks_pod *p = ks_cluster_pod(b->sim, ks_cluster_find(b->sim, KS_KIND_POD, NULL, pod));
    const ks_node *n = p ? ks_cluster_node(b->sim, p->node) : NULL;
    return n ? atoi(n->name + 5) : 0;
}

static void pod(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec:\n"
                     "  containers: [{name: c, image: nginx}]\n", name);
}

/* sched-1: on 250 empty nodes a pod's search stops after
 * 250 * (50 - 250/125) / 100 = 120 feasible nodes, and the next pod's starts
 * where it stopped: four pods land in four consecutive windows of 120 nodes
 * (wrapping around), wherever the tie-break falls inside each. The second
 * window is kube-system's coredns pod's, queued at 0 s right after p0. */
static void test_sched_bounded_search_rotates(void **state)
{
    static const int lo[4] = {1, 241, 111, 231}, len = 120;
    big b;
    char y[256], name[16];
    int i;
    (void)state;
    big_init(&b, 250);
    for (i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "p%d", i);
        pod(y, sizeof y, name);
        big_apply(&b, y);
        ks_run_until(b.sim, ks_now(b.sim) + KS_SEC);   /* one pod per scheduling run */
    }
    for (i = 0; i < 4; i++) {
        int n, off;
        snprintf(name, sizeof name, "p%d", i);
        n = node_of(&b, name);
        assert_true(n >= 1);
        off = (n - lo[i] + 250) % 250;                 /* position inside its window */
        assert_true(off < len);
    }
    big_fini(&b);
}

/* sched-2: below 100 nodes every node is searched, every time: a pod that
 * fits on one node only (by nodeSelector) is found wherever it is, and the
 * message of one that fits nowhere counts every node. */
static void test_sched_small_cluster_searched_whole(void **state)
{
    big b;
    const ks_pod *p;
    (void)state;
    big_init(&b, 99);
    big_apply(&b, "apiVersion: v1\nkind: Pod\nmetadata: {name: only}\nspec:\n"
                  "  nodeName: node-98\n  containers: [{name: c, image: nginx}]\n---\n"
                  "apiVersion: v1\nkind: Pod\nmetadata: {name: huge}\nspec:\n"
                  "  containers: [{name: c, image: nginx, resources: {requests: {cpu: '64'}}}]\n");
    ks_run_until(b.sim, 5 * KS_SEC);
    assert_int_equal(node_of(&b, "only"), 98);
    p = ks_cluster_pod(b.sim, ks_cluster_find(b.sim, KS_KIND_POD, NULL, "huge"));
    assert_non_null(p);
    assert_int_equal(p->node, 0);
    assert_non_null(strstr(p->pending_reason, "0/99 nodes are available: 99 Insufficient cpu"));
    big_fini(&b);
}

/* The pods of namespace default per node (index: node number), and the
 * count of live ones (kube-system's coredns pod is not counted). */
static int pods_per_node(const big *b, int per_node[], int nodes)
{
    ks_id id = 0;
    int n = 0;
    memset(per_node, 0, (size_t)(nodes + 1) * sizeof *per_node);
    while ((id = ks_cluster_next(b->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(b->sim, id);
        const ks_node *node = ks_cluster_node(b->sim, p->node);
        if (p->terminating || strcmp(p->ns, "default") != 0)
            continue;
        assert_non_null(node);
        per_node[atoi(node->name + 5)]++;
        n++;
    }
    return n;
}

/* sched-3: spreading comes from the cache: 100 replicas on 100 nodes land
 * one per node (a node with a sibling scores lower); delete the pods of the
 * odd nodes and their replacements go exactly there -- only if the cache
 * forgot the deleted pods (else every node would count one and they would
 * land anywhere). */
static void test_sched_spreads_from_the_cache(void **state)
{
    static const char deploy[] =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  replicas: 100\n  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n"
        "      containers: [{name: c, image: nginx}]\n";
    big b;
    int per_node[101], i;
    ks_id id = 0;
    (void)state;
    big_init(&b, 100);
    big_apply(&b, deploy);
    ks_run_until(b.sim, 30 * KS_SEC);
    assert_int_equal(pods_per_node(&b, per_node, 100), 100);
    for (i = 1; i <= 100; i++)
        assert_int_equal(per_node[i], 1);
    while ((id = ks_cluster_next(b.sim, KS_KIND_POD, id)) != 0) {
        const ks_node *n = ks_cluster_node(b.sim, ks_cluster_pod(b.sim, id)->node);
        if (atoi(n->name + 5) % 2)
            ks_cluster_delete(b.sim, id, 0, true);
    }
    ks_run_until(b.sim, 60 * KS_SEC);
    assert_int_equal(pods_per_node(&b, per_node, 100), 100);
    for (i = 1; i <= 100; i++)
        assert_int_equal(per_node[i], 1);
    big_fini(&b);
}

/* names-1: lookups by name go through the store's index: found while the
 * object lives (and during its deletion's handlers), not after; cluster-
 * scoped kinds ignore the namespace; 2,000 pods of one name prefix do not
 * collide. */
static void test_names_index(void **state)
{
    big b;
    char y[256], name[32];
    ks_id id;
    int i;
    (void)state;
    big_init(&b, 3);
    for (i = 0; i < 2000; i++) {
        snprintf(name, sizeof name, "pod-%d", i);
        pod(y, sizeof y, name);
        big_apply(&b, y);
    }
    for (i = 0; i < 2000; i += 97) {
        const ks_pod *p;
        snprintf(name, sizeof name, "pod-%d", i);
        p = ks_cluster_pod(b.sim, ks_cluster_find(b.sim, KS_KIND_POD, "default", name));
        assert_non_null(p);
        assert_string_equal(p->name, name);
    }
    assert_int_equal(ks_cluster_find(b.sim, KS_KIND_POD, "other", "pod-5"), 0);
    assert_int_equal(ks_cluster_find(b.sim, KS_KIND_POD, NULL, "pod-2000"), 0);
    assert_int_not_equal(ks_cluster_find(b.sim, KS_KIND_NODE, "any-namespace", "node-2"), 0);
    id = ks_cluster_find(b.sim, KS_KIND_POD, NULL, "pod-7");
    assert_int_equal(ks_cluster_delete(b.sim, id, 0, true), KS_OK);
    assert_int_equal(ks_cluster_find(b.sim, KS_KIND_POD, NULL, "pod-7"), 0);
    pod(y, sizeof y, "pod-7");                         /* the name is free again */
    big_apply(&b, y);
    assert_true(ks_cluster_find(b.sim, KS_KIND_POD, NULL, "pod-7") > id);
    big_fini(&b);
}

/* names-2: one name in two namespaces is two objects, and deleting one
 * leaves the other findable; a node given twice (twins, possible only at
 * world set-up) is found as the older one, as the walk of the nodes found
 * it. */
static void test_names_twins(void **state)
{
    static const char twins[] =
        "apiVersion: v1\nkind: Node\nmetadata: {name: twin, labels: {n: first}}\n---\n"
        "apiVersion: v1\nkind: Node\nmetadata: {name: twin, labels: {n: second}}\n";
    big b;
    ks_id first, second;
    (void)state;
    big_init(&b, 1);
    big_apply(&b, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
                  "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n---\n"
                  "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\n"
                  "stringData: {k: v}\n---\n"
                  "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: b}\n"
                  "stringData: {k: w}\n");
    first = ks_cluster_find(b.sim, KS_KIND_SECRET, "a", "s");
    second = ks_cluster_find(b.sim, KS_KIND_SECRET, "b", "s");
    assert_int_not_equal(first, 0);
    assert_int_not_equal(second, 0);
    assert_int_not_equal(first, second);
    assert_int_equal(ks_cluster_delete(b.sim, first, 0, false), KS_OK);
    assert_int_equal(ks_cluster_find(b.sim, KS_KIND_SECRET, "a", "s"), 0);
    assert_int_equal(ks_cluster_find(b.sim, KS_KIND_SECRET, "b", "s"), second);
    big_fini(&b);
    big_init_nodes(&b, twins);
    first = ks_cluster_find(b.sim, KS_KIND_NODE, NULL, "twin");
    assert_non_null(ks_cluster_node(b.sim, first));
    assert_string_equal(ks_kvs_get(&ks_cluster_node(b.sim, first)->labels, "n"), "first");
    big_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sched_bounded_search_rotates),
        cmocka_unit_test(test_sched_small_cluster_searched_whole),
        cmocka_unit_test(test_sched_spreads_from_the_cache),
        cmocka_unit_test(test_names_index),
        cmocka_unit_test(test_names_twins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
