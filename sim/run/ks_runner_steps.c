/* ks_runner_steps.c -- what a run does to its cluster: the apply at 0s
 * (printed as `kubectl apply -f` prints it), the timeline's steps (kubectl,
 * traffic, crash, node, say, pause) and `kubesim apply`'s default traffic.
 * Each step says on the trace what it did, or why it could not.
 * The trace never holds the scenario file's name or line numbers, so a
 * fingerprint does not change with where the file is or when lines move.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal/runner.h"
#include "core/ks_event.h"
#include "core/ks_trace.h"
#include "net/ks_traffic.h"
#include "kubectl/ks_kubectl.h"
#include "core/ks_strbuf.h"
#include "world/ks_world.h"

void ksi_run_emit(ks_run *run, ks_trace_type type, const char *kind, const char *name,
                  const char *reason, int64_t n0, const char *fmt, ...)
{
    ks_trace_event ev;
    char msg[1024];
    va_list ap;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.kind = kind;
    ev.name = name;
    ev.reason = reason;
    ev.n[0] = n0;
    if (fmt) {
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        ev.msg = msg;
    }
    ks_trace_emit(run->sim, &ev);
}

/* ---- 0s: the manifests, as `kubectl apply -f` prints them ------------------------ */
void ksi_run_apply(ks_sim *sim, void *subject, uint64_t arg)
{
    ks_run *run = subject;
    const ks_scenario *sc = run->sc;
    size_t i, k, u = 0;
    (void)arg;
    for (i = 0; i < sc->nmanifests; i++) {
        const ks_scn_manifest *mf = &sc->manifests[i];
        if (mf->path)
            ksi_run_emit(run, KS_TR_KUBECTL, NULL, NULL, "Command", 0, "apply -f %s", mf->path);
        else   /* no file name or line: the trace must not depend on where the
                  scenario file is, or on lines moving (a pinned fingerprint) */
            ksi_run_emit(run, KS_TR_KUBECTL, NULL, NULL, "Command", 0,
                         "apply -f -    # spec.manifests[%zu], inline", i);
        for (k = run->first[i]; k < run->first[i + 1]; k++) {
            const ks_object *o = run->m.objs[k];
            ks_apply_result res;
            ks_error err;
            ks_error_clear(&err);
            if (ks_cluster_apply(sim, o, &res, &err) == KS_OK)
                ksi_run_emit(run, KS_TR_KUBECTL, NULL, NULL, NULL, 0, "%s/%s %s",
                             ks_kind_resource(o->kind), o->meta.name,
                             res == KS_APPLY_CREATED      ? "created"
                             : res == KS_APPLY_CONFIGURED ? "configured"
                                                          : "unchanged");
            else if (ks_sim_status(sim) != KS_OK)
                return;
            else {
                char line[1024];
                if (!ks_kubectl_refusal(&err, mf->path ? mf->path : "STDIN", line,
                                        sizeof line))
                    snprintf(line, sizeof line, "%s",
                             err.msg[0] ? err.msg : "error: the object was refused");
                ksi_run_emit(run, KS_TR_KUBECTL, NULL, NULL, NULL, 1, "%s", line);
            }
        }
        for (; u < run->nunknown && run->unknown[u].entry == i; u++)
            ksi_run_emit(run, KS_TR_KUBECTL, NULL, NULL, NULL, 1, "%s", run->unknown[u].text);
    }
}

/* ---- the timeline ------------------------------------------------------------- */
/* Runs the command and puts its output on the trace, a line per event;
 * appends the output to keep when it is non-NULL. Returns kubectl's exit
 * status. */
static void emit_output(ks_run *run, const char *text, const ks_kubectl_tables *tables)
{
    const char *s, *nl;
    char msg[1024];
    for (s = text; *s; s = *nl ? nl + 1 : nl) {
        ks_trace_event ev = {.type = KS_TR_KUBECTL, .msg = msg};
        nl = strchr(s, '\n');
        if (!nl)
            nl = s + strlen(s);
        snprintf(msg, sizeof msg, "%.*s", (int)(nl - s), s);
        ev.n[0] = strncmp(s, "error", 5) == 0 || strncmp(s, "Error", 5) == 0;
        ev.n[1] = ks_kubectl_in_table(tables, (size_t)(s - text));
        ks_trace_emit(run->sim, &ev);
    }
}

static int run_kubectl(ks_run *run, const char *line, const char *input, ks_strbuf *keep,
                       ks_kubectl_tables *tables_out)
{
    ks_strbuf out;
    ks_kubectl_tables tables;
    int rc;
    ks_strbuf_init(&out, &run->opt.alloc);
    ksi_run_emit(run, KS_TR_KUBECTL, NULL, NULL, "Command", 0, "%s", line);
    rc = ks_kubectl_run_input(run->sim, line, run->sc->dir, input, &out, &tables);
    emit_output(run, ks_strbuf_str(&out), &tables);
    if (keep)
        ks_strbuf_puts(keep, ks_strbuf_str(&out));
    if (tables_out)
        *tables_out = tables;
    ks_strbuf_fini(&out);
    return rc;
}

static void step_kubectl(ks_run *run, const ks_scn_step *st)
{
    run_kubectl(run, st->kubectl, st->input, NULL, NULL);
}

int ks_run_kubectl(ks_run *run, const char *line, ks_strbuf *out)
{
    return run_kubectl(run, line, NULL, out, NULL);
}

int ks_run_kubectl_tables(ks_run *run, const char *line, ks_strbuf *out,
                          ks_kubectl_tables *tables)
{
    return run_kubectl(run, line, NULL, out, tables);
}

ks_exec_outcome ks_run_exec(ks_run *run, const char *line, ks_id pod, const char *container,
                            const char *const *argv, size_t argc, const char *input,
                            ks_exec_result *res)
{
    ks_strbuf out;
    ks_strbuf_init(&out, &run->opt.alloc);
    ksi_run_emit(run, KS_TR_KUBECTL, NULL, NULL, "Command", 0, "%s", line);
    ks_exec_input(run->sim, pod, container, argv, argc, input, res);
    ks_kubectl_exec_output(res, &out);
    emit_output(run, ks_strbuf_str(&out), NULL);
    ks_strbuf_fini(&out);
    return res->outcome;
}

ks_time ks_run_quiet_instant(ks_run *run)
{
    ks_sim *sim = run->sim;
    ks_time t = ks_now(sim) + 1, next;
    while (ks_next_time(sim, &next) && next <= t && ks_sim_status(sim) == KS_OK) {
        ks_run_advance(run, t);
        t = ks_now(sim) + 1;
    }
    ks_run_advance(run, t);
    return ks_now(sim);
}

/* "5/s", "0.5/s", "30/m", "2 per 10s" */
static void rate_text(const ks_scn_traffic *t, char *buf, size_t n)
{
    char num[32], per[32];
    if (t->rate_milli % 1000 == 0)
        snprintf(num, sizeof num, "%lld", (long long)(t->rate_milli / 1000));
    else
        snprintf(num, sizeof num, "%lld.%03lld", (long long)(t->rate_milli / 1000),
                 (long long)(t->rate_milli % 1000));
    while (strchr(num, '.') && (num[strlen(num) - 1] == '0' || num[strlen(num) - 1] == '.'))
        num[strlen(num) - 1] = '\0';
    if (t->rate_period == KS_SEC || t->rate_period == KS_MIN || t->rate_period == KS_HOUR)
        snprintf(buf, n, "%s/%s", num, t->rate_period == KS_SEC ? "s"
                                       : t->rate_period == KS_MIN ? "m" : "h");
    else {
        ks_duration_format(t->rate_period, per, sizeof per);
        snprintf(buf, n, "%s per %s", num, per);
    }
}

static void start_traffic(ks_run *run, const ks_scn_traffic *t)
{
    char to[160], rate[64], dur[40];
    ks_scn_target_format(&t->to, to, sizeof to);
    rate_text(t, rate, sizeof rate);
    if (t->duration) {
        snprintf(dur, sizeof dur, " for ");
        ks_duration_format(t->duration, dur + 5, sizeof dur - 5);
    } else {
        dur[0] = '\0';
    }
    if (ks_traffic_start(run->sim, t) != KS_OK)
        return;            /* out of memory: the sim has failed */
    ksi_run_emit(run, KS_TR_ACTION, NULL, to, "Traffic", 0, "%s %s%s at %s%s%s", t->method,
                 t->host ? t->host : "", t->path, rate, dur, t->constant ? " (constant)" : "");
}

/* Crashes container (NULL: the first) of pod p; reports on the trace. */
static void crash_pod(ks_run *run, const ks_pod *p, const ks_scn_step *st)
{
    const char *c = st->crash.container;
    const char *reason = st->crash.reason ? st->crash.reason : "Error";
    int rc;
    size_t i;
    if (!c)
        c = p->ncontainers ? p->containers[0].spec->name : "";
    rc = ks_node_crash(run->sim, p->id, st->crash.container, st->crash.exit_code, reason);
    if (rc == KS_OK) {
        ksi_run_emit(run, KS_TR_ACTION, "Pod", p->name, "Crash", 0,
                     "container %s killed: exit code %d (%s)", c, st->crash.exit_code, reason);
        return;
    }
    if (rc == KS_EUNKNOWN) {
        char names[200] = "";
        for (i = 0; i < p->ncontainers; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                     i ? ", " : "", p->containers[i].spec->name);
        ksi_run_emit(run, KS_TR_ACTION, "Pod", p->name, "Crash", 1,
                     "pod %s has no container named %s (it has: %s); nothing crashed", p->name, c,
                     names);
    } else if (rc == KS_EINVAL) {
        ksi_run_emit(run, KS_TR_ACTION, "Pod", p->name, "Crash", 1,
                     "container %s of pod %s is not running (the pod is %s); nothing crashed", c,
                     p->name, p->status);
    }
}

static void step_crash(ks_run *run, const ks_scn_step *st)
{
    ks_sim *sim = run->sim;
    ks_id id = 0;
    int n = 0;
    if (st->crash.pod) {
        const ks_pod *p = ks_cluster_pod(sim, ks_cluster_find(sim, KS_KIND_POD, NULL,
                                                              st->crash.pod));
        if (p) {
            crash_pod(run, p, st);
        } else {
            char why[600];
            ksi_text t = {why, sizeof why, 0};
            why[0] = '\0';
            ksi_why_no_match(sim, NULL, &t);
            ksi_run_emit(run, KS_TR_ACTION, "Pod", st->crash.pod, "Crash", 1,
                         "no pod named %s: %s; nothing crashed", st->crash.pod, why);
        }
        return;
    }
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        if (!p->terminating && ks_selector_matches(&st->crash.selector.sel, &p->labels)) {
            crash_pod(run, p, st);
            n++;
        }
    }
    if (n == 0) {
        char why[600];
        ksi_text t = {why, sizeof why, 0};
        why[0] = '\0';
        ksi_why_no_match(sim, st->crash.selector.text, &t);
        ksi_run_emit(run, KS_TR_ACTION, NULL, st->crash.selector.text, "Crash", 1,
                     "%s; nothing crashed", why);
    }
}

/* A machine joins: its Node registers (the kubelet creates it, Ready
 * once its status is posted), and the scheduler and the DaemonSets see it
 * through the store like any new Node. */
static void step_node_add(ks_run *run, const ks_scn_step *st, ks_id existing)
{
    const ks_scn_node *nd = &st->node.added;
    ks_object *o;
    ks_apply_result res;
    ks_error err;
    if (existing) {
        ksi_run_emit(run, KS_TR_ACTION, "Node", st->node.name, "NodeAdd", 1,
                     "a node named %s is already in the cluster; nothing happened",
                     st->node.name);
        return;
    }
    if (!(o = ks_arena_alloc(run->ar, sizeof *o))) {
        ks_sim_fail(run->sim, KS_ENOMEM);
        return;
    }
    memset(o, 0, sizeof *o);
    o->kind = KS_KIND_NODE;
    o->api_version = "v1";
    o->meta.name = nd->name;
    o->meta.ns = "";
    o->meta.labels = nd->labels;
    o->meta.mark = o->mark = nd->mark;
    o->u.node.cpu = nd->cpu_milli;
    o->u.node.memory = nd->memory_bytes;
    o->u.node.max_pods = 110;
    ksi_run_emit(run, KS_TR_ACTION, "Node", st->node.name, "NodeAdd", 0,
                 "a machine joins: cpu %lld%s, memory %lldMi",
                 (long long)(nd->cpu_milli % 1000 ? nd->cpu_milli : nd->cpu_milli / 1000),
                 nd->cpu_milli % 1000 ? "m" : "", (long long)(nd->memory_bytes >> 20));
    ks_error_clear(&err);
    if (ks_cluster_apply(run->sim, o, &res, &err) != KS_OK && ks_sim_status(run->sim) == KS_OK)
        ksi_run_emit(run, KS_TR_ACTION, "Node", st->node.name, "NodeAdd", 1, "%s", err.msg);
}

static void step_node(ks_run *run, const ks_scn_step *st)
{
    static const struct {
        ks_node_action action;
        const char *reason, *what;
    } acts[] = {
        [KS_SCN_NODE_FAIL] = {KS_NODE_FAIL, "NodeFail", "the machine goes down"},
        [KS_SCN_NODE_RECOVER] = {KS_NODE_RECOVER, "NodeRecover", "the machine is back"},
        [KS_SCN_NODE_CORDON] = {KS_NODE_CORDON, "Cordon", "no new pods are placed here"},
        [KS_SCN_NODE_UNCORDON] = {KS_NODE_UNCORDON, "Uncordon", "new pods may be placed here"},
        [KS_SCN_NODE_DRAIN] = {KS_NODE_DRAIN, "Drain", "cordoned, and its pods evicted"},
    };
    ks_id id = ks_cluster_find(run->sim, KS_KIND_NODE, NULL, st->node.name);
    const char *reason;
    if (st->node.action == KS_SCN_NODE_ADD) {
        step_node_add(run, st, id);
        return;
    }
    reason = acts[st->node.action].reason;
    if (!id) {
        char names[300] = "";
        ks_id n = 0;
        while ((n = ks_cluster_next(run->sim, KS_KIND_NODE, n)) != 0)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                     names[0] ? ", " : "", ks_cluster_node(run->sim, n)->name);
        ksi_run_emit(run, KS_TR_ACTION, "Node", st->node.name, reason, 1,
                     "no node named %s (nodes: %s); nothing happened", st->node.name, names);
        return;
    }
    ksi_run_emit(run, KS_TR_ACTION, "Node", st->node.name, reason, 0, "%s",
                 acts[st->node.action].what);
    ks_world_node_action(run->sim, id, acts[st->node.action].action);
}

int ks_run_node(ks_run *run, const char *name, ks_scn_node_action action)
{
    ks_scn_step st;
    ks_id id;
    if (action == KS_SCN_NODE_ADD)
        return KS_EINVAL;
    if (!name || !(id = ks_cluster_find(run->sim, KS_KIND_NODE, NULL, name)))
        return KS_EUNKNOWN;
    memset(&st, 0, sizeof st);
    st.action = KS_SCN_ACT_NODE;
    st.at = ks_now(run->sim);
    st.node.name = ks_cluster_node(run->sim, id)->name;   /* the sim's own string */
    st.node.action = action;
    step_node(run, &st);
    return KS_OK;
}

/* `kubesim apply`: 2 requests/s of GET / to each way in that exists now. */
static void add_default(ks_run *run, ks_scn_target_kind kind, int port, const char *name,
                        const char *host)
{
    ks_scn_traffic *t = ks_arena_alloc(run->ar, sizeof *t);
    if (!t) {
        ks_sim_fail(run->sim, KS_ENOMEM);
        return;
    }
    t->to.kind = kind;
    t->to.port = port;
    t->to.name = name;
    t->method = "GET";
    t->path = "/";
    t->host = host;
    t->rate_milli = 2000;
    t->rate_period = KS_SEC;
    start_traffic(run, t);
}

void ksi_run_default_traffic(ks_sim *sim, void *subject, uint64_t arg)
{
    ks_run *run = subject;
    ks_id id = 0;
    size_t i, k;
    (void)arg;
    while ((id = ks_cluster_next(sim, KS_KIND_INGRESS, id)) != 0) {
        const ks_ingress_spec *ing = &ks_cluster_object(sim, id)->u.ing;
        if (!ing->nrules)
            add_default(run, KS_SCN_TO_INGRESS, 0, NULL, NULL);
        for (i = 0; i < ing->nrules; i++) {
            const char *h = ing->rules[i].host;
            for (k = 0; k < i; k++)            /* one generator per host */
                if ((!h && !ing->rules[k].host)
                    || (h && ing->rules[k].host && strcmp(h, ing->rules[k].host) == 0))
                    break;
            if (k == i)
                add_default(run, KS_SCN_TO_INGRESS, 0, NULL, h);
        }
    }
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *s = ks_cluster_service(sim, id);
        const char *ns = s->obj->meta.ns;
        if (ks_cluster_addon_namespace(ns))
            continue;            /* the cluster's own: ingress traffic goes in above */
        if (s->obj->u.svc.type == KS_SVC_LOADBALANCER)
            add_default(run, KS_SCN_TO_LOADBALANCER, 0, s->obj->meta.name, NULL);
        else if (s->obj->u.svc.type == KS_SVC_NODEPORT && s->node_port[0])
            add_default(run, KS_SCN_TO_NODEPORT, s->node_port[0], NULL, NULL);
    }
}

void ksi_run_step(ks_sim *sim, void *subject, uint64_t arg)
{
    ks_run *run = subject;
    const ks_scn_step *st = run->steps[arg];
    switch (st->action) {
    case KS_SCN_ACT_KUBECTL:
        step_kubectl(run, st);
        break;
    case KS_SCN_ACT_TRAFFIC:
        start_traffic(run, &st->traffic);
        break;
    case KS_SCN_ACT_CRASH:
        step_crash(run, st);
        break;
    case KS_SCN_ACT_NODE:
        step_node(run, st);
        break;
    case KS_SCN_ACT_SAY:
        ksi_run_emit(run, KS_TR_CAPTION, NULL, NULL, NULL, 0, "%s", st->say);
        break;
    case KS_SCN_ACT_PAUSE:
        /* no trace event: a paused and an unpaused run must be identical */
        if (run->opt.pause_enabled) {
            run->paused = true;
            ks_sim_stop(sim);
        }
        break;
    }
}
