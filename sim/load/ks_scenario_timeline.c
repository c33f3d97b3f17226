/* ks_scenario_timeline.c -- a scenario's timeline: what happens when.
 *
 *   step     := {at: DURATION, one of:
 *                  kubectl: "[kubectl] VERB ARGS..." | traffic | crash |
 *                  node: {name, action: fail|recover|cordon|uncordon|drain|add [, cpu,
 *                         memory, labels]} |
 *                  say: TEXT | pause: true}
 *   traffic  := {to: ingress | "nodeport:N" | "service:NAME" | "loadbalancer:NAME"
 *                  (or exactly one of nodeport: N, service: NAME, loadbalancer: NAME),
 *                method: GET, path: /, host, rate: "5/s" | "300/m" | "2/h" | N,
 *                for: DURATION, arrivals: poisson | constant, clients: N}
 *   crash    := {pod: NAME | selector: SEL, container, exitCode: 0..255,
 *                reason: Error | OOMKilled}
 * Steps stay in file order; the runner sorts them stably by time. A kubectl
 * line is checked here only as far as a loader can: a known verb, and -f
 * paths that exist. The runner reads every line with the kubectl parser
 * before the run starts (ks_run_check_kubectl), and so does kubesim check.
 */
#include <stdio.h>
#include <string.h>

#include "internal/loadutil.h"
#include "internal/scenario.h"
#include "ks_validate.h"

/* ---- timeline ------------------------------------------------------------ */

static const char *const kubectl_verbs[] = {
    "annotate", "apply",  "autoscale", "cordon", "create", "delete", "describe", "drain",
    "exec",     "expose", "get",       "label",  "logs",   "rollout", "run",    "scale",
    "set",      "top",      "uncordon", NULL};

/* Copies the next whitespace-separated word of *p (quotes stripped). */
static const char *next_word(ks_arena *ar, const char **p)
{
    const char *s = *p, *e;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return NULL;
    if (*s == '"' || *s == '\'') {
        e = strchr(s + 1, *s);
        if (e) {
            *p = e + 1;
            return ks_arena_strndup(ar, s + 1, (size_t)(e - s - 1));
        }
    }
    e = s + strcspn(s, " \t");
    *p = e;
    return ks_arena_strndup(ar, s, (size_t)(e - s));
}

static void read_kubectl(ks_reader *r, const ks_yaml_node *step, ks_scenario *sc,
                         ks_scn_step *st)
{
    const ks_yaml_node *n = ks_yaml_get(step, "kubectl");
    const char *cmd, *p, *w, *file;
    size_t i;
    if (!ks_rd_str(r, step, "kubectl", true, &cmd))
        return;
    while (*cmd == ' ' || *cmd == '\t')
        cmd++;
    if (strncmp(cmd, "kubectl", 7) == 0 && (cmd[7] == ' ' || cmd[7] == '\t')) {
        cmd += 7;
        while (*cmd == ' ' || *cmd == '\t')
            cmd++;
    }
    st->kubectl = cmd;
    p = cmd;
    st->verb = next_word(r->ar, &p);
    if (!st->verb && *p) {
        ks_rd_fail(r, n, KS_ENOMEM, "out of memory");
        return;
    }
    if (!st->verb) {
        ks_rd_fail(r, n, KS_EINVAL, "%s is empty; write a command such as \"get pods\"",
                   ks_rd_field(r, "kubectl"));
        return;
    }
    for (i = 0; kubectl_verbs[i] && strcmp(kubectl_verbs[i], st->verb) != 0; i++) {
    }
    if (!kubectl_verbs[i]) {
        const char *guess = ks_rd_suggest(st->verb, kubectl_verbs);
        char hint[64] = "";
        if (guess)
            snprintf(hint, sizeof hint, "did you mean '%s'? ", guess);
        ks_rd_fail(r, n, KS_EUNKNOWN,
                   "%s: unknown command '%s'; %skubesim knows: annotate, apply, cordon, "
                   "create, delete, describe, drain, exec, expose, get, label, logs, rollout, "
                   "run, scale, set, top, uncordon", ks_rd_field(r, "kubectl"), st->verb, hint);
        return;
    }
    /* -f PATH must exist now: a typo should not wait for the run to fail */
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (!(w = next_word(r->ar, &p))) {
            ks_rd_fail(r, n, KS_ENOMEM, "out of memory");
            return;
        }
        file = NULL;
        if (strcmp(w, "--") == 0)
            break;                /* the command of exec, or create job's */
        if (strcmp(w, "-f") == 0 || strcmp(w, "--filename") == 0)
            file = next_word(r->ar, &p);
        else if (strncmp(w, "-f=", 3) == 0)
            file = w + 3;
        else if (strncmp(w, "--filename=", 11) == 0)
            file = w + 11;
        else
            continue;
        if (!file || !*file)
            ks_rd_fail(r, n, KS_EINVAL, "%s: -f needs a file or folder",
                       ks_rd_field(r, "kubectl"));
        else if (!strstr(file, "://") && strcmp(file, "-") != 0) {
            char what[200];
            snprintf(what, sizeof what, "%s: -f", ks_rd_field(r, "kubectl"));
            ksi_scn_check_path(r, sc, n, what, file, ksi_scn_resolve(r, sc, file), NULL);
        }
    }
}

/* "5/s", "300/m", "2/h", or a number (per second); up to 3 decimals. */
static bool parse_rate(const char *s, int64_t *milli, ks_time *period)
{
    int64_t v = 0;
    int frac = -1, digits = 0;
    for (; (*s >= '0' && *s <= '9') || (*s == '.' && frac < 0); s++) {
        if (*s == '.') {
            frac = 0;
            continue;
        }
        if (frac >= 3 || v > (int64_t)1 << 40)
            return false;
        v = v * 10 + (*s - '0');
        digits++;
        if (frac >= 0)
            frac++;
    }
    for (; frac < 3; frac = frac < 0 ? 1 : frac + 1)
        v *= 10;
    if (!digits)
        return false;
    *period = KS_SEC;
    if (*s == '/') {
        s++;
        if (strcmp(s, "s") == 0)
            *period = KS_SEC;
        else if (strcmp(s, "m") == 0 || strcmp(s, "min") == 0)
            *period = KS_MIN;
        else if (strcmp(s, "h") == 0)
            *period = KS_HOUR;
        else
            return false;
    } else if (*s) {
        return false;
    }
    *milli = v;
    return true;
}

ks_time ks_scn_traffic_interval(const ks_scn_traffic *t)
{
    if (t->rate_milli <= 0)
        return 0;
    return (ks_time)(((__int128)t->rate_period * 1000 + t->rate_milli / 2) / t->rate_milli);
}

static void read_traffic(ks_reader *r, const ks_yaml_node *m, ks_scn_traffic *t)
{
    static const char *const keys[] = {"to", "nodeport", "service", "loadbalancer",
                                       "method", "path", "host", "rate", "for",
                                       "arrivals", "clients", NULL};
    static const char *const targets[] = {"to", "nodeport", "service", "loadbalancer"};
    const ks_yaml_node *n, *second = NULL;
    const char *s, *why;
    size_t i, ntargets = 0;
    int64_t v;
    t->method = "GET";
    t->path = "/";
    ks_rd_strict(r, m, keys);
    for (i = 0; i < 4; i++)
        if (ks_yaml_get(m, targets[i]) && ++ntargets == 2)
            second = ks_yaml_key(m, targets[i]);
    if (ntargets == 0)
        ks_rd_fail(r, m, KS_ESCHEMA,
                   "%s needs a destination: to: ingress, to: \"nodeport:31515\", "
                   "to: \"service:NAME\" or to: \"loadbalancer:NAME\"", r->path);
    else if (ntargets > 1)
        ks_rd_fail(r, second, KS_ESCHEMA, "%s has two destinations; keep one of to, "
                   "nodeport, service and loadbalancer", r->path);
    if (ks_yaml_get(m, "to"))
        ksi_scn_read_target(r, m, "to", &t->to);
    if (ks_rd_int(r, m, "nodeport", false, 30000, 32767, &v)) {
        t->to.kind = KS_SCN_TO_NODEPORT;
        t->to.port = (int)v;
    }
    for (i = 2; i < 4; i++)
        if (ks_rd_str(r, m, targets[i], false, &s)) {
            if ((why = ks_check_dns1035_label(s)) != NULL)
                ks_rd_fail(r, ks_yaml_get(m, targets[i]), KS_EINVAL,
                           "%s '%s' is not a Service name: it %s", ks_rd_field(r, targets[i]),
                           s, why);
            t->to.kind = i == 2 ? KS_SCN_TO_SERVICE : KS_SCN_TO_LOADBALANCER;
            t->to.name = s;
        }
    if (ks_rd_str(r, m, "method", false, &t->method) && !ksi_http_method_ok(t->method))
        ks_rd_fail(r, ks_yaml_get(m, "method"), KS_EINVAL, "%s must be one of %s, not '%s'",
                   ks_rd_field(r, "method"), KSI_HTTP_METHODS, t->method);
    if (ks_rd_str(r, m, "path", false, &t->path) && t->path[0] != '/')
        ks_rd_fail(r, ks_yaml_get(m, "path"), KS_EINVAL, "%s must start with /, not '%s'",
                   ks_rd_field(r, "path"), t->path);
    ks_rd_str(r, m, "host", false, &t->host);
    n = ks_yaml_get(m, "rate");
    if (!n)
        ks_rd_fail(r, m, KS_ESCHEMA, "%s is required, e.g. rate: 5/s", ks_rd_field(r, "rate"));
    else if (n->kind != KS_YAML_SCALAR || !parse_rate(n->str, &t->rate_milli, &t->rate_period)
             || t->rate_milli <= 0)
        ks_rd_fail(r, n, KS_EINVAL, "%s must be a positive rate like 5/s, 300/m or 2/h, not "
                   "'%s'", ks_rd_field(r, "rate"), n->kind == KS_YAML_SCALAR ? n->str : "a "
                   "collection");
    else if ((__int128)t->rate_milli * KS_SEC
             > (__int128)KS_SCENARIO_MAX_RATE * 1000 * t->rate_period)
        ks_rd_fail(r, n, KS_ELIMIT, "%s '%s' is more than %d requests per second",
                   ks_rd_field(r, "rate"), n->str, KS_SCENARIO_MAX_RATE);
    if (ks_rd_duration(r, m, "for", false, &t->duration) && t->duration <= 0)
        ks_rd_fail(r, ks_yaml_get(m, "for"), KS_EINVAL,
                   "%s must be longer than 0s; leave it out to run until the end",
                   ks_rd_field(r, "for"));
    if (ks_rd_str(r, m, "arrivals", false, &s)) {
        if (strcmp(s, "constant") == 0)
            t->constant = true;
        else if (strcmp(s, "poisson") != 0)
            ks_rd_fail(r, ks_yaml_get(m, "arrivals"), KS_EINVAL,
                       "%s must be poisson (the default) or constant, not '%s'",
                       ks_rd_field(r, "arrivals"), s);
    }
    if (ks_rd_int(r, m, "clients", false, 1, 100000, &v))
        t->clients = (int)v;
}

static void read_crash(ks_reader *r, const ks_yaml_node *m, ks_scn_step *st)
{
    static const char *const keys[] = {"pod", "selector", "container", "exitCode", "reason",
                                       NULL};
    int64_t code = 1;
    bool has_code = ks_yaml_get(m, "exitCode") != NULL;
    const char *reason = NULL;
    ks_rd_strict(r, m, keys);
    if (!ks_yaml_get(m, "pod") == !ks_yaml_get(m, "selector"))
        ks_rd_fail(r, m, KS_ESCHEMA, "%s needs exactly one of pod: NAME or selector: SEL",
                   r->path);
    ks_rd_str(r, m, "pod", false, &st->crash.pod);
    ksi_scn_read_selector(r, m, "selector", false, &st->crash.selector);
    ks_rd_str(r, m, "container", false, &st->crash.container);
    ks_rd_int(r, m, "exitCode", false, 0, 255, &code);
    if (ks_rd_str(r, m, "reason", false, &reason) && strcmp(reason, "Error") != 0
        && strcmp(reason, "OOMKilled") != 0) {
        ks_rd_fail(r, ks_yaml_get(m, "reason"), KS_EINVAL,
                   "%s must be Error or OOMKilled, not '%s'", ks_rd_field(r, "reason"), reason);
        reason = NULL;
    }
    if (reason && strcmp(reason, "OOMKilled") == 0 && !has_code)
        code = 137;                        /* 128 + SIGKILL, as the kernel's OOM kill */
    if (reason && strcmp(reason, "Error") == 0 && code == 0)
        ks_rd_fail(r, ks_yaml_get(m, "exitCode"), KS_EINVAL,
                   "%s: exit code 0 is a clean exit (reason Completed), not an Error; use a "
                   "non-zero exitCode or leave reason out", r->path);
    st->crash.exit_code = (int)code;
    st->crash.reason = reason ? reason : code == 0 ? "Completed" : "Error";
}

static void read_node_step(ks_reader *r, const ks_yaml_node *m, ks_scn_step *st)
{
    static const char *const keys[] = {"name", "action", NULL};
    static const char *const add_keys[] = {"name", "action", "cpu", "memory", "labels", NULL};
    static const char *const actions[] = {"fail", "recover", "cordon", "uncordon", "drain",
                                          "add", NULL};
    const char *a = NULL;
    size_t i;
    if (!ks_rd_str(r, m, "action", true, &a)) {
        ks_rd_strict(r, m, keys);
        return;
    }
    for (i = 0; actions[i] && strcmp(actions[i], a) != 0; i++) {
    }
    ks_rd_strict(r, m, actions[i] && i == KS_SCN_NODE_ADD ? add_keys : keys);
    if (!actions[i])
        ks_rd_fail(r, ks_yaml_get(m, "action"), KS_EINVAL,
                   "%s must be fail, recover, cordon, uncordon, drain or add, not '%s'",
                   ks_rd_field(r, "action"), a);
    else
        st->node.action = (ks_scn_node_action)i;
    if (actions[i] && i == KS_SCN_NODE_ADD) {       /* the node that joins */
        ksi_scn_read_node_fields(r, m, &st->node.added);
        st->node.name = st->node.added.name;
    } else {
        ks_rd_str(r, m, "name", true, &st->node.name);
    }
}

/* Whether a node named name exists at step k: one of spec.cluster, or one
 * a step before it (in time; in the file at the same time) adds. */
static bool node_known(const ks_scenario *sc, const ks_scn_step *st, const char *name)
{
    size_t i;
    for (i = 0; i < sc->nnodes; i++)
        if (sc->nodes[i].name && strcmp(sc->nodes[i].name, name) == 0)
            return true;
    for (i = 0; i < sc->ntimeline && &sc->timeline[i] != st; i++)
        if (sc->timeline[i].action == KS_SCN_ACT_NODE && sc->timeline[i].node.action == KS_SCN_NODE_ADD
            && sc->timeline[i].node.name && strcmp(sc->timeline[i].node.name, name) == 0
            && sc->timeline[i].at <= st->at)
            return true;
    for (i++; i < sc->ntimeline; i++)
        if (sc->timeline[i].action == KS_SCN_ACT_NODE && sc->timeline[i].node.action == KS_SCN_NODE_ADD
            && sc->timeline[i].node.name && strcmp(sc->timeline[i].node.name, name) == 0
            && sc->timeline[i].at < st->at)
            return true;
    return false;
}

/* Node steps name nodes that exist then; an added node is new. */
static void check_node_names(ks_reader *r, const ks_yaml_node *list, const ks_scenario *sc)
{
    size_t i, k;
    for (i = 0, k = 0; i < list->n && k < sc->ntimeline; i++) {
        const ks_scn_step *st;
        const ks_yaml_node *m = list->items[i], *v;
        size_t s2;
        if (m->kind != KS_YAML_MAP)
            continue;
        st = &sc->timeline[k++];
        if (st->action != KS_SCN_ACT_NODE || !st->node.name || !(v = ks_yaml_get(m, "node"))
            || v->kind != KS_YAML_MAP)
            continue;
        s2 = ks_rd_push_index(r, i);
        ks_rd_push(r, "node");
        if (st->node.action == KS_SCN_NODE_ADD) {
            if (node_known(sc, st, st->node.name))
                ks_rd_fail(r, ks_yaml_get(v, "name"), KS_EINVAL,
                           "%s: a node named '%s' is already in the cluster then; a node "
                           "that joins needs a new name", ks_rd_field(r, "name"), st->node.name);
        } else if (!node_known(sc, st, st->node.name)) {
            ks_rd_fail(r, ks_yaml_get(v, "name"), KS_EINVAL,
                       "%s: the cluster has no node '%s'%s%s", ks_rd_field(r, "name"),
                       st->node.name, sc->default_node ? "; the default node is " : "",
                       sc->default_node ? KS_SCENARIO_DEFAULT_NODE : "");
        }
        ks_rd_pop(r, s2);
    }
}

void ksi_scn_check_time(ks_reader *r, const ks_yaml_node *at, const char *what, ks_time t,
                        ks_time duration)
{
    char a[32], b[32];
    if (t <= duration)
        return;
    ks_duration_format(t, a, sizeof a);
    ks_duration_format(duration, b, sizeof b);
    ks_diag_warn(r->d, at->mark,
                 "%s %s is after the scenario ends (spec.duration %s), so it never happens; "
                 "lengthen spec.duration or move it", what, a, b);
}

static const char *const actions[] = {"kubectl", "traffic", "crash", "node", "say", "pause",
                                      NULL};

static void read_step(ks_reader *r, const ks_yaml_node *m, ks_scenario *sc, ks_scn_step *st)
{
    static const char *const keys[] = {"at", "kubectl", "traffic", "crash", "node", "say",
                                       "pause", "stdin", NULL};
    const ks_yaml_node *first = NULL, *v;
    size_t i, saved;
    bool b, unknown;
    int before = r->d->errors;
    st->mark = m->mark;
    ks_rd_strict(r, m, keys);
    unknown = r->d->errors > before;
    if (ks_rd_duration(r, m, "at", true, &st->at))
        ksi_scn_check_time(r, ks_yaml_get(m, "at"), "at", st->at, sc->duration);
    for (i = 0; actions[i]; i++) {
        if (!ks_yaml_get(m, actions[i]))
            continue;
        if (first) {
            ks_rd_fail(r, ks_yaml_key(m, actions[i]), KS_ESCHEMA,
                       "%s has two actions, %s and %s; give each its own item (they may "
                       "share the same at:)", r->path, first->str, actions[i]);
            return;
        }
        first = ks_yaml_key(m, actions[i]);
        st->action = (ks_scn_action)i;
    }
    if (!first) {
        if (!unknown)                      /* a misspelt action was reported already */
            ks_rd_fail(r, m, KS_ESCHEMA, "%s has no action; add one of kubectl, traffic, "
                       "crash, node, say or pause", r->path);
        return;
    }
    v = ks_yaml_get(m, first->str);
    st->action_mark = v->mark;
    if (st->action != KS_SCN_ACT_KUBECTL && ks_yaml_get(m, "stdin"))
        ks_rd_fail(r, ks_yaml_key(m, "stdin"), KS_ESCHEMA, "%s: stdin goes with a kubectl step "
                   "(what is piped into kubectl exec -i), not with %s", r->path, first->str);
    switch (st->action) {
    case KS_SCN_ACT_KUBECTL:
        read_kubectl(r, m, sc, st);
        ks_rd_str(r, m, "stdin", false, &st->input);
        break;
    case KS_SCN_ACT_SAY:
        if (ks_rd_str(r, m, "say", true, &st->say) && !st->say[0])
            ks_rd_fail(r, v, KS_EINVAL, "%s is empty", ks_rd_field(r, "say"));
        break;
    case KS_SCN_ACT_PAUSE:
        if (ks_rd_bool(r, m, "pause", true, &b) && !b)
            ks_rd_fail(r, v, KS_EINVAL, "%s: false does nothing; write pause: true or remove "
                       "the item", ks_rd_field(r, "pause"));
        break;
    default:
        if (!ks_rd_map(r, m, first->str, true))
            break;
        saved = ks_rd_push(r, first->str);
        if (st->action == KS_SCN_ACT_TRAFFIC)
            read_traffic(r, v, &st->traffic);
        else if (st->action == KS_SCN_ACT_CRASH)
            read_crash(r, v, st);
        else
            read_node_step(r, v, st);
        ks_rd_pop(r, saved);
    }
}

void ksi_scn_read_timeline(ks_reader *r, const ks_yaml_node *spec, ks_scenario *sc)
{
    const ks_yaml_node *s = ksi_rd_list(r, spec, "timeline", KS_SCENARIO_MAX_ITEMS);
    size_t i, saved;
    if (!s || !s->n)
        return;
    sc->timeline = ks_arena_alloc(r->ar, s->n * sizeof *sc->timeline);
    if (!sc->timeline) {
        ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
        return;
    }
    saved = ks_rd_push(r, "timeline");
    for (i = 0; i < s->n; i++) {
        size_t s2 = ks_rd_push_index(r, i);
        if (s->items[i]->kind != KS_YAML_MAP)
            ks_rd_fail(r, s->items[i], KS_ESCHEMA,
                       "%s must be an object like {at: 10s, kubectl: \"get pods\"}", r->path);
        else
            read_step(r, s->items[i], sc, &sc->timeline[sc->ntimeline++]);
        ks_rd_pop(r, s2);
    }
    check_node_names(r, s, sc);
    ks_rd_pop(r, saved);
}

