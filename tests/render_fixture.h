/* render_fixture.h -- simulations for the window's tests and benchmark: a
 * create callback (kr_app_config.create) that builds a fresh sim from the
 * default catalog, a node list and manifests given as YAML text, the same
 * every call (kr_app re-creates the sim to restart and to jump back).
 * The catalog and the nodes are loaded once and shared by every sim made. */
#ifndef KS_RENDER_FIXTURE_H
#define KS_RENDER_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/ks_catalog.h"
#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "load/ks_manifest.h"
#include "world/ks_world.h"

typedef struct rfix {
    ks_arena *ar;                    /* catalog and nodes, shared */
    ks_catalog *catalog;
    const ks_object *nodes[512];
    size_t nnodes;
    const char *yaml;                /* manifests applied at t = 0 */
    uint64_t seed;
    void (*setup)(ks_sim *sim, void *ud);   /* more events to schedule */
    void *setup_ud;
} rfix;

/* nodes: a YAML stream of Node objects, or NULL for one default node.
 * Returns 0, or -1 (with a message) when the catalog or nodes fail. */
static inline int rfix_init(rfix *f, const char *assets, const char *nodes, const char *yaml,
                            uint64_t seed)
{
    ks_diags d;
    ks_manifests m = {0};
    char path[1024];
    size_t i;
    memset(f, 0, sizeof *f);
    f->ar = ks_arena_create(NULL);
    f->yaml = yaml;
    f->seed = seed;
    ks_diags_init(&d);
    snprintf(path, sizeof path, "%s/images.yaml", assets);
    if (!f->ar || ks_catalog_load_file(f->ar, path, &f->catalog, &d) != KS_OK) {
        fprintf(stderr, "rfix: cannot load %s\n", path);
        return -1;
    }
    if (nodes) {
        ks_manifest_load_text(f->ar, "nodes.yaml", nodes, strlen(nodes), 1, 1, NULL, &m, &d);
        if (d.errors) {
            fprintf(stderr, "rfix: bad node list\n");
            return -1;
        }
        for (i = 0; i < m.n && i < 512; i++)
            f->nodes[i] = m.objs[i];
        f->nnodes = i;
    }
    return 0;
}

static inline void rfix_fini(rfix *f)
{
    ks_arena_destroy(f->ar);
}

static inline ks_sim *rfix_create(void *ud)
{
    rfix *f = ud;
    ks_sim_config cfg = {0};
    ks_world_config cc = {0};
    ks_sim *sim;
    ks_arena *ar;
    ks_diags d;
    ks_manifests m = {0};
    size_t i;
    cfg.seed = f->seed;
    sim = ks_sim_create(&cfg);
    if (!sim)
        return NULL;
    cc.catalog = f->catalog;
    cc.nodes = f->nnodes ? f->nodes : NULL;
    cc.nnodes = f->nnodes;
    if (ks_world_init(sim, &cc) != KS_OK) {
        ks_sim_destroy(sim);
        return NULL;
    }
    ar = ks_arena_create(NULL);
    ks_diags_init(&d);
    if (f->yaml)
        ks_manifest_load_text(ar, "lesson.yaml", f->yaml, strlen(f->yaml), 1, 1, NULL, &m, &d);
    for (i = 0; i < m.n; i++) {
        ks_apply_result res;
        ks_error e;
        if (ks_cluster_apply(sim, m.objs[i], &res, &e) != KS_OK)
            fprintf(stderr, "rfix: apply: %s\n", e.msg);
    }
    ks_cluster_keep_arena(sim, ar);
    if (f->setup)
        f->setup(sim, f->setup_ud);
    return sim;
}

/* Node objects: n nodes named node-1..node-n with room for many pods. */
static inline char *rfix_nodes_yaml(int n)
{
    char *y = malloc((size_t)n * 160 + 1);
    size_t len = 0;
    int i;
    if (!y)
        return NULL;
    y[0] = '\0';
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(y + len,
                               "%sapiVersion: v1\nkind: Node\nmetadata: {name: node-%d}\n"
                               "status: {allocatable: {cpu: '400', memory: 800Gi, pods: '2000'}}\n",
                               i ? "---\n" : "", i + 1);
    return y;
}

#endif
