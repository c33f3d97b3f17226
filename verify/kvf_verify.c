/* kvf_verify.c -- a scenario on kubesim and on a cluster, side by side. */
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvf_clock.h"
#include "kvf_exec.h"
#include "kvf_cluster.h"
#include "kvf_kubeconfig.h"
#include "kvf_kubectl.h"
#include "kvf_machine.h"
#include "kvf_manifest.h"
#include "kvf_shape.h"
#include "kvf_traffic.h"
#include "kvf_verify.h"

#define MAX_REQUESTS 20000        /* per scenario, on the cluster side */
#define FLUSH_MS 10000            /* a started request goes out within this */
#define SETTLE_MS 300             /* a server that does not say what it has answered: no
                                     answer for this long, the rest are still on their way */

typedef enum inst_kind { INST_STEP, INST_REQUEST, INST_EXPECT } inst_kind;

typedef struct instant {          /* something to do at a scenario time */
    ks_time t;
    inst_kind kind;               /* at equal times: steps, requests, expectations */
    size_t index;                 /* timeline step, or expectation */
    size_t seq;                   /* insertion order (a stable sort) */
} instant;

typedef struct ctx {
    const ks_scenario *sc;
    const kvf_options *o;
    kvf_report *rep;
    kvf_kubeconfig kc;
    kvf_client *client;
    kvf_cluster *cluster;
    kvf_clock *clock;
    kvf_traffic *traffic;
    kvf_observer *obs;
    kvf_kubectl *kubectl;         /* the timeline's kubectl steps */
    instant *inst;
    size_t ninst, cap;
    bool created_ns;
    json_t *applied;              /* [resource, name] of what we applied */
    json_t *cordoned;             /* names of the nodes we cordoned or drained */
    json_t *stopped;              /* names of the kind nodes whose containers we stopped */
} ctx;

static void note(kvf_report *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(kvf_report *rep, const char *fmt, ...)
{
    va_list ap;
    size_t i;
    char buf[400];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (i = 0; i < rep->nnotes; i++)
        if (strcmp(rep->notes[i], buf) == 0)
            return;                /* said once is enough */
    if (rep->nnotes < KVF_MAX_NOTES)
        memcpy(rep->notes[rep->nnotes++], buf, sizeof buf);
}

static void logf_(const ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(const ctx *c, const char *fmt, ...)
{
    va_list ap;
    if (!c->o->log)
        return;
    va_start(ap, fmt);
    vfprintf(c->o->log, fmt, ap);
    va_end(ap);
    fflush(c->o->log);
}

/* ---- the kubesim side --------------------------------------------------------------------- */
static int run_kubesim(const ks_scenario *sc, const ks_catalog *cat, kvf_report *rep,
                       ks_diags *d)
{
    ks_run_options ro;
    ks_run *run;
    size_t i;
    memset(&ro, 0, sizeof ro);
    ro.no_fingerprint = true;
    if (!(run = ks_run_create(sc, cat, &ro, d)))
        return ks_diag_first_code(d);
    if (ks_run_to_end(run) != KS_OK) {
        ks_run_destroy(run);
        return ks_diag_error(d, KS_ENOMEM, KS_MARK_NONE, "kubesim's run failed (out of memory)");
    }
    rep->nrows = ks_run_result_count(run);
    rep->rows = calloc(rep->nrows + 1, sizeof *rep->rows);
    if (!rep->rows) {
        ks_run_destroy(run);
        return ks_diag_error(d, KS_ENOMEM, KS_MARK_NONE, "out of memory");
    }
    for (i = 0; i < rep->nrows; i++)
        rep->rows[i].sim = *ks_run_result(run, i);
    ks_run_destroy(run);
    return KS_OK;
}

/* ---- the plan: what happens when ------------------------------------------------------------ */
static int add_inst(ctx *c, ks_time t, inst_kind kind, size_t index)
{
    if (c->ninst == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        instant *g = realloc(c->inst, cap * sizeof *g);
        if (!g)
            return -1;
        c->inst = g;
        c->cap = cap;
    }
    c->inst[c->ninst] = (instant){t, kind, index, c->ninst};
    c->ninst++;
    return 0;
}

static int inst_cmp(const void *a, const void *b)
{
    const instant *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* splitmix64: verify's own draws, seeded by the scenario's seed and the
 * step, so a run is repeatable (kubesim's streams are the sim's, not ours) */
static uint64_t next_draw(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The time to a traffic step's next request: its interval for constant
 * arrivals (the first at the step's time), else an exponential gap of that
 * mean, the first one too (Poisson arrivals, as kubesim's generators draw
 * them). */
static ks_time arrival_gap(const ks_scn_traffic *tr, ks_time mean, uint64_t *rng)
{
    double u;
    if (tr->constant || mean <= 0)
        return mean;
    u = (double)(next_draw(rng) >> 11) / 9007199254740992.0;   /* [0, 1) */
    return (ks_time)(-log(1.0 - u) * (double)mean) + 1;
}

static int plan(ctx *c)
{
    const ks_scenario *sc = c->sc;
    ks_time end = sc->duration;
    size_t i, requests = 0;
    int rc = 0;
    for (i = 0; i < sc->ntimeline && rc == 0; i++) {
        const ks_scn_step *s = &sc->timeline[i];
        if (s->at > end)
            continue;
        rc = add_inst(c, s->at, INST_STEP, i);
        if (s->action == KS_SCN_ACT_TRAFFIC && !c->o->observe_only) {
            ks_time gap = ks_scn_traffic_interval(&s->traffic), stop, t;
            uint64_t rng = sc->seed * 0x9e3779b97f4a7c15ull + i + 1;
            stop = s->traffic.duration ? s->at + s->traffic.duration : end;
            if (stop > end)
                stop = end;
            for (t = s->at + (s->traffic.constant ? 0 : arrival_gap(&s->traffic, gap, &rng));
                 gap > 0 && t < stop && rc == 0; t += arrival_gap(&s->traffic, gap, &rng)) {
                if (requests++ == MAX_REQUESTS) {
                    note(c->rep, "traffic: more than %d requests; the rest were not sent",
                         MAX_REQUESTS);
                    break;
                }
                rc = add_inst(c, t, INST_REQUEST, i);
            }
            if (!s->traffic.constant)
                note(c->rep, "traffic: Poisson arrivals as the scenario says, drawn by verify "
                             "(the same rate, not kubesim's draws: counts differ a little)");
            if (s->traffic.clients)
                note(c->rep, "traffic: sent by one client (kubesim's cookie-keeping clients "
                             "are not imitated)");
        }
    }
    for (i = 0; i < sc->nexpect && rc == 0; i++) {
        const ks_scn_expect *e = &sc->expect[i];
        if (e->during) {
            rc = add_inst(c, e->from, INST_EXPECT, i);
            if (rc == 0 && e->until <= end)
                rc = add_inst(c, e->until, INST_EXPECT, i);
        } else {
            rc = add_inst(c, e->at_end ? end : e->at, INST_EXPECT, i);
        }
    }
    if (rc == 0 && c->ninst)
        qsort(c->inst, c->ninst, sizeof *c->inst, inst_cmp);
    return rc;
}

/* ---- steps ------------------------------------------------------------------------------------ */
/* One kubectl step; says what went wrong. Returns kvf_kubectl_run's answer. */
static int run_kubectl(ctx *c, const char *line)
{
    int rc = kvf_kubectl_run(c->kubectl, line);
    if (rc == 127)
        note(c->rep, "kubectl: %s could not be run; give its path with --kubectl PATH",
             c->o->kubectl ? c->o->kubectl : "kubectl");
    else if (rc == KVF_KUBECTL_STOPPED)
        note(c->rep, "kubectl %s: still running after %g s of wall time; stopped (it waits "
                     "for something the cluster did not do)", line, KVF_KUBECTL_BOUND_S);
    else if (rc == KVF_KUBECTL_RUNNING)
        logf_(c, "         (kubectl %s goes on in the background while time moves on)\n", line);
    else if (rc != 0)
        note(c->rep, "kubectl %s: exit %d on the cluster", line, rc);
    return rc;
}

/* Steps gone on in the background that have ended (wait: all of them). */
static void reap(ctx *c, bool wait)
{
    char msg[400];
    while (c->kubectl && kvf_kubectl_reap(c->kubectl, wait, msg, sizeof msg))
        note(c->rep, "%s", msg);
}

static void crash(ctx *c, const ks_scn_step *s)
{
    static const char *const kill1[] = {"sh", "-c", "kill 1"};
    char why[300];
    long status;
    json_t *items, *p;
    size_t i;
    int killed = 0, deleted = 0;
    if (s->crash.pod) {
        items = json_array();
        json_array_append_new(items, json_pack("{s{ss}}", "metadata", "name", s->crash.pod));
    } else if (!(items = kvf_cluster_list(c->cluster, "pods", c->rep->ns,
                                          s->crash.selector.text, &status, why, sizeof why))) {
        note(c->rep, "crash at %llds: %s", (long long)(s->at / KS_SEC), why);
        return;
    }
    json_array_foreach(items, i, p) {
        const char *name = json_string_value(json_object_get(json_object_get(p, "metadata"),
                                                             "name"));
        kvf_exec_result r;
        if (!name)
            continue;
        if (c->o->allow_exec) {
            /* sh's builtin: an image may have no kill program of its own */
            logf_(c, "  crash: exec %s%s%s -- sh -c 'kill 1'\n", name,
                  s->crash.container ? " -c " : "", s->crash.container ? s->crash.container : "");
            if (kvf_exec(c->client, c->rep->ns, name, s->crash.container, kill1, 3, 30000,
                         &r) == 0 && r.code == 0) {
                killed++;
                kvf_exec_result_fini(&r);
                continue;
            }
            note(c->rep, "crash: exec into %s refused (%.200s); the pod is deleted instead",
                 name, r.error[0] ? r.error : r.err ? r.err : "the command failed");
            kvf_exec_result_fini(&r);
        }
        logf_(c, "  crash: delete pod %s\n", name);
        kvf_cluster_delete(c->cluster, "pods", c->rep->ns, name, why, sizeof why);
        deleted++;
    }
    json_decref(items);
    if (killed)
        note(c->rep, "crash: `kill 1` in the container through exec (the container's process "
                     "ends; exit code and reason are the process's, not the scenario's)");
    if (deleted)
        note(c->rep, "crash: the pod is deleted (a real cluster cannot crash a container from "
                     "outside; --allow-exec sends `kill 1` through exec instead), so restarts "
                     "are not counted as kubesim counts them");
}

/* cordon, uncordon and drain as kubectl does them, on a node of that name;
 * a machine's failure or recovery as kvf_machine can do it, or skipped. */
static void node(ctx *c, const ks_scn_step *s)
{
    static const char *const verbs[] = {"fail", "recover", "cordon", "uncordon", "drain",
                                        "add"};
    char line[400], why[300];
    long status;
    json_t *n;
    int rc;
    if (s->node.action == KS_SCN_NODE_FAIL || s->node.action == KS_SCN_NODE_RECOVER) {
        bool fail = s->node.action == KS_SCN_NODE_FAIL;
        kvf_machine_result res = kvf_machine_action(
            c->cluster, kvf_clock_kubesim(c->clock), c->o->allow_node_stop, s->node.name, fail,
            why, sizeof why);
        logf_(c, "%7.1fs  node %s %s: %s\n", (double)s->at / KS_SEC, s->node.name,
              verbs[s->node.action], why);
        if (res != KVF_MACHINE_DONE)
            note(c->rep, "node %s %s at %gs: %s%s", s->node.name, verbs[s->node.action],
                 (double)s->at / KS_SEC, res == KVF_MACHINE_SKIPPED ? "skipped: " : "", why);
        else if (!kvf_clock_kubesim(c->clock) && c->stopped)
            json_array_append_new(c->stopped, json_string(s->node.name));
        return;
    }
    if (s->node.action == KS_SCN_NODE_ADD) {
        note(c->rep, "node %s add at %gs: skipped (verify does not add machines to a cluster)",
             s->node.name, (double)s->at / KS_SEC);
        return;
    }
    if (!(n = kvf_cluster_get(c->cluster, "nodes", NULL, s->node.name, &status, why,
                              sizeof why))) {
        note(c->rep, "node %s %s at %gs: skipped (%s)", s->node.name,
             verbs[s->node.action], (double)s->at / KS_SEC,
             status == 404 ? "this cluster has no node of that name" : why);
        return;
    }
    json_decref(n);
    if (s->node.action == KS_SCN_NODE_DRAIN)
        snprintf(line, sizeof line, "drain %s --ignore-daemonsets --delete-emptydir-data",
                 s->node.name);
    else
        snprintf(line, sizeof line, "%s %s", verbs[s->node.action], s->node.name);
    logf_(c, "%7.1fs  kubectl %s\n", (double)s->at / KS_SEC, line);
    rc = run_kubectl(c, line);
    if ((rc == 0 || rc == KVF_KUBECTL_RUNNING) && s->node.action != KS_SCN_NODE_UNCORDON && c->cordoned)
        json_array_append_new(c->cordoned, json_string(s->node.name));
}

static void step(ctx *c, const ks_scn_step *s)
{
    if (c->o->observe_only)
        return;                   /* the cluster runs the timeline itself */
    switch (s->action) {
    case KS_SCN_ACT_KUBECTL:
        logf_(c, "%7.1fs  kubectl %s\n", (double)s->at / KS_SEC, s->kubectl);
        run_kubectl(c, s->kubectl);
        break;
    case KS_SCN_ACT_CRASH:
        crash(c, s);
        break;
    case KS_SCN_ACT_NODE:
        node(c, s);
        break;
    default:                      /* traffic starts with its requests; say, pause */
        break;
    }
}

static void request(ctx *c, const ks_scn_step *s)
{
    char route[600];
    kvf_traffic_send(c->traffic, &s->traffic, route, sizeof route);
    note(c->rep, "traffic %s %s (%s): %.300s", s->traffic.method ? s->traffic.method : "GET",
         s->traffic.path ? s->traffic.path : "/", s->traffic.to.name ? s->traffic.to.name
                                                                     : "ingress", route);
}

/* The answers a requests row counts: against kubesim serve's stepped
 * clock, exactly those the server has given by its now (its clock's
 * proxyAnswered: the others are still in flight in the simulation, and
 * kubesim counts a request when it ends); on a wall clock, those that came
 * by now (advance took them in while time passed). */
static void take_answers(ctx *c)
{
    long long want = kvf_clock_proxy_answered(c->clock);
    int i;
    if (want < 0) {
        if (kvf_clock_stepped(c->clock))
            kvf_client_settle(c->client, SETTLE_MS);
        else
            kvf_client_pump(c->client, 0);
        return;
    }
    for (i = 0; (long long)kvf_traffic_answered(c->traffic) < want && i < FLUSH_MS / 20; i++)
        kvf_client_pump(c->client, 20);
    if ((long long)kvf_traffic_answered(c->traffic) < want)
        note(c->rep, "traffic: the server had answered %lld requests, %llu answers came within "
             "%d ms", want, (unsigned long long)kvf_traffic_answered(c->traffic), FLUSH_MS);
}

static void expect(ctx *c, size_t i, ks_time t)
{
    const ks_scn_expect *e = &c->sc->expect[i];
    kvf_row *r = &c->rep->rows[i];
    kvf_outcome now;
    if (e->during && r->at && r->cluster.state != KVF_OBS_PASS)
        return;                   /* a window fails at its first failing instant */
    if (e->kind == KS_SCN_EXP_REQUESTS && !c->o->observe_only)
        take_answers(c);
    if (c->o->observe_only && e->kind == KS_SCN_EXP_REQUESTS) {
        r->cluster.state = KVF_OBS_UNOBSERVABLE;
        snprintf(r->cluster.actual, sizeof r->cluster.actual, "not observable here");
        snprintf(r->cluster.why, sizeof r->cluster.why, "the scenario's traffic runs inside "
                 "the cluster; verify counts only the requests it sends itself");
        r->at = t ? t : 1;
        return;
    }
    kvf_observe(c->obs, e, &now);
    r->cluster = now;
    r->at = t ? t : 1;
}

/* A `during:` window holds at every instant inside it: kubesim checks it
 * after every event; verify at its ends and after every step inside it. */
static void windows(ctx *c, ks_time t)
{
    size_t i;
    for (i = 0; i < c->sc->nexpect; i++) {
        const ks_scn_expect *e = &c->sc->expect[i];
        if (e->during && e->from < t && t < e->until)
            expect(c, i, t);
    }
}

/* Waits until the scenario's time t. Requests in flight are not waited
 * for (a client of the scenario does not wait either): on a wall clock
 * their answers are taken in while time passes. */
static int advance(ctx *c, ks_time t, char *why, size_t n)
{
    int rc;
    if (!kvf_clock_stepped(c->clock))
        while (kvf_clock_now(c->clock) < t && kvf_client_pump(c->client, 0))
            kvf_client_pump(c->client, 20);
    else if (!kvf_client_flush(c->client, FLUSH_MS)
             || !kvf_clock_await_proxied(c->clock, kvf_traffic_sent(c->traffic), FLUSH_MS))
        /* the server must have a request before its clock moves past it */
        note(c->rep, "traffic: a request had not reached the server after %d ms; the clock "
             "moved on", FLUSH_MS);
    rc = kvf_clock_advance(c->clock, t, why, n);
    kvf_client_pump(c->client, 0);
    return rc;
}

/* ---- setting up and tearing down -------------------------------------------------------------- */
static int connect_cluster(ctx *c, ks_arena *ar, ks_diags *d)
{
    char why[600];
    int rc;
    if ((rc = kvf_kubeconfig_load(ar, c->o->kubeconfig, c->o->context, &c->kc, d)) != KS_OK)
        return rc;
    snprintf(c->rep->server, sizeof c->rep->server, "%s", c->kc.server);
    snprintf(c->rep->context, sizeof c->rep->context, "%s", c->kc.context);
    if (!(c->client = kvf_client_create(&c->kc, c->o->timeout_ms, why, sizeof why)))
        return ks_diag_error(d, KS_ENOMEM, KS_MARK_NONE, "%s", why);
    if (!(c->cluster = kvf_cluster_create(c->client, why, sizeof why)))
        return ks_diag_error(d, KS_EIO, KS_MARK_NONE,
                             "cannot reach the cluster of context %s at %s: %s; check that "
                             "it is running and that `kubectl --context %s get nodes` works",
                             c->kc.context, c->kc.server, why, c->kc.context);
    return KS_OK;
}

static int apply_manifests(ctx *c, ks_arena *ar, ks_diags *d)
{
    json_t *objs = json_array(), *obj;
    char what[600];
    size_t i;
    int rc;
    if (!objs || !(c->applied = json_array()) || !(c->cordoned = json_array())
        || !(c->stopped = json_array()))
        return ks_diag_error(d, KS_ENOMEM, KS_MARK_NONE, "out of memory");
    if ((rc = kvf_manifests_load(ar, c->sc, objs, d)) != KS_OK) {
        json_decref(objs);
        return rc;
    }
    json_array_foreach(objs, i, obj) {
        const char *kind = json_string_value(json_object_get(obj, "kind"));
        const kvf_resource *r = kvf_cluster_find_kind(
            c->cluster, json_string_value(json_object_get(obj, "apiVersion")), kind);
        bool ok = kvf_cluster_apply(c->cluster, c->rep->ns, obj, what, sizeof what) == 0;
        logf_(c, "%7.1fs  %s\n", 0.0, what);
        if (!ok)
            note(c->rep, "apply: %s", what);
        else if (r)
            json_array_append_new(c->applied, json_pack("[ss]", r->name, json_string_value(
                json_object_get(json_object_get(obj, "metadata"), "name"))));
    }
    json_decref(objs);
    return KS_OK;
}

static void clean_up(ctx *c)
{
    char why[400];
    json_t *a;
    size_t i;
    if (c->o->keep || c->o->observe_only || !c->cluster)
        return;
    /* nodes are the cluster's, not the run's: give back what was taken */
    for (i = 0; i < json_array_size(c->cordoned); i++) {
        char line[300];
        snprintf(line, sizeof line, "uncordon %s",
                 json_string_value(json_array_get(c->cordoned, i)));
        logf_(c, "cleanup: kubectl %s\n", line);
        run_kubectl(c, line);
    }
    for (i = 0; i < json_array_size(c->stopped); i++) {
        const char *name = json_string_value(json_array_get(c->stopped, i));
        kvf_machine_action(c->cluster, false, true, name, false, why, sizeof why);
        logf_(c, "cleanup: %s\n", why);
    }
    if (c->created_ns) {
        if (kvf_cluster_delete_namespace(c->cluster, c->rep->ns, why, sizeof why) != 0)
            note(c->rep, "namespace %s was not deleted: %s", c->rep->ns, why);
        return;
    }
    /* a namespace we did not make: take back only what we applied */
    for (i = json_array_size(c->applied); i-- > 0;) {
        a = json_array_get(c->applied, i);
        kvf_cluster_delete(c->cluster, json_string_value(json_array_get(a, 0)), c->rep->ns,
                           json_string_value(json_array_get(a, 1)), why, sizeof why);
    }
}

/* kubesim's side of a requests row, from its words "count N, success P%":
 * whether its success threshold lies inside its own 95% interval (kubesim's
 * draws are a sample too). */
static bool sim_within_sampling(const kvf_row *r)
{
    unsigned long long n;
    double pct;
    if (!r->sim.exp
        || sscanf(r->sim.actual, "count %llu, success %lf%%", &n, &pct) != 2)
        return false;
    return kvf_rate_within_sampling(r->sim.exp, (uint64_t)(pct * (double)n / 100.0 + 0.5), n);
}

static void decide(kvf_report *rep)
{
    size_t i;
    for (i = 0; i < rep->nrows; i++) {
        kvf_row *r = &rep->rows[i];
        bool sim_decided = r->sim.state == KS_EXPECT_PASS || r->sim.state == KS_EXPECT_FAIL;
        bool cl_decided = r->at && (r->cluster.state == KVF_OBS_PASS
                                    || r->cluster.state == KVF_OBS_FAIL);
        if (!r->at) {
            r->cluster.state = KVF_OBS_UNOBSERVABLE;
            snprintf(r->cluster.actual, sizeof r->cluster.actual, "not reached");
        }
        r->decided = sim_decided && cl_decided;
        r->differ = r->decided && (r->sim.state == KS_EXPECT_PASS)
                                      != (r->cluster.state == KVF_OBS_PASS);
        if (r->differ && (r->cluster.sampling || sim_within_sampling(r))) {
            r->differ = false;
            r->sampling = true;
        }
        if (r->sampling)
            rep->sampling++;
        else if (r->differ)
            rep->differ++;
        else if (r->decided)
            rep->agree++;
        else
            rep->unobservable++;
    }
}

int kvf_verify_run(const ks_scenario *sc, const ks_catalog *cat, const kvf_options *o,
                   kvf_report *rep, ks_diags *d)
{
    ctx c;
    ks_arena *ar = ks_arena_create(NULL);
    char why[600];
    size_t i;
    int rc;
    memset(rep, 0, sizeof *rep);
    memset(&c, 0, sizeof c);
    c.sc = sc;
    c.o = o;
    c.rep = rep;
    if (!ar)
        return ks_diag_error(d, KS_ENOMEM, KS_MARK_NONE, "out of memory");
    if ((rc = run_kubesim(sc, cat, rep, d)) != KS_OK || (rc = connect_cluster(&c, ar, d)) != KS_OK)
        goto out;
    if (o->observe_only) {
        snprintf(rep->ns, sizeof rep->ns, "%s", o->ns ? o->ns : c.kc.ns);
    } else {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "kubesim-verify-%.30s", sc->name ? sc->name : "run");
        if (kvf_cluster_namespace(c.cluster, o->ns, prefix, c.kc.ns, rep->ns, sizeof rep->ns,
                                  &c.created_ns, why, sizeof why) != 0) {
            rc = ks_diag_error(d, KS_EIO, KS_MARK_NONE, "the cluster stopped answering: %s",
                               why);
            goto out;
        }
        if (why[0])
            note(rep, "%s", why);
    }
    if (!(c.clock = kvf_clock_create(c.client, o->speed, o->wall, o->observe_only,
                                     rep->clock, sizeof rep->clock))) {
        rc = ks_diag_error(d, KS_EIO, KS_MARK_NONE, "the server's clock: %s", rep->clock);
        goto out;
    }
    if (!(c.kubectl = kvf_kubectl_create(o->kubectl, o->kubeconfig, c.kc.context, rep->ns,
                                         sc->dir, o->log))
        || !(c.traffic = kvf_traffic_create(c.cluster, rep->ns))
        || !(c.obs = kvf_observer_create(c.cluster, rep->ns, c.traffic)) || plan(&c) != 0) {
        rc = ks_diag_error(d, KS_ENOMEM, KS_MARK_NONE, "out of memory");
        goto out;
    }
    if (o->allow_exec)
        kvf_observer_allow_exec(c.obs, cat);
    logf_(&c, "cluster: %s (context %s), namespace %s; time: %s\n", rep->server, rep->context,
          rep->ns, rep->clock);
    {
        char shape[8][KVF_SHAPE_NOTE];
        size_t k, n = kvf_shape_check(c.cluster, sc, kvf_clock_kubesim(c.clock), shape, 8);
        for (k = 0; k < n; k++) {
            logf_(&c, "%s\n", shape[k]);
            note(rep, "%s", shape[k]);
        }
    }
    if (!o->observe_only && (rc = apply_manifests(&c, ar, d)) != KS_OK)
        goto out;
    for (i = 0; i < c.ninst; i++) {
        const instant *in = &c.inst[i];
        if (advance(&c, in->t, why, sizeof why) != 0) {
            note(rep, "stopped at %.1fs: %s", (double)in->t / KS_SEC, why);
            break;
        }
        if (in->kind == INST_STEP) {
            step(&c, &sc->timeline[in->index]);
            kvf_observer_poll(c.obs);
            windows(&c, in->t);
        } else if (in->kind == INST_REQUEST) {
            request(&c, &sc->timeline[in->index]);
        } else {
            expect(&c, in->index, in->t);
        }
        reap(&c, false);
    }
    reap(&c, true);
    decide(rep);
    rc = KS_OK;
out:
    clean_up(&c);
    json_decref(c.applied);
    json_decref(c.cordoned);
    json_decref(c.stopped);
    free(c.inst);
    kvf_kubectl_destroy(c.kubectl);
    kvf_observer_destroy(c.obs);
    kvf_traffic_destroy(c.traffic);
    kvf_clock_destroy(c.clock);
    kvf_cluster_destroy(c.cluster);
    kvf_client_destroy(c.client);
    ks_arena_destroy(ar);
    return rc;
}

void kvf_report_fini(kvf_report *rep)
{
    free(rep->rows);
    rep->rows = NULL;
    rep->nrows = 0;
}
