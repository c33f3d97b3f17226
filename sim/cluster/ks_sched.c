/* ks_sched.c -- the scheduler: binds pending pods to nodes.
 *
 * Filters as the default scheduler does (node ready and schedulable, its
 * pod count, cpu and memory requests fit, nodeName, nodeSelector), then
 * scores: spread replicas of one owner across nodes first, then the least
 * allocated node; ties are broken by the seeded random stream, as the real
 * scheduler picks among equal scores at random. A pod that fits nowhere
 * stays Pending with a FailedScheduling event saying why, in the real
 * wording ("0/3 nodes are available: 1 Insufficient cpu, ..."), and is
 * retried every 10 s.
 *
 * Like kube-scheduler it does not look at every node for every pod
 * (pkg/scheduler/schedule_one.go, findNodesThatPassFilters and
 * numFeasibleNodesToFind): it stops once it has found percentageOfNodesToScore
 * feasible nodes -- adaptive by default, 50 % minus one point per 125 nodes,
 * at least 5 %, and never fewer than 100 nodes (so a cluster of fewer than
 * 100 nodes is searched whole) -- and the next pod's search starts where this
 * one stopped (nextStartNodeIndex), so every node gets its turn. The real
 * scheduler checks nodes in parallel; this one checks them in order, so the
 * nodes it looked at are exactly those up to the last feasible one it needed.
 *
 * Its cache (the real scheduler's cache, fed by informers): how many pods of
 * each owner are on each node, kept as pods are bound, start terminating and
 * go -- heard from the store -- so scoring a node costs a lookup, not a walk
 * of the owner's pods.
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "internal/sched_cache.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define SCHED_DELAY (5 * KS_MSEC)         /* a pending pod is seen this fast */
#define RETRY_PERIOD (10 * KS_SEC)

/* kube-scheduler's bound on the search (pkg/scheduler/schedule_one.go:
 * minFeasibleNodesToFind = 100, minFeasibleNodesPercentageToFind = 5, and
 * the adaptive percentage 50 - numAllNodes/125 in numFeasibleNodesToFind;
 * pkg/scheduler/apis/config/types.go: DefaultPercentageOfNodesToScore = 0,
 * meaning adaptive). */
#define MIN_FEASIBLE_NODES 100
#define MIN_FEASIBLE_PERCENT 5
#define BASE_PERCENT 50
#define NODES_PER_PERCENT 125

/* The scheduling queue: pods in arrival order, tried by one event a little
 * after they arrive and every RETRY_PERIOD while some stay unschedulable. */
typedef struct scheduler {
    ks_id *pending;
    size_t npending, cap;
    ks_event_id run;
    size_t next_start;            /* kube-scheduler's nextStartNodeIndex */
    ksi_sched_cache cache;        /* nodes, and pods per owner and node */
} scheduler;

static void run_scheduler(ks_sim *sim, void *subject, uint64_t arg);

static void schedule_run(ks_sim *sim, scheduler *s, ks_time delay)
{
    if (!ks_event_pending(sim, s->run))
        s->run = ks_event_after(sim, delay, KS_PRIO_DEFAULT, run_scheduler, s, 0);
}

/* ---- volume binding ------------------------------------------------------------------ */
/* The VolumeBinding plugin: a pod's claims must exist, not be terminating,
 * and be bound -- or be of a WaitForFirstConsumer class, whose provisioner
 * is asked for a volume now that the first consumer is placed. */
static bool claims_ready(ks_sim *sim, const ks_pod *p, char *why, size_t n)
{
    size_t i;
    bool ok = true;
    for (i = 0; i < p->spec->nvolumes; i++) {
        const ks_volume *vol = &p->spec->volumes[i];
        ksi_pvc *c;
        const ks_object *sc;
        if (vol->type != KS_VOL_PVC)
            continue;
        c = ksi_pvc_get(sim, ks_cluster_find(sim, KS_KIND_PVC, p->ns, vol->source));
        if (!c) {
            snprintf(why, n, "persistentvolumeclaim \"%s\" not found", vol->source);
            return false;
        }
        if (c->pub.terminating) {
            snprintf(why, n, "persistentvolumeclaim \"%s\" is being deleted", vol->source);
            return false;
        }
        if (strcmp(c->pub.phase, "Bound") == 0)
            continue;
        sc = c->pub.storage_class[0] ? ksi_claims_class(sim, c->pub.storage_class) : NULL;
        if (sc && sc->u.sc.wait_for_consumer) {
            ksi_claims_provision(sim, c, sc);    /* the first consumer is here */
            continue;
        }
        snprintf(why, n, "pod has unbound immediate PersistentVolumeClaims");
        ok = false;
    }
    return ok;
}

/* Why a node does not fit: counted per reason for the message. */
enum { WHY_NOT_READY, WHY_MEMORY_PRESSURE, WHY_UNSCHEDULABLE, WHY_CPU, WHY_MEMORY, WHY_PODS,
       WHY_SELECTOR, WHY_NAME, WHY_COUNT };

static int node_fits(const ks_node *n, const ks_pod *p)
{
    if (p->spec->node_name && strcmp(p->spec->node_name, n->name) != 0)
        return WHY_NAME;
    if (!n->ready)
        return WHY_NOT_READY;
    /* TaintNodesByCondition: a node under memory pressure carries
       node.kubernetes.io/memory-pressure:NoSchedule, which pods of ours do
       not tolerate (K8S/concepts/scheduling-eviction/taint-and-toleration/) */
    if (n->memory_pressure && !p->spec->daemon)      /* a DaemonSet's pod tolerates it */
        return WHY_MEMORY_PRESSURE;
    if (n->unschedulable && !p->spec->node_name)
        return WHY_UNSCHEDULABLE;
    if (p->spec->node_selector.n) {
        size_t i;
        for (i = 0; i < p->spec->node_selector.n; i++) {
            const char *v = ks_kvs_get(&n->labels, p->spec->node_selector.items[i].key);
            if (!v || strcmp(v, p->spec->node_selector.items[i].value) != 0)
                return WHY_SELECTOR;
        }
    }
    if (n->pods + 1 > n->max_pods)
        return WHY_PODS;
    if (n->cpu_used + p->cpu > n->cpu)
        return WHY_CPU;
    if (n->memory_used + p->memory > n->memory)
        return WHY_MEMORY;
    return -1;
}

/* Higher is better: spreading dominates, then free share of cpu and memory
 * (least allocated, in percent). */
static int64_t score(const ks_pod *p, const ks_node *n, int64_t same)
{
    int64_t cpu_free = n->cpu ? (n->cpu - n->cpu_used - p->cpu) * 100 / n->cpu : 0;
    int64_t mem_free = n->memory ? (n->memory - n->memory_used - p->memory) * 100 / n->memory : 0;
    return -same * 1000 + (cpu_free + mem_free) / 2;
}

/* numFeasibleNodesToFind (pkg/scheduler/schedule_one.go), with
 * percentageOfNodesToScore at its default (adaptive). */
static size_t nodes_to_find(size_t all)
{
    size_t percent, n;
    if (all < MIN_FEASIBLE_NODES)
        return all;
    percent = all / NODES_PER_PERCENT < BASE_PERCENT - MIN_FEASIBLE_PERCENT
                  ? BASE_PERCENT - all / NODES_PER_PERCENT : MIN_FEASIBLE_PERCENT;
    n = all * percent / 100;
    return n < MIN_FEASIBLE_NODES ? MIN_FEASIBLE_NODES : n;
}

static void bind(ks_sim *sim, ksi_pod *p, ks_node *n)
{
    ksi_cluster *c = sim->cluster;
    ks_pod old = p->pub;
    uint32_t ip = c->next_ip++;
    p->pub.node = n->id;
    p->pub.scheduled_at = ks_now(sim);
    p->pub.pending_reason = "";           /* old's text is freed after the update */
    snprintf(p->pub.ip, sizeof p->pub.ip, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
             (ip >> 8) & 255, ip & 255);
    n->pods++;
    n->cpu_used += p->pub.cpu;
    n->memory_used += p->pub.memory;
    ksi_event(sim, false, "Scheduled", KS_KIND_POD, p->pub.name, p->pub.id, "default-scheduler",
              "Successfully assigned %s/%s to %s", p->pub.ns, p->pub.name, n->name);
    ksi_pod_update(sim, p, &old);         /* Pending -> ContainerCreating; its
                                             kubelet hears of it */
    ksi_msg_free(sim, old.pending_reason);
}

static void explain(ks_sim *sim, ksi_pod *p, const int why[WHY_COUNT], size_t nnodes)
{
    static const char *const text[WHY_COUNT] = {
        "node(s) had untolerated taint {node.kubernetes.io/not-ready: }",
        "node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }",
        "node(s) were unschedulable", "Insufficient cpu", "Insufficient memory",
        "Too many pods", "node(s) didn't match Pod's node affinity/selector",
        "node(s) didn't match the requested node name"};
    char msg[240];
    size_t len;
    int i, first = 1;
    len = (size_t)snprintf(msg, sizeof msg, "0/%zu nodes are available: ", nnodes);
    for (i = 0; i < WHY_COUNT && len < sizeof msg; i++)
        if (why[i]) {
            len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%d %s", first ? "" : ", ",
                                    why[i], text[i]);
            first = 0;
        }
    if (len < sizeof msg)
        snprintf(msg + len, sizeof msg - len, ".");
    ksi_msg_set(sim, &p->pub.pending_reason, KS_POD_REASON_MAX, "%s", msg);
    ksi_store_touch(sim, p->pub.id);      /* its PodScheduled condition */
    ksi_event(sim, true, "FailedScheduling", KS_KIND_POD, p->pub.name, p->pub.id,
              "default-scheduler", "%s", msg);
}

/* Tries one pod; true when bound (or gone). */
static bool schedule_one(ks_sim *sim, scheduler *sc, ksi_pod *p)
{
    ksi_sched_cache *cache = &sc->cache;
    size_t all = cache->nnodes, want = nodes_to_find(all), k, i = sc->next_start, feasible = 0;
    int why[WHY_COUNT] = {0};
    ks_node *best = NULL;
    int64_t best_score = 0;
    uint64_t ties = 0;
    ks_rng *rng = ks_sim_rng(sim, KS_RNG_SCHED);
    bool spread;
    char claim[150];
    if (!claims_ready(sim, &p->pub, claim, sizeof claim)) {
        ksi_msg_set(sim, &p->pub.pending_reason, KS_POD_REASON_MAX,
                 "0/%zu nodes are available: %s. preemption: 0/%zu nodes are available: %zu "
                 "Preemption is not helpful for scheduling.", all, claim, all, all);
        ksi_store_touch(sim, p->pub.id);
        ksi_event(sim, true, "FailedScheduling", KS_KIND_POD, p->pub.name, p->pub.id,
                  "default-scheduler", "%s", p->pub.pending_reason);
        return false;
    }
    /* from where the last search stopped, until enough feasible nodes */
    spread = ksi_sched_cache_spread(cache, p->pub.owner, true);
    for (k = 0; k < all && feasible < want; k++, i = i + 1 == all ? 0 : i + 1) {
        ks_node *n = cache->nodes[i];
        int w;
        int64_t s;
        if ((w = node_fits(n, &p->pub)) >= 0) {
            why[w]++;
            continue;
        }
        feasible++;
        s = score(&p->pub, n, cache->same[i]);
        if (!best || s > best_score) {
            best = n;
            best_score = s;
            ties = 1;
        } else if (s == best_score && ks_rng_below(rng, ++ties) == 0) {
            best = n;             /* reservoir choice among equal scores */
        }
    }
    if (spread)
        ksi_sched_cache_spread(cache, p->pub.owner, false);
    if (all)
        sc->next_start = i;
    if (best) {
        bind(sim, p, best);
        return true;
    }
    explain(sim, p, why, all);
    return false;
}

static void run_scheduler(ks_sim *sim, void *subject, uint64_t arg)
{
    scheduler *s = subject;
    size_t i, keep = 0, n = s->npending;
    (void)arg;
    /* in arrival order; a pod enqueued meanwhile waits for the next run */
    for (i = 0; i < n; i++) {
        ksi_pod *p = ksi_pod_get(sim, s->pending[i]);
        if (!p || p->pub.node || p->pub.terminating)
            continue;
        if (!schedule_one(sim, s, p))
            s->pending[keep++] = s->pending[i];
    }
    memmove(s->pending + keep, s->pending + n, (s->npending - n) * sizeof *s->pending);
    s->npending = keep + (s->npending - n);
    if (s->npending)
        schedule_run(sim, s, keep == s->npending ? RETRY_PERIOD : SCHED_DELAY);
}

/* ---- what it hears ------------------------------------------------------------------- */
/* A new pod waits for a node; every change of a pod keeps the cache of
 * owners per node; a pod gone frees its node's share (the cache of what
 * each node holds). */
static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    scheduler *s = ud;
    ksi_pod *p = (ksi_pod *)ch->obj;
    ksi_sched_cache_account(sim, &s->cache, p, ch->type == KS_DELETED);
    if (ch->type == KS_ADDED && !p->pub.node) {
        if (ksi_grow(sim, (void **)&s->pending, &s->cap, s->npending + 1, sizeof *s->pending))
            return;
        s->pending[s->npending++] = ch->id;
        schedule_run(sim, s, SCHED_DELAY);
    } else if (ch->type == KS_DELETED) {
        ks_node *n = ksi_node_get(sim, p->pub.node);
        if (n) {
            n->pods--;
            n->cpu_used -= p->pub.cpu;
            n->memory_used -= p->pub.memory;
        }
    }
}

static void stop(ks_sim *sim, void *ud)
{
    scheduler *s = ud;
    ks_mem_free(&sim->alloc, s->pending, s->cap * sizeof *s->pending);
    ksi_sched_cache_fini(sim, &s->cache);
}

/* A node joined: the search covers it from now on. */
static void on_node(ks_sim *sim, const ksi_change *ch, void *ud)
{
    scheduler *s = ud;
    if (ch->type == KS_ADDED && ksi_sched_cache_add_node(sim, &s->cache, (ks_node *)ch->obj))
        ks_sim_fail(sim, KS_ENOMEM);
}

int ksi_ctl_scheduler(ks_sim *sim)
{
    scheduler *s = ksi_zalloc(sim, sizeof *s);
    if (!s || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_POD), on_pod, s)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_NODE), on_node, s)
        || ksi_sim_add_part(sim, stop, s))
        return KS_ENOMEM;
    return KS_OK;
}
