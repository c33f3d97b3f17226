/* test_verify_http.c -- verify/'s client paths against a tiny local HTTP
 * responder (libmicrohttpd, a thread of this test): the ones kubesim serve
 * cannot exercise yet -- a server that refuses to create a namespace (the
 * fallback), one without server-side apply (the create after it), a
 * kubesim-serve clock stepped to an instant -- and the bearer token, the
 * label selector's encoding, a 401, the pods a `pods` expectation sees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <microhttpd.h>

#include <gnutls/gnutls.h>

#include "ksv_tls.h"
#include "kvf_clock.h"
#include "kvf_cluster.h"
#include "kvf_observe.h"

#define TOKEN "t0k"

static struct MHD_Daemon *daemon_;
static char seen[64][300];        /* "METHOD path?query" of each request */
static int nseen;
static long long now_us = 7000000; /* the responder's clock: 7s */
static long long end_us = 1000000000; /* ...which stops there, as serve's run ends */
static char server_url[64];

typedef struct upload {
    char buf[8192];
    size_t len;
} upload;

static const char *answer(const char *method, const char *url, const char *query,
                          const char *body, int *status)
{
    static char buf[2048];
    *status = 200;
    if (strcmp(url, "/api/v1") == 0)
        return "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
               "{\"name\":\"namespaces\",\"kind\":\"Namespace\",\"namespaced\":false},"
               "{\"name\":\"pods\",\"kind\":\"Pod\",\"namespaced\":true},"
               "{\"name\":\"pods/log\",\"kind\":\"Pod\",\"namespaced\":true}]}";
    if (strcmp(url, "/apis") == 0)
        return "{\"kind\":\"APIGroupList\",\"groups\":[{\"name\":\"apps\",\"preferredVersion\":"
               "{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}}]}";
    if (strcmp(url, "/apis/apps/v1") == 0)
        return "{\"kind\":\"APIResourceList\",\"resources\":[{\"name\":\"deployments\","
               "\"kind\":\"Deployment\",\"namespaced\":true}]}";
    if (strcmp(url, "/api/v1/namespaces") == 0 && strcmp(method, "POST") == 0) {
        *status = 403;
        return "{\"kind\":\"Status\",\"message\":\"namespaces is forbidden\"}";
    }
    if (strncmp(url, "/apis/apps/v1/namespaces/lessons/deployments/web", 48) == 0
        && strcmp(method, "PATCH") == 0) {
        *status = 415;
        return "{\"kind\":\"Status\",\"message\":\"the body of the request was in an unknown "
               "format\"}";
    }
    if (strcmp(url, "/apis/apps/v1/namespaces/lessons/deployments") == 0
        && strcmp(method, "POST") == 0) {
        *status = strstr(body, "\"namespace\":\"lessons\"") ? 201 : 400;
        return "{}";
    }
    if (strcmp(url, "/api/v1/namespaces/lessons/pods") == 0)
        return "{\"kind\":\"PodList\",\"items\":["
               "{\"metadata\":{\"name\":\"web-1\",\"labels\":{\"app\":\"web\"}},\"status\":"
               "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
               "\"containerStatuses\":[{\"ready\":true,\"restartCount\":0,\"state\":"
               "{\"running\":{}}}]}},"
               "{\"metadata\":{\"name\":\"web-2\",\"labels\":{\"app\":\"web\"}},\"status\":"
               "{\"phase\":\"Running\",\"containerStatuses\":[{\"restartCount\":3,\"state\":"
               "{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}}]}";
    if (strcmp(url, "/kubesim/v1/clock") == 0) {
        const char *rt = strstr(body, "\"runTo\":");
        if (strcmp(method, "PUT") == 0 && rt && atoll(rt + 8) < now_us) {
            *status = 422;
            return "{\"kind\":\"Status\",\"message\":\"runTo is before now\"}";
        }
        if (strcmp(method, "PUT") == 0 && rt)
            now_us = atoll(rt + 8) < end_us ? atoll(rt + 8) : end_us;
        snprintf(buf, sizeof buf, "{\"paused\":true,\"runTo\":null,\"nowMicros\":%lld}", now_us);
        return buf;
    }
    (void)query;
    *status = 404;
    return "{\"kind\":\"Status\",\"message\":\"not found\"}";
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **con_cls)
{
    upload *up = *con_cls;
    struct MHD_Response *rs;
    const char *auth, *sel, *text;
    int status;
    enum MHD_Result ret;
    (void)cls;
    (void)version;
    if (!up) {
        *con_cls = up = calloc(1, sizeof *up);
        return up ? MHD_YES : MHD_NO;
    }
    if (*size) {
        size_t n = *size < sizeof up->buf - up->len - 1 ? *size : sizeof up->buf - up->len - 1;
        memcpy(up->buf + up->len, data, n);
        up->len += n;
        *size = 0;
        return MHD_YES;
    }
    auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    sel = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "labelSelector");
    if (nseen < 64)
        snprintf(seen[nseen++], sizeof seen[0], "%s %s%s%s", method, url, sel ? "?sel=" : "",
                 sel ? sel : "");
    if (!auth || strcmp(auth, "Bearer " TOKEN) != 0) {
        status = 401;
        text = "{\"kind\":\"Status\",\"message\":\"Unauthorized\"}";
    } else {
        text = answer(method, url, sel, up->buf, &status);
    }
    rs = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(rs, "Content-Type", "application/json");
    ret = MHD_queue_response(conn, (unsigned)status, rs);
    MHD_destroy_response(rs);
    return ret;
}

static void done(void *cls, struct MHD_Connection *c, void **con_cls,
                 enum MHD_RequestTerminationCode t)
{
    (void)cls;
    (void)c;
    (void)t;
    free(*con_cls);
    *con_cls = NULL;
}

static int setup(void **state)
{
    const union MHD_DaemonInfo *info;
    (void)state;
    daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL,
                               NULL, handle, NULL, MHD_OPTION_NOTIFY_COMPLETED, done, NULL,
                               MHD_OPTION_END);
    if (!daemon_)
        return -1;
    info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(server_url, sizeof server_url, "http://127.0.0.1:%u", info->port);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    MHD_stop_daemon(daemon_);
    return 0;
}

static kvf_client *client_with(const char *token)
{
    kvf_kubeconfig kc;
    char why[300];
    kvf_client *c;
    memset(&kc, 0, sizeof kc);
    kc.server = server_url;
    kc.token = token;
    c = kvf_client_create(&kc, 10000, why, sizeof why);
    assert_non_null(c);
    return c;
}

static bool was_seen(const char *what)
{
    int i;
    for (i = 0; i < nseen; i++)
        if (strcmp(seen[i], what) == 0)
            return true;
    return false;
}

static void test_verify_http_fallbacks(void **state)
{
    kvf_client *c = client_with(TOKEN);
    kvf_cluster *k;
    char why[400], ns[64], note[400], what[400];
    bool created = true;
    json_t *obj;
    (void)state;
    k = kvf_cluster_create(c, why, sizeof why);
    assert_non_null(k);
    assert_int_equal(kvf_cluster_resource_count(k), 3);   /* pods/log left out */
    assert_non_null(kvf_cluster_find_kind(k, "apps/v1", "Deployment"));
    assert_null(kvf_cluster_find_kind(k, "v1", "Deployment"));
    assert_true(kvf_cluster_find(k, "pods")->namespaced);
    /* no namespace of our own: the context's, said so */
    assert_int_equal(kvf_cluster_namespace(k, NULL, "kubesim-verify-x", "lessons", ns,
                                           sizeof ns, &created, note, sizeof note), 0);
    assert_string_equal(ns, "lessons");
    assert_false(created);
    assert_non_null(strstr(note, "namespaces is forbidden"));
    /* no server-side apply: created instead, in the namespace */
    obj = json_pack("{ss ss s{ss}}", "apiVersion", "apps/v1", "kind", "Deployment", "metadata",
                    "name", "web");
    assert_int_equal(kvf_cluster_apply(k, ns, obj, what, sizeof what), 0);
    assert_string_equal(what, "deployment.apps/web created");
    assert_true(was_seen("PATCH /apis/apps/v1/namespaces/lessons/deployments/web"));
    json_decref(obj);
    obj = json_pack("{ss ss s{ss}}", "apiVersion", "example.com/v1", "kind", "Widget",
                    "metadata", "name", "w");
    assert_int_equal(kvf_cluster_apply(k, ns, obj, what, sizeof what), -1);
    assert_non_null(strstr(what, "the server does not serve this kind"));
    json_decref(obj);
    kvf_cluster_destroy(k);
    kvf_client_destroy(c);
}

static void test_verify_http_observe_pods(void **state)
{
    kvf_client *c = client_with(TOKEN);
    char why[400], err[200];
    kvf_cluster *k = kvf_cluster_create(c, why, sizeof why);
    kvf_observer *o = kvf_observer_create(k, "lessons", NULL);
    ks_arena *ar = ks_arena_create(NULL);
    ks_scn_expect e;
    kvf_outcome out;
    (void)state;
    memset(&e, 0, sizeof e);
    e.kind = KS_SCN_EXP_PODS;
    e.selector.text = "app=web";
    assert_int_equal(ks_scn_selector_parse(ar, e.selector.text, &e.selector.sel, err,
                                           sizeof err), KS_OK);
    assert_int_equal(ks_scn_cmp_parse("2", false, &e.ready, err, sizeof err), KS_OK);
    kvf_observe(o, &e, &out);
    assert_int_equal(out.state, KVF_OBS_FAIL);
    assert_string_equal(out.actual, "count 2, ready 1, running 1");
    assert_true(was_seen("GET /api/v1/namespaces/lessons/pods?sel=app=web"));
    assert_int_equal(ks_scn_cmp_parse(">= 1", false, &e.ready, err, sizeof err), KS_OK);
    kvf_observe(o, &e, &out);
    assert_int_equal(out.state, KVF_OBS_PASS);
    /* records: never passed, said why */
    e.kind = KS_SCN_EXP_RECORDS;
    kvf_observe(o, &e, &out);
    assert_int_equal(out.state, KVF_OBS_UNOBSERVABLE);
    ks_arena_destroy(ar);
    kvf_observer_destroy(o);
    kvf_cluster_destroy(k);
    kvf_client_destroy(c);
}

/* ---- TLS with a client certificate, as a kubeconfig's user carries it
 * (client-certificate-data, client-key-data) against a server that asks
 * for one and trusts only that certificate ---------------------------------- */
static enum MHD_Result handle_tls(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **con_cls)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    gnutls_session_t tls = ci ? (gnutls_session_t)ci->tls_session : NULL;
    unsigned peers = 0, status = 1;
    const char *text = "{\"kind\":\"Status\",\"message\":\"Unauthorized\"}";
    struct MHD_Response *rs;
    enum MHD_Result ret;
    int code = 401;
    (void)cls;
    (void)method;
    (void)version;
    (void)data;
    (void)size;
    if (!*con_cls) {
        *con_cls = (void *)1;
        return MHD_YES;
    }
    if (tls && gnutls_certificate_get_peers(tls, &peers) && peers > 0
        && gnutls_certificate_verify_peers2(tls, &status) == 0 && status == 0
        && strcmp(url, "/api/v1") == 0) {
        code = 200;
        text = "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":[]}";
    }
    rs = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    ret = MHD_queue_response(conn, (unsigned)code, rs);
    MHD_destroy_response(rs);
    return ret;
}

static void test_verify_http_client_certificate(void **state)
{
    char *srv_cert, *srv_key, *cli_cert, *cli_key, *other_cert, *other_key, err[300], why[300],
         url[64];
    const union MHD_DaemonInfo *info;
    struct MHD_Daemon *d;
    kvf_kubeconfig kc;
    kvf_client *c;
    json_t *j;
    long status;
    (void)state;
    assert_int_equal(ksv_tls_make("127.0.0.1", &srv_cert, &srv_key, err, sizeof err), 0);
    assert_int_equal(ksv_tls_make("127.0.0.2", &cli_cert, &cli_key, err, sizeof err), 0);
    assert_int_equal(ksv_tls_make("127.0.0.3", &other_cert, &other_key, err, sizeof err), 0);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_TLS | MHD_USE_ERROR_LOG, 0,
                         NULL, NULL, handle_tls, NULL, MHD_OPTION_HTTPS_MEM_CERT, srv_cert,
                         MHD_OPTION_HTTPS_MEM_KEY, srv_key, MHD_OPTION_HTTPS_MEM_TRUST,
                         cli_cert, MHD_OPTION_END);
    assert_non_null(d);
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(url, sizeof url, "https://127.0.0.1:%u", info->port);
    memset(&kc, 0, sizeof kc);
    kc.server = url;
    kc.ca = srv_cert;                 /* certificate-authority-data: the server's own */
    kc.ca_len = strlen(srv_cert);
    kc.cert = cli_cert;
    kc.cert_len = strlen(cli_cert);
    kc.key = cli_key;
    kc.key_len = strlen(cli_key);
    c = kvf_client_create(&kc, 10000, why, sizeof why);
    assert_non_null(c);
    j = kvf_client_get_json(c, "/api/v1", &status, why, sizeof why);
    assert_non_null(j);
    assert_int_equal(status, 200);
    json_decref(j);
    kvf_client_destroy(c);
    /* a certificate the server does not trust, and none: refused */
    kc.cert = other_cert;
    kc.cert_len = strlen(other_cert);
    kc.key = other_key;
    kc.key_len = strlen(other_key);
    c = kvf_client_create(&kc, 10000, why, sizeof why);
    assert_null(kvf_client_get_json(c, "/api/v1", &status, why, sizeof why));
    assert_true(status == 401 || status == 0);
    kvf_client_destroy(c);
    kc.cert = kc.key = NULL;
    kc.cert_len = kc.key_len = 0;
    c = kvf_client_create(&kc, 10000, why, sizeof why);
    assert_null(kvf_client_get_json(c, "/api/v1", &status, why, sizeof why));
    assert_true(status == 401 || status == 0);
    kvf_client_destroy(c);
    MHD_stop_daemon(d);
    free(srv_cert);
    free(srv_key);
    free(cli_cert);
    free(cli_key);
    free(other_cert);
    free(other_key);
}

static void test_verify_http_clock_stepped(void **state)
{
    kvf_client *c = client_with(TOKEN);
    char how[300], why[300];
    kvf_clock *k;
    (void)state;
    now_us = 7000000;
    k = kvf_clock_create(c, 1, false, false, how, sizeof how);
    assert_non_null(k);
    assert_true(kvf_clock_stepped(k));
    assert_non_null(strstr(how, "stepped"));
    assert_int_equal(kvf_clock_advance(k, 5 * KS_SEC, why, sizeof why), 0);
    assert_int_equal(now_us, 12000000);           /* the server's 7s + 5s */
    assert_int_equal(kvf_clock_now(k), 5 * KS_SEC);
    kvf_clock_destroy(k);
    /* from its 0s (observe-only): the server's clock is the scenario's */
    k = kvf_clock_create(c, 1, false, true, how, sizeof how);
    assert_int_equal(kvf_clock_advance(k, 20 * KS_SEC, why, sizeof why), 0);
    assert_int_equal(now_us, 20000000);
    /* where it already is: no request */
    nseen = 0;
    assert_int_equal(kvf_clock_advance(k, 20 * KS_SEC, why, sizeof why), 0);
    assert_int_equal(nseen, 0);
    /* moved past t by someone else (a proxied request): 422, then read, fine */
    now_us = 25000000;
    assert_int_equal(kvf_clock_advance(k, 22 * KS_SEC, why, sizeof why), 0);
    assert_int_equal(now_us, 25000000);
    /* a run that ends before t: said at once, not waited on */
    end_us = 30000000;
    assert_int_equal(kvf_clock_advance(k, 40 * KS_SEC, why, sizeof why), -1);
    assert_non_null(strstr(why, "the server's simulation ends at 30.0s and does not run to 40.0s"));
    end_us = 1000000000;
    kvf_clock_destroy(k);
    /* --wall-clock: never touches the server's */
    k = kvf_clock_create(c, 64, true, false, how, sizeof how);
    assert_false(kvf_clock_stepped(k));
    assert_string_equal(how, "wall time x 64");
    kvf_clock_destroy(k);
    kvf_client_destroy(c);
}

static void test_verify_http_unauthorized(void **state)
{
    kvf_client *c = client_with("wrong");
    char why[400];
    (void)state;
    assert_null(kvf_cluster_create(c, why, sizeof why));
    assert_string_equal(why, "401: Unauthorized");
    kvf_client_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_http_fallbacks),
        cmocka_unit_test(test_verify_http_observe_pods),
        cmocka_unit_test(test_verify_http_clock_stepped),
        cmocka_unit_test(test_verify_http_client_certificate),
        cmocka_unit_test(test_verify_http_unauthorized),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
