/* test_usage.c -- the focus of this file: load becomes resources. Traffic
 * turns into CPU and memory per container as the catalog says; a CPU limit
 * throttles (latency grows with the load, the ingress gives up with 504); a
 * memory limit OOMKills with exit 137 and the real restart flow; QoS classes
 * as the API server sets them; a node short of memory evicts BestEffort
 * pods first and reports MemoryPressure; node CPU is shared by requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cluster_fixture.h"
#include "kubectl/ks_kubectl.h"
#include "net/ks_traffic.h"
#include "node/ks_usage.h"

/* A Deployment "web" of nginx with resources, its Service, an Ingress. */
#define WEB(resources)                                                                   \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"              \
    "  replicas: 1\n  selector: {matchLabels: {app: web}}\n"                             \
    "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"                      \
    "      containers:\n        - name: web\n          image: nginx\n"                  \
    "          resources: " resources "\n"                                              \
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"                       \
    "spec: {selector: {app: web}, ports: [{port: 80}]}\n"                               \
    "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"     \
    "spec:\n  ingressClassName: nginx\n  rules:\n    - http:\n        paths:\n"         \
    "          - {path: /, pathType: Prefix, backend: {service: {name: web, port: "      \
    "{number: 80}}}}\n"

#define STRESS(name, args, resources)                                                    \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: " name "}\nspec:\n"                     \
    "  containers:\n    - name: " name "\n      image: polinux/stress\n"                 \
    "      command: [stress]\n      args: " args "\n      resources: " resources "\n"

static ks_scn_traffic gen(int per_second, ks_time duration)
{
    ks_scn_traffic t;
    memset(&t, 0, sizeof t);
    t.to.kind = KS_SCN_TO_INGRESS;
    t.method = "GET";
    t.path = "/";
    t.rate_milli = per_second * 1000;
    t.rate_period = KS_SEC;
    t.duration = duration;
    t.constant = true;
    return t;
}

static ks_usage container_usage(fixture *f, const char *prefix)
{
    ks_usage u;
    memset(&u, 0, sizeof u);
    assert_non_null(first_pod(f, prefix));
    assert_true(ks_usage_container(f->sim, first_pod(f, prefix)->id, 0, &u));
    return u;
}

/* usage-1: CPU per request: nginx at 50us a request and 1m at rest uses
 * 1m + 200/s x 50us = 11m; its memory is its base plus its connections */
static void test_usage_cpu_follows_traffic(void **state)
{
    fixture f;
    ks_scn_traffic t = gen(200, 0);
    ks_usage a, b;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, WEB("{}")), 0);
    run_to(&f, 10 * KS_SEC);
    a = container_usage(&f, "web-");
    assert_int_equal(a.memory, 8 << 20);          /* base, nothing in flight */
    assert_int_equal(ks_traffic_start(f.sim, &t), KS_OK);
    run_to(&f, 20 * KS_SEC);
    a = container_usage(&f, "web-");
    run_to(&f, 80 * KS_SEC);
    b = container_usage(&f, "web-");
    /* 60 s at 200/s x 50 us = 600 ms of work, plus 60 ms at rest */
    assert_in_range(b.cpu_ns - a.cpu_ns, 655000000, 665000000);
    assert_in_range(b.cpu_recent, 10, 12);
    fixture_fini(&f);
}

/* usage-2: a CPU limit throttles: nginx limited to 5m cannot do 200 x 50us
 * a second (10m): its usage stays at the limit, work queues, latency grows
 * past the ingress's 60 s proxy-read-timeout, which answers 504 */
static void test_usage_cpu_limit_throttles(void **state)
{
    fixture f;
    ks_scn_traffic light = gen(40, 20 * KS_SEC), t = gen(200, 0);
    ks_req_stats early, late;
    ks_usage a, b;
    ks_scn_target any = {KS_SCN_TO_NONE, 0, NULL};
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, WEB("{limits: {cpu: 5m, memory: 1Gi}}")), 0);
    run_to(&f, 10 * KS_SEC);
    assert_int_equal(container_usage(&f, "web-").rate, 5);
    /* 40/s x 50us = 2m: within the limit, nothing waits */
    assert_int_equal(ks_traffic_start(f.sim, &light), KS_OK);
    run_to(&f, 31 * KS_SEC);
    ks_traffic_stats(f.sim, NULL, &any, 0, 0, &early);
    assert_int_equal(ks_traffic_start(f.sim, &t), KS_OK);
    run_to(&f, 50 * KS_SEC);
    a = container_usage(&f, "web-");
    run_to(&f, 150 * KS_SEC);
    b = container_usage(&f, "web-");
    ks_traffic_stats(f.sim, NULL, &any, 0, 0, &late);
    /* exactly the limit: 100 s x 5m = 500 ms of CPU */
    assert_int_equal(b.cpu_ns - a.cpu_ns, 500000000);
    assert_true(b.queued_ns > a.queued_ns);
    assert_true(late.p99 > 50 * KS_SEC);
    ks_traffic_stats(f.sim, NULL, &any, 504, 504, &late);
    assert_true(late.count > 0);
    assert_int_equal(early.count, 800);
    assert_true(early.p99 < 10 * KS_MSEC);
    fixture_fini(&f);
}

/* usage-3: over its memory limit, the container is OOMKilled: exit 137,
 * restarted at once, then CrashLoopBackOff (the docs' memory-demo-2) */
static void test_usage_oomkilled(void **state)
{
    fixture f;
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, STRESS("memory-demo-2",
                                              "[--vm, '1', --vm-bytes, 250M, --vm-hang, '1']",
                                              "{requests: {memory: 50Mi}, limits: {memory: 100Mi}}")),
                     0);
    run_to(&f, 2500 * KS_MSEC);                   /* pulled at 2.355 s, started */
    p = first_pod(&f, "memory-demo-2");
    assert_string_equal(p->status, "Running");
    run_to(&f, 2600 * KS_MSEC);                   /* it allocated: killed, restarted */
    assert_int_equal(p->containers[0].last_exit_code, 137);
    assert_string_equal(p->containers[0].last_reason, "OOMKilled");
    assert_int_equal(p->containers[0].restarts, 1);
    run_to(&f, 3 * KS_SEC);
    assert_string_equal(p->status, "CrashLoopBackOff");
    assert_int_equal(p->containers[0].restarts, 1);
    run_to(&f, 30 * KS_SEC);
    assert_int_equal(p->containers[0].restarts, 2);
    fixture_fini(&f);
}

/* usage-4: within its limit, the same program runs */
static void test_usage_within_limit_runs(void **state)
{
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, STRESS("memory-demo", "[--vm, '1', --vm-bytes, 150M]",
                                              "{limits: {memory: 200Mi}}")),
                     0);
    run_to(&f, 30 * KS_SEC);
    assert_string_equal(first_pod(&f, "memory-demo")->status, "Running");
    assert_int_equal(container_usage(&f, "memory-demo").memory, (150 << 20) + (1 << 20));
    fixture_fini(&f);
}

/* usage-5: QoS classes, as GetPodQOS (requests left out default to limits) */
static void test_usage_qos_classes(void **state)
{
    static const struct {
        const char *resources, *qos;
    } cases[] = {
        {"{}", "BestEffort"},
        {"{requests: {cpu: 100m}}", "Burstable"},
        {"{limits: {cpu: 100m, memory: 64Mi}}", "Guaranteed"},
        {"{requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 100m, memory: 64Mi}}",
         "Guaranteed"},
        {"{requests: {cpu: 50m, memory: 64Mi}, limits: {cpu: 100m, memory: 64Mi}}",
         "Burstable"},
        {"{limits: {memory: 64Mi}}", "Burstable"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture f;
        char yaml[400];
        snprintf(yaml, sizeof yaml, "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n"
                 "  containers:\n    - {name: q, image: nginx, resources: %s}\n",
                 cases[i].resources);
        assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
        assert_int_equal(fixture_apply(&f, yaml), 0);
        assert_string_equal(ks_qos_name(ks_pod_qos(first_pod(&f, "q")->spec)), cases[i].qos);
        fixture_fini(&f);
    }
}

/* usage-6: a node short of memory: MemoryPressure, its taint, and the
 * BestEffort pod evicted first with the kubelet's message; the Guaranteed
 * pod stays; a new pod is not scheduled there */
static void test_usage_memory_pressure_evicts_besteffort(void **state)
{
    fixture f;
    const ks_pod *hog, *careful;
    const ks_node *n;
    size_t i;
    bool seen = false;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, "apiVersion: v1\nkind: Node\nmetadata: {name: small}\n"
                                         "status: {allocatable: {cpu: '2', memory: 1Gi}}\n"), KS_OK);
    /* 500Mi the node's own, 90Mi ingress-nginx, 301Mi + 201Mi: 32Mi left */
    assert_int_equal(fixture_apply(&f, STRESS("hog", "[--vm-bytes, 300M]", "{}")), 0);
    assert_int_equal(fixture_apply(&f, STRESS("careful", "[--vm-bytes, 200M]",
                                              "{limits: {cpu: 100m, memory: 300Mi}}")), 0);
    run_to(&f, 9 * KS_SEC);
    hog = first_pod(&f, "hog");
    careful = first_pod(&f, "careful");
    n = ks_cluster_node(f.sim, hog->node);
    assert_false(n->memory_pressure);             /* the kubelet looks every 10 s */
    run_to(&f, 10 * KS_SEC);
    assert_true(n->memory_pressure);
    assert_string_equal(hog->status, "Error");     /* the container's reason, as printPod */
    assert_true(hog->evicted);
    assert_string_equal(hog->containers[0].reason, "Error");
    assert_int_equal(hog->containers[0].exit_code, 137);
    assert_string_equal(hog->phase, "Failed");
    assert_non_null(strstr(hog->message, "The node was low on resource: memory. "
                                         "Threshold quantity: 100Mi, available: "));
    assert_non_null(strstr(hog->message, "Container hog was using 301Mi, request is 0, has "
                                         "larger consumption of memory."));
    /* the eviction manager's DisruptionTarget, after the kubelet's own */
    assert_string_equal(hog->disruption, "TerminationByKubelet");
    assert_ptr_equal(hog->disruption_message, hog->message);
    assert_false(ks_pod_disruption_first(f.sim, hog));
    {
        ks_strbuf out;
        char line[300];
        ks_strbuf_init(&out, NULL);
        snprintf(line, sizeof line, "describe pod %s", hog->name);
        assert_int_equal(ks_kubectl_run(f.sim, line, NULL, &out), 0);
        assert_non_null(strstr(ks_strbuf_str(&out), "  PodScheduled                True \n"
                                                     "  DisruptionTarget            True \n"));
        ks_strbuf_fini(&out);
    }
    assert_null(careful->disruption);
    assert_string_equal(careful->status, "Running");
    for (i = 0; i < ks_cluster_event_count(f.sim); i++)
        seen |= strcmp(ks_cluster_event(f.sim, i)->reason, "EvictionThresholdMet") == 0;
    assert_true(seen);
    assert_int_equal(hog->containers[0].restarts, 0);
    /* the NoSchedule taint keeps new pods off */
    assert_int_equal(fixture_apply(&f, STRESS("late", "[--vm-bytes, 1M]", "{}")), 0);
    run_to(&f, 20 * KS_SEC);
    assert_string_equal(first_pod(&f, "late")->status, "Pending");
    assert_non_null(strstr(first_pod(&f, "late")->pending_reason,
                           "untolerated taint {node.kubernetes.io/memory-pressure: }"));
    /* the pressure clears 5 minutes after the threshold was last met */
    run_to(&f, 305 * KS_SEC);
    assert_true(n->memory_pressure);
    run_to(&f, 321 * KS_SEC);
    assert_false(n->memory_pressure);
    fixture_fini(&f);
}

/* usage-7: the node's CPU is shared by requests when it is full: two
 * pods each burning 2 cores on a 2-core node get 3:1 as they request
 * 1350m:450m (with the ingress controller's 100m, all of it requested);
 * the node counter only grows, even as containers end */
static void test_usage_node_cpu_shares(void **state)
{
    fixture f;
    ks_usage big, small, node1, node2;
    ks_scn_traffic t = gen(1, 0);
    (void)state;
    assert_int_equal(fixture_init(&f, 1, "apiVersion: v1\nkind: Node\nmetadata: {name: n}\n"
                                         "status: {allocatable: {cpu: '2', memory: 8Gi}}\n"), KS_OK);
    assert_int_equal(fixture_apply(&f, WEB("{}")), 0);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\n"
                                       "spec:\n  containers:\n    - {name: c, image: vish/stress, "
                                       "args: [-cpus, '2'], resources: {requests: {cpu: 1350m}}}\n"),
                     0);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: small}\n"
                                       "spec:\n  containers:\n    - {name: c, image: vish/stress, "
                                       "args: [-cpus, '2'], resources: {requests: {cpu: 450m}}}\n"),
                     0);
    assert_int_equal(ks_traffic_start(f.sim, &t), KS_OK);  /* keeps the share tick going */
    run_to(&f, 20 * KS_SEC);
    big = container_usage(&f, "big");
    small = container_usage(&f, "small");
    assert_in_range(big.rate, 1400, 1550);
    assert_in_range(small.rate, 450, 550);
    assert_true(ks_usage_node(f.sim, first_pod(&f, "big")->node, &node1));
    assert_int_equal(ks_cluster_delete(f.sim, first_pod(&f, "big")->id, 0, true), KS_OK);
    run_to(&f, 21 * KS_SEC);
    assert_true(ks_usage_node(f.sim, first_pod(&f, "small")->node, &node2));
    assert_true(node2.cpu_ns > node1.cpu_ns);
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage_cpu_follows_traffic),
        cmocka_unit_test(test_usage_cpu_limit_throttles),
        cmocka_unit_test(test_usage_oomkilled),
        cmocka_unit_test(test_usage_within_limit_runs),
        cmocka_unit_test(test_usage_qos_classes),
        cmocka_unit_test(test_usage_memory_pressure_evicts_besteffort),
        cmocka_unit_test(test_usage_node_cpu_shares),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
