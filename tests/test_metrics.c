/* test_metrics.c -- the focus of this file: the metrics-server addon and
 * `kubectl top`. Off by default ("error: Metrics API not available"); with
 * the addon, samples are rates over the window between two scrapes, 60 s
 * apart as minikube runs it, so a change of load shows up a minute late;
 * fresh containers appear after one scrape; kubectl's columns, rounding and
 * messages; sidecars scraped with the app containers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cluster_fixture.h"
#include "autoscale/ks_metrics.h"
#include "kubectl/ks_kubectl.h"
#include "net/ks_traffic.h"

#define WEB                                                                              \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"              \
    "  replicas: 2\n  selector: {matchLabels: {app: web}}\n"                             \
    "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"                      \
    "      containers: [{name: web, image: nginx, resources: {requests: {cpu: 10m}}}]\n"  \
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"                       \
    "spec: {selector: {app: web}, ports: [{port: 80}]}\n"

static void with_addon(fixture *f, bool addon)
{
    ks_world_config cc = {0};
    cc.metrics_server = addon;
    assert_int_equal(fixture_init_world(f, cc, NULL), KS_OK);
}

static const char *kubectl(fixture *f, ks_strbuf *out, const char *line)
{
    ks_strbuf_clear(out);
    ks_kubectl_run(f->sim, line, NULL, out);
    return ks_strbuf_str(out);
}

static void load(fixture *f, int per_second)
{
    ks_scn_traffic t;
    memset(&t, 0, sizeof t);
    t.to.kind = KS_SCN_TO_SERVICE;
    t.to.name = "web";
    t.method = "GET";
    t.path = "/";
    t.rate_milli = per_second * 1000;
    t.rate_period = KS_SEC;
    t.constant = true;
    assert_int_equal(ks_traffic_start(f->sim, &t), KS_OK);
}

/* metrics-1: without the addon there is no metrics API, as on minikube */
static void test_metrics_off_by_default(void **state)
{
    fixture f;
    ks_strbuf out;
    ks_metrics_sample s;
    (void)state;
    with_addon(&f, false);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, WEB), 0);
    run_to(&f, 200 * KS_SEC);
    assert_int_equal(ks_metrics_state(f.sim), KS_METRICS_ABSENT);
    assert_false(ks_metrics_pod(f.sim, first_pod(&f, "web-")->id, &s));
    assert_string_equal(kubectl(&f, &out, "top pods"), "error: Metrics API not available\n");
    assert_string_equal(kubectl(&f, &out, "top nodes"), "error: Metrics API not available\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* metrics-2: with the addon: its pod in kube-system, then "not yet", then
 * samples; a sample is the rate over the last window, so a load that starts
 * shows fully only one resolution later */
static void test_metrics_window(void **state)
{
    fixture f;
    ks_strbuf out;
    ks_metrics_sample s;
    ks_id web;
    (void)state;
    with_addon(&f, true);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, WEB), 0);
    run_to(&f, 30 * KS_SEC);
    assert_non_null(first_pod(&f, "metrics-server-"));
    assert_string_equal(first_pod(&f, "metrics-server-")->ns, "kube-system");
    assert_int_equal(ks_metrics_state(f.sim), KS_METRICS_SERVING);
    assert_string_equal(kubectl(&f, &out, "top pods"), "error: metrics not available yet\n");
    /* scrapes at 0.355 s (the addon starts), 60.355, 120.355...; nginx
       started at 5.355 s: 55 s before the second scrape, a fresh container */
    run_to(&f, 61 * KS_SEC);
    web = first_pod(&f, "web-")->id;
    assert_true(ks_metrics_pod(f.sim, web, &s));
    assert_int_equal(s.timestamp, 60355 * KS_MSEC);
    assert_int_equal(s.window, 55 * KS_SEC);
    assert_int_equal(s.cpu_nano, 1000000);       /* 1m at rest */
    assert_int_equal(s.memory, 8 << 20);
    load(&f, 200);                                /* 100/s each x 50 us: +5m */
    run_to(&f, 120 * KS_SEC);
    assert_true(ks_metrics_pod(f.sim, web, &s));
    assert_int_equal(s.cpu_nano, 1000000);       /* the window is the old one */
    run_to(&f, 121 * KS_SEC);
    assert_true(ks_metrics_pod(f.sim, web, &s));
    assert_int_equal(s.window, 60 * KS_SEC);
    assert_in_range(s.cpu_nano, 5800000, 6000000);   /* 59 s of 6m in 60 s */
    assert_int_equal(ks_metrics_milli(s.cpu_nano), 6);
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* metrics-3: kubectl top's columns, rounding, padding and sorting */
static void test_metrics_kubectl_top(void **state)
{
    fixture f;
    ks_strbuf out;
    const ks_pod *a, *b;
    char want[600];
    (void)state;
    with_addon(&f, true);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, WEB), 0);
    run_to(&f, 121 * KS_SEC);
    a = first_pod(&f, "web-");
    b = NULL;
    {
        ks_id id = 0;
        while ((id = ks_cluster_next(f.sim, KS_KIND_POD, id)) != 0)
            if (strncmp(ks_cluster_pod(f.sim, id)->name, "web-", 4) == 0 && id != a->id)
                b = ks_cluster_pod(f.sim, id);
    }
    if (strcmp(a->name, b->name) > 0) {
        const ks_pod *t = a;
        a = b;
        b = t;
    }
    snprintf(want, sizeof want,
             "NAME                   CPU(cores)   MEMORY(bytes)   \n"
             "%s   1m           8Mi             \n"
             "%s   1m           8Mi             \n", a->name, b->name);
    assert_string_equal(kubectl(&f, &out, "top pods"), want);
    snprintf(want, sizeof want,
             "POD                    NAME   CPU(cores)   MEMORY(bytes)   \n"
             "%s   web    1m           8Mi             \n", a->name);
    {
        char line[120];
        snprintf(line, sizeof line, "top pod %s --containers", a->name);
        assert_string_equal(kubectl(&f, &out, line), want);
    }
    /* the node: what its own processes use, plus every pod; % of allocatable */
    assert_non_null(strstr(kubectl(&f, &out, "top nodes"),
                           "NAME     CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%   \n"
                           "node-1   159m         3%     631Mi           7%        \n"));
    /* all namespaces, by memory: the ingress controller holds most */
    assert_non_null(strstr(kubectl(&f, &out, "top pods -A --sort-by=memory"),
                           "NAMESPACE       NAME"));
    assert_int_equal(strncmp(strchr(ks_strbuf_str(&out), '\n') + 1, "ingress-nginx   ", 16), 0);
    assert_string_equal(kubectl(&f, &out, "top pods --sort-by=name"),
                        "error: --sort-by accepts only cpu or memory\n");
    assert_string_equal(kubectl(&f, &out, "top pods nope"),
                        "Error from server (NotFound): pods \"nope\" not found\n");
    assert_string_equal(kubectl(&f, &out, "top pods -l app=nothing"),
                        "No resources found in default namespace.\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* metrics-4: a pod older than 2 minutes without metrics is named; a
 * restarted container starts over; the addon's pod gone: unavailable */
static void test_metrics_missing_and_unavailable(void **state)
{
    fixture f;
    ks_strbuf out;
    ks_metrics_sample s;
    const ks_pod *web;
    (void)state;
    with_addon(&f, true);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, WEB), 0);
    run_to(&f, 175 * KS_SEC);
    web = first_pod(&f, "web-");
    assert_true(ks_metrics_pod(f.sim, web->id, &s));
    /* restarted at once, 5.355 s before the next scrape: too fresh (< 10 s)
       for a synthetic first reading, and the old ones are another process's */
    assert_int_equal(ks_node_crash(f.sim, web->id, NULL, 1, "Error"), KS_OK);
    run_to(&f, 180 * KS_SEC + 355 * KS_MSEC);
    assert_false(ks_metrics_pod(f.sim, web->id, &s));
    run_to(&f, 240 * KS_SEC + 355 * KS_MSEC);
    assert_true(ks_metrics_pod(f.sim, web->id, &s));
    assert_int_equal(s.window, 60 * KS_SEC);
    assert_int_equal(ks_cluster_delete(f.sim, first_pod(&f, "metrics-server-")->id, 0, true),
                     KS_OK);
    /* its replacement is not ready at once: the API answers 503 */
    assert_int_equal(ks_metrics_state(f.sim), KS_METRICS_UNAVAILABLE);
    assert_string_equal(kubectl(&f, &out, "top pods"),
                        "Error from server (ServiceUnavailable): the server is currently unable "
                        "to handle the request (get pods.metrics.k8s.io)\n");
    run_to(&f, 250 * KS_SEC);
    assert_int_equal(ks_metrics_state(f.sim), KS_METRICS_SERVING);
    /* a new metrics-server knows nothing yet; the pods are old */
    assert_non_null(strstr(kubectl(&f, &out, "top pods"),
                           "error: Metrics not available for pod default/web-"));
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* metrics-5: every running container is scraped, sidecars (init
 * containers with restartPolicy Always) too, as the kubelet lists a pod's
 * running containers; an init container that has finished is not. kubectl
 * top pod sums them, --containers shows each; the HPA's metric counts the
 * sidecar's usage with its request */
#define SIDECAR                                                                          \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: side, labels: {app: side}}\nspec:\n"    \
    "  initContainers:\n"                                                                \
    "    - {name: setup, image: busybox, command: [sh, -c, 'true']}\n"                  \
    "    - name: hog\n      image: polinux/stress\n      restartPolicy: Always\n"        \
    "      command: [stress]\n      args: [--cpu, '1']\n"                               \
    "      resources: {requests: {cpu: 50m}, limits: {cpu: 100m}}\n"                     \
    "  containers: [{name: web, image: nginx, resources: {requests: {cpu: 10m}}}]\n"

static void test_metrics_sidecars(void **state)
{
    fixture f;
    ks_strbuf out;
    ks_metrics_sample s, c;
    const ks_pod *p;
    const char *text;
    (void)state;
    with_addon(&f, true);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, SIDECAR), 0);
    run_to(&f, 130 * KS_SEC);
    p = first_pod(&f, "side");
    assert_non_null(p);
    assert_int_equal(p->ninit, 2);
    assert_true(ks_metrics_pod(f.sim, p->id, &s));
    assert_false(ks_metrics_container(f.sim, p->id, p->ncontainers, &c));    /* setup: done */
    assert_true(ks_metrics_container(f.sim, p->id, p->ncontainers + 1, &c)); /* hog */
    assert_int_equal(ks_metrics_milli(c.cpu_nano), 100);        /* throttled at its limit */
    assert_int_equal(ks_metrics_milli(s.cpu_nano), 101);        /* with nginx's 1m */
    assert_int_equal(s.memory, (8 << 20) + (1 << 20));
    assert_string_equal(kubectl(&f, &out, "top pod side"),
                        "NAME   CPU(cores)   MEMORY(bytes)   \n"
                        "side   101m         9Mi             \n");
    text = kubectl(&f, &out, "top pod side --containers");
    assert_string_equal(text, "POD    NAME   CPU(cores)   MEMORY(bytes)   \n"
                              "side   hog    100m         1Mi             \n"
                              "side   web    1m           8Mi             \n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_off_by_default),
        cmocka_unit_test(test_metrics_window),
        cmocka_unit_test(test_metrics_kubectl_top),
        cmocka_unit_test(test_metrics_missing_and_unavailable),
        cmocka_unit_test(test_metrics_sidecars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
