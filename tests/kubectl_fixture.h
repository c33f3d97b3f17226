/* kubectl_fixture.h -- what the kubectl tests (test_kubectl*.c) share: a
 * one-node cluster with kubectl's output buffer, a temporary folder of
 * manifests, kubectl run against the cluster, assertions on its output,
 * and the manifests the tests apply. Include <cmocka.h> first. */
#ifndef KS_KUBECTL_FIXTURE_H
#define KS_KUBECTL_FIXTURE_H

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster_fixture.h"
#include "kubectl/ks_kubectl.h"
#include "world/ks_world.h"

typedef struct tmpdir {
    char path[64];
    char files[16][320];
    int n;
} tmpdir;

static inline void tmp_init(tmpdir *t)
{
    snprintf(t->path, sizeof t->path, "/tmp/kubesim-kubectl-XXXXXX");
    assert_non_null(mkdtemp(t->path));
    t->n = 0;
}

/* Writes dir/name (name may be "sub/file": sub must exist). */
static inline void tmp_write(tmpdir *t, const char *name, const char *text)
{
    char full[256];
    FILE *fp;
    snprintf(full, sizeof full, "%s/%s", t->path, name);
    fp = fopen(full, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    if (t->n < 16)
        snprintf(t->files[t->n++], sizeof t->files[0], "%s", full);
}

static inline void tmp_mkdir(tmpdir *t, const char *name)
{
    char full[256];
    snprintf(full, sizeof full, "%s/%s", t->path, name);
    assert_int_equal(mkdir(full, 0700), 0);
}

static inline void tmp_fini(tmpdir *t, const char *const *dirs)
{
    int i;
    for (i = 0; i < t->n; i++)
        unlink(t->files[i]);
    for (i = 0; dirs && dirs[i]; i++) {
        char full[256];
        snprintf(full, sizeof full, "%s/%s", t->path, dirs[i]);
        rmdir(full);
    }
    rmdir(t->path);
}

/* Runs one command line; out holds only its output. */
static inline int kc(fixture *f, ks_strbuf *out, const char *base, const char *line)
{
    ks_strbuf_clear(out);
    return ks_kubectl_run(f->sim, line, base, out);
}

/* Asserts the whole output, showing both texts when they differ. */
static inline void expect_text(const ks_strbuf *out, const char *want)
{
    if (strcmp(ks_strbuf_str(out), want) != 0)
        fail_msg("output differs.\n--- got:\n%s--- wanted:\n%s---", ks_strbuf_str(out), want);
}

static inline void expect_has(const ks_strbuf *out, const char *part)
{
    if (!strstr(ks_strbuf_str(out), part))
        fail_msg("output lacks \"%s\":\n%s", part, ks_strbuf_str(out));
}

static inline void run_at(fixture *f, double secs)
{
    run_to(f, (ks_time)(secs * KS_SEC));
}

#define POD(name, labels, image)                                                           \
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " name ", labels: " labels "}\n"     \
    "spec: {containers: [{name: web, image: " image ", ports: [{containerPort: 80}]}]}\n"

static const char golden_pods[] =
    POD("web-1", "{app: web}", "nginx") POD("web-2", "{app: web}", "nginx")
    POD("web-3", "{app: web, tier: front}", "nginx")
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: crash, labels: {app: crash}}\nspec:\n"
    "  containers:\n"
    "    - {name: app, image: busybox, command: [sh, -c, 'echo starting; echo boom; exit 1']}\n"
    "---\napiVersion: v1\nkind: Pod\n"
    "metadata: {name: server-5b69b5dd9c-k5xp5, labels: {component: server}}\nspec:\n"
    "  containers:\n    - name: server\n      image: stephengrider/multi-server\n"
    "      ports: [{containerPort: 5000}]\n      env:\n"
    "        - {name: PGUSER, value: postgres}\n        - name: PGPASSWORD\n"
    "          valueFrom: {secretKeyRef: {name: pgpassword, key: PGPASSWORD}}\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: old-pod, labels: {app: old}}\n"
    "spec: {containers: [{name: old, image: nginx}]}\n";

static const char web_deployment[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
    "  replicas: 3\n  selector: {matchLabels: {app: web}}\n"
    "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
    "      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n";

#endif
