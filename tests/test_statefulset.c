/* test_statefulset.c -- the StatefulSet controller (sim/cluster/
 * ks_statefulset.c), its loader (sim/load/ks_manifest_apps.c) and kubectl
 * on it, on a simulated cluster with the default catalog. busybox is pulled
 * in 1 s the first time, then present; a container starts 350 ms after its
 * pod is bound, and is Ready at once (no readiness probe). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "cluster/ks_dns.h"
#include "cluster/ks_workloads.h"
#include "kubectl/ks_kubectl.h"

/* A headless Service "nginx" and a StatefulSet "web" of busybox pods with
 * a claim template "www"; extra goes into the spec. */
static const char *web_yaml(char *buf, size_t n, int replicas, const char *extra)
{
    snprintf(buf, n,
             "apiVersion: v1\nkind: Service\nmetadata: {name: nginx}\nspec:\n"
             "  clusterIP: None\n  selector: {app: web}\n  ports: [{port: 80}]\n---\n"
             "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n"
             "  serviceName: nginx\n  replicas: %d\n%s"
             "  selector: {matchLabels: {app: web}}\n"
             "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
             "      containers:\n        - name: c\n          image: busybox\n"
             "          command: [sh, -c, \"sleep 3600\"]\n"
             "          volumeMounts: [{name: www, mountPath: /data}]\n"
             "  volumeClaimTemplates:\n    - metadata: {name: www}\n      spec:\n"
             "        accessModes: [ReadWriteOnce]\n"
             "        resources: {requests: {storage: 1Gi}}\n",
             replicas, extra);
    return buf;
}

static const ks_pod *pod(fixture *f, const char *name)
{
    return ks_cluster_pod(f->sim, ks_cluster_find(f->sim, KS_KIND_POD, "default", name));
}

static const ks_statefulset *sts(fixture *f)
{
    return ks_cluster_statefulset(f->sim, ks_cluster_find(f->sim, KS_KIND_STATEFULSET,
                                                          "default", "web"));
}

static bool claim_exists(fixture *f, const char *name)
{
    return ks_cluster_find(f->sim, KS_KIND_PVC, "default", name) != 0;
}

/* Where events of reason for object name first appear, in order. */
static int event_index(fixture *f, const char *reason, const char *message_part)
{
    size_t i, n = ks_cluster_event_count(f->sim);
    for (i = 0; i < n; i++) {
        const ks_k8s_event *e = ks_cluster_event(f->sim, i);
        if (strcmp(e->reason, reason) == 0 && strstr(e->message, message_part))
            return (int)i;
    }
    return -1;
}

/* OrderedReady: web-1 only once web-0 is Running and Ready; one claim per
 * pod; identity: labels, hostname, subdomain, and DNS <pod>.<svc>. */
static void test_sts_ordered_creation_and_identity(void **state)
{
    fixture f;
    char y[2048];
    const ks_pod *p;
    ks_dns_answer a;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 3, "")), 0);
    run_to(&f, KS_SEC);                    /* web-0 is pulling busybox */
    assert_int_equal(count_pods(&f, "web-", NULL), 1);
    assert_non_null(pod(&f, "web-0"));
    assert_true(claim_exists(&f, "www-web-0"));
    assert_false(claim_exists(&f, "www-web-1"));
    run_to(&f, 30 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", "Running"), 3);
    assert_int_equal(sts(&f)->ready, 3);
    assert_true(claim_exists(&f, "www-web-2"));
    assert_string_equal(ks_cluster_pvc(f.sim, ks_cluster_find(f.sim, KS_KIND_PVC, "default",
                                                             "www-web-1"))->phase, "Bound");
    p = pod(&f, "web-1");
    assert_string_equal(ks_kvs_get(&p->labels, "statefulset.kubernetes.io/pod-name"), "web-1");
    assert_string_equal(ks_kvs_get(&p->labels, "apps.kubernetes.io/pod-index"), "1");
    assert_string_equal(p->spec->hostname, "web-1");
    assert_string_equal(p->spec->subdomain, "nginx");
    assert_string_equal(p->spec->volumes[0].source, "www-web-1");
    /* claims are labelled with the selector's labels */
    assert_string_equal(ks_kvs_get(&ks_cluster_object(f.sim, ks_cluster_find(
                                       f.sim, KS_KIND_PVC, "default", "www-web-1"))->meta.labels,
                                   "app"), "web");
    ks_dns_resolve(f.sim, NULL, "web-1.nginx", &a);
    assert_int_equal(a.rcode, KS_DNS_NOERROR);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.addr[0], p->ip);
    /* made in order */
    assert_true(event_index(&f, "SuccessfulCreate", "Pod web-0 ")
                < event_index(&f, "SuccessfulCreate", "Pod web-1 "));
    assert_true(event_index(&f, "SuccessfulCreate", "Pod web-1 ")
                < event_index(&f, "SuccessfulCreate", "Pod web-2 "));
    fixture_fini(&f);
}

/* Parallel: every pod at once. */
static void test_sts_parallel(void **state)
{
    fixture f;
    char y[2048];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 3,
                                                "  podManagementPolicy: Parallel\n")), 0);
    run_to(&f, KS_SEC / 2);
    assert_int_equal(count_pods(&f, "web-", NULL), 3);
    fixture_fini(&f);
}

/* A deleted pod comes back with the same name and claim, only once the old
 * one is gone; scaling down goes from the highest ordinal, one at a time,
 * and keeps the claims. */
static void test_sts_stable_identity_and_scale_down(void **state)
{
    fixture f;
    char y[2048];
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 3, "")), 0);
    run_to(&f, 30 * KS_SEC);
    assert_int_equal(ks_kubectl_run(f.sim, "delete pod web-1", NULL, &out), 0);
    run_to(&f, 30 * KS_SEC + KS_SEC / 10);
    assert_true(pod(&f, "web-1")->terminating);           /* no second web-1 meanwhile */
    assert_int_equal(count_pods(&f, "web-", NULL), 3);
    run_to(&f, 59 * KS_SEC);            /* sleep ignores SIGTERM: the 30 s grace period */
    assert_true(pod(&f, "web-1")->terminating);
    run_to(&f, 70 * KS_SEC);
    assert_false(pod(&f, "web-1")->terminating);
    assert_string_equal(pod(&f, "web-1")->status, "Running");
    assert_string_equal(pod(&f, "web-1")->spec->volumes[0].source, "www-web-1");
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "scale statefulset web --replicas=1", NULL, &out),
                     0);
    assert_string_equal(ks_strbuf_str(&out), "statefulset.apps/web scaled\n");
    run_to(&f, 70 * KS_SEC + KS_SEC / 10);
    assert_true(pod(&f, "web-2")->terminating);
    assert_false(pod(&f, "web-1")->terminating);          /* one at a time */
    run_to(&f, 150 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", NULL), 1);
    assert_true(event_index(&f, "SuccessfulDelete", "Pod web-2 ")
                < event_index(&f, "SuccessfulDelete", "Pod web-1 "));
    assert_true(claim_exists(&f, "www-web-1"));           /* Retain */
    assert_true(claim_exists(&f, "www-web-2"));
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "get statefulsets", NULL, &out), 0);
    assert_string_equal(ks_strbuf_str(&out), "NAME   READY   AGE\nweb    1/1     2m30s\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* persistentVolumeClaimRetentionPolicy: whenScaled Delete takes a scaled
 * away pod's claims with it; whenDeleted Delete takes them all with the set. */
static void test_sts_retention_policy(void **state)
{
    fixture f;
    char y[2048];
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 2,
                                                "  persistentVolumeClaimRetentionPolicy:\n"
                                                "    whenScaled: Delete\n"
                                                "    whenDeleted: Delete\n")), 0);
    run_to(&f, 20 * KS_SEC);
    assert_true(claim_exists(&f, "www-web-1"));
    assert_int_equal(ks_kubectl_run(f.sim, "scale sts web --replicas=1", NULL, &out), 0);
    run_to(&f, 60 * KS_SEC);
    assert_false(claim_exists(&f, "www-web-1"));
    assert_true(claim_exists(&f, "www-web-0"));
    assert_int_equal(ks_kubectl_run(f.sim, "delete statefulset web", NULL, &out), 0);
    run_to(&f, 120 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", NULL), 0);
    assert_false(claim_exists(&f, "www-web-0"));
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* RollingUpdate with a partition: from the highest ordinal down, ordinals
 * below the partition keep the old revision; without a policy, deleting the
 * set keeps its claims. */
static void test_sts_rolling_update_partition(void **state)
{
    fixture f;
    char y[2048];
    ks_strbuf out;
    const char *old_rev;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 3,
                                                "  updateStrategy:\n"
                                                "    rollingUpdate: {partition: 1}\n")), 0);
    run_to(&f, 30 * KS_SEC);
    old_rev = sts(&f)->current_revision;
    assert_int_equal(ks_kubectl_run(f.sim, "set image statefulset/web c=busybox:1.36", NULL,
                                    &out), 0);
    run_to(&f, 100 * KS_SEC);           /* each old pod takes its 30 s grace period */
    assert_string_equal(pod(&f, "web-2")->spec->containers[0].image, "busybox:1.36");
    assert_string_equal(pod(&f, "web-1")->spec->containers[0].image, "busybox:1.36");
    assert_string_equal(pod(&f, "web-0")->spec->containers[0].image, "busybox");
    assert_string_equal(ks_kvs_get(&pod(&f, "web-0")->labels, "controller-revision-hash"),
                        old_rev);
    assert_int_equal(sts(&f)->updated, 2);
    assert_true(event_index(&f, "SuccessfulDelete", "Pod web-2 ")
                < event_index(&f, "SuccessfulDelete", "Pod web-1 "));
    assert_int_equal(event_index(&f, "SuccessfulDelete", "Pod web-0 "), -1);
    ks_strbuf_clear(&out);
    assert_int_equal(ks_kubectl_run(f.sim, "rollout status statefulset web", NULL, &out), 0);
    assert_string_equal(ks_strbuf_str(&out),
                        "partitioned roll out complete: 2 new pods have been updated...\n");
    assert_int_equal(ks_kubectl_run(f.sim, "delete sts web", NULL, &out), 0);
    run_to(&f, 140 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", NULL), 0);
    assert_true(claim_exists(&f, "www-web-0"));
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* The loader: a mount may name a claim template, not nothing; the words of
 * the API server; the fields that may not change. */
static void test_sts_validation(void **state)
{
    fixture f;
    char y[2048];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 1,
                                                "  podManagementPolicy: Sometimes\n")), 1);
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 1,
                                                "  updateStrategy: {type: OnDelete, "
                                                "rollingUpdate: {partition: 1}}\n")), 1);
    assert_int_equal(fixture_apply(&f,
                                   "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\n"
                                   "spec:\n  selector: {matchLabels: {app: x}}\n  template:\n"
                                   "    metadata: {labels: {app: x}}\n    spec:\n"
                                   "      containers:\n        - name: c\n          image: nginx\n"
                                   "          volumeMounts: [{name: www, mountPath: /d}]\n"),
                     1);
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 1, "")), 0);
    /* podManagementPolicy may not change (ValidateStatefulSetUpdate) */
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 2,
                                                "  podManagementPolicy: Parallel\n")), 1);
    assert_int_equal(fixture_apply(&f, web_yaml(y, sizeof y, 2, "")), 0);   /* replicas may */
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sts_ordered_creation_and_identity),
        cmocka_unit_test(test_sts_parallel),
        cmocka_unit_test(test_sts_stable_identity_and_scale_down),
        cmocka_unit_test(test_sts_retention_policy),
        cmocka_unit_test(test_sts_rolling_update_partition),
        cmocka_unit_test(test_sts_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
