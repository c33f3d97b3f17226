/* test_dns.c -- the focus of this file: the cluster's DNS records and a pod's
 * resolver (cluster/ks_dns.c), and the endpoints controller's per-port
 * membership (cluster/ks_endpoints.c): ClusterIP names in every form the
 * search path allows, headless Services answering with their ready pods
 * (never "None"), hostname/subdomain records, pod records, ndots, and
 * named targetPorts that leave a pod out; CoreDNS's objects in kube-system
 * and the DNS that answers only while one of its pods is ready. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cluster_fixture.h"
#include "cluster/ks_dns.h"
#include "exec_fixture.h"

#define WEB(name, labels, replicas, ports)                                              \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " name "}\nspec:\n"        \
    "  replicas: " #replicas "\n  selector: {matchLabels: " labels "}\n"                \
    "  template:\n    metadata: {labels: " labels "}\n    spec:\n"                       \
    "      containers:\n        - name: web\n          image: nginx:1.27\n"             \
    "          ports: " ports "\n---\n"

static const ks_pod *pod_named(fixture *f, const char *prefix, int nth)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(f->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(f->sim, id);
        if (strncmp(p->name, prefix, strlen(prefix)) == 0 && nth-- == 0)
            return p;
    }
    return NULL;
}

static bool has_addr(const ks_dns_answer *a, const char *ip)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        if (strcmp(a->addr[i], ip) == 0)
            return true;
    return false;
}

/* dns-1: a ClusterIP Service answers with its cluster IP under svc,
 * svc.ns, svc.ns.svc and the FQDN; the bare name only from its namespace */
static void test_dns_cluster_ip_names(void **state)
{
    fixture f;
    ks_dns_answer a;
    const ks_service *s;
    const ks_pod *client;
    static const char *const names[] = {"web", "web.default", "web.default.svc",
                                        "web.default.svc.cluster.local",
                                        "web.default.svc.cluster.local.", "WEB.Default"};
    size_t i;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, WEB("web", "{app: web}", 1, "[{containerPort: 80}]")
                                       "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                                       "spec: {selector: {app: web}, ports: [{port: 80}]}\n---\n"
                                       "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n"
                                       "---\napiVersion: v1\nkind: Pod\nmetadata: {name: probe, "
                                       "namespace: other}\nspec:\n  containers: [{name: sh, "
                                       "image: busybox, command: [sleep, '3600']}]\n"),
                     0);
    run_to(&f, 30 * KS_SEC);
    s = ks_cluster_service(f.sim, ks_cluster_find(f.sim, KS_KIND_SERVICE, "default", "web"));
    assert_non_null(s);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        ks_dns_resolve(f.sim, pod_named(&f, "web-", 0), names[i], &a);
        assert_int_equal(a.rcode, KS_DNS_NOERROR);
        assert_int_equal(a.n, 1);
        assert_string_equal(a.addr[0], s->cluster_ip);
        assert_int_equal(a.svc, s->id);
    }
    client = pod_named(&f, "probe", 0);
    assert_non_null(client);
    ks_dns_resolve(f.sim, client, "web", &a);          /* other namespace: not found */
    assert_int_equal(a.rcode, KS_DNS_NXDOMAIN);
    ks_dns_resolve(f.sim, client, "web.default", &a);  /* svc.ns: found */
    assert_int_equal(a.n, 1);
    ks_dns_query(f.sim, "web.default", &a);            /* not a name in the zone */
    assert_int_equal(a.rcode, KS_DNS_NXDOMAIN);
    ks_dns_resolve(f.sim, client, "nothing.example.com", &a);
    assert_int_equal(a.rcode, KS_DNS_NXDOMAIN);
    fixture_fini(&f);
}

/* dns-2: a headless Service answers with one A record per ready pod, and
 * NXDOMAIN while it has none; its name never resolves to "None" */
static void test_dns_headless(void **state)
{
    fixture f;
    ks_dns_answer a;
    size_t k;
    const ks_service *s;
    (void)state;
    assert_int_equal(fixture_init(&f, 2, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
                                       "spec: {clusterIP: None, selector: {app: db}, "
                                       "ports: [{port: 80}]}\n"),
                     0);
    run_to(&f, KS_SEC);
    ks_dns_resolve(f.sim, NULL, "db", &a);
    assert_int_equal(a.rcode, KS_DNS_NXDOMAIN);
    assert_int_equal(fixture_apply(&f, WEB("db", "{app: db}", 3, "[{containerPort: 80}]")), 0);
    run_to(&f, 30 * KS_SEC);
    s = ks_cluster_service(f.sim, ks_cluster_find(f.sim, KS_KIND_SERVICE, "default", "db"));
    assert_int_equal(s->nready, 3);
    ks_dns_resolve(f.sim, NULL, "db.default.svc.cluster.local", &a);
    assert_int_equal(a.rcode, KS_DNS_NOERROR);
    assert_int_equal(a.n, 3);
    for (k = 0; k < 3; k++) {
        assert_true(has_addr(&a, pod_named(&f, "db-", (int)k)->ip));
        assert_string_not_equal(a.addr[k], "None");
    }
    fixture_fini(&f);
}

/* dns-3: spec.hostname + spec.subdomain naming a headless Service give
 * <hostname>.<svc>.<ns>.svc.cluster.local (what a StatefulSet sets); a
 * subdomain that names another Service does not; pod A records */
static void test_dns_hostname_subdomain(void **state)
{
    fixture f;
    ks_dns_answer a;
    const ks_pod *p, *q;
    char name[128];
    (void)state;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    assert_int_equal(
        fixture_apply(&f,
                      "apiVersion: v1\nkind: Service\nmetadata: {name: pets}\n"
                      "spec: {clusterIP: None, selector: {app: pet}, ports: [{port: 80}]}\n---\n"
                      "apiVersion: v1\nkind: Pod\nmetadata: {name: pet-0, labels: {app: pet}}\n"
                      "spec:\n  hostname: pet-0\n  subdomain: pets\n  containers: [{name: w, "
                      "image: nginx}]\n---\n"
                      "apiVersion: v1\nkind: Pod\nmetadata: {name: stray, labels: {app: pet}}\n"
                      "spec:\n  hostname: stray\n  subdomain: elsewhere\n  containers: [{name: w, "
                      "image: nginx}]\n"),
        0);
    run_to(&f, 30 * KS_SEC);
    p = pod_named(&f, "pet-0", 0);
    q = pod_named(&f, "stray", 0);
    ks_dns_resolve(f.sim, q, "pet-0.pets", &a);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.addr[0], p->ip);
    ks_dns_query(f.sim, "stray.pets.default.svc.cluster.local", &a);
    assert_int_equal(a.rcode, KS_DNS_NXDOMAIN);
    ks_dns_resolve(f.sim, q, "stray", &a);             /* its own /etc/hosts */
    assert_string_equal(a.addr[0], q->ip);
    ks_dns_query(f.sim, "pets.default.svc.cluster.local", &a);
    assert_int_equal(a.n, 2);                          /* both are endpoints */
    snprintf(name, sizeof name, "%s.default.pod.cluster.local", p->ip);
    for (char *c = name; *c && c < name + strlen(p->ip); c++)
        if (*c == '.')
            *c = '-';
    ks_dns_query(f.sim, name, &a);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.addr[0], p->ip);
    fixture_fini(&f);
}

/* dns-4: the search list of a pod and ndots:5 */
static void test_dns_search_list(void **state)
{
    char list[KS_DNS_MAX_SEARCH][KS_DNS_NAME_MAX];
    (void)state;
    assert_int_equal(ks_dns_search("shop", list, KS_DNS_MAX_SEARCH), 3);
    assert_string_equal(list[0], "shop.svc.cluster.local");
    assert_string_equal(list[1], "svc.cluster.local");
    assert_string_equal(list[2], "cluster.local");
}

/* dns-5: a container's /etc/resolv.conf (the runtime's rewrite of the
 * kubelet's ClusterFirst config: nameserver, the namespace's search path,
 * ndots:5) and the kubelet's managed /etc/hosts (the pod's IP and name, with
 * <hostname>.<subdomain>.<ns>.svc.cluster.local when it has a subdomain) */
static void test_dns_pod_files(void **state)
{
    fixture f;
    const ks_pod *p;
    const char *out;
    char want[256];
    (void)state;
    assert_int_equal(fixture_init(&f, 6, NULL), KS_OK);
    assert_int_equal(
        fixture_apply(&f, "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
                          "apiVersion: v1\nkind: Pod\nmetadata: {name: plain, namespace: shop}\n"
                          "spec:\n  containers: [{name: sh, image: busybox, command: [sleep, '3600']}]\n"
                          "---\napiVersion: v1\nkind: Pod\nmetadata: {name: pet}\nspec:\n"
                          "  hostname: pet-0\n  subdomain: pets\n"
                          "  containers: [{name: sh, image: busybox, command: [sleep, '3600']}]\n"),
        0);
    run_to(&f, 20 * KS_SEC);
    out = kubectl(&f, "exec -n shop plain -- cat /etc/resolv.conf", 0);
    assert_string_equal(out, "nameserver 10.96.0.10\n"
                             "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
                             "options ndots:5\n");
    p = pod_named(&f, "plain", 0);
    assert_non_null(p);
    out = kubectl(&f, "exec -n shop plain -- cat /etc/hosts", 0);
    assert_non_null(strstr(out, "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"));
    snprintf(want, sizeof want, "\n%s\tplain\n", p->ip);
    assert_non_null(strstr(out, want));
    p = pod_named(&f, "pet", 0);
    assert_non_null(p);
    out = kubectl(&f, "exec pet -- cat /etc/hosts", 0);
    snprintf(want, sizeof want, "\n%s\tpet-0.pets.default.svc.cluster.local\tpet-0\n", p->ip);
    assert_non_null(strstr(out, want));
    out = kubectl(&f, "exec pet -- grep -c ndots /etc/resolv.conf", 0);
    assert_string_equal(out, "1\n");
    fixture_fini(&f);
}

/* endpoints-1: targetPort by name resolves per pod; a pod without that
 * named port is no endpoint; targetPort omitted is port */
static void test_endpoints_named_target_port(void **state)
{
    fixture f;
    const ks_service *s, *t;
    (void)state;
    assert_int_equal(fixture_init(&f, 4, NULL), KS_OK);
    assert_int_equal(
        fixture_apply(&f, WEB("named", "{app: web, v: a}", 1,
                              "[{containerPort: 8080, name: http}]")
                          WEB("unnamed", "{app: web, v: b}", 1, "[{containerPort: 80}]")
                          "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                          "spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}\n"
                          "---\napiVersion: v1\nkind: Service\nmetadata: {name: plain}\n"
                          "spec: {selector: {app: web}, ports: [{port: 80}]}\n"),
        0);
    run_to(&f, 30 * KS_SEC);
    s = ks_cluster_service(f.sim, ks_cluster_find(f.sim, KS_KIND_SERVICE, "default", "web"));
    assert_int_equal(s->nready, 1);
    assert_int_equal(s->ready[0], pod_named(&f, "named-", 0)->id);
    assert_int_equal(ks_service_target_port(&s->obj->u.svc.ports[0],
                                            pod_named(&f, "named-", 0)), 8080);
    assert_int_equal(ks_service_target_port(&s->obj->u.svc.ports[0],
                                            pod_named(&f, "unnamed-", 0)), 0);
    t = ks_cluster_service(f.sim, ks_cluster_find(f.sim, KS_KIND_SERVICE, "default", "plain"));
    assert_int_equal(t->nready, 2);                    /* targetPort omitted: 80 on both */
    assert_int_equal(ks_service_target_port(&t->obj->u.svc.ports[0],
                                            pod_named(&f, "unnamed-", 0)), 80);
    fixture_fini(&f);
}

/* endpoints-1b: FindPort looks in the sidecars too (an init container with
 * restartPolicy: Always), never in a plain init container; the protocol must
 * match as well */
static void test_endpoints_sidecar_port(void **state)
{
    fixture f;
    const ks_service *s;
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init(&f, 4, NULL), KS_OK);
    assert_int_equal(
        fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: app, labels: {app: web}}\n"
                          "spec:\n  initContainers:\n"
                          "    - {name: setup, image: busybox, command: [sh, -c, 'exit 0'], "
                          "ports: [{containerPort: 9000, name: admin}]}\n"
                          "    - {name: proxy, image: nginx, restartPolicy: Always, "
                          "ports: [{containerPort: 8443, name: proxy}]}\n"
                          "  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n"
                          "---\napiVersion: v1\nkind: Service\nmetadata: {name: side}\n"
                          "spec: {selector: {app: web}, ports: [{port: 443, targetPort: proxy}]}\n"
                          "---\napiVersion: v1\nkind: Service\nmetadata: {name: admin}\n"
                          "spec: {selector: {app: web}, ports: [{port: 9000, targetPort: admin}]}\n"
                          "---\napiVersion: v1\nkind: Service\nmetadata: {name: udp}\n"
                          "spec: {selector: {app: web}, ports: [{port: 443, protocol: UDP, "
                          "targetPort: proxy}]}\n"),
        0);
    run_to(&f, 30 * KS_SEC);
    p = pod_named(&f, "app", 0);
    assert_non_null(p);
    assert_true(p->ready);
    s = ks_cluster_service(f.sim, ks_cluster_find(f.sim, KS_KIND_SERVICE, "default", "side"));
    assert_int_equal(s->nready, 1);
    assert_int_equal(ks_service_target_port(&s->obj->u.svc.ports[0], p), 8443);
    s = ks_cluster_service(f.sim, ks_cluster_find(f.sim, KS_KIND_SERVICE, "default", "admin"));
    assert_int_equal(s->nready + s->nnot_ready, 0);
    assert_int_equal(ks_service_target_port(&s->obj->u.svc.ports[0], p), 0);
    s = ks_cluster_service(f.sim, ks_cluster_find(f.sim, KS_KIND_SERVICE, "default", "udp"));
    assert_int_equal(s->nready + s->nnot_ready, 0);
    fixture_fini(&f);
}

/* endpoints-2: with two ports, a pod is an endpoint of the port it has
 * only (ks_service_serves), and publishNotReadyAddresses counts unready pods */
static void test_endpoints_per_port(void **state)
{
    fixture f;
    const ks_service *s;
    size_t k, both = 0, http_only = 0;
    (void)state;
    assert_int_equal(fixture_init(&f, 5, NULL), KS_OK);
    assert_int_equal(
        fixture_apply(&f, WEB("full", "{app: web, v: a}", 1,
                              "[{containerPort: 80, name: http}, {containerPort: 9090, name: metrics}]")
                          WEB("lean", "{app: web, v: b}", 1, "[{containerPort: 80, name: http}]")
                          "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                          "spec:\n  selector: {app: web}\n  ports:\n"
                          "    - {name: http, port: 80, targetPort: http}\n"
                          "    - {name: metrics, port: 9090, targetPort: metrics}\n"),
        0);
    run_to(&f, 30 * KS_SEC);
    s = ks_cluster_service(f.sim, ks_cluster_find(f.sim, KS_KIND_SERVICE, "default", "web"));
    assert_int_equal(s->nready, 2);
    for (k = 0; k < s->nready; k++) {
        assert_true(ks_service_serves(s, k, 0));
        if (ks_service_serves(s, k, 1))
            both++;
        else
            http_only++;
    }
    assert_int_equal(both, 1);
    assert_int_equal(http_only, 1);
    fixture_fini(&f);
}

#define BOX                                                                            \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: box}\nspec:\n  containers: [{name: sh, " \
    "image: 'busybox:1.36', command: [sleep, '3600']}]\n"

/* coredns-1: kube-system holds kubeadm's CoreDNS objects as minikube leaves
 * them (sim/world/ks_world.c): one coredns pod ready, the kube-dns Service
 * at 10.96.0.10 with 53 on both protocols and 9153, the Corefile with
 * minikube's hosts block, the ServiceAccount; the DNS server answers */
static void test_coredns_objects(void **state)
{
    fixture f;
    const char *out, *corefile;
    const ks_object *cm;
    (void)state;
    assert_int_equal(fixture_init(&f, 7, NULL), KS_OK);
    run_to(&f, 5 * KS_SEC);
    assert_true(ks_dns_server_up(f.sim));
    out = kubectl(&f, "get deploy,svc,cm,sa -n kube-system", 0);
    assert_non_null(strstr(out, "deployment.apps/coredns   1/1     1            1"));
    assert_non_null(strstr(out, "service/kube-dns   ClusterIP   10.96.0.10   <none>        "
                                "53/UDP,53/TCP,9153/TCP"));
    assert_non_null(strstr(out, "configmap/coredns"));
    assert_non_null(strstr(out, "serviceaccount/coredns"));
    out = kubectl(&f, "get pods -n kube-system -l k8s-app=kube-dns", 0);
    assert_non_null(strstr(out, "1/1     Running"));
    cm = ks_cluster_object(f.sim, ks_cluster_find(f.sim, KS_KIND_CONFIGMAP, "kube-system",
                                                   "coredns"));
    assert_non_null(cm);
    corefile = ks_kvs_get(&cm->u.cm.data, "Corefile");
    assert_non_null(corefile);
    assert_non_null(strstr(corefile, "192.168.49.1 host.minikube.internal"));
    assert_non_null(strstr(corefile, "kubernetes cluster.local in-addr.arpa ip6.arpa"));
    fixture_fini(&f);
}

/* coredns-2: while kube-dns has no ready endpoint every lookup times out:
 * the resolver's answer, busybox nslookup's words and status, wget's "bad
 * address"; an address or the pod's own name needs no server. Scaled back,
 * names answer again */
static void test_dns_needs_coredns(void **state)
{
    fixture f;
    ks_dns_answer a;
    const ks_pod *box;
    (void)state;
    assert_int_equal(fixture_init(&f, 7, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, BOX), 0);
    run_to(&f, 5 * KS_SEC);
    box = pod_named(&f, "box", 0);
    ks_dns_resolve(f.sim, box, "kubernetes.default", &a);
    assert_int_equal(a.rcode, KS_DNS_NOERROR);
    kubectl(&f, "scale deploy coredns -n kube-system --replicas=0", 0);
    run_to(&f, 10 * KS_SEC);
    assert_false(ks_dns_server_up(f.sim));
    ks_dns_resolve(f.sim, box, "kubernetes.default", &a);
    assert_int_equal(a.rcode, KS_DNS_TIMEOUT);
    assert_int_equal(a.n, 0);
    ks_dns_resolve(f.sim, box, "box", &a);              /* its /etc/hosts */
    assert_int_equal(a.rcode, KS_DNS_NOERROR);
    assert_false(ks_dns_asks_server(box, "box"));
    assert_false(ks_dns_asks_server(box, "10.96.0.1"));
    assert_true(ks_dns_asks_server(box, "kubernetes.default"));
    assert_string_equal(kubectl(&f, "exec box -- nslookup kubernetes.default.svc.cluster.local",
                                1),
                        ";; connection timed out; no servers could be reached\n\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(&f, "exec box -- wget -q -O- http://kubernetes.default", 1),
                        "wget: bad address 'kubernetes.default'\n"
                        "command terminated with exit code 1\n");
    kubectl(&f, "scale deploy coredns -n kube-system --replicas=1", 0);
    run_to(&f, 20 * KS_SEC);
    ks_dns_resolve(f.sim, box, "kubernetes.default", &a);
    assert_int_equal(a.rcode, KS_DNS_NOERROR);
    assert_string_equal(a.addr[0], "10.96.0.1");
    fixture_fini(&f);
}

/* coredns-3: a deleted coredns pod is replaced by its ReplicaSet (a new
 * name); DNS is down from the deletion until the new pod is ready */
static void test_coredns_pod_recreated(void **state)
{
    fixture f;
    ks_dns_answer a;
    const ks_pod *p;
    char old[64];
    (void)state;
    assert_int_equal(fixture_init(&f, 7, NULL), KS_OK);
    run_to(&f, 5 * KS_SEC);
    p = pod_named(&f, "coredns-", 0);
    assert_non_null(p);
    snprintf(old, sizeof old, "%s", p->name);
    kubectl(&f, "delete pod -n kube-system -l k8s-app=kube-dns", 0);
    run_to(&f, 5 * KS_SEC + KS_MSEC);
    ks_dns_resolve(f.sim, NULL, "kubernetes.default", &a);
    assert_int_equal(a.rcode, KS_DNS_TIMEOUT);
    run_to(&f, 40 * KS_SEC);
    assert_int_equal(count_pods(&f, "coredns-", "Running"), 1);
    p = pod_named(&f, "coredns-", 0);
    assert_string_not_equal(p->name, old);
    assert_true(p->ready);
    ks_dns_resolve(f.sim, NULL, "kubernetes.default", &a);
    assert_int_equal(a.rcode, KS_DNS_NOERROR);
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dns_cluster_ip_names),
        cmocka_unit_test(test_dns_headless),
        cmocka_unit_test(test_dns_hostname_subdomain),
        cmocka_unit_test(test_dns_search_list),
        cmocka_unit_test(test_dns_pod_files),
        cmocka_unit_test(test_endpoints_named_target_port),
        cmocka_unit_test(test_endpoints_sidecar_port),
        cmocka_unit_test(test_endpoints_per_port),
        cmocka_unit_test(test_coredns_objects),
        cmocka_unit_test(test_dns_needs_coredns),
        cmocka_unit_test(test_coredns_pod_recreated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
