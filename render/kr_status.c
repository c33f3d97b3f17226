/* kr_status.c -- the words the window shows (see kr_status.h), and the
 * palette's tone table. Pure: reads the cluster, never changes it. */
#include "kr_status.h"

#include <stdio.h>
#include <string.h>

#include "autoscale/ks_hpa.h"
#include "autoscale/ks_metrics.h"
#include "node/ks_usage.h"
#include "core/ks_event.h"

/* ---------------------------------------------------------------------------
 * Palette
 * ------------------------------------------------------------------------- */
kr_color kr_tone_color(kr_tone t)
{
    switch (t) {
    case KR_TONE_OK: return KR_OI_GREEN;
    case KR_TONE_WAIT: return KR_OI_ORANGE;
    case KR_TONE_PENDING: return KR_OI_SKY;
    case KR_TONE_BAD: return KR_OI_VERMILLION;
    case KR_TONE_DONE: return KR_OI_BLUE;
    case KR_TONE_GONE: return KR_C_GONE;
    default: return KR_C_FAINT;
    }
}

kr_color kr_tone_text(kr_tone t)
{
    /* NOTE: dark text on orange and sky blue: white on them is below 2.5:1,
     * unreadable on a washed-out projector. */
    return t == KR_TONE_WAIT || t == KR_TONE_PENDING ? KR_C_TEXT : KR_C_BAR_TEXT;
}

const char *kr_tone_glyph(kr_tone t)
{
    switch (t) {
    case KR_TONE_OK: return "\xE2\x9C\x94";        /* ✔ */
    case KR_TONE_WAIT: return "\xE2\x97\x94";      /* ◔ */
    case KR_TONE_PENDING: return "\xE2\x97\x8B";   /* ○ */
    case KR_TONE_BAD: return "\xE2\x9C\x96";       /* ✖ */
    case KR_TONE_DONE: return "\xE2\x9C\x93";      /* ✓ */
    case KR_TONE_GONE: return "\xE2\x86\x93";      /* ↓ */
    default: return "?";
    }
}

kr_color kr_color_mix(kr_color a, kr_color b, float f)
{
    kr_color c;
    if (f < 0)
        f = 0;
    if (f > 1)
        f = 1;
    c.r = (uint8_t)(a.r + (b.r - a.r) * f + 0.5f);
    c.g = (uint8_t)(a.g + (b.g - a.g) * f + 0.5f);
    c.b = (uint8_t)(a.b + (b.b - a.b) * f + 0.5f);
    c.a = (uint8_t)(a.a + (b.a - a.a) * f + 0.5f);
    return c;
}

/* ---------------------------------------------------------------------------
 * Pods
 * ------------------------------------------------------------------------- */
static bool is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

kr_tone kr_pod_tone(const ks_pod *p)
{
    const char *s = p->status ? p->status : "";
    if (p->terminating || is(s, "Terminating"))
        return KR_TONE_GONE;
    if (!p->node && !is(s, "Completed") && !is(s, "Succeeded") && !is(s, "Failed")
        && !is(s, "Evicted"))
        return KR_TONE_PENDING;            /* not scheduled yet */
    if (is(s, "Running"))
        return p->ready ? KR_TONE_OK : KR_TONE_WAIT;
    if (is(s, "Completed") || is(s, "Succeeded"))
        return KR_TONE_DONE;
    if (is(s, "Pending"))
        return p->node ? KR_TONE_WAIT : KR_TONE_PENDING;
    if (is(s, "ContainerCreating") || is(s, "PodInitializing") || is(s, "NotReady")
        || strncmp(s, "Init:", 5) == 0)
        return strstr(s, "Error") || strstr(s, "BackOff") ? KR_TONE_BAD : KR_TONE_WAIT;
    return KR_TONE_BAD;     /* CrashLoopBackOff, Error, OOMKilled, *BackOff, Evicted... */
}

bool kr_pod_waits(const ks_sim *sim, const ks_pod *p)
{
    /* scheduling takes milliseconds: a pod that has not waited yet is not
     * worth a box of its own; one the scheduler could not place is */
    return !p->node && (p->pending_reason[0] || ks_now(sim) - p->created >= KR_WAIT_SHOWN);
}

bool kr_ns_drawn(const char *ns)
{
    return !ns || strcmp(ns, "kube-system") != 0;
}

bool kr_service_drawn(const ks_object *o)
{
    return o && !ks_service_is_apiserver(o) && kr_ns_drawn(o->meta.ns);
}

int kr_pod_restarts(const ks_pod *p)
{
    return ks_pod_restarts(p);          /* as kubectl's RESTARTS counts them */
}

long kr_pod_backoff_left(const ks_sim *sim, const ks_pod *p)
{
    ks_time now = ks_now(sim), best = -1;
    size_t i;
    for (i = 0; i < p->ncontainers; i++) {
        const ks_container_status *cs = &p->containers[i];
        if (cs->state == KS_CS_RUNNING || !is(cs->reason, "CrashLoopBackOff"))
            continue;
        if (cs->backoff_until > now && (best < 0 || cs->backoff_until - now < best))
            best = cs->backoff_until - now;
    }
    return best < 0 ? -1 : (long)((best + KS_SEC - 1) / KS_SEC);
}

size_t kr_pending_short(const char *reason, char *buf, size_t n)
{
    static const struct {
        const char *has, *say;
    } gist[] = {
        {"unbound", "claim not bound yet"},
        {"PersistentVolumeClaim", "waiting for its claim"},
        {"persistentvolumeclaim", "waiting for its claim"},
        {"not-ready", "no Ready node"},
        {"unreachable", "no Ready node"},
        {"unschedulable", "node cordoned"},
        {"Insufficient cpu", "Insufficient cpu"},
        {"Insufficient memory", "Insufficient memory"},
        {"Too many pods", "Too many pods"},
        {"affinity/selector", "no node matches nodeSelector"},
        {"node name", "nodeName matches no node"},
    };
    const char *s = reason ? reason : "";
    const char *colon;
    size_t i, len;
    for (i = 0; i < sizeof gist / sizeof gist[0]; i++)
        if (strstr(s, gist[i].has))
            return (size_t)snprintf(buf, n, "%s", gist[i].say);
    /* "0/3 nodes are available: <why>. preemption: ..." -> <why> */
    colon = strstr(s, "available: ");
    if (colon)
        s = colon + 11;
    while (*s >= '0' && *s <= '9')
        s++;
    while (*s == ' ')
        s++;
    len = strcspn(s, ".");
    if (!*s)
        return (size_t)snprintf(buf, n, "waiting to be scheduled");
    return (size_t)snprintf(buf, n, "%.*s", (int)(len > 60 ? 60 : len), s);
}

/* The container that explains the pod's state best: the first one not
 * running, else the first one. */
static const ks_container_status *worst_container(const ks_pod *p)
{
    size_t i;
    for (i = 0; i < p->ncontainers; i++)
        if (p->containers[i].state != KS_CS_RUNNING || !p->containers[i].ready)
            return &p->containers[i];
    return p->ncontainers ? &p->containers[0] : NULL;
}

static bool uses_claim(const ks_pod *p)
{
    size_t i;
    for (i = 0; p->spec && i < p->spec->nvolumes; i++)
        if (p->spec->volumes[i].type == KS_VOL_PVC)
            return true;
    return false;
}

size_t kr_pod_detail(const ks_sim *sim, const ks_pod *p, char *buf, size_t n)
{
    const ks_container_status *cs = worst_container(p);
    const char *s = p->status ? p->status : "";
    char tmp[64];
    long left;
    if (p->terminating) {
        kr_clock_format(p->deleted_at, tmp, sizeof tmp);
        return (size_t)snprintf(buf, n, "deleted at %s", tmp);
    }
    if (!p->node)
        return kr_pending_short(p->pending_reason, buf, n);
    left = kr_pod_backoff_left(sim, p);
    if (left >= 0)
        return (size_t)snprintf(buf, n, "next start in %ld s", left);
    if (is(s, "Running") || is(s, "NotReady")) {
        char use[96];
        ks_pod_ready_text(p, tmp, sizeof tmp);
        /* all ready, with metrics: what it uses instead (the pill says the rest) */
        if (p->ready && kr_pod_usage_text(sim, p, use, sizeof use))
            return (size_t)snprintf(buf, n, "%s", use);
        return (size_t)snprintf(buf, n, "Ready %s", tmp);
    }
    if (is(s, "ContainerCreating") || is(s, "Pending")) {
        if (cs && cs->image && cs->started_at == 0 && cs->restarts == 0 && !uses_claim(p))
            return (size_t)snprintf(buf, n, "pulling %s", cs->spec ? cs->spec->image : "image");
        return (size_t)snprintf(buf, n, uses_claim(p) ? "mounting claim\xE2\x80\xA6"
                                                      : "creating\xE2\x80\xA6");
    }
    if (cs && cs->state == KS_CS_TERMINATED)   /* evicted: the pod's reason, which the pill hides */
        return (size_t)snprintf(buf, n, p->evicted ? "Evicted, exit code %d" : "exit code %d",
                                cs->exit_code);
    if (cs && cs->message[0]) {
        /* 'Back-off pulling image "x"' -> 'cannot pull x' reads better */
        if (strncmp(cs->message, "Back-off pulling image", 22) == 0
            || strncmp(cs->message, "failed to pull", 14) == 0)
            return (size_t)snprintf(buf, n, "cannot pull %s", cs->spec ? cs->spec->image : "");
        return (size_t)snprintf(buf, n, "%s", cs->message);
    }
    if (cs && cs->has_last)
        return (size_t)snprintf(buf, n, "last exit code %d", cs->last_exit_code);
    return (size_t)snprintf(buf, n, "%s", s);
}

/* ---------------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------------- */
size_t kr_clock_format(ks_time t, char *buf, size_t n)
{
    long long tenths, s, m, h;
    if (t < 0)
        t = 0;
    tenths = (long long)(t / (KS_SEC / 10));
    s = tenths / 10;
    m = s / 60;
    h = m / 60;
    if (h > 0)
        return (size_t)snprintf(buf, n, "%lld:%02lld:%02lld.%lld", h, m % 60, s % 60, tenths % 10);
    return (size_t)snprintf(buf, n, "%02lld:%02lld.%lld", m, s % 60, tenths % 10);
}

size_t kr_bytes_format(int64_t b, char *buf, size_t n)
{
    static const char *const unit[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
    int u = 0;
    while (u < 5 && b >= 1024 && b % 1024 == 0) {
        b /= 1024;
        u++;
    }
    return (size_t)snprintf(buf, n, "%lld%s", (long long)b, unit[u]);
}

/* A quantity as a person reads it: "7.8Gi", "512Mi", "2", "250m". */
static void cpu_text(int64_t milli, char *buf, size_t n)
{
    if (milli % 1000 == 0)
        snprintf(buf, n, "%lld", (long long)(milli / 1000));
    else
        snprintf(buf, n, "%lldm", (long long)milli);
}

static void mem_text(int64_t b, char *buf, size_t n)
{
    static const char *const unit[] = {"", "Ki", "Mi", "Gi", "Ti"};
    double v = (double)b;
    int u = 0;
    if (b == 0) {
        snprintf(buf, n, "0");
        return;
    }
    while (u < 4 && v >= 1024) {
        v /= 1024;
        u++;
    }
    snprintf(buf, n, v == (double)(long long)v ? "%.0f%s" : "%.1f%s", v, unit[u]);
}

size_t kr_node_requests_text(const ks_node *nd, int form, char *buf, size_t n)
{
    char c[32], ca[32], m[32], ma[32];
    /* kubectl describe node, "Allocated resources": the requests of its pods
     * against its allocatable, as a whole percentage (k8s.io/kubectl
     * pkg/describe/describe.go, describeNodeResource: req * 100 / allocatable) */
    int cp = nd->cpu ? (int)(nd->cpu_used * 100 / nd->cpu) : 0;
    int mp = nd->memory ? (int)(nd->memory_used * 100 / nd->memory) : 0;
    cpu_text(nd->cpu_used, c, sizeof c);
    cpu_text(nd->cpu, ca, sizeof ca);
    mem_text(nd->memory_used, m, sizeof m);
    mem_text(nd->memory, ma, sizeof ma);
    switch (form) {
    case 0:
        return (size_t)snprintf(buf, n, "requests: cpu %s of %s (%d%%) \xC2\xB7 memory %s of %s (%d%%)",
                                c, ca, cp, m, ma, mp);
    case 1:
        return (size_t)snprintf(buf, n, "requests: cpu %d%% \xC2\xB7 memory %d%%", cp, mp);
    default:
        return (size_t)snprintf(buf, n, "req. cpu %d%% mem %d%%", cp, mp);
    }
}

size_t kr_node_usage_text(const ks_sim *sim, const ks_node *nd, int form, char *buf, size_t n)
{
    ks_metrics_sample m;
    char c[32], ca[32], mm[32], ma[32];
    int64_t milli;
    int cp, mp;
    /* what `kubectl top node` prints: usage over the metrics window, as a
     * share of allocatable (metricsutil/metrics_printer.go) */
    if (!ks_metrics_node(sim, nd->id, &m))
        return 0;
    milli = ks_metrics_milli(m.cpu_nano);
    cp = nd->cpu ? (int)(milli * 100 / nd->cpu) : 0;
    mp = nd->memory ? (int)(m.memory * 100 / nd->memory) : 0;
    cpu_text(milli, c, sizeof c);
    cpu_text(nd->cpu, ca, sizeof ca);
    mem_text(m.memory, mm, sizeof mm);
    mem_text(nd->memory, ma, sizeof ma);
    switch (form) {
    case 0:
        return (size_t)snprintf(buf, n, "cpu %s of %s (%d%%) \xC2\xB7 memory %s of %s (%d%%)", c,
                                ca, cp, mm, ma, mp);
    case 1:
        return (size_t)snprintf(buf, n, "cpu %d%% \xC2\xB7 memory %d%%", cp, mp);
    case 3:                      /* beside the bars, as kubectl prints them */
    case 4:
        return (size_t)snprintf(buf, n, "%s %lldm %d%% %lldMi %d%%",
                                form == 3 ? "kubectl top node" : "top", (long long)milli, cp,
                                (long long)(m.memory >> 20), mp);
    default:
        return (size_t)snprintf(buf, n, "cpu %d%% mem %d%%", cp, mp);
    }
}

bool kr_node_bars_of(const ks_sim *sim, const ks_node *n, kr_node_bars *b)
{
    ks_usage u;
    memset(b, 0, sizeof *b);
    if (!ks_usage_node(sim, n->id, &u) || n->cpu <= 0 || n->memory <= 0)
        return false;
    b->cpu = (double)u.cpu_recent / (double)n->cpu;
    b->mem = (double)u.memory / (double)n->memory;
    b->cpu_req = (double)n->cpu_used / (double)n->cpu;
    b->mem_req = (double)n->memory_used / (double)n->memory;
    b->cpu_pct = (int)(u.cpu_recent * 100 / n->cpu);
    b->mem_pct = (int)(u.memory * 100 / n->memory);
    return true;
}

size_t kr_pod_usage_text(const ks_sim *sim, const ks_pod *p, char *buf, size_t n)
{
    ks_metrics_sample m;
    int64_t req = 0, mreq = 0, mlim = 0;
    bool all_lim = p->spec->ncontainers > 0;
    char c[32], r[32], mm[32], ml[32];
    size_t i;
    if (!ks_metrics_pod(sim, p->id, &m))
        return 0;
    for (i = 0; i < p->spec->ncontainers + p->spec->ninit; i++) {    /* sidecars too */
        const ks_container *k = i < p->spec->ncontainers ? &p->spec->containers[i]
                                                         : &p->spec->init[i - p->spec->ncontainers];
        if (i >= p->spec->ncontainers && !k->sidecar)
            continue;
        req += k->cpu_request;
        mreq += k->mem_request;
        mlim += k->mem_limit;
        all_lim = all_lim && k->mem_limit > 0;
    }
    cpu_text(ks_metrics_milli(m.cpu_nano), c, sizeof c);
    mem_text(m.memory, mm, sizeof mm);
    /* cpu against its request (what the HPA and the scheduler count),
     * memory against its limit (what OOMKills), else its request */
    if (req > 0)
        cpu_text(req, r, sizeof r);
    if (all_lim || mreq > 0)
        mem_text(all_lim ? mlim : mreq, ml, sizeof ml);
    return (size_t)snprintf(buf, n, "cpu %s%s%s \xC2\xB7 %s%s%s", c, req > 0 ? "/" : "",
                            req > 0 ? r : "", mm, all_lim || mreq > 0 ? "/" : "",
                            all_lim || mreq > 0 ? ml : "");
}

bool kr_hpa_view_of(const ks_sim *sim, ks_id id, kr_hpa_view *v)
{
    const ks_hpa *h = ks_cluster_hpa(sim, id);
    const ks_hpa_metric *m;
    const ks_hpa_metric_status *st;
    char cur[32], want[32];
    bool cpu;
    memset(v, 0, sizeof *v);
    if (!h || !h->spec)
        return false;
    snprintf(v->head, sizeof v->head, "HPA %s", h->obj->meta.name);
    snprintf(v->target, sizeof v->target, "\xE2\x86\x92 %s/%s", h->spec->target_kind,
             h->spec->target_name);
    v->current = h->current;
    v->desired = h->desired;
    v->min = h->spec->min_replicas;
    v->max = h->spec->max_replicas;
    if (h->desired != h->current && h->desired > 0)
        snprintf(v->pods, sizeof v->pods, "%d \xE2\x86\x92 %d pods \xC2\xB7 min %d \xC2\xB7 max %d",
                 (int)h->current, (int)h->desired, (int)v->min, (int)v->max);
    else
        snprintf(v->pods, sizeof v->pods, "%d pod%s \xC2\xB7 min %d \xC2\xB7 max %d",
                 (int)h->current, h->current == 1 ? "" : "s", (int)v->min, (int)v->max);
    if (h->spec->nmetrics == 0)
        return true;
    /* the first metric on the bar, as `kubectl get hpa` puts it first */
    m = &h->spec->metrics[0];
    st = &h->metrics[0];
    if (!ks_hpa_is_resource(m)) {
        /* Pods, Object, External: no adapter serves them (ks_hpa.c) */
        int64_t val = m->average_value;
        if (val % 1000)
            snprintf(want, sizeof want, "%lldm", (long long)val);
        else
            snprintf(want, sizeof want, "%lld", (long long)(val / 1000));
        snprintf(v->metric, sizeof v->metric, "%s <unknown> / %s", m->resource, want);
        return true;
    }
    cpu = strcmp(m->resource, "cpu") == 0;
    v->known = st->known;
    if (m->utilization) {
        snprintf(want, sizeof want, "%d%%", (int)m->average_utilization);
        snprintf(cur, sizeof cur, "%d%%", (int)st->utilization);
        v->ratio = m->average_utilization > 0 ? st->utilization / (double)m->average_utilization
                                              : 0;
    } else {
        if (cpu) {
            cpu_text(m->average_value, want, sizeof want);
            cpu_text(st->average, cur, sizeof cur);
        } else {
            mem_text(m->average_value, want, sizeof want);
            mem_text(st->average, cur, sizeof cur);
        }
        v->ratio = m->average_value > 0 ? st->average / (double)m->average_value : 0;
    }
    snprintf(v->metric, sizeof v->metric, "%s %s / %s", m->resource,
             st->known ? cur : "<unknown>", want);
    if (!st->known)
        v->ratio = 0;
    return true;
}

size_t kr_speed_format(double speed, char *buf, size_t n)
{
    if (speed >= 1 && speed == (double)(long)speed)
        return (size_t)snprintf(buf, n, "\xC3\x97%ld", (long)speed);
    return (size_t)snprintf(buf, n, "\xC3\x97%g", speed);
}

/* ---------------------------------------------------------------------------
 * Services and Ingresses
 * ------------------------------------------------------------------------- */
void kr_service_labels(const ks_service *s, char *name, size_t nn, char *rest, size_t nr)
{
    const ks_service_spec *sp = &s->obj->u.svc;
    char port[64] = "";
    size_t len = 0;
    if (sp->type == KS_SVC_NODEPORT || sp->type == KS_SVC_LOADBALANCER)
        len = (size_t)snprintf(port, sizeof port, "%s ",
                               sp->type == KS_SVC_NODEPORT ? "NodePort" : "LoadBalancer");
    if (sp->nports >= 1 && len < sizeof port) {
        if (s->node_port[0])
            snprintf(port + len, sizeof port - len, ":%d\xE2\x86\x92%d", sp->ports[0].port,
                     s->node_port[0]);
        else
            snprintf(port + len, sizeof port - len, ":%d", sp->ports[0].port);
    }
    if (sp->nports > 1) {
        len = strlen(port);
        snprintf(port + len, sizeof port - len, " +%zu", sp->nports - 1);
    }
    snprintf(name, nn, "%s", s->obj->meta.name);
    if (sp->selector.n == 0)
        snprintf(rest, nr, "%s \xC2\xB7 %zu ready", port, s->nready);
    else
        snprintf(rest, nr, "%s \xC2\xB7 %zu/%zu ready", port, s->nready, s->nready + s->nnot_ready);
}

size_t kr_ingress_rule_count(const ks_object *ing)
{
    const ks_ingress_spec *sp = &ing->u.ing;
    size_t i, k = 0;
    for (i = 0; i < sp->nrules; i++)
        k += sp->rules[i].npaths;
    return k + (sp->has_default_backend ? 1 : 0);
}

static void backend_text(const ks_ingress_backend *b, char *buf, size_t n)
{
    if (b->port)
        snprintf(buf, n, "%s:%d", b->service ? b->service : "?", b->port);
    else
        snprintf(buf, n, "%s:%s", b->service ? b->service : "?", b->port_name ? b->port_name : "?");
}

bool kr_ingress_rule_text(const ks_object *ing, size_t i, char *buf, size_t n)
{
    const ks_ingress_spec *sp = &ing->u.ing;
    const char *rw = ks_kvs_get(&ing->meta.annotations, "nginx.ingress.kubernetes.io/rewrite-target");
    char be[160];
    size_t r;
    for (r = 0; r < sp->nrules; r++) {
        const ks_ingress_rule *rule = &sp->rules[r];
        if (i < rule->npaths) {
            backend_text(&rule->paths[i].backend, be, sizeof be);
            /* the rewrite is what a lesson on it is about: "as /$1" */
            snprintf(buf, n, "%s%s \xE2\x86\x92 %s%s%s", rule->host ? rule->host : "",
                     rule->paths[i].path ? rule->paths[i].path : "/", be, rw ? " as " : "",
                     rw ? rw : "");
            return true;
        }
        i -= rule->npaths;
    }
    if (i == 0 && sp->has_default_backend) {
        backend_text(&sp->default_backend, be, sizeof be);
        snprintf(buf, n, "default \xE2\x86\x92 %s", be);
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------------------
 * UTF-8 shortening
 * ------------------------------------------------------------------------- */
size_t kr_utf8_len(const char *s)
{
    size_t k = 0;
    for (; *s; s++)
        k += ((unsigned char)*s & 0xC0) != 0x80;
    return k;
}

/* Byte offset of code point i. */
static size_t cp_offset(const char *s, size_t i)
{
    size_t b = 0, k = 0;
    while (s[b]) {
        if (((unsigned char)s[b] & 0xC0) != 0x80) {
            if (k == i)
                return b;
            k++;
        }
        b++;
    }
    return b;
}

size_t kr_ellipsize_middle(const char *s, size_t max_chars, char *buf, size_t n)
{
    size_t len = kr_utf8_len(s), keep_tail, keep_head;
    if (len <= max_chars || max_chars < 3)
        return (size_t)snprintf(buf, n, "%s", len <= max_chars ? s : "\xE2\x80\xA6");
    /* keep more of the tail: a generated name's suffix tells pods apart */
    keep_tail = (max_chars - 1) / 2 + ((max_chars - 1) % 2);
    keep_head = max_chars - 1 - keep_tail;
    if (keep_tail > 6 && keep_head < keep_tail) {
        keep_head++;
        keep_tail--;
    }
    return (size_t)snprintf(buf, n, "%.*s\xE2\x80\xA6%s", (int)cp_offset(s, keep_head), s,
                            s + cp_offset(s, len - keep_tail));
}

/* k8s.io/apimachinery/pkg/util/rand SafeEncodeString's alphabet: the
 * characters of generated name suffixes and pod-template-hashes (no
 * vowels, so no words). */
static bool safe_run(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!s[i] || !strchr("bcdfghjklmnpqrstvwxz2456789", s[i]))
            return false;
    return n > 0;
}

/* A generated name: <owner>-<pod-template-hash>-<5 chars> (a Deployment's
 * pod), <owner>-<5 chars>, or <owner>-<hash> (a ReplicaSet). Sets the
 * owner's length and the suffix (what tells it from its siblings); false
 * for other names. */
static bool generated(const char *name, size_t *owner, const char **suffix)
{
    const char *last = strrchr(name, '-'), *prev;
    size_t tail = last ? strlen(last + 1) : 0;
    if (!last || last == name || tail < 5 || tail > 10 || !safe_run(last + 1, tail))
        return false;
    if (tail > 5) {                  /* a ReplicaSet's pod-template-hash */
        *suffix = last + 1;
        *owner = (size_t)(last - name);
        return true;
    }
    *suffix = last + 1;
    for (prev = last - 1; prev > name && *prev != '-'; prev--)
        ;
    if (prev > name && *prev == '-' && last - prev - 1 >= 6
        && safe_run(prev + 1, (size_t)(last - prev - 1)))
        *owner = (size_t)(prev - name);
    else
        *owner = (size_t)(last - name);
    return true;
}

/* The length of the first k words of s[0..len) ("a-b-c", 2 -> 3). */
static size_t words(const char *s, size_t len, int k)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (s[i] == '-' && --k == 0)
            return i;
    return len;
}

size_t kr_name_short(const char *name, size_t max_chars, int min_words, char *buf, size_t n)
{
    const char *suffix;
    size_t owner, len = kr_utf8_len(name), w;
    int k;
    if (min_words < 1)
        min_words = 1;
    if (len <= max_chars)
        return (size_t)snprintf(buf, n, "%s", name);
    if (generated(name, &owner, &suffix)) {
        /* the owner (workload) and the suffix: drop the hash, then the
         * owner's last words, whole; cut a word only as a last resort */
        size_t sl = strlen(suffix);
        for (k = 64; k >= min_words; k--) {
            w = words(name, owner, k);
            if (k > min_words && w == words(name, owner, k - 1))
                continue;
            if (w + sl + 3 <= max_chars)
                return (size_t)snprintf(buf, n, "%.*s-\xE2\x80\xA6-%s", (int)w, name, suffix);
        }
        if (max_chars < sl + 3)
            return kr_ellipsize_middle(name, max_chars, buf, n);
        return (size_t)snprintf(buf, n, "%.*s\xE2\x80\xA6-%s",
                                (int)cp_offset(name, max_chars - sl - 2), name, suffix);
    }
    /* other names: leading whole words and "…" */
    for (k = 64; k >= 1; k--) {
        w = words(name, strlen(name), k);
        if (w < strlen(name) && (k == 1 || w != words(name, strlen(name), k - 1))
            && kr_utf8_len(name) - kr_utf8_len(name + w) + 2 <= max_chars)
            return (size_t)snprintf(buf, n, "%.*s-\xE2\x80\xA6", (int)w, name);
    }
    return kr_ellipsize_middle(name, max_chars, buf, n);
}

size_t kr_name_min(const char *name, int min_words, char *buf, size_t n)
{
    const char *suffix;
    size_t owner, w;
    if (generated(name, &owner, &suffix)) {
        w = words(name, owner, min_words < 1 ? 1 : min_words);
        if (w == (size_t)(suffix - 1 - name))
            return (size_t)snprintf(buf, n, "%s", name);      /* nothing to drop */
        return (size_t)snprintf(buf, n, "%.*s-\xE2\x80\xA6-%s", (int)w, name, suffix);
    }
    w = words(name, strlen(name), 1);
    if (w >= strlen(name))
        return (size_t)snprintf(buf, n, "%s", name);
    return (size_t)snprintf(buf, n, "%.*s-\xE2\x80\xA6", (int)w, name);
}

size_t kr_ellipsize_end(const char *s, size_t max_chars, char *buf, size_t n)
{
    size_t len = kr_utf8_len(s);
    if (len <= max_chars)
        return (size_t)snprintf(buf, n, "%s", s);
    if (max_chars < 1)
        return (size_t)snprintf(buf, n, "%s", "");
    return (size_t)snprintf(buf, n, "%.*s\xE2\x80\xA6", (int)cp_offset(s, max_chars - 1), s);
}

/* ---------------------------------------------------------------------------
 * Telling workloads apart
 * ------------------------------------------------------------------------- */
void kr_namer_clear(kr_namer *nm)
{
    nm->n = 0;
}

void kr_namer_add(kr_namer *nm, const char *name)
{
    const char *suffix;
    size_t owner;
    int i;
    if (!generated(name, &owner, &suffix))
        return;
    for (i = 0; i < nm->n; i++)
        if (strlen(nm->owner[i]) == owner && strncmp(nm->owner[i], name, owner) == 0)
            return;
    if (nm->n < KR_NAMER_MAX && owner < sizeof nm->owner[0])
        snprintf(nm->owner[nm->n++], sizeof nm->owner[0], "%.*s", (int)owner, name);
}

int kr_namer_words(const kr_namer *nm, const char *name)
{
    const char *suffix;
    size_t owner, j;
    int i, need = 1, total = 1;
    if (!nm || !generated(name, &owner, &suffix))
        return 1;
    for (j = 0; j < owner; j++)
        total += name[j] == '-';
    for (i = 0; i < nm->n; i++) {
        const char *o = nm->owner[i];
        int k = 1;                           /* the word in which they part */
        if (strlen(o) == owner && strncmp(o, name, owner) == 0)
            continue;                        /* its own */
        for (j = 0; j < owner && o[j] == name[j]; j++)
            if (name[j] == '-')
                k++;
        if (j < owner && !o[j] && name[j] == '-')
            k++;                             /* the other ends where its next word starts */
        if (k > need)
            need = k;
    }
    return need < total ? need : total;
}
