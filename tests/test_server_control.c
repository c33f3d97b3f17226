/* test_server_control.c -- the server's other endpoints, without sockets:
 * pods/log (tail, previous, follow as a stream that ends with the run),
 * exec refused, kubesim's clock (GET/PUT /kubesim/v1/clock), its node
 * failure (POST /kubesim/v1/nodes/NAME/fail), the service proxy, which sends a
 * request into the simulation's traffic, and times never ahead of the wall. */
#define _GNU_SOURCE                          /* strptime, timegm */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "server_fixture_cmocka.h"
#include "ksv_watch.h"
#include "ksv_ws.h"

static long long num(srv_fixture *f, const char *key)
{
    json_t *j = json_loadb(f->rs.body.buf, f->rs.body.len, 0, NULL);
    long long v = json_integer_value(json_object_get(j, key));
    json_decref(j);
    return v;
}

static void test_logs(void **state)
{
    srv_fixture *f = *state;
    char buf[8192];
    size_t n;
    ksv_watch *w;
    /* the pod crashes after 5 s and restarts: its first run is the previous log */
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky/log?previous=true",
                                 NULL, NULL), 400);
    assert_non_null(strstr(f->rs.body.buf, "previous terminated container \\\"app\\\" in pod "
                                           "\\\"flaky\\\" not found"));
    ks_run_advance(f->run, 30 * KS_SEC);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky/log"
                                           "?previous=true&timestamps=true", NULL, NULL), 200);
    assert_string_equal(f->rs.content_type, "text/plain");
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky/log"
                                           "?container=nope", NULL, NULL), 400);
    assert_non_null(strstr(f->rs.body.buf, "container nope is not valid for pod flaky"));
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/nosuch/log", NULL,
                                 NULL), 404);
    /* follow: a stream that ends when the followed run of flaky ends */
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky/log?follow=true",
                                 NULL, NULL), 200);
    w = f->rs.watch;
    assert_non_null(w);
    f->rs.watch = NULL;
    assert_false(ksv_watch_ended(w));
    for (int t = 31; t < 400 && !ksv_watch_ended(w); t++) {
        ks_run_advance(f->run, (ks_time)t * KS_SEC);
        ksv_api_after_advance(f->api);
    }
    assert_true(ksv_watch_ended(w));
    n = ksv_watch_take(w, buf, sizeof buf - 1);
    buf[n] = '\0';
    ksv_watch_close(f->api, w);
}

/* The message i of an exec's answer: its channel byte and data. */
static const char *msg(srv_fixture *f, size_t i)
{
    assert_non_null(f->rs.upgrade);
    assert_true(i < f->rs.upgrade->nmsgs);
    return ks_strbuf_str(&f->rs.upgrade->msgs[i]);
}

/* pods/exec: the API server's refusals before anything runs, then the
 * command's output on channels 1 and 2 and its Status on 3 (an exit code
 * as the kubelet reports it: NonZeroExitCode, cause ExitCode). */
static void test_exec(void **state)
{
    srv_fixture *f = *state;
    const ks_pod *p;
    int t = 1;
    do
        ks_run_advance(f->run, (ks_time)t++ * KS_SEC);
    while ((p = ks_cluster_pod(ks_run_sim(f->run), ks_cluster_find(ks_run_sim(f->run),
                                                                   KS_KIND_POD, "default",
                                                                   "flaky")))
           && p->containers[0].state != KS_CS_RUNNING && t < 200);
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/flaky/exec"
                                            "?command=echo&command=hi&stdout=true", NULL, NULL),
                     400);
    assert_non_null(strstr(f->rs.body.buf, "Upgrade request required"));
    f->upgrade = "SPDY/3.1";
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/flaky/exec"
                                            "?command=echo&stdout=true", NULL, NULL), 400);
    assert_non_null(strstr(f->rs.body.buf, "use a newer kubectl"));
    f->upgrade = "websocket";
    f->ws_key = "dGhlIHNhbXBsZSBub25jZQ==";                   /* RFC 6455's example */
    f->ws_protocol = "v5.channel.k8s.io, v4.channel.k8s.io";
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/flaky/exec"
                                            "?command=echo", NULL, NULL), 400);
    assert_non_null(strstr(f->rs.body.buf, "you must specify at least 1 of stdin, stdout, "
                                           "stderr"));
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/flaky/exec"
                                            "?stdout=true", NULL, NULL), 400);
    assert_non_null(strstr(f->rs.body.buf, "you must specify at least one command"));
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/flaky/exec"
                                            "?command=true&stdout=true&container=nope",
                                 NULL, NULL), 400);
    assert_non_null(strstr(f->rs.body.buf, "container nope is not valid for pod flaky"));
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/nosuch/exec"
                                            "?command=true&stdout=true", NULL, NULL), 404);
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/flaky/exec"
                                            "?command=echo&command=hi&stdout=true&stderr=true",
                                 NULL, NULL), 101);
    assert_string_equal(f->rs.upgrade->accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assert_string_equal(f->rs.upgrade->protocol, "v5.channel.k8s.io");
    assert_string_equal(msg(f, 0), "\001hi\n");
    assert_string_equal(msg(f, 1), "\003{\"metadata\":{},\"status\":\"Success\"}");
    f->ws_protocol = "v4.channel.k8s.io";
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky/exec"
                                           "?command=cat&command=/nope&stdout=true&stderr=true",
                                 NULL, NULL), 101);
    assert_string_equal(f->rs.upgrade->protocol, "v4.channel.k8s.io");
    assert_string_equal(msg(f, 0), "\002cat: can't open '/nope': No such file or directory\n");
    assert_non_null(strstr(msg(f, 1), "\"reason\":\"NonZeroExitCode\""));
    assert_non_null(strstr(msg(f, 1), "\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"1\"}]"));
    /* the exec is a step of the run, kept for --record */
    assert_int_equal(ksv_api_steps(f->api), 2);
    f->ws_protocol = "channel.k8s.io";
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods/flaky/exec"
                                            "?command=true&stdout=true", NULL, NULL), 400);
    assert_non_null(strstr(f->rs.body.buf, "unable to negotiate protocol"));
}

static void test_clock(void **state)
{
    srv_fixture *f = *state;
    long long now;
    assert_int_equal(srv_request(f, "GET", "/kubesim/v1/clock", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"paused\":false"));
    now = num(f, "nowMicros");
    assert_true(ksv_api_paused(f->api, NULL) == false);
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL,
                                 "{\"paused\":true,\"runTo\":12000000}"), 200);
    assert_int_equal(num(f, "nowMicros"), 12000000);
    assert_int_equal(num(f, "runTo"), 12000000);
    assert_true(ksv_api_paused(f->api, NULL));
    assert_true(now <= 12000000);
    /* the pods of web are running at 12 s */
    assert_int_equal(srv_request(f, "GET", "/apis/apps/v1/namespaces/default/deployments/web",
                                 NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"readyReplicas\":2"));
    /* back in time: 422; not JSON: 400; a wrong type: 400 */
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL, "{\"runTo\":5}"), 422);
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL, "{\"runTo\":"), 400);
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL, "{\"paused\":1}"), 400);
    assert_int_equal(srv_request(f, "DELETE", "/kubesim/v1/clock", NULL, NULL), 405);
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL, "{\"paused\":false}"), 200);
    assert_false(ksv_api_paused(f->api, NULL));
}

/* The speed: GET says it, PUT sets it (0.25 to 64), as the window's keys
 * do (ksv_api_set_clock); each change tells the serve loop (gen). */
static void test_clock_speed(void **state)
{
    srv_fixture *f = *state;
    unsigned g0, g1;
    assert_int_equal(srv_request(f, "GET", "/kubesim/v1/clock", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"speed\":1.0"));
    ksv_api_paused(f->api, &g0);
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL, "{\"speed\":4}"), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"speed\":4.0"));
    assert_true(ksv_api_speed(f->api) == 4);
    assert_false(ksv_api_paused(f->api, &g1));
    assert_true(g1 != g0);
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL, "{\"speed\":100}"), 422);
    assert_non_null(strstr(f->rs.body.buf, "0.25 to 64"));
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL, "{\"speed\":\"x\"}"), 400);
    assert_true(ksv_api_speed(f->api) == 4);
    /* the window: Space and - */
    ksv_api_set_clock(f->api, true, 2);
    assert_int_equal(srv_request(f, "GET", "/kubesim/v1/clock", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"paused\":true"));
    assert_non_null(strstr(f->rs.body.buf, "\"speed\":2.0"));
    ksv_api_paused(f->api, &g0);
    ksv_api_set_clock(f->api, true, 2);      /* no change: no new pacing */
    ksv_api_paused(f->api, &g1);
    assert_true(g0 == g1);
}

/* A proxied request: in flight (status 0, rs.proxied) until the simulation,
 * run on as the server's clock would run it, brings its answer; the proxy
 * itself never moves the clock. Returns the answer's status. */
static int proxied(srv_fixture *f, const char *path)
{
    ks_sim *sim = ks_run_sim(f->run);
    ks_time t0, next;
    ksv_proxied *p;
    int st = srv_request(f, "GET", path, NULL, NULL);
    if (!f->rs.proxied)
        return st;                               /* refused at once */
    assert_int_equal(st, 0);
    p = f->rs.proxied;
    f->rs.proxied = NULL;
    t0 = ks_now(sim);
    while (!ksv_proxy_ready(p) && ks_next_time(sim, &next))
        ks_run_advance(f->run, next);
    f->latency = ks_now(sim) - t0;
    ksv_response_fini(&f->rs);
    ksv_response_init(&f->rs);
    ksv_proxy_answer(p, &f->rs);
    return f->rs.status;
}

static void test_proxy(void **state)
{
    static const char web[] = "/api/v1/namespaces/default/services/web/proxy/";
    srv_fixture *f = *state;
    ks_time now;
    ks_run_advance(f->run, 20 * KS_SEC);
    /* sent, not answered: the clock stays where the request found it */
    now = ks_now(ks_run_sim(f->run));
    assert_int_equal(srv_request(f, "GET", web, NULL, NULL), 0);
    assert_non_null(f->rs.proxied);
    assert_false(ksv_proxy_ready(f->rs.proxied));
    assert_true(ks_now(ks_run_sim(f->run)) - now < KS_MSEC);
    ksv_response_fini(&f->rs);                   /* its client went: dropped */
    ksv_response_init(&f->rs);
    assert_int_equal(proxied(f, web), 200);
    assert_non_null(strstr(f->rs.body.buf, "200 from pod default/web-"));
    assert_true(f->latency < KS_SEC);
    assert_int_equal(proxied(f, "/api/v1/namespaces/default/services/web:80/proxy"), 200);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/services/web:81/proxy/",
                                 NULL, NULL), 503);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/services/nope/proxy/",
                                 NULL, NULL), 404);
    /* no ready endpoint: the API server's 503 */
    f->content_type = "application/merge-patch+json";
    assert_int_equal(srv_request(f, "PATCH",
                                 "/apis/apps/v1/namespaces/default/deployments/web/scale", NULL,
                                 "{\"spec\":{\"replicas\":0}}"), 200);
    ks_run_advance(f->run, 90 * KS_SEC);
    assert_int_equal(proxied(f, web), 503);
    assert_non_null(strstr(f->rs.body.buf, "error trying to reach service"));
    assert_non_null(strstr(f->rs.body.buf, "connection refused"));
}

/* The clock says how many proxied requests have their answer by the
 * simulated now (proxyAnswered): verify waits for exactly those before it
 * counts a requests row. The request log says a held request is held (not
 * "-> 0 (0 bytes)") and gives its answer a line of its own. */
static void test_proxy_answered(void **state)
{
    static const char web[] = "/api/v1/namespaces/default/services/web/proxy/";
    srv_fixture *f = *state;
    ks_sim *sim = ks_run_sim(f->run);
    ksv_api_config cfg;
    ksv_response rs;
    ksv_proxied *p;
    ks_time next;
    long long taken;
    char text[2048];
    size_t len;
    FILE *log = tmpfile();
    assert_non_null(log);
    ksv_api_destroy(f->api);                     /* one that logs */
    memset(&cfg, 0, sizeof cfg);
    cfg.session_dir = cfg.session_rel = f->session;
    cfg.log = log;
    assert_non_null(f->api = ksv_api_create(f->run, &cfg));
    ks_run_advance(f->run, 20 * KS_SEC);
    assert_int_equal(srv_request(f, "GET", "/kubesim/v1/clock", NULL, NULL), 200);
    taken = num(f, "proxyRequests");
    assert_int_equal(num(f, "proxyAnswered"), taken);
    assert_int_equal(srv_request(f, "GET", web, NULL, NULL), 0);
    p = f->rs.proxied;
    f->rs.proxied = NULL;
    assert_int_equal(srv_request(f, "GET", "/kubesim/v1/clock", NULL, NULL), 200);
    assert_int_equal(num(f, "proxyRequests"), taken + 1);
    assert_int_equal(num(f, "proxyAnswered"), taken);      /* in flight */
    while (!ksv_proxy_ready(p) && ks_next_time(sim, &next))
        ks_run_advance(f->run, next);
    assert_int_equal(srv_request(f, "GET", "/kubesim/v1/clock", NULL, NULL), 200);
    assert_int_equal(num(f, "proxyAnswered"), taken + 1);  /* ready: going out */
    ksv_response_init(&rs);
    ksv_proxy_answer(p, &rs);
    assert_int_equal(rs.status, 200);
    ksv_response_fini(&rs);
    /* refused at once: answered at once */
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/services/nope/proxy/",
                                 NULL, NULL), 404);
    assert_int_equal(srv_request(f, "GET", "/kubesim/v1/clock", NULL, NULL), 200);
    assert_int_equal(num(f, "proxyRequests"), taken + 2);
    assert_int_equal(num(f, "proxyAnswered"), taken + 2);
    rewind(log);
    len = fread(text, 1, sizeof text - 1, log);
    text[len] = '\0';
    fclose(log);
    assert_null(strstr(text, "-> 0 (0 bytes)"));
    assert_non_null(strstr(text, "GET /api/v1/namespaces/default/services/web/proxy/ -> proxied, "
                                 "held for the simulation's answer"));
    assert_non_null(strstr(text, "GET /api/v1/namespaces/default/services/web/proxy/ -> 200 ("));
    assert_non_null(strstr(text, "bytes), the proxied answer after "));
}

/* A pod on a dead node never answers the SYN: the API server's dial times
 * out after 30 s (Go's default dialer), a 503 "i/o timeout"; meanwhile
 * the clock moved only as the simulation ran. */
static void test_proxy_dead_node(void **state)
{
    srv_fixture *f = *state;
    ks_run_advance(f->run, 20 * KS_SEC);
    assert_int_equal(srv_request(f, "POST", "/kubesim/v1/nodes/minikube/fail", NULL, NULL), 200);
    ks_run_advance(f->run, 25 * KS_SEC);          /* NotReady only after 40 s */
    assert_int_equal(proxied(f, "/api/v1/namespaces/default/services/web/proxy/"), 503);
    assert_non_null(strstr(f->rs.body.buf, "dial tcp web.default.svc.cluster.local: i/o timeout"));
    assert_true(f->latency >= 30 * KS_SEC && f->latency < 31 * KS_SEC);
}

/* The ingress controller's Service through the proxy: routed by the Ingress
 * rules, by the request's Host (without its port), as nginx routes. */
static void test_proxy_ingress(void **state)
{
    static const char ingress[] =
        "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\","
        "\"metadata\":{\"name\":\"web\"},\"spec\":{\"ingressClassName\":\"nginx\","
        "\"rules\":[{\"host\":\"shop.example\",\"http\":{\"paths\":[{\"path\":\"/\","
        "\"pathType\":\"Prefix\",\"backend\":{\"service\":{\"name\":\"web\",\"port\":"
        "{\"number\":80}}}}]}}]}}";
    static const char *const ctrl =
        "/api/v1/namespaces/ingress-nginx/services/ingress-nginx-controller:80/proxy/";
    srv_fixture *f = *state;
    assert_int_equal(srv_request(f, "POST", "/apis/networking.k8s.io/v1/namespaces/default/"
                                            "ingresses", NULL, ingress), 201);
    ks_run_advance(f->run, 60 * KS_SEC);
    f->host = "shop.example:6443";
    assert_int_equal(proxied(f, ctrl), 200);
    assert_non_null(strstr(f->rs.body.buf, "200 from pod default/web-"));
    /* a host no rule names: the controller's default backend */
    f->host = "127.0.0.1:6443";
    assert_int_equal(proxied(f, ctrl), 404);
    assert_non_null(strstr(f->rs.body.buf, "404 from the ingress controller's default backend "
                                           "(no Ingress rule for host \"127.0.0.1\", path /)"));
    assert_null(strstr(f->rs.body.buf, "/?"));
    f->host = NULL;
}

/* kubesim's node failure: the node controller marks the node NotReady
 * 40 s later; kept as a node step for --record; a node not there is 404. */
static void test_node_fail(void **state)
{
    srv_fixture *f = *state;
    ks_time t;
    const char *line;
    assert_int_equal(srv_request(f, "GET", "/kubesim/v1/nodes/minikube/fail", NULL, NULL), 405);
    assert_int_equal(srv_request(f, "POST", "/kubesim/v1/nodes/nosuch/fail", NULL, NULL), 404);
    assert_int_equal(srv_request(f, "POST", "/kubesim/v1/nodes/minikube/explode", NULL, NULL),
                     404);
    assert_int_equal(srv_request(f, "POST", "/kubesim/v1/nodes/minikube", NULL, NULL), 404);
    assert_int_equal(ksv_api_steps(f->api), 0);
    assert_int_equal(srv_request(f, "POST", "/kubesim/v1/nodes/minikube/fail", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"action\":\"fail\""));
    assert_int_equal(ksv_api_steps(f->api), 1);
    ksv_api_step(f->api, 0, &t, &line);
    assert_string_equal(line, "node minikube fail");
    ks_run_advance(f->run, ks_now(ks_run_sim(f->run)) + 60 * KS_SEC);
    assert_int_equal(srv_request(f, "GET", "/api/v1/nodes/minikube", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"NodeStatusUnknown\""));
    assert_int_equal(srv_request(f, "POST", "/kubesim/v1/nodes/minikube/recover", NULL, NULL),
                     200);
    assert_int_equal(ksv_api_steps(f->api), 2);
    /* what the API does not say of the cluster's make */
    assert_int_equal(srv_request(f, "GET", "/kubesim/v1/cluster", NULL, NULL), 200);
    assert_non_null(strstr(f->rs.body.buf, "\"cni\":\"auto\""));
    assert_non_null(strstr(f->rs.body.buf, "\"networkPolicy\":false"));
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/cluster", NULL, "{}"), 405);
    /* no metrics-server addon here: no metrics API, and discovery does not list it
       (tests/check_serve.sh runs kubectl top where there is one) */
    assert_int_equal(srv_request(f, "GET", "/apis/metrics.k8s.io/v1beta1/pods", NULL, NULL), 404);
    assert_int_equal(srv_request(f, "GET", "/apis/metrics.k8s.io/v1beta1", NULL, NULL), 404);
    assert_int_equal(srv_request(f, "GET", "/apis", NULL, NULL), 200);
    assert_null(strstr(f->rs.body.buf, "metrics.k8s.io"));
}

static void test_limits(void **state)
{
    srv_fixture *f = *state;
    int i;
    /* open watches and log streams are bounded: the next one is 429 */
    ks_run_advance(f->run, 30 * KS_SEC);       /* flaky has run: its log can be followed */
    for (i = 0; i < KSV_MAX_WATCHES; i++) {
        assert_int_equal(srv_request(f, "GET", "/api/v1/pods?watch=1", NULL, NULL), 200);
        assert_non_null(f->rs.watch);
        f->rs.watch = NULL;
    }
    assert_int_equal(srv_request(f, "GET", "/api/v1/pods?watch=1", NULL, NULL), 429);
    assert_non_null(strstr(f->rs.body.buf, "\"reason\":\"TooManyRequests\""));
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky/log?follow=1",
                                 NULL, NULL), 429);
    /* bodies that are not what they say: 400, never a crash */
    f->content_type = "application/apply-patch+yaml";
    assert_int_equal(srv_request(f, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                                 NULL, "a: &x [*x]"), 400);
    assert_int_equal(srv_request(f, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                                 NULL, "- 1\n- 2\n"), 400);
    f->content_type = NULL;
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/configmaps", NULL,
                                 "[1,2]"), 400);
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/configmaps", NULL,
                                 "{\"metadata\":\"x\"}"), 400);
}

/* ---- times never ahead of the wall (ksv_time.c) ---- */
static int64_t fake_wall;                    /* microseconds since 1970 */

static int64_t fake_wall_us(void)
{
    return fake_wall;
}

/* The earliest and the latest RFC 3339 time in the body, in seconds. */
static void time_span(srv_fixture *f, long long *lo, long long *hi)
{
    const char *p = f->rs.body.buf;
    *lo = -1;
    *hi = -1;
    while ((p = strstr(p, "\"20")) != NULL) {
        struct tm tm;
        const char *end;
        memset(&tm, 0, sizeof tm);
        end = strptime(p + 1, "%Y-%m-%dT%H:%M:%S", &tm);
        p++;
        if (end && (*end == 'Z' || *end == '.')) {
            long long t = (long long)timegm(&tm);
            *lo = *lo < 0 || t < *lo ? t : *lo;
            *hi = t > *hi ? t : *hi;
        }
    }
}

/* A ConfigMap made now: its creationTimestamp, in seconds. */
static long long made_at(srv_fixture *f, const char *name)
{
    char body[200];
    long long lo, hi;
    snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                "\"metadata\":{\"name\":\"%s\"}}", name);
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/configmaps", NULL, body),
                     201);
    time_span(f, &lo, &hi);
    assert_int_equal(lo, hi);
    return hi;
}

/* wall_s wall seconds later, the clock run to run_to_s simulated seconds:
 * the creationTimestamp of a ConfigMap made then. */
static long long made_after(srv_fixture *f, int wall_s, int run_to_s, const char *name)
{
    char body[64];
    fake_wall += wall_s * 1000000LL;
    snprintf(body, sizeof body, "{\"runTo\":%d000000}", run_to_s);
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL, body), 200);
    return made_at(f, name);
}

/* The newest time in the answer to GET target, in seconds. */
static long long newest_in(srv_fixture *f, const char *target)
{
    long long lo, hi;
    assert_int_equal(srv_request(f, "GET", target, NULL, NULL), 200);
    time_span(f, &lo, &hi);
    return hi;
}

/* The body's metadata.deletionTimestamp, in seconds. */
static long long deletion_timestamp(srv_fixture *f)
{
    json_t *j = json_loadb(f->rs.body.buf, f->rs.body.len, 0, NULL);
    const char *s = json_string_value(json_object_get(json_object_get(j, "metadata"),
                                                      "deletionTimestamp"));
    struct tm tm;
    long long t = -1;
    memset(&tm, 0, sizeof tm);
    if (s && strptime(s, "%Y-%m-%dT%H:%M:%S", &tm))
        t = (long long)timegm(&tm);
    json_decref(j);
    return t;
}

static void test_times_follow_wall(void **state)
{
    srv_fixture *f = *state;
    const long long e = 1796000000;          /* the server starts at this wall second */
    ksv_api_config cfg;
    long long lo, hi, deleting;
    char created[64];
    memset(&cfg, 0, sizeof cfg);
    cfg.session_dir = cfg.session_rel = f->session;
    cfg.epoch_us = e * 1000000;
    cfg.wall_us = fake_wall_us;
    fake_wall = cfg.epoch_us;
    ksv_api_destroy(f->api);
    /* every pod kept for its unchanged version is built again and must be
       as it was (server/ksv_store.c aborts otherwise) */
    setenv("KUBESIM_SERVE_CHECK_VERSIONS", "1", 1);
    f->api = ksv_api_create(f->run, &cfg);
    unsetenv("KUBESIM_SERVE_CHECK_VERSIONS");
    assert_non_null(f->api);
    assert_int_equal(srv_request(f, "POST", "/api/v1/namespaces/default/pods", NULL,
                                 "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                                 "{\"name\":\"slow\"},\"spec\":{\"containers\":[{\"name\":"
                                 "\"app\",\"image\":\"busybox:1.36\",\"command\":[\"sleep\","
                                 "\"3600\"]}]}}"), 201);
    /* a client runs 60 simulated seconds in 1 wall second: nothing is in the
       client's future (kubectl would print <invalid>), the newest is now */
    fake_wall += 1000000;
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL,
                                 "{\"paused\":true,\"runTo\":60000000}"), 200);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/events", NULL, NULL), 200);
    time_span(f, &lo, &hi);
    assert_true(lo >= e && hi <= e + 1);
    assert_int_equal(made_at(f, "c1"), e + 1);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky", NULL, NULL),
                     200);
    {
        json_t *j = json_loadb(f->rs.body.buf, f->rs.body.len, 0, NULL);
        snprintf(created, sizeof created, "%s", json_string_value(json_object_get(
                     json_object_get(j, "metadata"), "creationTimestamp")));
        json_decref(j);
    }
    time_span(f, &lo, &hi);
    assert_true(lo >= e && hi <= e + 1);
    /* slow deleted with 30 s of grace (sleep ignores SIGTERM): its
       deletionTimestamp, set once, 30 s on */
    assert_int_equal(srv_request(f, "DELETE", "/api/v1/namespaces/default/pods/slow", NULL,
                                 "{\"gracePeriodSeconds\":30}"), 200);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/slow", NULL, NULL),
                     200);
    deleting = deletion_timestamp(f);
    assert_int_equal(deleting, e + 1 + 30);
    /* 100 wall seconds paused, then 10 ms: a new segment of the map; the
       time set once does not move with it */
    fake_wall += 100 * 1000000LL;
    assert_int_equal(srv_request(f, "PUT", "/kubesim/v1/clock", NULL,
                                 "{\"runTo\":60010000}"), 200);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/slow", NULL, NULL),
                     200);
    assert_int_equal(deletion_timestamp(f), deleting);
    /* then 10 simulated seconds: what is made now shows now (the map jumped
       over the pause); what was shown stays */
    assert_int_equal(made_after(f, 0, 70, "c2"), e + 101);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/events", NULL, NULL), 200);
    time_span(f, &lo, &hi);
    assert_true(lo >= e && hi <= e + 101);
    assert_int_equal(srv_request(f, "GET", "/api/v1/namespaces/default/pods/flaky", NULL, NULL),
                     200);
    assert_non_null(strstr(f->rs.body.buf, created));
    /* the clock follows the wall at 1x: 30 s later is 30 s later */
    assert_int_equal(made_after(f, 30, 100, "c3"), e + 131);
    assert_int_equal(newest_in(f, "/api/v1/namespaces/default/configmaps/c2"), e + 101);
    /* at 2x (the window's + key), 20 simulated seconds take 10 wall seconds;
       what was shown at 1x does not move */
    ksv_api_set_clock(f->api, false, 2);
    assert_int_equal(made_after(f, 10, 120, "c4"), e + 141);
    assert_int_equal(made_after(f, 10, 140, "c5"), e + 151);
    assert_int_equal(newest_in(f, "/api/v1/namespaces/default/configmaps/c3"), e + 131);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        SRV_TEST(test_logs),
        SRV_TEST(test_clock_speed),
        SRV_TEST(test_exec),
        SRV_TEST(test_clock),
        SRV_TEST(test_proxy),
        SRV_TEST(test_proxy_answered),
        SRV_TEST(test_proxy_dead_node),
        SRV_TEST(test_proxy_ingress),
        SRV_TEST(test_node_fail),
        SRV_TEST(test_limits),
        SRV_TEST(test_times_follow_wall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
