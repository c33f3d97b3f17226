/* test_ingress.c -- the focus of this file: the ingress-nginx router sends
 * each request to the backend (and URI) the real controller would: the
 * course routing table of KUBERNETES.md section 8, the 2018 instructor
 * Ingress, Prefix/Exact/longest-prefix rules, hosts, class selection, regex
 * mode and rewrites, query strings, cookie affinity, and the webhook's
 * rejections. Ingresses are loaded from YAML text, as a learner writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/ks_ingress.h"
#include "load/ks_manifest.h"

/* ---- fixtures -------------------------------------------------------------- */
typedef struct fixture {
    ks_arena *ar;
    ks_manifests m;
    ks_diags d;                   /* the router's diagnostics */
    ks_ingress_table *t;
    int rc;
} fixture;

static fixture *build(const char *yaml, const ks_ingress_config *cfg)
{
    fixture *f = calloc(1, sizeof *f);
    ks_diags ld;
    assert_non_null(f);
    f->ar = ks_arena_create(NULL);
    assert_non_null(f->ar);
    ks_diags_init(&ld);
    ks_manifest_load_text(f->ar, "ing.yaml", yaml, strlen(yaml), 1, 1, NULL, &f->m, &ld);
    if (ld.errors) {
        char buf[1024];
        ks_diag_format(&ld, 0, buf, sizeof buf);
        fail_msg("the test manifest does not load: %s", buf);
    }
    ks_diags_init(&f->d);
    f->rc = ks_ingress_table_create(NULL, cfg, (const ks_object *const *)f->m.objs, f->m.n,
                                    &f->t, &f->d);
    return f;
}

static void drop(fixture *f)
{
    ks_ingress_table_destroy(f->t);
    ks_arena_destroy(f->ar);
    free(f);
}

/* Whether some diagnostic of severity sev says text. */
static bool said(const ks_diags *d, ks_severity sev, const char *text)
{
    int i;
    for (i = 0; i < d->n; i++)
        if (d->items[i].sev == sev && strstr(d->items[i].err.msg, text))
            return true;
    return false;
}

typedef struct route_case {
    const char *host, *uri, *want;    /* want: ks_ingress_route_format's text */
} route_case;

static void check_routes(const ks_ingress_table *t, const char *what, const route_case *c,
                         size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        ks_ingress_route r;
        char got[2 * KS_INGRESS_URI_MAX];
        int rc = ks_ingress_route_request(t, c[i].host, c[i].uri, &r);
        ks_ingress_route_format(&r, c[i].uri, got, sizeof got);
        if (rc != KS_OK || strcmp(got, c[i].want) != 0)
            fail_msg("%s case %zu: Host %s %s: wanted \"%s\", got \"%s\" (%s)", what, i + 1,
                     c[i].host ? c[i].host : "(none)", c[i].uri, c[i].want, got,
                     ks_error_code_name(rc));
    }
}

#define ING_HEAD(name) "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " \
    name "\n"
#define PATH(p, type, svc, port) "          - path: " p "\n            pathType: " type "\n" \
    "            backend: {service: {name: " svc ", port: {number: " #port "}}}\n"

/* shared/corpus/multi-k8s-v1/ingress-service.yaml, unmodified */
static const char course_v1[] =
    "apiVersion: networking.k8s.io/v1\n"
    "kind: Ingress\n"
    "metadata:\n"
    "  name: ingress-service\n"
    "  annotations:\n"
    "    nginx.ingress.kubernetes.io/use-regex: \"true\"\n"
    "    nginx.ingress.kubernetes.io/rewrite-target: /$1\n"
    "spec:\n"
    "  ingressClassName: nginx\n"
    "  rules:\n"
    "    - http:\n"
    "        paths:\n"
    "          - path: /api/?(.*)\n"
    "            pathType: ImplementationSpecific\n"
    "            backend:\n"
    "              service:\n"
    "                name: server-cluster-ip-service\n"
    "                port:\n"
    "                  number: 5000\n"
    "          - path: /?(.*)\n"
    "            pathType: ImplementationSpecific\n"
    "            backend:\n"
    "              service:\n"
    "                name: client-cluster-ip-service\n"
    "                port:\n"
    "                  number: 3000\n";

/* shared/corpus/multi-k8s/ingress-service.yaml (2018), unmodified */
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

#define SERVER "server-cluster-ip-service:5000"
#define CLIENT "client-cluster-ip-service:3000"

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

/* ---- 4. regex mode --------------------------------------------------------------- */

/* ingress-4.1: regex locations run longest first, whatever the YAML order;
 * equal lengths run in descending byte order (the controller's sort) */
static void test_ingress_regex_order(void **state)
{
    static const char yaml[] =
        ING_HEAD("reversed") "  annotations:\n    nginx.ingress.kubernetes.io/use-regex: \"true\"\n"
        "    nginx.ingress.kubernetes.io/rewrite-target: /$1\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n    - http:\n        paths:\n"
        PATH("/?(.*)", "ImplementationSpecific", "client-cluster-ip-service", 3000)
        PATH("/api/?(.*)", "ImplementationSpecific", "server-cluster-ip-service", 5000)
        "    - host: tie.com\n      http:\n        paths:\n"
        PATH("/(.*)x", "ImplementationSpecific", "endsx", 80)
        PATH("/a(.*)", "ImplementationSpecific", "starta", 80);
    static const route_case cases[] = {
        {NULL, "/api/values/all", "/api/values/all -> " SERVER " /values/all"},
        {NULL, "/apiary", "/apiary -> " SERVER " /ary"},
        {NULL, "/otherpage", "/otherpage -> " CLIENT " /otherpage"},
        {"tie.com", "/ax", "/ax -> starta:80 /x"},       /* "/a(.*)" > "/(.*)x" */
        {"tie.com", "/bx", "/bx -> endsx:80 /b"},
        {"tie.com", "/b", "/b -> default backend 404"},
    };
    fixture *f = build(yaml, NULL);
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    check_routes(f->t, "regex order", cases, sizeof cases / sizeof cases[0]);
    drop(f);
}

/* ingress-4.2: use-regex on one Ingress makes every path of that host a
 * case-insensitive regex anchored at the start only, even another
 * Ingress's Exact path; other hosts are untouched */
static void test_ingress_regex_mode_spreads(void **state)
{
    static const char yaml[] =
        ING_HEAD("regex") "  annotations:\n    nginx.ingress.kubernetes.io/use-regex: \"true\"\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n    - host: shop.com\n      http:\n"
        "        paths:\n" PATH("/api/v[0-9]+", "ImplementationSpecific", "api", 80)
        "---\n" ING_HEAD("plain") "spec:\n  ingressClassName: nginx\n  rules:\n"
        "    - host: shop.com\n      http:\n        paths:\n" PATH("/docs", "Prefix", "docs", 80)
        PATH("/exact", "Exact", "exact", 80)
        "    - host: other.com\n      http:\n        paths:\n" PATH("/docs", "Prefix", "docs", 80);
    static const route_case cases[] = {
        {"shop.com", "/api/v12/x", "/api/v12/x -> api:80 /api/v12/x"},   /* no rewrite */
        {"shop.com", "/api/vX", "/api/vX -> default backend 404"},
        {"shop.com", "/DOCS", "/DOCS -> docs:80 /DOCS"},                 /* ~* */
        {"shop.com", "/docsandmore", "/docsandmore -> docs:80 /docsandmore"},
        {"shop.com", "/exact/more", "/exact/more -> exact:80 /exact/more"},
        {"other.com", "/DOCS", "/DOCS -> default backend 404"},
        {"other.com", "/docsandmore", "/docsandmore -> default backend 404"},
    };
    fixture *f = build(yaml, NULL);
    ks_ingress_route r;
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    check_routes(f->t, "regex spreads", cases, sizeof cases / sizeof cases[0]);
    assert_int_equal(ks_ingress_route_request(f->t, "shop.com", "/docs", &r), KS_OK);
    assert_true(r.regex);
    assert_string_equal(r.ingress, "plain");
    assert_int_equal(ks_ingress_route_request(f->t, "other.com", "/docs", &r), KS_OK);
    assert_false(r.regex);
    drop(f);
}

/* ingress-4.3: the PCRE features kubesim translates, seen through rewrites */
static void test_ingress_regex_subset(void **state)
{
    static const char yaml[] =
        ING_HEAD("subset") "  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /$1/$2\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n"
        "    - host: d.com\n      http:\n        paths:\n"
        PATH("/v(\\d+)/(\\w+)", "ImplementationSpecific", "digits", 80)
        "    - host: nc.com\n      http:\n        paths:\n"
        PATH("/(?:api|v1)/(.*)/(.*)", "ImplementationSpecific", "noncap", 80)
        "    - host: named.com\n      http:\n        paths:\n"
        PATH("/(?<a>[a-z]+)-(?<b>[\\d.]+)", "ImplementationSpecific", "named", 80)
        "    - host: brace.com\n      http:\n        paths:\n"
        PATH("/x{(.*)}(.*)", "ImplementationSpecific", "brace", 80)
        "    - host: lazy.com\n      http:\n        paths:\n"
        PATH("/(.*?)/(.*)", "ImplementationSpecific", "lazy", 80);
    static const route_case cases[] = {
        {"d.com", "/v12/items", "/v12/items -> digits:80 /12/items"},
        {"d.com", "/vx/items", "/vx/items -> default backend 404"},
        {"nc.com", "/v1/a/b", "/v1/a/b -> noncap:80 /a/b"},      /* $1 skips (?:) */
        {"named.com", "/pkg-1.2", "/pkg-1.2 -> named:80 /pkg/1.2"},
        {"brace.com", "/x{a}b", "/x{a}b -> brace:80 /a/b"},
        {"lazy.com", "/a/b/c", "/a/b/c -> lazy:80 /a/b/c"},      /* greedy: $1 = a/b */
    };
    fixture *f = build(yaml, NULL);
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    assert_int_equal(f->d.warnings, 1);
    assert_true(said(&f->d, KS_SEV_WARNING, "lazy quantifiers as greedy"));
    check_routes(f->t, "subset", cases, sizeof cases / sizeof cases[0]);
    drop(f);
}

/* ingress-4.4: what the admission webhook rejects: a path that is not a
 * regex (nginx -t fails) or breaks strict-validate-path-type. The error
 * points at the path; the other Ingresses still route. */
static void test_ingress_rejected(void **state)
{
#define GOOD "---\n" ING_HEAD("good") "spec:\n  ingressClassName: nginx\n  rules:\n" \
    "    - http:\n        paths:\n" PATH("/", "Prefix", "web", 80)
#define REGEX_ING(path, type) ING_HEAD("bad") "  annotations:\n" \
    "    nginx.ingress.kubernetes.io/use-regex: \"true\"\nspec:\n  ingressClassName: nginx\n" \
    "  rules:\n    - host: bad.com\n      http:\n        paths:\n" \
    PATH("/ok", "ImplementationSpecific", "ok", 80) PATH(path, type, "bad", 80)
    static const struct {
        const char *name, *yaml;
        unsigned line, col;
        const char *says;
    } cases[] = {
        {"4.4.1 unbalanced (", REGEX_ING("/api/(.*", "ImplementationSpecific") GOOD, 16, 13,
         "is not a valid regex"},
        {"4.4.2 lookahead", REGEX_ING("/(?=a)", "ImplementationSpecific") GOOD, 16, 13,
         "no lookaround"},
        {"4.4.3 backreference", REGEX_ING("/(a)\\1", "ImplementationSpecific") GOOD, 16, 13,
         "no backreferences"},
        {"4.4.4 escaped ] in a class", REGEX_ING("/[\\]]", "ImplementationSpecific") GOOD,
         16, 13, "put ] first"},
        {"4.4.5 regex with pathType Prefix", REGEX_ING("/api/?(.*)", "Prefix") GOOD, 16, 13,
         "strict-validate-path-type"},
        /* validPathType allows '.', so /index.html is fine; '*' is not */
        {"4.4.6 star with pathType Exact", REGEX_ING("/api/*", "Exact") GOOD, 16, 13,
         "path /api/* cannot be used with pathType Exact"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture *f = build(cases[i].yaml, NULL);
        const ks_error *e = f->d.n ? &f->d.items[0].err : NULL;
        ks_ingress_route r;
        if (f->rc != KS_EINVAL || f->d.errors != 1 || !e || e->code != KS_EINVAL
            || e->line != cases[i].line || e->col != cases[i].col || !strstr(e->msg, cases[i].says))
            fail_msg("case %s: rc %s, %d errors, first at %u:%u: %s", cases[i].name,
                     ks_error_code_name(f->rc), f->d.errors, e ? e->line : 0, e ? e->col : 0,
                     e ? e->msg : "-");
        assert_non_null(f->t);
        assert_int_equal(ks_ingress_table_count(f->t), 1);
        assert_int_equal(ks_ingress_route_request(f->t, "bad.com", "/ok", &r), KS_OK);
        assert_string_equal(r.service, "web");           /* "bad" is gone: "_" serves */
        assert_string_equal(r.ingress, "good");
        drop(f);
    }
#undef REGEX_ING
#undef GOOD
}

/* ingress-4.5: the admission webhook's refusals, in its words (CheckIngress,
 * inspector.ValidatePathType, validPathType (?i)^/[[:alnum:]._\-/]*$) */
static void test_ingress_admission(void **state)
{
    static const struct {
        const char *name, *yaml;
        size_t n;
        const char *denial;
    } cases[] = {
        {"valid paths, dots too", ING_HEAD("a") "spec:\n  ingressClassName: nginx\n  rules:\n"
         "    - http:\n        paths:\n" PATH("/index.html", "Exact", "w", 80)
         PATH("/v1.2/api_x-y", "Prefix", "w", 80) PATH("/(.*)", "ImplementationSpecific", "w", 80),
         0, NULL},
        {"two regex paths", ING_HEAD("b") "spec:\n  ingressClassName: nginx\n  rules:\n"
         "    - http:\n        paths:\n" PATH("/api/?(.*)", "Prefix", "w", 80)
         PATH("/ok", "Prefix", "w", 80) PATH("/x$", "Exact", "w", 80),
         2, "admission webhook \"validate.nginx.ingress.kubernetes.io\" denied the request: "
            "ingress contains invalid paths: path /api/?(.*) cannot be used with pathType "
            "Prefix\npath /x$ cannot be used with pathType Exact"},
        {"another class: not its business", ING_HEAD("c") "spec:\n  ingressClassName: traefik\n"
         "  rules:\n    - http:\n        paths:\n" PATH("/api/?(.*)", "Prefix", "w", 80),
         0, NULL},
        {"a snippet", ING_HEAD("d") "  annotations:\n    nginx.ingress.kubernetes.io/"
         "configuration-snippet: \"more_set_headers 'X: y';\"\nspec:\n  ingressClassName: nginx\n"
         "  rules:\n    - http:\n        paths:\n" PATH("/", "Prefix", "w", 80),
         1, "admission webhook \"validate.nginx.ingress.kubernetes.io\" denied the request: "
            "nginx.ingress.kubernetes.io/configuration-snippet annotation cannot be used. "
            "Snippet directives are disabled by the Ingress administrator"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture *f = build(cases[i].yaml, NULL);
        ks_ingress_refusal r[8];
        char buf[1024];
        size_t n = ks_ingress_refusals(NULL, f->m.objs[0], r, 8);
        if (n != cases[i].n)
            fail_msg("case %s: %zu refusals, want %zu", cases[i].name, n, cases[i].n);
        if (n) {
            ks_ingress_denial(r, n, buf, sizeof buf);
            assert_string_equal(buf, cases[i].denial);
            assert_true(r[0].at.line > 0);
        }
        drop(f);
    }
}

/* ---- 5. backends ----------------------------------------------------------------- */

/* ingress-5.1: defaultBackend: of the first Ingress naming a host, and of a
 * rule-less Ingress for "_"; the controller's own answers 404 (/healthz 200) */
static void test_ingress_default_backends(void **state)
{
    static const char yaml[] =
        ING_HEAD("catch") "spec:\n  ingressClassName: nginx\n"
        "  defaultBackend: {service: {name: fallback, port: {name: http}}}\n"
        "---\n" ING_HEAD("site") "spec:\n  ingressClassName: nginx\n"
        "  defaultBackend: {service: {name: site-default, port: {number: 8080}}}\n"
        "  rules:\n    - host: site.com\n      http:\n        paths:\n"
        PATH("/app", "Prefix", "app", 80)
        "---\n" ING_HEAD("later") "spec:\n  ingressClassName: nginx\n"
        "  defaultBackend: {service: {name: later-default, port: {number: 80}}}\n"
        "  rules:\n    - host: site.com\n      http:\n        paths:\n"
        PATH("/other", "Prefix", "other", 80)
        "    - host: bare.com\n      http:\n        paths:\n" PATH("/b", "Prefix", "b", 80);
    static const route_case cases[] = {
        {NULL, "/anything", "/anything -> fallback:http /anything (defaultBackend of "
         "ingress catch)"},
        {"site.com", "/app/x", "/app/x -> app:80 /app/x"},
        {"site.com", "/other", "/other -> other:80 /other"},
        {"site.com", "/nope", "/nope -> site-default:8080 /nope (defaultBackend of "
         "ingress site)"},
        {"bare.com", "/nope", "/nope -> later-default:80 /nope (defaultBackend of "
         "ingress later)"},
    };
    static const char no_rules_yaml[] =
        ING_HEAD("only") "spec:\n  ingressClassName: nginx\n  rules:\n    - host: h.com\n"
        "      http:\n        paths:\n" PATH("/h", "Prefix", "h", 80);
    static const route_case plain[] = {
        {NULL, "/", "/ -> default backend 404"},
        {NULL, "/healthz", "/healthz -> default backend 200"},
        {"h.com", "/healthz?x", "/healthz?x -> default backend 200"},
    };
    fixture *f = build(yaml, NULL), *g = build(no_rules_yaml, NULL);
    ks_ingress_route r;
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    check_routes(f->t, "defaults", cases, sizeof cases / sizeof cases[0]);
    assert_int_equal(ks_ingress_route_request(f->t, "site.com", "/nope", &r), KS_OK);
    assert_int_equal(r.via, KS_VIA_INGRESS_DEFAULT);
    assert_int_equal(r.rule, -1);
    assert_null(r.location);
    check_routes(g->t, "controller default", plain, sizeof plain / sizeof plain[0]);
    drop(g);
    drop(f);
}

/* ingress-5.2: cookie affinity annotations become the backend's config */
static void test_ingress_cookie_affinity(void **state)
{
    static const char yaml[] =
        ING_HEAD("sticky") "  annotations:\n"
        "    nginx.ingress.kubernetes.io/affinity: cookie\n"
        "    nginx.ingress.kubernetes.io/affinity-mode: persistent\n"
        "    nginx.ingress.kubernetes.io/session-cookie-name: route\n"
        "    nginx.ingress.kubernetes.io/session-cookie-path: /\n"
        "    nginx.ingress.kubernetes.io/session-cookie-max-age: \"172800\"\n"
        "    nginx.ingress.kubernetes.io/session-cookie-change-on-failure: \"true\"\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n    - host: s.com\n      http:\n"
        "        paths:\n" PATH("/", "Prefix", "web", 80)
        "---\n" ING_HEAD("defaults") "  annotations:\n"
        "    nginx.ingress.kubernetes.io/affinity: cookie\n"
        "    nginx.ingress.kubernetes.io/use-regex: \"true\"\n"
        "    nginx.ingress.kubernetes.io/session-cookie-max-age: soon\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n    - host: d.com\n      http:\n"
        "        paths:\n" PATH("/app/.*", "ImplementationSpecific", "app", 80)
        "---\n" ING_HEAD("plain") "spec:\n  ingressClassName: nginx\n  rules:\n"
        "    - host: p.com\n      http:\n        paths:\n" PATH("/", "Prefix", "plain", 80)
        PATH("/web", "Prefix", "web", 80);
    fixture *f = build(yaml, NULL);
    ks_ingress_route r;
    const ks_ingress_affinity *a;
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    assert_int_equal(ks_ingress_route_request(f->t, "s.com", "/cart", &r), KS_OK);
    assert_non_null(a = r.affinity);
    assert_string_equal(a->cookie_name, "route");
    assert_true(a->persistent);
    assert_string_equal(a->cookie_path, "/");
    assert_int_equal(a->max_age, 172800);
    assert_int_equal(a->expires, -1);
    assert_true(a->change_on_failure);
    assert_string_equal(a->ingress, "sticky");
    /* defaults; a regex path without session-cookie-path warns */
    assert_int_equal(ks_ingress_route_request(f->t, "d.com", "/app/1", &r), KS_OK);
    assert_non_null(a = r.affinity);
    assert_string_equal(a->cookie_name, "INGRESSCOOKIE");
    assert_false(a->persistent);
    assert_null(a->cookie_path);
    assert_int_equal(a->max_age, -1);
    assert_false(a->change_on_failure);
    assert_true(said(&f->d, KS_SEV_WARNING, "session-cookie-path should be set"));
    assert_true(said(&f->d, KS_SEV_WARNING, "session-cookie-max-age 'soon'"));
    assert_int_equal(f->d.warnings, 2);
    /* affinity belongs to the backend: web:80 is sticky from any Ingress */
    assert_int_equal(ks_ingress_route_request(f->t, "p.com", "/", &r), KS_OK);
    assert_null(r.affinity);
    assert_int_equal(ks_ingress_route_request(f->t, "p.com", "/web", &r), KS_OK);
    assert_non_null(r.affinity);
    assert_string_equal(r.affinity->cookie_name, "route");
    drop(f);
}

/* ingress-5.3: the same host and path twice: the first Ingress keeps it */
static void test_ingress_duplicate_path(void **state)
{
    static const char yaml[] =
        ING_HEAD("first") "spec:\n  ingressClassName: nginx\n  rules:\n    - http:\n"
        "        paths:\n" PATH("/", "Prefix", "one", 80)
        "---\n" ING_HEAD("second") "spec:\n  ingressClassName: nginx\n  rules:\n    - http:\n"
        "        paths:\n" PATH("/", "ImplementationSpecific", "two", 80)
        PATH("/two", "Prefix", "two", 80);
    static const route_case cases[] = {
        {NULL, "/x", "/x -> one:80 /x"},
        {NULL, "/two/x", "/two/x -> two:80 /two/x"},
    };
    fixture *f = build(yaml, NULL);
    (void)state;
    assert_int_equal(f->rc, KS_OK);
    assert_int_equal(f->d.warnings, 1);
    assert_true(said(&f->d, KS_SEV_WARNING, "already served by ingress 'first'"));
    check_routes(f->t, "duplicate", cases, sizeof cases / sizeof cases[0]);
    drop(f);
}

/* ---- 6. limits and memory ------------------------------------------------------- */

/* ingress-6.1: a URI that does not fit, and a rewrite that grows past it */
static void test_ingress_uri_limit(void **state)
{
    fixture *f = build(course_v1, NULL);
    char *uri = malloc(KS_INGRESS_URI_MAX + 1);
    ks_ingress_route r;
    (void)state;
    assert_non_null(uri);
    memset(uri, 'a', KS_INGRESS_URI_MAX);
    uri[0] = '/';
    uri[KS_INGRESS_URI_MAX] = '\0';
    assert_int_equal(ks_ingress_route_request(f->t, NULL, uri, &r), KS_ELIMIT);
    uri[KS_INGRESS_URI_MAX - 1] = '\0';                  /* fits exactly */
    assert_int_equal(ks_ingress_route_request(f->t, NULL, uri, &r), KS_OK);
    assert_string_equal(r.service, "client-cluster-ip-service");
    free(uri);
    drop(f);
}

/* ingress-6.2: every allocation failing in turn: KS_ENOMEM, nothing leaks */
static void test_ingress_oom(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_manifests m = {0};
    ks_diags d;
    long n;
    bool succeeded = false;
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_manifest_load_text(ar, "c.yaml", course_v1, strlen(course_v1), 1, 1,
                                           NULL, &m, &d), KS_OK);
    for (n = 1; n < 200 && !succeeded; n++) {
        ks_failing_alloc fa = {n, 0, 0, 0};
        ks_allocator a = ks_allocator_failing(&fa);
        ks_ingress_table *t = NULL;
        int rc;
        ks_diags_init(&d);
        rc = ks_ingress_table_create(&a, NULL, (const ks_object *const *)m.objs, m.n, &t, &d);
        if (fa.failed) {
            assert_int_equal(rc, KS_ENOMEM);
            assert_null(t);
        } else {
            ks_ingress_route r;
            assert_int_equal(rc, KS_OK);
            assert_int_equal(ks_ingress_route_request(t, NULL, "/api/x", &r), KS_OK);
            assert_string_equal(r.uri, "/x");
            succeeded = true;
        }
        ks_ingress_table_destroy(t);
        assert_int_equal(fa.live, 0);
    }
    assert_true(succeeded);
    ks_arena_destroy(ar);
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
        cmocka_unit_test(test_ingress_regex_order),
        cmocka_unit_test(test_ingress_regex_mode_spreads),
        cmocka_unit_test(test_ingress_regex_subset),
        cmocka_unit_test(test_ingress_rejected),
        cmocka_unit_test(test_ingress_admission),
        cmocka_unit_test(test_ingress_default_backends),
        cmocka_unit_test(test_ingress_cookie_affinity),
        cmocka_unit_test(test_ingress_duplicate_path),
        cmocka_unit_test(test_ingress_uri_limit),
        cmocka_unit_test(test_ingress_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
