/* test_hpa.c -- the focus of this file: the HorizontalPodAutoscaler. The
 * replica calculator and the normalization step by step against the cases
 * of pkg/controller/podautoscaler (tolerance, missing metrics, pods not
 * ready yet, the 5-minute scale-down window, min/max, the scale-up limit,
 * behavior policies), then the controller in a cluster: without the
 * metrics-server addon (FailedGetResourceMetric, cpu: <unknown>/50%), and a
 * spike that scales a Deployment up and, after the window, down. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cluster_fixture.h"
#include "autoscale/ks_hpa.h"
#include "autoscale/ks_metrics.h"
#include "kubectl/ks_kubectl.h"
#include "net/ks_traffic.h"

#define NOW (1000 * KS_SEC)

/* a pod that started long ago, is ready, and has a metric */
static ks_hpa_pod ready_pod(int64_t used, int64_t request)
{
    ks_hpa_pod p;
    memset(&p, 0, sizeof p);
    p.started = p.ready = p.has_metric = true;
    p.start = 0;
    p.ready_changed = 10 * KS_SEC;
    p.metric = used;
    p.metric_at = NOW - 10 * KS_SEC;
    p.window = 60 * KS_SEC;
    p.request = request;
    return p;
}

/* hpa-1: desired = ceil(ready pods x utilization / target) */
static void test_hpa_basic_ratio(void **state)
{
    ks_hpa_pod pods[3] = {ready_pod(150, 100), ready_pod(150, 100), ready_pod(150, 100)};
    ks_hpa_calc c;
    (void)state;
    assert_true(ks_hpa_resource_replicas(pods, 3, 3, 50, true, NOW, &c));
    assert_int_equal(c.utilization, 150);
    assert_int_equal(c.raw, 150);
    assert_int_equal(c.replicas, 9);              /* ceil(3 x 150 / 50) */
    /* utilization is an integer: (sum x 100) / sum of requests */
    pods[0].metric = 101;
    assert_true(ks_hpa_resource_replicas(pods, 3, 3, 50, true, NOW, &c));
    assert_int_equal(c.utilization, 133);         /* 401 x 100 / 300 */
    assert_int_equal(c.replicas, 8);              /* ceil(2.66 x 3) */
}

/* hpa-2: within the 0.1 tolerance nothing changes */
static void test_hpa_tolerance(void **state)
{
    ks_hpa_pod pods[2] = {ready_pod(54, 100), ready_pod(54, 100)};
    ks_hpa_calc c;
    (void)state;
    assert_true(ks_hpa_resource_replicas(pods, 2, 2, 50, true, NOW, &c));
    assert_int_equal(c.replicas, 2);              /* 54/50 = 1.08 */
    pods[0].metric = pods[1].metric = 56;         /* 1.12 */
    assert_true(ks_hpa_resource_replicas(pods, 2, 2, 50, true, NOW, &c));
    assert_int_equal(c.replicas, 3);
    pods[0].metric = pods[1].metric = 45;         /* 0.9: still within */
    assert_true(ks_hpa_resource_replicas(pods, 2, 2, 50, true, NOW, &c));
    assert_int_equal(c.replicas, 2);
}

/* hpa-3: a pod without a metric counts at 100 % of its request on a scale
 * down and at 0 % on a scale up; and a change that would flip the
 * direction is dropped */
static void test_hpa_missing_metrics(void **state)
{
    ks_hpa_pod pods[3] = {ready_pod(10, 100), ready_pod(10, 100), ready_pod(0, 100)};
    ks_hpa_calc c;
    (void)state;
    pods[2].has_metric = false;
    /* scale down: (10 + 10 + 100) / 300 = 40 % of a 50 % target: 0.8 */
    assert_true(ks_hpa_resource_replicas(pods, 3, 3, 50, true, NOW, &c));
    assert_int_equal(c.utilization, 10);          /* reported: the pods with metrics */
    assert_int_equal(c.replicas, 3);              /* ceil(0.8 x 3) = 3 */
    /* scale up: the missing pod at 0 %: (100 + 100 + 0) / 300 = 66 % -> 1.33 */
    pods[0].metric = pods[1].metric = 100;
    assert_true(ks_hpa_resource_replicas(pods, 3, 3, 50, true, NOW, &c));
    assert_int_equal(c.replicas, 4);
    /* scale up that the missing pod turns into a scale down: kept */
    pods[0].metric = pods[1].metric = 60;         /* 120 %: 1.2, then 40 % -> 0.8 */
    assert_true(ks_hpa_resource_replicas(pods, 3, 3, 50, true, NOW, &c));
    assert_int_equal(c.replicas, 3);
}

/* hpa-4: CPU of pods not ready yet is ignored; on a scale up they count at
 * 0 %; Pending pods likewise; a pod within its first 5 minutes whose metric
 * predates its readiness is ignored too */
static void test_hpa_unready_pods(void **state)
{
    ks_hpa_pod pods[3] = {ready_pod(200, 100), ready_pod(0, 100), ready_pod(0, 100)};
    ks_hpa_calc c;
    (void)state;
    pods[1].ready = false;                        /* never ready since its start */
    pods[1].ready_changed = pods[1].start;
    pods[2].pending = true;
    pods[2].has_metric = false;
    /* the ready pod: 200 % of a 50 % target (4.0); the others at 0 %:
       200 / 300 = 66 % -> 1.33 -> ceil(1.33 x 3) = 4 */
    assert_true(ks_hpa_resource_replicas(pods, 3, 3, 50, true, NOW, &c));
    assert_int_equal(c.utilization, 200);
    assert_int_equal(c.replicas, 4);
    /* memory has no readiness rule: the unready pod's metric counts */
    pods[1].metric = 200;
    assert_true(ks_hpa_resource_replicas(pods, 3, 3, 50, false, NOW, &c));
    assert_int_equal(c.utilization, 200);
    /* started 1 min ago, ready 10 s ago, metric older than ready + window */
    pods[1] = ready_pod(500, 100);
    pods[1].start = NOW - 60 * KS_SEC;
    pods[1].ready_changed = NOW - 10 * KS_SEC;
    pods[2].pending = false;
    pods[2] = ready_pod(200, 100);
    assert_true(ks_hpa_resource_replicas(pods, 3, 3, 50, true, NOW, &c));
    assert_int_equal(c.utilization, 200);         /* the 500 is ignored */
    /* no ready pod has a metric: an error, in the controller's words */
    pods[0].has_metric = pods[2].has_metric = false;
    pods[1].pending = true;
    assert_false(ks_hpa_resource_replicas(pods, 3, 3, 50, true, NOW, &c));
    assert_string_equal(c.error, "did not receive metrics for any ready pods");
    /* a container without a cpu request */
    pods[0] = ready_pod(100, -1);
    pods[0].name = "php-1";
    pods[0].missing = "php";
    assert_false(ks_hpa_resource_replicas(pods, 1, 1, 50, true, NOW, &c));
    assert_string_equal(c.error, "missing request for cpu in container php of Pod php-1");
}

static ks_hpa_spec spec(int32_t min, int32_t max)
{
    ks_hpa_spec s;
    memset(&s, 0, sizeof s);
    s.min_replicas = min;
    s.max_replicas = max;
    s.metrics[0] = (ks_hpa_metric){.resource = "cpu", .utilization = true,
                                   .average_utilization = 50};
    s.nmetrics = 1;
    return s;
}

/* hpa-5: without a behavior, a scale down waits until every recommendation
 * of the last 5 minutes is as low; min and max; the scale-up limit of
 * max(2 x current, 4) */
static void test_hpa_stabilization_window(void **state)
{
    static ks_hpa_history h;
    ks_hpa_spec s = spec(1, 10);
    ks_hpa_limits why;
    ks_time t = 0;
    (void)state;
    memset(&h, 0, sizeof h);
    ks_hpa_record_initial(&h, 1, t);
    assert_int_equal(ks_hpa_normalize(&h, &s, 1, 9, t, &why), 4);     /* max(2, 4) */
    assert_true(why.limited);
    assert_string_equal(why.limited_reason, "ScaleUpLimit");
    t += KS_HPA_SYNC;
    assert_int_equal(ks_hpa_normalize(&h, &s, 4, 9, t, &why), 8);     /* 2 x 4 */
    t += KS_HPA_SYNC;
    assert_int_equal(ks_hpa_normalize(&h, &s, 8, 12, t, &why), 10);   /* max */
    assert_string_equal(why.limited_reason, "TooManyReplicas");
    /* the load goes: the proposals fall to 2, the highest of 5 min stays */
    for (t += KS_HPA_SYNC; t <= 2 * KS_SEC * 15 + 300 * KS_SEC; t += KS_HPA_SYNC) {
        assert_int_equal(ks_hpa_normalize(&h, &s, 10, 2, t, &why), 10);
        assert_string_equal(why.able_reason, "ScaleDownStabilized");
    }
    /* the 12 of t = 30 s is older than the window now */
    assert_int_equal(ks_hpa_normalize(&h, &s, 10, 2, t, &why), 2);
    assert_string_equal(why.able_reason, "ReadyForNewScale");
    assert_false(why.limited);
    /* below the minimum */
    s.min_replicas = 3;
    assert_int_equal(ks_hpa_normalize(&h, &s, 10, 2, t + KS_HPA_SYNC, &why), 3);
    assert_string_equal(why.limited_reason, "TooFewReplicas");
}

/* hpa-6: a behavior: scale down at most 1 pod per 60 s with no window;
 * scale up by the default policies (4 pods or 100 % per 15 s) */
static void test_hpa_behavior_policies(void **state)
{
    static ks_hpa_history h;
    ks_hpa_spec s = spec(1, 20);
    ks_hpa_limits why;
    ks_time t = 0;
    int32_t n;
    (void)state;
    memset(&h, 0, sizeof h);
    s.has_behavior = true;
    s.up = (ks_hpa_rules){KS_HPA_SELECT_MAX, 0, {{false, 4, 15}, {true, 100, 15}}, 2};
    s.down = (ks_hpa_rules){KS_HPA_SELECT_MAX, 0, {{false, 1, 60}}, 1};
    ks_hpa_record_initial(&h, 2, t);
    n = ks_hpa_normalize(&h, &s, 2, 20, t, &why);
    assert_int_equal(n, 6);                       /* max(2 + 4, 2 x 2) */
    assert_string_equal(why.limited_reason, "ScaleUpLimit");
    ks_hpa_store_scale_event(&h, &s, 2, n, t);
    /* within the same 15 s period the added pods count against it */
    n = ks_hpa_normalize(&h, &s, 6, 20, t + 5 * KS_SEC, &why);
    assert_int_equal(n, 6);
    t += KS_HPA_SYNC;
    n = ks_hpa_normalize(&h, &s, 6, 20, t, &why);
    assert_int_equal(n, 12);                      /* max(6 + 4, 6 x 2) */
    ks_hpa_store_scale_event(&h, &s, 6, n, t);
    /* scale down: one pod per minute */
    t += KS_HPA_SYNC;
    n = ks_hpa_normalize(&h, &s, 12, 3, t, &why);
    assert_int_equal(n, 11);
    assert_string_equal(why.limited_reason, "ScaleDownLimit");
    ks_hpa_store_scale_event(&h, &s, 12, n, t);
    assert_int_equal(ks_hpa_normalize(&h, &s, 11, 3, t + 30 * KS_SEC, &why), 11);
    assert_int_equal(ks_hpa_normalize(&h, &s, 11, 3, t + 61 * KS_SEC, &why), 10);
    /* Disabled: no scale down at all */
    s.down.select = KS_HPA_SELECT_DISABLED;
    assert_int_equal(ks_hpa_normalize(&h, &s, 10, 3, t + 200 * KS_SEC, &why), 10);
}

/* ---- the manifest ------------------------------------------------------------------ */
static ks_object *read_one(ks_arena *ar, ks_diags *d, const char *text, int *rc)
{
    ks_manifests m;
    memset(&m, 0, sizeof m);
    ks_diags_init(d);
    *rc = ks_manifest_load_text(ar, "h.yaml", text, strlen(text), 1, 1, NULL, &m, d);
    return m.n ? m.objs[0] : NULL;
}

#define HPA_HEAD(v)                                                                      \
    "apiVersion: autoscaling/" v "\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n" \
    "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"

/* hpa-9: the API server's defaults (v2 and v1) and its refusals */
static void test_hpa_manifest(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_object *o;
    int rc;
    (void)state;
    /* no metrics: cpu at 80 %; minReplicas 1; no behavior */
    o = read_one(ar, &d, HPA_HEAD("v2") "  maxReplicas: 5\n", &rc);
    assert_int_equal(rc, KS_OK);
    assert_int_equal(o->kind, KS_KIND_HPA);
    assert_int_equal(o->u.hpa.min_replicas, 1);
    assert_int_equal(o->u.hpa.nmetrics, 1);
    assert_true(o->u.hpa.metrics[0].utilization);
    assert_int_equal(o->u.hpa.metrics[0].average_utilization, 80);
    assert_false(o->u.hpa.has_behavior);
    /* v1's targetCPUUtilizationPercentage */
    o = read_one(ar, &d, HPA_HEAD("v1") "  maxReplicas: 5\n  targetCPUUtilizationPercentage: 60\n",
                 &rc);
    assert_int_equal(rc, KS_OK);
    assert_int_equal(o->u.hpa.metrics[0].average_utilization, 60);
    /* autoscaling/v1 is served by a current API server (kubectl autoscale
       writes it): no "was removed" warning, as there was */
    assert_int_equal(d.warnings, 0);
    /* a behavior given in part gets the default rules for the rest */
    o = read_one(ar, &d, HPA_HEAD("v2") "  maxReplicas: 5\n  behavior:\n    scaleDown:\n"
                 "      policies: [{type: Pods, value: 1, periodSeconds: 60}]\n", &rc);
    assert_int_equal(rc, KS_OK);
    assert_true(o->u.hpa.has_behavior);
    assert_int_equal(o->u.hpa.down.window, -1);         /* the controller's 300 s */
    assert_int_equal(o->u.hpa.down.npolicies, 1);
    assert_int_equal(o->u.hpa.down.policies[0].period, 60);
    assert_int_equal(o->u.hpa.up.window, 0);
    assert_int_equal(o->u.hpa.up.npolicies, 2);          /* 4 Pods, 100 Percent / 15 s */
    /* an AverageValue of memory */
    o = read_one(ar, &d, HPA_HEAD("v2") "  maxReplicas: 5\n  metrics:\n  - type: Resource\n"
                 "    resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}\n",
                 &rc);
    assert_int_equal(rc, KS_OK);
    assert_false(o->u.hpa.metrics[0].utilization);
    assert_int_equal(o->u.hpa.metrics[0].average_value, 100 * 1024 * 1024);
    /* refused: max below min; a Pods metric with a target it cannot have;
     * a ContainerResource metric without its container */
    read_one(ar, &d, HPA_HEAD("v2") "  minReplicas: 3\n  maxReplicas: 2\n", &rc);
    assert_int_equal(rc, KS_EINVAL);
    assert_non_null(strstr(d.items[0].err.msg, "must be greater than or equal to `minReplicas`"));
    read_one(ar, &d, HPA_HEAD("v2") "  maxReplicas: 5\n  metrics:\n  - type: Pods\n"
             "    pods: {metric: {name: qps}, target: {type: Utilization, averageUtilization: 5}}\n",
             &rc);
    assert_int_equal(rc, KS_EINVAL);
    assert_non_null(strstr(d.items[0].err.msg, "spec.metrics[0].pods.target.type: Invalid value: "
                                               "\"Utilization\": a Pods metric's target is "
                                               "AverageValue"));
    assert_int_equal(d.items[0].err.line, 9);
    read_one(ar, &d, HPA_HEAD("v2") "  maxReplicas: 5\n  metrics:\n  - type: ContainerResource\n"
             "    containerResource:\n      name: cpu\n"
             "      target: {type: Utilization, averageUtilization: 60}\n", &rc);
    assert_int_equal(rc, KS_EINVAL);
    assert_non_null(strstr(d.items[0].err.msg, "spec.metrics[0].containerResource.container: "
                                               "Required value: must specify a container"));
    assert_int_equal(d.items[0].err.line, 10);
    /* a metric selector with matchExpressions, kept as metav1.LabelSelector's
     * String() prints it (generated.pb.go), and refused as any selector */
    o = read_one(ar, &d, HPA_HEAD("v2") "  maxReplicas: 5\n  metrics:\n  - type: External\n"
                 "    external:\n      metric:\n        name: queue\n        selector:\n"
                 "          matchLabels: {q: w}\n          matchExpressions:\n"
                 "          - {key: env, operator: In, values: [prod, staging]}\n"
                 "          - {key: canary, operator: DoesNotExist}\n"
                 "      target: {type: AverageValue, averageValue: 30}\n", &rc);
    assert_int_equal(rc, KS_OK);
    assert_string_equal(o->u.hpa.metrics[0].selector,
                        "&LabelSelector{MatchLabels:map[string]string{q: w,},MatchExpressions:"
                        "[]LabelSelectorRequirement{LabelSelectorRequirement{Key:env,Operator:In,"
                        "Values:[prod staging],},LabelSelectorRequirement{Key:canary,Operator:"
                        "DoesNotExist,Values:[],},},}");
    assert_int_equal(o->u.hpa.metrics[0].metric_selector.nexprs, 2);
    read_one(ar, &d, HPA_HEAD("v2") "  maxReplicas: 5\n  metrics:\n  - type: External\n"
             "    external:\n      metric:\n        name: queue\n        selector:\n"
             "          matchExpressions: [{key: env, operator: In}]\n"
             "      target: {type: AverageValue, averageValue: 30}\n", &rc);
    assert_int_equal(rc, KS_EINVAL);
    assert_non_null(strstr(d.items[0].err.msg, "spec.metrics[0].external.metric.selector."
                                               "matchExpressions[0].values: Required value: must "
                                               "be specified when `operator` is 'In' or 'NotIn'"));
    /* a ContainerResource metric: one container's cpu */
    o = read_one(ar, &d, HPA_HEAD("v2") "  maxReplicas: 5\n  metrics:\n"
                 "  - type: ContainerResource\n    containerResource:\n      name: cpu\n"
                 "      container: application\n"
                 "      target: {type: Utilization, averageUtilization: 60}\n", &rc);
    assert_int_equal(rc, KS_OK);
    assert_int_equal(o->u.hpa.metrics[0].source, KS_HPA_CONTAINER_RESOURCE);
    assert_string_equal(o->u.hpa.metrics[0].container, "application");
    assert_int_equal(o->u.hpa.metrics[0].average_utilization, 60);
    ks_arena_destroy(ar);
}

/* ---- the controller in a cluster -------------------------------------------------- */
#define PHP                                                                              \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: php}\nspec:\n"              \
    "  selector: {matchLabels: {app: php}}\n"                                            \
    "  template:\n    metadata: {labels: {app: php}}\n    spec:\n"                      \
    "      containers: [{name: php, image: registry.k8s.io/hpa-example,\n"             \
    "                    resources: {requests: {cpu: 200m}, limits: {cpu: 500m}}}]\n"   \
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: php}\n"                       \
    "spec: {selector: {app: php}, ports: [{port: 80}]}\n"

static void world(fixture *f, bool addon)
{
    ks_world_config cc = {0};
    cc.metrics_server = addon;
    assert_int_equal(fixture_init_world(f, cc, NULL), KS_OK);
}

/* A world with metrics-server, workload and hpa applied. */
static void start_php(fixture *f, const char *workload, const char *hpa)
{
    world(f, true);
    assert_int_equal(fixture_apply(f, workload), 0);
    assert_int_equal(fixture_apply(f, hpa), 0);
}

/* The HorizontalPodAutoscaler php. */
static const ks_hpa *php_hpa(fixture *f)
{
    return ks_cluster_hpa(f->sim, ks_cluster_find(f->sim, KS_KIND_HPA, "default", "php"));
}

static const char *kubectl(fixture *f, ks_strbuf *out, const char *line)
{
    ks_strbuf_clear(out);
    ks_kubectl_run(f->sim, line, NULL, out);
    return ks_strbuf_str(out);
}

static int replicas(fixture *f)
{
    return (int)ks_cluster_deployment(f->sim, ks_cluster_find(f->sim, KS_KIND_DEPLOYMENT,
                                                              "default", "php"))->replicas;
}

/* hpa-7: no metrics-server: the controller's condition and events, and
 * kubectl's <unknown> */
static void test_hpa_without_metrics_server(void **state)
{
    fixture f;
    ks_strbuf out;
    const ks_hpa *h;
    (void)state;
    world(&f, false);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, PHP), 0);
    assert_string_equal(kubectl(&f, &out, "autoscale deployment php --cpu-percent=50 --max=10"),
                        "horizontalpodautoscaler.autoscaling/php autoscaled\n");
    run_to(&f, 100 * KS_SEC);
    h = php_hpa(&f);
    assert_non_null(h);
    assert_false(h->cond[KS_HPA_SCALING_ACTIVE].status);
    assert_string_equal(h->cond[KS_HPA_SCALING_ACTIVE].reason, "FailedGetResourceMetric");
    assert_string_equal(h->cond[KS_HPA_SCALING_ACTIVE].message,
                        "the HPA was unable to compute the replica count: failed to get cpu "
                        "utilization: unable to get metrics for resource cpu: unable to fetch "
                        "metrics from resource metrics API: the server could not find the "
                        "requested resource (get pods.metrics.k8s.io)");
    assert_true(h->cond[KS_HPA_ABLE_TO_SCALE].status);
    assert_string_equal(h->cond[KS_HPA_ABLE_TO_SCALE].reason, "SucceededGetScale");
    assert_string_equal(kubectl(&f, &out, "get hpa"),
                        "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   "
                        "REPLICAS   AGE\n"
                        "php    Deployment/php   cpu: <unknown>/50%   1         10        "
                        "1          100s\n");
    assert_non_null(strstr(kubectl(&f, &out, "describe hpa php"),
                           "  Warning  FailedComputeMetricsReplicas  "));
    assert_int_equal(replicas(&f), 1);
    /* and it says so when asked twice */
    assert_string_equal(kubectl(&f, &out, "autoscale deployment php --max=3"),
                        "error: failed to create horizontalpodautoscaler: "
                        "horizontalpodautoscalers.autoscaling \"php\" already exists\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

static void load(fixture *f, int per_second)
{
    ks_scn_traffic t;
    memset(&t, 0, sizeof t);
    t.to.kind = KS_SCN_TO_SERVICE;
    t.to.name = "php";
    t.method = "GET";
    t.path = "/";
    t.rate_milli = per_second * 1000;
    t.rate_period = KS_SEC;
    t.constant = true;
    t.duration = 300 * KS_SEC;
    assert_int_equal(ks_traffic_start(f->sim, &t), KS_OK);
}

/* hpa-8: a spike scales up (SuccessfulRescale in the controller's words),
 * the quiet after it scales down only after the 5-minute window */
static void test_hpa_spike_and_calm(void **state)
{
    fixture f;
    ks_strbuf out;
    ks_time up_at = 0, t;
    int peak = 0;
    (void)state;
    ks_strbuf_init(&out, NULL);
    start_php(&f, PHP,
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: php}\n"
        "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php}\n"
        "  maxReplicas: 10\n  metrics:\n  - type: Resource\n"
        "    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}\n");
    run_to(&f, 90 * KS_SEC);
    load(&f, 10);                                 /* 10/s x 50 ms: 500m, until 390 s */
    for (t = 90 * KS_SEC; t <= 390 * KS_SEC; t += KS_SEC) {
        run_to(&f, t);
        if (replicas(&f) > 1 && !up_at)
            up_at = t;
        if (replicas(&f) > peak)
            peak = replicas(&f);
    }
    assert_true(up_at > 0 && up_at < 240 * KS_SEC);
    assert_true(peak >= 4 && peak <= 10);
    assert_non_null(strstr(kubectl(&f, &out, "describe hpa php"),
                           "SuccessfulRescale             "));
    assert_non_null(strstr(ks_strbuf_str(&out), "; reason: cpu resource utilization "
                                                "(percentage of request) above target"));
    /* the load ended at 390 s; metrics show it by ~450 s; 5 minutes later */
    run_to(&f, 700 * KS_SEC);
    assert_int_equal(replicas(&f), peak);         /* still within the window */
    run_to(&f, 900 * KS_SEC);
    assert_int_equal(replicas(&f), 1);
    assert_non_null(strstr(kubectl(&f, &out, "describe hpa php"),
                           "reason: All metrics below target"));
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* hpa-9: a StatefulSet as the target, through its scale subresource
 * (spec.replicas and its selector): `kubectl autoscale statefulset`, the
 * spike adds ordinals php-1, php-2...; a missing one is FailedGetScale in
 * the controller's words */
#define STS                                                                              \
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: php}\nspec:\n"             \
    "  serviceName: php\n  selector: {matchLabels: {app: php}}\n"                        \
    "  template:\n    metadata: {labels: {app: php}}\n    spec:\n"                      \
    "      containers: [{name: php, image: registry.k8s.io/hpa-example,\n"             \
    "                    resources: {requests: {cpu: 200m}, limits: {cpu: 500m}}}]\n"   \
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: php}\n"                       \
    "spec: {selector: {app: php}, ports: [{port: 80}]}\n"

static void test_hpa_statefulset(void **state)
{
    fixture f;
    ks_strbuf out;
    const ks_hpa *h;
    ks_id sts;
    (void)state;
    world(&f, true);
    ks_strbuf_init(&out, NULL);
    assert_string_equal(kubectl(&f, &out, "autoscale statefulset web --max=3"),
                        "Error from server (NotFound): statefulsets.apps \"web\" not found\n");
    assert_int_equal(fixture_apply(&f, STS), 0);
    assert_string_equal(kubectl(&f, &out, "autoscale statefulset php --cpu-percent=50 --max=4"),
                        "horizontalpodautoscaler.autoscaling/php autoscaled\n");
    run_to(&f, 90 * KS_SEC);
    load(&f, 10);
    run_to(&f, 390 * KS_SEC);
    sts = ks_cluster_find(f.sim, KS_KIND_STATEFULSET, "default", "php");
    assert_true(ks_cluster_object(f.sim, sts)->u.sts.replicas >= 3);
    assert_true(ks_cluster_find(f.sim, KS_KIND_POD, "default", "php-2") != 0);
    assert_non_null(strstr(kubectl(&f, &out, "get hpa"), "php    StatefulSet/php   cpu: "));
    assert_non_null(strstr(kubectl(&f, &out, "describe hpa php"),
                           "Reference:                                             "
                           "StatefulSet/php"));
    /* the StatefulSet deleted: the controller cannot get its scale */
    assert_int_equal(ks_cluster_delete(f.sim, sts, -1, false), KS_OK);
    run_to(&f, 420 * KS_SEC);
    h = php_hpa(&f);
    assert_false(h->cond[KS_HPA_ABLE_TO_SCALE].status);
    assert_string_equal(h->cond[KS_HPA_ABLE_TO_SCALE].message,
                        "the HPA controller was unable to get the target's current scale: "
                        "statefulsets.apps \"php\" not found");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* hpa-10: Pods, Object and External metrics are read whole, and shown by
 * kubectl; with no custom or external metrics adapter on the cluster the
 * controller cannot get them, in its own words (the first invalid metric's
 * condition), and scales nothing */
#define CUSTOM_HPA                                                                       \
    "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: php}\n"   \
    "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php}\n"        \
    "  maxReplicas: 10\n  metrics:\n"                                                    \
    "  - type: Pods\n    pods:\n      metric: {name: packets-per-second}\n"            \
    "      target: {type: AverageValue, averageValue: 1k}\n"                            \
    "  - type: Object\n    object:\n      metric: {name: requests-per-second}\n"      \
    "      describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, "          \
    "name: main-route}\n      target: {type: Value, value: 10k}\n"                      \
    "  - type: External\n    external:\n      metric:\n        name: queue_messages\n" \
    "        selector: {matchLabels: {queue: worker, env: prod}}\n"                     \
    "      target: {type: AverageValue, averageValue: 30}\n"

static void test_hpa_custom_metrics_unavailable(void **state)
{
    fixture f;
    ks_strbuf out;
    const ks_hpa *h;
    const char *d;
    size_t i;
    bool ext = false;
    (void)state;
    ks_strbuf_init(&out, NULL);
    start_php(&f, PHP, CUSTOM_HPA);
    run_to(&f, 100 * KS_SEC);
    h = php_hpa(&f);
    assert_int_equal(h->spec->nmetrics, 3);
    assert_int_equal(h->spec->metrics[0].source, KS_HPA_PODS);
    assert_int_equal(h->spec->metrics[0].average_value, 1000000);       /* milli-units */
    assert_false(h->cond[KS_HPA_SCALING_ACTIVE].status);
    assert_string_equal(h->cond[KS_HPA_SCALING_ACTIVE].reason, "FailedGetPodsMetric");
    assert_string_equal(h->cond[KS_HPA_SCALING_ACTIVE].message,
                        "the HPA was unable to compute the replica count: unable to get metric "
                        "packets-per-second: unable to fetch metrics from custom metrics API: "
                        "no custom metrics API (custom.metrics.k8s.io) registered");
    assert_string_equal(kubectl(&f, &out, "get hpa"),
                        "NAME   REFERENCE        TARGETS                                   "
                        "MINPODS   MAXPODS   REPLICAS   AGE\n"
                        "php    Deployment/php   <unknown>/1k, <unknown>/10k + 1 more...   "
                        "1         10        1          100s\n");
    d = kubectl(&f, &out, "describe hpa php");
    assert_non_null(strstr(d, "  \"packets-per-second\" on pods:"));
    assert_non_null(strstr(d, "  \"requests-per-second\" on Ingress/main-route (target value):"));
    assert_non_null(strstr(d, "  \"queue_messages\" (target average value):"));
    assert_non_null(strstr(d, "<unknown> / 30\n"));
    for (i = 0; i < ks_cluster_event_count(f.sim); i++) {
        const ks_k8s_event *e = ks_cluster_event(f.sim, i);
        if (strcmp(e->reason, "FailedGetExternalMetric") == 0) {
            assert_string_equal(e->message,
                                "unable to get external metric default/queue_messages/"
                                "&LabelSelector{MatchLabels:map[string]string{env: prod,queue: "
                                "worker,},MatchExpressions:[]LabelSelectorRequirement{},}: "
                                "unable to fetch metrics from external metrics API: the server "
                                "could not find the requested resource (get "
                                "queue_messages.external.metrics.k8s.io)");
            ext = true;
        }
        if (strcmp(e->reason, "FailedGetObjectMetric") == 0)
            assert_string_equal(e->message,
                                "unable to get metric requests-per-second: Ingress on default "
                                "main-route/unable to fetch metrics from custom metrics API: no "
                                "custom metrics API (custom.metrics.k8s.io) registered");
    }
    assert_true(ext);
    assert_int_equal(replicas(&f), 1);
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* hpa-11: a ContainerResource metric (autoscaling/v2) scales on one
 * container's CPU against that container's request only -- the php
 * container, not the pod with its busybox sidecar (horizontal.go
 * computeStatusForContainerResourceMetric, replica_calculator.go
 * calculatePodRequests with a container, metrics/client.go
 * getContainerMetrics); kubectl prints it as printers.go and describe.go
 * do; a container the pods do not have is the metrics client's error */
#define PHP2                                                                             \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: php}\nspec:\n"              \
    "  selector: {matchLabels: {app: php}}\n"                                            \
    "  template:\n    metadata: {labels: {app: php}}\n    spec:\n"                      \
    "      containers:\n"                                                               \
    "      - {name: php, image: registry.k8s.io/hpa-example,\n"                         \
    "         resources: {requests: {cpu: 200m}, limits: {cpu: 500m}}}\n"              \
    "      - {name: log, image: busybox, command: [sleep, infinity],\n"                 \
    "         resources: {requests: {cpu: 300m}}}\n"                                    \
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: php}\n"                       \
    "spec: {selector: {app: php}, ports: [{port: 80}]}\n"
#define CR_HPA(container)                                                                \
    "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: php}\n"   \
    "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php}\n"        \
    "  maxReplicas: 10\n  metrics:\n  - type: ContainerResource\n"                     \
    "    containerResource: {name: cpu, container: " container ",\n"                    \
    "                        target: {type: Utilization, averageUtilization: 50}}\n"     \
    "  behavior: {scaleDown: {policies: [{type: Percent, value: 100, periodSeconds: 15}]}}\n"

static void test_hpa_container_resource(void **state)
{
    fixture f;
    ks_strbuf out;
    const ks_hpa *h;
    const char *d;
    int peak = 0;
    ks_time t;
    (void)state;
    ks_strbuf_init(&out, NULL);
    start_php(&f, PHP2, CR_HPA("php"));
    h = php_hpa(&f);
    assert_int_equal(h->spec->metrics[0].source, KS_HPA_CONTAINER_RESOURCE);
    assert_string_equal(h->spec->metrics[0].container, "php");
    run_to(&f, 90 * KS_SEC);
    load(&f, 10);                   /* 500m of php's CPU: 250% of its 200m */
    for (t = 91 * KS_SEC; t <= 300 * KS_SEC; t += KS_SEC) {
        run_to(&f, t);
        if (replicas(&f) > peak)
            peak = replicas(&f);
    }
    assert_true(peak >= 3);
    assert_true(h->metrics[0].known);
    /* the utilization is of php's 200m alone (the pod's 500m would halve it) */
    assert_true(h->metrics[0].utilization >= (int)(h->metrics[0].average * 100 / 200) - 1
                && h->metrics[0].utilization <= (int)(h->metrics[0].average * 100 / 200) + 1);
    assert_non_null(strstr(kubectl(&f, &out, "get hpa"), "php    Deployment/php   cpu: "));
    assert_non_null(strstr(ks_strbuf_str(&out), "%/50%"));
    d = kubectl(&f, &out, "describe hpa php");
    assert_non_null(strstr(d, "  resource cpu of container \"php\" on pods  (as a percentage of "
                              "request):"));
    assert_non_null(strstr(d, "reason: cpu container resource utilization (percentage of "
                              "request) above target"));
    /* printDirectionBehavior's policy lines, tab-aligned */
    assert_non_null(strstr(d, "    Select Policy: Max\n    Policies:\n"
                              "      - Type: Pods     Value: 4    Period: 15 seconds\n"
                              "      - Type: Percent  Value: 100  Period: 15 seconds\n"));
    assert_non_null(strstr(d, "ValidMetricFound    the HPA was able to successfully calculate "
                              "a replica count from cpu container resource utilization "
                              "(percentage of request)"));
    fixture_fini(&f);
    /* a container the pods do not run */
    start_php(&f, PHP2, CR_HPA("nginx"));
    run_to(&f, 200 * KS_SEC);
    h = php_hpa(&f);
    assert_false(h->cond[KS_HPA_SCALING_ACTIVE].status);
    assert_string_equal(h->cond[KS_HPA_SCALING_ACTIVE].reason, "FailedGetContainerResourceMetric");
    assert_non_null(strstr(h->cond[KS_HPA_SCALING_ACTIVE].message,
                           "the HPA was unable to compute the replica count: failed to get cpu "
                           "utilization: unable to get metrics for resource cpu: failed to get "
                           "container metrics: container nginx not present in metrics for pod "
                           "default/php-"));
    d = kubectl(&f, &out, "describe hpa php");
    assert_non_null(strstr(d, "invalid metrics (1 invalid out of 1), first error is: failed to "
                              "get nginx container metric value: failed to get cpu utilization"));
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* hpa-sidecar: a sidecar's usage counts in the pod's metric (metrics-server
 * reports every running container, the metrics client sums them:
 * metrics/client.go getPodMetrics) as its request does in the pod's
 * (replica_calculator.go calculatePodRequests): php idles at 1m, the
 * sidecar burns its 100m limit: 101m of 300m requested is 33 %; and a
 * ContainerResource metric can name the sidecar */
#define PHP_SIDECAR                                                                      \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: php}\nspec:\n"              \
    "  selector: {matchLabels: {app: php}}\n"                                            \
    "  template:\n    metadata: {labels: {app: php}}\n    spec:\n"                      \
    "      initContainers:\n"                                                           \
    "      - {name: hog, image: polinux/stress, restartPolicy: Always, command: [stress],\n" \
    "         args: [--cpu, '1'], resources: {requests: {cpu: 100m}, limits: {cpu: 100m}}}\n" \
    "      containers:\n"                                                               \
    "      - {name: php, image: registry.k8s.io/hpa-example,\n"                         \
    "         resources: {requests: {cpu: 200m}, limits: {cpu: 500m}}}\n"
#define RES_HPA                                                                          \
    "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: php}\n"   \
    "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php}\n"        \
    "  maxReplicas: 4\n  metrics:\n  - type: Resource\n"                               \
    "    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}\n"

static void test_hpa_sidecar(void **state)
{
    fixture f;
    const ks_hpa *h;
    (void)state;
    start_php(&f, PHP_SIDECAR, RES_HPA);
    run_to(&f, 200 * KS_SEC);
    h = php_hpa(&f);
    assert_true(h->metrics[0].known);
    assert_int_equal(h->metrics[0].average, 101);
    assert_int_equal(h->metrics[0].utilization, 33);
    assert_int_equal(replicas(&f), 1);
    fixture_fini(&f);
    /* the sidecar alone, at 100 % of its request: twice the target */
    start_php(&f, PHP_SIDECAR, CR_HPA("hog"));
    run_to(&f, 200 * KS_SEC);
    h = php_hpa(&f);
    assert_true(h->metrics[0].known);
    assert_int_equal(h->metrics[0].utilization, 100);
    assert_true(replicas(&f) >= 2);
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hpa_basic_ratio),
        cmocka_unit_test(test_hpa_tolerance),
        cmocka_unit_test(test_hpa_missing_metrics),
        cmocka_unit_test(test_hpa_unready_pods),
        cmocka_unit_test(test_hpa_stabilization_window),
        cmocka_unit_test(test_hpa_behavior_policies),
        cmocka_unit_test(test_hpa_manifest),
        cmocka_unit_test(test_hpa_without_metrics_server),
        cmocka_unit_test(test_hpa_spike_and_calm),
        cmocka_unit_test(test_hpa_statefulset),
        cmocka_unit_test(test_hpa_custom_metrics_unavailable),
        cmocka_unit_test(test_hpa_container_resource),
        cmocka_unit_test(test_hpa_sidecar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
