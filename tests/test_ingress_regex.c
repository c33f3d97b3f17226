/* test_ingress_regex.c -- the ingress-nginx router, continued from
 * test_ingress.c: regex mode and rewrites, the webhook's rejections,
 * default backends, cookie affinity, duplicate paths, the URI limit and out
 * of memory. Ingresses are loaded from YAML text, as a learner writes them. */
#include "ingress_fixture.h"
#include "run/ks_runner.h"

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

/* ingress-4.4: a regex path that does not compile. PCRE refuses it: nginx -t
 * fails (ks_ingress_table_reload_error, in ngx_regex_compile's words with
 * PCRE 8's error texts); kubesim cannot model it: a warning. Either way the
 * failure points at the path and the other Ingresses still route. The
 * admission webhook refuses only strict-validate-path-type breaches. */
static void test_ingress_rejected(void **state)
{
#define GOOD "---\n" ING_HEAD("good") "spec:\n  ingressClassName: nginx\n  rules:\n" \
    "    - http:\n        paths:\n" PATH("/", "Prefix", "web", 80)
#define REGEX_ING(path, type) ING_HEAD("bad") "  annotations:\n" \
    "    nginx.ingress.kubernetes.io/use-regex: \"true\"\nspec:\n  ingressClassName: nginx\n" \
    "  rules:\n    - host: bad.com\n      http:\n        paths:\n" \
    PATH("/ok", "ImplementationSpecific", "ok", 80) PATH(path, type, "bad", 80)
#define IMPL "ImplementationSpecific"
    enum { NGINX, KUBESIM, WEBHOOK };
    static const struct {
        const char *name, *yaml;
        int who;
        const char *says;
    } cases[] = {
        {"4.4.1 unbalanced (", REGEX_ING("/api/(.*", IMPL) GOOD, NGINX,
         "pcre_compile() failed: missing ) in \"^/api/(.*\""},
        {"4.4.2 unmatched )", REGEX_ING("/api)x", IMPL) GOOD, NGINX,
         "pcre_compile() failed: unmatched parentheses in \"^/api)x\" at \")x\""},
        {"4.4.3 nothing to repeat", REGEX_ING("/a|*b", IMPL) GOOD, NGINX,
         "pcre_compile() failed: nothing to repeat in \"^/a|*b\" at \"*b\""},
        {"4.4.4 open class", REGEX_ING("/[a-z", IMPL) GOOD, NGINX,
         "pcre_compile() failed: missing terminating ] for character class in \"^/[a-z\""},
        {"4.4.5 group name", REGEX_ING("/(?<a-b>x)", IMPL) GOOD, NGINX,
         "pcre_compile() failed: syntax error in subpattern name (missing terminator) in "
         "\"^/(?<a-b>x)\" at \"-b>x)\""},
        {"4.4.6 lookahead", REGEX_ING("/(?=a)", IMPL) GOOD, KUBESIM, "no lookaround"},
        {"4.4.7 backreference", REGEX_ING("/(a)\\1", IMPL) GOOD, KUBESIM, "no backreferences"},
        {"4.4.8 escaped ] in a class", REGEX_ING("/[\\]]", IMPL) GOOD, KUBESIM, "put ] first"},
        {"4.4.9 regex with pathType Prefix", REGEX_ING("/api/?(.*)", "Prefix") GOOD, WEBHOOK,
         "strict-validate-path-type"},
        /* validPathType allows '.', so /index.html is fine; '*' is not */
        {"4.4.10 star with pathType Exact", REGEX_ING("/api/*", "Exact") GOOD, WEBHOOK,
         "path /api/* cannot be used with pathType Exact"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture *f = build(cases[i].yaml, NULL);
        const ks_error *e = f->d.n ? &f->d.items[0].err : NULL;
        const ks_ingress_failure *fails = NULL, *reload = ks_ingress_table_reload_error(f->t);
        size_t nf = ks_ingress_table_failures(f->t, &fails);
        ks_ingress_route r;
        const char *got = cases[i].who == NGINX ? (reload ? reload->text : "-")
                          : e ? e->msg : "-";
        unsigned line = cases[i].who == NGINX ? (nf ? fails[0].at.line : 0) : e ? e->line : 0;
        unsigned col = cases[i].who == NGINX ? (nf ? fails[0].at.col : 0) : e ? e->col : 0;
        bool ok = line == 16 && col == 13 && strstr(got, cases[i].says);
        switch (cases[i].who) {
        case NGINX:          /* not a diagnostic: the reload's failure */
            ok = ok && f->rc == KS_OK && f->d.n == 0 && nf == 1 && reload == &fails[0]
                 && strcmp(fails[0].ingress->meta.name, "bad") == 0
                 && strstr(reload->text, reload->path);
            break;
        case KUBESIM:
            ok = ok && f->rc == KS_OK && f->d.warnings == 1 && !reload && nf == 1
                 && !fails[0].nginx && strstr(got, "kubesim cannot route");
            break;
        default:
            ok = ok && f->rc == KS_EINVAL && f->d.errors == 1 && e->code == KS_EINVAL && !nf;
        }
        if (!ok)
            fail_msg("case %s: rc %s, %d diagnostics, %zu failures, at %u:%u: %s", cases[i].name,
                     ks_error_code_name(f->rc), f->d.n, nf, line, col, got);
        assert_non_null(f->t);
        assert_int_equal(ks_ingress_table_count(f->t), 1);
        assert_int_equal(ks_ingress_route_request(f->t, "bad.com", "/ok", &r), KS_OK);
        assert_string_equal(r.service, "web");           /* "bad" is gone: "_" serves */
        assert_string_equal(r.ingress, "good");
        drop(f);
    }
#undef IMPL
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

/* ingress-4.3: checkOverlap -- a host and path another Ingress of the
 * controller defines is refused, in the webhook's words, unless exactly one
 * of the two is a canary; an update of the same Ingress, another host or
 * another class is not an overlap */
static void test_ingress_overlap(void **state)
{
#define CANARY_ANN(v) "  annotations:\n    nginx.ingress.kubernetes.io/canary: \"" v "\"\n"
#define RULE(host) "spec:\n  ingressClassName: nginx\n  rules:\n    - " host "http:\n        paths:\n"
    static const char yaml[] =
        ING_HEAD("first") RULE("") PATH("/", "Prefix", "one", 80) PATH("/api", "Prefix", "one", 80)
        "---\n" ING_HEAD("second") RULE("") PATH("/api", "Exact", "two", 80)
        "---\n" ING_HEAD("canary") CANARY_ANN("true") RULE("") PATH("/", "Prefix", "two", 80)
        "---\n" ING_HEAD("canary2") CANARY_ANN("true") RULE("") PATH("/", "Prefix", "two", 80)
        "---\n" ING_HEAD("hosted") RULE("host: shop.example\n      ") PATH("/", "Prefix", "two", 80)
        "---\n" ING_HEAD("first") RULE("") PATH("/", "Prefix", "three", 80)
        "---\n" ING_HEAD("other") "spec:\n  ingressClassName: traefik\n  rules:\n    - http:\n"
        "        paths:\n" PATH("/", "Prefix", "two", 80)
        "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: elsewhere, "
        "namespace: shop}\n" RULE("") PATH("/", "Prefix", "two", 80);
    fixture *f = build(yaml, NULL);
    const ks_object *const *o = (const ks_object *const *)f->m.objs;
    char text[300];
    ks_mark at;
    (void)state;
    assert_int_equal(f->m.n, 8);
    /* the same path string, whatever its pathType */
    assert_true(ks_ingress_overlap(o[1], o[0], text, sizeof text, &at));
    assert_string_equal(text, "host \"_\" and path \"/api\" is already defined in ingress "
                              "default/first");
    assert_true(at.line > 0);
    assert_false(ks_ingress_overlap(o[2], o[0], text, sizeof text, &at));   /* a canary */
    assert_true(ks_ingress_overlap(o[3], o[2], text, sizeof text, &at));    /* two canaries */
    assert_false(ks_ingress_overlap(o[4], o[0], text, sizeof text, &at));   /* another host */
    assert_false(ks_ingress_overlap(o[5], o[0], text, sizeof text, &at));   /* an update */
    assert_false(ks_ingress_overlap(o[6], o[0], text, sizeof text, &at));   /* not its class */
    assert_true(ks_ingress_overlap(o[7], o[0], text, sizeof text, &at));    /* servers are global */
    assert_string_equal(text, "host \"_\" and path \"/\" is already defined in ingress "
                              "default/first");
    drop(f);
#undef CANARY_ANN
#undef RULE
}

/* ingress-4.4: kubesim check (ks_run_admission) compares an Ingress with
 * those stored before it in the same cluster: a refused one is not stored,
 * an update replaces the older version; objects before base (another
 * scenario) do not count */
static void test_ingress_overlap_check(void **state)
{
#define RULE "spec:\n  ingressClassName: nginx\n  rules:\n    - http:\n        paths:\n"
    static const char yaml[] =
        ING_HEAD("lesson") RULE PATH("/", "Prefix", "one", 80)              /* another cluster */
        "---\n" ING_HEAD("first") RULE PATH("/", "Prefix", "one", 80)
        "---\n" ING_HEAD("dup") RULE PATH("/", "Prefix", "two", 80) PATH("/only-dup", "Prefix", "two", 80)
        "---\n" ING_HEAD("later") RULE PATH("/only-dup", "Prefix", "two", 80)  /* dup was refused */
        "---\n" ING_HEAD("first") RULE PATH("/a", "Prefix", "one", 80)      /* "/" given up */
        "---\n" ING_HEAD("root") RULE PATH("/", "Prefix", "two", 80);
    fixture *f = build(yaml, NULL);
    ks_diags d;
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_run_admission(&f->m, 1, 1, &d), KS_EINVAL);
    assert_int_equal(d.errors, 1);
    assert_true(said(&d, KS_SEV_ERROR, "ingress 'dup': kubectl apply would fail: admission "
                                       "webhook \"validate.nginx.ingress.kubernetes.io\" denied "
                                       "the request: host \"_\" and path \"/\" is already "
                                       "defined in ingress default/first"));
    ks_diags_init(&d);                  /* reported from `from` on only */
    assert_int_equal(ks_run_admission(&f->m, 1, 3, &d), KS_OK);
    assert_int_equal(d.errors, 0);
    ks_diags_init(&d);                  /* one cluster from the first: lesson's "/" counts */
    assert_int_equal(ks_run_admission(&f->m, 0, 1, &d), KS_EINVAL);
    assert_true(said(&d, KS_SEV_ERROR, "ingress 'first': kubectl apply would fail"));
    drop(f);
#undef RULE
}

/* ingress-4.7: kubesim check warns where the webhook admits what nginx cannot
 * load: at the path, in the file being checked only. Regex mode spreads over
 * a host: "plain"'s ImplementationSpecific path is a regex because "re"
 * turns use-regex on for the same host, and that is where nginx -t fails */
static void test_ingress_reload_check(void **state)
{
#define HOST_RULE(h) "spec:\n  ingressClassName: nginx\n  rules:\n    - host: " h "\n" \
    "      http:\n        paths:\n"
    static const char yaml[] =
        ING_HEAD("re") "  annotations:\n    nginx.ingress.kubernetes.io/use-regex: \"true\"\n"
        HOST_RULE("shop.com") PATH("/api/v[0-9]+", "ImplementationSpecific", "api", 80)
        "---\n" ING_HEAD("plain") HOST_RULE("shop.com")
        PATH("/docs(", "ImplementationSpecific", "docs", 80)
        "---\n" ING_HEAD("other") HOST_RULE("other.com")
        PATH("/docs(", "ImplementationSpecific", "docs", 80);      /* no regex mode there */
    fixture *f = build(yaml, NULL);
    ks_diags d;
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_run_admission(&f->m, 0, 0, &d), KS_OK);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 1);
    assert_true(said(&d, KS_SEV_WARNING, "ingress 'plain': nginx cannot compile the regex path "
                                         "'/docs(': pcre_compile() failed: missing ) in "
                                         "\"^/docs(\"; ingress-nginx v1.15.1 admits it"));
    assert_int_equal(d.items[0].err.line, 27);
    assert_int_equal(d.items[0].err.col, 13);
    ks_diags_init(&d);                  /* reported from `from` on only */
    assert_int_equal(ks_run_admission(&f->m, 0, 2, &d), KS_OK);
    assert_int_equal(d.warnings, 0);
    drop(f);
#undef HOST_RULE
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
        cmocka_unit_test(test_ingress_regex_order),
        cmocka_unit_test(test_ingress_regex_mode_spreads),
        cmocka_unit_test(test_ingress_regex_subset),
        cmocka_unit_test(test_ingress_rejected),
        cmocka_unit_test(test_ingress_admission),
        cmocka_unit_test(test_ingress_overlap),
        cmocka_unit_test(test_ingress_overlap_check),
        cmocka_unit_test(test_ingress_reload_check),
        cmocka_unit_test(test_ingress_default_backends),
        cmocka_unit_test(test_ingress_cookie_affinity),
        cmocka_unit_test(test_ingress_duplicate_path),
        cmocka_unit_test(test_ingress_uri_limit),
        cmocka_unit_test(test_ingress_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
