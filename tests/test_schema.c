/* test_schema.c -- strict decoding as the API server does it (issue 22,
 * item 10): the generated table of Kubernetes 1.30's fields
 * (sim/load/ks_schema_data.c) covers every kind kubesim loads, and an
 * unknown field anywhere -- in a list, under a map's values, in an old
 * apiVersion -- is one error at its own line:col, named by its path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "load/internal/schema.h"
#include "load/ks_manifest.h"

typedef struct loaded {
    ks_arena *ar;
    ks_diags d;
    ks_manifests m;
    int rc;
} loaded;

static void load(loaded *l, const char *text)
{
    memset(l, 0, sizeof *l);
    l->ar = ks_arena_create(NULL);
    assert_non_null(l->ar);
    ks_diags_init(&l->d);
    l->rc = ks_manifest_load_text(l->ar, "t.yaml", text, strlen(text), 1, 1, NULL, &l->m, &l->d);
}

/* Every kind kubesim reads has its type in the table. */
static void test_schema_every_kind(void **state)
{
    int k;
    (void)state;
    for (k = 0; k < KS_KIND_COUNT; k++) {
        const ksi_skind *s;
        for (s = ksi_schema_kinds; s->kind; s++)
            if (strcmp(s->kind, ks_kind_name((ks_kind)k)) == 0)
                break;
        if (!s->kind)
            fail_msg("no schema for %s", ks_kind_name((ks_kind)k));
    }
}

/* The fields of a type are sorted (the check searches them). */
static void test_schema_sorted(void **state)
{
    const ksi_skind *k;
    size_t i, checked = 0;
    (void)state;
    for (k = ksi_schema_kinds; k->kind; k++) {
        const ksi_sref *r = &ksi_schema_refs[k->ref];
        const ksi_sstruct *s;
        assert_int_equal(r->kind, KSI_S_STRUCT);
        s = &ksi_schema_structs[r->arg];
        for (i = 1; i < s->n; i++)
            assert_true(strcmp(ksi_schema_fields[s->first + i - 1].name,
                               ksi_schema_fields[s->first + i].name) < 0);
        checked++;
    }
    assert_true(checked >= KS_KIND_COUNT);
}

static const struct {
    const char *name, *yaml, *msg;
    unsigned line, col;
    int errors;                        /* 0: one */
} cases[] = {
    {"in a list item",
     "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
     "    - name: c\n      image: nginx\n      imagePullPolicyy: Always\n",
     "unknown field \"spec.containers[0].imagePullPolicyy\"; did you mean 'imagePullPolicy'?", 8, 7},
    {"under a list under a map",
     "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n"
     "    - {port: 80, targetport: 8080}\n",
     "unknown field \"spec.ports[0].targetport\"; did you mean 'targetPort'?", 6, 18},
    {"top level",
     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\ndatas: {}\n",
     "unknown field \"datas\"; did you mean 'data'?", 5, 1},
    {"metadata",
     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, label: {a: b}}\n",
     "unknown field \"metadata.label\"; did you mean 'labels'?", 3, 21},
    {"no suggestion: the type is named",
     "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\nspec: {owner: me}\n",
     "unknown field \"spec.owner\" (a NamespaceSpec has no such field", 4, 8},
    {"a StatefulSet's claim template",
     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n"
     "  serviceName: db\n  selector: {matchLabels: {app: db}}\n"
     "  template:\n    metadata: {labels: {app: db}}\n"
     "    spec: {containers: [{name: db, image: postgres}]}\n"
     "  volumeClaimTemplates:\n    - metadata: {name: data}\n"
     "      spec: {accessModes: [ReadWriteOnce], resource: {requests: {storage: 1Gi}}}\n",
     "unknown field \"spec.volumeClaimTemplates[0].spec.resource\"; did you mean 'resources'?",
     12, 44},
    {"a CronJob's job template",
     "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n"
     "  jobTemplate:\n    spec:\n      backofLimit: 2\n      template:\n"
     "        spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}\n",
     "unknown field \"spec.jobTemplate.spec.backofLimit\"; did you mean 'backoffLimit'?", 8, 7},
    {"an HPA v2 metric",
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n"
     "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 3\n"
     "  metrics:\n    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, "
     "averageUtilisation: 50}}\n",
     "unknown field \"spec.metrics[0].resource.target.averageUtilisation\"; did you mean "
     "'averageUtilization'?", 9, 57},
    {"a v1 field in autoscaling/v2",
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n"
     "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 3\n"
     "  targetCPUUtilizationPercentage: 50\n",
     "unknown field \"spec.targetCPUUtilizationPercentage\"", 7, 3},
    {"a NetworkPolicy peer",
     "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n"
     "  podSelector: {}\n  ingress:\n    - from:\n        - podSelector: {matchLabels: {a: b}}\n"
     "          namespaceSelectors: {}\n",
     "unknown field \"spec.ingress[0].from[0].namespaceSelectors\"; did you mean "
     "'namespaceSelector'?", 9, 11},
    {"a v1beta1 backend in networking.k8s.io/v1",
     "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n"
     "    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n"
     "            backend: {serviceName: web, servicePort: 80}\n",
     "unknown field \"spec.rules[0].http.paths[0].backend.serviceName\": serviceName/servicePort "
     "is the removed v1beta1 form", 10, 23, 2},
    {"a label selector's expression",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector:\n"
     "    matchExpressions: [{key: app, operator: In, value: [web]}]\n"
     "  template:\n    metadata: {labels: {app: web}}\n"
     "    spec: {containers: [{name: web, image: nginx}]}\n",
     "unknown field \"spec.selector.matchExpressions[0].value\"; did you mean 'values'?", 6, 49},
};

static void test_schema_unknown_fields(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        loaded l;
        const ks_error *e = NULL;
        int j;
        load(&l, cases[i].yaml);
        for (j = 0; j < l.d.n && !e; j++)
            if (l.d.items[j].sev == KS_SEV_ERROR)
                e = &l.d.items[j].err;
        if (!e || l.d.errors != (cases[i].errors ? cases[i].errors : 1) || l.m.n != 0 || !strstr(e->msg, cases[i].msg)
            || e->line != cases[i].line || e->col != cases[i].col)
            fail_msg("%s: %d errors, %zu objects; first: %u:%u %s", cases[i].name, l.d.errors,
                     l.m.n, e ? e->line : 0, e ? e->col : 0, e ? e->msg : "(none)");
        assert_true(strncmp(e->msg, "strict decoding error: ", 23) == 0);
        ks_arena_destroy(l.ar);
    }
}

/* Every unknown field of an object is reported, each where it is. */
static void test_schema_every_unknown_field(void **state)
{
    loaded l;
    (void)state;
    load(&l, "apiVersion: v1\nkind: Pod\nmetadata: {name: p, lables: {a: b}}\nspec:\n"
             "  containers: [{name: c, image: nginx, commnad: [sh]}]\n  restartPolicyy: Never\n");
    assert_int_equal(l.d.errors, 3);
    assert_int_equal(l.d.items[0].err.line, 3);
    assert_int_equal(l.d.items[1].err.line, 5);
    assert_int_equal(l.d.items[2].err.line, 6);
    assert_int_equal(l.m.n, 0);
    ks_arena_destroy(l.ar);
}

/* What the API server accepts passes: every field kubesim ignores, status,
 * server-set metadata, maps of anything (labels, resources, data), the
 * v1beta1 Ingress in its own version. */
static void test_schema_real_fields_pass(void **state)
{
    static const char *const ok[] = {
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  uid: 1f\n  resourceVersion: '5'\n"
        "  creationTimestamp: null\n  managedFields: [{manager: kubectl, fieldsV1: {f:spec: {}}}]\n"
        "  ownerReferences: [{apiVersion: v1, kind: X, name: y, uid: z}]\n"
        "spec:\n  containers:\n    - name: c\n      image: nginx\n"
        "      resources: {limits: {cpu: 1, example.com/gpu: 1}}\n"
        "      securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}\n"
        "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
        "{nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: [b]}]}]}}}\n"
        "  topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: "
        "DoNotSchedule}]\nstatus: {phase: Running, podIP: 10.0.0.1}\n",
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n"
        "    - http:\n        paths:\n          - path: /\n"
        "            backend: {serviceName: web, servicePort: 80}\n",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\nimmutable: true\n"
        "stringData: {a: b}\n",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        loaded l;
        int j;
        load(&l, ok[i]);
        for (j = 0; j < l.d.n; j++)
            if (strstr(l.d.items[j].err.msg, "strict decoding"))
                fail_msg("case %zu: %u:%u %s", i, l.d.items[j].err.line, l.d.items[j].err.col,
                         l.d.items[j].err.msg);
        ks_arena_destroy(l.ar);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_every_kind),
        cmocka_unit_test(test_schema_sorted),
        cmocka_unit_test(test_schema_unknown_fields),
        cmocka_unit_test(test_schema_every_unknown_field),
        cmocka_unit_test(test_schema_real_fields_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
