/* test_ingress.c -- the focus of this file: the ingress-nginx router sends
 * each request to the backend (and URI) the real controller would: the
 * course routing table of KUBERNETES.md section 8, the 2018 instructor
 * Ingress, Prefix/Exact/longest-prefix rules, hosts, query strings, class
 * selection (regex mode, backends and limits: test_ingress_regex.c).
 * Ingresses are loaded from YAML text, as a learner writes them. */
#include "ingress_fixture.h"

static const char course_2018[] =
    "apiVersion: extensions/v1beta1\n"
    "kind: Ingress\n"
    "metadata:\n"
    "  name: ingress-service\n"
    "  annotations:\n"
    "    kubernetes.io/ingress.class: nginx\n"
    "    nginx.ingress.kubernetes.io/rewrite-target: /\n"
    "    certmanager.k8s.io/cluster-issuer: 'letsencrypt-prod'\n"
    "    nginx.ingress.kubernetes.io/ssl-redirect: 'true'\n"
    "spec:\n"
    "  tls:\n"
    "    - hosts:\n"
    "        - k8s-multi.com\n"
    "        - www.k8s-multi.com\n"
    "      secretName: k8s-multi-com\n"
    "  rules:\n"
    "    - host: k8s-multi.com\n"
    "      http:\n"
    "        paths:\n"
    "          - path: /\n"
    "            backend:\n"
    "              serviceName: client-cluster-ip-service\n"
    "              servicePort: 3000\n"
    "          - path: /api/\n"
    "            backend:\n"
    "              serviceName: server-cluster-ip-service\n"
    "              servicePort: 5000\n"
    "    - host: www.k8s-multi.com\n"
    "      http:\n"
    "        paths:\n"
    "          - path: /\n"
    "            backend:\n"
    "              serviceName: client-cluster-ip-service\n"
    "              servicePort: 3000\n"
    "          - path: /api/\n"
    "            backend:\n"
    "              serviceName: server-cluster-ip-service\n"
    "              servicePort: 5000\n";

/* ---- 1. the course ------------------------------------------------------------ */

/* ingress-1.1: the worked routing table of KUBERNETES.md section 8 */
static void test_ingress_course_table(void **state)
{
    static const route_case cases[] = {
        {NULL, "/", "/ -> " CLIENT " /"},
        {NULL, "/otherpage", "/otherpage -> " CLIENT " /otherpage"},
        {NULL, "/api/values/all", "/api/values/all -> " SERVER " /values/all"},
        {NULL, "/api/values/current", "/api/values/current -> " SERVER " /values/current"},
        {NULL, "/api", "/api -> " SERVER " /"},
        {NULL, "/apiary", "/apiary -> " SERVER " /ary"},            /* the surprise */
        {NULL, "/API/values/all", "/API/values/all -> " SERVER " /values/all"},
        {NULL, "/static/js/main.js", "/static/js/main.js -> " CLIENT " /static/js/main.js"},
        /* no host in the rules: every Host header gets the same answers */
        {"192.168.49.2", "/api/values/all", "/api/values/all -> " SERVER " /values/all"},
        {"k8s-multi.com:80", "/", "/ -> " CLIENT " /"},
        {"anything.example", "/otherpage", "/otherpage -> " CLIENT " /otherpage"},
    };
    fixture *f = build(course_v1, NULL);
    ks_ingress_route r;
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(ks_ingress_table_count(f->t), 1);
    check_routes(f->t, "course", cases, sizeof cases / sizeof cases[0]);
    /* the match itself: which Ingress, rule and path, in regex mode */
    assert_int_equal(ks_ingress_route_request(f->t, NULL, "/apiary", &r), KS_OK);
    assert_int_equal(r.via, KS_VIA_PATH);
    assert_string_equal(r.ingress, "ingress-service");
    assert_string_equal(r.ns, "default");
    assert_int_equal(r.rule, 0);
    assert_int_equal(r.path, 0);
    assert_string_equal(r.location, "/api/?(.*)");
    assert_string_equal(r.server, "_");
    assert_true(r.regex);
    assert_true(r.rewritten);
    assert_int_equal(r.status, 0);
    assert_null(r.affinity);
    assert_int_equal(ks_ingress_route_request(f->t, NULL, "/", &r), KS_OK);
    assert_int_equal(r.path, 1);
    drop(f);
}

/* ingress-1.2: the 2018 instructor Ingress: host-only rules, rewrite-target / */
static void test_ingress_instructor_2018(void **state)
{
    static const route_case cases[] = {
        /* the minikube IP as Host: no server for it, so the default backend */
        {"192.168.49.2", "/", "/ -> default backend 404"},
        {"192.168.49.2", "/api/values/all", "/api/values/all -> default backend 404"},
        {NULL, "/", "/ -> default backend 404"},
        {"192.168.49.2", "/healthz", "/healthz -> default backend 200"},
        /* pre-0.22 it meant "strip /api/"; now every /api/ request becomes / */
        {"k8s-multi.com", "/api/values/all", "/api/values/all -> " SERVER " /"},
        {"www.k8s-multi.com", "/api/values/current", "/api/values/current -> " SERVER " /"},
        /* path / equals the target: no rewrite there */
        {"k8s-multi.com", "/", "/ -> " CLIENT " /"},
        {"K8S-Multi.COM:443", "/otherpage", "/otherpage -> " CLIENT " /otherpage"},
        /* regex mode: /api/ is ^/api/, case-insensitive */
        {"k8s-multi.com", "/API/x", "/API/x -> " SERVER " /"},
        {"k8s-multi.com", "/api", "/api -> " CLIENT " /api"},
    };
    fixture *f = build(course_2018, NULL);
    ks_ingress_route r;
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    assert_int_equal(f->d.errors, 0);
    assert_int_equal(ks_ingress_table_count(f->t), 1);   /* annotation class accepted */
    check_routes(f->t, "2018", cases, sizeof cases / sizeof cases[0]);
    assert_int_equal(ks_ingress_route_request(f->t, "www.k8s-multi.com", "/", &r), KS_OK);
    assert_string_equal(r.server, "www.k8s-multi.com");
    assert_int_equal(r.rule, 1);
    assert_true(r.regex);
    assert_false(r.rewritten);
    assert_int_equal(ks_ingress_route_request(f->t, "nope", "/", &r), KS_OK);
    assert_int_equal(r.via, KS_VIA_CONTROLLER_DEFAULT);
    assert_null(r.service);
    assert_null(r.ingress);
    assert_int_equal(r.status, 404);
    drop(f);
}

/* ---- 2. plain (non-regex) matching ------------------------------------------- */

/* ingress-2.1: Prefix is element-wise, Exact is whole, Exact wins a tie */
static void test_ingress_prefix_exact(void **state)
{
    static const char yaml[] =
        ING_HEAD("pe") "spec:\n  ingressClassName: nginx\n  rules:\n    - host: p.com\n"
        "      http:\n        paths:\n" PATH("/foo", "Prefix", "prefix", 80)
        "    - host: e.com\n      http:\n        paths:\n" PATH("/foo", "Exact", "exact", 80)
        "    - host: t.com\n      http:\n        paths:\n" PATH("/foo", "Prefix", "prefix", 80)
        PATH("/foo", "Exact", "exact", 80)
        "    - host: s.com\n      http:\n        paths:\n" PATH("/foo/", "Prefix", "slash", 80)
        "    - host: i.com\n      http:\n        paths:\n"
        PATH("/foo", "ImplementationSpecific", "impl", 80);
    static const route_case cases[] = {
        {"p.com", "/foo", "/foo -> prefix:80 /foo"},
        {"p.com", "/foo/", "/foo/ -> prefix:80 /foo/"},
        {"p.com", "/foo/bar", "/foo/bar -> prefix:80 /foo/bar"},
        {"p.com", "/foobar", "/foobar -> default backend 404"},
        {"p.com", "/FOO", "/FOO -> default backend 404"},     /* case-sensitive */
        {"e.com", "/foo", "/foo -> exact:80 /foo"},
        {"e.com", "/foo/", "/foo/ -> default backend 404"},
        {"e.com", "/foo/bar", "/foo/bar -> default backend 404"},
        {"t.com", "/foo", "/foo -> exact:80 /foo"},           /* tie: Exact wins */
        {"t.com", "/foo/bar", "/foo/bar -> prefix:80 /foo/bar"},
        {"s.com", "/foo", "/foo -> slash:80 /foo"},           /* trailing / ignored */
        {"s.com", "/foo/x", "/foo/x -> slash:80 /foo/x"},
        {"s.com", "/foox", "/foox -> default backend 404"},
        {"i.com", "/foo/x", "/foo/x -> impl:80 /foo/x"},      /* the controller's Prefix */
        {"i.com", "/foox", "/foox -> default backend 404"},
    };
    fixture *f = build(yaml, NULL);
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    check_routes(f->t, "prefix/exact", cases, sizeof cases / sizeof cases[0]);
    drop(f);
}

/* ingress-2.2: the longest matching prefix wins, whatever the YAML order */
static void test_ingress_longest_prefix(void **state)
{
    static const char yaml[] =
        ING_HEAD("lp") "spec:\n  ingressClassName: nginx\n  rules:\n    - http:\n"
        "        paths:\n" PATH("/api", "Prefix", "api", 1) PATH("/", "Prefix", "root", 2)
        PATH("/api/v1/users", "Prefix", "users", 3) PATH("/api/v1", "Prefix", "v1", 4);
    static const route_case cases[] = {
        {NULL, "/", "/ -> root:2 /"},
        {NULL, "/apix", "/apix -> root:2 /apix"},
        {NULL, "/api", "/api -> api:1 /api"},
        {NULL, "/api/v2", "/api/v2 -> api:1 /api/v2"},
        {NULL, "/api/v1", "/api/v1 -> v1:4 /api/v1"},
        {NULL, "/api/v1/x", "/api/v1/x -> v1:4 /api/v1/x"},
        {NULL, "/api/v1/users/7", "/api/v1/users/7 -> users:3 /api/v1/users/7"},
        {NULL, "/api/v1/usersx", "/api/v1/usersx -> v1:4 /api/v1/usersx"},
    };
    fixture *f = build(yaml, NULL);
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    check_routes(f->t, "longest", cases, sizeof cases / sizeof cases[0]);
    drop(f);
}

/* ingress-2.3: hosts: exact before one-label wildcard before "no host" */
static void test_ingress_hosts(void **state)
{
    static const char yaml[] =
        ING_HEAD("hosts") "spec:\n  ingressClassName: nginx\n  rules:\n"
        "    - host: \"*.foo.com\"\n      http:\n        paths:\n" PATH("/", "Prefix", "wild", 80)
        "    - host: foo.com\n      http:\n        paths:\n" PATH("/", "Prefix", "apex", 80)
        "    - host: x.foo.com\n      http:\n        paths:\n" PATH("/x", "Prefix", "xonly", 80)
        "    - http:\n        paths:\n" PATH("/", "Prefix", "any", 80);
    static const route_case cases[] = {
        {"a.foo.com", "/", "/ -> wild:80 /"},
        {"A.FOO.COM:8080", "/", "/ -> wild:80 /"},
        {"a.foo.com.", "/", "/ -> wild:80 /"},
        {"a.b.foo.com", "/", "/ -> any:80 /"},         /* exactly one label */
        {"foo.com", "/", "/ -> apex:80 /"},
        {"xfoo.com", "/", "/ -> any:80 /"},
        {"bar.com", "/", "/ -> any:80 /"},
        {NULL, "/", "/ -> any:80 /"},
        {"", "/", "/ -> any:80 /"},
        /* the exact host wins, and never falls through to another server */
        {"x.foo.com", "/x/1", "/x/1 -> xonly:80 /x/1"},
        {"x.foo.com", "/", "/ -> default backend 404"},
    };
    fixture *f = build(yaml, NULL);
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    check_routes(f->t, "hosts", cases, sizeof cases / sizeof cases[0]);
    drop(f);
}

/* ingress-2.4: the query string is not matched, and reaches the backend */
static void test_ingress_query_string(void **state)
{
    static const char yaml[] =
        ING_HEAD("plain") "spec:\n  ingressClassName: nginx\n  rules:\n    - host: plain.com\n"
        "      http:\n        paths:\n" PATH("/foo", "Exact", "exact", 80)
        "---\n" ING_HEAD("own-query") "  annotations:\n"
        "    nginx.ingress.kubernetes.io/rewrite-target: /$1?from=ingress\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n    - host: q.com\n"
        "      http:\n        paths:\n" PATH("/q/(.*)", "ImplementationSpecific", "q", 80)
        "---\n" ING_HEAD("no-args") "  annotations:\n"
        "    nginx.ingress.kubernetes.io/rewrite-target: /$1?\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n    - host: n.com\n"
        "      http:\n        paths:\n" PATH("/n/(.*)", "ImplementationSpecific", "n", 80);
    static const route_case cases[] = {
        {"plain.com", "/foo?a=b", "/foo?a=b -> exact:80 /foo?a=b"},
        {"plain.com", "/foo?", "/foo? -> exact:80 /foo?"},
        {"plain.com", "/foo/?a=b", "/foo/?a=b -> default backend 404"},
        {"q.com", "/q/values?x=1", "/q/values?x=1 -> q:80 /values?from=ingress&x=1"},
        {"q.com", "/q/values", "/q/values -> q:80 /values?from=ingress"},
        {"n.com", "/n/v?x=1", "/n/v?x=1 -> n:80 /v"},       /* trailing ? drops args */
    };
    fixture *f = build(yaml, NULL);
    fixture *c = build(course_v1, NULL);
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    check_routes(f->t, "query", cases, sizeof cases / sizeof cases[0]);
    {
        static const route_case course[] = {
            {NULL, "/api/values/all?x=1&y=2", "/api/values/all?x=1&y=2 -> " SERVER
             " /values/all?x=1&y=2"},
            {NULL, "/?page=2", "/?page=2 -> " CLIENT " /?page=2"},
            {NULL, "/x?/api/", "/x?/api/ -> " CLIENT " /x?/api/"},   /* ? ends the path */
        };
        check_routes(c->t, "course query", course, sizeof course / sizeof course[0]);
    }
    drop(c);
    drop(f);
}

/* ---- 3. class selection ------------------------------------------------------- */

/* ingress-3.1: which Ingresses ingress-nginx serves, and the warnings */
static void test_ingress_class_selection(void **state)
{
#define ONE_PATH "  rules:\n    - http:\n        paths:\n" PATH("/", "Prefix", "web", 80)
    static const struct {
        const char *name, *yaml;
        bool default_class;
        size_t served;
        const char *warning;      /* NULL: no warning */
    } cases[] = {
        {"3.1.1 field", ING_HEAD("a") "spec:\n  ingressClassName: nginx\n" ONE_PATH, false, 1,
         NULL},
        {"3.1.2 annotation", ING_HEAD("a") "  annotations:\n"
         "    kubernetes.io/ingress.class: nginx\nspec:\n" ONE_PATH, false, 1, NULL},
        {"3.1.3 no class", ING_HEAD("plain") "spec:\n" ONE_PATH, false, 0,
         "ingress 'plain' has no class: ingress-nginx >= 1.0 ignores it; set "
         "spec.ingressClassName: nginx"},
        {"3.1.4 no class, default class flag", ING_HEAD("a") "spec:\n" ONE_PATH, true, 1, NULL},
        {"3.1.5 no class, default IngressClass object",
         "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"
         "  annotations:\n    ingressclass.kubernetes.io/is-default-class: \"true\"\n"
         "spec:\n  controller: k8s.io/ingress-nginx\n---\n" ING_HEAD("a") "spec:\n" ONE_PATH,
         false, 1, NULL},
        {"3.1.6 another class", ING_HEAD("t") "spec:\n  ingressClassName: traefik\n" ONE_PATH,
         false, 0, "ingress 't' has class 'traefik', not 'nginx'"},
        {"3.1.7 both, different", ING_HEAD("both") "  annotations:\n"
         "    kubernetes.io/ingress.class: traefik\nspec:\n  ingressClassName: nginx\n"
         ONE_PATH, false, 1, "disagree"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ks_ingress_config cfg = ks_ingress_config_default();
        fixture *f;
        ks_ingress_route r;
        cfg.default_class = cases[i].default_class;
        f = build(cases[i].yaml, &cfg);
        if (f->rc != KS_OK || ks_ingress_table_count(f->t) != cases[i].served
            || f->d.warnings != (cases[i].warning ? 1 : 0)
            || (cases[i].warning && !said(&f->d, KS_SEV_WARNING, cases[i].warning)))
            fail_msg("case %s: served %zu (want %zu), %d warnings: %s", cases[i].name,
                     ks_ingress_table_count(f->t), cases[i].served, f->d.warnings,
                     f->d.n ? f->d.items[0].err.msg : "-");
        assert_int_equal(ks_ingress_route_request(f->t, NULL, "/", &r), KS_OK);
        assert_int_equal(r.via, cases[i].served ? KS_VIA_PATH : KS_VIA_CONTROLLER_DEFAULT);
        assert_int_equal(r.status, cases[i].served ? 0 : 404);   /* "every request 404s" */
        drop(f);
    }
#undef ONE_PATH
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ingress_course_table),
        cmocka_unit_test(test_ingress_instructor_2018),
        cmocka_unit_test(test_ingress_prefix_exact),
        cmocka_unit_test(test_ingress_longest_prefix),
        cmocka_unit_test(test_ingress_hosts),
        cmocka_unit_test(test_ingress_query_string),
        cmocka_unit_test(test_ingress_class_selection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
