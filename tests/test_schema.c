/* test_schema.c -- validating like the API server (issue 22, item 10).
 * Strict decoding: the generated table of Kubernetes 1.30's fields
 * (sim/load/ks_schema_data.c) covers every kind kubesim loads, and an
 * unknown field anywhere -- in a list, under a map's values, in an old
 * apiVersion -- is one error at its own line:col, named by its path. Then
 * the server's other rules, in its words: ConfigMap/Secret keys and their
 * 1 MiB, label selector requirements, annotation keys and 256 KiB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "load/internal/schema.h"
#include "manifest_fixture.h"

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
     "unknown field \"spec.containers[0].imagePullPolicyy\"; did you mean 'imagePullPolicy'?", 8, 7, 0},
    {"under a list under a map",
     "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n"
     "    - {port: 80, targetport: 8080}\n",
     "unknown field \"spec.ports[0].targetport\"; did you mean 'targetPort'?", 6, 18, 0},
    {"top level",
     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\ndatas: {}\n",
     "unknown field \"datas\"; did you mean 'data'?", 5, 1, 0},
    {"metadata",
     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, label: {a: b}}\n",
     "unknown field \"metadata.label\"; did you mean 'labels'?", 3, 21, 0},
    {"no suggestion: the type is named",
     "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\nspec: {owner: me}\n",
     "unknown field \"spec.owner\" (a NamespaceSpec has no such field", 4, 8, 0},
    {"a StatefulSet's claim template",
     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n"
     "  serviceName: db\n  selector: {matchLabels: {app: db}}\n"
     "  template:\n    metadata: {labels: {app: db}}\n"
     "    spec: {containers: [{name: db, image: postgres}]}\n"
     "  volumeClaimTemplates:\n    - metadata: {name: data}\n"
     "      spec: {accessModes: [ReadWriteOnce], resource: {requests: {storage: 1Gi}}}\n",
     "unknown field \"spec.volumeClaimTemplates[0].spec.resource\"; did you mean 'resources'?",
     12, 44, 0},
    {"a CronJob's job template",
     "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n"
     "  jobTemplate:\n    spec:\n      backofLimit: 2\n      template:\n"
     "        spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}\n",
     "unknown field \"spec.jobTemplate.spec.backofLimit\"; did you mean 'backoffLimit'?", 8, 7, 0},
    {"an HPA v2 metric",
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n"
     "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 3\n"
     "  metrics:\n    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, "
     "averageUtilisation: 50}}\n",
     "unknown field \"spec.metrics[0].resource.target.averageUtilisation\"; did you mean "
     "'averageUtilization'?", 9, 57, 0},
    {"a v1 field in autoscaling/v2",
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n"
     "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 3\n"
     "  targetCPUUtilizationPercentage: 50\n",
     "unknown field \"spec.targetCPUUtilizationPercentage\"", 7, 3, 0},
    {"a NetworkPolicy peer",
     "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n"
     "  podSelector: {}\n  ingress:\n    - from:\n        - podSelector: {matchLabels: {a: b}}\n"
     "          namespaceSelectors: {}\n",
     "unknown field \"spec.ingress[0].from[0].namespaceSelectors\"; did you mean "
     "'namespaceSelector'?", 9, 11, 0},
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
     "unknown field \"spec.selector.matchExpressions[0].value\"; did you mean 'values'?", 6, 49, 0},
};

/* Loads yaml: exactly errors errors (0: one), nothing loaded, the first at
 * line:col and containing msg. */
static void expect_refused(const char *name, const char *yaml, const char *msg, unsigned line,
                           unsigned col, int errors)
{
    loaded l;
    const ks_error *e;
    load(&l, yaml);
    e = first_error(&l);
    if (!e || l.d.errors != (errors ? errors : 1) || l.m.n != 0 || !strstr(e->msg, msg)
        || e->line != line || e->col != col)
        fail_msg("%s: %d errors, %zu objects; first: %u:%u %s", name, l.d.errors, l.m.n,
                 e ? e->line : 0, e ? e->col : 0, e ? e->msg : "(none)");
    unload(&l);
}

static void test_schema_unknown_fields(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        loaded l;
        expect_refused(cases[i].name, cases[i].yaml, cases[i].msg, cases[i].line, cases[i].col,
                       cases[i].errors);
        load(&l, cases[i].yaml);
        assert_true(strncmp(first_error(&l)->msg, "strict decoding error: ", 23) == 0);
        unload(&l);
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
    unload(&l);
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
        unload(&l);
    }
}

/* The API server's rules past decoding: each refusal in its words, at the
 * node that broke it, and what it accepts passes. */
static const struct {
    const char *name, *yaml, *msg;
    unsigned line, col;
} rules[] = {
    {"configmap key with a space",
     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  my file.txt: x\n",
     "data[my file.txt]: Invalid value: \"my file.txt\": a valid config key must consist of "
     "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', "
     "regex used for validation is '[-._a-zA-Z0-9]+')", 5, 3},
    {"configmap key '..'",
     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {..data: x}\n",
     "data[..data]: Invalid value: \"..data\": must not start with '..'", 4, 8},
    {"secret key with a slash",
     "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a/b: x}\n",
     "stringData[a/b]: Invalid value: \"a/b\": a valid config key", 4, 14},
    {"configmap key in data and binaryData",
     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: x}\nbinaryData: {a: eA==}\n",
     "data[a]: Invalid value: \"a\": duplicate of key present in binaryData", 4, 8},
    {"In without values",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  selector:\n"
     "    matchExpressions: [{key: app, operator: In, values: []}]\n"
     "  template:\n    metadata: {labels: {app: w}}\n"
     "    spec: {containers: [{name: w, image: nginx}]}\n",
     "spec.selector.matchExpressions[0].values: Required value: must be specified when "
     "`operator` is 'In' or 'NotIn'", 6, 57},
    {"Exists with values",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  selector:\n"
     "    matchLabels: {app: w}\n"
     "    matchExpressions: [{key: tier, operator: Exists, values: [web]}]\n"
     "  template:\n    metadata: {labels: {app: w}}\n"
     "    spec: {containers: [{name: w, image: nginx}]}\n",
     "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when "
     "`operator` is 'Exists' or 'DoesNotExist'", 7, 62},
    {"an operator that is not one",
     "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n"
     "  podSelector:\n    matchExpressions: [{key: app, operator: Equals, values: [a]}]\n",
     "spec.podSelector.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid "
     "selector operator", 6, 45},
    {"a selector value that is no label value",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  selector:\n"
     "    matchLabels: {app: w}\n"
     "    matchExpressions: [{key: tier, operator: In, values: [web, 'no spaces']}]\n"
     "  template:\n    metadata: {labels: {app: w, tier: web}}\n"
     "    spec: {containers: [{name: w, image: nginx}]}\n",
     "spec.selector.matchExpressions[0].values[1]: Invalid value: \"no spaces\": a label value",
     7, 64},
    {"an annotation key",
     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {'bad key': x}\n",
     "metadata.annotations: Invalid value: \"bad key\": an annotation key", 5, 17},
};

static void test_apiserver_rules(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
        expect_refused(rules[i].name, rules[i].yaml, rules[i].msg, rules[i].line, rules[i].col,
                       0);
}

/* A text of n bytes of 'x' in a ConfigMap (or Secret) value, with extra
 * YAML after it. */
static char *big_object(const char *head, size_t n, const char *tail)
{
    size_t hl = strlen(head), tl = strlen(tail);
    char *s = malloc(hl + n + tl + 1);
    assert_non_null(s);
    memcpy(s, head, hl);
    memset(s + hl, 'x', n);
    memcpy(s + hl + n, tail, tl + 1);
    return s;
}

/* 1 MiB of data is the most a ConfigMap or Secret holds (data and
 * binaryData, or data and stringData, together); 256 KiB of annotations. */
static void test_apiserver_sizes(void **state)
{
    static const struct {
        const char *head, *ok, *over, *msg;
        size_t n;
    } sizes[] = {
        {"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: ", "\n  b: x\n",
         "\n  b: xx\n", "[]: Too long: must have at most 1048576 bytes", 1048575},
        {"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: ",
         "\nbinaryData: {b: eHh4eA==}\n", "\nbinaryData: {b: eHh4eHg=}\n", "[]: Too long",
         1048572},
        {"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  a: ",
         "\ndata: {b: eA==}\n", "\ndata: {b: eHg=}\n",
         "data: Too long: must have at most 1048576 bytes", 1048575},
        {"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    ab: ",
         "\n", "x\n", "metadata.annotations: Too long: must have at most 262144 bytes",
         262142},
    };
    size_t i, k;
    (void)state;
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (k = 0; k < 2; k++) {
            loaded l;
            char *t = big_object(sizes[i].head, sizes[i].n, k ? sizes[i].over : sizes[i].ok);
            load(&l, t);
            if (!k && (l.d.errors || l.m.n != 1))
                fail_msg("case %zu at the limit: %d errors: %s", i, l.d.errors,
                         l.d.n ? l.d.items[0].err.msg : "");
            if (k && (l.d.errors != 1 || l.m.n != 0 || !strstr(l.d.items[0].err.msg, sizes[i].msg)
                      || l.d.items[0].err.code != KS_ELIMIT))
                fail_msg("case %zu over the limit: %d errors: %s", i, l.d.errors,
                         l.d.n ? l.d.items[0].err.msg : "");
            unload(&l);
            free(t);
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
        cmocka_unit_test(test_apiserver_rules),
        cmocka_unit_test(test_apiserver_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
