/* ks_usage.c -- the meters of every running process and of the nodes (what
 * cAdvisor measures for the kubelet): CPU from background work, requests
 * and jobs, limited by CFS bandwidth control and shared by weight when the
 * node is full; memory from a base, the connections being served and the
 * records held, killed by the kernel when over the container's limit.
 *
 * CPU, per process (all in CPU-nanoseconds: millicores x microseconds, so
 * the arithmetic is exact):
 *   rate   = min(cpu limit, the program's threads, its share of the node);
 *   its background work uses min(idle, rate) all the time;
 *   requests and jobs draw on a budget refilled at rate - background and
 *   capped at one CFS period's quota, so a burst within the quota runs at
 *   once (no delay: the catalog's latency already covers running it) while
 *   work beyond it queues, first come first served, and waits until the
 *   budget is back above zero. That wait is throttling: latency that grows
 *   with the load. CPU used = background + work charged - work still queued.
 * The node's share: while work keeps arriving, a tick every second weighs
 * each node's demand against its CPUs; when they are oversubscribed, each
 * container gets CPU by its cpu.shares (its request, at least 2 shares:
 * pkg/kubelet/cm/helpers_linux.go, MinShares = 2, SharesPerCPU = 1024),
 * the kernel's weighted fair share.
 * Node totals add what the node itself runs (SYSTEM_* below) and keep the
 * CPU of processes that ended, so the node's counter only grows.
 */
#include "ks_usage.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal/sim.h"
#include "core/ks_idmap.h"
#include "core/ks_error.h"
#include "internal/kubelet.h"
#include "internal/usage.h"
#include "internal/workload.h"
#include "storage/internal/data.h"

/* What a node uses with no pods of ours: the kubelet, the container runtime
 * and, on minikube's single node, the control plane (apiserver, etcd,
 * scheduler, controller manager). A stated assumption, not a measurement:
 * about 150m of CPU and 500Mi of memory at rest with CoreDNS, which is a pod
 * of its own (its catalog entry: 2m, 15Mi) and so not counted here. */
#define SYSTEM_CPU_MILLI 148
#define SYSTEM_MEMORY    ((int64_t)485 << 20)
#define SHARE_TICK       KS_SEC
#define MAX_WAIT         KS_HOUR          /* work that can never run */
#define MIN_SHARES       2                /* helpers_linux.go MinShares */
#define SHARES_PER_CPU   1024             /* helpers_linux.go SharesPerCPU */

typedef struct node_meter {
    ks_id node;
    int64_t dead_ns;              /* CPU of processes that have ended */
    int64_t memory;               /* working sets of its running processes */
    ks_time snap_at[2];           /* two readings a tick apart */
    int64_t snap_ns[2];
} node_meter;

typedef struct ksi_usage_state {
    node_meter *nodes;            /* in the order they were made */
    size_t n, cap;
    ks_idmap index;               /* node id + 1 -> its meter's index + 1 */
    uint32_t next_gen;
    ks_event_id tick;
    ks_time last_work;
    ksi_memory_fn memory_grew;    /* the eviction manager */
} ksi_usage_state;

static void state_fini(ks_sim *sim, void *ud)
{
    ksi_usage_state *st = ud;
    ks_mem_free(&sim->alloc, st->nodes, st->cap * sizeof *st->nodes);
    ks_idmap_fini(&st->index, &sim->alloc);
    st->nodes = NULL;
    st->n = st->cap = 0;
}

/* Made when the first process starts; its node list freed with the sim. */
static ksi_usage_state *state_of(ks_sim *sim)
{
    ksi_cluster *c = sim->cluster;
    ksi_usage_state *st;
    if (c->usage)
        return c->usage;
    st = ksi_zalloc(sim, sizeof *st);
    if (!st)
        return NULL;
    if (ksi_sim_add_part(sim, state_fini, st) != KS_OK) {
        ks_sim_fail(sim, KS_ENOMEM);
        return NULL;
    }
    return c->usage = st;
}

/* The meter of a node (made on first use; meters are only appended, so an
 * index into the list stays valid), or NULL when out of memory. Found
 * through the index: a walk of the list at every container start made
 * 100,000 pods on 10,000 nodes quadratic. */
static node_meter *meter_of(ks_sim *sim, ks_id node)
{
    ksi_usage_state *st = state_of(sim);
    uint64_t *at;
    if (!st || !(at = ks_idmap_get(&st->index, &sim->alloc, (uint64_t)node + 1)))
        return NULL;
    if (*at)
        return &st->nodes[*at - 1];
    if (ksi_grow(sim, (void **)&st->nodes, &st->cap, st->n + 1, sizeof *st->nodes))
        return NULL;
    memset(&st->nodes[st->n], 0, sizeof st->nodes[st->n]);
    st->nodes[st->n].node = node;
    st->nodes[st->n].snap_at[0] = st->nodes[st->n].snap_at[1] = ks_now(sim);
    st->nodes[st->n].snap_ns[0] = st->nodes[st->n].snap_ns[1] = -1;   /* none yet */
    *at = st->n + 1;
    return &st->nodes[st->n++];
}

static const node_meter *find_meter(const ks_sim *sim, ks_id node)
{
    const ksi_usage_state *st = sim->cluster ? sim->cluster->usage : NULL;
    const uint64_t *at = st ? ks_idmap_find(&st->index, (uint64_t)node + 1) : NULL;
    return at && *at ? &st->nodes[*at - 1] : NULL;
}

/* ---- the CPU budget ------------------------------------------------------------------- */
static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static int64_t bg_rate(const ksi_usage *u)
{
    return min64(u->idle, u->rate);
}

static int64_t work_rate(const ksi_usage *u)
{
    return u->rate - bg_rate(u);
}

/* One CFS period's quota, for what is left after the background work. */
static int64_t quota_ns(const ksi_usage *u)
{
    return work_rate(u) * KS_USAGE_CFS_PERIOD;
}

static int64_t tokens_at(const ksi_usage *u, ks_time t)
{
    return min64(quota_ns(u), u->tokens + work_rate(u) * (t - u->at));
}

static void advance(ksi_usage *u, ks_time t)
{
    u->bg_ns += bg_rate(u) * (t - u->at);
    u->tokens = tokens_at(u, t);
    u->at = t;
}

static int64_t cpu_at(const ksi_usage *u, ks_time t)
{
    int64_t tokens = tokens_at(u, t);
    return u->bg_ns + bg_rate(u) * (t - u->at) + u->work_ns - (tokens < 0 ? -tokens : 0);
}

static void set_rate(ksi_usage *u, ks_time now, int64_t rate)
{
    if (rate == u->rate)
        return;
    advance(u, now);
    u->rate = rate;
    if (u->tokens > quota_ns(u))
        u->tokens = quota_ns(u);
}

/* What the container may use at most, whatever the node does: its limit
 * and its program's threads (0: the whole node). */
static int64_t ceiling(const ks_container_status *cs, const ks_node *n)
{
    int64_t r = n ? n->cpu : 0;
    if (cs->spec->cpu_limit && cs->spec->cpu_limit < r)
        r = cs->spec->cpu_limit;
    if (cs->image->load.cpu_cores && cs->image->load.cpu_cores < r)
        r = cs->image->load.cpu_cores;
    return r;
}

/* ---- memory --------------------------------------------------------------------------- */
static int64_t memory_of(const ksi_pod *p, size_t c, const ksi_usage *u)
{
    const ks_image_load *l = &p->pub.containers[c].image->load;
    const ksi_dir *d = ksi_workload_data(p, c);
    int64_t m = u->held + (int64_t)u->inflight * l->mem_per_connection;
    if (d && ksi_data_pub(d)->kind == KS_DATA_MEMORY)
        m += ksi_data_records(d) * l->mem_per_record;
    return m;
}

/* Brings container c's working set and its node's total up to date. */
static int64_t remeter(ks_sim *sim, ksi_pod *p, size_t c, ksi_usage *u)
{
    ksi_usage_state *st = sim->cluster->usage;
    int64_t m = memory_of(p, c, u);
    if (st && u->meter < st->n)
        st->nodes[u->meter].memory += m - u->memory;
    u->memory = m;
    return m;
}

bool ksi_usage_check(ks_sim *sim, ksi_pod *p, size_t c)
{
    ksi_usage *u = ksi_workload_usage(p, c);
    int64_t limit = p->pub.containers[c].spec->mem_limit, before, now;
    ks_id pod = p->pub.id;
    if (!u)
        return false;
    before = u->memory;
    now = remeter(sim, p, c, u);
    if (limit && now > limit) {
        /* the kernel's OOM killer, inside the container's memory cgroup: the
           process dies with SIGKILL, and the kubelet reports it (128 + 9) */
        ksi_container_exited(sim, p, c, 137, "OOMKilled");
        return false;
    }
    if (now > before && sim->cluster->usage->memory_grew)
        sim->cluster->usage->memory_grew(sim, p->pub.node);   /* the node may be full */
    return ksi_pod_get(sim, pod) && ksi_workload_usage(p, c) != NULL;
}

int ksi_usage_watch_memory(ks_sim *sim, ksi_memory_fn fn)
{
    ksi_usage_state *st = state_of(sim);
    if (!st)
        return KS_ENOMEM;
    st->memory_grew = fn;
    return KS_OK;
}

int64_t ksi_usage_node_memory(const ks_sim *sim, ks_id node)
{
    const node_meter *m = find_meter(sim, node);
    return SYSTEM_MEMORY + (m ? m->memory : 0);
}

/* ---- a process's life ------------------------------------------------------------------ */
static void late_check(ks_sim *sim, void *subject, uint64_t arg)
{
    ksi_pod *p = ksi_pod_get(sim, (ks_id)(arg >> 32));
    size_t c = (size_t)(arg & 0xff);
    (void)subject;
    if (p && c < p->pub.ncontainers + p->pub.ninit && (ksi_usage_gen(p, c) & 0xffffff) == ((arg >> 8) & 0xffffff))
        ksi_usage_check(sim, p, c);
}

void ksi_usage_start(ks_sim *sim, ksi_pod *p, size_t c, ksi_usage *u)
{
    ksi_usage_state *st = state_of(sim);
    const ks_container_status *cs = &p->pub.containers[c];
    if (!st)
        return;
    u->gen = ++st->next_gen;
    u->started = u->at = u->snap_at[0] = u->snap_at[1] = ks_now(sim);
    u->idle = cs->image->load.cpu_idle;
    u->held = cs->image->load.mem_base;
    u->rate = ceiling(cs, ks_cluster_node(sim, p->pub.node));
    u->tokens = quota_ns(u);
    u->meter = meter_of(sim, p->pub.node) ? (size_t)(meter_of(sim, p->pub.node) - st->nodes)
                                          : (size_t)-1;
    /* its base memory: judged once the start is over, not in the middle of it */
    remeter(sim, p, c, u);
    ks_event_post_after(sim, 0, KS_PRIO_DEFAULT, late_check, NULL,
                        (uint64_t)p->pub.id << 32 | (uint64_t)(u->gen & 0xffffff) << 8 | c);
}

void ksi_usage_stop(ks_sim *sim, ksi_pod *p, size_t c, ksi_usage *u)
{
    node_meter *m = meter_of(sim, p->pub.node);
    (void)c;
    if (m) {
        m->dead_ns += cpu_at(u, ks_now(sim));
        m->memory -= u->memory;
    }
    u->memory = 0;
}

bool ksi_usage_grow(ks_sim *sim, ksi_pod *p, size_t c, int64_t bytes, int64_t milli)
{
    ksi_usage *u = ksi_workload_usage(p, c);
    if (!u)
        return false;
    advance(u, ks_now(sim));
    u->held += bytes;
    u->idle += milli;
    return ksi_usage_check(sim, p, c);
}

uint32_t ksi_usage_gen(const ksi_pod *p, size_t c)
{
    const ksi_usage *u = ksi_workload_usage(p, c);
    return u ? u->gen : 0;
}

/* What a node has used besides our containers: its own processes, and the
 * containers that have ended there. */
static int64_t node_base_ns(const ks_node *n, const node_meter *m, ks_time now)
{
    return SYSTEM_CPU_MILLI * (now - n->created) + (m ? m->dead_ns : 0);
}

/* ---- the node's share, every second while work comes in --------------------------------- */
typedef struct claim {
    ks_id node;
    ksi_usage *u;
    int64_t want, cap, weight, got;
} claim;

static int by_node(const void *a, const void *b)
{
    const claim *x = a, *y = b;
    return x->node < y->node ? -1 : x->node > y->node;
}

/* Weighted max-min fairness (what CFS converges to): every container gets
 * up to its weight's share of what is left; those that want less keep what
 * they want and give the rest back, round after round. */
static void share_node(int64_t cpus, claim *cl, size_t k)
{
    int64_t left = cpus, weights = 0;
    size_t i;
    bool settled = true;
    for (i = 0; i < k; i++) {
        cl[i].got = -1;
        weights += cl[i].weight;
    }
    while (settled && left > 0 && weights > 0) {
        int64_t pool = left, wsum = weights;
        settled = false;
        for (i = 0; i < k; i++)
            if (cl[i].got < 0 && min64(cl[i].want, cl[i].cap) <= pool * cl[i].weight / wsum) {
                cl[i].got = min64(cl[i].want, cl[i].cap);
                left -= cl[i].got;
                weights -= cl[i].weight;
                settled = true;
            }
    }
    for (i = 0; i < k; i++)
        if (cl[i].got < 0)
            cl[i].got = weights > 0 && left > 0 ? left * cl[i].weight / weights : 0;
}

/* Sets each container's rate on one node: its ceiling while the node has
 * CPU to spare, else its fair share -- never below its weight's share of the
 * whole node, which it would reach as soon as it asked. */
static void settle_node(ks_sim *sim, const ks_node *n, claim *cl, size_t k)
{
    ks_time now = ks_now(sim);
    int64_t demand = 0, weights = 0;
    size_t i;
    for (i = 0; i < k; i++) {
        demand += min64(cl[i].want, cl[i].cap);
        weights += cl[i].weight;
    }
    if (demand <= n->cpu) {
        for (i = 0; i < k; i++)
            set_rate(cl[i].u, now, cl[i].cap);
        return;
    }
    share_node(n->cpu, cl, k);
    for (i = 0; i < k; i++) {
        int64_t fair = n->cpu * cl[i].weight / weights;
        set_rate(cl[i].u, now, min64(cl[i].got > fair ? cl[i].got : fair, cl[i].cap));
    }
}

static void snapshot(ksi_usage *u, ks_time now)
{
    u->snap_at[0] = u->snap_at[1];
    u->snap_ns[0] = u->snap_ns[1];
    u->snap_at[1] = now;
    u->snap_ns[1] = cpu_at(u, now);
}

/* One pass over the pods: every running container's demand in the last
 * second, grouped by node, then each node settled. */
static void rebalance(ks_sim *sim)
{
    ks_time now = ks_now(sim);
    claim *cl = NULL;
    size_t k = 0, cap = 0, i, j;
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        const ks_node *n = ks_cluster_node(sim, p->pub.node);
        size_t c;
        for (c = 0; n && c < p->pub.ncontainers + p->pub.ninit; c++) {
            ksi_usage *u = ksi_workload_usage(p, c);
            const ks_container_status *cs = &p->pub.containers[c];
            int64_t shares, queued;
            if (!u)
                continue;
            if (ksi_grow(sim, (void **)&cl, &cap, k + 1, sizeof *cl))
                return;
            queued = tokens_at(u, now) < 0 ? -tokens_at(u, now) : 0;
            cl[k].node = n->id;
            cl[k].u = u;
            /* millicores: background, last second's work (us/s / 1000) and
               what still waits (ns / 10^6) */
            cl[k].want = u->idle + u->demand_us / 1000 + queued / 1000000;
            cl[k].cap = ceiling(cs, n);
            shares = cs->spec->cpu_request * SHARES_PER_CPU / 1000;
            cl[k].weight = shares < MIN_SHARES ? MIN_SHARES : shares;
            u->demand_us = 0;
            snapshot(u, now);
            k++;
        }
    }
    if (k)
        qsort(cl, k, sizeof *cl, by_node);
    for (i = 0; i < k; i = j) {
        for (j = i; j < k && cl[j].node == cl[i].node; j++)
            ;
        settle_node(sim, ks_cluster_node(sim, cl[i].node), cl + i, j - i);
    }
    /* the nodes' own readings: what ran there, and the node itself (nodes
       are listed by id, as the claims are sorted: one merge) */
    for (i = 0, j = 0; i < sim->cluster->nnodes; i++) {
        const ks_node *n = ksi_node_get(sim, sim->cluster->node_ids[i]);
        node_meter *m = meter_of(sim, n->id);
        int64_t total;
        if (!m)
            break;
        total = node_base_ns(n, m, now);
        for (; j < k && cl[j].node <= n->id; j++)
            if (cl[j].node == n->id)
                total += cpu_at(cl[j].u, now);
        m->snap_at[0] = m->snap_at[1];
        m->snap_ns[0] = m->snap_ns[1];
        m->snap_at[1] = now;
        m->snap_ns[1] = total;
    }
    ks_mem_free(&sim->alloc, cl, cap * sizeof *cl);
}

static void share_tick(ks_sim *sim, void *subject, uint64_t arg)
{
    ksi_usage_state *st = subject;
    (void)arg;
    st->tick = 0;
    rebalance(sim);
    if (ks_now(sim) - st->last_work < SHARE_TICK)
        st->tick = ks_event_after(sim, SHARE_TICK, KS_PRIO_DEFAULT, share_tick, st, 0);
}

/* ---- work ------------------------------------------------------------------------------ */
ks_time ksi_usage_work(ks_sim *sim, ksi_pod *p, size_t c, ks_time cost)
{
    ksi_usage *u = ksi_workload_usage(p, c);
    ksi_usage_state *st = sim->cluster->usage;
    ks_time now = ks_now(sim);
    int64_t need;
    if (!u || cost <= 0)
        return 0;
    advance(u, now);
    need = cost * 1000;                      /* CPU-us to CPU-ns */
    u->tokens -= need;
    u->work_ns += need;
    u->demand_us += cost;
    if (st) {
        st->last_work = now;
        if (!ks_event_pending(sim, st->tick))
            st->tick = ks_event_after(sim, SHARE_TICK, KS_PRIO_DEFAULT, share_tick, st, 0);
    }
    if (u->tokens >= 0)
        return 0;
    if (work_rate(u) <= 0)
        return MAX_WAIT;
    /* queued: it runs once the budget is back above zero */
    return (-u->tokens + work_rate(u) - 1) / work_rate(u);
}

uint32_t ksi_usage_connect(ks_sim *sim, ks_id pod, size_t c, uint32_t gen, int delta)
{
    ksi_pod *p = ksi_pod_get(sim, pod);
    ksi_usage *u = p && c < p->pub.ncontainers ? ksi_workload_usage(p, c) : NULL;
    if (!u || (delta < 0 && u->gen != gen))
        return 0;
    u->inflight += delta;
    if (delta < 0) {
        remeter(sim, p, c, u);
        return u->gen;
    }
    return ksi_usage_check(sim, p, c) ? u->gen : 0;
}

/* ---- readings ------------------------------------------------------------------------------ */
static void read_process(const ks_sim *sim, const ksi_usage *u, ks_usage *out)
{
    ks_time now = ks_now(sim);
    int64_t tokens = tokens_at(u, now);
    memset(out, 0, sizeof *out);
    out->started = u->started;
    out->cpu_ns = cpu_at(u, now);
    out->cpu_recent = now > u->snap_at[0]
                          ? (out->cpu_ns - u->snap_ns[0]) / (now - u->snap_at[0]) : 0;
    out->memory = u->memory;
    out->queued_ns = tokens < 0 ? -tokens : 0;
    out->rate = u->rate;
}

bool ks_usage_container(const ks_sim *sim, ks_id pod, size_t c, ks_usage *out)
{
    const ksi_pod *p = ksi_pod_get(sim, pod);
    const ksi_usage *u = p && c < p->pub.ncontainers + p->pub.ninit ? ksi_workload_usage(p, c)
                                                                     : NULL;
    if (!u)
        return false;
    read_process(sim, u, out);
    return true;
}

bool ks_usage_pod(const ks_sim *sim, ks_id pod, ks_usage *out)
{
    const ksi_pod *p = ksi_pod_get(sim, pod);
    bool any = false;
    size_t c;
    memset(out, 0, sizeof *out);
    for (c = 0; p && c < p->pub.ncontainers + p->pub.ninit; c++) {
        ks_usage one;
        if (!ks_usage_container(sim, pod, c, &one))
            continue;
        if (!any || one.started < out->started)
            out->started = one.started;
        out->cpu_ns += one.cpu_ns;
        out->cpu_recent += one.cpu_recent;
        out->memory += one.memory;
        out->queued_ns += one.queued_ns;
        out->rate += one.rate;
        any = true;
    }
    return any;
}

bool ks_usage_node(const ks_sim *sim, ks_id node, ks_usage *out)
{
    const ks_node *n = ks_cluster_node(sim, node);
    const node_meter *m = find_meter(sim, node);
    ks_time now = ks_now(sim);
    ks_id id = 0;
    memset(out, 0, sizeof *out);
    if (!n || n->down)
        return false;
    out->started = n->created;
    out->cpu_ns = node_base_ns(n, m, now);
    out->memory = ksi_usage_node_memory(sim, node);
    out->rate = n->cpu;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        ks_usage pu;
        if (p->node == node && ks_usage_pod(sim, id, &pu)) {
            out->cpu_ns += pu.cpu_ns;
            out->queued_ns += pu.queued_ns;
        }
    }
    /* over the last tick or two; before any reading, since the node started */
    if (m && m->snap_ns[0] >= 0 && now > m->snap_at[0])
        out->cpu_recent = (out->cpu_ns - m->snap_ns[0]) / (now - m->snap_at[0]);
    else if (now > n->created)
        out->cpu_recent = out->cpu_ns / (now - n->created);
    else
        out->cpu_recent = SYSTEM_CPU_MILLI;
    return true;
}
