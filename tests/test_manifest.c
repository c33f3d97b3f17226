/* test_manifest.c -- the focus of this file: Kubernetes manifests load into
 * typed objects, and every class of mistake a learner makes is reported
 * with the right code, line and column (1-based). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "manifest_fixture.h"

#define DEPLOY_HEAD "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
#define POD_TMPL                                                                   \
    "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n" \
    "      labels:\n        app: web\n    spec:\n      containers:\n"

/* l loaded, with no error and one warning, which says says; returns it. */
static const ks_error *only_warning(const loaded *l, const char *says)
{
    assert_int_equal(l->rc, KS_OK);
    assert_int_equal(l->d.errors, 0);
    assert_int_equal(l->d.warnings, 1);
    assert_non_null(strstr(l->d.items[0].err.msg, says));
    return &l->d.items[0].err;
}

/* manifest-1: each error class with its code and position */
static void test_manifest_error_table(void **state)
{
    static const struct {
        const char *name, *yaml;
        int code;
        unsigned line, col;
        const char *says;
    } cases[] = {
        {"1.1 replicas not an int", DEPLOY_HEAD "  replicas: three\n" POD_TMPL
         "        - {name: web, image: nginx}\n", KS_ESCHEMA, 6, 13, "must be an integer"},
        {"1.2 selector missing", DEPLOY_HEAD "  template:\n    metadata:\n      labels: {app: web}\n"
         "    spec:\n      containers: [{name: web, image: nginx}]\n", KS_ESCHEMA, 6, 3,
         "spec.selector is required"},
        {"1.3 selector mismatch", DEPLOY_HEAD "  selector:\n    matchLabels: {app: api}\n"
         "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n"
         "      containers: [{name: web, image: nginx}]\n", KS_EINVAL, 7, 5,
         "selector does not match template labels"},
        {"1.4 image missing", DEPLOY_HEAD POD_TMPL "        - name: web\n", KS_ESCHEMA, 15, 11,
         "image is required"},
        {"1.5 container name missing", DEPLOY_HEAD POD_TMPL "        - image: nginx\n",
         KS_ESCHEMA, 15, 11, "name is required"},
        {"1.6 port out of range", DEPLOY_HEAD POD_TMPL
         "        - name: web\n          image: nginx\n          ports: [{containerPort: 0}]\n",
         KS_EINVAL, 17, 35, "between 1 and 65535"},
        {"1.7 env value unquoted number", DEPLOY_HEAD POD_TMPL
         "        - name: web\n          image: nginx\n          env:\n"
         "            - {name: PORT, value: 5432}\n", KS_ESCHEMA, 18, 35, "put it in quotes"},
        {"1.8 bad name", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: My_Pod\nspec:\n"
         "  containers: [{name: a, image: b}]\n", KS_EINVAL, 4, 9, "lower case"},
        {"1.9 service name must start with a letter", "apiVersion: v1\nkind: Service\n"
         "metadata: {name: 1web}\nspec:\n  ports: [{port: 80}]\n", KS_EINVAL, 3, 18,
         "must start with a letter"},
        {"1.10 nodePort out of range", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
         "spec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 8080\n",
         KS_EINVAL, 8, 17, "between 30000 and 32767"},
        {"1.11 nodePort on ClusterIP", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
         "spec:\n  ports:\n    - port: 80\n      nodePort: 31000\n", KS_EINVAL, 7, 17,
         "when type is 'ClusterIP'"},
        /* a port twice on one protocol (53/UDP + 53/TCP is fine: manifest-service-protocols) */
        {"1.11b duplicate port and protocol", "apiVersion: v1\nkind: Service\n"
         "metadata: {name: web}\nspec:\n  ports:\n    - {name: a, port: 80}\n"
         "    - {name: b, port: 80, protocol: TCP}\n", KS_EINVAL, 7, 23, "duplicate port 80/TCP"},
        {"1.12 bad quantity", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\n"
         "spec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n"
         "      storage: 2GB\n", KS_EINVAL, 8, 16, "not a valid quantity"},
        {"1.13 bad access mode", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\n"
         "spec:\n  accessModes: [ReadWriteSometimes]\n  resources: {requests: {storage: 1Gi}}\n",
         KS_EINVAL, 5, 17, "ReadWriteOnce"},
        {"1.14 duplicate key", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
         "data:\n  a: x\n  a: y\n", KS_ESCHEMA, 6, 3, "duplicate key 'a'"},
        {"1.15 syntax", "apiVersion: v1\nkind: [Pod\n", KS_ESYNTAX, 3, 1, "did not find"},
        {"1.16 unknown kind", "apiVersion: certmanager.k8s.io/v1alpha1\nkind: Certificate\n"
         "metadata: {name: x}\n", KS_EUNKNOWN, 2, 7, "ensure CRDs are installed first"},
        /* a built-in kind kubesim has no reader for is not a missing CRD */
        {"1.16b built-in kind not simulated", "apiVersion: policy/v1\n"
         "kind: PodDisruptionBudget\nmetadata: {name: x}\n", KS_EUNKNOWN, 2, 7,
         "kubesim does not simulate PodDisruptionBudget (policy/v1, a built-in kind"},
        {"1.16d built-in kind of 1.34 not simulated", "apiVersion: resource.k8s.io/v1\n"
         "kind: ResourceClaimTemplate\nmetadata: {name: x}\n", KS_EUNKNOWN, 2, 7,
         "kubesim does not simulate ResourceClaimTemplate (resource.k8s.io/v1, a built-in"},
        {"1.16e review kind not simulated", "apiVersion: authorization.k8s.io/v1\n"
         "kind: SelfSubjectAccessReview\nmetadata: {name: x}\n", KS_EUNKNOWN, 2, 7,
         "kubesim does not simulate SelfSubjectAccessReview"},
        {"1.16c core kind not simulated", "apiVersion: v1\nkind: LimitRange\n"
         "metadata: {name: x}\n", KS_EUNKNOWN, 2, 7, "kubesim does not simulate LimitRange"},
        {"1.17 removed workload apiVersion", "apiVersion: extensions/v1beta1\nkind: Deployment\n"
         "metadata: {name: x}\n", KS_EUNKNOWN, 1, 13, "Kubernetes 1.16 stopped serving it, so "
         "kubectl apply fails (resource mapping not found ... ensure CRDs are installed first); "
         "use apiVersion: apps/v1"},
        /* the deprecation guide's removals, whether kubesim simulates the kind
           or not: kubectl's words, not "kubesim does not simulate" */
        {"1.17b removed version of a kind not simulated", "apiVersion: policy/v1beta1\n"
         "kind: PodDisruptionBudget\nmetadata: {name: zk-pdb}\n", KS_EUNKNOWN, 1, 13,
         "no matches for kind \"PodDisruptionBudget\" in version \"policy/v1beta1\": Kubernetes "
         "1.25 stopped serving it"},
        {"1.17c removed, with no successor", "apiVersion: policy/v1beta1\n"
         "kind: PodSecurityPolicy\nmetadata: {name: p}\n", KS_EUNKNOWN, 1, 13,
         "use Pod Security Admission"},
        {"1.17d removed in 1.26", "apiVersion: autoscaling/v2beta2\n"
         "kind: HorizontalPodAutoscaler\nmetadata: {name: h}\n", KS_EUNKNOWN, 1, 13,
         "Kubernetes 1.26 stopped serving it, so kubectl apply fails (resource mapping not "
         "found ... ensure CRDs are installed first); use apiVersion: autoscaling/v2"},
        {"1.17e removed CronJob version", "apiVersion: batch/v1beta1\nkind: CronJob\n"
         "metadata: {name: c}\n", KS_EUNKNOWN, 1, 13, "1.25 stopped serving it"},
        {"1.17f removed RBAC version", "apiVersion: rbac.authorization.k8s.io/v1beta1\n"
         "kind: Role\nmetadata: {name: r}\n", KS_EUNKNOWN, 1, 13,
         "1.22 stopped serving it, so kubectl apply fails (resource mapping not found ... ensure "
         "CRDs are installed first); use apiVersion: rbac.authorization.k8s.io/v1"},
        {"1.18 bad base64", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
         "data:\n  PASSWORD: hunter2\n", KS_EINVAL, 5, 13, "stringData"},
        {"1.19 mount of a missing volume", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
         "spec:\n  containers:\n    - name: db\n      image: postgres\n      volumeMounts:\n"
         "        - {name: data, mountPath: /var/lib/postgresql/data}\n", KS_EINVAL, 9, 11,
         "no volume of that name"},
        {"1.20 not an object", "- a\n- b\n", KS_ESCHEMA, 1, 1, "not a list"},
        {"1.21 label value must be a string", "apiVersion: v1\nkind: Pod\nmetadata:\n"
         "  name: p\n  labels: {tier: 2}\nspec:\n  containers: [{name: a, image: b}]\n",
         KS_ESCHEMA, 5, 18, "must be a string"},
        {"1.22 bad duration-free probe", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
         "spec:\n  containers:\n    - name: a\n      image: b\n      livenessProbe:\n"
         "        periodSeconds: 0\n        httpGet: {path: /, port: 80}\n", KS_EINVAL, 9, 24,
         "between 1 and"},
        {"1.23 restartPolicy of a Deployment", DEPLOY_HEAD POD_TMPL
         "        - {name: a, image: b}\n      restartPolicy: Never\n", KS_EINVAL, 16, 22,
         "supported values: \"Always\""},
        {"1.24 ingress path without pathType", "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
         "metadata: {name: i}\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n"
         "            backend: {service: {name: web, port: {number: 80}}}\n", KS_ESCHEMA, 8, 13,
         "pathType is required"},
        {"1.25 v1 ingress with the old backend form", "apiVersion: networking.k8s.io/v1\n"
         "kind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n    - http:\n        paths:\n"
         "          - path: /\n            pathType: Prefix\n            backend:\n"
         "              serviceName: web\n              servicePort: 80\n", KS_ESCHEMA, 11, 15,
         "removed v1beta1 form"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        loaded l;
        const ks_error *e;
        load(&l, cases[i].yaml);
        e = first_error(&l);
        if (!e || e->code != cases[i].code || e->line != cases[i].line
            || e->col != cases[i].col || !strstr(e->msg, cases[i].says)) {
            char buf[1024] = "(no error)";
            if (e)
                ks_error_format(e, "error", buf, sizeof buf);
            fail_msg("case %s: wanted %s at %u:%u saying \"%s\"; got [%s] %s", cases[i].name,
                     ks_error_code_name(cases[i].code), cases[i].line, cases[i].col,
                     cases[i].says, e ? ks_error_code_name(e->code) : "-", buf);
        }
        assert_int_not_equal(l.rc, KS_OK);
        unload(&l);
    }
}

/* manifest-2: several errors in one file are all reported */
static void test_manifest_reports_every_error(void **state)
{
    loaded l;
    (void)state;
    load(&l, DEPLOY_HEAD "  replicas: lots\n" POD_TMPL
         "        - name: Web\n          image: nginx\n          ports: [{containerPort: 99999}]\n");
    assert_int_equal(l.d.errors, 3);
    assert_int_equal(l.m.n, 0);                 /* nothing half-loaded */
    unload(&l);
}

/* manifest-3: a misspelt field is the API server's strict decoding error
 * (kubectl apply sends fieldValidation=Strict), with a suggestion, at the
 * field; nothing loads. Real fields kubesim does not read pass. */
static void test_manifest_misspelling_is_strict_error(void **state)
{
    loaded l;
    (void)state;
    load(&l, DEPLOY_HEAD "  replcias: 3\n  paused: false\n" POD_TMPL
         "        - name: web\n          image: nginx\n          imagePullPolicy: Always\n");
    assert_int_equal(l.rc, KS_ESCHEMA);
    assert_int_equal(l.d.errors, 1);
    assert_string_equal(first_error(&l)->msg,
                        "strict decoding error: unknown field \"spec.replcias\"; did you mean "
                        "'replicas'? (the API server refuses the whole object)");
    assert_int_equal(first_error(&l)->line, 6);
    assert_int_equal(first_error(&l)->col, 3);
    assert_int_equal(l.m.n, 0);
    unload(&l);
    load(&l, DEPLOY_HEAD "  replicas: 3\n  paused: false\n" POD_TMPL
         "        - name: web\n          image: nginx\n          imagePullPolicy: Always\n");
    assert_int_equal(l.rc, KS_OK);
    assert_int_equal(l.d.errors + l.d.warnings, 0);
    assert_int_equal(l.m.n, 1);
    unload(&l);
}

/* manifest-1c: a List (kubectl get -o yaml writes one): kubectl apply
 * applies each item (an object with "items" decodes as an UnstructuredList;
 * cli-runtime's FlattenListVisitor), so kubesim loads each, its errors at
 * the item's own line and column, and an unknown kind among them leaves
 * the others loaded, as it does between documents */
static void test_manifest_list(void **state)
{
    static const char yaml[] =
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Service\n  metadata: {name: web}\n"
        "  spec: {selector: {app: web}, ports: [{port: 80}]}\n"
        "- apiVersion: policy/v1beta1\n  kind: PodDisruptionBudget\n  metadata: {name: pdb}\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: cfg}\n  data: {a: b}\n"
        "---\napiVersion: v1\nkind: PodList\nitems:\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n"
        "  spec: {containers: [{name: a}]}\n";
    static const char not_a_seq[] = "apiVersion: v1\nkind: List\nitems: {a: b}\n";
    loaded l;
    const ks_error *e;
    (void)state;
    load(&l, yaml);
    assert_int_equal(l.m.n, 2);                          /* the Service and the ConfigMap */
    assert_int_equal(l.m.objs[0]->kind, KS_KIND_SERVICE);
    assert_int_equal(l.m.objs[0]->mark.line, 4);
    assert_int_equal(l.m.objs[1]->kind, KS_KIND_CONFIGMAP);
    assert_int_equal(l.m.unknown_kinds, 1);
    assert_int_equal(l.d.errors, 2);
    e = &l.d.items[0].err;
    assert_int_equal(e->line, 8);
    assert_int_equal(e->col, 15);
    assert_non_null(strstr(e->msg, "version \"policy/v1beta1\""));
    e = &l.d.items[1].err;                               /* the PodList's pod */
    assert_int_equal(e->line, 22);
    assert_non_null(strstr(e->msg, "image"));
    unload(&l);
    load(&l, not_a_seq);
    e = first_error(&l);
    assert_non_null(e);
    assert_int_equal(e->code, KS_ESCHEMA);
    assert_int_equal(e->line, 3);
    assert_int_equal(e->col, 8);
    assert_non_null(strstr(e->msg, "items of a List must be a list of objects"));
    unload(&l);
}

/* manifest-3b: a real field kubesim does not simulate yet is a warning where
 * it is written, never silently dropped (issue 15, item 7) */
static void test_manifest_ignored_fields_warn(void **state)
{
    loaded l;
    int i, found = 0;
    (void)state;
    load(&l, DEPLOY_HEAD POD_TMPL "        - name: web\n          image: nginx\n"
             "          lifecycle: {preStop: {exec: {command: [sleep, '5']}}}\n"
             "      tolerations: [{key: a, operator: Exists}]\n"
             "      hostNetwork: true\n");
    assert_int_equal(l.rc, KS_OK);
    assert_int_equal(l.d.errors, 0);
    assert_int_equal(l.d.warnings, 3);
    for (i = 0; i < l.d.n; i++) {
        const ks_error *e = &l.d.items[i].err;
        assert_non_null(strstr(e->msg, "kubesim does not simulate this field yet"));
        found += (strstr(e->msg, "lifecycle") && e->line == 17 && e->col == 11)
                 + (strstr(e->msg, "tolerations") && e->line == 18)
                 + (strstr(e->msg, "hostNetwork") && e->line == 19);
    }
    assert_int_equal(found, 3);
    unload(&l);
    /* an Ingress: its tls, and the ingress-nginx annotations the router does
       not read (the ones it reads and the refused snippets say nothing here) */
    load(&l, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
             "  annotations:\n    nginx.ingress.kubernetes.io/canary: \"true\"\n"
             "    nginx.ingress.kubernetes.io/rewrite-target: /\n"
             "    nginx.ingress.kubernetes.io/proxy-body-size: 8m\n"
             "    kubernetes.io/ingress.class: nginx\n"
             "spec:\n  tls: [{hosts: [a.example], secretName: a}]\n  rules:\n"
             "    - host: a.example\n      http:\n        paths:\n"
             "          - {path: /, pathType: Prefix, backend: {service: {name: w, port: {number: 80}}}}\n");
    assert_int_equal(l.rc, KS_OK);
    assert_int_equal(l.d.warnings, 3);
    found = 0;
    for (i = 0; i < l.d.n; i++) {
        const ks_error *e = &l.d.items[i].err;
        found += (strstr(e->msg, "nginx.ingress.kubernetes.io/canary: kubesim does not simulate "
                                 "this ingress-nginx annotation yet") && e->line == 6)
                 + (strstr(e->msg, "proxy-body-size") && e->line == 8)
                 + (strstr(e->msg, "spec.tls: kubesim does not simulate this field yet")
                    && e->line == 11);
    }
    assert_int_equal(found, 3);
    unload(&l);
}

/* manifest-12: a ServiceAccount is a kind; serviceAccountName is read; a
 * fieldRef's fieldPath is one the API server accepts for env; a
 * securityContext is a warning (ignored), never silent */
static void test_manifest_serviceaccount_fieldref(void **state)
{
    loaded l;
    const ks_error *e;
    (void)state;
    load(&l, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: cart}\n---\n"
             DEPLOY_HEAD POD_TMPL "        - name: web\n          image: nginx\n"
             "          securityContext: {runAsNonRoot: true}\n"
             "          env:\n"
             "            - {name: A, valueFrom: {fieldRef: {fieldPath: status.podIP}}}\n"
             "            - {name: B, valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\"}}}\n"
             "      serviceAccountName: cart\n");
    only_warning(&l, "securityContext");
    assert_int_equal(l.m.n, 2);
    assert_int_equal(l.m.objs[0]->kind, KS_KIND_SERVICEACCOUNT);
    assert_string_equal(l.m.objs[1]->u.deploy.tmpl.spec.service_account, "cart");
    assert_string_equal(l.m.objs[1]->u.deploy.tmpl.spec.containers[0].env[0].ref_key,
                        "status.podIP");
    unload(&l);
    load(&l, DEPLOY_HEAD POD_TMPL "        - name: web\n          image: nginx\n"
             "          env:\n"
             "            - {name: A, valueFrom: {fieldRef: {fieldPath: spec.hostname}}}\n");
    assert_non_null(e = first_error(&l));
    assert_non_null(strstr(e->msg, "fieldPath: Unsupported value: \"spec.hostname\": supported "
                                   "values: \"metadata.name\""));
    unload(&l);
}

/* resourceFieldRef ephemeral-storage: the container's request or limit as
 * written (a request not set is its limit); a limit not set is the node's
 * disk, which kubesim does not simulate: a warning at the env var */
static void test_manifest_ephemeral_storage_ref(void **state)
{
    loaded l;
    const ks_container *c;
    (void)state;
    load(&l, DEPLOY_HEAD POD_TMPL "        - name: web\n          image: nginx\n"
             "          resources: {limits: {ephemeral-storage: 2Gi}}\n"
             "          env:\n"
             "            - {name: R, valueFrom: {resourceFieldRef: "
             "{resource: requests.ephemeral-storage, divisor: 1Mi}}}\n"
             "            - {name: L, valueFrom: {resourceFieldRef: "
             "{resource: limits.ephemeral-storage}}}\n"
             "        - name: side\n          image: busybox\n"
             "          env:\n"
             "            - {name: S, valueFrom: {resourceFieldRef: "
             "{resource: limits.ephemeral-storage}}}\n");
    assert_int_equal(only_warning(&l, "env S: limits.ephemeral-storage of container 'side', "
                                      "which sets no ephemeral-storage limit")->line, 24);
    c = &l.m.objs[0]->u.deploy.tmpl.spec.containers[0];
    assert_int_equal(c->eph_limit, 2LL << 30);
    assert_int_equal(c->eph_request, 2LL << 30);      /* defaulted from the limit */
    unload(&l);
}

/* manifest-4: a realistic multi-document file round-trips into typed fields */
static void test_manifest_round_trip(void **state)
{
    loaded l;
    const ks_object *d, *s, *c, *sec, *ing;
    const ks_container *ct;
    (void)state;
    load(&l,
         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: postgres-deployment\n"
         "spec:\n  replicas: 1\n  strategy: {type: Recreate}\n  selector:\n    matchLabels:\n"
         "      component: postgres\n  template:\n    metadata:\n      labels:\n"
         "        component: postgres\n    spec:\n      volumes:\n        - name: storage\n"
         "          persistentVolumeClaim: {claimName: database-pvc}\n      containers:\n"
         "        - name: postgres\n          image: postgres:12\n          ports:\n"
         "            - containerPort: 5432\n          volumeMounts:\n            - name: storage\n"
         "              mountPath: /var/lib/postgresql/data\n              subPath: postgres\n"
         "          env:\n            - name: POSTGRES_PASSWORD\n              valueFrom:\n"
         "                secretKeyRef: {name: pgpassword, key: PGPASSWORD}\n"
         "          resources: {requests: {cpu: 250m, memory: 256Mi}}\n"
         "---\napiVersion: v1\nkind: Service\nmetadata: {name: postgres-cluster-ip-service}\n"
         "spec:\n  selector: {component: postgres}\n  ports:\n    - port: 5432\n"
         "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: database-pvc}\n"
         "spec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 2Gi}}\n"
         "---\napiVersion: v1\nkind: Secret\nmetadata: {name: pgpassword}\n"
         "data: {PGPASSWORD: MTIzNDVhc2Rm}\nstringData: {OTHER: plain}\n"
         "---\n"
         "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ingress-service\n"
         "  annotations:\n    nginx.ingress.kubernetes.io/use-regex: 'true'\n"
         "    nginx.ingress.kubernetes.io/rewrite-target: /$1\nspec:\n  ingressClassName: nginx\n"
         "  rules:\n    - http:\n        paths:\n          - path: /api/?(.*)\n"
         "            pathType: ImplementationSpecific\n"
         "            backend: {service: {name: server, port: {number: 5000}}}\n");
    assert_int_equal(l.rc, KS_OK);
    assert_int_equal(l.d.errors + l.d.warnings, 0);
    assert_int_equal(l.m.n, 5);                 /* the empty document is skipped */
    d = l.m.objs[0];
    assert_int_equal(d->kind, KS_KIND_DEPLOYMENT);
    assert_string_equal(d->meta.name, "postgres-deployment");
    assert_string_equal(d->meta.ns, "default");
    assert_true(d->u.deploy.recreate);
    assert_int_equal(d->u.deploy.max_surge.num, 25);
    ct = &d->u.deploy.tmpl.spec.containers[0];
    assert_string_equal(ct->image, "postgres:12");
    assert_int_equal(ct->ports[0].port, 5432);
    assert_string_equal(ct->mounts[0].sub_path, "postgres");
    assert_int_equal(ct->env[0].ref, KS_REF_SECRET);
    assert_string_equal(ct->env[0].ref_key, "PGPASSWORD");
    assert_int_equal(ct->cpu_request, 250);
    assert_int_equal(ct->mem_request, 256LL << 20);
    assert_int_equal(ct->readiness.period, 10);      /* defaults even when absent */
    assert_int_equal(d->u.deploy.tmpl.spec.grace_seconds, 30);
    assert_int_equal(d->u.deploy.tmpl.spec.volumes[0].type, KS_VOL_PVC);
    s = l.m.objs[1];
    assert_int_equal(s->u.svc.type, KS_SVC_CLUSTERIP);
    assert_int_equal(s->u.svc.ports[0].target_port.num, 5432);   /* defaults to port */
    c = l.m.objs[2];
    assert_int_equal(c->u.pvc.request, 2LL << 30);
    assert_int_equal(c->u.pvc.access, KS_RWO);
    assert_null(c->u.pvc.storage_class);
    sec = l.m.objs[3];
    assert_string_equal(ks_kvs_get(&sec->u.secret.data, "PGPASSWORD"), "12345asdf");
    assert_string_equal(ks_kvs_get(&sec->u.secret.data, "OTHER"), "plain");
    ing = l.m.objs[4];
    assert_string_equal(ing->u.ing.class_name, "nginx");
    assert_int_equal(ing->u.ing.rules[0].paths[0].type, KS_PATH_IMPL);
    assert_int_equal(ing->u.ing.rules[0].paths[0].backend.port, 5000);
    assert_null(ing->u.ing.rules[0].host);
    unload(&l);
}

/* manifest-5: limits are checked, quickly (a billion laughs is refused) */
static void test_manifest_limits(void **state)
{
    loaded l;
    char deep[400];
    int i;
    (void)state;
    load(&l, "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
             "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
             "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
             "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n");
    assert_int_equal(l.rc, KS_ELIMIT);
    assert_non_null(strstr(first_error(&l)->msg, "aliases"));
    unload(&l);
    for (i = 0; i < 100; i++)
        deep[i] = '[';
    deep[i] = '\0';
    load(&l, deep);
    assert_int_equal(l.rc, KS_ELIMIT);
    assert_non_null(strstr(first_error(&l)->msg, "nesting too deep"));
    unload(&l);
    load(&l, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n"
             "  replicas: 1000000\n" POD_TMPL "        - {name: a, image: b}\n");
    assert_int_equal(l.rc, KS_EINVAL);
    assert_non_null(strstr(first_error(&l)->msg, "between 0 and 10000"));
    unload(&l);
    load(&l, "\x01\x02\x03 binary");
    assert_int_equal(l.rc, KS_ESYNTAX);
    assert_non_null(strstr(first_error(&l)->msg, "not a text file"));
    unload(&l);
}

/* manifest-5a: the loader's limits are the API server's terms (issue 23):
 * any number of documents in a file up to what a manifest set holds (a
 * 10,000-node cluster loads), and at most 3 MiB in one document (one API
 * request), refused at that document */
static void test_manifest_api_server_terms(void **state)
{
    size_t cap = 10000 * 96 + (4u << 20), len = 0;
    char *text = malloc(cap);
    loaded l;
    int i;
    (void)state;
    assert_non_null(text);
    for (i = 0; i < 10000; i++)
        len += (size_t)sprintf(text + len, "apiVersion: v1\nkind: Node\nmetadata: {name: n%d}\n"
                                           "---\n", i);
    load(&l, text);
    assert_int_equal(l.rc, KS_OK);
    assert_int_equal(l.m.n, 10000);
    unload(&l);
    /* one ConfigMap of 3.5 MiB after a small one: refused at its line */
    len = (size_t)sprintf(text, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n");
    for (i = 0; i < 7; i++)
        len += (size_t)sprintf(text + len, "  k%d: %0*d\n", i, 512 * 1024, 0);
    load(&l, text);
    assert_int_equal(l.rc, KS_ELIMIT);
    assert_int_equal(first_error(&l)->line, 5);
    assert_non_null(strstr(first_error(&l)->msg, "the API server takes at most 3145728 bytes"));
    unload(&l);
    free(text);
}

/* manifest-4c: no limit of kubesim's own refuses what kubectl and the API
 * server take (issue 22, item 11): a 1.5 MB Ingress with 10,000 rules (over
 * 200,000 YAML nodes, no alias) loads; aliases are bounded as go-yaml
 * bounds them, at the alias that goes too far: a share of 99% (and 100
 * aliased nodes) passes, the billion laughs does not. */
static void test_manifest_limits_are_kubectls(void **state)
{
    size_t cap = 10000 * 200 + 4096, len = 0;
    char *text = malloc(cap);
    loaded l;
    int i;
    (void)state;
    assert_non_null(text);
    len = (size_t)sprintf(text, "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                                "metadata: {name: big}\nspec:\n  rules:\n");
    for (i = 0; i < 10000; i++)
        len += (size_t)sprintf(text + len,
                               "  - host: h%d.example.com\n    http:\n      paths:\n"
                               "      - {path: /, pathType: Prefix, backend: {service: "
                               "{name: s%d, port: {number: 80}}}}\n", i, i);
    load(&l, text);
    assert_int_equal(l.rc, KS_OK);
    assert_int_equal(l.m.n, 1);
    unload(&l);
    /* 2,000 nodes of which 1,000 come through aliases: 50%, kubectl reads it */
    len = (size_t)sprintf(text, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
                                "  annotations: &ann {");
    for (i = 0; i < 499; i++)
        len += (size_t)sprintf(text + len, "a%d: x, ", i);
    len += (size_t)sprintf(text + len, "z: x}\n  labels: *ann\n");
    load(&l, text);
    assert_int_equal(l.rc, KS_OK);
    unload(&l);
    /* the billion laughs: refused at the alias that passes the share */
    load(&l, "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
             "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
             "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
             "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n");
    assert_int_equal(l.rc, KS_ELIMIT);
    assert_int_equal(first_error(&l)->line, 4);
    assert_int_equal(first_error(&l)->col, 14);
    assert_non_null(strstr(first_error(&l)->msg, "document contains excessive aliasing"));
    unload(&l);
    free(text);
}

/* manifest-5b: messages that do not mislead (issue 22, item 7) */
static void test_manifest_messages_say_what_is_wrong(void **state)
{
    static const char nul[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  na\0me: x\n";
    static const char utf8[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\xff\n";
    ks_arena *ar = ks_arena_create(NULL);
    ks_manifests m = {0};
    ks_diags d;
    loaded l;
    int i;
    (void)state;
    /* a NUL byte and bad UTF-8 at line:col, not "at byte N" */
    ks_diags_init(&d);
    assert_int_equal(ks_manifest_load_text(ar, "n.yaml", nul, sizeof nul - 1, 1, 1, NULL, &m, &d),
                     KS_ESYNTAX);
    assert_int_equal(d.items[0].err.line, 4);
    assert_int_equal(d.items[0].err.col, 5);
    assert_non_null(strstr(d.items[0].err.msg, "NUL byte"));
    assert_null(strstr(d.items[0].err.msg, "at byte"));
    ks_diags_init(&d);
    ks_manifest_load_text(ar, "u.yaml", utf8, sizeof utf8 - 1, 1, 1, NULL, &m, &d);
    assert_int_equal(d.items[0].err.line, 4);
    assert_int_equal(d.items[0].err.col, 10);
    assert_non_null(strstr(d.items[0].err.msg, "UTF-8"));
    ks_arena_destroy(ar);
    /* a scenario given as a manifest is called a scenario, not a missing CRD */
    load(&l, "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: x}\nspec: {}\n");
    assert_int_equal(l.d.errors, 1);
    assert_non_null(strstr(first_error(&l)->msg, "this is a kubesim scenario"));
    assert_null(strstr(first_error(&l)->msg, "CRD"));
    unload(&l);
    /* a label value too long: that, and not also "selector must not be empty" */
    load(&l, DEPLOY_HEAD "  selector:\n    matchLabels:\n      app: "
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
             "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n"
             "      containers: [{name: web, image: nginx}]\n");
    assert_true(l.d.errors >= 1);
    assert_non_null(strstr(first_error(&l)->msg, "at most 63 characters"));
    for (i = 0; i < l.d.n; i++)
        assert_null(strstr(l.d.items[i].err.msg, "must not be empty"));
    unload(&l);
}

/* manifest-6: inline text reports marks in its enclosing file */
static void test_manifest_inline_offsets(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_manifests m = {0};
    const char *text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad}\n";
    (void)state;
    ks_diags_init(&d);
    ks_manifest_load_text(ar, "lesson.yaml", text, strlen(text), 20, 9, NULL, &m, &d);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].err.file, "lesson.yaml");
    assert_int_equal(d.items[0].err.line, 22);
    ks_arena_destroy(ar);
}

/* manifest-7: the real course manifests (the shared corpus), unmodified.
 * Its own ctest, unit_manifest_corpus (`test_manifest --corpus DIR`),
 * registered only where the corpus is (tests/CMakeLists.txt): a missing
 * folder here is a failure, never a skip. */
static const char *corpus_dir;

static void test_manifest_course_corpus(void **state)
{
    char path[600];
    loaded l;
    size_t i, deployments = 0;
    (void)state;
    snprintf(path, sizeof path, "%s/multi-k8s-v1", corpus_dir);
    memset(&l, 0, sizeof l);
    l.ar = ks_arena_create(NULL);
    ks_diags_init(&l.d);
    l.rc = ks_manifest_load_path(l.ar, path, NULL, &l.m, &l.d);
    assert_int_equal(l.rc, KS_OK);
    assert_int_equal(l.d.errors + l.d.warnings, 0);
    assert_int_equal(l.m.files, 11);
    assert_int_equal(l.m.n, 11);
    for (i = 0; i < l.m.n; i++)
        deployments += l.m.objs[i]->kind == KS_KIND_DEPLOYMENT;
    assert_int_equal(deployments, 5);
    unload(&l);

    /* the 2018 version: two cert-manager kinds unknown, the rest loads */
    snprintf(path, sizeof path, "%s/multi-k8s", corpus_dir);
    memset(&l, 0, sizeof l);
    l.ar = ks_arena_create(NULL);
    ks_diags_init(&l.d);
    l.rc = ks_manifest_load_path(l.ar, path, NULL, &l.m, &l.d);
    assert_int_equal(l.rc, KS_EUNKNOWN);
    assert_int_equal(l.m.unknown_kinds, 2);
    assert_int_equal(l.d.errors, 2);
    assert_int_equal(l.d.warnings, 3);            /* extensions/v1beta1 Ingress; its spec.tls
                                                     and ssl-redirect (TLS is not simulated) */
    assert_int_equal(l.m.n, 11);
    for (i = 0; i < l.m.n; i++)
        if (l.m.objs[i]->kind == KS_KIND_INGRESS) {
            const ks_ingress_spec *g = &l.m.objs[i]->u.ing;
            assert_true(g->legacy);
            assert_string_equal(g->class_name, "nginx");
            assert_true(g->class_from_annotation);
            assert_string_equal(g->rules[0].host, "k8s-multi.com");
            assert_string_equal(g->rules[0].paths[1].backend.service, "server-cluster-ip-service");
            assert_int_equal(g->rules[0].paths[1].backend.port, 5000);
        }
    unload(&l);
}

/* manifest-13: a pod template's hash (pod-template-hash) is over the template
 * after the API server's defaults, its keys in any order: the object read
 * back and sent again (kubectl replace) is the same template */
static uint32_t template_hash(const char *yaml)
{
    loaded l;
    uint32_t h;
    load(&l, yaml);
    assert_int_equal(l.rc, KS_OK);
    assert_int_equal(l.m.n, 1);
    h = l.m.objs[0]->u.deploy.tmpl.hash;
    unload(&l);
    return h;
}

static void test_manifest_template_hash_defaulted(void **state)
{
    const char *web = DEPLOY_HEAD POD_TMPL
        "        - name: web\n          image: nginx:1.25\n          ports: [{containerPort: 80}]\n"
        "          resources: {requests: {cpu: \"0.5\", memory: 128Mi}}\n"
        "          readinessProbe: {httpGet: {port: 80}}\n";
    const char *read_back = DEPLOY_HEAD
        "  selector:\n    matchLabels:\n      app: web\n  template:\n    spec:\n"
        "      dnsPolicy: ClusterFirst\n      restartPolicy: Always\n"
        "      schedulerName: default-scheduler\n      securityContext: {}\n"
        "      terminationGracePeriodSeconds: 30\n      containers:\n"
        "        - image: nginx:1.25\n          name: web\n          imagePullPolicy: IfNotPresent\n"
        "          terminationMessagePath: /dev/termination-log\n"
        "          terminationMessagePolicy: File\n"
        "          ports: [{containerPort: 80, protocol: TCP}]\n"
        "          resources: {requests: {memory: 128Mi, cpu: 500m}}\n"
        "          readinessProbe: {httpGet: {port: 80, path: /, scheme: HTTP}, timeoutSeconds: 1,"
        " periodSeconds: 10, successThreshold: 1, failureThreshold: 3}\n"
        "    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n";
    char other[2048];
    uint32_t h = template_hash(web);
    (void)state;
    assert_int_equal(template_hash(read_back), h);
    /* what is not a default is another template */
    snprintf(other, sizeof other, "%s          imagePullPolicy: Always\n", web);
    assert_int_not_equal(template_hash(other), h);
    snprintf(other, sizeof other, "%s      tolerations: [{key: gpu, operator: Exists}]\n", web);
    assert_int_not_equal(template_hash(other), h);
    snprintf(other, sizeof other, "%s      terminationGracePeriodSeconds: 0\n", web);
    assert_int_not_equal(template_hash(other), h);
    assert_int_not_equal(template_hash(DEPLOY_HEAD POD_TMPL
        "        - name: web\n          image: nginx:1.26\n          ports: [{containerPort: 80}]\n"
        "          resources: {requests: {cpu: \"0.5\", memory: 128Mi}}\n"
        "          readinessProbe: {httpGet: {port: 80}}\n"), h);
}

/* manifest-14: tolerations and affinity are kept as written (the API
 * returns them) and compared by content, keys in any order: the same
 * template sent back as JSON with its keys sorted, another when a value
 * changed (a Job's template is immutable: ks_pod_template_equal) */
static bool tolerations_equal(const char *a, const char *b)
{
    loaded la, lb;
    bool eq;
    char ya[1024], yb[1024];
    snprintf(ya, sizeof ya, "%s      tolerations: %s\n", DEPLOY_HEAD POD_TMPL
             "        - name: web\n          image: nginx:1.25\n", a);
    snprintf(yb, sizeof yb, "%s      tolerations: %s\n", DEPLOY_HEAD POD_TMPL
             "        - name: web\n          image: nginx:1.25\n", b);
    load(&la, ya);
    load(&lb, yb);
    assert_int_equal(la.rc, KS_OK);
    assert_int_equal(lb.rc, KS_OK);
    eq = ks_pod_template_equal(&la.m.objs[0]->u.deploy.tmpl, &lb.m.objs[0]->u.deploy.tmpl, 0);
    unload(&la);
    unload(&lb);
    return eq;
}

static void test_manifest_tolerations_kept(void **state)
{
    (void)state;
    assert_true(tolerations_equal("[{key: gpu, operator: Equal, value: a, effect: NoSchedule}]",
                                  "[{\"effect\": \"NoSchedule\", \"key\": \"gpu\", "
                                  "\"operator\": \"Equal\", \"value\": \"a\"}]"));
    assert_false(tolerations_equal("[{key: gpu, operator: Equal, value: a}]",
                                   "[{key: gpu, operator: Equal, value: b}]"));
    assert_false(tolerations_equal("[{key: gpu, operator: Exists}]", "[]"));
    assert_true(tolerations_equal("[]", "null"));
}

/* manifest-service-protocols: a Service port is unique with its protocol
 * (ValidateService keys them by {Protocol, Port}): kube-dns's 53/UDP and
 * 53/TCP load, each with its protocol */
static void test_manifest_service_protocols(void **state)
{
    loaded l;
    const ks_service_spec *s;
    (void)state;
    load(&l, "apiVersion: v1\nkind: Service\nmetadata: {name: kube-dns}\nspec:\n"
             "  selector: {k8s-app: kube-dns}\n  ports:\n"
             "    - {name: dns, port: 53, protocol: UDP}\n"
             "    - {name: dns-tcp, port: 53, protocol: TCP}\n");
    assert_int_equal(l.rc, KS_OK);
    assert_null(first_error(&l));
    s = &l.m.objs[0]->u.svc;
    assert_int_equal(s->nports, 2);
    assert_string_equal(s->ports[0].protocol, "UDP");
    assert_string_equal(s->ports[1].protocol, "TCP");
    unload(&l);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest corpus[] = {
        cmocka_unit_test(test_manifest_course_corpus),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_error_table),
        cmocka_unit_test(test_manifest_list),
        cmocka_unit_test(test_manifest_reports_every_error),
        cmocka_unit_test(test_manifest_misspelling_is_strict_error),
        cmocka_unit_test(test_manifest_ignored_fields_warn),
        cmocka_unit_test(test_manifest_serviceaccount_fieldref),
        cmocka_unit_test(test_manifest_ephemeral_storage_ref),
        cmocka_unit_test(test_manifest_round_trip),
        cmocka_unit_test(test_manifest_limits),
        cmocka_unit_test(test_manifest_api_server_terms),
        cmocka_unit_test(test_manifest_limits_are_kubectls),
        cmocka_unit_test(test_manifest_messages_say_what_is_wrong),
        cmocka_unit_test(test_manifest_inline_offsets),
        cmocka_unit_test(test_manifest_template_hash_defaulted),
        cmocka_unit_test(test_manifest_tolerations_kept),
        cmocka_unit_test(test_manifest_service_protocols),
    };
    if (argc == 3 && strcmp(argv[1], "--corpus") == 0) {
        corpus_dir = argv[2];
        return cmocka_run_group_tests(corpus, NULL, NULL);
    }
    if (argc != 1) {
        fprintf(stderr, "usage: test_manifest [--corpus DIR]\n");
        return 2;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
