/* ks_runner_expect.c -- what each kind of expectation looks at, and what
 * it says: the comparison as written, the value found, and (when it does
 * not hold) why, in words a learner can act on (ks_runner_why.c).
 *
 * Kinds (DESIGN.md, "Expectations"): pods, pod, records, requests, pvc, pv,
 * endpoints, events, log; jobs is ks_runner_jobs.c's. Pods are matched in every namespace, as
 * `kubectl get pods -A -l SEL` would; Terminating pods are counted, as
 * kubectl lists them. Pure reading: a check never changes the cluster.
 */
#include <stdio.h>
#include <string.h>

#include "internal/runner.h"
#include "net/ks_traffic.h"
#include "kubectl/ks_kubectl.h"
#include "world/ks_world.h"

#define SHOW_PODS 3           /* pods named in one explanation */

static const char *const kind_names[] = {
    [KS_SCN_EXP_PODS] = "pods",         [KS_SCN_EXP_POD] = "pod",
    [KS_SCN_EXP_RECORDS] = "records",   [KS_SCN_EXP_REQUESTS] = "requests",
    [KS_SCN_EXP_PVC] = "pvc",           [KS_SCN_EXP_PV] = "pv",
    [KS_SCN_EXP_ENDPOINTS] = "endpoints", [KS_SCN_EXP_EVENTS] = "events",
    [KS_SCN_EXP_LOG] = "log",           [KS_SCN_EXP_JOBS] = "jobs",
};

/* ---- texts ------------------------------------------------------------------------- */
static void cmp_text(ksi_text *t, const char *label, const ks_scn_cmp *c)
{
    char buf[64];
    if (!c->set)
        return;
    ks_scn_cmp_format(c, buf, sizeof buf);
    ksi_text_printf(t, "%s%s %s", t->len ? ", " : "", label, buf);
}

static void word_text(ksi_text *t, const char *label, const char *v)
{
    if (v)
        ksi_text_printf(t, "%s%s %s", t->len ? ", " : "", label, v);
}

/* 1Gi, 512Mi, or bytes */
static void bytes_text(int64_t b, char *buf, size_t n)
{
    static const char *const units[] = {"Ki", "Mi", "Gi", "Ti", "Pi"};
    int u = -1;
    while (u < 4 && b >= 1024 && b % 1024 == 0) {
        b /= 1024;
        u++;
    }
    snprintf(buf, n, "%lld%s", (long long)b, u >= 0 ? units[u] : "");
}

void ksi_run_describe(const ks_run *run, ks_expect_result *r)
{
    const ks_scn_expect *e = r->exp;
    ksi_text what = {r->what, sizeof r->what, 0}, exp = {r->expected, sizeof r->expected, 0};
    char a[32], b[32];
    snprintf(r->kind, sizeof r->kind, "%s", kind_names[e->kind]);
    if (e->during) {
        ks_duration_format(e->from, a, sizeof a);
        ks_duration_format(e->until, b, sizeof b);
        snprintf(r->when, sizeof r->when, "%s..%s", a, b);
    } else if (e->at_end) {
        ks_duration_format(run->end, a, sizeof a);
        snprintf(r->when, sizeof r->when, "end (%s)", a);
    } else {
        ks_duration_format(e->at, r->when, sizeof r->when);
    }
    switch (e->kind) {
    case KS_SCN_EXP_PODS:
    case KS_SCN_EXP_LOG:
        ksi_text_printf(&what, "%s", e->selector.text);
        break;
    case KS_SCN_EXP_POD:
    case KS_SCN_EXP_PVC:
    case KS_SCN_EXP_PV:
    case KS_SCN_EXP_JOBS:
        ksi_text_printf(&what, "%s", e->name ? e->name : e->selector.text);
        break;
    case KS_SCN_EXP_RECORDS:
        if (e->pvc)
            ksi_text_printf(&what, "pvc/%s", e->pvc);
        else
            ksi_text_printf(&what, "%s", e->selector.text);
        break;
    case KS_SCN_EXP_REQUESTS:
        ksi_text_printf(&what, "%s", e->path ? e->path : "any path");
        if (e->to.kind != KS_SCN_TO_NONE) {
            ks_scn_target_format(&e->to, a, sizeof a);
            ksi_text_printf(&what, " at %s", a);
        }
        break;
    case KS_SCN_EXP_ENDPOINTS:
        ksi_text_printf(&what, "%s", e->service);
        break;
    case KS_SCN_EXP_EVENTS:
        ksi_text_printf(&what, "%s", e->reason);
        if (e->selector.text)
            ksi_text_printf(&what, " for %s", e->selector.text);
        break;
    }
    if (e->http_lo) {             /* requests: which ones, then how many */
        if (e->http_lo == e->http_hi)
            ksi_text_printf(&exp, "status %d", e->http_lo);
        else
            ksi_text_printf(&exp, "status %dxx", e->http_lo / 100);
    }
    cmp_text(&exp, "count", &e->count);
    cmp_text(&exp, "ready", &e->ready);
    cmp_text(&exp, "running", &e->running);
    word_text(&exp, "status", e->status);
    if (e->pod_ready >= 0)
        word_text(&exp, "ready", e->pod_ready ? "true" : "false");
    cmp_text(&exp, "restarts", &e->restarts);
    word_text(&exp, "node", e->node);
    word_text(&exp, "capacity", e->capacity);
    word_text(&exp, "storageClass", e->storage_class);
    cmp_text(&exp, "success", &e->success);
    cmp_text(&exp, "succeeded", &e->succeeded);
    cmp_text(&exp, "failed", &e->failed);
    cmp_text(&exp, "active", &e->active);
    if (e->contains)
        ksi_text_printf(&exp, "contains \"%s\"", e->contains);
    if (!exp.len)
        ksi_text_printf(&exp, "exists");
}

/* ---- pod labels, also of pods that are gone ---------------------------------------- */
void ksi_run_track_pods(ks_run *run)
{
    ks_id id = run->last_pod;
    while ((id = ks_cluster_next(run->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(run->sim, id);
        ks_kvs *dst;
        size_t i;
        if (ks_mem_grow(&run->opt.alloc, (void **)&run->labels, &run->labels_cap, id + 1,
                        sizeof *run->labels) != 0) {
            ks_sim_fail(run->sim, KS_ENOMEM);
            return;
        }
        dst = &run->labels[id];
        dst->items = ks_arena_alloc(run->ar, (p->labels.n + 1) * sizeof *dst->items);
        if (!dst->items) {
            ks_sim_fail(run->sim, KS_ENOMEM);
            return;
        }
        for (i = 0; i < p->labels.n; i++) {
            dst->items[i].key = ks_arena_strdup(run->ar, p->labels.items[i].key);
            dst->items[i].value = ks_arena_strdup(run->ar, p->labels.items[i].value);
        }
        dst->n = p->labels.n;
        run->last_pod = id;
    }
}

const ks_kvs *ksi_run_pod_labels(const ks_run *run, ks_id id)
{
    const ks_pod *p = ks_cluster_pod(run->sim, id);
    if (p)
        return &p->labels;
    if (id < run->labels_cap && run->labels[id].items)
        return &run->labels[id];
    return NULL;
}

/* ---- pods, pod --------------------------------------------------------------------- */
/* Whether something in namespace ns is in the expectation's namespace
 * (without one: every namespace). */
static bool in_ns(const ks_scn_expect *e, const char *ns)
{
    return !e->ns || (ns && strcmp(ns, e->ns) == 0);
}

static bool matches(const ks_scn_expect *e, const ks_pod *p)
{
    return in_ns(e, p->ns) && ks_selector_matches(&e->selector.sel, &p->labels);
}

/* The object of kind named name: in the expectation's namespace, or,
 * without one, in default, else the first made in any namespace. */
static ks_id find_named(const ks_run *run, const ks_scn_expect *e, ks_kind kind,
                        const char *name)
{
    ks_id id = ks_cluster_find(run->sim, kind, e->ns, name);
    const ks_object *o;
    if (id || e->ns || !ks_kind_namespaced(kind))
        return id;
    while ((id = ks_cluster_next(run->sim, kind, id)) != 0)
        if ((o = ks_cluster_object(run->sim, id)) != NULL && o->meta.name
            && strcmp(o->meta.name, name) == 0)
            return id;
    return 0;
}

/* As kubectl's RESTARTS counts them: the init containers' while the pod
 * initializes (printPod). */
static int restarts_of(const ks_pod *p)
{
    return ks_pod_restarts(p);
}

/* Explains up to SHOW_PODS of the pods for which bad() holds. */
static void why_pods(const ks_run *run, const ks_scn_expect *e, ksi_text *t,
                     bool (*bad)(const ks_scn_expect *, const ks_pod *), const char *lead)
{
    ks_id id = 0;
    int shown = 0, more = 0;
    while ((id = ks_cluster_next(run->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(run->sim, id);
        if (!matches(e, p) || !bad(e, p))
            continue;
        if (shown == SHOW_PODS) {
            more++;
            continue;
        }
        ksi_text_printf(t, "%s", shown ? "; " : lead);
        ksi_why_pod(run->sim, p, t);
        shown++;
    }
    if (more)
        ksi_text_printf(t, "; and %d more", more);
}

static bool not_ready(const ks_scn_expect *e, const ks_pod *p)
{
    (void)e;
    return !p->ready;
}

static bool is_ready(const ks_scn_expect *e, const ks_pod *p)
{
    (void)e;
    return p->ready;
}

static bool not_running(const ks_scn_expect *e, const ks_pod *p)
{
    (void)e;
    return strcmp(p->status, "Running") != 0;
}

static bool wrong_status(const ks_scn_expect *e, const ks_pod *p)
{
    return strcmp(p->status, e->status) != 0;
}

static bool any_pod(const ks_scn_expect *e, const ks_pod *p)
{
    (void)e;
    (void)p;
    return true;
}

static bool check_pods(ks_run *run, ks_expect_result *r, ksi_text *act, ksi_text *why)
{
    const ks_scn_expect *e = r->exp;
    int64_t n = 0, ready = 0, running = 0, wrong = 0;
    ks_id id = 0;
    bool ok;
    while ((id = ks_cluster_next(run->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(run->sim, id);
        if (!matches(e, p))
            continue;
        n++;
        ready += p->ready;
        running += strcmp(p->status, "Running") == 0;
        wrong += e->status && strcmp(p->status, e->status) != 0;
    }
    ksi_text_printf(act, "count %lld, ready %lld, running %lld", (long long)n,
                    (long long)ready, (long long)running);
    if (e->status)
        ksi_text_printf(act, ", %lld not %s", (long long)wrong, e->status);
    ok = (!e->count.set || ks_scn_cmp_eval(&e->count, n))
         && (!e->ready.set || ks_scn_cmp_eval(&e->ready, ready))
         && (!e->running.set || ks_scn_cmp_eval(&e->running, running))
         && (!e->status || (n > 0 && wrong == 0));
    if (ok)
        return true;
    if (n == 0) {
        ksi_why_no_match(run->sim, e->selector.text, why);
        return false;
    }
    if (e->status && wrong)
        why_pods(run, e, why, wrong_status, "");
    else if (e->ready.set && !ks_scn_cmp_eval(&e->ready, ready))
        why_pods(run, e, why, ready < e->ready.value ? not_ready : is_ready, "");
    else if (e->running.set && !ks_scn_cmp_eval(&e->running, running))
        why_pods(run, e, why, not_running, "");
    if (!why->len)           /* the count, or every pod is fine */
        why_pods(run, e, why, any_pod, "the pods: ");
    return false;
}

/* Whether one pod satisfies a `pod` expectation; explains when not. */
static bool pod_ok(const ks_run *run, const ks_scn_expect *e, const ks_pod *p, ksi_text *why)
{
    const ks_node *node = ks_cluster_node(run->sim, p->node);
    int restarts = restarts_of(p);
    if ((e->status && strcmp(p->status, e->status) != 0)
        || (e->pod_ready >= 0 && p->ready != (e->pod_ready == 1))) {
        ksi_why_pod(run->sim, p, why);
        return false;
    }
    if (e->restarts.set && !ks_scn_cmp_eval(&e->restarts, restarts)) {
        ksi_text_printf(why, "%s restarted %d time%s", p->name, restarts,
                        restarts == 1 ? "" : "s");
        ksi_why_restarts(p, why);
        return false;
    }
    if (e->node && (!node || strcmp(node->name, e->node) != 0)) {
        if (node)
            ksi_text_printf(why, "%s runs on %s", p->name, node->name);
        else
            ksi_why_pod(run->sim, p, why);
        return false;
    }
    return true;
}

static void pod_actual(const ks_run *run, const ks_pod *p, ksi_text *act)
{
    const ks_node *node = ks_cluster_node(run->sim, p->node);
    ksi_text_printf(act, "%s: %s, %s, %d restarts, %s%s", p->name, p->status,
                    p->ready ? "ready" : "not ready", restarts_of(p), node ? "on " : "",
                    node ? node->name : "not scheduled");
}

static bool check_pod(ks_run *run, ks_expect_result *r, ksi_text *act, ksi_text *why)
{
    const ks_scn_expect *e = r->exp;
    const ks_pod *first = NULL, *bad = NULL;
    ks_id id = 0;
    int n = 0;
    if (e->name && e->ns) {
        first = ks_cluster_pod(run->sim, ks_cluster_find(run->sim, KS_KIND_POD, e->ns, e->name));
        if (!first) {
            ksi_text_printf(act, "no pod named %s in namespace %s", e->name, e->ns);
            ksi_why_no_match(run->sim, NULL, why);
            return false;
        }
        n = 1;
        if (!pod_ok(run, e, first, why))
            bad = first;
    } else {                  /* a name in every namespace, or a selector */
        while ((id = ks_cluster_next(run->sim, KS_KIND_POD, id)) != 0) {
            const ks_pod *p = ks_cluster_pod(run->sim, id);
            if (e->name ? strcmp(p->name, e->name) != 0 : !matches(e, p))
                continue;
            n++;
            if (!first)
                first = p;
            if (!bad && !pod_ok(run, e, p, why))
                bad = p;
        }
        if (!n) {
            if (e->name)
                ksi_text_printf(act, "no pod named %s", e->name);
            else
                ksi_text_printf(act, "no pod");
            ksi_why_no_match(run->sim, e->name ? NULL : e->selector.text, why);
            return false;
        }
    }
    if (n > 1)
        ksi_text_printf(act, "%d pods; ", n);
    pod_actual(run, bad ? bad : first, act);
    return !bad;
}

/* ---- records ------------------------------------------------------------------------ */
static bool check_records(ks_run *run, ks_expect_result *r, ksi_text *act, ksi_text *why)
{
    const ks_scn_expect *e = r->exp;
    int64_t total = 0;
    uint32_t seen[64];
    size_t nseen = 0, k;
    int pods = 0, readers = 0;
    ks_id id = 0;
    if (e->pvc) {
        ks_id cid = find_named(run, e, KS_KIND_PVC, e->pvc);
        const ks_pvc *c = ks_cluster_pvc(run->sim, cid);
        if (!c) {
            ksi_text_printf(act, "no claim named %s", e->pvc);
            ksi_text_printf(why, "there is no PersistentVolumeClaim named %s", e->pvc);
            return false;
        }
        total = ks_pvc_records(run->sim, cid);
        if (total < 0 && c->pv)
            total = 0;              /* bound, but nothing has written to it yet */
        if (total < 0) {
            ksi_text_printf(act, "no volume");
            ksi_text_printf(why, "claim %s is %s%s%s: it has no volume, so no records",
                            e->pvc, c->phase, c->pending_reason[0] ? ": " : "",
                            c->pending_reason);
            return false;
        }
        ksi_text_printf(act, "count %lld", (long long)total);
        if (ks_scn_cmp_eval(&e->count, total))
            return true;
        ksi_why_records(run, NULL, why);
        return false;
    }
    while ((id = ks_cluster_next(run->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(run->sim, id);
        const ks_datadir *dirs[64];
        size_t ndirs, j;
        if (!matches(e, p))
            continue;
        pods++;
        if (p->terminating || !(ndirs = ks_node_pod_dirs(run->sim, id, dirs, 64)))
            continue;
        readers++;
        /* records belong to a directory: two pods that see one count once */
        for (j = 0; j < ndirs; j++) {
            for (k = 0; k < nseen && seen[k] != dirs[j]->id; k++)
                ;
            if (k < nseen)
                continue;
            if (nseen < sizeof seen / sizeof seen[0])
                seen[nseen++] = dirs[j]->id;
            total += dirs[j]->records;
        }
    }
    ksi_text_printf(act, "count %lld", (long long)total);
    if (readers > 1)
        ksi_text_printf(act, " (from %d pods)", readers);
    if (ks_scn_cmp_eval(&e->count, total))
        return true;
    if (!pods)
        ksi_why_no_match(run->sim, e->selector.text, why);
    else if (!readers)
        why_pods(run, e, why, any_pod, "no matching pod holds data now: ");
    else
        ksi_why_records(run, &e->selector, why);
    return false;
}

/* ---- requests ----------------------------------------------------------------------- */
static bool check_requests(ks_run *run, ks_expect_result *r, ksi_text *act, ksi_text *why)
{
    static const char *const classes[] = {"no response", "1xx", "2xx", "3xx", "4xx", "5xx"};
    const ks_scn_expect *e = r->exp;
    ks_req_stats st;
    bool ok;
    int c, worst = -1;
    ks_traffic_stats(run->sim, e->path, e->to.kind == KS_SCN_TO_NONE ? NULL : &e->to,
                     e->http_lo, e->http_hi, &st);
    ksi_text_printf(act, "count %llu", (unsigned long long)st.count);
    if (st.count)
        ksi_text_printf(act, ", success %.2f%%", 100.0 * (double)st.ok / (double)st.count);
    ok = (!e->count.set || ks_scn_cmp_eval(&e->count, (int64_t)st.count))
         && (!e->success.set || ks_scn_cmp_eval_ratio(&e->success, (int64_t)st.ok,
                                                      (int64_t)st.count));
    if (ok)
        return true;
    if (!st.count) {
        ksi_text_printf(why, "no request %s finished by now (does a traffic: step send "
                             "them before this time?)", r->what);
        return false;
    }
    ksi_text_printf(why, "of %llu requests:", (unsigned long long)st.count);
    for (c = 0; c < 6; c++) {
        if (!st.status[c])
            continue;
        ksi_text_printf(why, " %llu %s,", (unsigned long long)st.status[c], classes[c]);
        if (c != 2 && (worst < 0 || st.status[c] > st.status[worst]))
            worst = c;
    }
    why->len--;               /* the last comma */
    why->buf[why->len] = '\0';
    if (worst == 5)
        ksi_text_printf(why, " (503: no ready pod behind the Service; 502: the pod failed "
                             "or closed the connection; 500: the app failed, see its log)");
    else if (worst == 4)
        ksi_text_printf(why, " (404: no Ingress rule or app route matches the path)");
    else if (worst == 0)
        ksi_text_printf(why, " (nothing answered: connection refused or timed out)");
    if (worst == 0 && !run->sc->ingress_nginx
        && (e->to.kind == KS_SCN_TO_INGRESS || e->to.kind == KS_SCN_TO_NONE))
        ksi_text_printf(why, "; this cluster has no ingress controller "
                             "(spec.cluster.ingressController: none)");
    return false;
}

/* ---- pvc, pv -------------------------------------------------------------------------- */
static void names_of(const ks_run *run, ks_kind kind, ksi_text *t)
{
    ks_id id = 0;
    int n = 0;
    while ((id = ks_cluster_next(run->sim, kind, id)) != 0 && n < 6) {
        const ks_object *o = ks_cluster_object(run->sim, id);
        const ks_pv *v = kind == KS_KIND_PV ? ks_cluster_pv(run->sim, id) : NULL;
        const char *name = o ? o->meta.name : v ? v->name : NULL;
        if (name)
            ksi_text_printf(t, "%s%s", n++ ? ", " : " (there are: ", name);
    }
    ksi_text_printf(t, "%s", n ? ")" : " (there are none)");
}

static bool check_volume(ks_run *run, ks_expect_result *r, ksi_text *act, ksi_text *why)
{
    const ks_scn_expect *e = r->exp;
    bool is_pvc = e->kind == KS_SCN_EXP_PVC;
    ks_id id = find_named(run, e, is_pvc ? KS_KIND_PVC : KS_KIND_PV, e->name);
    const ks_pvc *c = is_pvc ? ks_cluster_pvc(run->sim, id) : NULL;
    const ks_pv *v = is_pvc ? (c ? ks_cluster_pv(run->sim, c->pv) : NULL)
                            : ks_cluster_pv(run->sim, id);
    const char *phase, *sclass;
    char cap[32] = "";
    if (is_pvc ? !c : !v) {
        ksi_text_printf(act, "no %s named %s", is_pvc ? "claim" : "volume", e->name);
        ksi_text_printf(why, "there is no %s named %s",
                        is_pvc ? "PersistentVolumeClaim" : "PersistentVolume", e->name);
        names_of(run, is_pvc ? KS_KIND_PVC : KS_KIND_PV, why);
        return false;
    }
    phase = is_pvc ? c->phase : v->phase;
    sclass = is_pvc ? c->storage_class : v->storage_class;
    if (v)
        bytes_text(v->capacity, cap, sizeof cap);
    ksi_text_printf(act, "status %s, capacity %s, storageClass %s", phase,
                    cap[0] ? cap : "none yet", sclass && sclass[0] ? sclass : "none");
    if (e->status && strcmp(phase, e->status) != 0) {
        if (is_pvc && c->pending_reason[0])
            ksi_text_printf(why, "claim %s is %s: %s", e->name, phase, c->pending_reason);
        else if (is_pvc && v)
            ksi_text_printf(why, "claim %s is %s (volume %s)", e->name, phase, v->name);
        else if (!is_pvc && v->claim_name)
            ksi_text_printf(why, "volume %s is %s (its claim was %s/%s)", e->name, phase,
                            v->claim_ns ? v->claim_ns : "default", v->claim_name);
        else
            ksi_text_printf(why, "%s %s is %s", is_pvc ? "claim" : "volume", e->name, phase);
        return false;
    }
    if (e->capacity && (!v || v->capacity != e->capacity_bytes)) {
        if (v)
            ksi_text_printf(why, "its volume %s has %s", v->name, cap);
        else
            ksi_text_printf(why, "claim %s has no volume yet%s%s", e->name,
                            c->pending_reason[0] ? ": " : "", c->pending_reason);
        return false;
    }
    if (e->storage_class && strcmp(sclass ? sclass : "", e->storage_class) != 0) {
        ksi_text_printf(why, "%s %s has storageClass %s", is_pvc ? "claim" : "volume",
                        e->name, sclass && sclass[0] ? sclass : "\"\" (none)");
        return false;
    }
    return true;
}

/* ---- endpoints --------------------------------------------------------------------------- */
static bool check_endpoints(ks_run *run, ks_expect_result *r, ksi_text *act, ksi_text *why)
{
    const ks_scn_expect *e = r->exp;
    ks_id id = find_named(run, e, KS_KIND_SERVICE, e->service);
    const ks_service *s = ks_cluster_service(run->sim, id);
    ks_selector sel;
    ks_id pid = 0;
    int selected = 0, shown = 0;
    if (!s) {
        ksi_text_printf(act, "no Service named %s", e->service);
        ksi_text_printf(why, "there is no Service named %s", e->service);
        names_of(run, KS_KIND_SERVICE, why);
        return false;
    }
    ksi_text_printf(act, "ready %zu", s->nready);
    if (s->nnot_ready)
        ksi_text_printf(act, " (%zu not ready)", s->nnot_ready);
    if (ks_scn_cmp_eval(&e->ready, (int64_t)s->nready))
        return true;
    if (!s->obj->u.svc.selector.n) {
        ksi_text_printf(why, "Service %s has no selector, so nothing fills its endpoints",
                        e->service);
        return false;
    }
    memset(&sel, 0, sizeof sel);
    sel.match = s->obj->u.svc.selector;
    while ((pid = ks_cluster_next(run->sim, KS_KIND_POD, pid)) != 0)
        selected += ks_selector_matches(&sel, &ks_cluster_pod(run->sim, pid)->labels);
    ksi_text_printf(why, "Service %s selects ", e->service);
    ksi_kvs_format(&sel.match, why);
    if (!selected) {
        ksi_text_printf(why, "; no pod has %s label", sel.match.n == 1 ? "that" : "those");
        ksi_pods_here(run->sim, why);
        return false;
    }
    if ((int64_t)s->nready < e->ready.value && (size_t)selected > s->nready) {
        ksi_text_printf(why, "; %d of the %d pods it selects %s not Ready: ",
                        selected - (int)s->nready, selected,
                        selected - (int)s->nready == 1 ? "is" : "are");
        while ((pid = ks_cluster_next(run->sim, KS_KIND_POD, pid)) != 0 && shown < SHOW_PODS) {
            const ks_pod *p = ks_cluster_pod(run->sim, pid);
            if (!p->ready && ks_selector_matches(&sel, &p->labels)) {
                ksi_text_printf(why, "%s", shown++ ? "; " : "");
                ksi_why_pod(run->sim, p, why);
            }
        }
    } else {
        ksi_text_printf(why, "; %d pod%s %s it, %zu Ready", selected, selected == 1 ? "" : "s",
                        selected == 1 ? "has" : "have", s->nready);
    }
    return false;
}

/* ---- events ------------------------------------------------------------------------------ */
static bool event_matches(ks_run *run, const ks_scn_expect *e, const ks_k8s_event *ev, size_t i)
{
    const ks_kvs *labels;
    if (strcmp(ev->reason, e->reason) != 0)
        return false;
    if (e->ns && !in_ns(e, ks_kubectl_event_namespace(run->sim, i)))
        return false;
    if (!e->selector.text)
        return true;
    if (ev->kind != KS_KIND_POD || !(labels = ksi_run_pod_labels(run, ev->object)))
        return false;
    return ks_selector_matches(&e->selector.sel, labels);
}

static bool check_events(ks_run *run, ks_expect_result *r, ksi_text *act, ksi_text *why)
{
    const ks_scn_expect *e = r->exp;
    size_t i, n = ks_cluster_event_count(run->sim);
    int64_t count = 0, objects = 0;
    const char *seen[8];
    int nseen[8], ns = 0, k;
    for (i = 0; i < n; i++) {
        const ks_k8s_event *ev = ks_cluster_event(run->sim, i);
        if (event_matches(run, e, ev, i)) {
            count += ev->count;
            objects++;
            continue;
        }
        for (k = 0; k < ns && strcmp(seen[k], ev->reason) != 0; k++)
            ;
        if (k < ns)
            nseen[k] += ev->count;
        else if (ns < 8) {
            seen[ns] = ev->reason;
            nseen[ns++] = ev->count;
        }
    }
    ksi_text_printf(act, "count %lld", (long long)count);
    if (ks_scn_cmp_eval(&e->count, count))
        return true;
    if (!count) {
        ksi_text_printf(why, "no %s event%s%s so far", e->reason,
                        e->selector.text ? " for pods with label " : "",
                        e->selector.text ? e->selector.text : "");
        for (k = 0; k < ns; k++)
            ksi_text_printf(why, "%s%s x%d", k ? ", " : "; events seen: ", seen[k], nseen[k]);
        return false;
    }
    ksi_text_printf(why, "%s happened %lld time%s (on %lld object%s)", e->reason,
                    (long long)count, count == 1 ? "" : "s", (long long)objects,
                    objects == 1 ? "" : "s");
    return false;
}

/* ---- log ------------------------------------------------------------------------------------ */
static bool log_has(const ks_log *l, const char *text)
{
    int i;
    for (i = 0; l && i < l->count; i++)
        if (strstr(l->line[(l->first + i) % KS_LOG_LINES], text))
            return true;
    return false;
}

static bool check_log(ks_run *run, ks_expect_result *r, ksi_text *act, ksi_text *why)
{
    const ks_scn_expect *e = r->exp;
    const ks_pod *last = NULL;
    ks_id id = 0;
    int pods = 0, lines = 0;
    size_t c;
    while ((id = ks_cluster_next(run->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(run->sim, id);
        if (!matches(e, p))
            continue;
        pods++;
        last = p;
        for (c = 0; c < p->ncontainers + p->ninit; c++) {      /* init containers' too */
            const ks_container_status *cs = &p->containers[c];
            bool prev = !log_has(cs->log, e->contains) && log_has(cs->prev_log, e->contains);
            if (log_has(cs->log, e->contains) || prev) {
                ksi_text_printf(act, "found in %s (container %s%s)", p->name, cs->spec->name,
                                prev ? ", previous run" : "");
                return true;
            }
            lines += (cs->log ? cs->log->count : 0) + (cs->prev_log ? cs->prev_log->count : 0);
        }
    }
    if (!pods) {
        ksi_text_printf(act, "no pod");
        ksi_why_no_match(run->sim, e->selector.text, why);
        return false;
    }
    ksi_text_printf(act, "not found in %d pod%s (%d log lines)", pods, pods == 1 ? "" : "s",
                    lines);
    ksi_text_printf(why, "the logs do not contain \"%s\"; ", e->contains);
    ksi_why_pod(run->sim, last, why);
    return false;
}

/* ---- dispatch ------------------------------------------------------------------------------ */
bool ksi_run_check(ks_run *run, ks_expect_result *r)
{
    ksi_text act = {r->actual, sizeof r->actual, 0}, why = {r->why, sizeof r->why, 0};
    r->actual[0] = r->why[0] = '\0';
    switch (r->exp->kind) {
    case KS_SCN_EXP_PODS:
        return check_pods(run, r, &act, &why);
    case KS_SCN_EXP_POD:
        return check_pod(run, r, &act, &why);
    case KS_SCN_EXP_RECORDS:
        return check_records(run, r, &act, &why);
    case KS_SCN_EXP_REQUESTS:
        return check_requests(run, r, &act, &why);
    case KS_SCN_EXP_PVC:
    case KS_SCN_EXP_PV:
        return check_volume(run, r, &act, &why);
    case KS_SCN_EXP_ENDPOINTS:
        return check_endpoints(run, r, &act, &why);
    case KS_SCN_EXP_EVENTS:
        return check_events(run, r, &act, &why);
    case KS_SCN_EXP_LOG:
        return check_log(run, r, &act, &why);
    case KS_SCN_EXP_JOBS:
        return ksi_run_check_jobs(run, r, &act, &why);
    }
    return false;
}
