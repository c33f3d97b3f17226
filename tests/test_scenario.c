/* test_scenario.c -- the focus of this file: scenario files that are right.
 * The DESIGN.md example and a file using every field load into the right
 * values; defaults and warnings; comparisons and selectors parse, print and
 * evaluate exactly; paths resolve against the scenario's folder; inline
 * manifests keep their position; out of memory never crashes. Mistakes and
 * their messages are in test_scenario_errors.c. */
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

#include "load/ks_scenario.h"

/* ---- helpers -------------------------------------------------------------- */

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

/* A temporary folder with the files a scenario needs; removed by cleanup. */
typedef struct tmpdir {
    char path[64];
    char files[8][128];
    int nfiles;
    char dirs[4][128];
    int ndirs;
} tmpdir;

static void tmp_init(tmpdir *t)
{
    memset(t, 0, sizeof *t);
    strcpy(t->path, "/tmp/ks-test-scenario-XXXXXX");
    assert_non_null(mkdtemp(t->path));
}

static void tmp_mkdir(tmpdir *t, const char *rel)
{
    char p[sizeof t->dirs[0]];
    snprintf(p, sizeof p, "%s/%s", t->path, rel);
    assert_int_equal(mkdir(p, 0700), 0);
    strcpy(t->dirs[t->ndirs++], p);
}

static const char *tmp_write(tmpdir *t, const char *rel, const char *text)
{
    char p[sizeof t->files[0]];
    FILE *f;
    snprintf(p, sizeof p, "%s/%s", t->path, rel);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    strcpy(t->files[t->nfiles], p);
    return t->files[t->nfiles++];
}

static void tmp_cleanup(tmpdir *t)
{
    while (t->nfiles > 0)
        remove(t->files[--t->nfiles]);
    while (t->ndirs > 0)
        rmdir(t->dirs[--t->ndirs]);
    rmdir(t->path);
}

static const char design_example[] =
    "apiVersion: kubesim/v1\n"
    "kind: Scenario\n"
    "metadata: {name: pvc-survives-pod-delete, title: \"Data on a claim survives a pod "
    "restart\"}\n"
    "spec:\n"
    "  seed: 7\n"
    "  duration: 120s\n"
    "  cluster: {nodes: [{name: node-1, cpu: \"4\", memory: 8Gi}]}   # optional\n"
    "  images: []                 # optional catalog additions/overrides\n"
    "  manifests: [k8s/]          # applied at 0s\n"
    "  timeline:\n"
    "    - {at: 0s,  kubectl: \"create secret generic pgpassword --from-literal "
    "PGPASSWORD=12345asdf\"}\n"
    "    - {at: 10s, traffic: {to: ingress, method: POST, path: /api/values, rate: 5/s, "
    "for: 30s}}\n"
    "    - {at: 12s, say: \"Each POST stores a record in postgres, under its data "
    "directory.\"}\n"
    "    - {at: 45s, kubectl: \"delete pod -l component=postgres\"}\n"
    "  expect:\n"
    "    - {at: 40s, pods: {selector: component=server, ready: 3}}\n"
    "    - {at: 40s, records: {selector: component=postgres, count: \">= 120\"}}\n"
    "    - {at: 40s, requests: {path: /api/values, success: \">= 99%\"}}\n"
    "    - {at: 90s, pod: {selector: component=postgres, status: Running, restarts: 0}}\n"
    "    - {at: end, records: {selector: component=postgres, count: \">= 120\"}}\n";

static bool matches(const ks_scn_selector *s, const char *k1, const char *v1, const char *k2,
                    const char *v2)
{
    ks_kv kv[2] = {{k1, v1}, {k2, v2}};
    ks_kvs labels = {kv, k2 ? 2 : k1 ? 1 : 0};
    return ks_selector_matches(&s->sel, &labels);
}

#define HEAD "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n"

/* ---- round trips ---------------------------------------------------------- */

/* scenario-1: the example in DESIGN.md, verbatim, loads into these values */
static void test_scenario_design_example(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc = NULL;
    ks_diags d;
    tmpdir t;
    const char *path;
    char buf[256];
    (void)state;
    tmp_init(&t);
    tmp_mkdir(&t, "k8s");
    tmp_write(&t, "k8s/pod.yaml", "apiVersion: v1\nkind: Pod\n");
    path = tmp_write(&t, "scenario.yaml", design_example);
    ks_diags_init(&d);
    assert_int_equal(ks_scenario_load_file(ar, path, &sc, &d), KS_OK);
    if (d.n)
        dump(&d);
    assert_int_equal(d.errors + d.warnings, 0);
    assert_string_equal(sc->dir, t.path);
    assert_string_equal(sc->name, "pvc-survives-pod-delete");
    assert_string_equal(sc->title, "Data on a claim survives a pod restart");
    assert_int_equal(sc->seed, 7);
    assert_int_equal(sc->duration, 120 * KS_SEC);
    assert_int_equal(sc->nnodes, 1);
    assert_false(sc->default_node);
    assert_string_equal(sc->nodes[0].name, "node-1");
    assert_int_equal(sc->nodes[0].cpu_milli, 4000);
    assert_int_equal(sc->nodes[0].memory_bytes, (int64_t)8 << 30);
    assert_true(sc->ingress_nginx);
    assert_int_equal(sc->nimages, 0);
    assert_int_equal(sc->nmanifests, 1);
    assert_string_equal(sc->manifests[0].path, "k8s/");
    snprintf(buf, sizeof buf, "%s/k8s/", t.path);
    assert_string_equal(sc->manifests[0].resolved, buf);
    assert_true(sc->manifests[0].is_dir);

    assert_int_equal(sc->ntimeline, 4);
    assert_int_equal(sc->timeline[0].action, KS_SCN_ACT_KUBECTL);
    assert_int_equal(sc->timeline[0].at, 0);
    assert_string_equal(sc->timeline[0].verb, "create");
    assert_string_equal(sc->timeline[0].kubectl,
                        "create secret generic pgpassword --from-literal PGPASSWORD=12345asdf");
    assert_int_equal(sc->timeline[1].action, KS_SCN_ACT_TRAFFIC);
    assert_int_equal(sc->timeline[1].at, 10 * KS_SEC);
    assert_int_equal(sc->timeline[1].mark.line, 12);
    assert_int_equal(sc->timeline[1].traffic.to.kind, KS_SCN_TO_INGRESS);
    assert_string_equal(sc->timeline[1].traffic.method, "POST");
    assert_string_equal(sc->timeline[1].traffic.path, "/api/values");
    assert_int_equal(ks_scn_traffic_interval(&sc->timeline[1].traffic), 200 * KS_MSEC);
    assert_int_equal(sc->timeline[1].traffic.duration, 30 * KS_SEC);
    assert_false(sc->timeline[1].traffic.constant);
    assert_int_equal(sc->timeline[1].traffic.clients, 0);
    assert_null(sc->timeline[1].traffic.host);
    assert_int_equal(sc->timeline[2].action, KS_SCN_ACT_SAY);
    assert_string_equal(sc->timeline[2].say,
                        "Each POST stores a record in postgres, under its data directory.");
    assert_string_equal(sc->timeline[3].verb, "delete");

    assert_int_equal(sc->nexpect, 5);
    assert_int_equal(sc->expect[0].kind, KS_SCN_EXP_PODS);
    assert_int_equal(sc->expect[0].at, 40 * KS_SEC);
    assert_string_equal(sc->expect[0].selector.text, "component=server");
    assert_true(matches(&sc->expect[0].selector, "component", "server", NULL, NULL));
    assert_false(matches(&sc->expect[0].selector, "component", "web", NULL, NULL));
    assert_true(sc->expect[0].ready.set);
    assert_int_equal(sc->expect[0].ready.op, KS_SCN_CMP_EQ);
    assert_int_equal(sc->expect[0].ready.value, 3);
    assert_false(sc->expect[0].count.set);
    assert_int_equal(sc->expect[1].kind, KS_SCN_EXP_RECORDS);
    assert_int_equal(sc->expect[1].count.op, KS_SCN_CMP_GE);
    assert_int_equal(sc->expect[1].count.value, 120);
    assert_int_equal(sc->expect[1].count.mark.line, 17);
    assert_int_equal(sc->expect[2].kind, KS_SCN_EXP_REQUESTS);
    assert_string_equal(sc->expect[2].path, "/api/values");
    assert_true(sc->expect[2].success.percent);
    assert_int_equal(sc->expect[2].success.value, 99 * KS_SCN_PCT_SCALE);
    assert_int_equal(sc->expect[2].to.kind, KS_SCN_TO_NONE);
    assert_int_equal(sc->expect[3].kind, KS_SCN_EXP_POD);
    assert_string_equal(sc->expect[3].status, "Running");
    assert_int_equal(sc->expect[3].restarts.value, 0);
    assert_true(sc->expect[3].restarts.set);
    assert_int_equal(sc->expect[3].pod_ready, -1);
    assert_true(sc->expect[4].at_end);
    assert_int_equal(sc->expect[4].mark.line, 20);
    assert_int_equal(sc->expect[4].mark.col, 7);
    assert_int_equal(sc->ngoals, 0);
    assert_null(sc->fingerprint);
    ks_arena_destroy(ar);
    tmp_cleanup(&t);
}

static const char everything[] =
    "apiVersion: kubesim/v1\n"                                             /* 1 */
    "kind: Scenario\n"
    "metadata:\n"
    "  name: everything\n"
    "spec:\n"                                                              /* 5 */
    "  cluster:\n"
    "    ingressController: none\n"
    "    nodes:\n"
    "      - {name: node-a, cpu: 500m, memory: 512Mi, labels: {zone: a, disk: ssd}}\n"
    "      - {name: node-b, cpu: 2}\n"                                     /* 10 */
    "  images:\n"
    "    - {match: \"postgres:12\", kind: database, pullable: false}\n"
    "  manifests:\n"
    "    - k8s/server.yaml\n"
    "    - inline: |\n"                                                    /* 15 */
    "        apiVersion: v1\n"
    "        kind: Secret\n"
    "    - {inline: \"kind: ConfigMap\"}\n"
    "    - inline: >\n"
    "        folded\n"                                                     /* 20 */
    "  timeline:\n"
    "    - {at: 1s, kubectl: \"kubectl apply -f k8s/\"}\n"
    "    - {at: 2s, traffic: {to: \"nodeport:31515\", rate: 300/m, arrivals: constant, "
    "clients: 3, host: example.com}}\n"
    "    - {at: 2s, traffic: {service: web, rate: \"2.5\"}}\n"
    "    - {at: 2s, traffic: {loadbalancer: lb, rate: 2/h, method: DELETE}}\n"  /* 25 */
    "    - {at: 3s, crash: {selector: \"app=web,tier!=db\", container: c, reason: OOMKilled}}\n"
    "    - {at: 3s, crash: {pod: web-1, exitCode: 0}}\n"
    "    - {at: 4s, node: {name: node-b, action: drain}}\n"
    "    - {at: 5s, pause: true}\n"
    "    - {at: 6s, traffic: {nodeport: 30080, rate: 1}}\n"                /* 30 */
    "  expect:\n"
    "    - {during: [10s, 40s], endpoints: {service: web, ready: \">= 1\"}}\n"
    "    - {at: 30s, pod: {name: web-1, ready: true, node: node-a}}\n"
    "    - {at: 30s, requests: {to: \"service:web\", status: 5xx, count: \"< 5\"}}\n"
    "    - {at: 30s, pvc: {name: data, status: Bound, capacity: 2Gi, storageClass: standard}}\n"
    "    - {at: 30s, pv: {name: pv-1}}\n"
    "    - {at: 30s, events: {reason: BackOff, selector: app=web}}\n"
    "    - {at: 30s, log: {selector: app=web, contains: \"connect ECONNREFUSED\"}}\n"
    "    - {at: 30s, pods: {selector: app=web, running: \"!= 0\", status: Running, count: 3}}\n"
    "    - {at: 30s, requests: {status: 404, count: 0}}\n"                 /* 40 */
    "  goals:\n"
    "    - {id: data-survives, title: \"The data survives\", at: end, records: {pvc: data, "
    "count: \">= 1\"}}\n"
    "    - {id: no-crash, at: end, pod: {selector: app=db, restarts: \"== 0\"}}\n"
    "    - {at: end, pods: {selector: app=db, ready: 1}}\n"
    "  hints:\n"                                                           /* 45 */
    "    data-survives: [\"Where does postgres keep its files?\", \"Mount a claim there.\"]\n"
    "    no-crash: \"Read the pod's log.\"\n"
    "  fingerprint: abc123\n";

/* scenario-2: every field of the format, read into the right values */
static void test_scenario_every_field(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc = NULL;
    ks_diags d;
    tmpdir t;
    const char *path;
    const ks_scn_step *st;
    const ks_scn_expect *e;
    char buf[256];
    (void)state;
    tmp_init(&t);
    tmp_mkdir(&t, "k8s");
    tmp_write(&t, "k8s/server.yaml", "apiVersion: v1\nkind: Pod\n");
    path = tmp_write(&t, "every.yaml", everything);
    ks_diags_init(&d);
    assert_int_equal(ks_scenario_load_file(ar, path, &sc, &d), KS_OK);
    if (d.n)
        dump(&d);
    assert_int_equal(d.errors + d.warnings, 0);
    assert_null(sc->title);
    assert_int_equal(sc->seed, 1);                          /* defaults */
    assert_int_equal(sc->duration, KS_SCENARIO_DEFAULT_DURATION);
    assert_false(sc->ingress_nginx);
    assert_int_equal(sc->nnodes, 2);
    assert_int_equal(sc->nodes[0].cpu_milli, 500);
    assert_int_equal(sc->nodes[0].memory_bytes, 512 << 20);
    assert_int_equal(sc->nodes[0].labels.n, 2);
    assert_string_equal(ks_kvs_get(&sc->nodes[0].labels, "disk"), "ssd");
    assert_int_equal(sc->nodes[1].cpu_milli, 2000);
    assert_int_equal(sc->nodes[1].memory_bytes, KS_SCENARIO_DEFAULT_MEMORY);
    assert_int_equal(sc->nimages, 1);
    assert_true(sc->images[0].override);
    assert_false(sc->images[0].pullable);

    assert_int_equal(sc->nmanifests, 4);
    assert_false(sc->manifests[0].is_dir);
    snprintf(buf, sizeof buf, "%s/k8s/server.yaml", t.path);
    assert_string_equal(sc->manifests[0].resolved, buf);
    assert_null(sc->manifests[1].path);
    assert_string_equal(sc->manifests[1].text, "apiVersion: v1\nkind: Secret\n");
    assert_int_equal(sc->manifests[1].len, strlen(sc->manifests[1].text));
    assert_true(sc->manifests[1].text_exact);              /* a | block: line by line */
    assert_int_equal(sc->manifests[1].text_mark.line, 16);
    assert_int_equal(sc->manifests[1].text_mark.col, 9);
    assert_true(sc->manifests[2].text_exact);              /* one line, after the quote */
    assert_int_equal(sc->manifests[2].text_mark.line, 18);
    assert_int_equal(sc->manifests[2].text_mark.col, 17);
    assert_false(sc->manifests[3].text_exact);             /* folded: lines move */
    assert_int_equal(sc->manifests[3].text_mark.line, 20);
    assert_int_equal(sc->manifests[3].text_mark.col, 9);

    assert_int_equal(sc->ntimeline, 9);
    st = &sc->timeline[0];
    assert_string_equal(st->kubectl, "apply -f k8s/");      /* "kubectl " stripped */
    assert_string_equal(st->verb, "apply");
    st = &sc->timeline[1];
    assert_int_equal(st->traffic.to.kind, KS_SCN_TO_NODEPORT);
    assert_int_equal(st->traffic.to.port, 31515);
    assert_int_equal(st->traffic.rate_milli, 300000);
    assert_int_equal(st->traffic.rate_period, KS_MIN);
    assert_int_equal(ks_scn_traffic_interval(&st->traffic), 200 * KS_MSEC);
    assert_true(st->traffic.constant);
    assert_int_equal(st->traffic.clients, 3);
    assert_string_equal(st->traffic.host, "example.com");
    assert_string_equal(st->traffic.method, "GET");
    assert_string_equal(st->traffic.path, "/");
    assert_int_equal(st->traffic.duration, 0);
    st = &sc->timeline[2];
    assert_int_equal(st->traffic.to.kind, KS_SCN_TO_SERVICE);
    assert_string_equal(st->traffic.to.name, "web");
    assert_int_equal(ks_scn_traffic_interval(&st->traffic), 400 * KS_MSEC);
    st = &sc->timeline[3];
    assert_int_equal(st->traffic.to.kind, KS_SCN_TO_LOADBALANCER);
    assert_int_equal(ks_scn_traffic_interval(&st->traffic), 30 * KS_MIN);
    assert_string_equal(st->traffic.method, "DELETE");
    st = &sc->timeline[4];
    assert_int_equal(st->action, KS_SCN_ACT_CRASH);
    assert_null(st->crash.pod);
    assert_true(matches(&st->crash.selector, "app", "web", NULL, NULL));
    assert_false(matches(&st->crash.selector, "app", "web", "tier", "db"));
    assert_string_equal(st->crash.container, "c");
    assert_string_equal(st->crash.reason, "OOMKilled");
    assert_int_equal(st->crash.exit_code, 137);
    st = &sc->timeline[5];
    assert_string_equal(st->crash.pod, "web-1");
    assert_null(st->crash.selector.text);
    assert_int_equal(st->crash.exit_code, 0);
    assert_string_equal(st->crash.reason, "Completed");
    st = &sc->timeline[6];
    assert_int_equal(st->action, KS_SCN_ACT_NODE);
    assert_string_equal(st->node.name, "node-b");
    assert_int_equal(st->node.action, KS_SCN_NODE_DRAIN);
    assert_int_equal(sc->timeline[7].action, KS_SCN_ACT_PAUSE);
    assert_int_equal(sc->timeline[7].action_mark.line, 29);
    assert_int_equal(sc->timeline[8].traffic.to.port, 30080);
    assert_int_equal(ks_scn_traffic_interval(&sc->timeline[8].traffic), KS_SEC);

    assert_int_equal(sc->nexpect, 9);
    e = &sc->expect[0];
    assert_true(e->during);
    assert_int_equal(e->from, 10 * KS_SEC);
    assert_int_equal(e->until, 40 * KS_SEC);
    assert_int_equal(e->kind, KS_SCN_EXP_ENDPOINTS);
    assert_string_equal(e->service, "web");
    assert_int_equal(e->ready.op, KS_SCN_CMP_GE);
    e = &sc->expect[1];
    assert_string_equal(e->name, "web-1");
    assert_int_equal(e->pod_ready, 1);
    assert_string_equal(e->node, "node-a");
    e = &sc->expect[2];
    assert_int_equal(e->to.kind, KS_SCN_TO_SERVICE);
    assert_int_equal(e->http_lo, 500);
    assert_int_equal(e->http_hi, 599);
    assert_int_equal(e->count.op, KS_SCN_CMP_LT);
    e = &sc->expect[3];
    assert_int_equal(e->kind, KS_SCN_EXP_PVC);
    assert_int_equal(e->capacity_bytes, (int64_t)2 << 30);
    assert_string_equal(e->storage_class, "standard");
    assert_string_equal(e->status, "Bound");
    assert_int_equal(sc->expect[4].kind, KS_SCN_EXP_PV);
    e = &sc->expect[5];
    assert_string_equal(e->reason, "BackOff");
    assert_int_equal(e->count.op, KS_SCN_CMP_GE);           /* default: it happened */
    assert_int_equal(e->count.value, 1);
    assert_string_equal(sc->expect[6].contains, "connect ECONNREFUSED");
    e = &sc->expect[7];
    assert_int_equal(e->running.op, KS_SCN_CMP_NE);
    assert_int_equal(e->count.value, 3);
    assert_string_equal(e->status, "Running");
    assert_int_equal(sc->expect[8].http_lo, 404);
    assert_int_equal(sc->expect[8].http_hi, 404);

    assert_int_equal(sc->ngoals, 3);
    assert_string_equal(sc->goals[0].id, "data-survives");
    assert_string_equal(sc->goals[0].title, "The data survives");
    assert_string_equal(sc->goals[0].pvc, "data");
    assert_int_equal(sc->goals[0].nhints, 2);
    assert_string_equal(sc->goals[0].hints[1], "Mount a claim there.");
    assert_int_equal(sc->goals[1].nhints, 1);
    assert_string_equal(sc->goals[1].hints[0], "Read the pod's log.");
    assert_int_equal(sc->goals[2].nhints, 0);
    assert_null(sc->goals[2].id);
    assert_string_equal(sc->fingerprint, "abc123");
    ks_arena_destroy(ar);
    tmp_cleanup(&t);
}

/* scenario-3: a minimal file gets the documented defaults */
static void test_scenario_defaults(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc;
    ks_diags d;
    (void)state;
    assert_int_equal(parse(ar, "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: m}\n"
                               "spec: {}\n", &sc, &d), KS_OK);
    assert_int_equal(sc->seed, 1);
    assert_int_equal(sc->duration, 60 * KS_SEC);
    assert_int_equal(sc->nnodes, 1);
    assert_true(sc->default_node);
    assert_string_equal(sc->nodes[0].name, KS_SCENARIO_DEFAULT_NODE);
    assert_int_equal(sc->nodes[0].cpu_milli, KS_SCENARIO_DEFAULT_CPU_MILLI);
    assert_true(sc->ingress_nginx);
    assert_int_equal(sc->nmanifests + sc->ntimeline + sc->nexpect + sc->ngoals, 0);
    assert_string_equal(sc->dir, ".");
    ks_arena_destroy(ar);
}

/* scenario-4: times after the end are warnings, not errors */
static void test_scenario_warns_after_end(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc;
    ks_diags d;
    (void)state;
    assert_int_equal(parse(ar, "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: m}\n"
                               "spec:\n  duration: 10s\n  timeline:\n"
                               "    - {at: 11s, say: late}\n  expect:\n"
                               "    - {during: [5s, 20s], pods: {selector: a=b, count: 1}}\n",
                           &sc, &d), KS_OK);
    assert_non_null(sc);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 2);
    assert_int_equal(d.items[0].err.line, 7);
    assert_int_equal(d.items[0].err.col, 12);
    assert_int_equal(d.items[1].err.line, 9);
    ks_arena_destroy(ar);
}

/* ---- the small languages ---------------------------------------------------- */

/* scenario-8: comparisons parse, print back, and evaluate exactly */
static void test_scenario_comparisons(void **state)
{
    static const struct {
        const char *text;
        bool percent;
        int rc;
        ks_scn_cmp_op op;
        int64_t value;
        const char *printed;
    } t[] = {
        {">= 120", false, KS_OK, KS_SCN_CMP_GE, 120, ">= 120"},
        {">=120", false, KS_OK, KS_SCN_CMP_GE, 120, ">= 120"},
        {"<= 3", false, KS_OK, KS_SCN_CMP_LE, 3, "<= 3"},
        {"== 0", false, KS_OK, KS_SCN_CMP_EQ, 0, "== 0"},
        {"= 4", false, KS_OK, KS_SCN_CMP_EQ, 4, "== 4"},
        {"!= 0", false, KS_OK, KS_SCN_CMP_NE, 0, "!= 0"},
        {"> 5", false, KS_OK, KS_SCN_CMP_GT, 5, "> 5"},
        {" < 2 ", false, KS_OK, KS_SCN_CMP_LT, 2, "< 2"},
        {"7", false, KS_OK, KS_SCN_CMP_EQ, 7, "== 7"},
        {">= 99%", true, KS_OK, KS_SCN_CMP_GE, 9900, ">= 99%"},
        {"99%", true, KS_OK, KS_SCN_CMP_EQ, 9900, "== 99%"},
        {">= 99.5%", true, KS_OK, KS_SCN_CMP_GE, 9950, ">= 99.5%"},
        {"< 0.25 %", true, KS_OK, KS_SCN_CMP_LT, 25, "< 0.25%"},
        {"100%", true, KS_OK, KS_SCN_CMP_EQ, 10000, "== 100%"},
        {"=> 3", false, KS_EINVAL, 0, 0, NULL},
        {">= x", false, KS_EINVAL, 0, 0, NULL},
        {"", false, KS_EINVAL, 0, 0, NULL},
        {">=", false, KS_EINVAL, 0, 0, NULL},
        {"3 pods", false, KS_EINVAL, 0, 0, NULL},
        {"-1", false, KS_EINVAL, 0, 0, NULL},
        {"1.5", false, KS_EINVAL, 0, 0, NULL},
        {"50%", false, KS_EINVAL, 0, 0, NULL},
        {">= 99", true, KS_EINVAL, 0, 0, NULL},
        {"101%", true, KS_EINVAL, 0, 0, NULL},
        {"99.125%", true, KS_EINVAL, 0, 0, NULL},
        {"99999999999999999999", false, KS_EINVAL, 0, 0, NULL},
    };
    ks_scn_cmp c;
    char why[200], buf[32];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        int rc = ks_scn_cmp_parse(t[i].text, t[i].percent, &c, why, sizeof why);
        if (rc != t[i].rc)
            fail_msg("scenario-8.%zu: '%s' gave %s", i, t[i].text, ks_error_code_name(rc));
        if (rc != KS_OK) {
            assert_true(strlen(why) > 5);
            continue;
        }
        assert_true(c.set);
        assert_int_equal(c.op, t[i].op);
        assert_int_equal(c.value, t[i].value);
        assert_int_equal(c.percent, t[i].percent);
        ks_scn_cmp_format(&c, buf, sizeof buf);
        assert_string_equal(buf, t[i].printed);
    }
    /* counts */
    ks_scn_cmp_parse(">= 120", false, &c, why, sizeof why);
    assert_true(ks_scn_cmp_eval(&c, 120));
    assert_true(ks_scn_cmp_eval(&c, 121));
    assert_false(ks_scn_cmp_eval(&c, 119));
    ks_scn_cmp_parse("!= 0", false, &c, why, sizeof why);
    assert_false(ks_scn_cmp_eval(&c, 0));
    assert_true(ks_scn_cmp_eval(&c, -1));
    ks_scn_cmp_parse("< 2", false, &c, why, sizeof why);
    assert_true(ks_scn_cmp_eval(&c, 1));
    assert_false(ks_scn_cmp_eval(&c, 2));
    /* shares, exactly: 99% of 200 is 198 */
    ks_scn_cmp_parse(">= 99%", true, &c, why, sizeof why);
    assert_true(ks_scn_cmp_eval_ratio(&c, 198, 200));
    assert_false(ks_scn_cmp_eval_ratio(&c, 197, 200));
    assert_true(ks_scn_cmp_eval_ratio(&c, 1, 1));
    assert_false(ks_scn_cmp_eval_ratio(&c, 0, 0));         /* nothing to measure */
    assert_true(ks_scn_cmp_eval_ratio(&c, INT64_MAX, INT64_MAX));   /* no overflow */
    ks_scn_cmp_parse("> 99.5%", true, &c, why, sizeof why);
    assert_false(ks_scn_cmp_eval_ratio(&c, 199, 200));     /* exactly 99.5 */
    assert_true(ks_scn_cmp_eval_ratio(&c, 1991, 2000));
    ks_scn_cmp_parse("== 0%", true, &c, why, sizeof why);
    assert_true(ks_scn_cmp_eval_ratio(&c, 0, 7));
}

/* scenario-9: selectors as kubectl -l takes them */
static void test_scenario_selectors(void **state)
{
    static const struct {
        const char *text;
        int rc;
        size_t nreqs;
    } t[] = {
        {"component=server", KS_OK, 1},
        {"app==web", KS_OK, 1},
        {"app=web,tier!=db", KS_OK, 2},
        {" app = web , tier != db ", KS_OK, 2},
        {"env in (prod, dev),!canary,release", KS_OK, 3},
        {"env notin (test)", KS_OK, 1},
        {"app.kubernetes.io/name=web", KS_OK, 1},
        {"app=", KS_OK, 1},
        {"", KS_OK, 0},
        {"app=web,", KS_EINVAL, 0},
        {",app=web", KS_EINVAL, 0},
        {"app web", KS_EINVAL, 0},
        {"app in prod", KS_EINVAL, 0},
        {"app in (a,", KS_EINVAL, 0},
        {"app in ()", KS_EINVAL, 0},
        {"-app=web", KS_EINVAL, 0},
        {"app=we b", KS_EINVAL, 0},
        {"app=-web", KS_EINVAL, 0},
        {"app>web", KS_EINVAL, 0},
        {"Bad Key=1", KS_EINVAL, 0},
    };
    ks_arena *ar = ks_arena_create(NULL);
    ks_scn_selector s;
    char why[200];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        int rc = ks_scn_selector_parse(ar, t[i].text, &s.sel, why, sizeof why);
        if (rc != t[i].rc || (rc == KS_OK && s.sel.nexprs != t[i].nreqs))
            fail_msg("scenario-9.%zu: '%s' gave %s (%s)", i, t[i].text, ks_error_code_name(rc),
                     rc ? why : "ok");
    }
    assert_int_equal(ks_scn_selector_parse(ar, "app=web,tier!=db", &s.sel, why, sizeof why),
                     KS_OK);
    assert_true(matches(&s, "app", "web", NULL, NULL));      /* != matches a missing key */
    assert_true(matches(&s, "app", "web", "tier", "fe"));
    assert_false(matches(&s, "app", "web", "tier", "db"));
    assert_false(matches(&s, "app", "api", NULL, NULL));
    ks_scn_selector_parse(ar, "env in (prod, dev),!canary,release", &s.sel, why, sizeof why);
    assert_true(matches(&s, "env", "dev", "release", "3"));
    assert_false(matches(&s, "env", "dev", NULL, NULL));     /* release must exist */
    assert_false(matches(&s, "env", "test", "release", "3"));
    ks_scn_selector_parse(ar, "!canary", &s.sel, why, sizeof why);
    assert_true(matches(&s, "app", "x", NULL, NULL));
    assert_false(matches(&s, "canary", "", NULL, NULL));
    ks_scn_selector_parse(ar, "", &s.sel, why, sizeof why);
    assert_true(matches(&s, NULL, NULL, NULL, NULL));         /* empty: everything */
    ks_arena_destroy(ar);
}

/* scenario-10: which documents are scenarios, for `kubesim check` */
static void test_scenario_is_doc(void **state)
{
    static const struct {
        const char *text;
        bool is;
    } t[] = {
        {"apiVersion: kubesim/v1\nkind: Scenario\n", true},
        {"apiVersion: kubesim/v2\nkind: Scenario\n", true},
        {"kind: Scenario\n", true},
        {"apiVersion: kubesim/v1\nkind: Lesson\n", true},
        {"apiVersion: apps/v1\nkind: Deployment\n", false},
        {"apiVersion: v1\nkind: Pod\n", false},
        {"- a\n", false},
        {"kind: [Scenario]\n", false},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        ks_arena *ar = ks_arena_create(NULL);
        ks_yaml_stream *st;
        ks_diags d;
        ks_diags_init(&d);
        assert_int_equal(ks_yaml_parse(ar, "x.yaml", t[i].text, strlen(t[i].text), NULL, &st,
                                       &d), KS_OK);
        if (ks_scenario_is_doc(&st->docs[0]) != t[i].is)
            fail_msg("scenario-10.%zu: '%s'", i, t[i].text);
        ks_arena_destroy(ar);
    }
}

/* scenario-11: a document read without its source text still loads; only
 * the inline manifest's column is unknown then */
static void test_scenario_read_doc_without_source(void **state)
{
    static const char text[] = HEAD "  manifests:\n    - inline: |\n        kind: Pod\n";
    ks_arena *ar = ks_arena_create(NULL);
    ks_yaml_stream *st;
    ks_scenario *sc;
    ks_diags d;
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_yaml_parse(ar, "dir/x.yaml", text, strlen(text), NULL, &st, &d), KS_OK);
    assert_int_equal(ks_scenario_read_doc(ar, &st->docs[0], "dir/x.yaml", NULL, 0, &sc, &d),
                     KS_OK);
    assert_string_equal(sc->dir, "dir");
    assert_int_equal(sc->manifests[0].text_mark.line, 7);
    assert_false(sc->manifests[0].text_exact);
    assert_int_equal(ks_scenario_read_doc(ar, &st->docs[0], "dir/x.yaml", text, strlen(text),
                                          &sc, &d), KS_OK);
    assert_int_equal(sc->manifests[0].text_mark.line, 7);
    assert_int_equal(sc->manifests[0].text_mark.col, 9);
    assert_true(sc->manifests[0].text_exact);
    ks_arena_destroy(ar);
}

/* scenario-12: a missing file is an I/O error naming it */
static void test_scenario_missing_file(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc = (ks_scenario *)&sc;
    ks_diags d;
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_scenario_load_file(ar, "/nonexistent/s.yaml", &sc, &d), KS_EIO);
    assert_null(sc);
    assert_string_equal(d.items[0].err.file, "/nonexistent/s.yaml");
    ks_arena_destroy(ar);
}

/* scenario-13: the n-th allocation failing, for every n: no crash, no leak */
static void test_scenario_oom_every_allocation(void **state)
{
    tmpdir t;
    const char *path;
    long n;
    (void)state;
    tmp_init(&t);
    tmp_mkdir(&t, "k8s");
    tmp_write(&t, "k8s/server.yaml", "kind: Pod\n");
    path = tmp_write(&t, "every.yaml", everything);
    for (n = 1;; n++) {
        ks_failing_alloc fa = {0};
        ks_allocator a;
        ks_arena *ar;
        ks_scenario *sc = NULL;
        ks_diags d;
        int rc;
        fa.fail_at = n;
        a = ks_allocator_failing(&fa);
        ar = ks_arena_create(&a);
        ks_diags_init(&d);
        rc = ar ? ks_scenario_load_file(ar, path, &sc, &d) : KS_ENOMEM;
        ks_arena_destroy(ar);
        assert_int_equal(fa.live, 0);
        if (!fa.failed) {
            assert_int_equal(rc, KS_OK);
            break;
        }
        assert_int_not_equal(rc, KS_OK);
        assert_null(sc);
        assert_true(n < 100000);
    }
    assert_true(n > 3);                        /* some allocations did fail */
    tmp_cleanup(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_design_example),
        cmocka_unit_test(test_scenario_every_field),
        cmocka_unit_test(test_scenario_defaults),
        cmocka_unit_test(test_scenario_warns_after_end),
        cmocka_unit_test(test_scenario_comparisons),
        cmocka_unit_test(test_scenario_selectors),
        cmocka_unit_test(test_scenario_is_doc),
        cmocka_unit_test(test_scenario_read_doc_without_source),
        cmocka_unit_test(test_scenario_missing_file),
        cmocka_unit_test(test_scenario_oom_every_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
