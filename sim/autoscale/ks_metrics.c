/* ks_metrics.c -- the metrics-server addon's pipeline: while its pod runs,
 * it scrapes every node's kubelet once per resolution (the first time as it
 * starts, as its scrape loop does: pkg/server/server.go runScrape ticks at
 * once, then on a ticker) and stores, per container and per node, the last
 * reading and the one before (pkg/storage/pod.go, node.go Store):
 *   - a container that restarted since the last reading starts over;
 *   - a fresh container, started 10 s (freshContainerMinMetricsResolution)
 *     to one resolution before the reading, gets a synthetic first reading
 *     at its start with zero CPU, so it shows up after one scrape;
 *   - a value is the CPU counter's rate between the two readings (the
 *     window) and the working set of the newer (types.go resourceUsage).
 * Its storage lives in its process: when the pod stops, the points go.
 * The API is served while the pod is ready. The kubelet's own readings are
 * taken at the instant of the scrape, of every container running then: the
 * app containers and the init containers that run (sidecars, and an init
 * container while it runs), as its resource metrics endpoint lists a pod's
 * running containers (pkg/kubelet/metrics/collectors/resource_metrics.go
 * over the stats provider's pod stats; cri_stats_provider.go drops the
 * terminated ones: removeTerminatedContainers).
 */
#include "ks_metrics.h"

#include <string.h>

#include "cluster/internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"
#include "node/ks_usage.h"

#define FRESH_MIN (10 * KS_SEC)           /* freshContainerMinMetricsResolution */
#define ADDON_NS "kube-system"
#define ADDON_LABEL "k8s-app"
#define ADDON_VALUE "metrics-server"

typedef struct point {
    ks_time start, at;
    int64_t cpu_ns, memory;
} point;

typedef struct series {
    ks_id id;                         /* pod or node */
    uint32_t c;                       /* container index (pods) */
    point last, prev;
    bool has_prev;
} series;

typedef struct series_set {
    series *items;                    /* sorted by (id, c) */
    size_t n, cap;
} series_set;

typedef struct ksi_metrics {
    series_set pods, nodes;
    ks_event_id tick;
    bool running, ready;
} ksi_metrics;

static ksi_metrics *server_of(const ks_sim *sim);

/* ---- storage -------------------------------------------------------------------------- */
/* The first series at or after (id, c). */
static size_t lower(const series_set *s, ks_id id, uint32_t c)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const series *m = &s->items[mid];
        if (m->id < id || (m->id == id && m->c < c))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const series *find(const series_set *s, ks_id id, uint32_t c)
{
    size_t i = lower(s, id, c);
    return i < s->n && s->items[i].id == id && s->items[i].c == c ? &s->items[i] : NULL;
}

static void set_free(ks_sim *sim, series_set *s)
{
    ks_mem_free(&sim->alloc, s->items, s->cap * sizeof *s->items);
    memset(s, 0, sizeof *s);
}

/* Store(): the new reading becomes `last`; `prev` is the old `last` when
 * the container did not restart in between, or a synthetic start reading
 * for a fresh container. */
static void store(series *to, const series *old, const point *p, bool fresh_rule)
{
    memset(to, 0, sizeof *to);
    to->last = *p;
    if (fresh_rule && p->start < p->at && p->at - p->start < KS_METRICS_RESOLUTION
        && p->at - p->start >= FRESH_MIN) {
        to->prev = *p;
        to->prev.at = p->start;
        to->prev.cpu_ns = 0;
        to->has_prev = true;
    } else if (old && p->start < old->last.at) {
        if (p->at > old->last.at) {
            to->prev = old->last;
            to->has_prev = true;
        } else if (old->has_prev && old->prev.at < p->at) {
            to->prev = old->prev;
            to->has_prev = true;
        }
    }
}

static bool add(ks_sim *sim, series_set *s, ks_id id, uint32_t c, const series_set *old,
                const point *p, bool fresh_rule)
{
    if (ksi_grow(sim, (void **)&s->items, &s->cap, s->n + 1, sizeof *s->items))
        return false;
    store(&s->items[s->n], find(old, id, c), p, fresh_rule);
    s->items[s->n].id = id;
    s->items[s->n].c = c;
    s->n++;
    return true;
}

/* One scrape of every kubelet. Pods and nodes are walked in id order, so
 * the new sets come out sorted. */
static void scrape(ks_sim *sim, ksi_metrics *ms)
{
    series_set pods = {0}, nodes = {0};
    ks_time now = ks_now(sim);
    ks_id id = 0;
    size_t i;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        const ks_node *n = ks_cluster_node(sim, p->node);
        size_t c;
        if (!n || n->down)
            continue;                      /* its kubelet does not answer */
        for (c = 0; c < p->ncontainers + p->ninit; c++) {     /* sidecars too */
            ks_usage u;
            point pt;
            if (!ks_usage_container(sim, id, c, &u))
                continue;
            pt.start = u.started;
            pt.at = now;
            pt.cpu_ns = u.cpu_ns;
            pt.memory = u.memory;
            if (!add(sim, &pods, id, (uint32_t)c, &ms->pods, &pt, true))
                goto fail;
        }
    }
    for (i = 0; i < sim->cluster->nnodes; i++) {
        ks_usage u;
        point pt;
        if (!ks_usage_node(sim, sim->cluster->node_ids[i], &u))
            continue;
        pt.start = u.started;
        pt.at = now;
        pt.cpu_ns = u.cpu_ns;
        pt.memory = u.memory;
        if (!add(sim, &nodes, sim->cluster->node_ids[i], 0, &ms->nodes, &pt, false))
            goto fail;
    }
    set_free(sim, &ms->pods);
    set_free(sim, &ms->nodes);
    ms->pods = pods;
    ms->nodes = nodes;
    return;
fail:
    set_free(sim, &pods);
    set_free(sim, &nodes);
}

static void tick(ks_sim *sim, void *subject, uint64_t arg)
{
    ksi_metrics *ms = subject;
    (void)arg;
    ms->tick = ks_event_after(sim, KS_METRICS_RESOLUTION, KS_PRIO_DEFAULT, tick, ms, 0);
    scrape(sim, ms);
}

/* ---- the addon's pod ---------------------------------------------------------------------- */
static bool is_addon(const ks_pod *p)
{
    const char *v = ks_kvs_get(&p->labels, ADDON_LABEL);
    return strcmp(p->ns, ADDON_NS) == 0 && v && strcmp(v, ADDON_VALUE) == 0;
}

/* Looks at the addon's pods: scraping while one runs, serving while one is
 * ready; a stopped process loses what it held. */
static void review(ks_sim *sim, ksi_metrics *ms)
{
    bool running = false, ready = false;
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        if (!is_addon(p) || p->terminating || !p->ncontainers)
            continue;
        running |= p->containers[0].state == KS_CS_RUNNING;
        ready |= p->ready;
    }
    ms->ready = ready;
    if (running && !ms->running)
        ms->tick = ks_event_after(sim, 0, KS_PRIO_DEFAULT, tick, ms, 0);
    if (!running && ms->running) {
        ks_event_cancel(sim, ms->tick);
        set_free(sim, &ms->pods);
        set_free(sim, &ms->nodes);
    }
    ms->running = running;
}

static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    const ksi_pod *p = ch->obj;
    if (is_addon(&p->pub))
        review(sim, ud);
}

static void stop(ks_sim *sim, void *ud)
{
    ksi_metrics *ms = ud;
    set_free(sim, &ms->pods);
    set_free(sim, &ms->nodes);
}

int ksi_ctl_metrics(ks_sim *sim)
{
    ksi_metrics *ms = ksi_zalloc(sim, sizeof *ms);
    if (!ms || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_POD), on_pod, ms)
        || ksi_sim_add_part(sim, stop, ms))
        return KS_ENOMEM;
    sim->cluster->metrics = ms;
    return KS_OK;
}

static ksi_metrics *server_of(const ks_sim *sim)
{
    return sim->cluster ? sim->cluster->metrics : NULL;
}

/* ---- the API ------------------------------------------------------------------------------ */
ks_metrics_api ks_metrics_state(const ks_sim *sim)
{
    const ksi_metrics *ms = server_of(sim);
    if (!sim->cluster || !sim->cluster->metrics_api)
        return KS_METRICS_ABSENT;
    return ms && ms->ready ? KS_METRICS_SERVING : KS_METRICS_UNAVAILABLE;
}

static bool sample_of(const series *s, ks_metrics_sample *out)
{
    ks_time window;
    int64_t used;
    if (!s || !s->has_prev || s->last.cpu_ns < s->prev.cpu_ns)
        return false;
    window = s->last.at - s->prev.at;
    if (window <= 0)
        return false;
    out->timestamp = s->last.at;
    out->window = window;
    /* CPU-ns per second of window: nanocores (in two steps: no overflow) */
    used = s->last.cpu_ns - s->prev.cpu_ns;
    out->cpu_nano = used / window * 1000000 + used % window * 1000000 / window;
    out->memory = s->last.memory;
    return true;
}

bool ks_metrics_container(const ks_sim *sim, ks_id pod, size_t c, ks_metrics_sample *out)
{
    const ksi_metrics *ms = server_of(sim);
    memset(out, 0, sizeof *out);
    return ks_metrics_state(sim) == KS_METRICS_SERVING
           && sample_of(find(&ms->pods, pod, (uint32_t)c), out);
}

bool ks_metrics_pod(const ks_sim *sim, ks_id pod, ks_metrics_sample *out)
{
    const ksi_metrics *ms = server_of(sim);
    size_t i, k;
    memset(out, 0, sizeof *out);
    if (ks_metrics_state(sim) != KS_METRICS_SERVING)
        return false;
    /* every container of the latest scrape needs both readings; the pod's
       timestamp and window are its earliest container's */
    for (i = lower(&ms->pods, pod, 0), k = 0; i < ms->pods.n && ms->pods.items[i].id == pod;
         i++, k++) {
        ks_metrics_sample one;
        if (!sample_of(&ms->pods.items[i], &one))
            return false;
        if (!k || one.timestamp < out->timestamp) {
            out->timestamp = one.timestamp;
            out->window = one.window;
        }
        out->cpu_nano += one.cpu_nano;
        out->memory += one.memory;
    }
    return k > 0;
}

bool ks_metrics_node(const ks_sim *sim, ks_id node, ks_metrics_sample *out)
{
    const ksi_metrics *ms = server_of(sim);
    memset(out, 0, sizeof *out);
    return ks_metrics_state(sim) == KS_METRICS_SERVING
           && sample_of(find(&ms->nodes, node, 0), out);
}

int64_t ks_metrics_milli(int64_t nano)
{
    return nano <= 0 ? 0 : (nano + 999999) / 1000000;
}
