/* ks_eviction.c -- a node that runs out of memory: the kubelet's eviction
 * manager, and the kernel's OOM killer, which is faster than it.
 *
 * The eviction manager (pkg/kubelet/eviction/eviction_manager.go) looks
 * every 10 s (evictionMonitoringPeriod, pkg/kubelet/kubelet.go) at the
 * signal memory.available = capacity - working set. Below the hard
 * threshold, 100Mi by default (DefaultEvictionHard,
 * pkg/kubelet/apis/config/v1beta1/defaults_linux.go), the node reports
 * MemoryPressure (and so gets the NoSchedule taint) and the kubelet evicts
 * one pod per look, the first in rankMemoryPressure's order
 * (pkg/kubelet/eviction/helpers.go): pods using more than they request
 * first -- so BestEffort pods, which request nothing, go before the others
 * -- then by priority, then by how far their use exceeds their request. The
 * pod is killed at once (a hard threshold gives 1 s of grace), ends Failed
 * with reason Evicted and the kubelet's message, its container Terminated
 * (Error, 137: what kubectl get pods shows), and its ReplicaSet makes a
 * replacement. MemoryPressure clears only after 5 minutes without the
 * threshold met (evictionPressureTransitionPeriod, defaults.go).
 * Allocatable is capacity minus that threshold (K8S/tasks/administer-
 * cluster/reserve-compute-resources/), so the node is under pressure as soon
 * as its working set exceeds what the scheduler may hand out.
 * When the working set reaches the capacity itself before the kubelet
 * looks, the kernel kills the process with the highest OOM score
 * (oom_score_adj by QoS, pkg/kubelet/qos/policy.go: BestEffort 1000,
 * Guaranteed -997, Burstable in between by its request), which the kubelet
 * reports as OOMKilled.
 */
#include <stdio.h>
#include <string.h>

#include "core/internal/sim.h"
#include "core/ks_error.h"
#include "internal/kubelet.h"
#include "internal/usage.h"
#include "internal/workload.h"
#include "ks_usage.h"
#include "load/ks_validate.h"

#define EVICTION_HARD       ((int64_t)100 << 20)  /* memory.available<100Mi */
#define MONITORING_PERIOD   (10 * KS_SEC)
#define PRESSURE_TRANSITION (5 * KS_MIN)
#define OOM_ADJ_GUARANTEED  (-997)               /* qos/policy.go */
#define OOM_ADJ_BESTEFFORT  1000

typedef struct node_watch {
    ks_id node;
    ks_event_id sync;             /* the manager's next look */
    ks_event_id oom;              /* the kernel's kill, this instant */
    ks_time met_at;               /* the threshold was last met then */
    bool ever_met;
} node_watch;

typedef struct ksi_eviction {
    node_watch *nodes;
    size_t n, cap;
} ksi_eviction;

static void eviction_fini(ks_sim *sim, void *ud)
{
    ksi_eviction *ev = ud;
    ks_mem_free(&sim->alloc, ev->nodes, ev->cap * sizeof *ev->nodes);
    ev->nodes = NULL;
    ev->n = ev->cap = 0;
}

static node_watch *watch_of(ks_sim *sim, ks_id node)
{
    ksi_eviction *ev = sim->cluster->eviction;
    size_t i;
    if (!ev)
        return NULL;
    for (i = 0; i < ev->n; i++)
        if (ev->nodes[i].node == node)
            return &ev->nodes[i];
    if (ksi_grow(sim, (void **)&ev->nodes, &ev->cap, ev->n + 1, sizeof *ev->nodes))
        return NULL;
    memset(&ev->nodes[ev->n], 0, sizeof ev->nodes[ev->n]);
    ev->nodes[ev->n].node = node;
    return &ev->nodes[ev->n++];
}

/* capacity = allocatable + the hard threshold (nothing else is reserved) */
static int64_t available(const ks_sim *sim, const ks_node *n)
{
    return n->memory + EVICTION_HARD - ksi_usage_node_memory(sim, n->id);
}

static int64_t pod_request(const ks_pod *p)
{
    return p->memory;
}

/* ---- the kernel ------------------------------------------------------------------------ */
/* oom_score_adj of a container of pod p (pkg/kubelet/qos/policy.go,
 * GetContainerOOMScoreAdjust). */
static int64_t oom_adj(const ks_pod *p, const ks_container *c, const ks_node *n)
{
    ks_qos q = ks_pod_qos(p->spec);
    int64_t adj;
    if (q == KS_QOS_GUARANTEED)
        return OOM_ADJ_GUARANTEED;
    if (q == KS_QOS_BESTEFFORT)
        return OOM_ADJ_BESTEFFORT;
    adj = 1000 - 1000 * c->mem_request / (n->memory + EVICTION_HARD);
    return adj < 2 ? 2 : adj > 999 ? 999 : adj;
}

static void kernel_oom(ks_sim *sim, void *subject, uint64_t node)
{
    ks_node *n = ksi_node_get(sim, (ks_id)node);
    ksi_pod *victim = NULL;
    size_t vc = 0;
    int64_t best = 0;
    ks_id id = 0;
    node_watch *w = watch_of(sim, (ks_id)node);
    (void)subject;
    if (w)
        w->oom = 0;
    if (!n || n->down || available(sim, n) >= 0)
        return;                              /* still within the machine */
    /* badness: the share of memory it holds, in thousandths, plus its adj */
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        size_t c;
        if (p->pub.node != n->id)
            continue;
        for (c = 0; c < p->pub.ncontainers; c++) {
            ks_usage u;
            int64_t score;
            if (!ks_usage_container(sim, id, c, &u))
                continue;
            score = u.memory * 1000 / (n->memory + EVICTION_HARD)
                    + oom_adj(&p->pub, p->pub.containers[c].spec, n);
            if (!victim || score > best) {
                victim = p;
                vc = c;
                best = score;
            }
        }
    }
    if (victim)
        ksi_container_exited(sim, victim, vc, 137, "OOMKilled");
}

/* ---- the kubelet ------------------------------------------------------------------------ */
typedef struct candidate {
    ksi_pod *p;
    int64_t usage, request;
} candidate;

/* rankMemoryPressure: exceeding requests first, then priority (all ours are
 * 0), then usage above request, most first; then the older pod, so that the
 * order is total. */
static int before(const candidate *a, const candidate *b)
{
    bool ea = a->usage > a->request, eb = b->usage > b->request;
    if (ea != eb)
        return ea;
    if (a->usage - a->request != b->usage - b->request)
        return a->usage - a->request > b->usage - b->request;
    return a->p->pub.id < b->p->pub.id;
}

static void set_pressure(ks_sim *sim, ks_node *n, bool on)
{
    ks_node old;
    if (n->memory_pressure == on)
        return;
    old = *n;
    n->memory_pressure = on;
    ksi_event(sim, false, on ? "NodeHasInsufficientMemory" : "NodeHasSufficientMemory",
              KS_KIND_NODE, n->name, n->id, "kubelet", "Node %s status is now: %s", n->name,
              on ? "NodeHasInsufficientMemory" : "NodeHasSufficientMemory");
    ksi_store_update(sim, n->id, &old);
}

/* The kubelet's message, with its words (eviction/helpers.go: nodeLowMessageFmt,
 * thresholdMetMessageFmt, containerMessageFmt). */
static const char *eviction_message(ks_sim *sim, const ksi_pod *p, int64_t avail)
{
    char buf[600], a[32], u[32], r[32];
    size_t len, c;
    ks_quantity_format_bytes(avail > 0 ? avail : 0, a, sizeof a);
    len = (size_t)snprintf(buf, sizeof buf, "The node was low on resource: memory. Threshold "
                           "quantity: 100Mi, available: %s. ", a);
    for (c = 0; c < p->pub.ncontainers && len < sizeof buf; c++) {
        ks_usage cu;
        const ks_container *spec = p->pub.containers[c].spec;
        if (!ks_usage_container(sim, p->pub.id, c, &cu) || cu.memory <= spec->mem_request)
            continue;
        ks_quantity_format_bytes(cu.memory, u, sizeof u);
        ks_quantity_format_bytes(spec->mem_request, r, sizeof r);
        len += (size_t)snprintf(buf + len, sizeof buf - len, "Container %s was using %s, "
                                "request is %s, has larger consumption of memory. ",
                                spec->name, u, r);
    }
    return ksi_strdup(sim, buf);
}

static void evict(ks_sim *sim, ksi_pod *p, int64_t avail)
{
    ks_pod old = p->pub;
    const char *msg = eviction_message(sim, p, avail);
    size_t c;
    ksi_event(sim, true, "Evicted", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet", "%s",
              msg ? msg : "");
    for (c = 0; c < p->pub.ncontainers; c++) {
        ks_container_status *cs = &p->pub.containers[c];
        if (cs->state != KS_CS_RUNNING)
            continue;
        ksi_event(sim, false, "Killing", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "Stopping container %s", cs->spec->name);
        ksi_kubelet_stop_container(sim, p, c);
        /* killed with the hard threshold's 1 s grace (eviction_manager.go
           immediateEvictionGracePeriodSeconds): SIGKILL, 137. The kubelet
           records the container's last state from the runtime, whose
           reason for a non-zero exit is Error (containerd's CRI
           container_status.go), and kubectl's printPod shows a terminated
           container's reason over the pod's Evicted: a real 1.22+ cluster
           lists the pod as Error (kubernetes/kubernetes#105467) */
        cs->state = KS_CS_TERMINATED;
        cs->reason = "Error";
        cs->exit_code = 137;
        cs->finished_at = ks_now(sim);
        cs->ready = false;
    }
    for (c = 0; c < p->pub.ncontainers; c++)
        ks_event_cancel(sim, p->cst[c].restart_timer);
    ks_event_cancel(sim, p->st.timer);
    p->st.killing = true;                /* nothing of it starts again */
    p->pub.phase = "Failed";
    p->pub.evicted = true;
    p->pub.message = msg;
    /* eviction_manager.go evictPod: DisruptionTarget, TerminationByKubelet,
       the eviction's message */
    ksi_pod_disrupt(sim, p, "TerminationByKubelet", msg);
    if (p->pub.ready)
        p->pub.ready_changed = ks_now(sim);
    p->pub.ready = false;
    ksi_pod_update(sim, p, &old);
}

static void manager_sync(ks_sim *sim, void *subject, uint64_t node)
{
    ks_node *n = ksi_node_get(sim, (ks_id)node);
    node_watch *w = watch_of(sim, (ks_id)node);
    candidate best = {NULL, 0, 0};
    int64_t avail;
    ks_id id = 0;
    (void)subject;
    if (!w)
        return;
    w->sync = 0;
    if (!n || n->down)
        return;
    avail = available(sim, n);
    if (avail < EVICTION_HARD) {
        w->met_at = ks_now(sim);
        w->ever_met = true;
    }
    set_pressure(sim, n, w->ever_met && ks_now(sim) - w->met_at < PRESSURE_TRANSITION);
    if (avail < EVICTION_HARD) {
        ksi_event(sim, true, "EvictionThresholdMet", KS_KIND_NODE, n->name, n->id, "kubelet",
                  "Attempting to reclaim memory");
        while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
            ksi_pod *p = ksi_pod_get(sim, id);
            candidate c;
            ks_usage u;
            if (p->pub.node != n->id || p->pub.terminating || p->pub.evicted
                || !ks_usage_pod(sim, id, &u))
                continue;
            c.p = p;
            c.usage = u.memory;
            c.request = pod_request(&p->pub);
            if (!best.p || before(&c, &best))
                best = c;
        }
        if (best.p)
            evict(sim, best.p, avail);
    }
    if (n->memory_pressure || available(sim, n) < EVICTION_HARD)
        w->sync = ks_event_after(sim, MONITORING_PERIOD, KS_PRIO_DEFAULT, manager_sync, NULL,
                                 node);
}

/* The manager looks every MONITORING_PERIOD since its node started: the
 * next of those instants. */
static ks_time next_look(const ks_sim *sim, const ks_node *n)
{
    ks_time since = ks_now(sim) - n->created;
    return n->created + (since / MONITORING_PERIOD + 1) * MONITORING_PERIOD;
}

/* The node's working set grew (the meters tell, ks_usage.c). */
static void memory_grew(ks_sim *sim, ks_id node)
{
    ks_node *n = ksi_node_get(sim, node);
    node_watch *w;
    int64_t avail;
    if (!n || n->down)
        return;
    avail = available(sim, n);
    if (avail >= EVICTION_HARD || !(w = watch_of(sim, node)))
        return;
    if (!ks_event_pending(sim, w->sync))
        w->sync = ks_event_schedule(sim, next_look(sim, n), KS_PRIO_DEFAULT, manager_sync,
                                    NULL, node);
    if (avail < 0 && !ks_event_pending(sim, w->oom))   /* past the machine's memory */
        w->oom = ks_event_after(sim, 0, KS_PRIO_DEFAULT, kernel_oom, NULL, node);
}

int ksi_ctl_eviction(ks_sim *sim)
{
    ksi_eviction *ev = ksi_zalloc(sim, sizeof *ev);
    if (!ev || ksi_sim_add_part(sim, eviction_fini, ev)
        || ksi_usage_watch_memory(sim, memory_grew))
        return KS_ENOMEM;
    sim->cluster->eviction = ev;
    return KS_OK;
}
