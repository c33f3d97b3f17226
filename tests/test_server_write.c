/* test_server_write.c -- writes through the Kubernetes API (server/)
 * without sockets: the patch formats, create/update/patch/delete/scale/
 * eviction as changes of the simulation (checked by what the simulation
 * then holds), and the error Status of each refusal. The real clients'
 * sessions are tests/check_serve.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "ksv_body.h"
#include "server_fixture_cmocka.h"

static json_t *js(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    if (!j)
        fail_msg("not JSON: %s", text);
    return j;
}

/* A patch (borrowed by the function under test): kept until pool_free. */
static json_t *pool[16];
static size_t npool;

static json_t *pj(const char *text)
{
    json_t *j = js(text);
    if (npool < sizeof pool / sizeof pool[0])
        pool[npool++] = j;
    return j;
}

static void pool_free(void)
{
    while (npool)
        json_decref(pool[--npool]);
}

static void assert_json(json_t *got, const char *want)
{
    json_t *w = js(want);
    char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
    if (!json_equal(got, w))
        fail_msg("got %s, want %s", g, want);
    free(g);
    json_decref(w);
    json_decref(got);
}

static void test_merge_patch(void **state)
{
    (void)state;
    /* RFC 7386's example */
    assert_json(ksv_merge_patch(js("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}"),
                                pj("{\"a\":\"z\",\"c\":{\"f\":null}}")),
                "{\"a\":\"z\",\"c\":{\"d\":\"e\"}}");
    assert_json(ksv_merge_patch(js("{\"a\":[1,2]}"), pj("{\"a\":[3]}")), "{\"a\":[3]}");
    pool_free();
}

static void test_strategic_patch(void **state)
{
    (void)state;
    /* containers merge by name: the other fields and containers stay */
    assert_json(ksv_strategic_patch(
                    js("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\",\"ports\":"
                       "[{\"containerPort\":80}]},{\"name\":\"b\",\"image\":\"y:1\"}]}}"),
                    pj("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:2\"}],"
                       "\"$setElementOrder/containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}")),
                "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x:2\",\"ports\":"
                "[{\"containerPort\":80}]},{\"name\":\"b\",\"image\":\"y:1\"}]}}");
    /* $patch: delete takes an element out; a list without a merge key is replaced */
    assert_json(ksv_strategic_patch(
                    js("{\"env\":[{\"name\":\"A\"},{\"name\":\"B\"}],\"args\":[\"1\",\"2\"]}"),
                    pj("{\"env\":[{\"name\":\"A\",\"$patch\":\"delete\"}],\"args\":[\"3\"]}")),
                "{\"env\":[{\"name\":\"B\"}],\"args\":[\"3\"]}");
    pool_free();
}

static void test_json_patch(void **state)
{
    char err[300];
    (void)state;
    assert_json(ksv_json_patch(js("{\"spec\":{\"replicas\":2,\"l\":[1,3]}}"),
                               pj("[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5},"
                                  "{\"op\":\"add\",\"path\":\"/spec/l/1\",\"value\":2},"
                                  "{\"op\":\"add\",\"path\":\"/a~1b\",\"value\":true},"
                                  "{\"op\":\"test\",\"path\":\"/spec/l/0\",\"value\":1}]"),
                               err, sizeof err),
                "{\"spec\":{\"replicas\":5,\"l\":[1,2,3]},\"a/b\":true}");
    assert_null(ksv_json_patch(js("{}"), pj("[{\"op\":\"remove\",\"path\":\"/nope\"}]"), err,
                               sizeof err));
    assert_non_null(strstr(err, "missing path"));
    assert_null(ksv_json_patch(js("{}"), pj("{\"op\":\"add\"}"), err, sizeof err));
    pool_free();
}

static void test_decode(void **state)
{
    char err[300];
    json_t *j;
    (void)state;
    static const char yaml[] = "kind: Pod\nmetadata: {name: x}\nspec: {n: 3, b: true, s: '3'}\n";
    j = ksv_body_decode(yaml, sizeof yaml - 1, true, err, sizeof err);
    assert_non_null(j);
    assert_json(j, "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"},"
                   "\"spec\":{\"n\":3,\"b\":true,\"s\":\"3\"}}");
    assert_null(ksv_body_decode("{\"a\":", 5, true, err, sizeof err));
    assert_non_null(strstr(err, "json parse error"));
    assert_null(ksv_body_decode("a: [", 4, true, err, sizeof err));
    assert_null(ksv_body_decode("a: 1", 4, false, err, sizeof err));
    assert_null(ksv_body_decode("", 0, true, err, sizeof err));
}

static const char deploy2[] =
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"api\"},"
    "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"api\"}},"
    "\"template\":{\"metadata\":{\"labels\":{\"app\":\"api\"}},\"spec\":{\"containers\":"
    "[{\"name\":\"c\",\"image\":\"nginx:1.25\"}]}}}}";

/* Pods of the list whose name starts with prefix, and are not terminating. */
static size_t pods_named(srv_fixture *f, const char *prefix)
{
    json_t *list, *items, *p;
    size_t i, n = 0;
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods", NULL, NULL), 200);
    list = json_loadb(f->rs.body.buf, f->rs.body.len, 0, NULL);
    items = json_object_get(list, "items");
    json_array_foreach(items, i, p) {
        json_t *m = json_object_get(p, "metadata");
        const char *name = json_string_value(json_object_get(m, "name"));
        if (name && strncmp(name, prefix, strlen(prefix)) == 0
            && !json_object_get(m, "deletionTimestamp"))
            n++;
    }
    json_decref(list);
    return n;
}

static void run_to(srv_fixture *f, int seconds)
{
    ks_run_advance(f->run, (ks_time)seconds * KS_SEC);
}

static void test_create_update_delete(void **state)
{
    srv_fixture *f = *state;
    assert_int_equal(srv_request(f, "POST", "/apis/apps/v1/namespaces/default/deployments", NULL,
                                 deploy2), 201);
    assert_non_null(strstr(f->rs.body.buf, "\"name\":\"api\""));
    run_to(f, 20);
    assert_int_equal(pods_named(f, "api-"), 2);
    /* the same again: 409 AlreadyExists */
    assert_int_equal(srv_request(f, "POST", "/apis/apps/v1/namespaces/default/deployments", NULL,
                                 deploy2), 409);
    assert_non_null(strstr(f->rs.body.buf, "deployments.apps \\\"api\\\" already exists"));
    /* a body of another kind: 400; a wrong namespace: 400 */
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods", NULL, deploy2),
                     400);
    assert_int_equal(srv_request(f, "POST", "/apis/apps/v1/namespaces/other/deployments", NULL,
                                 "{\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"}}"),
                     400);
    /* the loader refuses it: 422 with the field, and nothing was made */
    assert_int_equal(srv_request(f, "POST", "/apis/apps/v1/namespaces/default/deployments", NULL,
                                 "{\"metadata\":{\"name\":\"neg\"},\"spec\":{\"replicas\":-1,"
                                 "\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{"
                                 "\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{"
                                 "\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.25\"}]}}}}"),
                     422);
    assert_non_null(strstr(f->rs.body.buf, "\"field\":\"spec.replicas\""));
    assert_int_equal(srv_request(f, "GET", "/apis/apps/v1/namespaces/default/deployments/neg",
                                 NULL, NULL), 404);
    /* update with a stale resourceVersion: 409 Conflict */
    assert_int_equal(srv_request(f, "PUT", "/apis/apps/v1/namespaces/default/deployments/api",
                                 NULL, "{\"metadata\":{\"name\":\"api\",\"resourceVersion\":\"1\"},"
                                       "\"spec\":{\"replicas\":1}}"),
                     409);
    assert_non_null(strstr(f->rs.body.buf, "\"reason\":\"Conflict\""));
    /* the name in the body is not the URL's: 400 */
    assert_int_equal(srv_request(f, "PUT", "/apis/apps/v1/namespaces/default/deployments/api",
                                 NULL, "{\"metadata\":{\"name\":\"other\"}}"),
                     400);
    /* delete: the pods go */
    assert_int_equal(srv_request(f, "DELETE", "/apis/apps/v1/namespaces/default/deployments/api",
                                 NULL, NULL), 200);
    run_to(f, 80);
    assert_int_equal(pods_named(f, "api-"), 0);
    assert_int_equal(srv_request(f, "DELETE", "/apis/apps/v1/namespaces/default/deployments/api",
                                 NULL, NULL), 404);
    /* what a recording would replay */
    assert_true(ksv_api_steps(f->api) >= 2);
}

static void test_patch_scale_evict(void **state)
{
    srv_fixture *f = *state;
    run_to(f, 20);
    assert_int_equal(pods_named(f, "web-"), 2);
    /* the scale subresource */
    assert_int_equal(srv_request(f, "GET",
                                 "/apis/apps/v1/namespaces/default/deployments/web/scale", NULL,
                                 NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"kind\":\"Scale\""));
    assert_non_null(strstr(f->rs.body.buf, "\"selector\":\"app=web\""));
    f->content_type = "application/merge-patch+json";
    assert_int_equal(srv_request(f, "PATCH",
                                 "/apis/apps/v1/namespaces/default/deployments/web/scale", NULL,
                                 "{\"spec\":{\"replicas\":3}}"), 200);
    run_to(f, 40);
    assert_int_equal(pods_named(f, "web-"), 3);
    /* a strategic merge patch of the image: a rollout, the ports kept */
    f->content_type = "application/strategic-merge-patch+json";
    assert_int_equal(srv_request(f, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                                 NULL, "{\"spec\":{\"template\":{\"spec\":{\"containers\":"
                                       "[{\"name\":\"nginx\",\"image\":\"nginx:1.26\"}]}}}}"),
                     200);
    assert_non_null(strstr(f->rs.body.buf, "\"image\":\"nginx:1.26\""));
    assert_non_null(strstr(f->rs.body.buf, "\"containerPort\":80"));
    /* a node: cordon through spec.unschedulable; other fields are the scenario's */
    assert_int_equal(srv_request(f, "PATCH", "/api/v1/nodes/minikube", NULL,
                                 "{\"spec\":{\"unschedulable\":true}}"), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"unschedulable\":true"));
    assert_int_equal(srv_request(f, "PATCH", "/api/v1/nodes/minikube", NULL,
                                 "{\"spec\":{\"podCIDR\":\"10.0.0.0/24\"}}"), 422);
    /* an unknown patch type: 415 */
    f->content_type = "text/plain";
    assert_int_equal(srv_request(f, "PATCH", "/api/v1/nodes/minikube", NULL, "{}"), 415);
    /* eviction: 201, the pod goes */
    f->content_type = NULL;
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/flaky/eviction",
                                 NULL, "{\"metadata\":{\"name\":\"flaky\"}}"), 201);
    run_to(f, 120);
    assert_int_equal(pods_named(f, "flaky"), 0);
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/flaky/eviction",
                                 NULL, "{}"), 404);
    /* the simulation owns status; nodes are not created through the API */
    assert_int_equal(srv_request(f, "PUT", "/api/v1/namespaces/default/pods/x/status", NULL,
                                 "{}"), 405);
    assert_int_equal(srv_request(f, "POST", "/api/v1/nodes", NULL, "{}"), 405);
    /* orphaning is not simulated */
    assert_int_equal(srv_request(f, "DELETE",
                                 "/apis/apps/v1/namespaces/default/deployments/web"
                                 "?propagationPolicy=Orphan", NULL, NULL), 422);
}

static void test_server_side_apply(void **state)
{
    srv_fixture *f = *state;
    f->content_type = "application/apply-patch+yaml";
    assert_int_equal(srv_request(f, "PATCH",
                                 "/apis/apps/v1/namespaces/default/deployments/api"
                                 "?fieldManager=kubectl", NULL,
                                 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n"
                                 "spec:\n  replicas: 1\n  selector: {matchLabels: {app: api}}\n"
                                 "  template:\n    metadata: {labels: {app: api}}\n"
                                 "    spec: {containers: [{name: c, image: 'nginx:1.25'}]}\n"),
                     201);
    run_to(f, 20);
    assert_int_equal(pods_named(f, "api-"), 1);
    assert_int_equal(srv_request(f, "PATCH", "/apis/apps/v1/namespaces/default/deployments/api",
                                 NULL, "spec: [unclosed"), 400);
}

/* An admission webhook through the API: ingress-nginx's denies an
 * Ingress whose rewrite-target it refuses (400 BadRequest, its words: the
 * API server's ToStatusErr), and once the ingress-nginx namespace (with
 * the webhook's Service) is gone, failurePolicy Fail refuses every
 * Ingress: 500 InternalError "Internal error occurred: failed calling
 * webhook ..." (the validating dispatcher's apierrors.NewInternalError),
 * not 422 */
static void test_webhook_status(void **state)
{
    srv_fixture *f = *state;
    static const char ing[] =
        "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\","
        "\"metadata\":{\"name\":\"web\"},\"spec\":{\"ingressClassName\":\"nginx\","
        "\"rules\":[{\"http\":{\"paths\":[{\"path\":\"/\",\"pathType\":\"Prefix\","
        "\"backend\":{\"service\":{\"name\":\"web\",\"port\":{\"number\":80}}}}]}}]}}";
    static const char denied[] =
        "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\","
        "\"metadata\":{\"name\":\"bad\"},\"spec\":{\"ingressClassName\":\"nginx\","
        "\"rules\":[{\"http\":{\"paths\":[{\"path\":\"/api/?(.*)\",\"pathType\":\"Prefix\","
        "\"backend\":{\"service\":{\"name\":\"web\",\"port\":{\"number\":80}}}},"
        "{\"path\":\"/x$\",\"pathType\":\"Exact\","
        "\"backend\":{\"service\":{\"name\":\"web\",\"port\":{\"number\":80}}}}]}}]}}";
    if (srv_request(f, "POST", "/apis/networking.k8s.io/v1/namespaces/default/ingresses", NULL,
                    denied) != 400)
        fail_msg("%s", f->rs.body.buf);
    assert_non_null(strstr(f->rs.body.buf, "\"reason\":\"BadRequest\""));
    assert_non_null(strstr(f->rs.body.buf, "\"message\":\"admission webhook \\\"validate.nginx"
                                           ".ingress.kubernetes.io\\\" denied the request: ingress "
                                           "contains invalid paths: path /api/?(.*) cannot be used "
                                           "with pathType Prefix\\npath /x$ cannot be used with "
                                           "pathType Exact\""));
    assert_int_equal(srv_request(f, "DELETE", "/api/v1/namespaces/ingress-nginx", NULL, NULL),
                     200);
    ks_run_advance(f->run, 120 * KS_SEC);
    assert_int_equal(srv_request(f, "POST", "/apis/networking.k8s.io/v1/namespaces/default/"
                                            "ingresses", NULL, ing), 500);
    assert_non_null(strstr(f->rs.body.buf, "\"reason\":\"InternalError\""));
    assert_non_null(strstr(f->rs.body.buf, "\"message\":\"Internal error occurred: failed "
                                           "calling webhook \\\"validate.nginx.ingress"));
}

/* A Pod's update as the API server checks it (ValidatePodUpdate): its
 * tolerations (with the DefaultTolerationSeconds plugin's two) and affinity
 * come back as written; labels and annotations change; a changed spec is
 * 422 Invalid with the API server's words and a cause per field; an image,
 * which the API server would take, is a 400 saying kubesim does not
 * simulate it; the object sent back whole is no change. */
static const char pod_tol[] =
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"tol\"},\"spec\":{"
    "\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"gpu\","
    "\"effect\":\"NoSchedule\"}],\"affinity\":{\"nodeAffinity\":{"
    "\"preferredDuringSchedulingIgnoredDuringExecution\":[{\"weight\":1,\"preference\":{"
    "\"matchExpressions\":[{\"key\":\"disk\",\"operator\":\"In\",\"values\":[\"ssd\"]}]}}]}},"
    "\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.25\"}]}}";

static void expect_in(srv_fixture *f, const char *want)
{
    if (!strstr(f->rs.body.buf, want))
        fail_msg("%s not in %s", want, f->rs.body.buf);
}

static void test_pod_update(void **state)
{
    srv_fixture *f = *state;
    const char *url = "/api/v1/namespaces/default/pods/tol";
    char *whole;
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods", NULL, pod_tol),
                     201);
    run_to(f, 10);
    assert_int_equal(srv_request(f, "GET", url, NULL, NULL), 200);
    expect_in(f, "\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Equal\","
                 "\"value\":\"gpu\",\"effect\":\"NoSchedule\"},{\"key\":"
                 "\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":"
                 "\"NoExecute\",\"tolerationSeconds\":300},{\"key\":"
                 "\"node.kubernetes.io/unreachable\"");
    expect_in(f, "\"affinity\":{\"nodeAffinity\":{\"preferredDuring");
    whole = strdup(f->rs.body.buf);
    /* the object sent back whole: no change */
    assert_int_equal(srv_request(f, "PUT", url, NULL, whole), 200);
    free(whole);
    /* labels and annotations may change */
    f->content_type = "application/merge-patch+json";
    assert_int_equal(srv_request(f, "PATCH", url, NULL,
                                 "{\"metadata\":{\"labels\":{\"tier\":\"x\"},"
                                 "\"annotations\":{\"note\":\"y\"}}}"), 200);
    expect_in(f, "\"tier\":\"x\"");
    expect_in(f, "\"note\":\"y\"");
    /* an existing toleration changed */
    f->content_type = "application/strategic-merge-patch+json";
    assert_int_equal(srv_request(f, "PATCH", url, NULL,
                                 "{\"spec\":{\"tolerations\":[{\"key\":\"dedicated\","
                                 "\"operator\":\"Equal\",\"value\":\"cpu\","
                                 "\"effect\":\"NoSchedule\"}]}}"), 422);
    expect_in(f, "\"message\":\"Pod \\\"tol\\\" is invalid: spec.tolerations: Forbidden: existing "
                 "toleration can not be modified except its tolerationSeconds\"");
    expect_in(f, "\"reason\":\"FieldValueForbidden\"");
    expect_in(f, "\"field\":\"spec.tolerations\"");
    /* the affinity changed */
    f->content_type = "application/merge-patch+json";
    assert_int_equal(srv_request(f, "PATCH", url, NULL,
                                 "{\"spec\":{\"affinity\":null}}"), 422);
    expect_in(f, "is invalid: spec: Forbidden: pod updates may not change fields other than "
                 "`spec.containers[*].image`,`spec.initContainers[*].image`,"
                 "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
                 "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 "
                 "if it was previously negative)\\n  core.PodSpec{\\n- \\tAffinity: {");
    expect_in(f, "\\n+ \\tAffinity: nil,\\n  }");
    /* a container added */
    f->content_type = "application/json-patch+json";
    assert_int_equal(srv_request(f, "PATCH", url, NULL,
                                 "[{\"op\":\"add\",\"path\":\"/spec/containers/-\",\"value\":"
                                 "{\"name\":\"two\",\"image\":\"busybox\"}}]"), 422);
    expect_in(f, "spec.containers: Forbidden: pod updates may not add or remove containers");
    /* activeDeadlineSeconds out of range */
    f->content_type = "application/merge-patch+json";
    assert_int_equal(srv_request(f, "PATCH", url, NULL,
                                 "{\"spec\":{\"activeDeadlineSeconds\":-1}}"), 422);
    expect_in(f, "spec.activeDeadlineSeconds: Invalid value: -1: must be between 0 and "
                 "2147483647, inclusive");
    /* two errors: [a, b] */
    assert_int_equal(srv_request(f, "PATCH", url, NULL,
                                 "{\"spec\":{\"activeDeadlineSeconds\":-1,\"nodeName\":\"x\"}}"),
                     422);
    expect_in(f, "is invalid: [spec.activeDeadlineSeconds: Invalid value: -1: must be between");
    expect_in(f, "inclusive, spec: Forbidden: pod updates may not change fields");
    /* a manifest without what the server filled in (nodeName, the
       ServiceAccount): a change of the spec */
    assert_int_equal(srv_request(f, "PUT", url, NULL, pod_tol), 422);
    expect_in(f, "- \\tNodeName: \\\"minikube\\\",\\n+ \\tNodeName: nil,");
    /* an image: allowed by the API server, not simulated */
    f->content_type = "application/strategic-merge-patch+json";
    assert_int_equal(srv_request(f, "PATCH", url, NULL,
                                 "{\"spec\":{\"containers\":[{\"name\":\"web\","
                                 "\"image\":\"nginx:1.26\"}]}}"), 400);
    expect_in(f, "kubesim does not simulate changing a running pod's images");
    assert_int_equal(srv_request(f, "GET", url, NULL, NULL), 200);
    expect_in(f, "\"image\":\"nginx:1.25\"");
    expect_in(f, "\"tier\":\"x\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_patch),
        cmocka_unit_test(test_strategic_patch),
        cmocka_unit_test(test_json_patch),
        cmocka_unit_test(test_decode),
        SRV_TEST(test_create_update_delete),
        SRV_TEST(test_patch_scale_evict),
        SRV_TEST(test_server_side_apply),
        SRV_TEST(test_webhook_status),
        SRV_TEST(test_pod_update),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
