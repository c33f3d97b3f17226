/* test_traffic.c -- the focus of this file: requests flow Ingress -> Service
 * -> Pod and back with the statuses a real cluster gives, through the
 * course's fibonacci app: routing with rewrite, 503 without endpoints, 404
 * without a class, env-var miswiring symptoms, sticky sessions, NodePort and
 * LoadBalancer entry points, exact and Poisson arrival counts, DNS answers
 * that follow Services as they come and go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cluster_fixture.h"
#include "core/ks_trace.h"
#include "net/ks_traffic.h"
#include "world/ks_world.h"

#define DEPLOY(name, label, image, replicas, env)                                     \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " name "}\nspec:\n"      \
    "  replicas: " #replicas "\n  selector: {matchLabels: {component: " label "}}\n"  \
    "  template:\n    metadata: {labels: {component: " label "}}\n    spec:\n"       \
    "      containers:\n        - name: c\n          image: " image "\n" env "---\n"
#define SVC(name, label, port)                                                        \
    "apiVersion: v1\nkind: Service\nmetadata: {name: " name "}\nspec:\n"              \
    "  selector: {component: " label "}\n  ports: [{port: " #port "}]\n---\n"

#define SERVER_ENV(pghost)                                                              \
    "          env:\n"                                                                  \
    "            - {name: REDIS_HOST, value: redis-cluster-ip-service}\n"               \
    "            - {name: REDIS_PORT, value: '6379'}\n"                                 \
    "            - {name: PGUSER, value: postgres}\n"                                   \
    "            - {name: PGHOST, value: " pghost "}\n"                                 \
    "            - {name: PGPORT, value: '5432'}\n"                                     \
    "            - {name: PGDATABASE, value: postgres}\n"                               \
    "            - {name: PGPASSWORD, value: '12345asdf'}\n"

#define COURSE_APP(pghost)                                                              \
    DEPLOY("client-deployment", "web", "stephengrider/multi-client", 3, "")             \
    SVC("client-cluster-ip-service", "web", 3000)                                       \
    DEPLOY("server-deployment", "server", "stephengrider/multi-server", 3,              \
           SERVER_ENV(pghost))                                                          \
    SVC("server-cluster-ip-service", "server", 5000)                                    \
    DEPLOY("worker-deployment", "worker", "stephengrider/multi-worker", 1,              \
           "          env: [{name: REDIS_HOST, value: redis-cluster-ip-service},"       \
           " {name: REDIS_PORT, value: '6379'}]\n")                                     \
    DEPLOY("redis-deployment", "redis", "redis", 1, "")                                 \
    SVC("redis-cluster-ip-service", "redis", 6379)                                      \
    DEPLOY("postgres-deployment", "postgres", "postgres:12", 1,                         \
           "          env: [{name: POSTGRES_PASSWORD, value: '12345asdf'}]\n")          \
    SVC("postgres-cluster-ip-service", "postgres", 5432)

#define COURSE_INGRESS(cls)                                                             \
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"                      \
    "  name: ingress-service\n  annotations:\n"                                         \
    "    nginx.ingress.kubernetes.io/use-regex: 'true'\n"                               \
    "    nginx.ingress.kubernetes.io/rewrite-target: /$1\nspec:\n" cls                   \
    "  rules:\n    - http:\n        paths:\n"                                          \
    "          - path: /?(.*)\n            pathType: ImplementationSpecific\n"          \
    "            backend: {service: {name: client-cluster-ip-service, port: {number: 3000}}}\n" \
    "          - path: /api/?(.*)\n            pathType: ImplementationSpecific\n"      \
    "            backend: {service: {name: server-cluster-ip-service, port: {number: 5000}}}\n"

static ks_scn_traffic gen(ks_scn_target_kind to, const char *method, const char *path,
                          int per_second, ks_time duration, bool constant)
{
    ks_scn_traffic t;
    memset(&t, 0, sizeof t);
    t.to.kind = to;
    t.method = method;
    t.path = path;
    t.rate_milli = per_second * 1000;
    t.rate_period = KS_SEC;
    t.duration = duration;
    t.constant = constant;
    return t;
}

static ks_req_stats stats(fixture *f, const char *path, int lo, int hi)
{
    ks_req_stats s;
    ks_traffic_stats(f->sim, path, NULL, lo, hi, &s);
    return s;
}

/* traffic-1: the course app end to end: POST stores in postgres, the
 * worker computes, the client and the api answer; constant arrivals are
 * counted exactly */
static void test_traffic_course_app_end_to_end(void **state)
{
    fixture f;
    ks_scn_traffic post = gen(KS_SCN_TO_INGRESS, "POST", "/api/values", 5, 10 * KS_SEC, true);
    ks_scn_traffic all = gen(KS_SCN_TO_INGRESS, "GET", "/api/values/all", 2, 10 * KS_SEC, true);
    ks_scn_traffic home = gen(KS_SCN_TO_INGRESS, "GET", "/", 2, 10 * KS_SEC, true);
    ks_req_stats s;
    (void)state;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, COURSE_APP("postgres-cluster-ip-service")
                                       COURSE_INGRESS("  ingressClassName: nginx\n")), 0);
    run_to(&f, 20 * KS_SEC);                   /* everything pulled and started */
    assert_int_equal(ks_traffic_start(f.sim, &post), KS_OK);
    assert_int_equal(ks_traffic_start(f.sim, &all), KS_OK);
    assert_int_equal(ks_traffic_start(f.sim, &home), KS_OK);
    run_to(&f, 40 * KS_SEC);
    s = stats(&f, "/api/values", 0, 0);
    assert_int_equal(s.count, 50);             /* 5/s for 10 s, exactly */
    assert_int_equal(s.ok, 50);
    assert_true(s.p50 > 0 && s.p50 <= s.p99);
    assert_int_equal(stats(&f, "/api/values/all", 0, 0).ok, 20);
    assert_int_equal(stats(&f, "/", 0, 0).ok, 20);
    assert_int_equal(ks_node_pod_records(f.sim, first_pod(&f, "postgres-")->id), 50);
    /* each value went to redis, and the worker wrote its result back */
    assert_int_equal(ks_node_pod_records(f.sim, first_pod(&f, "redis-")->id), 100);
    fixture_fini(&f);
}

/* traffic-2: a Service whose selector matches nothing: 503 at the ingress */
static void test_traffic_no_endpoints_503(void **state)
{
    fixture f;
    ks_scn_traffic t = gen(KS_SCN_TO_INGRESS, "GET", "/", 4, 5 * KS_SEC, true);
    (void)state;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    fixture_apply(&f, DEPLOY("client-deployment", "web", "nginx", 2, "")
                      SVC("client-cluster-ip-service", "wbe", 3000)
                      COURSE_INGRESS("  ingressClassName: nginx\n"));
    run_to(&f, 10 * KS_SEC);
    ks_traffic_start(f.sim, &t);
    run_to(&f, 20 * KS_SEC);
    assert_int_equal(stats(&f, "/", 503, 503).count, 20);
    assert_int_equal(stats(&f, "/", 0, 0).ok, 0);
    fixture_fini(&f);
}

/* traffic-3: an Ingress without a class is ignored by ingress-nginx: 404 */
static void test_traffic_no_class_404(void **state)
{
    fixture f;
    ks_scn_traffic t = gen(KS_SCN_TO_INGRESS, "GET", "/api/values/all", 2, 5 * KS_SEC, true);
    (void)state;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    fixture_apply(&f, COURSE_APP("postgres-cluster-ip-service") COURSE_INGRESS(""));
    run_to(&f, 20 * KS_SEC);
    ks_traffic_start(f.sim, &t);
    run_to(&f, 30 * KS_SEC);
    assert_int_equal(stats(&f, NULL, 404, 404).count, 10);
    fixture_fini(&f);
}

/* traffic-4: a typo in PGHOST: 500s, and the app's real error in its log */
static void test_traffic_env_miswiring(void **state)
{
    fixture f;
    ks_scn_traffic t = gen(KS_SCN_TO_INGRESS, "POST", "/api/values", 2, 5 * KS_SEC, true);
    const ks_pod *server;
    const ks_log *log;
    (void)state;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    fixture_apply(&f, COURSE_APP("postgres-cluster-ip-servce")
                      COURSE_INGRESS("  ingressClassName: nginx\n"));
    run_to(&f, 20 * KS_SEC);
    ks_traffic_start(f.sim, &t);
    run_to(&f, 30 * KS_SEC);
    assert_int_equal(stats(&f, "/api/values", 500, 500).count, 10);
    server = first_pod(&f, "server-");
    log = server->containers[0].log;
    assert_non_null(log);
    assert_string_equal(log->line[(log->first + log->count - 1) % KS_LOG_LINES],
                        "Error: getaddrinfo ENOTFOUND postgres-cluster-ip-servce");
    fixture_fini(&f);
}

/* traffic-8: the api asks DNS for its database on every request; the
 * answer follows the Service: no such name (500, ENOTFOUND), then the
 * Service is created (200), then deleted again (500). A resolver that kept
 * an answer past a change of the records fails here. */
static void test_traffic_dns_follows_services(void **state)
{
    fixture f;
    ks_scn_traffic t = gen(KS_SCN_TO_INGRESS, "POST", "/api/values", 2, 30 * KS_SEC, true);
    ks_id pg;
    (void)state;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    fixture_apply(&f, COURSE_APP("postgres-db") COURSE_INGRESS("  ingressClassName: nginx\n"));
    run_to(&f, 20 * KS_SEC);
    ks_traffic_start(f.sim, &t);
    run_to(&f, 30 * KS_SEC);
    assert_int_equal(stats(&f, "/api/values", 500, 500).count, 20);
    assert_int_equal(fixture_apply(&f, SVC("postgres-db", "postgres", 5432)), 0);
    run_to(&f, 40 * KS_SEC);
    assert_int_equal(stats(&f, "/api/values", 200, 299).count, 20);
    pg = ks_cluster_find(f.sim, KS_KIND_SERVICE, NULL, "postgres-db");
    assert_true(pg != 0);
    assert_int_equal(ks_cluster_delete(f.sim, pg, 0, false), KS_OK);
    run_to(&f, 50 * KS_SEC);
    assert_int_equal(stats(&f, "/api/values", 500, 500).count, 40);
    assert_int_equal(stats(&f, "/api/values", 200, 299).count, 20);
    fixture_fini(&f);
}

/* traffic-5: Poisson arrivals: the count is near rate x time (fixed seed) */
static void test_traffic_poisson_count(void **state)
{
    fixture f;
    ks_scn_traffic t = gen(KS_SCN_TO_SERVICE, "GET", "/", 100, 100 * KS_SEC, false);
    uint64_t n;
    (void)state;
    assert_int_equal(fixture_init(&f, 11, NULL), KS_OK);
    fixture_apply(&f, DEPLOY("web", "web", "nginx", 2, "") SVC("web", "web", 80));
    run_to(&f, 10 * KS_SEC);
    t.to.name = "web";
    ks_traffic_start(f.sim, &t);
    run_to(&f, 120 * KS_SEC);
    n = stats(&f, "/", 0, 0).count;
    /* 10,000 expected; 5 standard deviations is 500 */
    assert_in_range(n, 9500, 10500);
    assert_int_equal(stats(&f, "/", 0, 0).ok, n);
    fixture_fini(&f);
}

/* traffic-6: cookie affinity keeps each client on one pod */
typedef struct sticky_watch {
    char first_pod[8][64];
    int violations, seen;
    fixture *f;
} sticky_watch;

/* Requests of the only generator are numbered 1, 2, ...; request k comes
 * from client (k - 1) % 2. */
static void on_hop(void *ud, const ks_trace_event *ev)
{
    sticky_watch *w = ud;
    int client;
    if (ev->type != KS_TR_HOP || strcmp(ev->name, "ingress") != 0)
        return;
    client = (int)((ev->n[0] - 1) % 2);
    if (!w->first_pod[client][0])
        snprintf(w->first_pod[client], sizeof w->first_pod[client], "%s", ev->reason);
    else if (strcmp(w->first_pod[client], ev->reason) != 0)
        w->violations++;
    w->seen++;
}

static void test_traffic_sticky_sessions(void **state)
{
    fixture f;
    ks_scn_traffic t = gen(KS_SCN_TO_INGRESS, "GET", "/", 8, 10 * KS_SEC, true);
    sticky_watch w = {0};
    (void)state;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    fixture_apply(&f, DEPLOY("web", "web", "nginx", 3, "") SVC("web", "web", 80)
                  "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n"
                  "  annotations: {nginx.ingress.kubernetes.io/affinity: cookie}\nspec:\n"
                  "  ingressClassName: nginx\n  rules:\n    - http:\n        paths:\n"
                  "          - {path: /, pathType: Prefix, backend: {service: {name: web, "
                  "port: {number: 80}}}}\n");
    run_to(&f, 10 * KS_SEC);
    t.clients = 2;
    w.f = &f;
    ks_trace_subscribe(f.sim, on_hop, &w);
    ks_traffic_start(f.sim, &t);
    run_to(&f, 25 * KS_SEC);
    assert_int_equal(stats(&f, "/", 0, 0).ok, 80);
    assert_int_equal(w.seen, 80);
    assert_int_equal(w.violations, 0);
    assert_string_not_equal(w.first_pod[0], w.first_pod[1]);   /* balanced */
    fixture_fini(&f);
}

/* traffic-7: NodePort reaches pods; a LoadBalancer answers once its
 * address is assigned (EXTERNAL-IP <pending> before) */
static void test_traffic_nodeport_and_loadbalancer(void **state)
{
    fixture f;
    ks_scn_traffic np = gen(KS_SCN_TO_NODEPORT, "GET", "/", 2, 5 * KS_SEC, true);
    ks_scn_traffic lb = gen(KS_SCN_TO_LOADBALANCER, "GET", "/index.html", 1, 20 * KS_SEC, true);
    (void)state;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    fixture_apply(&f, DEPLOY("web", "web", "nginx", 2, "")
                  "apiVersion: v1\nkind: Service\nmetadata: {name: web-np}\nspec:\n"
                  "  type: NodePort\n  selector: {component: web}\n"
                  "  ports: [{port: 80, nodePort: 31515}]\n---\n"
                  "apiVersion: v1\nkind: Service\nmetadata: {name: web-lb}\nspec:\n"
                  "  type: LoadBalancer\n  selector: {component: web}\n  ports: [{port: 80}]\n");
    np.to.port = 31515;
    lb.to.name = "web-lb";
    ks_traffic_start(f.sim, &lb);              /* from 0 s: pending for 8 s */
    run_to(&f, 10 * KS_SEC);
    ks_traffic_start(f.sim, &np);
    run_to(&f, 30 * KS_SEC);
    assert_int_equal(stats(&f, "/", 0, 0).ok, 10);
    assert_true(stats(&f, "/index.html", 0, 0).status[0] >= 7); /* no answer while pending */
    assert_true(stats(&f, "/index.html", 0, 0).ok >= 11);
    fixture_fini(&f);
}

/* Hops of requests, by id (test_traffic_wget_ids). */
typedef struct hop_ids {
    uint64_t ids[64];
    size_t n, zero, wget;
} hop_ids;

static void on_hop_id(void *ud, const ks_trace_event *ev)
{
    hop_ids *h = ud;
    size_t i;
    if (ev->type != KS_TR_HOP)
        return;
    if (ev->n[0] == 0)
        h->zero++;
    if (strncmp(ev->name, "pod/box", 7) == 0)
        h->wget++;
    for (i = 0; i < h->n && h->ids[i] != (uint64_t)ev->n[0]; i++) {
    }
    if (i == h->n && h->n < 64)
        h->ids[h->n++] = (uint64_t)ev->n[0];
}

/* A program's own request (wget in a pod) has a request id of its own, as
 * a generator's requests have, so the window draws each as its own dot;
 * the two share one sequence. */
static void test_traffic_wget_ids(void **state)
{
    fixture f;
    hop_ids h;
    ks_scn_traffic g = gen(KS_SCN_TO_SERVICE, "GET", "/", 1, 3 * KS_SEC, true);
    (void)state;
    memset(&h, 0, sizeof h);
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, DEPLOY("web", "web", "nginx", 1, "") SVC("web", "web", 80)
                  "apiVersion: v1\nkind: Pod\nmetadata: {name: box}\nspec:\n"
                  "  containers: [{name: b, image: busybox, command: [sh, -c, "
                  "'while sleep 1; do wget -q -O- http://web; done']}]\n");
    g.to.name = "web";
    run_to(&f, 5 * KS_SEC);
    ks_trace_subscribe(f.sim, on_hop_id, &h);
    ks_traffic_start(f.sim, &g);
    run_to(&f, 12 * KS_SEC);
    assert_true(h.wget >= 2);                  /* its requests went out meanwhile */
    assert_int_equal(h.zero, 0);
    assert_true(h.n >= 3 + 3);                 /* the generator's 3, wget's own */
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traffic_course_app_end_to_end),
        cmocka_unit_test(test_traffic_no_endpoints_503),
        cmocka_unit_test(test_traffic_no_class_404),
        cmocka_unit_test(test_traffic_env_miswiring),
        cmocka_unit_test(test_traffic_poisson_count),
        cmocka_unit_test(test_traffic_sticky_sessions),
        cmocka_unit_test(test_traffic_nodeport_and_loadbalancer),
        cmocka_unit_test(test_traffic_dns_follows_services),
        cmocka_unit_test(test_traffic_wget_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
