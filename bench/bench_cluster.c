/* bench_cluster.c -- the cluster's figures (README "Figures"):
 *
 *   bench_cluster pods [NODES=500] [PODS=5000]
 *       Deployments of 50 replicas on NODES nodes, until every pod runs:
 *       wall time, and memory per pod.
 *   bench_cluster app [SECONDS=3600] [RATE=1000]
 *       The course app (client x3, server x3, worker, redis, postgres with a
 *       claim, the course Ingress) under RATE requests/s for SECONDS of
 *       simulated time: wall time, speed-up over real time, memory.
 *
 * Needs the default catalog: run from the source tree or set KUBESIM_ASSETS.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load/ks_catalog.h"
#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "load/ks_manifest.h"
#include "net/ks_traffic.h"
#include "world/ks_world.h"

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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
    char path[512];
    ks_sim *sim;
    cfg.seed = 1;
    cfg.alloc.fn = count_alloc;
    cfg.alloc.ud = cnt;
    sim = ks_sim_create(&cfg);
    ks_diags_init(&d);
    snprintf(path, sizeof path, "%s/images.yaml", assets ? assets : KS_ASSETS_DIR);
    if (!sim || ks_catalog_load_file(ar, path, cat, &d) != KS_OK) {
        fprintf(stderr, "bench_cluster: cannot load the catalog %s\n", path);
        exit(1);
    }
    cc.catalog = *cat;
    if (nodes_yaml) {
        ks_manifest_load_text(ar, "nodes.yaml", nodes_yaml, strlen(nodes_yaml), 1, 1, NULL, &m,
                              &d);
        cc.nodes = (const ks_object *const *)m.objs;
        cc.nnodes = m.n;
    }
    if (ks_world_init(sim, &cc) != KS_OK) {
        fprintf(stderr, "bench_cluster: cluster init failed\n");
        exit(1);
    }
    return sim;
}

static void apply_text(ks_sim *sim, const char *text)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_manifests m = {0};
    size_t i;
    ks_diags_init(&d);
    if (ks_manifest_load_text(ar, "bench.yaml", text, strlen(text), 1, 1, NULL, &m, &d)
        != KS_OK) {
        char buf[512];
        ks_diag_format(&d, 0, buf, sizeof buf);
        fprintf(stderr, "bench_cluster: %s\n", buf);
        exit(1);
    }
    for (i = 0; i < m.n; i++) {
        ks_apply_result res;
        ks_cluster_apply(sim, m.objs[i], &res, NULL);
    }
    ks_cluster_keep_arena(sim, ar);
}

static int count_running(ks_sim *sim)
{
    ks_id id = 0;
    int n = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0)
        n += strcmp(ks_cluster_pod(sim, id)->status, "Running") == 0;
    return n;
}

static int bench_pods(int nodes, int pods)
{
    counting cnt = {0};
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *cat;
    char *yaml = malloc((size_t)nodes * 128 + 1), *p = yaml;
    size_t before;
    double t0, t1;
    int i, deployments = pods / 50, running = 0;
    ks_sim *sim;
    ks_time t = 0;
    for (i = 0; i < nodes; i++)
        p += sprintf(p, "apiVersion: v1\nkind: Node\nmetadata: {name: node-%d}\n"
                        "status: {allocatable: {cpu: '8', memory: 32Gi}}\n---\n", i + 1);
    sim = setup(&cnt, ar, yaml, &cat);
    before = cnt.live;
    t0 = wall();
    for (i = 0; i < deployments; i++) {
        char d[1024];
        snprintf(d, sizeof d,
                 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-%d}\nspec:\n"
                 "  replicas: 50\n  selector: {matchLabels: {app: app-%d}}\n  template:\n"
                 "    metadata: {labels: {app: app-%d}}\n    spec:\n      containers:\n"
                 "        - name: web\n          image: nginx\n"
                 "          resources: {requests: {cpu: 50m, memory: 64Mi}}\n", i, i, i);
        apply_text(sim, d);
    }
    /* until every pod runs (the control plane and kubelets all included) */
    while (running < deployments * 50 && t < 10 * KS_MIN) {
        t += 500 * KS_MSEC;
        ks_run_until(sim, t);
        running = count_running(sim) - 1;          /* minus the ingress controller */
    }
    t1 = wall();
    printf("pods=%d nodes=%d running=%d sim_time=%.1fs wall=%.3fs events=%llu "
           "memory=%.1fMB bytes_per_pod=%zu\n", deployments * 50, nodes, running,
           (double)t / 1e6, t1 - t0, (unsigned long long)ks_event_dispatched(sim),
           (double)(cnt.live - before) / 1e6,
           running ? (cnt.live - before) / (size_t)running : 0);
    ks_sim_destroy(sim);
    ks_arena_destroy(ar);
    free(yaml);
    return running == deployments * 50 ? 0 : 1;
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
    apply_text(sim, course_app);
    ks_run_until(sim, 30 * KS_SEC);                 /* pulled and started */
    for (i = 0; i < 3; i++) {
        memset(&t[i], 0, sizeof t[i]);
        t[i].to.kind = KS_SCN_TO_INGRESS;
        t[i].method = methods[i];
        t[i].path = paths[i];
        t[i].rate_milli = (int64_t)rate * share[i] * 10;
        t[i].rate_period = KS_SEC;
        ks_traffic_start(sim, &t[i]);
    }
    t0 = wall();
    ks_run_until(sim, 30 * KS_SEC + (ks_time)seconds / 2 * KS_SEC);
    mem_mid = cnt.live;
    ks_run_until(sim, 30 * KS_SEC + (ks_time)seconds * KS_SEC);
    t1 = wall();
    ks_traffic_stats(sim, NULL, NULL, 0, 0, &s);
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
    if (strcmp(mode, "pods") == 0)
        return bench_pods(argc > 2 ? atoi(argv[2]) : 500, argc > 3 ? atoi(argv[3]) : 5000);
    if (strcmp(mode, "app") == 0)
        return bench_app(argc > 2 ? atoi(argv[2]) : 3600, argc > 3 ? atoi(argv[3]) : 1000);
    fprintf(stderr, "usage: bench_cluster pods [NODES] [PODS] | app [SECONDS] [RATE]\n");
    return 2;
}
