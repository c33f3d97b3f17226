/* bench_cluster.c -- the cluster's figures (README "Figures"):
 *
 *   bench_cluster pods
 *       The series 500 / 5,000 / 20,000 / 100,000 pods (on a tenth as many
 *       nodes): each size's time until every pod runs, and the growth
 *       exponent between sizes (log(time ratio) / log(size ratio); 1 is
 *       linear, 2 quadratic).
 *   bench_cluster pods NODES PODS
 *       One size: Deployments of 50 replicas on NODES nodes, until every pod
 *       runs: wall and CPU time, memory.
 *   bench_cluster app [SECONDS=3600] [RATE=1000]
 *       The course app (client x3, server x3, worker, redis, postgres with a
 *       claim, the course Ingress) under RATE requests/s for SECONDS of
 *       simulated time: wall time, speed-up over real time, memory.
 *
 * Every set-up step is checked: a size that cannot be run (a manifest the
 * loader refuses, pods that do not all reach Running) is a message on
 * stderr and exit status 1, never a figure. Needs the default catalog: run
 * from the source tree or set KUBESIM_ASSETS.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "load/ks_catalog.h"
#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "load/ks_manifest.h"
#include "net/ks_traffic.h"
#include "world/ks_world.h"
#include "bench_clock.h"

#define REPLICAS 50               /* pods per Deployment */
#define MAX_PODS_PER_NODE 110     /* the kubelet's default maxPods */

static double cpu(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }

/* The process's peak resident memory, MB. */
static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("bench_cluster: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* The first message of d, for a failed load. */
static const char *first_diag(const ks_diags *d, char *buf, size_t n)
{
    if (!d->n)
        return "no message";
    ks_diag_format(d, 0, buf, n);
    return buf;
}

/* An allocator that counts live bytes (the sim's whole footprint). */
typedef struct counting {
    size_t live, peak;
} counting;

static void *count_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    counting *c = ud;
    if (ptr)
        c->live -= osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    ptr = realloc(ptr, nsize);
    if (ptr) {
        c->live += nsize;
        if (c->live > c->peak)
            c->peak = c->live;
    } else if (osize) {
        c->live += osize;
    }
    return ptr;
}

static ks_sim *setup(counting *cnt, ks_arena *ar, const char *nodes_yaml, ks_catalog **cat)
{
    ks_sim_config cfg = {0};
    ks_world_config cc = {0};
    ks_diags d;
    ks_manifests m = {0};
    const char *assets = getenv("KUBESIM_ASSETS");
    char path[512], why[512];
    ks_sim *sim;
    cfg.seed = 1;
    cfg.alloc.fn = count_alloc;
    cfg.alloc.ud = cnt;
    sim = ks_sim_create(&cfg);
    ks_diags_init(&d);
    snprintf(path, sizeof path, "%s/images.yaml", assets ? assets : KS_ASSETS_DIR);
    if (!sim)
        die("cannot create the simulation (out of memory)");
    if (ks_catalog_load_file(ar, path, cat, &d) != KS_OK)
        die("cannot load the catalog %s: %s (run from the source tree or set "
            "KUBESIM_ASSETS)", path, first_diag(&d, why, sizeof why));
    cc.catalog = *cat;
    if (nodes_yaml) {
        if (ks_manifest_load_text(ar, "nodes.yaml", nodes_yaml, strlen(nodes_yaml), 1, 1, NULL,
                                  &m, &d) != KS_OK)
            die("the node manifest does not load: %s", first_diag(&d, why, sizeof why));
        cc.nodes = (const ks_object *const *)m.objs;
        cc.nnodes = m.n;
    }
    if (ks_world_init(sim, &cc) != KS_OK)
        die("cluster init failed (%s)", ks_error_code_name(ks_sim_status(sim)));
    return sim;
}

static void apply_text(ks_sim *sim, const char *text)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_manifests m = {0};
    size_t i;
    char why[512];
    ks_diags_init(&d);
    if (!ar)
        die("out of memory");
    if (ks_manifest_load_text(ar, "bench.yaml", text, strlen(text), 1, 1, NULL, &m, &d)
        != KS_OK)
        die("a manifest does not load: %s", first_diag(&d, why, sizeof why));
    for (i = 0; i < m.n; i++) {
        ks_apply_result res;
        ks_error err;
        memset(&err, 0, sizeof err);
        if (ks_cluster_apply(sim, m.objs[i], &res, &err) != KS_OK)
            die("apply %s/%s failed: %s", ks_kind_name(m.objs[i]->kind), m.objs[i]->meta.name,
                err.msg[0] ? err.msg : ks_error_code_name(ks_sim_status(sim)));
    }
    ks_cluster_keep_arena(sim, ar);
}

/* Running pods of the bench's Deployments (app-N-...), and the first one
 * that is not, for the message when they do not all get there. */
static int count_running(ks_sim *sim, ks_id *not_running)
{
    ks_id id = 0;
    int n = 0;
    *not_running = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        if (strncmp(p->name, "app-", 4) != 0)
            continue;
        if (strcmp(p->status, "Running") == 0)
            n++;
        else if (!*not_running)
            *not_running = id;
    }
    return n;
}

typedef struct pods_result {
    double wall, cpu, sim_mb, rss_mb;
    unsigned long long events;
} pods_result;

/* One size; dies with a message when it cannot be run as asked. */
static pods_result bench_pods(int nodes, int pods)
{
    counting cnt = {0};
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *cat;
    char *yaml, *p;
    size_t before;
    double t0, c0;
    int i, deployments = pods / REPLICAS, running = 0;
    ks_id stuck = 0;
    ks_sim *sim;
    ks_time t = 0;
    pods_result res;
    if (nodes < 1 || pods < REPLICAS || pods % REPLICAS != 0)
        die("cannot run %d pods on %d nodes: pods come in Deployments of %d replicas (give a "
            "multiple of %d) and at least one node is needed", pods, nodes, REPLICAS, REPLICAS);
    if ((long long)pods > (long long)nodes * MAX_PODS_PER_NODE)
        die("cannot run %d pods on %d nodes: a node takes at most %d pods (the kubelet's "
            "maxPods); give at least %d nodes", pods, nodes, MAX_PODS_PER_NODE,
            (pods + MAX_PODS_PER_NODE - 1) / MAX_PODS_PER_NODE);
    if (!ar || !(yaml = malloc((size_t)nodes * 128 + 1)))
        die("out of memory");
    for (p = yaml, i = 0; i < nodes; i++)
        p += sprintf(p, "apiVersion: v1\nkind: Node\nmetadata: {name: node-%d}\n"
                        "status: {allocatable: {cpu: '8', memory: 32Gi}}\n---\n", i + 1);
    sim = setup(&cnt, ar, yaml, &cat);
    before = cnt.live;
    t0 = bench_wall();
    c0 = cpu();
    for (i = 0; i < deployments; i++) {
        char d[1024];
        snprintf(d, sizeof d,
                 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-%d}\nspec:\n"
                 "  replicas: %d\n  selector: {matchLabels: {app: app-%d}}\n  template:\n"
                 "    metadata: {labels: {app: app-%d}}\n    spec:\n      containers:\n"
                 "        - name: web\n          image: nginx\n"
                 "          resources: {requests: {cpu: 50m, memory: 64Mi}}\n", i, REPLICAS,
                 i, i);
        apply_text(sim, d);
    }
    /* until every pod runs (the control plane and kubelets all included) */
    while (running < pods && t < 10 * KS_MIN && ks_sim_status(sim) == KS_OK) {
        t += 500 * KS_MSEC;
        ks_run_until(sim, t);
        running = count_running(sim, &stuck);
    }
    res.wall = bench_wall() - t0;
    res.cpu = cpu() - c0;
    res.events = (unsigned long long)ks_event_dispatched(sim);
    res.sim_mb = (double)(cnt.peak - before) / 1e6;
    res.rss_mb = peak_rss_mb();
    if (ks_sim_status(sim) != KS_OK)
        die("%d pods on %d nodes: the simulation failed (%s)", pods, nodes,
            ks_error_code_name(ks_sim_status(sim)));
    if (running != pods) {
        const ks_pod *sp = ks_cluster_pod(sim, stuck);
        die("%d pods on %d nodes: only %d Running after %.0f s simulated; e.g. %s is %s%s%s",
            pods, nodes, running, (double)t / 1e6, sp ? sp->name : "?",
            sp ? sp->status : "gone", sp && sp->pending_reason[0] ? ": " : "",
            sp ? sp->pending_reason : "");
    }
    printf("pods=%d nodes=%d running=%d sim_time=%.1fs wall=%.3fs cpu=%.3fs events=%llu "
           "sim_memory=%.1fMB bytes_per_pod=%zu peak_rss=%.1fMB\n", pods, nodes, running,
           (double)t / 1e6, res.wall, res.cpu, res.events, res.sim_mb,
           (size_t)((double)(cnt.peak - before) / running), res.rss_mb);
    fflush(stdout);
    ks_sim_destroy(sim);
    ks_arena_destroy(ar);
    free(yaml);
    return res;
}

/* The series, smallest first, with the growth exponent between sizes. */
static int bench_pods_series(void)
{
    static const int sizes[] = {500, 5000, 20000, 100000};
    pods_result r[4];
    size_t i;
    for (i = 0; i < 4; i++) {
        r[i] = bench_pods(sizes[i] / 10, sizes[i]);
        if (i > 0) {
            double k = log((double)sizes[i] / sizes[i - 1]);
            printf("growth %d -> %d pods: exponent %.2f (cpu), %.2f (wall)\n", sizes[i - 1],
                   sizes[i], log(r[i].cpu / r[i - 1].cpu) / k, log(r[i].wall / r[i - 1].wall) / k);
            fflush(stdout);
        }
    }
    printf("growth 500 -> 100000 pods: exponent %.2f (cpu), %.2f (wall)\n",
           log(r[3].cpu / r[0].cpu) / log(200.0), log(r[3].wall / r[0].wall) / log(200.0));
    return 0;
}

static const char course_app[] =
#include "course_app.inc"
    ;

static int bench_app(int seconds, int rate)
{
    counting cnt = {0};
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *cat;
    ks_sim *sim = setup(&cnt, ar, NULL, &cat);
    ks_scn_traffic t[3];
    static const char *const paths[3] = {"/api/values", "/api/values/all", "/"};
    static const char *const methods[3] = {"POST", "GET", "GET"};
    static const int share[3] = {40, 30, 30};
    ks_req_stats s;
    size_t mem_mid = 0;
    double t0, t1;
    int i;
    if (seconds < 1 || rate < 1)
        die("app: SECONDS and RATE must be at least 1 (got %d and %d)", seconds, rate);
    apply_text(sim, course_app);
    ks_run_until(sim, 30 * KS_SEC);                 /* pulled and started */
    if (ks_sim_status(sim) != KS_OK)
        die("app: the simulation failed while starting (%s)",
            ks_error_code_name(ks_sim_status(sim)));
    for (i = 0; i < 3; i++) {
        memset(&t[i], 0, sizeof t[i]);
        t[i].to.kind = KS_SCN_TO_INGRESS;
        t[i].method = methods[i];
        t[i].path = paths[i];
        t[i].rate_milli = (int64_t)rate * share[i] * 10;
        t[i].rate_period = KS_SEC;
        if (ks_traffic_start(sim, &t[i]) != KS_OK)
            die("app: cannot start the traffic (%s)", ks_error_code_name(ks_sim_status(sim)));
    }
    t0 = bench_wall();
    ks_run_until(sim, 30 * KS_SEC + (ks_time)seconds / 2 * KS_SEC);
    mem_mid = cnt.live;
    ks_run_until(sim, 30 * KS_SEC + (ks_time)seconds * KS_SEC);
    t1 = bench_wall();
    if (ks_sim_status(sim) != KS_OK)
        die("app: the simulation failed (%s)", ks_error_code_name(ks_sim_status(sim)));
    ks_traffic_stats(sim, NULL, NULL, 0, 0, &s);
    if (s.count == 0 || s.ok * 100 < s.count * 99)
        die("app: the course app did not serve its traffic (%llu requests, %llu ok): the "
            "figures would not mean anything", (unsigned long long)s.count,
            (unsigned long long)s.ok);
    printf("sim_seconds=%d rate=%d/s requests=%llu ok=%.2f%% p50=%lldus p99=%lldus wall=%.2fs "
           "speedup=%.0fx events=%llu events_per_s=%.0f memory_half=%.1fMB memory_end=%.1fMB "
           "peak=%.1fMB\n", seconds, rate, (unsigned long long)s.count,
           s.count ? 100.0 * (double)s.ok / (double)s.count : 0.0, (long long)s.p50,
           (long long)s.p99, t1 - t0, (double)seconds / (t1 - t0),
           (unsigned long long)ks_event_dispatched(sim),
           (double)ks_event_dispatched(sim) / (t1 - t0), (double)mem_mid / 1e6,
           (double)cnt.live / 1e6, (double)cnt.peak / 1e6);
    ks_sim_destroy(sim);
    ks_arena_destroy(ar);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "pods";
    if (strcmp(mode, "pods") == 0 && argc <= 2)
        return bench_pods_series();
    if (strcmp(mode, "pods") == 0 && argc == 4) {
        bench_pods(atoi(argv[2]), atoi(argv[3]));
        return 0;
    }
    if (strcmp(mode, "app") == 0)
        return bench_app(argc > 2 ? atoi(argv[2]) : 3600, argc > 3 ? atoi(argv[3]) : 1000);
    fprintf(stderr, "usage: bench_cluster pods [NODES PODS] | app [SECONDS] [RATE]\n");
    return 2;
}
