/* cluster_fixture.h -- a sim with a cluster, for tests: the default catalog,
 * manifests applied from text, and helpers to find pods. */
#ifndef KS_CLUSTER_FIXTURE_H
#define KS_CLUSTER_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "load/ks_catalog.h"
#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "core/ks_strbuf.h"
#include "load/ks_manifest.h"
#include "world/ks_world.h"

typedef struct fixture {
    ks_sim *sim;
    ks_arena *ar;          /* catalog and node manifests */
    ks_catalog *catalog;
} fixture;

/* nodes: a YAML stream of Node objects, or NULL for one default node.
 * Returns KS_OK, or the code of what failed (the catalog's load, the
 * nodes' manifests, the world's init): assert it. */
static inline int __attribute__((warn_unused_result))
fixture_init(fixture *f, uint64_t seed, const char *nodes)
{
    ks_sim_config cfg = {0};
    ks_world_config cc = {0};
    ks_diags d;
    ks_manifests m = {0};
    char path[512];
    const ks_object *objs[16];
    size_t i;
    int rc;
    cfg.seed = seed;
    f->sim = ks_sim_create(&cfg);
    f->ar = ks_arena_create(NULL);
    if (!f->sim || !f->ar)
        return KS_ENOMEM;
    ks_diags_init(&d);
    snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
    if ((rc = ks_catalog_load_file(f->ar, path, &f->catalog, &d)) != KS_OK) {
        fprintf(stderr, "cannot load %s\n", path);
        return rc;
    }
    {
        /* test-only images: one that cannot be pulled; an api storing
           rows of its own table in mysql (test_exec_db_schema.c) */
        static const char extra[] =
            "images:\n  - {match: \"registry.invalid/*\", kind: generic, pullable: false}\n"
            "  - {match: \"example.test/shop*\", kind: api, port: 8080,\n"
            "     uses: {database: {host: DB_HOST, port: DB_PORT, user: DB_USER,\n"
            "                       password: DB_PASSWORD, name: DB_NAME}},\n"
            "     routes: [{method: POST, path: /orders, writes: database}],\n"
            "     stores: {table: orders, columns: [{name: id, type: integer, value: \"{n}\"},\n"
            "              {name: item, value: \"item-{n%3}\"}]}}\n";
        ks_catalog *over;
        if ((rc = ks_catalog_parse(f->ar, "extra.yaml", extra, sizeof extra - 1, &over, &d))
            != KS_OK)
            return rc;
        ks_catalog_with_overrides(f->ar, f->catalog, ks_catalog_get(over, 0),
                                  ks_catalog_count(over), &f->catalog);
    }
    cc.catalog = f->catalog;
    if (nodes) {
        if ((rc = ks_manifest_load_text(f->ar, "nodes.yaml", nodes, strlen(nodes), 1, 1, NULL,
                                        &m, &d)) != KS_OK)
            return rc;
        if (m.n > 16)
            return KS_EINVAL;
        for (i = 0; i < m.n; i++)
            objs[i] = m.objs[i];
        cc.nodes = objs;
        cc.nnodes = m.n;
    }
    return ks_world_init(f->sim, &cc);
}

/* A cluster made as cc says, with the default catalog as it is (set here
 * in cc.catalog), seed 1, the sim allocating through *alloc (NULL: libc's).
 * Returns KS_OK, or the code of the catalog's load or the world's init. */
static inline int fixture_init_world(fixture *f, ks_world_config cc, const ks_allocator *alloc)
{
    ks_sim_config cfg = {0};
    ks_diags d;
    char path[512];
    int rc;
    cfg.seed = 1;
    if (alloc)
        cfg.alloc = *alloc;
    f->sim = ks_sim_create(&cfg);
    f->ar = ks_arena_create(NULL);
    ks_diags_init(&d);
    snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
    if ((rc = ks_catalog_load_file(f->ar, path, &f->catalog, &d)) != KS_OK)
        return rc;
    cc.catalog = f->catalog;
    return ks_world_init(f->sim, &cc);
}

static inline void fixture_fini(fixture *f)
{
    ks_sim_destroy(f->sim);
    ks_arena_destroy(f->ar);
}

/* A one-node cluster (seed 1) and out, an empty buffer for kubectl's output.
 * Returns fixture_init's status: assert it. */
static inline int __attribute__((warn_unused_result))
fixture_init_out(fixture *f, ks_strbuf *out)
{
    ks_strbuf_init(out, NULL);
    return fixture_init(f, 1, NULL);
}

/* Frees what fixture_init_out made. */
static inline void fixture_fini_out(fixture *f, ks_strbuf *out)
{
    ks_strbuf_fini(out);
    fixture_fini(f);
}

/* Applies manifests given as text; returns the number of errors. */
static inline int fixture_apply(fixture *f, const char *yaml)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_manifests m = {0};
    size_t i;
    int errors;
    ks_diags_init(&d);
    ks_manifest_load_text(ar, "t.yaml", yaml, strlen(yaml), 1, 1, NULL, &m, &d);
    errors = d.errors;
    for (i = 0; i < m.n; i++) {
        ks_apply_result res;
        ks_error e;
        if (ks_cluster_apply(f->sim, m.objs[i], &res, &e) != KS_OK)
            errors++;
    }
    ks_cluster_keep_arena(f->sim, ar);
    for (i = 0; (int)i < d.n; i++) {
        char buf[512];
        ks_diag_format(&d, (int)i, buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
    return errors;
}

/* A Job's manifest: name, extra lines of its spec ("  backoffLimit: 2\n"),
 * its pods' restartPolicy, an init container (the inside of a flow mapping:
 * "name: i, image: busybox, ..."; NULL: none) and a busybox container c
 * running script. Returns buf. */
static inline const char *fixture_job_yaml(char *buf, size_t n, const char *name,
                                           const char *extra, const char *policy,
                                           const char *init, const char *script)
{
    snprintf(buf, n,
             "apiVersion: batch/v1\nkind: Job\nmetadata: {name: %s}\nspec:\n%s"
             "  template:\n    spec:\n      restartPolicy: %s\n%s%s%s"
             "      containers:\n"
             "        - name: c\n          image: busybox\n"
             "          command: [sh, -c, \"%s\"]\n",
             name, extra, policy, init ? "      initContainers:\n        - {" : "",
             init ? init : "", init ? "}\n" : "", script);
    return buf;
}

/* Pods (not deleted) whose name starts with prefix. */
static inline int count_pods(fixture *f, const char *prefix, const char *status)
{
    ks_id id = 0;
    int n = 0;
    while ((id = ks_cluster_next(f->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(f->sim, id);
        if (strncmp(p->name, prefix, strlen(prefix)) == 0
            && (!status || strcmp(p->status, status) == 0))
            n++;
    }
    return n;
}

static inline const ks_pod *first_pod(fixture *f, const char *prefix)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(f->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(f->sim, id);
        if (strncmp(p->name, prefix, strlen(prefix)) == 0)
            return p;
    }
    return NULL;
}

static inline void run_to(fixture *f, ks_time t)
{
    ks_run_until(f->sim, t);
}

#endif
