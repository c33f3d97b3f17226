/* internal/usage.h -- what a running process uses (ks_usage.c), kept inside
 * the process (ks_container.c) and driven by the work the network hands it
 * (net/): CPU time per request and per job, memory per connection and per
 * record, and the CPU it is allowed (its limit, its threads, its share of
 * the node). */
#ifndef KSI_USAGE_H
#define KSI_USAGE_H

#include "cluster/internal/cluster.h"

/* One process's meters. CPU is a budget in CPU-nanoseconds refilled at
 * `rate` (CFS bandwidth control: a quota per 100 ms period); work beyond it
 * waits, first come first served. */
typedef struct ksi_usage {
    uint32_t gen;                 /* which process this is (never reused) */
    ks_time started;              /* the process started: counters count from here */
    ks_time at;                   /* tokens and bg_ns are up to date at this instant */
    int64_t bg_ns;                /* CPU its background work used, up to `at` */
    int64_t work_ns;              /* CPU charged for requests and jobs (done or queued) */
    int64_t tokens;               /* CPU-ns it may use at once; < 0: queued work */
    int64_t rate;                 /* millicores it gets now (limit, threads, node share) */
    int64_t idle;                 /* millicores its background work wants */
    int64_t held;                 /* bytes it holds whatever happens (base, stress) */
    int inflight;                 /* requests it is serving */
    int64_t memory;               /* its working set, as last computed */
    size_t meter;                 /* its node's meter (an index, stable) */
    int64_t demand_us;            /* work charged since the node's last share tick */
    ks_time snap_at[2];           /* two readings of its CPU counter, a tick */
    int64_t snap_ns[2];           /* apart, for "CPU over the last second or two" */
} ksi_usage;

/* A process starts (u zeroed by the caller): its base memory, background
 * CPU, and share of the node. */
void ksi_usage_start(ks_sim *sim, ksi_pod *p, size_t c, ksi_usage *u);
/* Its process ends: the node keeps the CPU it used (cumulative counters
 * only grow). */
void ksi_usage_stop(ks_sim *sim, ksi_pod *p, size_t c, ksi_usage *u);
/* Stress: it now holds bytes more and wants milli more millicores (its
 * arguments, once allocated). Returns false when that killed it (OOM). */
bool ksi_usage_grow(ks_sim *sim, ksi_pod *p, size_t c, int64_t bytes, int64_t milli);

/* Charges cost of CPU work to container c of p now. Returns how long the
 * work waits for CPU before it runs (0 while it is within its budget); the
 * work's own run time is part of the catalog's latency. */
ks_time ksi_usage_work(ks_sim *sim, ksi_pod *p, size_t c, ks_time cost);
/* A connection opens (+1) or closes (-1): memory per connection. Opening
 * returns the process's generation, or 0 when the memory it took got the
 * process OOMKilled. Closing with a generation that is no longer running
 * does nothing. */
uint32_t ksi_usage_connect(ks_sim *sim, ks_id pod, size_t c, uint32_t gen, int delta);
/* Recomputes container c's memory (its records changed) and kills it when
 * it is over its limit. false when it was killed. */
bool ksi_usage_check(ks_sim *sim, ksi_pod *p, size_t c);
/* The running process's generation (0: none). */
uint32_t ksi_usage_gen(const ksi_pod *p, size_t c);
/* A node's working set: its own processes and every container there (O(1)). */
int64_t ksi_usage_node_memory(const ks_sim *sim, ks_id node);
/* Who hears that a node's working set grew: the kernel may have to kill
 * (node OOM) and the kubelet's eviction manager may have to look
 * (ks_eviction.c registers). A hook, not a call, so that the meters need
 * not know the manager, which reads them. */
typedef void (*ksi_memory_fn)(ks_sim *sim, ks_id node);
int ksi_usage_watch_memory(ks_sim *sim, ksi_memory_fn fn);

#endif
