/* test_server.c -- the Kubernetes API (server/) without sockets: discovery,
 * lists, tables, selectors, chunks, errors as Status, watches, the nodes'
 * Leases. The real
 * clients' sessions are tests/check_serve.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "server_fixture_cmocka.h"
#include "ksv_watch.h"

static json_t *body(srv_fixture *f)
{
    json_error_t err;
    json_t *j = json_loadb(f->rs.body.buf, f->rs.body.len, 0, &err);
    if (!j)
        fail_msg("body is not JSON (%s): %.300s", err.text, f->rs.body.buf);
    return j;
}

static const char *str_at(json_t *j, const char *a, const char *b)
{
    json_t *v = json_object_get(j, a);
    if (b)
        v = json_object_get(v, b);
    return json_string_value(v) ? json_string_value(v) : "";
}

static void test_version_and_health(void **state)
{
    srv_fixture *f = *state;
    json_t *j;
    assert_int_equal(srv_request(f, "GET", "/version", NULL, NULL), 200);
    j = body(f);
    assert_string_equal(str_at(j, "gitVersion", NULL), "v1.30.0");
    assert_string_equal(str_at(j, "minor", NULL), "30");
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/healthz", NULL, NULL), 200);
    assert_string_equal(f->rs.body.buf, "ok");
}

static void test_discovery(void **state)
{
    srv_fixture *f = *state;
    json_t *j, *items;
    /* aggregated, as kubectl 1.30 asks first: said by the Content-Type */
    assert_int_equal(srv_request(f, "GET", "/apis",
                                 "application/json;g=apidiscovery.k8s.io;v=v2;"
                                 "as=APIGroupDiscoveryList,application/json", NULL), 200);
    assert_non_null(strstr(f->rs.content_type, "as=APIGroupDiscoveryList"));
    j = body(f);
    assert_string_equal(str_at(j, "kind", NULL), "APIGroupDiscoveryList");
    items = json_object_get(j, "items");
    assert_true(json_array_size(items) >= 4);
    assert_string_equal(str_at(json_array_get(items, 0), "metadata", "name"), "apps");
    json_decref(j);
    /* legacy, as kubectl 1.20 reads it */
    assert_int_equal(srv_request(f, "GET", "/api", "application/json, */*", NULL), 200);
    assert_string_equal(f->rs.content_type, "application/json");
    j = body(f);
    assert_string_equal(str_at(j, "kind", NULL), "APIVersions");
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/apis/apps/v1", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"name\":\"deployments/scale\""));
    assert_non_null(strstr(f->rs.body.buf, "\"shortNames\":[\"deploy\"]"));
    /* the workload kinds, in the groups they belong to */
    assert_int_equal(srv_request(f, "GET", "/apis/batch/v1", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"name\":\"cronjobs\""));
    assert_non_null(strstr(f->rs.body.buf, "\"shortNames\":[\"cj\"]"));
    assert_int_equal(srv_request(f, "GET", "/apis/apps/v1", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"name\":\"statefulsets/scale\""));
    /* autoscaling: v2 preferred, v1 too (kubectl autoscale writes v1) */
    assert_int_equal(srv_request(f, "GET", "/apis/autoscaling", NULL, NULL), 200);
    j = body(f);
    assert_string_equal(str_at(j, "preferredVersion", "version"), "v2");
    assert_int_equal(json_array_size(json_object_get(j, "versions")), 2);
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/apis/autoscaling/v1", NULL, NULL), 200);
    assert_int_equal(srv_request(f, "GET", "/apis/batch/v1beta1", NULL, NULL), 404);
    /* policy/v1 with what a real API server lists there (a group version
       without resources is never cached by kubectl: discovery/cached/disk) */
    assert_int_equal(srv_request(f, "GET", "/apis/policy/v1", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"name\":\"poddisruptionbudgets\""));
    assert_non_null(strstr(f->rs.body.buf, "\"shortNames\":[\"pdb\"]"));
    assert_int_equal(srv_request(f, "GET", "/apis/policy/v1/namespaces/default/"
                                 "poddisruptionbudgets", NULL, NULL), 200);
    j = body(f);
    assert_string_equal(str_at(j, "kind", NULL), "PodDisruptionBudgetList");
    assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
    json_decref(j);
    assert_int_equal(srv_request(f, "POST", "/apis/policy/v1/namespaces/default/"
                                 "poddisruptionbudgets", NULL, "{}"), 405);
    assert_non_null(strstr(f->rs.body.buf, "kubesim does not simulate PodDisruptionBudgets"));
}

static void test_list_and_get(void **state)
{
    srv_fixture *f = *state;
    json_t *j, *items;
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods", NULL, NULL), 200);
    j = body(f);
    assert_string_equal(str_at(j, "kind", NULL), "PodList");
    items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 3);            /* flaky and web's two */
    assert_string_equal(str_at(json_array_get(items, 0), "metadata", "name"), "flaky");
    assert_true(strlen(str_at(j, "metadata", "resourceVersion")) > 0);
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky", NULL,
                                 NULL), 200);
    j = body(f);
    assert_string_equal(str_at(j, "kind", NULL), "Pod");
    assert_string_equal(str_at(j, "spec", "restartPolicy"), "Always");
    assert_string_equal(str_at(j, "spec", "dnsPolicy"), "ClusterFirst");
    /* the ServiceAccount admission plugin's default, in pods alone */
    assert_string_equal(str_at(j, "spec", "serviceAccountName"), "default");
    assert_string_equal(str_at(j, "spec", "serviceAccount"), "default");
    json_decref(j);
    /* not in a template: the API server defaults neither there */
    assert_int_equal(srv_request(f, "GET", "/apis/apps/v1/namespaces/default/deployments/web",
                                 NULL, NULL), 200);
    j = body(f);
    {
        json_t *ps = json_object_get(json_object_get(json_object_get(j, "spec"), "template"),
                                     "spec");
        assert_string_equal(str_at(ps, "dnsPolicy", NULL), "ClusterFirst");
        assert_null(json_object_get(ps, "serviceAccountName"));
        assert_null(json_object_get(ps, "serviceAccount"));
    }
    json_decref(j);
    /* cluster-scoped, and all namespaces */
    assert_int_equal(srv_request(f, "GET", "/api/v1/nodes/minikube", NULL, NULL), 200);
    assert_int_equal(srv_request(f, "GET", "/api/v1/pods", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "ingress-nginx-controller"));
    assert_int_equal(srv_request(f, "GET", "/apis/discovery.k8s.io/v1/namespaces/default/"
                                           "endpointslices", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"kubernetes.io/service-name\":\"web\""));
}

static void test_not_found_is_a_status(void **state)
{
    srv_fixture *f = *state;
    json_t *j;
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/nosuch", NULL,
                                 NULL), 404);
    j = body(f);
    assert_string_equal(str_at(j, "kind", NULL), "Status");
    assert_string_equal(str_at(j, "reason", NULL), "NotFound");
    assert_string_equal(str_at(j, "message", NULL), "pods \"nosuch\" not found");
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/apis/apps/v1/namespaces/default/deployments/x",
                                 NULL, NULL), 404);
    assert_non_null(strstr(f->rs.body.buf, "deployments.apps \\\"x\\\" not found"));
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/frobs", NULL, NULL),
                     404);
    assert_int_equal(srv_request(f, "GET", "/nothing/here", NULL, NULL), 404);
    assert_int_equal(srv_request(f, "GET", "/api/v1/nodes/a/b/c/d/e/f/g/h/i/j/k/l/m", NULL,
                                 NULL), 404);
}

static void test_table(void **state)
{
    srv_fixture *f = *state;
    json_t *j, *cols, *rows;
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods",
                                 "application/json;as=Table;v=v1;g=meta.k8s.io", NULL), 200);
    j = body(f);
    assert_string_equal(str_at(j, "kind", NULL), "Table");
    cols = json_object_get(j, "columnDefinitions");
    assert_int_equal(json_array_size(cols), 9);          /* with -o wide's */
    assert_string_equal(str_at(json_array_get(cols, 0), "name", NULL), "Name");
    assert_string_equal(str_at(json_array_get(cols, 0), "format", NULL), "name");
    assert_string_equal(str_at(json_array_get(cols, 6), "name", NULL), "Node");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(cols, 4), "priority")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(cols, 5), "priority")), 1);
    rows = json_object_get(j, "rows");
    assert_int_equal(json_array_size(rows), 3);
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(json_array_get(rows, 0), "cells"), 0)), "flaky");
    assert_string_equal(str_at(json_object_get(json_array_get(rows, 0), "object"), "metadata",
                               "name"), "flaky");
    assert_string_equal(str_at(json_object_get(json_array_get(rows, 0), "object"), "kind",
                               NULL), "PartialObjectMetadata");
    json_decref(j);
    /* includeObject as the API server honours it (handlers/response.go):
       the whole object (kubectl get --sort-by), none, or a 400 */
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods?includeObject=Object",
                                 "application/json;as=Table;v=v1;g=meta.k8s.io", NULL), 200);
    j = body(f);
    rows = json_object_get(j, "rows");
    assert_string_equal(str_at(json_object_get(json_array_get(rows, 0), "object"), "kind",
                               NULL), "Pod");
    assert_non_null(json_object_get(json_object_get(json_array_get(rows, 0), "object"),
                                    "status"));
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky?"
                                 "includeObject=None",
                                 "application/json;as=Table;v=v1;g=meta.k8s.io", NULL), 200);
    j = body(f);
    assert_null(json_object_get(json_array_get(json_object_get(j, "rows"), 0), "object"));
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods?includeObject=All",
                                 "application/json;as=Table;v=v1;g=meta.k8s.io", NULL), 400);
    assert_non_null(strstr(f->rs.body.buf, "unrecognized includeObject value: \\\"All\\\""));
}

/* The columns printers.go defines, with cells kubesim's printers do not
 * give: an EndpointSlice's (formatDiscoveryPorts, formatDiscoveryEndpoints),
 * an event's wide ones between its others, integer cells as numbers. */
static json_t *table_of(srv_fixture *f, const char *path)
{
    assert_int_equal(srv_request(f, "GET", path, "application/json;as=Table;v=v1;g=meta.k8s.io",
                                 NULL), 200);
    return body(f);
}

static const char *col(json_t *j, size_t i)
{
    return str_at(json_array_get(json_object_get(j, "columnDefinitions"), i), "name", NULL);
}

static json_t *cell(json_t *j, size_t row, size_t i)
{
    return json_array_get(json_object_get(json_array_get(json_object_get(j, "rows"), row),
                                          "cells"), i);
}

static void test_table_columns(void **state)
{
    srv_fixture *f = *state;
    json_t *j = table_of(f, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices");
    assert_string_equal(col(j, 1), "AddressType");
    assert_string_equal(col(j, 3), "Endpoints");
    assert_string_equal(json_string_value(cell(j, 0, 0)), "kubernetes");
    assert_string_equal(json_string_value(cell(j, 0, 1)), "IPv4");
    assert_string_equal(json_string_value(cell(j, 0, 2)), "8443");
    assert_string_equal(json_string_value(cell(j, 0, 3)), "192.168.49.2");
    json_decref(j);
    j = table_of(f, "/api/v1/events");
    assert_string_equal(col(j, 4), "Subobject");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(
                         json_object_get(j, "columnDefinitions"), 4), "priority")), 1);
    assert_string_equal(col(j, 6), "Message");
    assert_string_equal(col(j, 9), "Name");
    assert_null(strchr(json_string_value(cell(j, 0, 0)), '('));   /* no "(x2 over 5s)" */
    json_decref(j);
    j = table_of(f, "/apis/apps/v1/deployments");
    assert_string_equal(col(j, 2), "Up-to-date");
    json_decref(j);
    j = table_of(f, "/apis/apps/v1/replicasets");
    if (json_array_size(json_object_get(j, "rows")))
        assert_true(json_is_integer(cell(j, 0, 1)));              /* Desired, int64 */
    json_decref(j);
    j = table_of(f, "/apis/policy/v1/poddisruptionbudgets");
    assert_string_equal(col(j, 3), "Allowed Disruptions");
    assert_int_equal(json_array_size(json_object_get(j, "rows")), 0);
    json_decref(j);
}

static void test_selectors_and_chunks(void **state)
{
    srv_fixture *f = *state;
    json_t *j;
    char target[600];
    const char *cont;
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods?labelSelector=app=web",
                                 NULL, NULL), 200);
    j = body(f);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
    json_decref(j);
    assert_int_equal(srv_request(f, "GET",
                                 "/api/v1/namespaces/default/pods?fieldSelector=metadata.name=flaky",
                                 NULL, NULL), 200);
    j = body(f);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods?labelSelector=a+in+(",
                                 NULL, NULL), 400);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods?fieldSelector=junk",
                                 NULL, NULL), 400);
    /* limit and continue walk the list without repeating */
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods?limit=2", NULL,
                                 NULL), 200);
    j = body(f);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
    cont = str_at(j, "metadata", "continue");
    assert_true(cont[0] != '\0');
    snprintf(target, sizeof target, "/api/v1/namespaces/default/pods?limit=2&continue=%s", cont);
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", target, NULL, NULL), 200);
    j = body(f);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_string_equal(str_at(j, "metadata", "continue"), "");
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods?continue=zz", NULL,
                                 NULL), 400);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods?limit=-1", NULL,
                                 NULL), 400);
}

static void test_watch(void **state)
{
    srv_fixture *f = *state;
    char buf[65536];
    size_t n;
    ksv_watch *w;
    ks_time t;
    bool any = false;
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods?labelSelector=app="
                                           "flaky&watch=true", NULL, NULL), 200);
    w = f->rs.watch;
    assert_non_null(w);
    f->rs.watch = NULL;                    /* the test holds it now */
    n = ksv_watch_take(w, buf, sizeof buf - 1);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\""));
    assert_null(strstr(buf, "\"name\":\"web-"));        /* the selector holds */
    /* the pod crashes within a minute: MODIFIED events follow, one per
       change the server sees (it looks after each advance, as serve does) */
    for (t = 1; t <= 60; t++) {
        ks_run_advance(f->run, t * KS_SEC);
        any |= ksv_api_after_advance(f->api);
    }
    assert_true(any);
    n = ksv_watch_take(w, buf, sizeof buf - 1);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "{\"type\":\"MODIFIED\""));
    assert_non_null(strstr(buf, "\"restartCount\":1"));
    ksv_watch_close(f->api, w);
    /* too old a resourceVersion: 410, the client lists again */
    assert_int_equal(srv_request(f, "GET", "/api/v1/pods?watch=1&resourceVersion=1", NULL,
                                 NULL), 410);
    assert_non_null(strstr(f->rs.body.buf, "\"reason\":\"Expired\""));
    assert_int_equal(srv_request(f, "GET", "/api/v1/pods?watch=1&resourceVersion=x", NULL,
                                 NULL), 400);
}

/* coordination.k8s.io/v1 Leases: the nodes' in kube-node-lease, as kubectl
 * get leases prints them (printers.go printLease: Name Holder Age), the
 * object as the kubelet keeps it (renewTime a MicroTime, owned by its Node,
 * no generation), renewed every 10 s: a watch sees it MODIFIED; read-only */
static void test_leases(void **state)
{
    srv_fixture *f = *state;
    char buf[65536];
    json_t *j, *cols, *cells;
    ksv_watch *w;
    size_t n;
    ks_time t;
    const char *renew;
    assert_int_equal(srv_request(f, "GET", "/apis/coordination.k8s.io/v1/namespaces/"
                                 "kube-node-lease/leases",
                                 "application/json;as=Table;v=v1;g=meta.k8s.io", NULL), 200);
    j = body(f);
    cols = json_object_get(j, "columnDefinitions");
    assert_int_equal(json_array_size(cols), 3);
    assert_string_equal(str_at(json_array_get(cols, 1), "name", NULL), "Holder");
    assert_int_equal(json_array_size(json_object_get(j, "rows")), 1);
    cells = json_object_get(json_array_get(json_object_get(j, "rows"), 0), "cells");
    assert_string_equal(json_string_value(json_array_get(cells, 0)), "minikube");
    assert_string_equal(json_string_value(json_array_get(cells, 1)), "minikube");
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/apis/coordination.k8s.io/v1/namespaces/"
                                 "kube-node-lease/leases/minikube", NULL, NULL), 200);
    j = body(f);
    assert_string_equal(str_at(j, "kind", NULL), "Lease");
    assert_string_equal(str_at(j, "spec", "holderIdentity"), "minikube");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "spec"),
                                                        "leaseDurationSeconds")), 40);
    renew = str_at(j, "spec", "renewTime");
    assert_int_equal(strlen(renew), strlen("2024-01-01T00:00:00.000000Z"));
    assert_string_equal(str_at(json_array_get(json_object_get(json_object_get(j, "metadata"),
                                                              "ownerReferences"), 0),
                               "kind", NULL), "Node");
    assert_null(json_object_get(json_object_get(j, "metadata"), "generation"));
    json_decref(j);
    assert_int_equal(srv_request(f, "GET", "/apis/coordination.k8s.io/v1/namespaces/default/"
                                 "leases", NULL, NULL), 200);
    j = body(f);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
    json_decref(j);
    assert_int_equal(srv_request(f, "DELETE", "/apis/coordination.k8s.io/v1/namespaces/"
                                 "kube-node-lease/leases/minikube", NULL, NULL), 405);
    assert_int_equal(srv_request(f, "GET", "/apis/coordination.k8s.io/v1/namespaces/"
                                 "kube-node-lease/leases?watch=1", NULL, NULL), 200);
    w = f->rs.watch;
    assert_non_null(w);
    f->rs.watch = NULL;
    n = ksv_watch_take(w, buf, sizeof buf - 1);
    for (t = ks_now(ks_run_sim(f->run)) + KS_SEC, n = 0; n < 11; n++, t += KS_SEC) {
        ks_run_advance(f->run, t);
        ksv_api_after_advance(f->api);
    }
    n = ksv_watch_take(w, buf, sizeof buf - 1);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":"
                                "\"coordination.k8s.io/v1\",\"kind\":\"Lease\""));
    ksv_watch_close(f->api, w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        SRV_TEST(test_version_and_health),
        SRV_TEST(test_discovery),
        SRV_TEST(test_list_and_get),
        SRV_TEST(test_not_found_is_a_status),
        SRV_TEST(test_table),
        SRV_TEST(test_table_columns),
        SRV_TEST(test_selectors_and_chunks),
        SRV_TEST(test_watch),
        SRV_TEST(test_leases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
