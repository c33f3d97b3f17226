/* ks_pods.c -- Pod objects as the API server keeps them: creation from a
 * template, status updates, graceful and final deletion, container logs,
 * and kubectl's derived columns (STATUS, READY, RESTARTS, AGE).
 *
 * Deleting a pod marks it (deletionTimestamp and grace period); a pod that
 * is on no node goes at once, as the API server does when no kubelet owns
 * it; otherwise the kubelet of its node hears the change, stops the
 * containers and then removes the pod (KUBERNETES.md section 4).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

static void update_status(ks_sim *sim, ksi_pod *p);

static void free_pod(ks_sim *sim, ksi_pod *p)
{
    size_t all = p->pub.ncontainers + p->pub.ninit, c, n = all ? all : 1;
    for (c = 0; p->pub.containers && c < all; c++) {
        ks_mem_free(&sim->alloc, p->pub.containers[c].log, sizeof *p->pub.containers[c].log);
        ks_mem_free(&sim->alloc, p->pub.containers[c].prev_log,
                    sizeof *p->pub.containers[c].prev_log);
        ksi_msg_free(sim, p->pub.containers[c].message);
    }
    ksi_msg_free(sim, p->pub.pending_reason);
    ks_mem_free(&sim->alloc, p->pub.containers, n * sizeof *p->pub.containers);
    ks_mem_free(&sim->alloc, p->cst, n * sizeof *p->cst);
    if (p->ref)
        ks_mem_free(&sim->alloc, p->ref, (size_t)p->ref_len + 1);
    ks_mem_free(&sim->alloc, p, sizeof *p);
}

/* p->ref holds "policy:pod/NAME": the pod's ref is its tail. */
static const char *pod_refs(ks_sim *sim, ksi_pod *p)
{
    size_t n;
    if (p->ref)
        return p->ref;
    n = strlen(p->pub.name);
    p->ref = ks_mem_alloc(&sim->alloc, n + 12);
    if (!p->ref) {
        ks_sim_fail(sim, KS_ENOMEM);
        return NULL;
    }
    memcpy(p->ref, "policy:pod/", 11);
    memcpy(p->ref + 11, p->pub.name, n + 1);
    p->ref_len = (uint32_t)(n + 11);
    return p->ref;
}

const char *ksi_pod_ref(ks_sim *sim, ksi_pod *p)
{
    const char *r = pod_refs(sim, p);
    return r ? r + 7 : "pod/?";
}

size_t ksi_pod_ref_len(ks_sim *sim, ksi_pod *p)
{
    return pod_refs(sim, p) ? (size_t)p->ref_len - 7 : 5;
}

size_t ksi_pod_policy_ref_len(ks_sim *sim, ksi_pod *p)
{
    return pod_refs(sim, p) ? (size_t)p->ref_len : 12;
}

const char *ksi_pod_policy_ref(ks_sim *sim, ksi_pod *p)
{
    const char *r = pod_refs(sim, p);
    return r ? r : "policy:pod/?";
}

void ksi_msg_free(ks_sim *sim, const char *msg)
{
    if (msg && msg[0])
        ks_mem_free(&sim->alloc, (char *)msg, strlen(msg) + 1);
}

void ksi_msg_set(ks_sim *sim, const char **slot, size_t max, const char *fmt, ...)
{
    char buf[KS_POD_REASON_MAX > KS_CONTAINER_MESSAGE_MAX ? KS_POD_REASON_MAX
                                                           : KS_CONTAINER_MESSAGE_MAX];
    const char *old = *slot;
    char *m;
    size_t n;
    va_list ap;
    if (max > sizeof buf)
        max = sizeof buf;
    va_start(ap, fmt);
    vsnprintf(buf, max, fmt, ap);
    va_end(ap);
    if (old && strcmp(old, buf) == 0)
        return;
    n = strlen(buf);
    m = n ? ks_mem_alloc(&sim->alloc, n + 1) : NULL;
    if (n && !m)
        ks_sim_fail(sim, KS_ENOMEM);
    if (m)
        memcpy(m, buf, n + 1);
    *slot = m ? m : "";
    ksi_msg_free(sim, old);
}

/* What the scheduler counts the pod as (component-helpers resource.PodRequests,
 * aggregateContainerResourcesByFn; KEP-753 "Resources calculation for
 * scheduling"): the app containers and the sidecars (restartPolicy: Always
 * init containers) add up, as they run together; an init container runs
 * beside the sidecars before it; the pod requests the larger. pub.cpu and
 * pub.memory hold the app containers' sum on entry. */
static void pod_requests(ksi_pod *p, size_t n, size_t all)
{
    int64_t side_cpu = 0, side_mem = 0, init_cpu = 0, init_mem = 0;
    size_t i;
    for (i = n; i < all; i++) {
        const ks_container *c = p->pub.containers[i].spec;
        int64_t cpu = c->cpu_request + side_cpu, mem = c->mem_request + side_mem;
        if (c->sidecar) {
            p->pub.cpu += c->cpu_request;
            p->pub.memory += c->mem_request;
            side_cpu = cpu;
            side_mem = mem;
        }
        init_cpu = cpu > init_cpu ? cpu : init_cpu;
        init_mem = mem > init_mem ? mem : init_mem;
    }
    if (init_cpu > p->pub.cpu)
        p->pub.cpu = init_cpu;
    if (init_mem > p->pub.memory)
        p->pub.memory = init_mem;
}

/* ---- pods ------------------------------------------------------------------------ */
ksi_pod *ksi_pod_create(ks_sim *sim, const char *name, const char *ns,
                        const ks_pod_template *tmpl, const ks_pod_spec *spec,
                        const ks_kvs *labels, ks_id owner)
{
    ksi_pod *p = ks_mem_calloc(&sim->alloc, 1, sizeof *p);
    size_t i, n = spec->ncontainers, all = n + spec->ninit;
    if (!p) {
        ks_sim_fail(sim, KS_ENOMEM);
        return NULL;
    }
    p->pub.ninit = spec->ninit;           /* free_pod needs both counts */
    p->pub.containers = ks_mem_calloc(&sim->alloc, all ? all : 1, sizeof *p->pub.containers);
    p->cst = ks_mem_calloc(&sim->alloc, all ? all : 1, sizeof *p->cst);
    if (!p->pub.containers || !p->cst) {
        free_pod(sim, p);
        ks_sim_fail(sim, KS_ENOMEM);
        return NULL;
    }
    p->pub.name = name;
    p->pub.ns = ns;
    p->pub.labels = *labels;
    if (tmpl)
        p->pub.annotations = tmpl->annotations;
    p->pub.owner = owner;
    p->pub.spec = spec;
    p->pub.phase = "Pending";
    p->pub.pending_reason = "";
    p->pub.created = ks_now(sim);
    p->pub.ncontainers = n;
    p->pub.init = p->pub.containers + n;
    for (i = 0; i < all; i++) {
        ks_container_status *cs = &p->pub.containers[i];
        cs->spec = i < n ? &spec->containers[i] : &spec->init[i - n];
        cs->image = ks_catalog_find(sim->cluster->catalog, cs->spec->image);
        cs->state = KS_CS_WAITING;
        cs->message = "";
        /* the kubelet's default waiting reason (kubelet_pods.go
         * convertToAPIContainerStatuses): PodInitializing in a pod with
         * init containers, until each one is created */
        cs->reason = spec->ninit ? "PodInitializing" : "ContainerCreating";
        if (i < n) {
            p->pub.cpu += cs->spec->cpu_request;
            p->pub.memory += cs->spec->mem_request;
        }
    }
    pod_requests(p, n, all);
    p->pub.id = ksi_store_add(sim, KS_KIND_POD, p, NULL);
    if (!p->pub.id) {
        free_pod(sim, p);
        return NULL;
    }
    update_status(sim, p);
    ksi_store_added(sim, p->pub.id);
    return p;
}

/* ---- changes ---------------------------------------------------------------------- */
void ksi_pod_update(ks_sim *sim, ksi_pod *p, const ks_pod *old)
{
    update_status(sim, p);
    ksi_store_update(sim, p->pub.id, old);
}

void ksi_pod_disrupt(ks_sim *sim, ksi_pod *p, const char *reason, const char *message)
{
    /* apipod.UpdatePodCondition: a condition already True keeps its time */
    if (p->pub.disruption || p->pub.terminating)
        return;
    p->pub.disruption = reason;
    p->pub.disruption_message = message;
    p->pub.disrupted_at = ks_now(sim);
}

void ksi_pod_delete(ks_sim *sim, ksi_pod *p, int64_t grace)
{
    ks_pod old = p->pub;
    if (p->pub.terminating)
        return;
    p->pub.terminating = true;
    p->pub.deleted_at = ks_now(sim);
    p->pub.grace_until = ks_now(sim) + grace * KS_SEC;
    if (p->pub.ready)
        p->pub.ready_changed = ks_now(sim);
    p->pub.ready = false;                /* a terminating pod serves no Service */
    ksi_pod_update(sim, p, &old);
    if (!p->pub.node && ksi_pod_get(sim, old.id))
        ksi_pod_remove(sim, p);          /* no kubelet owns it: gone at once */
}

void ksi_pod_remove(ks_sim *sim, ksi_pod *p)
{
    ksi_store_remove(sim, p->pub.id);
    free_pod(sim, p);
}

/* Frees a pod at the cluster's teardown: no one is told. */
void ksi_pod_free(ks_sim *sim, ksi_pod *p)
{
    free_pod(sim, p);
}

/* ---- logs ------------------------------------------------------------------------- */
void ks_cluster_log(ks_sim *sim, ks_id pod, size_t c, const char *fmt, ...)
{
    ksi_pod *p = ksi_pod_get(sim, pod);
    ks_container_status *cs;
    ks_trace_event tev;
    va_list ap;
    int i;
    if (!p || c >= p->pub.ncontainers + p->pub.ninit)
        return;
    cs = &p->pub.containers[c];
    if (!cs->log && !(cs->log = ks_mem_calloc(&sim->alloc, 1, sizeof *cs->log))) {
        ks_sim_fail(sim, KS_ENOMEM);
        return;
    }
    if (cs->log->count == KS_LOG_LINES) {
        cs->log->first = (cs->log->first + 1) % KS_LOG_LINES;
        cs->log->count--;
    }
    i = (cs->log->first + cs->log->count++) % KS_LOG_LINES;
    if (!strchr(fmt, '%')) {              /* a fixed line (a worker's, per job): copied */
        size_t n = strlen(fmt);
        if (n >= sizeof cs->log->line[i])
            n = sizeof cs->log->line[i] - 1;
        memcpy(cs->log->line[i], fmt, n);
        cs->log->line[i][n] = '\0';
    } else {
        va_start(ap, fmt);
        vsnprintf(cs->log->line[i], sizeof cs->log->line[i], fmt, ap);
        va_end(ap);
    }
    cs->log->at[i] = ks_now(sim);
    memset(&tev, 0, sizeof tev);
    tev.type = KS_TR_LOG;
    tev.kind = "Pod";
    tev.name = p->pub.name;
    tev.reason = cs->spec->name;
    tev.msg = cs->log->line[i];
    ks_trace_emit(sim, &tev);
}

/* ---- derived columns ------------------------------------------------------------- */
bool ks_container_sidecar_running(const ks_container_status *cs)
{
    return cs->spec && cs->spec->sidecar && cs->state == KS_CS_RUNNING && cs->started;
}

/* The Initialized condition: every init container completed, a sidecar
 * started (it stays true when a sidecar restarts later). */
bool ks_pod_initialized(const ks_pod *p)
{
    size_t i;
    for (i = 0; i < p->ninit; i++) {
        const ks_container_status *cs = &p->init[i];
        if (cs->spec && cs->spec->sidecar ? !cs->started_once
                                          : cs->state != KS_CS_TERMINATED || cs->exit_code != 0)
            return false;
    }
    return true;
}

bool ks_pod_disruption_first(const ks_sim *sim, const ks_pod *p)
{
    const ks_node *n = ks_cluster_node(sim, p->node);
    return p->disruption && strcmp(p->disruption, "TerminationByKubelet") != 0 && n && !n->down;
}

int ks_pod_restarts(const ks_pod *p)
{
    int n = 0;
    size_t i;
    bool init = ks_pod_initialized(p);
    for (i = 0; i < p->ninit; i++)
        if (!init || (p->init[i].spec && p->init[i].spec->sidecar))
            n += p->init[i].restarts;
    for (i = 0; init && i < p->ncontainers; i++)
        n += p->containers[i].restarts;
    return n;
}

/* printPod's init container part, written to buf: "Init:1/2",
 * "Init:Error", "Init:CrashLoopBackOff"; NULL once they all completed. */
static const char *init_status(const ks_pod *p, char *buf, size_t n)
{
    size_t i;
    for (i = 0; i < p->ninit; i++) {
        const ks_container_status *cs = &p->init[i];
        if ((cs->state == KS_CS_TERMINATED && cs->exit_code == 0)
            || ks_container_sidecar_running(cs))
            continue;
        if (cs->state == KS_CS_TERMINATED && cs->reason)
            snprintf(buf, n, "Init:%s", cs->reason);
        else if (cs->state == KS_CS_TERMINATED)
            snprintf(buf, n, "Init:ExitCode:%d", cs->exit_code);
        else if (cs->state == KS_CS_WAITING && cs->reason
                 && strcmp(cs->reason, "PodInitializing") != 0)
            snprintf(buf, n, "Init:%s", cs->reason);
        else
            snprintf(buf, n, "Init:%zu/%zu", i, p->ninit);
        return buf;
    }
    return NULL;
}

/* kubectl's printPod STATUS (KUBERNETES.md section 1); an init container's
 * status is written to buf. */
static const char *compute_status(const ks_pod *p, char *buf, size_t n)
{
    const char *reason = p->phase, *init;
    size_t i;
    bool has_running = false;
    if (p->evicted)
        reason = "Evicted";
    if (!p->node && !p->terminating)
        return reason;                   /* no container exists yet */
    if (!ks_pod_initialized(p) && (init = init_status(p, buf, n)) != NULL)
        return p->terminating ? "Terminating" : init;
    for (i = p->ncontainers; i-- > 0;) {
        const ks_container_status *cs = &p->containers[i];
        if (cs->state == KS_CS_WAITING && cs->reason)
            reason = cs->reason;
        else if (cs->state == KS_CS_TERMINATED && cs->reason)
            reason = cs->reason;
        else if (cs->state == KS_CS_TERMINATED) {
            snprintf(buf, n, "ExitCode:%d", cs->exit_code);
            reason = buf;
        } else if (cs->state == KS_CS_RUNNING)
            has_running = true;
    }
    if (strcmp(reason, "Completed") == 0 && has_running)
        reason = p->ready ? "Running" : "NotReady";
    if (p->terminating)
        reason = "Terminating";
    return reason;
}

static void update_status(ks_sim *sim, ksi_pod *p)
{
    char buf[64];
    const char *st = compute_status(&p->pub, buf, sizeof buf);
    ks_trace_event tev;
    int restarts = 0;
    size_t i;
    if (p->pub.status && strcmp(p->pub.status, st) == 0)
        return;
    if (st == buf && !(st = ksi_strdup(sim, buf)))    /* once per change */
        return;
    p->pub.status = st;
    for (i = 0; i < p->pub.ncontainers; i++)
        restarts += p->pub.containers[i].restarts;
    memset(&tev, 0, sizeof tev);
    tev.type = KS_TR_STATUS;
    tev.kind = "Pod";
    tev.name = p->pub.name;
    tev.reason = st;
    tev.n[0] = restarts;
    ks_trace_emit(sim, &tev);
}

size_t ks_age_format(ks_time age, char *buf, size_t n)
{
    long long s = age / KS_SEC, m = s / 60, h = m / 60, d = h / 24, y = d / 365;
    int k;
    if (age < 0)
        /* Go's HumanDuration: whole seconds below -1 are invalid */
        k = snprintf(buf, n, age <= -2 * KS_SEC ? "<invalid>" : "0s");
    else if (s < 120)
        k = snprintf(buf, n, "%llds", s);
    else if (m < 10)
        k = s % 60 ? snprintf(buf, n, "%lldm%llds", m, s % 60) : snprintf(buf, n, "%lldm", m);
    else if (h < 3)
        k = snprintf(buf, n, "%lldm", m);
    else if (h < 8)
        k = m % 60 ? snprintf(buf, n, "%lldh%lldm", h, m % 60) : snprintf(buf, n, "%lldh", h);
    else if (h < 48)
        k = snprintf(buf, n, "%lldh", h);
    else if (d < 8)
        k = h % 24 ? snprintf(buf, n, "%lldd%lldh", d, h % 24) : snprintf(buf, n, "%lldd", d);
    else if (y < 2)
        k = snprintf(buf, n, "%lldd", d);
    else if (y < 8)
        k = d % 365 ? snprintf(buf, n, "%lldy%lldd", y, d % 365) : snprintf(buf, n, "%lldy", y);
    else
        k = snprintf(buf, n, "%lldy", y);
    return k < 0 ? 0 : (size_t)k;
}

size_t ks_pod_restarts_text(const ks_sim *sim, const ks_pod *p, char *buf, size_t n)
{
    int restarts = 0, k;
    ks_time last = -1;
    size_t i;
    if (!ks_pod_initialized(p))          /* the init containers' restarts */
        return (size_t)snprintf(buf, n, "%d", ks_pod_restarts(p));
    for (i = 0; i < p->ncontainers + p->ninit; i++) {   /* apps and sidecars */
        const ks_container_status *cs = &p->containers[i];
        if (i >= p->ncontainers && !(cs->spec && cs->spec->sidecar))
            continue;
        restarts += cs->restarts;
        if (cs->restarts && cs->last_restart > last)
            last = cs->last_restart;
    }
    if (restarts && last >= 0) {
        char age[32];
        ks_age_format(ks_now(sim) - last, age, sizeof age);
        k = snprintf(buf, n, "%d (%s ago)", restarts, age);
    } else {
        k = snprintf(buf, n, "%d", restarts);
    }
    return k < 0 ? 0 : (size_t)k;
}

size_t ks_pod_ready_text(const ks_pod *p, char *buf, size_t n)
{
    size_t i, ready = 0, total = p->ncontainers;
    int k;
    for (i = 0; i < p->ncontainers; i++)
        ready += p->containers[i].ready;
    for (i = 0; i < p->ninit; i++)      /* sidecars count (printPod) */
        if (p->init[i].spec && p->init[i].spec->sidecar) {
            total++;
            ready += ks_container_sidecar_running(&p->init[i]) && p->init[i].ready;
        }
    k = snprintf(buf, n, "%zu/%zu", ready, total);
    return k < 0 ? 0 : (size_t)k;
}


/* ---- QoS ---------------------------------------------------------------------------- */
/* Requests left out default to the limits (the loader does that, as the API
 * server's defaulting does), so equal means "set to the same". */
ks_qos ks_pod_qos(const ks_pod_spec *s)
{
    size_t i;
    bool any = false, guaranteed = s->ncontainers > 0;
    for (i = 0; i < s->ncontainers; i++) {
        const ks_container *c = &s->containers[i];
        any |= c->cpu_request || c->cpu_limit || c->mem_request || c->mem_limit;
        if (!c->cpu_limit || !c->mem_limit || c->cpu_request != c->cpu_limit
            || c->mem_request != c->mem_limit)
            guaranteed = false;
    }
    return !any ? KS_QOS_BESTEFFORT : guaranteed ? KS_QOS_GUARANTEED : KS_QOS_BURSTABLE;
}

const char *ks_qos_name(ks_qos q)
{
    return q == KS_QOS_GUARANTEED ? "Guaranteed" : q == KS_QOS_BESTEFFORT ? "BestEffort"
                                                                          : "Burstable";
}

/* plugin/pkg/admission/serviceaccount/admission.go: admission.NewForbidden(a,
 * fmt.Errorf("error looking up service account %s/%s: %w", ...)). */
bool ksi_pod_admit_sa(const ks_sim *sim, const char *ns, const ks_pod_spec *spec,
                      const char *name, char *msg, size_t n)
{
    const char *sa = spec && spec->service_account ? spec->service_account : "default";
    ns = ns ? ns : "default";
    if (strcmp(sa, "default") == 0 || ks_cluster_find(sim, KS_KIND_SERVICEACCOUNT, ns, sa))
        return true;
    snprintf(msg, n, "pods \"%s\" is forbidden: error looking up service account %s/%s: "
             "serviceaccount \"%s\" not found", name, ns, sa, sa);
    return false;
}
