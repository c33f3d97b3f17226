/* test_netpol.c -- the focus of this file: NetworkPolicy. The loader's
 * defaults and refusals; which connections a policy engine lets through
 * (isolation per direction, additive policies, podSelector /
 * namespaceSelector / both / ipBlock with except, ports by number, name and
 * range, both ends of a connection); that nothing is enforced without an
 * enforcing plugin; and kubectl's get and describe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cluster_fixture.h"
#include "kubectl/ks_kubectl.h"
#include "net/ks_netpol.h"
#include "core/ks_trace.h"
#include "net/ks_traffic.h"

static void world(fixture *f, bool enforce)
{
    ks_world_config cc = {0};
    cc.network_policy = enforce;
    assert_int_equal(fixture_init_world(f, cc, NULL), KS_OK);
}

#define POD(name, ns, labels)                                                            \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: " name ", namespace: " ns ", labels: "  \
    labels "}\nspec:\n  containers: [{name: c, image: nginx, ports: [{name: web, "        \
    "containerPort: 80}]}]\n---\n"

#define PODS                                                                             \
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n---\n" \
    POD("db", "default", "{app: db}") POD("api", "default", "{app: api}")                \
    POD("other", "default", "{app: other}") POD("front", "shop", "{app: front}")

static const ks_pod *pod(fixture *f, const char *ns, const char *name)
{
    return ks_cluster_pod(f->sim, ks_cluster_find(f->sim, KS_KIND_POD, ns, name));
}

static bool can(fixture *f, const char *from_ns, const char *from, const char *to, int port)
{
    ks_netpol_end a = ks_netpol_pod(pod(f, from_ns, from));
    ks_netpol_end b = ks_netpol_pod(pod(f, "default", to));
    return ks_netpol_allows(f->sim, &a, &b, port, "TCP");
}

static void setup(fixture *f, bool enforce, const char *policies)
{
    world(f, enforce);
    assert_int_equal(fixture_apply(f, PODS), 0);
    if (policies)
        assert_int_equal(fixture_apply(f, policies), 0);
    run_to(f, 20 * KS_SEC);
}

#define NP_HEAD(name)                                                                    \
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " name "}\n"

/* netpol-1: no policy: everything flows; default deny isolates ingress of
 * every pod of its namespace, but not egress, nor other namespaces */
static void test_netpol_default_deny(void **state)
{
    fixture f;
    (void)state;
    setup(&f, true, NULL);
    assert_true(can(&f, "default", "api", "db", 5432));
    fixture_fini(&f);
    setup(&f, true, NP_HEAD("deny") "spec: {podSelector: {}, policyTypes: [Ingress]}\n");
    assert_false(can(&f, "default", "api", "db", 5432));
    assert_false(can(&f, "shop", "front", "api", 80));
    assert_true(ks_netpol_isolated(f.sim, pod(&f, "default", "db"), false));
    assert_false(ks_netpol_isolated(f.sim, pod(&f, "default", "db"), true));
    assert_false(ks_netpol_isolated(f.sim, pod(&f, "shop", "front"), false));
    fixture_fini(&f);
}

/* netpol-2: a podSelector peer means pods of the policy's namespace;
 * ports by number; policies add up */
static void test_netpol_pod_selector_and_ports(void **state)
{
    fixture f;
    (void)state;
    setup(&f, true, NP_HEAD("db") "spec:\n  podSelector: {matchLabels: {app: db}}\n"
          "  ingress:\n  - from: [{podSelector: {matchLabels: {app: api}}}]\n"
          "    ports: [{port: 5432}]\n");
    assert_true(can(&f, "default", "api", "db", 5432));
    assert_false(can(&f, "default", "api", "db", 22));          /* other port */
    assert_false(can(&f, "default", "other", "db", 5432));      /* other pod */
    assert_false(can(&f, "shop", "front", "db", 5432));         /* other namespace */
    assert_true(can(&f, "default", "other", "api", 80));        /* api not selected */
    /* a second policy opens more */
    assert_int_equal(fixture_apply(&f, NP_HEAD("db2") "spec:\n  podSelector: "
                                   "{matchLabels: {app: db}}\n  ingress:\n  - from: "
                                   "[{podSelector: {matchLabels: {app: other}}}]\n"), 0);
    assert_true(can(&f, "default", "other", "db", 22));
    fixture_fini(&f);
}

/* netpol-3: namespaceSelector alone, and with a podSelector (both must
 * match); kubernetes.io/metadata.name is every namespace's label */
static void test_netpol_namespace_selector(void **state)
{
    fixture f;
    (void)state;
    setup(&f, true, NP_HEAD("from-shop") "spec:\n  podSelector: {}\n  ingress:\n"
          "  - from: [{namespaceSelector: {matchLabels: {team: shop}}}]\n");
    assert_true(can(&f, "shop", "front", "db", 5432));
    assert_false(can(&f, "default", "api", "db", 5432));
    fixture_fini(&f);
    setup(&f, true, NP_HEAD("from-shop-front") "spec:\n  podSelector: {}\n  ingress:\n"
          "  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}},\n"
          "            podSelector: {matchLabels: {app: api}}}]\n");
    assert_false(can(&f, "shop", "front", "db", 5432));        /* pod label differs */
    assert_false(can(&f, "default", "api", "db", 5432));       /* namespace differs */
    fixture_fini(&f);
}

/* netpol-4: ipBlock with except, matched on pod IPs; named ports and
 * ranges; egress isolates the client's side */
static void test_netpol_ipblock_ports_egress(void **state)
{
    fixture f;
    ks_netpol_end out, db;
    (void)state;
    setup(&f, true, NP_HEAD("ip") "spec:\n  podSelector: {matchLabels: {app: db}}\n"
          "  ingress:\n  - from: [{ipBlock: {cidr: 10.244.0.0/16, except: [10.244.0.248/29]}}]\n"
          "    ports: [{port: web}, {port: 8000, endPort: 8100}]\n");
    assert_true(can(&f, "default", "api", "db", 80));           /* web = 80 */
    assert_true(can(&f, "default", "api", "db", 8080));
    assert_false(can(&f, "default", "api", "db", 8101));
    db = ks_netpol_pod(pod(&f, "default", "db"));
    out = (ks_netpol_end){NULL, NULL, "192.168.49.2", NULL};    /* a node */
    assert_false(ks_netpol_allows(f.sim, &out, &db, 80, "TCP"));
    out.ip = "10.244.0.250";                                     /* in except */
    assert_false(ks_netpol_allows(f.sim, &out, &db, 80, "TCP"));
    out.ip = "10.244.0.9";
    assert_true(ks_netpol_allows(f.sim, &out, &db, 80, "TCP"));
    assert_false(ks_netpol_allows(f.sim, &out, &db, 80, "UDP"));
    fixture_fini(&f);
    setup(&f, true, NP_HEAD("api-out") "spec:\n  podSelector: {matchLabels: {app: api}}\n"
          "  egress:\n  - to: [{podSelector: {matchLabels: {app: db}}}]\n");
    assert_true(can(&f, "default", "api", "db", 5432));
    assert_false(can(&f, "default", "api", "other", 80));       /* egress only to db */
    /* no policyTypes: Ingress is implied, with no ingress rule -- so api is
       isolated for ingress too (SetDefaults_NetworkPolicy), a classic gotcha */
    assert_false(can(&f, "default", "other", "api", 80));
    fixture_fini(&f);
}

/* netpol-5: without an enforcing plugin (minikube's default) policies are
 * accepted, listed, described -- and change nothing */
static void test_netpol_not_enforced(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    setup(&f, false, NP_HEAD("deny") "spec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n");
    assert_false(ks_netpol_enforced(f.sim));
    assert_true(can(&f, "default", "api", "db", 5432));
    assert_false(ks_netpol_isolated(f.sim, pod(&f, "default", "db"), false));
    ks_strbuf_init(&out, NULL);
    ks_kubectl_run(f.sim, "get netpol", NULL, &out);
    assert_string_equal(ks_strbuf_str(&out), "NAME   POD-SELECTOR   AGE\n"
                                             "deny   <none>         20s\n");
    ks_strbuf_clear(&out);
    ks_kubectl_run(f.sim, "describe networkpolicy deny", NULL, &out);
    assert_non_null(strstr(ks_strbuf_str(&out),
                           "  PodSelector:     <none> (Allowing the specific traffic to all pods "
                           "in this namespace)\n  Allowing ingress traffic:\n    <none> (Selected "
                           "pods are isolated for ingress connectivity)\n  Allowing egress "
                           "traffic:\n    <none> (Selected pods are isolated for egress "
                           "connectivity)\n  Policy Types: Ingress, Egress\n"));
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* netpol-6: the API server's defaults and refusals */
static void test_netpol_manifest(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_manifests m;
    ks_diags d;
    const char *egress = NP_HEAD("e") "spec:\n  podSelector: {}\n  egress: [{}]\n";
    const char *bad = NP_HEAD("b") "spec:\n  podSelector: {}\n  ingress:\n  - from: [{}]\n";
    const char *both = NP_HEAD("b") "spec:\n  podSelector: {}\n  ingress:\n"
                       "  - from: [{podSelector: {}, ipBlock: {cidr: 10.0.0.0/8}}]\n";
    (void)state;
    memset(&m, 0, sizeof m);
    ks_diags_init(&d);
    assert_int_equal(ks_manifest_load_text(ar, "e.yaml", egress, strlen(egress), 1, 1, NULL, &m,
                                           &d), KS_OK);
    assert_true(m.objs[0]->u.netpol.ingress);                  /* always */
    assert_true(m.objs[0]->u.netpol.egress);                   /* egress rules given */
    assert_int_equal(m.objs[0]->u.netpol.nout, 1);
    ks_diags_init(&d);
    assert_int_equal(ks_manifest_load_text(ar, "b.yaml", bad, strlen(bad), 1, 1, NULL, &m, &d),
                     KS_EINVAL);
    assert_non_null(strstr(d.items[0].err.msg, "must specify a peer"));
    ks_diags_init(&d);
    assert_int_equal(ks_manifest_load_text(ar, "c.yaml", both, strlen(both), 1, 1, NULL, &m,
                                           &d), KS_EINVAL);
    assert_non_null(strstr(d.items[0].err.msg, "may not specify both ipBlock"));
    ks_arena_destroy(ar);
}

/* netpol-7: a dropped connection in the trace: its hop goes to the pod's
 * policy ("policy:pod/db", where the window stops its dot), and its
 * time-out comes back from there after the connect timeout, with no status
 * (a caller inside the cluster); allowed, the hop goes to the pod */
typedef struct hops {
    int to_policy, from_policy, to_pod;
    int64_t status, latency;
} hops;

static void on_hop(void *ud, const ks_trace_event *ev)
{
    hops *h = ud;
    if (ev->type != KS_TR_HOP)
        return;
    if (strcmp(ev->reason, "policy:pod/db") == 0)
        h->to_policy++;
    if (strcmp(ev->reason, "pod/db") == 0)
        h->to_pod++;
    if (strcmp(ev->name, "policy:pod/db") == 0 && strcmp(ev->reason, "client") == 0) {
        h->from_policy++;
        h->status = ev->n[1];
        h->latency = ev->n[2];
    }
}

static void send_to_db(fixture *f, hops *h)
{
    ks_scn_traffic t;
    memset(&t, 0, sizeof t);
    t.to.kind = KS_SCN_TO_SERVICE;
    t.to.name = "db";
    t.method = "GET";
    t.path = "/";
    t.rate_milli = 1000;
    t.rate_period = KS_SEC;
    t.duration = 3 * KS_SEC;
    t.constant = true;
    memset(h, 0, sizeof *h);
    ks_trace_subscribe(f->sim, on_hop, h);
    ks_traffic_start(f->sim, &t);
    run_to(f, ks_now(f->sim) + 20 * KS_SEC);
}

#define DB_SVC                                                                           \
    "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {selector: {app: db}, " \
    "ports: [{port: 80}]}\n---\n"

static void test_netpol_dropped_in_trace(void **state)
{
    fixture f;
    hops h;
    (void)state;
    setup(&f, true, DB_SVC NP_HEAD("deny") "spec: {podSelector: {}, policyTypes: [Ingress]}\n");
    send_to_db(&f, &h);
    assert_int_equal(h.to_policy, 3);
    assert_int_equal(h.to_pod, 0);
    assert_int_equal(h.from_policy, 3);
    assert_int_equal(h.status, 0);
    assert_true(h.latency >= KS_SEC);            /* the connect's time-out */
    fixture_fini(&f);
    /* the load generator (run=load-generator) allowed in */
    setup(&f, true, DB_SVC NP_HEAD("deny") "spec: {podSelector: {}, policyTypes: [Ingress]}\n"
                    "---\n" NP_HEAD("allow") "spec:\n  podSelector: {matchLabels: {app: db}}\n"
                    "  ingress: [{from: [{podSelector: {matchLabels: {run: load-generator}}}]}]\n");
    send_to_db(&f, &h);
    assert_int_equal(h.to_policy, 0);
    assert_int_equal(h.from_policy, 0);
    assert_int_equal(h.to_pod, 3);
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_netpol_default_deny),
        cmocka_unit_test(test_netpol_pod_selector_and_ports),
        cmocka_unit_test(test_netpol_namespace_selector),
        cmocka_unit_test(test_netpol_ipblock_ports_egress),
        cmocka_unit_test(test_netpol_not_enforced),
        cmocka_unit_test(test_netpol_manifest),
        cmocka_unit_test(test_netpol_dropped_in_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
