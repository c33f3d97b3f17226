/* test_namespaces.c -- the API server's NamespaceLifecycle admission as
 * kubesim applies it (sim/cluster/ks_namespace.c): nothing is created in a
 * namespace that does not exist or is being deleted, and default,
 * kube-system and kube-public cannot be deleted; kubectl prints the API
 * server's words (apiserver/pkg/admission/plugin/namespace/lifecycle/
 * admission.go). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <unistd.h>

#include "cluster_fixture.h"
#include "kubectl/ks_kubectl.h"

static const char worker[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: worker, namespace: shop}\nspec:\n"
    "  containers: [{name: w, image: busybox, command: [sh, -c, \"sleep 3600\"]}]\n";

/* Runs line; its output in out. */
static int kc(fixture *f, ks_strbuf *out, const char *line)
{
    ks_strbuf_clear(out);
    return ks_kubectl_run(f->sim, line, NULL, out);
}

/* A file holding text; its path in path. */
static void write_file(char *path, size_t n, const char *text)
{
    FILE *fp;
    int fd;
    snprintf(path, n, "/tmp/kubesim-ns-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    fp = fdopen(fd, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* A namespace that does not exist: NotFound, whoever creates. */
static void test_ns_missing(void **state)
{
    fixture f;
    ks_strbuf out;
    char path[64], line[128], want[256];
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    assert_int_not_equal(fixture_apply(&f, worker), 0);
    assert_int_equal(ks_cluster_find(f.sim, KS_KIND_POD, "shop", "worker"), 0);
    write_file(path, sizeof path, worker);
    snprintf(line, sizeof line, "apply -f %s", path);
    assert_int_equal(kc(&f, &out, line), 1);
    snprintf(want, sizeof want, "Error from server (NotFound): error when creating \"%s\": "
                                "namespaces \"shop\" not found\n", path);
    assert_string_equal(ks_strbuf_str(&out), want);
    assert_int_equal(kc(&f, &out, "create job hello --image=busybox -n shop"), 1);
    assert_string_equal(ks_strbuf_str(&out),
                        "error: failed to create job: namespaces \"shop\" not found\n");
    /* once the namespace is there, the same file creates */
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Namespace\n"
                                       "metadata: {name: shop}\n"), 0);
    assert_int_equal(kc(&f, &out, line), 0);
    assert_string_equal(ks_strbuf_str(&out), "pod/worker created\n");
    /* the system namespaces are there from the start */
    assert_int_equal(kc(&f, &out, "create job hello --image=busybox -n kube-public"), 0);
    unlink(path);
    fixture_fini_out(&f, &out);
}

/* A namespace being deleted takes no new content (Forbidden) but keeps
 * what it has until it is gone; then the name is free again: NotFound. */
static void test_ns_terminating(void **state)
{
    fixture f;
    ks_strbuf out;
    char path[64], line[128], want[320];
    static const char more[] =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n"
        "data: {k: v}\n";
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Namespace\n"
                                       "metadata: {name: shop}\n"), 0);
    assert_int_equal(fixture_apply(&f, worker), 0);
    run_to(&f, 5 * KS_SEC);
    assert_int_equal(kc(&f, &out, "delete namespace shop"), 0);
    run_to(&f, 6 * KS_SEC);
    write_file(path, sizeof path, more);
    snprintf(line, sizeof line, "apply -f %s", path);
    assert_int_equal(kc(&f, &out, line), 1);
    snprintf(want, sizeof want,
             "Error from server (Forbidden): error when creating \"%s\": configmaps "
             "\"settings\" is forbidden: unable to create new content in namespace shop "
             "because it is being terminated\n", path);
    assert_string_equal(ks_strbuf_str(&out), want);
    assert_int_equal(kc(&f, &out, "create secret generic s --from-literal=a=b -n shop"), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "because it is being terminated"));
    assert_int_equal(kc(&f, &out, "get ns shop"), 0);
    assert_non_null(strstr(ks_strbuf_str(&out), "Terminating"));
    run_to(&f, 60 * KS_SEC);                  /* the pod's 30 s grace, then the namespace */
    assert_int_equal(ks_cluster_find(f.sim, KS_KIND_NAMESPACE, NULL, "shop"), 0);
    assert_int_equal(kc(&f, &out, line), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "namespaces \"shop\" not found"));
    unlink(path);
    fixture_fini_out(&f, &out);
}

/* default, kube-system and kube-public may not be deleted. */
static void test_ns_immortal(void **state)
{
    static const char *const names[] = {"default", "kube-system", "kube-public"};
    fixture f;
    ks_strbuf out;
    char line[64], want[160];
    size_t i;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    for (i = 0; i < 3; i++) {
        snprintf(line, sizeof line, "delete namespace %s", names[i]);
        assert_int_equal(kc(&f, &out, line), 1);
        snprintf(want, sizeof want, "Error from server (Forbidden): namespaces \"%s\" is "
                                    "forbidden: this namespace may not be deleted\n", names[i]);
        assert_string_equal(ks_strbuf_str(&out), want);
        assert_true(ks_cluster_namespace_exists(f.sim, names[i]));
    }
    assert_int_equal(kc(&f, &out, "delete ns/default"), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "this namespace may not be deleted"));
    fixture_fini_out(&f, &out);
}

/* kubectl create namespace (create_namespace.go): created, or the API
 * server's AlreadyExists as it is; a namespace being deleted is there still. */
static void test_ns_create(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    assert_int_equal(kc(&f, &out, "create namespace shop"), 0);
    assert_string_equal(ks_strbuf_str(&out), "namespace/shop created\n");
    assert_true(ks_cluster_namespace_exists(f.sim, "shop"));
    assert_int_equal(kc(&f, &out, "create job hello --image=busybox -n shop"), 0);
    assert_int_equal(kc(&f, &out, "create ns shop"), 1);
    assert_string_equal(ks_strbuf_str(&out),
                        "Error from server (AlreadyExists): namespaces \"shop\" already exists\n");
    assert_int_equal(kc(&f, &out, "create ns kube-system"), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "namespaces \"kube-system\" already exists"));
    assert_int_equal(kc(&f, &out, "create ns Shop"), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "The Namespace \"Shop\" is invalid: "
                                                "metadata.name: Invalid value: \"Shop\""));
    assert_int_equal(kc(&f, &out, "create ns a b"), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "exactly one NAME is required, got 2"));
    run_to(&f, 5 * KS_SEC);
    assert_int_equal(kc(&f, &out, "delete ns shop"), 0);
    assert_int_equal(kc(&f, &out, "create ns shop"), 1);
    assert_string_equal(ks_strbuf_str(&out), "Error from server (AlreadyExists): object is "
                                             "being deleted: namespaces \"shop\" already "
                                             "exists\n");
    fixture_fini_out(&f, &out);
}

/* kube-node-lease holds the node's Lease; it may be deleted: it goes with
 * the Lease, and the API server's system namespaces controller makes it
 * again at its next pass (every minute from the start: systemnamespaces
 * NewController), the kubelet its Lease at its next renewal. */
static void test_ns_node_lease(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    run_to(&f, 70 * KS_SEC);
    /* the node's Lease, renewed by its kubelet (printers.go printLease) */
    assert_int_equal(kc(&f, &out, "get leases -n kube-node-lease"), 0);
    assert_string_equal(ks_strbuf_str(&out), "NAME     HOLDER   AGE\n"
                                             "node-1   node-1   70s\n");
    assert_int_equal(kc(&f, &out, "get leases"), 0);
    assert_string_equal(ks_strbuf_str(&out), "No resources found in default namespace.\n");
    assert_int_equal(kc(&f, &out, "describe lease node-1 -n kube-node-lease"), 0);
    assert_non_null(strstr(ks_strbuf_str(&out), "  Lease Duration Seconds:  40\n"));
    assert_non_null(strstr(ks_strbuf_str(&out), "  Renew Time:              "
                                                "2024-01-01T00:01:10.000000Z\n"));
    assert_int_equal(kc(&f, &out, "get lease nosuch -n kube-node-lease"), 1);
    assert_string_equal(ks_strbuf_str(&out), "Error from server (NotFound): "
                        "leases.coordination.k8s.io \"nosuch\" not found\n");
    assert_int_equal(kc(&f, &out, "delete namespace kube-node-lease"), 0);
    assert_string_equal(ks_strbuf_str(&out), "namespace \"kube-node-lease\" deleted\n");
    assert_false(ks_cluster_namespace_exists(f.sim, "kube-node-lease"));
    assert_int_equal(kc(&f, &out, "get ns kube-node-lease"), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "namespaces \"kube-node-lease\" not found"));
    assert_int_equal(kc(&f, &out, "create job hello --image=busybox -n kube-node-lease"), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "namespaces \"kube-node-lease\" not found"));
    run_to(&f, 119 * KS_SEC);
    assert_false(ks_cluster_namespace_exists(f.sim, "kube-node-lease"));
    run_to(&f, 125 * KS_SEC);                 /* the pass at 2m made it again */
    assert_true(ks_cluster_namespace_exists(f.sim, "kube-node-lease"));
    assert_int_equal(ks_cluster_namespace_created(f.sim, "kube-node-lease"), 120 * KS_SEC);
    assert_int_equal(kc(&f, &out, "get ns kube-node-lease"), 0);
    assert_non_null(strstr(ks_strbuf_str(&out), "kube-node-lease   Active   5s"));
    /* the Lease went with it; the kubelet made it again at its next renewal */
    assert_int_equal(kc(&f, &out, "get leases -A"), 0);
    assert_non_null(strstr(ks_strbuf_str(&out), "kube-node-lease   node-1   node-1   5s\n"));
    fixture_fini_out(&f, &out);
}

/* Deleting ingress-nginx deletes the controller; the addon's webhook
 * configuration stays, so every Ingress is refused: its Service is gone. */
static void test_ns_ingress_nginx(void **state)
{
    static const char ing[] =
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n"
        "  ingressClassName: nginx\n  rules:\n    - http:\n        paths: [{path: /, "
        "pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]\n";
    fixture f;
    ks_strbuf out;
    char path[64], line[128];
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    run_to(&f, 5 * KS_SEC);
    assert_int_equal(kc(&f, &out, "delete namespace ingress-nginx"), 0);
    assert_string_equal(ks_strbuf_str(&out), "namespace \"ingress-nginx\" deleted\n");
    assert_int_equal(kc(&f, &out, "get ns ingress-nginx"), 0);
    assert_non_null(strstr(ks_strbuf_str(&out), "Terminating"));
    run_to(&f, 6 * KS_SEC);                   /* the namespace controller deleted its content */
    write_file(path, sizeof path, ing);
    snprintf(line, sizeof line, "apply -f %s", path);
    assert_int_equal(kc(&f, &out, line), 1);
    assert_non_null(strstr(ks_strbuf_str(&out),
                           "Error from server (InternalError): error when creating"));
    assert_non_null(strstr(ks_strbuf_str(&out),
                           "failed calling webhook \"validate.nginx.ingress.kubernetes.io\": "
                           "failed to call webhook: Post \"https://ingress-nginx-controller-"
                           "admission.ingress-nginx.svc:443/networking/v1/ingresses?timeout="
                           "10s\": service \"ingress-nginx-controller-admission\" not found\n"));
    assert_int_equal(ks_cluster_find(f.sim, KS_KIND_INGRESS, "default", "web"), 0);
    run_to(&f, 400 * KS_SEC);
    assert_false(ks_cluster_namespace_exists(f.sim, "ingress-nginx"));
    unlink(path);
    fixture_fini_out(&f, &out);
}


/* Every namespace has a ServiceAccount "default", made by the
 * serviceaccounts controller (pkg/controller/serviceaccount/
 * serviceaccounts_controller.go): the API server's four from the start, a
 * new namespace's at once, made again when deleted, gone with its
 * namespace; kubectl get sa / describe sa print it. */
static void test_ns_default_sa(void **state)
{
    static const char *const system[] = {"default", "kube-node-lease", "kube-public",
                                         "kube-system", "ingress-nginx"};
    fixture f;
    ks_strbuf out;
    ks_id id;
    size_t i;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    run_to(&f, 1 * KS_SEC);
    for (i = 0; i < sizeof system / sizeof system[0]; i++)
        assert_int_not_equal(ks_cluster_find(f.sim, KS_KIND_SERVICEACCOUNT, system[i],
                                             "default"), 0);
    assert_int_equal(kc(&f, &out, "get sa"), 0);
    assert_string_equal(ks_strbuf_str(&out), "NAME      SECRETS   AGE\n"
                                             "default   0         1s\n");
    assert_int_equal(kc(&f, &out, "describe sa default -n kube-system"), 0);
    assert_string_equal(ks_strbuf_str(&out), "Name:                default\n"
                                             "Namespace:           kube-system\n"
                                             "Labels:              <none>\n"
                                             "Annotations:         <none>\n"
                                             "Image pull secrets:  <none>\n"
                                             "Events:              <none>\n");
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Namespace\n"
                                       "metadata: {name: shop}\n"), 0);
    run_to(&f, 2 * KS_SEC);
    assert_int_equal(kc(&f, &out, "get serviceaccounts -n shop"), 0);
    assert_string_equal(ks_strbuf_str(&out), "NAME      SECRETS   AGE\n"
                                             "default   0         1s\n");
    /* deleted, it is made again (serviceAccountDeleted queues the namespace) */
    id = ks_cluster_find(f.sim, KS_KIND_SERVICEACCOUNT, "shop", "default");
    assert_int_equal(kc(&f, &out, "delete sa default -n shop"), 0);
    run_to(&f, 3 * KS_SEC);
    assert_int_not_equal(ks_cluster_find(f.sim, KS_KIND_SERVICEACCOUNT, "shop", "default"), 0);
    assert_int_not_equal(ks_cluster_find(f.sim, KS_KIND_SERVICEACCOUNT, "shop", "default"), id);
    /* its namespace deleted, it goes and is not made again */
    assert_int_equal(kc(&f, &out, "delete namespace shop"), 0);
    run_to(&f, 10 * KS_SEC);
    assert_int_equal(ks_cluster_find(f.sim, KS_KIND_SERVICEACCOUNT, "shop", "default"), 0);
    /* kube-node-lease: gone with the namespace, back with it at the next pass */
    assert_int_equal(kc(&f, &out, "delete namespace kube-node-lease"), 0);
    run_to(&f, 11 * KS_SEC);
    assert_int_equal(ks_cluster_find(f.sim, KS_KIND_SERVICEACCOUNT, "kube-node-lease",
                                     "default"), 0);
    run_to(&f, 61 * KS_SEC);
    assert_true(ks_cluster_namespace_exists(f.sim, "kube-node-lease"));
    assert_int_not_equal(ks_cluster_find(f.sim, KS_KIND_SERVICEACCOUNT, "kube-node-lease",
                                         "default"), 0);
    fixture_fini_out(&f, &out);
}

/* kube-system holds kube-controller-manager's controllers' ServiceAccounts
 * (--use-service-account-credentials) and the addons'; default holds the
 * API server's own Service, with its Endpoints at the API server. */
static void test_ns_system_objects(void **state)
{
    static const char *const controllers[] = {"attachdetach-controller", "deployment-controller",
                                              "endpointslice-controller", "job-controller",
                                              "node-controller", "replicaset-controller",
                                              "statefulset-controller", "coredns", "kube-proxy"};
    fixture f;
    ks_strbuf out;
    size_t i;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    run_to(&f, 1 * KS_SEC);
    for (i = 0; i < sizeof controllers / sizeof controllers[0]; i++)
        assert_int_not_equal(ks_cluster_find(f.sim, KS_KIND_SERVICEACCOUNT, "kube-system",
                                             controllers[i]), 0);
    assert_int_equal(kc(&f, &out, "get svc"), 0);
    assert_string_equal(ks_strbuf_str(&out),
                        "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
                        "kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   1s\n");
    assert_int_equal(kc(&f, &out, "get endpoints kubernetes"), 0);
    assert_string_equal(ks_strbuf_str(&out), "NAME         ENDPOINTS           AGE\n"
                                             "kubernetes   192.168.49.2:8443   1s\n");
    assert_int_equal(kc(&f, &out, "describe svc kubernetes"), 0);
    assert_non_null(strstr(ks_strbuf_str(&out), "TargetPort:               8443/TCP\n"
                                                "Endpoints:                192.168.49.2:8443\n"));
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* The API server's bootstrap controller puts default/kubernetes back at
 * its next 10 s tick after a delete (30 s after one at 23 s), with the
 * same address. */
static void test_ns_kubernetes_repaired(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    run_to(&f, 23 * KS_SEC);
    assert_int_equal(kc(&f, &out, "delete svc kubernetes"), 0);
    assert_string_equal(ks_strbuf_str(&out), "service \"kubernetes\" deleted\n");
    run_to(&f, 29 * KS_SEC);
    assert_int_equal(ks_cluster_find(f.sim, KS_KIND_SERVICE, "default", "kubernetes"), 0);
    run_to(&f, 31 * KS_SEC);
    assert_int_equal(kc(&f, &out, "get svc"), 0);
    assert_string_equal(ks_strbuf_str(&out),
                        "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
                        "kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   1s\n");
    assert_int_equal(kc(&f, &out, "get endpoints kubernetes"), 0);
    /* its Endpoints went with it (the endpoints controller deletes a gone
       Service's) and came back with it */
    assert_string_equal(ks_strbuf_str(&out), "NAME         ENDPOINTS           AGE\n"
                                             "kubernetes   192.168.49.2:8443   1s\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ns_missing),
        cmocka_unit_test(test_ns_terminating),
        cmocka_unit_test(test_ns_immortal),
        cmocka_unit_test(test_ns_create),
        cmocka_unit_test(test_ns_node_lease),
        cmocka_unit_test(test_ns_ingress_nginx),
        cmocka_unit_test(test_ns_default_sa),
        cmocka_unit_test(test_ns_system_objects),
        cmocka_unit_test(test_ns_kubernetes_repaired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
