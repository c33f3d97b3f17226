/* test_verify.c -- verify/'s parts that need no cluster: the kubeconfig
 * reader (merging, contexts, relative paths, tokens, certificates, plugins
 * refused), YAML into JSON, the kubectl STATUS of a pod, the clock
 * endpoint's answer, words of a kubectl line. The client paths against a
 * server are run by tests/check_verify.sh against `kubesim serve`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kvf_clock.h"
#include "kvf_count.h"
#include "kvf_kubeconfig.h"
#include "kvf_manifest.h"
#include "kvf_observe.h"
#include "kvf_verify.h"

static char dir[256];

static const char *write_file(const char *name, const char *text)
{
    static char path[8][512];
    static int k;
    FILE *f;
    char *p = path[k++ % 8];
    snprintf(p, 512, "%s/%s", dir, name);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_verify.XXXXXX");
    assert_non_null(mkdtemp(dir));
    unsetenv("KUBECONFIG");
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* "Y2EtcGVt" is base64 of "ca-pem". */
static const char first_file[] =
    "apiVersion: v1\nkind: Config\n"
    "current-context: kind-kind\n"
    "clusters:\n"
    "- name: kind-kind\n"
    "  cluster:\n"
    "    server: https://127.0.0.1:6443\n"
    "    certificate-authority-data: Y2EtcGVt\n"
    "- name: mk\n"
    "  cluster:\n"
    "    server: https://192.168.49.2:8443\n"
    "    certificate-authority: certs/ca.crt\n"
    "contexts:\n"
    "- name: kind-kind\n"
    "  context: {cluster: kind-kind, user: kind-kind}\n"
    "- name: minikube\n"
    "  context: {cluster: mk, user: mk, namespace: lessons}\n"
    "users:\n"
    "- name: kind-kind\n"
    "  user:\n"
    "    client-certificate-data: Y2VydA==\n"
    "    client-key-data: a2V5\n"
    "- name: mk\n"
    "  user:\n"
    "    tokenFile: token.txt\n";

static void test_verify_kubeconfig_current_context(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    kvf_kubeconfig kc;
    ks_diags d;
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(kvf_kubeconfig_load(ar, write_file("a.yaml", first_file), NULL, &kc, &d),
                     KS_OK);
    assert_string_equal(kc.context, "kind-kind");
    assert_string_equal(kc.server, "https://127.0.0.1:6443");
    assert_string_equal(kc.ns, "default");
    assert_int_equal(kc.ca_len, 6);
    assert_memory_equal(kc.ca, "ca-pem", 6);
    assert_memory_equal(kc.cert, "cert", 4);
    assert_memory_equal(kc.key, "key", 3);
    assert_null(kc.token);
    ks_arena_destroy(ar);
}

/* Relative paths start at the kubeconfig's folder; a token file loses its newline. */
static void test_verify_kubeconfig_files_and_token(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    kvf_kubeconfig kc;
    ks_diags d;
    char certs[300];
    (void)state;
    snprintf(certs, sizeof certs, "%s/certs", dir);
    mkdir(certs, 0700);
    write_file("certs/ca.crt", "-----BEGIN CERTIFICATE-----\n");
    write_file("token.txt", "s3cret\n");
    ks_diags_init(&d);
    assert_int_equal(kvf_kubeconfig_load(ar, write_file("a.yaml", first_file), "minikube", &kc,
                                         &d), KS_OK);
    assert_string_equal(kc.server, "https://192.168.49.2:8443");
    assert_string_equal(kc.ns, "lessons");
    assert_string_equal(kc.token, "s3cret");
    assert_memory_equal(kc.ca, "-----BEGIN", 10);
    ks_arena_destroy(ar);
}

/* $KUBECONFIG: the first file naming an entry wins, and the first current-context. */
static void test_verify_kubeconfig_merge(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    kvf_kubeconfig kc;
    ks_diags d;
    char env[1200];
    const char *a = write_file("m1.yaml", "current-context: second\n"
                                          "clusters:\n- name: c\n  cluster: {server: "
                                          "'https://one:1'}\n");
    const char *b = write_file("m2.yaml", "current-context: nope\n"
                                          "clusters:\n- name: c\n  cluster: {server: "
                                          "'https://two:2'}\n"
                                          "contexts:\n- name: second\n  context: {cluster: c, "
                                          "user: u}\n"
                                          "users:\n- name: u\n  user: {token: abc}\n");
    (void)state;
    snprintf(env, sizeof env, "%s:%s/missing.yaml:%s", a, dir, b);
    setenv("KUBECONFIG", env, 1);
    ks_diags_init(&d);
    assert_int_equal(kvf_kubeconfig_load(ar, NULL, NULL, &kc, &d), KS_OK);
    unsetenv("KUBECONFIG");
    assert_string_equal(kc.context, "second");
    assert_string_equal(kc.server, "https://one:1");
    assert_string_equal(kc.token, "abc");
    ks_arena_destroy(ar);
}

static void expect_error(const char *text, const char *context, const char *words,
                         unsigned line, unsigned col)
{
    ks_arena *ar = ks_arena_create(NULL);
    kvf_kubeconfig kc;
    ks_diags d;
    char msg[1024];
    ks_diags_init(&d);
    assert_int_not_equal(kvf_kubeconfig_load(ar, write_file("bad.yaml", text), context, &kc,
                                             &d), KS_OK);
    assert_true(d.n >= 1);
    ks_diag_format(&d, 0, msg, sizeof msg);
    if (!strstr(msg, words))
        fail_msg("\"%s\" does not say \"%s\"", msg, words);
    if (line) {
        print_message("%s\n", msg);
        assert_int_equal(d.items[0].err.line, line);
        assert_int_equal(d.items[0].err.col, col);
    }
    ks_arena_destroy(ar);
}

static void test_verify_kubeconfig_refuses(void **state)
{
    (void)state;
    /* an exec plugin (GKE, EKS, AKS...): never run, located, what to do */
    expect_error("current-context: gke\n"
                 "clusters:\n- name: g\n  cluster: {server: 'https://g:443'}\n"
                 "contexts:\n- name: gke\n  context: {cluster: g, user: g}\n"
                 "users:\n- name: g\n  user:\n    exec:\n      command: gke-gcloud-auth-plugin\n",
                 NULL, "exec plugin (gke-gcloud-auth-plugin), which kubesim verify does not run",
                 12, 7);
    expect_error("current-context: old\n"
                 "clusters:\n- name: g\n  cluster: {server: 'https://g:443'}\n"
                 "contexts:\n- name: old\n  context: {cluster: g, user: g}\n"
                 "users:\n- name: g\n  user:\n    auth-provider: {name: oidc}\n",
                 NULL, "auth-provider plugin (oidc)", 11, 20);
    expect_error(first_file, "nosuch", "no context named nosuch; the contexts are: kind-kind, "
                 "minikube", 0, 0);
    expect_error("clusters: []\n", NULL, "no current-context", 0, 0);
    expect_error("current-context: x\ncontexts:\n- name: x\n  context: {cluster: gone}\n", NULL,
                 "names cluster gone, which no kubeconfig file defines", 4, 22);
    expect_error("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\n"
                 "clusters:\n- name: c\n  cluster:\n    server: 'https://c'\n"
                 "    certificate-authority-data: '%%%'\n", NULL, "is not base64", 9, 33);
    expect_error("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\n"
                 "clusters:\n- name: c\n  cluster:\n    server: 'https://c'\n"
                 "    certificate-authority: no/such.crt\n", NULL, "cannot read", 9, 28);
}

/* kubectl runs from the scenario's folder, so verify makes --kubeconfig and
 * $KUBECONFIG absolute at start: an existing file by realpath, a missing one
 * against the current folder, a list entry by entry. */
static void test_verify_kubeconfig_absolute(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    char old[512], real[512], want[1600];
    (void)state;
    assert_non_null(getcwd(old, sizeof old));
    write_file("rel.yaml", first_file);
    assert_non_null(realpath(dir, real));
    assert_int_equal(chdir(dir), 0);
    snprintf(want, sizeof want, "%s/rel.yaml", real);
    assert_string_equal(kvf_kubeconfig_absolute(ar, "rel.yaml", false), want);
    assert_string_equal(kvf_kubeconfig_absolute(ar, "./certs/../rel.yaml", false), want);
    snprintf(want, sizeof want, "%s/none.yaml", real);
    assert_string_equal(kvf_kubeconfig_absolute(ar, "none.yaml", false), want);
    assert_string_equal(kvf_kubeconfig_absolute(ar, "/etc/kube/a:b", false), "/etc/kube/a:b");
    snprintf(want, sizeof want, "%s/rel.yaml:/etc/kube/config:%s/none.yaml", real, real);
    assert_string_equal(kvf_kubeconfig_absolute(ar, "rel.yaml::/etc/kube/config:none.yaml", true),
                        want);
    assert_string_equal(kvf_kubeconfig_absolute(ar, ":", true), "");
    assert_int_equal(chdir(old), 0);
    ks_arena_destroy(ar);
}

/* A shell image's count: {mounts} is the container's data volumes' mount
 * paths (not its ConfigMaps'); a claim's records, that claim's mount; a
 * container with no data volume has none (its files are in its layer). */
static void test_verify_count_argv(void **state)
{
    static const char *const count[] = {"sh", "-c", "find \"$@\" -type f | wc -l", "sh",
                                        "{mounts}"};
    static const char *const psql[] = {"psql", "-tAc", "select count(*) from values"};
    json_t *p = json_loads(
        "{\"spec\": {\"volumes\": [{\"name\": \"scratch\", \"emptyDir\": {}},"
        " {\"name\": \"cfg\", \"configMap\": {\"name\": \"c\"}},"
        " {\"name\": \"data\", \"persistentVolumeClaim\": {\"claimName\": \"pvc\"}}],"
        " \"containers\": ["
        "  {\"name\": \"w\", \"volumeMounts\": [{\"name\": \"scratch\", \"mountPath\": \"/scratch\"},"
        "   {\"name\": \"cfg\", \"mountPath\": \"/etc/c\"},"
        "   {\"name\": \"data\", \"mountPath\": \"/data\"}]},"
        "  {\"name\": \"bare\", \"volumeMounts\": [{\"name\": \"cfg\", \"mountPath\": \"/etc/c\"}]}]}}",
        0, NULL);
    json_t *w = json_array_get(json_object_get(json_object_get(p, "spec"), "containers"), 0);
    json_t *bare = json_array_get(json_object_get(json_object_get(p, "spec"), "containers"), 1);
    const char *argv[8];
    (void)state;
    assert_non_null(p);
    assert_int_equal(kvf_count_argv(count, 5, p, w, NULL, argv, 8), 6);
    assert_string_equal(argv[2], "find \"$@\" -type f | wc -l");
    assert_string_equal(argv[4], "/scratch");
    assert_string_equal(argv[5], "/data");
    assert_int_equal(kvf_count_argv(count, 5, p, w, "data", argv, 8), 5);
    assert_string_equal(argv[4], "/data");
    assert_int_equal(kvf_count_argv(count, 5, p, bare, NULL, argv, 8), 0);
    assert_int_equal(kvf_count_argv(count, 5, p, w, NULL, argv, 5), 0);   /* does not fit */
    assert_int_equal(kvf_count_argv(psql, 3, p, bare, NULL, argv, 8), 3);
    assert_string_equal(argv[2], "select count(*) from values");
    json_decref(p);
}

static void test_verify_yaml_to_json(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_yaml_limits lim = ks_yaml_default_limits();
    ks_yaml_stream *st;
    ks_diags d;
    json_t *j;
    char *s;
    static const char y[] = "a: 1\nb: '1'\nc: true\nd: null\ne: [x, 2.5]\nf: |\n  text\n";
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_yaml_parse(ar, "t.yaml", y, strlen(y), &lim, &st, &d), KS_OK);
    j = kvf_yaml_to_json(st->docs[0].root);
    s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(s, "{\"a\":1,\"b\":\"1\",\"c\":true,\"d\":null,\"e\":[\"x\",2.5],"
                           "\"f\":\"text\\n\"}");
    free(s);
    json_decref(j);
    ks_arena_destroy(ar);
}

static void status_is(const char *pod_json, const char *want)
{
    json_error_t err;
    json_t *p = json_loads(pod_json, 0, &err);
    char buf[64];
    assert_non_null(p);
    kvf_pod_status(p, buf, sizeof buf);
    assert_string_equal(buf, want);
    json_decref(p);
}

static void test_verify_pod_status(void **state)
{
    (void)state;
    status_is("{\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,"
              "\"state\":{\"running\":{}}}]}}", "Running");
    status_is("{\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"restartCount\":2,"
              "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}}",
              "CrashLoopBackOff");
    status_is("{\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"state\":"
              "{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\"}}}]}}", "Error");
    status_is("{\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"state\":"
              "{\"terminated\":{\"exitCode\":2}}}]}}", "ExitCode:2");
    status_is("{\"metadata\":{\"deletionTimestamp\":\"2024-01-01T00:00:00Z\"},\"status\":"
              "{\"phase\":\"Running\"}}", "Terminating");
    status_is("{\"spec\":{\"initContainers\":[{},{}]},\"status\":{\"phase\":\"Pending\","
              "\"initContainerStatuses\":[{\"state\":{\"terminated\":{\"exitCode\":0}}},"
              "{\"state\":{\"running\":{}}}]}}", "Init:1/2");
    status_is("{\"status\":{\"phase\":\"Pending\"}}", "Pending");
}

static void test_verify_clock_answer(void **state)
{
    bool paused;
    ks_time now;
    static const char ok[] = "{\"paused\":true,\"runTo\":null,\"nowMicros\":4000000}";
    (void)state;
    assert_int_equal(kvf_clock_parse(ok, strlen(ok), &paused, &now), 0);
    assert_true(paused);
    assert_int_equal(now, 4 * KS_SEC);
    assert_int_equal(kvf_clock_parse("{\"paused\":1}", 12, &paused, &now), -1);
    assert_int_equal(kvf_clock_parse("nope", 4, &paused, &now), -1);
}

static void test_verify_words(void **state)
{
    char line[] = "create secret generic pg --from-literal 'A=b c' \"x\\\"y\"  -n  ns";
    char bad[] = "logs 'oops";
    char *w[16];
    (void)state;
    assert_int_equal(kvf_split_words(line, w, 16), 9);
    assert_string_equal(w[5], "A=b c");
    assert_string_equal(w[6], "x\"y");
    assert_string_equal(w[7], "-n");
    assert_int_equal(kvf_split_words(bad, w, 16), -1);
}

/* what a kubectl step is run with: deletes do not wait; waiting steps go on
 * in the background; a step is bounded in wall time */
/* A success rate is a sample: its 95% Wilson interval, and whether a
 * threshold lies inside it (lesson 14: 168 of 181 is 92.82%; >= 95% cannot
 * be told from that sample; 100% never is a draw). */
static void test_verify_sampling(void **state)
{
    ks_scn_expect e;
    double lo, hi;
    (void)state;
    kvf_rate_interval(168, 181, &lo, &hi);
    assert_true(lo > 0.880 && lo < 0.882);
    assert_true(hi > 0.957 && hi < 0.959);
    kvf_rate_interval(0, 0, &lo, &hi);
    assert_true(lo == 0 && hi == 1);
    kvf_rate_interval(150, 150, &lo, &hi);
    assert_true(hi == 1 && lo > 0.97);
    memset(&e, 0, sizeof e);
    e.kind = KS_SCN_EXP_REQUESTS;
    e.success.set = true;
    e.success.op = KS_SCN_CMP_GE;
    e.success.percent = true;
    e.success.value = 95 * KS_SCN_PCT_SCALE;
    assert_true(kvf_rate_within_sampling(&e, 168, 181));
    assert_true(kvf_rate_within_sampling(&e, 193, 203));
    assert_false(kvf_rate_within_sampling(&e, 100, 181));
    assert_false(kvf_rate_within_sampling(&e, 0, 0));
    e.success.value = 100 * KS_SCN_PCT_SCALE;
    assert_false(kvf_rate_within_sampling(&e, 150, 150));
    assert_false(kvf_rate_within_sampling(&e, 149, 150));
    e.kind = KS_SCN_EXP_PODS;
    e.success.value = 95 * KS_SCN_PCT_SCALE;
    assert_false(kvf_rate_within_sampling(&e, 168, 181));
}

static void test_verify_kubectl_steps(void **state)
{
    char l1[] = "delete pod -l app=web", l2[] = "delete pod x --wait", l3[] = "drain node-2",
         l4[] = "scale deployment web --replicas=2", l5[] = "delete pod x --wait=false";
    char *w[16], tmp[] = "/tmp/kvf-kubectl-XXXXXX", path[80], log[80], got[400];
    int n;
    FILE *f;
    kvf_kubectl *k;
    (void)state;
    n = kvf_split_words(l1, w, 16);
    assert_string_equal(kvf_kubectl_extra(w, n), "--wait=false");
    assert_false(kvf_kubectl_waits(w, n));
    n = kvf_split_words(l2, w, 16);
    assert_null(kvf_kubectl_extra(w, n));
    assert_true(kvf_kubectl_waits(w, n));
    n = kvf_split_words(l3, w, 16);
    assert_null(kvf_kubectl_extra(w, n));
    assert_true(kvf_kubectl_waits(w, n));
    n = kvf_split_words(l4, w, 16);
    assert_false(kvf_kubectl_waits(w, n));
    n = kvf_split_words(l5, w, 16);
    assert_null(kvf_kubectl_extra(w, n));
    assert_false(kvf_kubectl_waits(w, n));
    /* a stand-in kubectl that writes down its words and exits 3 */
    assert_non_null(mkdtemp(tmp));
    snprintf(path, sizeof path, "%s/kubectl", tmp);
    snprintf(log, sizeof log, "%s/log", tmp);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\nprintf '[%%s]' \"$@\" >%s\nexit 3\n", log);
    fclose(f);
    chmod(path, 0755);
    k = kvf_kubectl_create(path, "kc", "ctx", "ns", tmp, NULL);
    assert_int_equal(kvf_kubectl_run(k, "delete pod -l app=web"), 3);
    f = fopen(log, "r");
    assert_non_null(f);
    assert_non_null(fgets(got, sizeof got, f));
    fclose(f);
    assert_string_equal(got, "[--kubeconfig][kc][--context][ctx][-n][ns][delete][pod][-l][app=web]"
                             "[--wait=false]");
    assert_int_equal(kvf_kubectl_reap(k, true, got, sizeof got), 0);
    kvf_kubectl_destroy(k);
    k = kvf_kubectl_create("/nonexistent/kubectl", NULL, NULL, NULL, NULL, NULL);
    assert_int_equal(kvf_kubectl_run(k, "get pods"), 127);
    kvf_kubectl_destroy(k);
    unlink(path);
    unlink(log);
    rmdir(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_kubeconfig_current_context),
        cmocka_unit_test(test_verify_kubeconfig_files_and_token),
        cmocka_unit_test(test_verify_kubeconfig_merge),
        cmocka_unit_test(test_verify_kubeconfig_refuses),
        cmocka_unit_test(test_verify_kubeconfig_absolute),
        cmocka_unit_test(test_verify_count_argv),
        cmocka_unit_test(test_verify_yaml_to_json),
        cmocka_unit_test(test_verify_pod_status),
        cmocka_unit_test(test_verify_clock_answer),
        cmocka_unit_test(test_verify_words),
        cmocka_unit_test(test_verify_kubectl_steps),
        cmocka_unit_test(test_verify_sampling),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
