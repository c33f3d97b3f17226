/* test_storage.c -- the focus of this file: where data lands decides what
 * survives. Per fate: the container layer (lost on a crash), emptyDir
 * (survives a crash, lost with the pod), a claim (survives pod deletion),
 * reclaim Delete and Retain; binding (smallest fit, class and access-mode
 * mismatch, Pending until a volume appears); the postgres traps and two
 * servers on one data directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cluster_fixture.h"
#include "core/ks_trace.h"
#include "net/ks_traffic.h"
#include "run/ks_runner.h"
#include "world/ks_world.h"

/* A writer: two files at start, a third after 5 s, then sleeps. */
/* (dir: /data, a mount; /tmp, the image's own directory in the layer --
 * busybox has no /data: sh could not create a file there) */
#define WRITER_IN(dir, volumes, mounts)                                                \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: writer}\nspec:\n"         \
    "  selector: {matchLabels: {app: writer}}\n  template:\n"                           \
    "    metadata: {labels: {app: writer}}\n    spec:\n" volumes                       \
    "      containers:\n        - name: w\n          image: busybox\n" mounts           \
    "          command: [sh, -c, 'echo a > " dir "/a; echo b > " dir "/b; sleep 5; "    \
    "echo c > " dir "/c; sleep 3600']\n"
#define WRITER(volumes, mounts) WRITER_IN("/data", volumes, mounts)

#define EMPTYDIR "      volumes: [{name: data, emptyDir: {}}]\n"
#define MOUNT "          volumeMounts: [{name: data, mountPath: /data}]\n"

static int64_t writer_records(fixture *f)
{
    const ks_pod *p = first_pod(f, "writer-");
    ks_id id = 0;
    /* the running one, if a replacement exists */
    while ((id = ks_cluster_next(f->sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *q = ks_cluster_pod(f->sim, id);
        if (strncmp(q->name, "writer-", 7) == 0 && !q->terminating)
            p = q;
    }
    return p ? ks_node_pod_records(f->sim, p->id) : -2;
}

/* storage-1: the container layer is lost when the container restarts */
static void test_storage_layer_lost_on_crash(void **state)
{
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, WRITER_IN("/tmp", "", ""));
    run_to(&f, 10 * KS_SEC);
    assert_int_equal(writer_records(&f), 3);
    ks_node_crash(f.sim, first_pod(&f, "writer-")->id, NULL, 1, "Error");
    run_to(&f, 11 * KS_SEC);                  /* restarted at once: a, b again */
    assert_int_equal(writer_records(&f), 2);
    fixture_fini(&f);
}

/* storage-2: emptyDir survives a crash, not the pod's deletion */
static void test_storage_emptydir(void **state)
{
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, WRITER(EMPTYDIR, MOUNT));
    run_to(&f, 10 * KS_SEC);
    ks_node_crash(f.sim, first_pod(&f, "writer-")->id, NULL, 1, "Error");
    run_to(&f, 11 * KS_SEC);
    assert_int_equal(writer_records(&f), 3);  /* a, b rewritten; c kept */
    ks_cluster_delete(f.sim, first_pod(&f, "writer-")->id, -1, false);
    run_to(&f, 50 * KS_SEC);                  /* busybox ignores SIGTERM: 30 s */
    assert_int_equal(count_pods(&f, "writer-", NULL), 1);
    run_to(&f, 52 * KS_SEC);
    assert_int_equal(writer_records(&f), 3);  /* the new pod wrote its own */
    fixture_fini(&f);
}

#define SECRET "apiVersion: v1\nkind: Secret\nmetadata: {name: pgpassword}\n" \
               "stringData: {PGPASSWORD: 12345asdf}\n---\n"
#define PVC(name, size, extra)                                                          \
    "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: " name "}\nspec:\n"  \
    "  accessModes: [ReadWriteOnce]\n" extra "  resources: {requests: {storage: " size "}}\n---\n"
#define POSTGRES(image, replicas, mount, subpath, env)                                  \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: postgres}\nspec:\n"        \
    "  replicas: " #replicas "\n  selector: {matchLabels: {component: postgres}}\n"     \
    "  template:\n    metadata: {labels: {component: postgres}}\n    spec:\n"           \
    "      volumes: [{name: storage, persistentVolumeClaim: {claimName: db}}]\n"         \
    "      containers:\n        - name: postgres\n          image: " image "\n"        \
    "          volumeMounts: [{name: storage, mountPath: " mount subpath "}]\n" env      \
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: postgres}\nspec:\n"           \
    "  selector: {component: postgres}\n  ports: [{port: 5432}]\n---\n"
#define PG_ENV "          env: [{name: POSTGRES_PASSWORD, valueFrom: {secretKeyRef: " \
               "{name: pgpassword, key: PGPASSWORD}}}]\n"

static void post(fixture *f, int n)
{
    ks_scn_target to = {KS_SCN_TO_SERVICE, 0, "postgres"};
    int i;
    for (i = 0; i < n; i++)
        ks_traffic_send(f->sim, &to, "POST", "/", NULL, -1);
}

/* storage-3: data on a claim survives the pod's deletion; the claim was
 * provisioned by the default class */
static void test_storage_pvc_survives_pod_delete(void **state)
{
    fixture f;
    const ks_pvc *c;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, SECRET PVC("db", "2Gi", "")
                  POSTGRES("postgres:12", 1, "/var/lib/postgresql/data", ", subPath: postgres",
                           PG_ENV));
    run_to(&f, 20 * KS_SEC);
    c = ks_cluster_pvc(f.sim, ks_cluster_find(f.sim, KS_KIND_PVC, NULL, "db"));
    assert_string_equal(c->phase, "Bound");
    assert_string_equal(c->storage_class, "standard");
    post(&f, 12);
    run_to(&f, 21 * KS_SEC);
    assert_int_equal(ks_node_pod_records(f.sim, first_pod(&f, "postgres-")->id), 12);
    ks_cluster_delete(f.sim, first_pod(&f, "postgres-")->id, -1, false);
    run_to(&f, 40 * KS_SEC);
    assert_int_equal(count_pods(&f, "postgres-", "Running"), 1);
    assert_int_equal(ks_node_pod_records(f.sim, first_pod(&f, "postgres-")->id), 12);
    assert_int_equal(ks_pvc_records(f.sim, c->id), 12);
    fixture_fini(&f);
}

/* storage-4: deleting the claim: Delete removes the volume and its data;
 * Retain keeps them, Released, and a new claim cannot bind it */
static void test_storage_reclaim_policies(void **state)
{
    fixture f;
    ks_id claim, pv;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, PVC("dyn", "1Gi", "")
                  "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: kept}\nspec:\n"
                  "  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n"
                  "  persistentVolumeReclaimPolicy: Retain\n  storageClassName: ''\n"
                  "  hostPath: {path: /mnt/kept}\n---\n"
                  PVC("static", "1Gi", "  storageClassName: ''\n"));
    run_to(&f, KS_SEC);
    claim = ks_cluster_find(f.sim, KS_KIND_PVC, NULL, "dyn");
    pv = ks_cluster_pvc(f.sim, claim)->pv;
    assert_true(pv != 0);
    assert_string_equal(ks_cluster_pv(f.sim, pv)->reclaim, "Delete");
    ks_cluster_delete(f.sim, claim, -1, false);
    run_to(&f, 2 * KS_SEC);
    assert_null(ks_cluster_pv(f.sim, pv));                 /* Delete: gone */
    claim = ks_cluster_find(f.sim, KS_KIND_PVC, NULL, "static");
    pv = ks_cluster_find(f.sim, KS_KIND_PV, NULL, "kept");
    assert_int_equal(ks_cluster_pvc(f.sim, claim)->pv, pv);
    ks_cluster_delete(f.sim, claim, -1, false);
    run_to(&f, 3 * KS_SEC);
    assert_string_equal(ks_cluster_pv(f.sim, pv)->phase, "Released");
    fixture_apply(&f, PVC("again", "1Gi", "  storageClassName: ''\n"));
    run_to(&f, 4 * KS_SEC);
    assert_string_equal(ks_cluster_pvc(f.sim, ks_cluster_find(f.sim, KS_KIND_PVC, NULL,
                                                              "again"))->phase, "Pending");
    fixture_fini(&f);
}

/* storage-5: binding: smallest fit; class and access-mode mismatches stay
 * Pending with a reason; a volume created later binds */
static void test_storage_binding_rules(void **state)
{
    fixture f;
    const ks_pvc *c;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f,
        "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: big}\nspec:\n"
        "  capacity: {storage: 10Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: ''\n---\n"
        "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: small}\nspec:\n"
        "  capacity: {storage: 2Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: ''\n---\n"
        "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: rox}\nspec:\n"
        "  capacity: {storage: 5Gi}\n  accessModes: [ReadOnlyMany]\n  storageClassName: ''\n---\n"
        PVC("fit", "1Gi", "  storageClassName: ''\n")
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: rwx}\nspec:\n"
        "  accessModes: [ReadWriteMany]\n  storageClassName: ''\n"
        "  resources: {requests: {storage: 1Gi}}\n---\n"
        PVC("fast", "1Gi", "  storageClassName: fast\n"));
    run_to(&f, KS_SEC);
    c = ks_cluster_pvc(f.sim, ks_cluster_find(f.sim, KS_KIND_PVC, NULL, "fit"));
    assert_string_equal(ks_cluster_pv(f.sim, c->pv)->name, "small");
    c = ks_cluster_pvc(f.sim, ks_cluster_find(f.sim, KS_KIND_PVC, NULL, "rwx"));
    assert_string_equal(c->phase, "Pending");
    assert_non_null(strstr(c->pending_reason, "no persistent volumes available"));
    c = ks_cluster_pvc(f.sim, ks_cluster_find(f.sim, KS_KIND_PVC, NULL, "fast"));
    assert_string_equal(c->phase, "Pending");
    assert_non_null(strstr(c->pending_reason, "storageclass.storage.k8s.io \"fast\" not found"));
    fixture_apply(&f, "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: shared}\n"
                      "spec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteMany]\n"
                      "  storageClassName: ''\n");
    run_to(&f, 2 * KS_SEC);
    c = ks_cluster_pvc(f.sim, ks_cluster_find(f.sim, KS_KIND_PVC, NULL, "rwx"));
    assert_string_equal(c->phase, "Bound");
    fixture_fini(&f);
}

/* storage-6: a pod whose claim is unbound stays Pending, saying why */
static void test_storage_unbound_claim_blocks_pod(void **state)
{
    fixture f;
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, SECRET PVC("db", "2Gi", "  storageClassName: ''\n")
                  POSTGRES("postgres:12", 1, "/var/lib/postgresql/data", "", PG_ENV));
    run_to(&f, 5 * KS_SEC);
    p = first_pod(&f, "postgres-");
    assert_string_equal(p->status, "Pending");
    assert_non_null(strstr(p->pending_reason, "pod has unbound immediate PersistentVolumeClaims"));
    fixture_fini(&f);
}

/* storage-7: the postgres traps, from the catalog: no POSTGRES_PASSWORD
 * (the real error, CrashLoopBackOff); an 18+ image at the old data path */
static void test_storage_postgres_traps(void **state)
{
    fixture f;
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, PVC("db", "2Gi", "")
                  POSTGRES("postgres:12", 1, "/var/lib/postgresql/data", "", ""));
    run_to(&f, 60 * KS_SEC);
    p = first_pod(&f, "postgres-");
    assert_string_equal(p->status, "CrashLoopBackOff");
    assert_non_null(strstr(p->containers[0].log->line[p->containers[0].log->first],
                           "superuser password is not specified"));
    fixture_fini(&f);
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, SECRET PVC("db", "2Gi", "")
                  POSTGRES("postgres", 1, "/var/lib/postgresql/data", ", subPath: postgres",
                           PG_ENV));
    run_to(&f, 60 * KS_SEC);
    p = first_pod(&f, "postgres-");
    assert_string_equal(p->status, "CrashLoopBackOff");
    fixture_fini(&f);
}

/* storage-8: two postgres servers on one claim on one node: the hazard is
 * reported, and what was written while both ran is lost when one stops */
static void test_storage_two_servers_one_directory(void **state)
{
    fixture f;
    const ks_k8s_event *shared = NULL;
    size_t i;
    ks_id pvc;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, SECRET PVC("db", "2Gi", "")
                  POSTGRES("postgres:12", 2, "/var/lib/postgresql/data", ", subPath: postgres",
                           PG_ENV));
    run_to(&f, 30 * KS_SEC);
    for (i = 0; i < ks_cluster_event_count(f.sim); i++)
        if (strcmp(ks_cluster_event(f.sim, i)->reason, "DataDirectoryShared") == 0)
            shared = ks_cluster_event(f.sim, i);
    assert_non_null(shared);
    post(&f, 10);
    run_to(&f, 31 * KS_SEC);
    pvc = ks_cluster_find(f.sim, KS_KIND_PVC, NULL, "db");
    assert_int_equal(ks_pvc_records(f.sim, pvc), 10);
    ks_cluster_scale(f.sim, ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, NULL, "postgres"), 1);
    run_to(&f, 40 * KS_SEC);
    assert_int_equal(ks_pvc_records(f.sim, pvc), 0);   /* torn writes */
    fixture_fini(&f);
}

static int64_t records_of(fixture *f, const char *prefix)
{
    const ks_pod *p = first_pod(f, prefix);
    return p ? ks_node_pod_records(f->sim, p->id) : -2;
}

/* A pod that only reads: it mounts what the writer mounts and sleeps. */
#define READER(name, volumes, mounts)                                                   \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: " name "}\nspec:\n" volumes          \
    "  containers:\n    - name: r\n      image: busybox\n" mounts                       \
    "      command: [sleep, '3600']\n"

/* storage-9: a container sees what lies in every volume it mounts,
 * whoever wrote it (issue 15, item 5): a second pod on the same hostPath of
 * the same node, a pod of the same claim, a subPath mount only below it */
static void test_storage_readers_see_shared_volumes(void **state)
{
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, WRITER("      volumes: [{name: data, hostPath: {path: /srv/shared}}]\n",
                             MOUNT)
                  "---\n"
                  READER("host-reader", "  volumes: [{name: d, hostPath: {path: /srv/shared}}]\n",
                         "      volumeMounts: [{name: d, mountPath: /mnt}]\n")
                  "---\n"
                  READER("other-path", "  volumes: [{name: d, hostPath: {path: /srv/other}}]\n",
                         "      volumeMounts: [{name: d, mountPath: /mnt}]\n")
                  "---\n"
                  READER("no-mount", "", ""));
    run_to(&f, 10 * KS_SEC);
    assert_int_equal(writer_records(&f), 3);
    assert_int_equal(records_of(&f, "host-reader"), 3);  /* wrote nothing, sees 3 */
    assert_int_equal(records_of(&f, "other-path"), -1);  /* another directory */
    assert_int_equal(records_of(&f, "no-mount"), -1);
    fixture_fini(&f);

    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f,
                  "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared}\n"
                  "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
                  "---\n"
                  WRITER("      volumes: [{name: data, persistentVolumeClaim: {claimName: "
                         "shared}}]\n",
                         "          volumeMounts: [{name: data, mountPath: /data, "
                         "subPath: logs}]\n")
                  "---\n"
                  READER("claim-root", "  volumes: [{name: d, persistentVolumeClaim: "
                         "{claimName: shared}}]\n",
                         "      volumeMounts: [{name: d, mountPath: /mnt}]\n")
                  "---\n"
                  READER("claim-other-sub", "  volumes: [{name: d, persistentVolumeClaim: "
                         "{claimName: shared}}]\n",
                         "      volumeMounts: [{name: d, mountPath: /mnt, subPath: db}]\n"));
    run_to(&f, 15 * KS_SEC);
    assert_int_equal(writer_records(&f), 3);
    assert_int_equal(records_of(&f, "claim-root"), 3);       /* logs/ is under its root */
    assert_int_equal(records_of(&f, "claim-other-sub"), -1); /* db/ holds nothing */
    fixture_fini(&f);
}

/* storage-10: a read-only mount refuses the writer's files (busybox ash:
 * "sh: can't create /data/a: Read-only file system", status 1; sh goes
 * on): readOnly: true on the volumeMount, and a configMap volume, which
 * the kubelet always mounts read-only (makeMounts: mount.ReadOnly ||
 * mustMountRO); nothing lands, the other mount of the same emptyDir writes */
static void test_storage_read_only_mounts(void **state)
{
    fixture f;
    const ks_pod *p;
    const ks_log *log;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, WRITER(EMPTYDIR, "          volumeMounts: [{name: data, mountPath: /data, "
                                       "readOnly: true}]\n"));
    run_to(&f, 10 * KS_SEC);
    p = first_pod(&f, "writer-");
    assert_string_equal(p->status, "Running");
    assert_int_equal(writer_records(&f), -1);          /* no directory was made */
    log = p->containers[0].log;
    assert_string_equal(log->line[log->first], "sh: can't create /data/a: Read-only file system");
    fixture_fini(&f);

    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"
                      "data: {a: from the ConfigMap}\n---\n"
                  WRITER("      volumes: [{name: data, configMap: {name: cfg}}]\n", MOUNT));
    run_to(&f, 10 * KS_SEC);
    p = first_pod(&f, "writer-");
    log = p->containers[0].log;
    assert_string_equal(log->line[log->first], "sh: can't create /data/a: Read-only file system");
    assert_int_equal(log->count, 3);                   /* a, b and c refused, in turn */
    assert_int_equal(writer_records(&f), -1);
    fixture_fini(&f);
}

/* storage-11: postgres whose data directory is on a read-only mount:
 * docker-entrypoint.sh's chown fails before anything else (the catalog's
 * dataDirReadOnly failure), exit 1, CrashLoopBackOff -- also through the
 * claim's own persistentVolumeClaim.readOnly */
static void test_storage_postgres_read_only(void **state)
{
    fixture f;
    const ks_pod *p;
    const ks_log *log;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, SECRET PVC("db", "2Gi", "")
                  POSTGRES("postgres:12", 1, "/var/lib/postgresql/data", ", readOnly: true",
                           PG_ENV));
    run_to(&f, 60 * KS_SEC);
    p = first_pod(&f, "postgres-");
    assert_string_equal(p->status, "CrashLoopBackOff");
    log = p->containers[0].log;
    assert_non_null(strstr(log->line[log->first], "chown: changing ownership of "
                                                  "'/var/lib/postgresql/data': Read-only file "
                                                  "system"));
    fixture_fini(&f);

    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, SECRET PVC("db", "2Gi", "")
                  "apiVersion: v1\nkind: Pod\nmetadata: {name: pg}\nspec:\n"
                  "  volumes: [{name: s, persistentVolumeClaim: {claimName: db, readOnly: true}}]\n"
                  "  containers:\n    - name: postgres\n      image: postgres:18\n"
                  "      volumeMounts: [{name: s, mountPath: /var/lib/postgresql}]\n"
                  "      env: [{name: POSTGRES_PASSWORD, value: x}]\n");
    run_to(&f, 60 * KS_SEC);
    p = first_pod(&f, "pg");
    assert_string_equal(p->status, "CrashLoopBackOff");
    log = p->containers[0].log;
    assert_non_null(strstr(log->line[log->first], "mkdir: cannot create directory"));
    fixture_fini(&f);
}

/* The i-th line of pod's log now ("" past the last). */
static const char *log_line(fixture *f, const char *pod, int i)
{
    const ks_log *log = first_pod(f, pod)->containers[0].log;
    return log && i < log->count ? log->line[(log->first + i) % KS_LOG_LINES] : "";
}

/* storage-12: a volume is one tree, a subPath one of its directories
 * (K8S/concepts/storage/volumes/#using-subpath): what a subPath mount
 * writes is found by path from a mount of the volume's root, listed there,
 * and the other way round; each file is counted once */
static void test_storage_subpath_is_a_directory(void **state)
{
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f,
                  "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared}\n"
                  "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
                  "---\n"
                  WRITER("      volumes: [{name: data, persistentVolumeClaim: {claimName: "
                         "shared}}]\n",
                         "          volumeMounts: [{name: data, mountPath: /data, "
                         "subPath: logs}]\n")
                  "---\n"
                  "apiVersion: v1\nkind: Pod\nmetadata: {name: root}\nspec:\n"
                  "  volumes: [{name: d, persistentVolumeClaim: {claimName: shared}}]\n"
                  "  containers:\n    - name: r\n      image: busybox\n"
                  "      volumeMounts: [{name: d, mountPath: /mnt}]\n"
                  "      command: [sh, -c, 'sleep 2; cat /mnt/logs/a; ls /mnt/logs; "
                  "echo z > /mnt/logs/z; sleep 3600']\n"
                  "---\n"
                  "apiVersion: v1\nkind: Pod\nmetadata: {name: sub}\nspec:\n"
                  "  volumes: [{name: d, persistentVolumeClaim: {claimName: shared}}]\n"
                  "  containers:\n    - name: r\n      image: busybox\n"
                  "      volumeMounts: [{name: d, mountPath: /in, subPath: logs}]\n"
                  "      command: [sh, -c, 'sleep 4; cat /in/z; sleep 3600']\n");
    run_to(&f, 10 * KS_SEC);
    assert_string_equal(log_line(&f, "root", 0), "a");     /* cat /mnt/logs/a */
    assert_string_equal(log_line(&f, "root", 1), "a");     /* ls /mnt/logs */
    assert_string_equal(log_line(&f, "root", 2), "b");     /* (c comes after 5 s) */
    assert_string_equal(log_line(&f, "root", 3), "");
    assert_string_equal(log_line(&f, "sub", 0), "z");      /* the root mount's write */
    assert_string_equal(log_line(&f, "sub", 1), "");
    assert_int_equal(records_of(&f, "root"), 4);          /* a, b, c and z, once each */
    assert_int_equal(writer_records(&f), 4);
    fixture_fini(&f);
}

/* storage-13: kubesim check warns at a script that writes onto a read-only
 * mount (the first such file), at the container's command; a write into
 * the layer, a writable mount or through a variable is not looked at */
static void test_storage_check_read_only_writes(void **state)
{
    static const char y[] =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
        "  volumes: [{name: cfg, configMap: {name: c}}, {name: tmp, emptyDir: {}}]\n"
        "  containers:\n"
        "    - name: ok\n      image: busybox\n"
        "      command: [sh, -c, 'echo a > /tmp/x; echo b > /scratch/y; echo c > $F']\n"
        "      volumeMounts: [{name: cfg, mountPath: /cfg}, {name: tmp, mountPath: /scratch}]\n"
        "    - name: bad\n      image: busybox\n"
        "      command: [sh, -c, 'touch /ro/ready; date 2> /cfg/err | cat']\n"
        "      volumeMounts: [{name: cfg, mountPath: /cfg},\n"
        "                     {name: tmp, mountPath: /ro, readOnly: true}]\n";
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_manifests m = {0};
    char buf[512];
    (void)state;
    ks_diags_init(&d);
    ks_manifest_load_text(ar, "p.yaml", y, sizeof y - 1, 1, 1, NULL, &m, &d);
    assert_int_equal(d.n, 0);
    ks_run_check_commands(&m, 0, NULL, &d);
    assert_int_equal(d.n, 1);
    ks_diag_format(&d, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "p.yaml:13:16: warning: container 'bad': the script writes "
                                "/ro/ready, which lies on a read-only mount (readOnly: true): "
                                "the write fails with \"Read-only file system\""));
    ks_arena_destroy(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_storage_layer_lost_on_crash),
        cmocka_unit_test(test_storage_emptydir),
        cmocka_unit_test(test_storage_pvc_survives_pod_delete),
        cmocka_unit_test(test_storage_reclaim_policies),
        cmocka_unit_test(test_storage_binding_rules),
        cmocka_unit_test(test_storage_unbound_claim_blocks_pod),
        cmocka_unit_test(test_storage_postgres_traps),
        cmocka_unit_test(test_storage_two_servers_one_directory),
        cmocka_unit_test(test_storage_readers_see_shared_volumes),
        cmocka_unit_test(test_storage_read_only_mounts),
        cmocka_unit_test(test_storage_postgres_read_only),
        cmocka_unit_test(test_storage_subpath_is_a_directory),
        cmocka_unit_test(test_storage_check_read_only_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
