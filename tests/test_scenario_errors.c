/* test_scenario_errors.c -- the focus of this file: mistakes in scenario
 * files. Each class of mistake is exactly one located error (code, line,
 * column) with a message; every error in a file is reported in one pass;
 * the item caps are located limit errors. Files that are right are in
 * test_scenario.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "load/ks_scenario.h"

static void dump(const ks_diags *d)
{
    int i;
    for (i = 0; i < d->n; i++) {
        char buf[1400];
        ks_diag_format(d, i, buf, sizeof buf);
        print_message("  %s\n", buf);
    }
}

static int parse(ks_arena *ar, const char *text, ks_scenario **sc, ks_diags *d)
{
    ks_diags_init(d);
    return ks_scenario_parse(ar, "t.yaml", text, strlen(text), sc, d);
}

#define HEAD "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n"

/* scenario-5: one row per class of mistake; the spec body starts on line 5 */
static void test_scenario_errors_table(void **state)
{
    static const struct {
        const char *name, *text;
        int code;
        unsigned line, col;
    } t[] = {
        /* the document */
        {"yaml syntax", HEAD "  seed: [1\n", KS_ESYNTAX, 6, 1},
        {"two documents", HEAD "  seed: 1\n---\nkind: Pod\n", KS_ESCHEMA, 7, 1},
        {"not an object", "- a\n", KS_ESCHEMA, 1, 1},
        {"unknown top-level field", HEAD "  seed: 1\nstatus: {}\n", KS_ESCHEMA, 6, 1},
        {"wrong apiVersion", "apiVersion: v1\nkind: Scenario\nmetadata: {name: t}\nspec: {}\n",
         KS_EINVAL, 1, 13},
        {"wrong kind", "apiVersion: kubesim/v1\nkind: Pod\nmetadata: {name: t}\nspec: {}\n",
         KS_EINVAL, 2, 7},
        {"no spec", "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: t}\n", KS_ESCHEMA,
         1, 1},
        {"no name", "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {title: x}\nspec: {}\n",
         KS_ESCHEMA, 3, 11},
        {"bad name", "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: My_Lesson}\n"
                     "spec: {}\n", KS_EINVAL, 3, 18},
        {"unknown metadata", "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: t, "
                             "titel: x}\nspec: {}\n", KS_ESCHEMA, 3, 21},
        /* spec */
        {"unknown spec field", HEAD "  sead: 3\n", KS_ESCHEMA, 5, 3},
        {"negative seed", HEAD "  seed: -1\n", KS_EINVAL, 5, 9},
        {"seed as a string", HEAD "  seed: \"7\"\n", KS_ESCHEMA, 5, 9},
        {"bad duration", HEAD "  duration: 2 minutes\n", KS_EINVAL, 5, 13},
        {"zero duration", HEAD "  duration: 0s\n", KS_EINVAL, 5, 13},
        {"fingerprint type", HEAD "  fingerprint: [a]\n", KS_ESCHEMA, 5, 16},
        /* cluster */
        {"bad cpu", HEAD "  cluster: {nodes: [{name: n, cpu: 4 cores}]}\n", KS_EINVAL, 5, 36},
        {"bad memory unit", HEAD "  cluster: {nodes: [{name: n, memory: 8GB}]}\n", KS_EINVAL, 5,
         39},
        {"node without name", HEAD "  cluster: {nodes: [{cpu: 1}]}\n", KS_ESCHEMA, 5, 21},
        {"bad node name", HEAD "  cluster: {nodes: [{name: Node_1}]}\n", KS_EINVAL, 5, 28},
        {"duplicate node", HEAD "  cluster: {nodes: [{name: n}, {name: n}]}\n", KS_EINVAL, 5,
         32},
        {"empty node list", HEAD "  cluster: {nodes: []}\n", KS_EINVAL, 5, 20},
        {"bad label value", HEAD "  cluster: {nodes: [{name: n, labels: {zone: \"a b\"}}]}\n",
         KS_EINVAL, 5, 46},
        {"ingress controller", HEAD "  cluster: {ingressController: traefik}\n", KS_EINVAL, 5,
         32},
        {"unknown cluster field", HEAD "  cluster: {node: []}\n", KS_ESCHEMA, 5, 13},
        /* images (the catalog's own reader) */
        {"bad image entry", HEAD "  images: [{match: x, kind: blob}]\n", KS_EINVAL, 5, 29},
        /* manifests */
        {"missing manifest", HEAD "  manifests: [no-such-dir/]\n", KS_EIO, 5, 15},
        {"empty path", HEAD "  manifests: [\"\"]\n", KS_EINVAL, 5, 15},
        {"inline not text", HEAD "  manifests: [{inline: {kind: Pod}}]\n", KS_ESCHEMA, 5, 24},
        {"manifest entry field", HEAD "  manifests: [{file: a.yaml}]\n", KS_ESCHEMA, 5, 16},
        {"manifests not a list", HEAD "  manifests: k8s/\n", KS_ESCHEMA, 5, 14},
        /* timeline */
        {"step without at", HEAD "  timeline:\n    - {say: hi}\n", KS_ESCHEMA, 6, 7},
        {"step at without unit", HEAD "  timeline:\n    - {at: 10, say: hi}\n", KS_EINVAL, 6, 12},
        {"step without action", HEAD "  timeline:\n    - {at: 1s}\n", KS_ESCHEMA, 6, 7},
        {"two actions", HEAD "  timeline:\n    - {at: 1s, say: hi, pause: true}\n", KS_ESCHEMA,
         6, 25},
        {"misspelt action", HEAD "  timeline:\n    - {at: 1s, kubctl: get pods}\n", KS_ESCHEMA,
         6, 16},
        {"step not an object", HEAD "  timeline:\n    - get pods\n", KS_ESCHEMA, 6, 7},
        {"unknown kubectl verb", HEAD "  timeline:\n    - {at: 1s, kubectl: \"gett pods\"}\n",
         KS_EUNKNOWN, 6, 25},
        {"empty kubectl", HEAD "  timeline:\n    - {at: 1s, kubectl: \"kubectl \"}\n", KS_EINVAL,
         6, 25},
        {"kubectl -f missing", HEAD "  timeline:\n    - {at: 1s, kubectl: \"apply -f nope/\"}\n",
         KS_EIO, 6, 25},
        {"kubectl number", HEAD "  timeline:\n    - {at: 1s, kubectl: 5}\n", KS_ESCHEMA, 6, 25},
        {"traffic without destination", HEAD "  timeline:\n    - {at: 1s, traffic: {rate: 5/s}}\n",
         KS_ESCHEMA, 6, 25},
        {"traffic two destinations", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, "
                                          "service: web, rate: 1/s}}\n", KS_ESCHEMA, 6, 39},
        {"traffic bad to", HEAD "  timeline:\n    - {at: 1s, traffic: {to: pod, rate: 1}}\n",
         KS_EINVAL, 6, 30},
        {"traffic bad nodeport", HEAD "  timeline:\n    - {at: 1s, traffic: {to: \"nodeport:80\", "
                                      "rate: 1}}\n", KS_EINVAL, 6, 30},
        {"traffic nodeport key range", HEAD "  timeline:\n    - {at: 1s, traffic: {nodeport: 8080,"
                                            " rate: 1}}\n", KS_EINVAL, 6, 36},
        {"traffic bad service", HEAD "  timeline:\n    - {at: 1s, traffic: {service: Web_1, "
                                     "rate: 1}}\n", KS_EINVAL, 6, 35},
        {"traffic without rate", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress}}\n",
         KS_ESCHEMA, 6, 25},
        {"traffic bad rate", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, rate: "
                                  "5/d}}\n", KS_EINVAL, 6, 45},
        {"traffic zero rate", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, rate: "
                                   "0}}\n", KS_EINVAL, 6, 45},
        {"traffic rate cap", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, rate: "
                                  "200000/s}}\n", KS_ELIMIT, 6, 45},
        {"traffic method", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, rate: 1, "
                                "method: get}}\n", KS_EINVAL, 6, 56},
        {"traffic path", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, rate: 1, "
                              "path: api}}\n", KS_EINVAL, 6, 54},
        {"traffic for zero", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, rate: 1, "
                                  "for: 0s}}\n", KS_EINVAL, 6, 53},
        {"traffic arrivals", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, rate: 1, "
                                  "arrivals: burst}}\n", KS_EINVAL, 6, 58},
        {"traffic clients", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, rate: 1, "
                                 "clients: 0}}\n", KS_EINVAL, 6, 57},
        {"traffic unknown field", HEAD "  timeline:\n    - {at: 1s, traffic: {to: ingress, "
                                       "rate: 1, sticky: true}}\n", KS_ESCHEMA, 6, 48},
        {"crash pod and selector", HEAD "  timeline:\n    - {at: 1s, crash: {pod: a, selector: "
                                        "a=b}}\n", KS_ESCHEMA, 6, 23},
        {"crash neither", HEAD "  timeline:\n    - {at: 1s, crash: {container: c}}\n",
         KS_ESCHEMA, 6, 23},
        {"crash bad selector", HEAD "  timeline:\n    - {at: 1s, crash: {selector: \"a b\"}}\n",
         KS_EINVAL, 6, 34},
        {"crash exit code", HEAD "  timeline:\n    - {at: 1s, crash: {pod: a, exitCode: 256}}\n",
         KS_EINVAL, 6, 42},
        {"crash reason", HEAD "  timeline:\n    - {at: 1s, crash: {pod: a, reason: Segfault}}\n",
         KS_EINVAL, 6, 40},
        {"crash error exit 0", HEAD "  timeline:\n    - {at: 1s, crash: {pod: a, exitCode: 0, "
                                    "reason: Error}}\n", KS_EINVAL, 6, 42},
        {"node unknown", HEAD "  timeline:\n    - {at: 1s, node: {name: node-9, action: fail}}\n",
         KS_EINVAL, 6, 29},
        {"node action", HEAD "  timeline:\n    - {at: 1s, node: {name: minikube, action: "
                             "reboot}}\n", KS_EINVAL, 6, 47},
        /* a node that joins: a new name; later steps may name it, earlier ones not */
        {"node add existing", HEAD "  timeline:\n    - {at: 1s, node: {name: minikube, action: "
                                   "add}}\n", KS_EINVAL, 6, 29},
        {"node cordoned before it joins", HEAD "  timeline:\n"
         "    - {at: 5s, node: {name: node-2, action: add}}\n"
         "    - {at: 1s, node: {name: node-2, action: cordon}}\n", KS_EINVAL, 7, 29},
        {"node add bad cpu", HEAD "  timeline:\n    - {at: 1s, node: {name: node-2, action: add, "
                              "cpu: lots}}\n", KS_EINVAL, 6, 55},
        {"node add cpu on fail", HEAD "  timeline:\n    - {at: 1s, node: {name: minikube, "
                                  "action: fail, cpu: \"2\"}}\n", KS_ESCHEMA, 6, 53},
        {"node without action", HEAD "  timeline:\n    - {at: 1s, node: {name: minikube}}\n",
         KS_ESCHEMA, 6, 22},
        {"node not an object", HEAD "  timeline:\n    - {at: 1s, node: minikube}\n", KS_ESCHEMA,
         6, 22},
        {"pause false", HEAD "  timeline:\n    - {at: 1s, pause: false}\n", KS_EINVAL, 6, 23},
        {"say empty", HEAD "  timeline:\n    - {at: 1s, say: \"\"}\n", KS_EINVAL, 6, 21},
        {"stdin on a say step", HEAD "  timeline:\n    - {at: 1s, say: hi, stdin: x}\n",
         KS_ESCHEMA, 6, 25},
        /* expect */
        {"expect without time", HEAD "  expect:\n    - {pods: {selector: a=b, count: 1}}\n",
         KS_ESCHEMA, 6, 7},
        {"expect at and during", HEAD "  expect:\n    - {at: 1s, during: [1s, 2s], pods: "
                                      "{selector: a=b, count: 1}}\n", KS_ESCHEMA, 6, 7},
        {"expect bad at", HEAD "  expect:\n    - {at: later, pods: {selector: a=b, count: 1}}\n",
         KS_EINVAL, 6, 12},
        {"during reversed", HEAD "  expect:\n    - {during: [5s, 1s], pods: {selector: a=b, "
                                 "count: 1}}\n", KS_EINVAL, 6, 16},
        {"during one time", HEAD "  expect:\n    - {during: [5s], pods: {selector: a=b, "
                                 "count: 1}}\n", KS_ESCHEMA, 6, 16},
        {"expect no kind", HEAD "  expect:\n    - {at: 1s}\n", KS_ESCHEMA, 6, 7},
        {"expect two kinds", HEAD "  expect:\n    - {at: 1s, pods: {selector: a=b, count: 1}, "
                                  "pv: {name: x}}\n", KS_ESCHEMA, 6, 49},
        {"expect unknown kind", HEAD "  expect:\n    - {at: 1s, deployment: {name: x}}\n",
         KS_ESCHEMA, 6, 16},
        {"pods without selector", HEAD "  expect:\n    - {at: 1s, pods: {count: 1}}\n",
         KS_ESCHEMA, 6, 22},
        {"pods checks nothing", HEAD "  expect:\n    - {at: 1s, pods: {selector: a=b}}\n",
         KS_ESCHEMA, 6, 22},
        {"pods unknown field", HEAD "  expect:\n    - {at: 1s, pods: {selector: a=b, restarts: "
                                    "0}}\n", KS_ESCHEMA, 6, 38},
        {"bad comparison", HEAD "  expect:\n    - {at: 1s, pods: {selector: a=b, count: "
                                "\"=> 3\"}}\n", KS_EINVAL, 6, 45},
        {"percent on a count", HEAD "  expect:\n    - {at: 1s, pods: {selector: a=b, count: "
                                    "50%}}\n", KS_EINVAL, 6, 45},
        {"negative count", HEAD "  expect:\n    - {at: 1s, pods: {selector: a=b, count: -1}}\n",
         KS_EINVAL, 6, 45},
        {"count as a list", HEAD "  expect:\n    - {at: 1s, pods: {selector: a=b, count: [1]}}\n",
         KS_ESCHEMA, 6, 45},
        {"bad selector", HEAD "  expect:\n    - {at: 1s, pods: {selector: \"a in b\", count: 1}}\n",
         KS_EINVAL, 6, 33},
        {"empty selector", HEAD "  expect:\n    - {at: 1s, pods: {selector: \"\", count: 1}}\n",
         KS_EINVAL, 6, 33},
        {"pod name and selector", HEAD "  expect:\n    - {at: 1s, pod: {name: a, selector: a=b, "
                                       "status: Running}}\n", KS_ESCHEMA, 6, 21},
        {"pod ready as 1/1", HEAD "  expect:\n    - {at: 1s, pod: {name: a, ready: 1/1}}\n",
         KS_EINVAL, 6, 38},
        {"pod checks nothing", HEAD "  expect:\n    - {at: 1s, pod: {name: a}}\n", KS_ESCHEMA, 6,
         21},
        {"records without count", HEAD "  expect:\n    - {at: 1s, records: {pvc: data}}\n",
         KS_ESCHEMA, 6, 25},
        {"records pvc and selector", HEAD "  expect:\n    - {at: 1s, records: {pvc: d, selector: "
                                          "a=b, count: 1}}\n", KS_ESCHEMA, 6, 25},
        {"requests success without %", HEAD "  expect:\n    - {at: 1s, requests: {success: "
                                             "99}}\n", KS_EINVAL, 6, 36},
        {"requests success over 100%", HEAD "  expect:\n    - {at: 1s, requests: {success: "
                                             "\"> 101%\"}}\n", KS_EINVAL, 6, 36},
        {"requests status", HEAD "  expect:\n    - {at: 1s, requests: {status: ok, count: 1}}\n",
         KS_EINVAL, 6, 35},
        {"requests to", HEAD "  expect:\n    - {at: 1s, requests: {to: \"svc:web\", count: 1}}\n",
         KS_EINVAL, 6, 31},
        {"requests path", HEAD "  expect:\n    - {at: 1s, requests: {path: api, count: 1}}\n",
         KS_EINVAL, 6, 33},
        {"pvc without name", HEAD "  expect:\n    - {at: 1s, pvc: {status: Bound}}\n",
         KS_ESCHEMA, 6, 21},
        {"pvc capacity", HEAD "  expect:\n    - {at: 1s, pvc: {name: d, capacity: 2GB}}\n",
         KS_EINVAL, 6, 41},
        {"endpoints without ready", HEAD "  expect:\n    - {at: 1s, endpoints: {service: web}}\n",
         KS_ESCHEMA, 6, 27},
        {"endpoints service name", HEAD "  expect:\n    - {at: 1s, endpoints: {service: 1web, "
                                        "ready: 1}}\n", KS_EINVAL, 6, 37},
        {"events without reason", HEAD "  expect:\n    - {at: 1s, events: {count: 1}}\n",
         KS_ESCHEMA, 6, 24},
        {"log without contains", HEAD "  expect:\n    - {at: 1s, log: {selector: a=b}}\n",
         KS_ESCHEMA, 6, 21},
        {"jobs checks nothing", HEAD "  expect:\n    - {at: 1s, jobs: {name: pi}}\n",
         KS_ESCHEMA, 6, 22},
        {"jobs status", HEAD "  expect:\n    - {at: 1s, jobs: {name: pi, status: Done}}\n",
         KS_EINVAL, 6, 41},
        {"jobs name and selector", HEAD "  expect:\n    - {at: 1s, jobs: {name: pi, selector: "
                                        "a=b, active: 0}}\n", KS_ESCHEMA, 6, 22},
        {"bad id", HEAD "  expect:\n    - {at: 1s, id: Goal_1, pv: {name: x}}\n", KS_EINVAL, 6,
         20},
        {"duplicate id", HEAD "  goals:\n    - {at: 1s, id: g, pv: {name: x}}\n"
                              "    - {at: 1s, id: g, pv: {name: y}}\n", KS_EINVAL, 7, 7},
        {"goal kind body not an object", HEAD "  goals:\n    - {at: 1s, pv: x}\n", KS_ESCHEMA, 6,
         20},
        /* hints */
        {"hint for no goal", HEAD "  goals:\n    - {at: 1s, id: data, pv: {name: x}}\n"
                                  "  hints: {date: \"look\"}\n", KS_EINVAL, 7, 11},
        {"hint not text", HEAD "  goals:\n    - {at: 1s, id: data, pv: {name: x}}\n"
                               "  hints: {data: {a: b}}\n", KS_ESCHEMA, 7, 17},
        {"hints not a map", HEAD "  hints: [a]\n", KS_ESCHEMA, 5, 10},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        ks_arena *ar = ks_arena_create(NULL);
        ks_scenario *sc = (ks_scenario *)&sc;
        ks_diags d;
        int rc = parse(ar, t[i].text, &sc, &d);
        if (rc != t[i].code || d.errors != 1 || d.items[0].err.line != t[i].line
            || d.items[0].err.col != t[i].col) {
            dump(&d);
            fail_msg("scenario-5.%zu (%s): got %s (%d errors) at %u:%u; expected %s at %u:%u",
                     i, t[i].name, ks_error_code_name(rc), d.errors,
                     d.n ? d.items[0].err.line : 0, d.n ? d.items[0].err.col : 0,
                     ks_error_code_name(t[i].code), t[i].line, t[i].col);
        }
        assert_null(sc);
        assert_string_equal(d.items[0].err.file, "t.yaml");
        assert_true(strlen(d.items[0].err.msg) > 10);
        ks_arena_destroy(ar);
    }
}

/* scenario-6: all the errors in a file, in one pass, each at its place */
static void test_scenario_reports_every_error(void **state)
{
    static const char text[] =
        HEAD
        "  seed: x\n"                                              /* 5 */
        "  timeline:\n"
        "    - {at: 1s, kubectl: \"scael deployment web --replicas=2\"}\n"
        "    - {at: 2s, traffic: {to: ingress, rate: fast}}\n"
        "  expect:\n"
        "    - {at: 1s, pods: {selector: a=b, cuont: 1}}\n"          /* 10 */
        "    - {at: 1s, requests: {success: 99}}\n";
    static const unsigned lines[] = {5, 7, 8, 10, 11};
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc;
    ks_diags d;
    size_t i;
    (void)state;
    assert_int_not_equal(parse(ar, text, &sc, &d), KS_OK);
    assert_int_equal(d.errors, 5);
    for (i = 0; i < 5; i++)
        assert_int_equal(d.items[i].err.line, lines[i]);
    assert_non_null(strstr(d.items[1].err.msg, "did you mean 'scale'"));
    assert_non_null(strstr(d.items[3].err.msg, "did you mean 'count'"));
    assert_null(sc);
    ks_arena_destroy(ar);
}

/* scenario-7: the 10,000-item cap is a located limit error */
static void test_scenario_item_limit(void **state)
{
    size_t n = KS_SCENARIO_MAX_ITEMS + 1, i, len;
    char *text = malloc(n * 32 + 200);
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc;
    ks_diags d;
    (void)state;
    assert_non_null(text);
    len = (size_t)sprintf(text, HEAD "  duration: 1h\n  timeline:\n");
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "    - {at: 1s, pause: true}\n");
    assert_int_equal(parse(ar, text, &sc, &d), KS_ELIMIT);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.items[0].err.line, 7);
    free(text);
    ks_arena_destroy(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_errors_table),
        cmocka_unit_test(test_scenario_reports_every_error),
        cmocka_unit_test(test_scenario_item_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
