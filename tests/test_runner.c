/* test_runner.c -- the focus of this file: the scenario runner
 * (sim/ks_runner*.c). Every kind of expectation passes and fails with a
 * "why" a learner can act on; the apply at 0s and the timeline run in
 * order, and checks come after everything else at their instant; during:
 * windows catch the first failing instant; runs end where asked; bad
 * manifests stop a run before it starts while unknown kinds do not; the
 * same scenario and seed give a byte-identical trace, another seed another
 * fingerprint. Small inline scenarios on the default catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/ks_event.h"
#include "run/ks_runner.h"
#include "core/ks_trace.h"

/* ---- scenario text ---------------------------------------------------------------- */
#define HEAD "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n"
/* An inline manifest list item; each manifest line is given as "  ..." */
#define INLINE "  manifests:\n    - inline: |\n"
#define DEPLOY(name, label, replicas, image, extra)                                         \
    "        apiVersion: apps/v1\n        kind: Deployment\n        metadata: {name: " name  \
    "}\n        spec:\n          replicas: " #replicas "\n"                                 \
    "          selector: {matchLabels: {app: " label "}}\n          template:\n"            \
    "            metadata: {labels: {app: " label "}}\n            spec:\n"                 \
    "              containers:\n                - name: " name "\n"                         \
    "                  image: " image "\n" extra "        ---\n"
#define SERVICE(name, label, extra)                                                         \
    "        apiVersion: v1\n        kind: Service\n        metadata: {name: " name "}\n"    \
    "        spec:\n          selector: {app: " label "}\n          ports: [{port: 80}]\n"  \
    extra "        ---\n"
#define CRASHER "                  command: [sh, -c, 'echo boom; exit 1']\n"
#define WEB3 DEPLOY("web", "web", 3, "nginx", "")

/* ---- a run and what it emitted ---------------------------------------------------------- */
typedef struct capture {
    char *json;            /* the trace as JSON Lines */
    size_t len, cap;
    uint64_t hash;         /* ks_trace_hash of every event, in order */
    char captions[8][64];
    int ncaptions;
    char kubectl[32][200];  /* KS_TR_KUBECTL lines */
    char table[33];         /* 'T' for each of them that is a table's line, else '-' */
    int nkubectl;
    char actions[8][300];
    int nactions;
} capture;

static void on_event(void *ud, const ks_trace_event *ev)
{
    capture *c = ud;
    char line[4096];
    size_t n = ks_trace_format_json(ev, line, sizeof line);
    assert_true(n < sizeof line);
    if (c->len + n + 2 > c->cap) {
        c->cap = 2 * (c->len + n + 2);
        c->json = realloc(c->json, c->cap);
        assert_non_null(c->json);
    }
    memcpy(c->json + c->len, line, n);
    c->len += n;
    c->json[c->len++] = '\n';
    c->json[c->len] = '\0';
    c->hash = ks_trace_hash(c->hash, ev);
    if (ev->type == KS_TR_CAPTION && c->ncaptions < 8)
        snprintf(c->captions[c->ncaptions++], sizeof c->captions[0], "%s", ev->msg);
    if (ev->type == KS_TR_KUBECTL && c->nkubectl < 32) {
        c->table[c->nkubectl] = ev->n[1] ? 'T' : '-';
        snprintf(c->kubectl[c->nkubectl++], sizeof c->kubectl[0], "%s%s",
                 ev->n[0] ? "E " : "", ev->msg);
    }
    if (ev->type == KS_TR_ACTION && c->nactions < 8)
        snprintf(c->actions[c->nactions++], sizeof c->actions[0], "%s%s %s",
                 ev->n[0] ? "E " : "", ev->reason, ev->msg);
}

typedef struct tr {
    ks_arena *ar;
    const ks_catalog *cat;
    ks_scenario *sc;
    ks_run *run;
    ks_diags *d;
    capture cap;
} tr;

static const ks_catalog *catalog(void)
{
    /* loaded once; read-only afterwards, like `kubesim test` shares it */
    static ks_arena *ar;
    static ks_catalog *cat;
    if (!cat) {
        ks_diags *d = malloc(sizeof *d);
        ar = ks_arena_create(NULL);
        ks_diags_init(d);
        assert_int_equal(ks_catalog_load_file(ar, KS_ASSETS_DIR "/images.yaml", &cat, d), KS_OK);
        free(d);
    }
    return cat;
}

static void dump(const ks_diags *d)
{
    int i;
    for (i = 0; i < d->n; i++) {
        char buf[1600];
        ks_diag_format(d, i, buf, sizeof buf);
        print_message("  %s\n", buf);
    }
}

/* Loads text and creates the run (NULL when it could not start). */
static ks_run *start_opt(tr *t, const char *text, const ks_run_options *opt)
{
    ks_run_options o;
    memset(t, 0, sizeof *t);
    t->ar = ks_arena_create(NULL);
    t->d = malloc(sizeof *t->d);
    ks_diags_init(t->d);
    t->cat = catalog();
    if (ks_scenario_parse(t->ar, "t.yaml", text, strlen(text), &t->sc, t->d) != KS_OK) {
        dump(t->d);
        fail_msg("the scenario does not load");
    }
    o = opt ? *opt : (ks_run_options){0};
    o.trace = on_event;
    o.trace_ud = &t->cap;
    t->cap.hash = KS_TRACE_HASH_SEED;
    t->run = ks_run_create(t->sc, t->cat, &o, t->d);
    return t->run;
}

/* Loads, runs to the end, and returns the run. */
static ks_run *play(tr *t, const char *text)
{
    if (!start_opt(t, text, NULL)) {
        dump(t->d);
        fail_msg("the run did not start");
    }
    assert_int_equal(ks_run_to_end(t->run), KS_OK);
    return t->run;
}

static void done(tr *t)
{
    ks_run_destroy(t->run);
    ks_arena_destroy(t->ar);
    free(t->d);
    free(t->cap.json);
}

static const ks_expect_result *res(tr *t, size_t i)
{
    const ks_expect_result *r = ks_run_result(t->run, i);
    assert_non_null(r);
    return r;
}

/* Asserts the state of result i and that its why contains text (NULL: no
 * check), printing the result when it does not. */
static void expect_result(tr *t, size_t i, ks_expect_state st, const char *why)
{
    const ks_expect_result *r = res(t, i);
    if (r->state != st || (why && !strstr(r->why, why)))
        fail_msg("expectation %zu (%s %s, %s): %s, wanted %s\n  actual: %s\n  why: %s\n"
                 "  wanted why with: %s", i, r->kind, r->what, r->expected,
                 ks_expect_state_name(r->state), ks_expect_state_name(st), r->actual, r->why,
                 why ? why : "-");
}

/* ---- runner-1: pods ------------------------------------------------------------------- */
static void test_runner_pods(void **state)
{
    tr t;
    (void)state;
    play(&t, HEAD INLINE WEB3
         "  expect:\n"
         "    - {at: 10s, pods: {selector: app=web, ready: 3, running: 3, count: 3}}\n"
         "    - {at: 10s, pods: {selector: app=web, status: Running}}\n"
         "    - {at: 10s, pods: {selector: component=server, ready: 3}}\n"
         "    - {at: 3s, pods: {selector: app=web, ready: 3}}\n"
         "    - {at: 10s, pods: {selector: app=web, count: 2}}\n");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    assert_string_equal(res(&t, 0)->actual, "count 3, ready 3, running 3");
    assert_string_equal(res(&t, 0)->expected, "count == 3, ready == 3, running == 3");
    expect_result(&t, 1, KS_EXPECT_PASS, NULL);
    /* a selector that matches nothing names the labels that are there */
    expect_result(&t, 2, KS_EXPECT_FAIL, "no pod has label component=server (pods here: web-");
    expect_result(&t, 2, KS_EXPECT_FAIL, "[app=web] and 2 more like it)");
    /* at 3s nginx is still being pulled */
    expect_result(&t, 3, KS_EXPECT_FAIL, "is ContainerCreating: container web is waiting");
    expect_result(&t, 4, KS_EXPECT_FAIL, "web-");
    assert_int_equal(res(&t, 0)->at, 10 * KS_SEC);
    done(&t);
}

/* ---- runner-2: pod ------------------------------------------------------------------------ */
static void test_runner_pod(void **state)
{
    tr t;
    (void)state;
    play(&t, HEAD INLINE DEPLOY("crash", "crash", 1, "busybox", CRASHER)
         "  expect:\n"
         "    - {at: 30s, pod: {selector: app=crash, status: CrashLoopBackOff}}\n"
         "    - {at: 30s, pod: {selector: app=crash, restarts: 0}}\n"
         "    - {at: 30s, pod: {selector: app=crash, status: Running}}\n"
         "    - {at: 30s, pod: {name: crash-nope, status: Running}}\n"
         "    - {at: 30s, pod: {selector: app=crash, node: minikube, ready: false}}\n"
         "    - {at: 30s, pod: {selector: app=crash, node: node-9}}\n");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    expect_result(&t, 1, KS_EXPECT_FAIL, "last exited with code 1 (Error); its log ends: \"boom\"");
    expect_result(&t, 2, KS_EXPECT_FAIL, "is CrashLoopBackOff: container crash is waiting "
                                         "(CrashLoopBackOff: back-off");
    expect_result(&t, 3, KS_EXPECT_FAIL, "no such pod (pods here: crash-");
    assert_string_equal(res(&t, 3)->actual, "no pod named crash-nope");
    expect_result(&t, 4, KS_EXPECT_PASS, NULL);
    expect_result(&t, 5, KS_EXPECT_FAIL, "runs on minikube");
    done(&t);
}

/* ---- runner-3: endpoints --------------------------------------------------------------- */
static void test_runner_endpoints(void **state)
{
    tr t;
    (void)state;
    play(&t, HEAD INLINE WEB3 SERVICE("web", "web", "") SERVICE("web-typo", "wbe", "")
         DEPLOY("crash", "crash", 2, "busybox", CRASHER) SERVICE("crash", "crash", "")
         "  expect:\n"
         "    - {at: 10s, endpoints: {service: web, ready: 3}}\n"
         "    - {at: 10s, endpoints: {service: web-typo, ready: \">= 1\"}}\n"
         "    - {at: 10s, endpoints: {service: crash, ready: 2}}\n"
         "    - {at: 10s, endpoints: {service: nothere, ready: 1}}\n");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    expect_result(&t, 1, KS_EXPECT_FAIL, "Service web-typo selects app=wbe; no pod has that "
                                         "label (pods here: ");
    expect_result(&t, 2, KS_EXPECT_FAIL, "Service crash selects app=crash; 2 of the 2 pods it "
                                         "selects are not Ready: crash-");
    expect_result(&t, 3, KS_EXPECT_FAIL, "there is no Service named nothere (there are: ");
    done(&t);
}

/* ---- runner-4: pvc and pv ---------------------------------------------------------------- */
static void test_runner_volumes(void **state)
{
    tr t;
    (void)state;
    play(&t, HEAD INLINE
         "        apiVersion: v1\n        kind: PersistentVolumeClaim\n"
         "        metadata: {name: data}\n        spec:\n"
         "          accessModes: [ReadWriteOnce]\n"
         "          resources: {requests: {storage: 2Gi}}\n        ---\n"
         "        apiVersion: v1\n        kind: PersistentVolumeClaim\n"
         "        metadata: {name: fast}\n        spec:\n"
         "          storageClassName: fast-ssd\n          accessModes: [ReadWriteOnce]\n"
         "          resources: {requests: {storage: 1Gi}}\n"
         "  expect:\n"
         "    - {at: 5s, pvc: {name: data, status: Bound, capacity: 2Gi, storageClass: standard}}\n"
         "    - {at: 5s, pvc: {name: fast, status: Bound}}\n"
         "    - {at: 5s, pvc: {name: data, capacity: 1Gi}}\n"
         "    - {at: 5s, pvc: {name: missing}}\n"
         "    - {at: 5s, pv: {name: nope, status: Available}}\n");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    assert_string_equal(res(&t, 0)->actual, "status Bound, capacity 2Gi, storageClass standard");
    expect_result(&t, 1, KS_EXPECT_FAIL, "claim fast is Pending: ");
    expect_result(&t, 1, KS_EXPECT_FAIL, "fast-ssd");
    expect_result(&t, 2, KS_EXPECT_FAIL, "has 2Gi");
    expect_result(&t, 3, KS_EXPECT_FAIL, "there is no PersistentVolumeClaim named missing "
                                         "(there are: data, fast)");
    expect_result(&t, 4, KS_EXPECT_FAIL, "there is no PersistentVolume named nope");
    assert_string_equal(res(&t, 3)->expected, "exists");
    done(&t);
}

/* ---- runner-5: events and logs ----------------------------------------------------------- */
static void test_runner_events_and_logs(void **state)
{
    tr t;
    (void)state;
    play(&t, HEAD INLINE DEPLOY("crash", "crash", 1, "busybox", CRASHER) WEB3
         "  expect:\n"
         "    - {at: 40s, events: {reason: BackOff, selector: app=crash, count: \">= 2\"}}\n"
         "    - {at: 40s, events: {reason: BackOff, selector: app=web}}\n"
         "    - {at: 40s, events: {reason: Pulled, count: 1}}\n"
         "    - {at: 40s, log: {selector: app=crash, contains: boom}}\n"
         "    - {at: 40s, log: {selector: app=crash, contains: \"ready to accept\"}}\n"
         "    - {at: 40s, log: {selector: app=nothing, contains: boom}}\n");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    expect_result(&t, 1, KS_EXPECT_FAIL, "no BackOff event for pods with label app=web so "
                                         "far; events seen: ");
    expect_result(&t, 2, KS_EXPECT_FAIL, "Pulled happened ");
    expect_result(&t, 3, KS_EXPECT_PASS, NULL);
    assert_non_null(strstr(res(&t, 3)->actual, "found in crash-"));
    expect_result(&t, 4, KS_EXPECT_FAIL, "the logs do not contain \"ready to accept\"; crash-");
    expect_result(&t, 5, KS_EXPECT_FAIL, "no pod has label app=nothing");
    done(&t);
}

/* ---- runner-6: records, and where they went ----------------------------------------------- */
#define POSTGRES(volume_mounts, volumes)                                                    \
    "        apiVersion: apps/v1\n        kind: Deployment\n        metadata: {name: db}\n"  \
    "        spec:\n          replicas: 1\n"                                                \
    "          selector: {matchLabels: {app: db}}\n          template:\n"                   \
    "            metadata: {labels: {app: db}}\n            spec:\n"                        \
    "              containers:\n                - name: postgres\n"                         \
    "                  image: postgres:12\n"                                                \
    "                  env: [{name: POSTGRES_PASSWORD, value: pw}]\n" volume_mounts volumes \
    "        ---\n        apiVersion: v1\n        kind: Service\n        metadata: {name: db}\n" \
    "        spec:\n          selector: {app: db}\n          ports: [{port: 5432}]\n"

static void test_runner_records(void **state)
{
    tr t;
    (void)state;
    /* no volume: the records live in the container's layer, and die with it */
    play(&t, HEAD "  duration: 60s\n" INLINE POSTGRES("", "")
         "  timeline:\n"
         "    - {at: 15s, traffic: {to: \"service:db\", method: POST, path: /, rate: 5/s, "
         "for: 10s, arrivals: constant}}\n"
         "    - {at: 30s, crash: {selector: app=db}}\n"
         "  expect:\n"
         "    - {at: 29s, records: {selector: app=db, count: 50}}\n"
         "    - {at: 40s, records: {selector: app=db, count: 50}}\n"
         "    - {at: 40s, records: {selector: app=nope, count: 1}}\n");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    expect_result(&t, 1, KS_EXPECT_FAIL, "50 records were lost from the container's writable "
                                         "layer of pod db-");
    expect_result(&t, 1, KS_EXPECT_FAIL, "the container restarted");
    assert_string_equal(res(&t, 1)->actual, "count 0");
    expect_result(&t, 2, KS_EXPECT_FAIL, "no pod has label app=nope");
    done(&t);

    /* on a claim they survive the crash, and the claim counts them too */
    play(&t, HEAD "  duration: 60s\n" INLINE
         POSTGRES("                  volumeMounts: [{name: data, mountPath: "
                  "/var/lib/postgresql/data}]\n",
                  "              volumes: [{name: data, persistentVolumeClaim: "
                  "{claimName: data}}]\n")
         "        ---\n        apiVersion: v1\n        kind: PersistentVolumeClaim\n"
         "        metadata: {name: data}\n        spec:\n"
         "          accessModes: [ReadWriteOnce]\n"
         "          resources: {requests: {storage: 1Gi}}\n"
         "  timeline:\n"
         "    - {at: 15s, traffic: {to: \"service:db\", method: POST, path: /, rate: 5/s, "
         "for: 10s, arrivals: constant}}\n"
         "    - {at: 30s, crash: {selector: app=db}}\n"
         "  expect:\n"
         "    - {at: 40s, records: {selector: app=db, count: 50}}\n"
         "    - {at: 40s, records: {pvc: data, count: 50}}\n"
         "    - {at: 40s, records: {pvc: nope, count: 50}}\n");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    expect_result(&t, 1, KS_EXPECT_PASS, NULL);
    expect_result(&t, 2, KS_EXPECT_FAIL, "there is no PersistentVolumeClaim named nope");
    done(&t);
}

/* ---- runner-7: requests -------------------------------------------------------------------- */
static void test_runner_requests(void **state)
{
    tr t;
    (void)state;
    play(&t, HEAD INLINE WEB3 SERVICE("web", "web", "          type: NodePort\n")
         SERVICE("empty", "nobody", "")
         "  timeline:\n"
         "    - {at: 10s, traffic: {to: \"service:web\", rate: 10/s, for: 10s, "
         "arrivals: constant}}\n"
         "    - {at: 10s, traffic: {to: \"service:empty\", path: /x, rate: 2/s, for: 10s, "
         "arrivals: constant}}\n"
         "  expect:\n"
         "    - {at: 25s, requests: {path: /, count: 100, success: 100%}}\n"
         "    - {at: 25s, requests: {path: /x, success: \">= 99%\"}}\n"
         "    - {at: 25s, requests: {path: /nothing, count: \">= 1\"}}\n"
         "    - {at: 25s, requests: {to: \"service:web\", status: 200, count: 100}}\n");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    assert_string_equal(res(&t, 0)->actual, "count 100, success 100.00%");
    expect_result(&t, 1, KS_EXPECT_FAIL, "of 20 requests:");
    expect_result(&t, 2, KS_EXPECT_FAIL, "no request /nothing finished by now");
    expect_result(&t, 3, KS_EXPECT_PASS, NULL);
    assert_string_equal(res(&t, 3)->what, "any path at service:web");
    done(&t);
}

/* ---- runner-8: the apply at 0s and the timeline, in order ---------------------------------- */
static void test_runner_timeline_order(void **state)
{
    tr t;
    int i;
    (void)state;
    play(&t, HEAD INLINE WEB3 "        kind: Gadget\n        apiVersion: example.com/v1\n"
         "        metadata: {name: g}\n"
         "  timeline:\n"
         "    - {at: 5s, say: b}\n"
         "    - {at: 2s, say: a}\n"
         "    - {at: 5s, say: c}\n"
         "    - {at: 0s, kubectl: \"scale deployment web --replicas=1\"}\n"
         "    - {at: 12s, crash: {pod: nobody}}\n"
         "    - {at: 12s, crash: {selector: app=nobody}}\n"
         "  expect:\n"
         "    - {at: 10s, pods: {selector: app=web, count: 1}}\n");
    /* the apply first (unknown kinds reported, the rest applied), then the
     * timeline's kubectl at 0s */
    assert_string_equal(t.cap.kubectl[0], "apply -f -    # spec.manifests[0], inline");
    assert_string_equal(t.cap.kubectl[1], "deployment.apps/web created");
    assert_non_null(strstr(t.cap.kubectl[2], "E error: "));
    assert_non_null(strstr(t.cap.kubectl[2], "no matches for kind \"Gadget\""));
    assert_string_equal(t.cap.kubectl[3], "scale deployment web --replicas=1");
    assert_string_equal(t.cap.kubectl[4], "deployment.apps/web scaled");
    /* sorted by time, file order at equal times */
    assert_int_equal(t.cap.ncaptions, 3);
    assert_string_equal(t.cap.captions[0], "a");
    assert_string_equal(t.cap.captions[1], "b");
    assert_string_equal(t.cap.captions[2], "c");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    /* actions that found nothing to act on say so */
    for (i = 0; i < 2; i++)
        assert_int_equal(strncmp(t.cap.actions[i], "E ", 2), 0);
    assert_non_null(strstr(t.cap.actions[0], "no pod named nobody"));
    assert_non_null(strstr(t.cap.actions[1], "no pod has label app=nobody"));
    done(&t);
}

/* runner-8b: the lines of kubectl's tables (get, rollout history) are
 * marked on the trace (n[1]), for a terminal panel to cut rather than
 * wrap; blank lines between tables, names, other output and errors are
 * not; the JSON form does not show the mark */
static void test_runner_kubectl_tables(void **state)
{
    tr t;
    int i;
    (void)state;
    play(&t, HEAD INLINE WEB3 SERVICE("web", "web", "")
         "  timeline:\n"
         "    - {at: 5s, kubectl: \"get deploy,svc\"}\n"
         "    - {at: 5s, kubectl: \"get deploy -o name\"}\n"
         "    - {at: 5s, kubectl: \"rollout history deployment web\"}\n"
         "    - {at: 5s, kubectl: \"get deploy nope\"}\n"
         "    - {at: 5s, kubectl: \"describe deploy web\"}\n");
    for (i = 0; i < t.cap.nkubectl && strcmp(t.cap.kubectl[i], "get deploy,svc"); i++)
        ;
    assert_true(i < t.cap.nkubectl);
    /* each command, then its lines: get's two tables apart by a blank line;
     * names; the rollout's line, its table, a blank line; the error; then
     * describe's lines, no table (as far as the capture goes) */
    /* (svc's table: the API server's kubernetes Service, then web) */
    assert_true(i + 22 <= t.cap.nkubectl);
    assert_memory_equal(t.cap.table + i, "-TT-TTT" "--" "--TT-" "--" "--------", 22);
    for (i += 22; i < t.cap.nkubectl; i++)
        assert_int_equal(t.cap.table[i], '-');
    assert_null(strstr(t.cap.json, "table"));
    done(&t);
}

/* a kubectl step's stdin (a --record of `kubectl exec -i`) is the exec'd
 * command's standard input when the replay runs it */
static void test_runner_exec_stdin(void **state)
{
    tr t;
    int i;
    (void)state;
    play(&t, HEAD INLINE DEPLOY("box", "box", 1, "busybox", "                  command: "
                                "[sh, -c, 'sleep 3600']\n")
         "  timeline:\n"
         "    - {at: 5s, kubectl: \"exec deploy/box -i -- sh\", stdin: \"echo from-stdin\\n"
         "exit 3\\n\"}\n");
    for (i = 0; i < t.cap.nkubectl && strcmp(t.cap.kubectl[i], "exec deploy/box -i -- sh"); i++)
        ;
    assert_true(i + 2 < t.cap.nkubectl);
    assert_string_equal(t.cap.kubectl[i + 1], "from-stdin");
    assert_string_equal(t.cap.kubectl[i + 2], "command terminated with exit code 3");
    done(&t);
}

/* runner-9: a check at T sees everything that happened at T */
static void test_runner_check_after_instant(void **state)
{
    tr t;
    (void)state;
    play(&t, HEAD INLINE WEB3
         "  timeline:\n"
         "    - {at: 10s, crash: {selector: app=web}}\n"
         "  expect:\n"
         "    - {at: 10s, pod: {selector: app=web, restarts: 1}}\n"
         "    - {at: 9999ms, pod: {selector: app=web, restarts: 0}}\n");
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    expect_result(&t, 1, KS_EXPECT_PASS, NULL);
    done(&t);
}

/* ---- runner-10: during windows --------------------------------------------------------------- */
static void test_runner_during(void **state)
{
    tr t;
    (void)state;
    play(&t, HEAD INLINE DEPLOY("db", "db", 1, "postgres:12",
                                "                  env: [{name: POSTGRES_PASSWORD, value: "
                                "pw}]\n")
         "  timeline:\n"
         "    - {at: 20s, crash: {selector: app=db}}\n"
         "  expect:\n"
         "    - {during: [15s, 30s], pod: {selector: app=db, restarts: 0}}\n"
         "    - {during: [15s, 19s], pod: {selector: app=db, restarts: 0}}\n"
         "    - {during: [40s, 50s], pods: {selector: app=db, ready: 1}}\n");
    /* the first failing instant decides */
    expect_result(&t, 0, KS_EXPECT_FAIL, "restarted 1 time; container db last exited with "
                                         "code 1 (Error)");
    assert_int_equal(res(&t, 0)->at, 20 * KS_SEC);
    assert_string_equal(res(&t, 0)->when, "15s..30s");
    expect_result(&t, 1, KS_EXPECT_PASS, NULL);
    assert_int_equal(res(&t, 1)->at, 19 * KS_SEC);
    expect_result(&t, 2, KS_EXPECT_PASS, NULL);
    done(&t);
}

/* runner-11: a shorter run leaves later checks unreached; at: end is its end */
static void test_runner_until(void **state)
{
    tr t;
    ks_run_options o;
    size_t passed, failed, unreached;
    (void)state;
    memset(&o, 0, sizeof o);
    o.until = 20 * KS_SEC;
    o.until_set = true;
    assert_non_null(start_opt(&t, HEAD "  duration: 60s\n" INLINE WEB3
                                  "  expect:\n"
                                  "    - {at: 10s, pods: {selector: app=web, ready: 3}}\n"
                                  "    - {at: 30s, pods: {selector: app=web, ready: 3}}\n"
                                  "    - {during: [15s, 40s], pods: {selector: app=web, "
                                  "ready: 3}}\n"
                                  "    - {at: end, pods: {selector: app=web, ready: 3}}\n",
                              &o));
    assert_int_equal(ks_run_end(t.run), 20 * KS_SEC);
    ks_run_advance(t.run, 12 * KS_SEC);
    assert_false(ks_run_done(t.run));
    assert_int_equal(ks_now(ks_run_sim(t.run)), 12 * KS_SEC);
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    expect_result(&t, 1, KS_EXPECT_PENDING, NULL);
    assert_int_equal(ks_run_to_end(t.run), KS_OK);
    assert_true(ks_run_done(t.run));
    expect_result(&t, 1, KS_EXPECT_NOT_REACHED, "not checked: the run ended at 20s");
    expect_result(&t, 2, KS_EXPECT_NOT_REACHED, "before the window closed");
    expect_result(&t, 3, KS_EXPECT_PASS, NULL);
    assert_int_equal(res(&t, 3)->at, 20 * KS_SEC);
    ks_run_tally(t.run, &passed, &failed, &unreached);
    assert_int_equal(passed, 2);
    assert_int_equal(failed, 0);
    assert_int_equal(unreached, 2);
    done(&t);
}

/* runner-12: pause steps stop the window's clock, and change nothing */
static void test_runner_pause(void **state)
{
    static const char text[] = HEAD INLINE WEB3 "  timeline:\n    - {at: 7s, pause: true}\n";
    tr a, b;
    ks_run_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    o.pause_enabled = true;
    assert_non_null(start_opt(&a, text, &o));
    ks_run_advance(a.run, 30 * KS_SEC);
    assert_int_equal(ks_now(ks_run_sim(a.run)), 7 * KS_SEC);
    assert_int_equal(ks_run_to_end(a.run), KS_OK);
    play(&b, text);                  /* headless: pause is ignored */
    assert_int_equal(ks_run_fingerprint(a.run), ks_run_fingerprint(b.run));
    done(&a);
    done(&b);
}

/* a live run goes on past the lesson's end (ks_run_extend): extended
 * before its end or after it had finished, it runs on to the new end; the
 * lesson's `at: end` expectation is still checked at the lesson's end */
static void test_runner_extend(void **state)
{
    static const char text[] = HEAD "  duration: 20s\n" INLINE WEB3
                               "  expect:\n    - {at: end, pods: {selector: app=web, ready: 3}}\n";
    tr a, b;
    (void)state;
    assert_non_null(start_opt(&a, text, NULL));
    ks_run_advance(a.run, 10 * KS_SEC);
    assert_int_equal(ks_run_extend(a.run, 60 * KS_SEC), KS_OK);
    ks_run_advance(a.run, 40 * KS_SEC);
    assert_int_equal(ks_now(ks_run_sim(a.run)), 40 * KS_SEC);
    assert_false(ks_run_done(a.run));
    assert_int_equal(res(&a, 0)->state, KS_EXPECT_PASS);     /* decided at 20s */
    ks_run_advance(a.run, 90 * KS_SEC);
    assert_int_equal(ks_now(ks_run_sim(a.run)), 60 * KS_SEC);
    assert_true(ks_run_done(a.run));
    assert_int_equal(ks_run_extend(a.run, 50 * KS_SEC), KS_EINVAL);
    play(&b, text);                          /* finished at 20s, then extended */
    assert_true(ks_run_done(b.run));
    assert_int_equal(ks_run_extend(b.run, 30 * KS_SEC), KS_OK);
    assert_false(ks_run_done(b.run));
    ks_run_advance(b.run, 25 * KS_SEC);
    assert_int_equal(ks_now(ks_run_sim(b.run)), 25 * KS_SEC);
    assert_int_equal(ks_run_to_end(b.run), KS_OK);
    assert_int_equal(ks_now(ks_run_sim(b.run)), 30 * KS_SEC);
    assert_int_equal(res(&b, 0)->state, KS_EXPECT_PASS);
    done(&a);
    done(&b);
}

/* ---- runner-13: determinism and the fingerprint ------------------------------------------- */
static void test_runner_determinism(void **state)
{
    static const char text[] = HEAD "  seed: 7\n" INLINE WEB3 SERVICE("web", "web", "")
        DEPLOY("crash", "crash", 2, "busybox", CRASHER)
        "  timeline:\n"
        "    - {at: 10s, traffic: {to: \"service:web\", rate: 20/s, for: 20s}}\n"
        "    - {at: 15s, kubectl: \"delete pod -l app=web\"}\n"
        "  expect:\n    - {at: 40s, pods: {selector: app=web, ready: 3}}\n";
    static const char other[] = HEAD "  seed: 8\n" INLINE WEB3 SERVICE("web", "web", "")
        DEPLOY("crash", "crash", 2, "busybox", CRASHER)
        "  timeline:\n"
        "    - {at: 10s, traffic: {to: \"service:web\", rate: 20/s, for: 20s}}\n"
        "    - {at: 15s, kubectl: \"delete pod -l app=web\"}\n"
        "  expect:\n    - {at: 40s, pods: {selector: app=web, ready: 3}}\n";
    tr a, b, c;
    char hex[17], want[17];
    (void)state;
    play(&a, text);
    play(&b, text);
    play(&c, other);
    assert_true(a.cap.len > 10000);
    assert_int_equal(a.cap.len, b.cap.len);
    assert_memory_equal(a.cap.json, b.cap.json, a.cap.len);
    assert_int_equal(ks_run_fingerprint(a.run), ks_run_fingerprint(b.run));
    assert_true(ks_run_fingerprint(a.run) != ks_run_fingerprint(c.run));
    /* the fingerprint hashes every event of the trace, in order */
    assert_true(a.cap.len > 0);
    assert_int_equal(ks_run_fingerprint(a.run), a.cap.hash);
    ks_run_fingerprint_hex(a.run, hex);
    snprintf(want, sizeof want, "%016llx", (unsigned long long)a.cap.hash);
    assert_string_equal(hex, want);
    done(&a);
    done(&b);
    done(&c);
}

/* ---- runner-14: bad input ------------------------------------------------------------------- */
static void test_runner_bad_manifest(void **state)
{
    tr t;
    (void)state;
    /* a real error stops the run before anything is applied, located */
    assert_null(start_opt(&t, HEAD INLINE
                              "        apiVersion: apps/v1\n        kind: Deployment\n"
                              "        metadata: {name: web}\n        spec:\n"
                              "          replicas: many\n",
                          NULL));
    assert_true(t.d->errors >= 1);
    assert_string_equal(t.d->items[0].err.file, "t.yaml");
    assert_int_equal(t.d->items[0].err.line, 11);
    assert_non_null(strstr(t.d->items[0].err.msg, "replicas"));
    assert_int_equal(t.cap.len, 0);            /* nothing ran */
    done(&t);
}

/* ---- runner-15: apply's default traffic ------------------------------------------------------ */
static void test_runner_default_traffic(void **state)
{
    tr t;
    ks_run_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    o.default_traffic = true;
    assert_non_null(start_opt(&t, HEAD INLINE WEB3
                                  SERVICE("web", "web", "          type: NodePort\n")
                                  "  expect:\n"
                                  "    - {at: 30s, requests: {success: \">= 80%\", "
                                  "count: \">= 40\"}}\n",
                              &o));
    assert_int_equal(ks_run_to_end(t.run), KS_OK);
    assert_non_null(strstr(t.cap.actions[0], "Traffic GET / at 2/s"));
    expect_result(&t, 0, KS_EXPECT_PASS, NULL);
    done(&t);
}

/* runner-17: without the ingress controller, nothing answers at the ingress */
static void test_runner_no_ingress_controller(void **state)
{
    tr t;
    (void)state;
    play(&t, HEAD "  cluster: {ingressController: none}\n" INLINE WEB3 SERVICE("web", "web", "")
         "        apiVersion: networking.k8s.io/v1\n        kind: Ingress\n"
         "        metadata: {name: site}\n        spec:\n          ingressClassName: nginx\n"
         "          defaultBackend: {service: {name: web, port: {number: 80}}}\n"
         "  timeline:\n    - {at: 10s, traffic: {to: ingress, rate: 2/s, for: 10s}}\n"
         "  expect:\n"
         "    - {at: 25s, requests: {to: ingress, success: \">= 1%\"}}\n"
         "    - {at: 25s, pods: {selector: app.kubernetes.io/name=ingress-nginx, count: 0}}\n");
    expect_result(&t, 0, KS_EXPECT_FAIL, "no response");
    expect_result(&t, 1, KS_EXPECT_PASS, NULL);
    done(&t);
}

/* ---- runner-16: out of memory never crashes --------------------------------------------- */
static void test_runner_oom(void **state)
{
    static const char text[] = HEAD INLINE WEB3 SERVICE("web", "web", "")
        "  expect:\n    - {at: 10s, pods: {selector: app=web, ready: 3}}\n";
    long n;
    int failures = 0;
    (void)state;
    for (n = 1; n < 100000; n += n < 200 ? 1 : 37) {
        ks_failing_alloc fa = {0};
        ks_run_options o;
        tr t;
        fa.fail_at = n;
        memset(&o, 0, sizeof o);
        o.alloc = ks_allocator_failing(&fa);
        if (start_opt(&t, text, &o)) {
            int rc = ks_run_to_end(t.run);
            assert_true(rc == KS_OK || rc == KS_ENOMEM);
            if (rc == KS_OK && !fa.failed) {
                expect_result(&t, 0, KS_EXPECT_PASS, NULL);
                done(&t);
                assert_int_equal(fa.live, 0);
                break;
            }
        } else {
            assert_int_equal(ks_diag_first_code(t.d), KS_ENOMEM);
        }
        failures++;
        done(&t);
        if (fa.live != 0)
            fail_msg("failing allocation %ld leaks %ld allocations", n, fa.live);
    }
    assert_true(failures > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runner_pods),
        cmocka_unit_test(test_runner_pod),
        cmocka_unit_test(test_runner_endpoints),
        cmocka_unit_test(test_runner_volumes),
        cmocka_unit_test(test_runner_events_and_logs),
        cmocka_unit_test(test_runner_records),
        cmocka_unit_test(test_runner_requests),
        cmocka_unit_test(test_runner_timeline_order),
        cmocka_unit_test(test_runner_kubectl_tables),
        cmocka_unit_test(test_runner_exec_stdin),
        cmocka_unit_test(test_runner_extend),
        cmocka_unit_test(test_runner_check_after_instant),
        cmocka_unit_test(test_runner_during),
        cmocka_unit_test(test_runner_until),
        cmocka_unit_test(test_runner_pause),
        cmocka_unit_test(test_runner_determinism),
        cmocka_unit_test(test_runner_bad_manifest),
        cmocka_unit_test(test_runner_default_traffic),
        cmocka_unit_test(test_runner_no_ingress_controller),
        cmocka_unit_test(test_runner_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
