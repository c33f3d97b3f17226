/* test_kubectl_changes.c -- the focus of this file: kubectl's commands
 * that change the simulated cluster print what the real kubectl prints, to
 * the character, and change what it changes: apply created/configured/
 * unchanged and its errors, create secret (which un-sticks a waiting pod),
 * delete by name, -l and -f, scale, rollout, set image, label, cordon/drain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kubectl_fixture.h"

/* ---- changes ------------------------------------------------------------------------------ */

/* kubectl-10: apply -f: created, unchanged, configured; a folder in name
 * order; paths relative to the base directory */
static void test_kubectl_apply_sequence(void **state)
{
    static const char *const dirs[] = {"k8s", NULL};
    fixture f;
    ks_strbuf out;
    tmpdir t;
    ks_id d;
    char wide[4096];
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    tmp_init(&t);
    tmp_mkdir(&t, "k8s");
    tmp_write(&t, "k8s/web-deployment.yaml", web_deployment);
    tmp_write(&t, "k8s/web-service.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                                          "spec: {selector: {app: web}, ports: [{port: 80}]}\n");
    tmp_write(&t, "k8s/notes.txt", "not a manifest\n");
    assert_int_equal(kc(&f, &out, t.path, "kubectl apply -f k8s"), 0);
    expect_text(&out, "deployment.apps/web created\nservice/web created\n");
    assert_int_equal(kc(&f, &out, t.path, "apply -f k8s/"), 0);
    expect_text(&out, "deployment.apps/web unchanged\nservice/web unchanged\n");
    snprintf(wide, sizeof wide, "%s", web_deployment);
    *strstr(wide, "replicas: 3") = '\0';
    strcat(wide, "replicas: 5\n");
    strcat(wide, strstr(web_deployment, "  selector"));
    tmp_write(&t, "k8s/web-deployment.yaml", wide);
    assert_int_equal(kc(&f, &out, t.path, "apply --filename=k8s/web-deployment.yaml "
                                          "-f k8s/web-service.yaml"), 0);
    expect_text(&out, "deployment.apps/web configured\nservice/web unchanged\n");
    d = ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, "default", "web");
    assert_int_equal(ks_cluster_deployment(f.sim, d)->replicas, 5);
    run_at(&f, 10);
    assert_int_equal(count_pods(&f, "web-", "Running"), 5);
    /* an absolute path ignores the base directory; missing paths say so */
    {
        char line[300];
        snprintf(line, sizeof line, "apply -f %s/k8s/web-service.yaml", t.path);
        assert_int_equal(kc(&f, &out, "/nonexistent", line), 0);
        expect_text(&out, "service/web unchanged\n");
    }
    assert_int_equal(kc(&f, &out, t.path, "apply -f k8s/missing.yaml"), 1);
    expect_text(&out, "error: the path \"k8s/missing.yaml\" does not exist\n");
    assert_int_equal(kc(&f, &out, t.path, "apply"), 1);
    expect_text(&out, "error: must specify one of -f and -k\n");
    tmp_fini(&t, dirs);
    fixture_fini_out(&f, &out);
}

/* kubectl-11b: an API version Kubernetes stopped serving (policy/v1beta1
 * PodDisruptionBudget, 1.25: the deprecation guide) gets kubectl's words on
 * a current cluster (cli-runtime mapper.go), and the file's other objects
 * apply; a List applies each item, a removed version among them named
 * after its own item */
static void test_kubectl_apply_removed_and_list(void **state)
{
    static const char *const dirs[] = {"zk", NULL};
    fixture f;
    ks_strbuf out;
    tmpdir t;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    tmp_init(&t);
    tmp_mkdir(&t, "zk");
    tmp_write(&t, "zk/zk.yaml",
              "apiVersion: v1\nkind: Service\nmetadata: {name: zk-cs}\n"
              "spec: {selector: {app: zk}, ports: [{port: 2181}]}\n---\n"
              "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: zk-pdb\n"
              "spec:\n  selector:\n    matchLabels:\n      app: zk\n  maxUnavailable: 1\n");
    tmp_write(&t, "zk/list.yaml",
              "apiVersion: v1\nkind: List\nitems:\n"
              "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
              "- apiVersion: batch/v1beta1\n  kind: CronJob\n  metadata: {name: old, namespace: ops}\n"
              "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n");
    assert_int_equal(kc(&f, &out, t.path, "apply -f zk/zk.yaml"), 1);
    expect_text(&out,
        "service/zk-cs created\n"
        "error: resource mapping not found for name: \"zk-pdb\" namespace: \"\" "
        "from \"zk/zk.yaml\": no matches for kind \"PodDisruptionBudget\" in version "
        "\"policy/v1beta1\"\n"
        "ensure CRDs are installed first\n");
    assert_int_equal(kc(&f, &out, t.path, "apply -f zk/list.yaml"), 1);
    expect_text(&out,
        "configmap/a created\n"
        "configmap/b created\n"
        "error: resource mapping not found for name: \"old\" namespace: \"ops\" "
        "from \"zk/list.yaml\": no matches for kind \"CronJob\" in version \"batch/v1beta1\"\n"
        "ensure CRDs are installed first\n");
    assert_true(ks_cluster_find(f.sim, KS_KIND_CONFIGMAP, "default", "b") != 0);
    tmp_fini(&t, dirs);
    fixture_fini_out(&f, &out);
}

/* kubectl-11: apply errors: an unknown kind is reported the way kubectl
 * does while the other objects apply; a broken file applies nothing */
static void test_kubectl_apply_errors(void **state)
{
    static const char *const dirs[] = {"k8s", NULL};
    fixture f;
    ks_strbuf out;
    tmpdir t;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    tmp_init(&t);
    tmp_mkdir(&t, "k8s");
    tmp_write(&t, "k8s/certificate.yaml",
              "apiVersion: certmanager.k8s.io/v1alpha1\nkind: Certificate\n"
              "metadata:\n  name: k8s-multi-com-tls\nspec:\n  secretName: k8s-multi-com\n");
    tmp_write(&t, "k8s/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"
                                     "data: {a: b}\n");
    tmp_write(&t, "k8s/zz-broken.yaml", "apiVersion: v1\nkind: ConfigMap\n"
                                        "metadata: {name: broken\ndata: {}\n---\n"
                                        "apiVersion: v1\nkind: ConfigMap\n"
                                        "metadata: {name: sibling}\n");
    assert_int_equal(kc(&f, &out, t.path, "apply -f k8s"), 1);
    expect_text(&out,
        "configmap/cfg created\n"
        "error: resource mapping not found for name: \"k8s-multi-com-tls\" namespace: \"\" "
        "from \"k8s/certificate.yaml\": no matches for kind \"Certificate\" in version "
        "\"certmanager.k8s.io/v1alpha1\"\n"
        "ensure CRDs are installed first\n"
        "error: k8s/zz-broken.yaml:4:5: did not find expected ',' or '}'\n"
        "k8s/zz-broken.yaml:3:11: note: while parsing a flow mapping\n");
    assert_non_null(ks_cluster_object(f.sim, ks_cluster_find(f.sim, KS_KIND_CONFIGMAP,
                                                             "default", "cfg")));
    assert_int_equal(ks_cluster_find(f.sim, KS_KIND_CONFIGMAP, "default", "sibling"), 0);
    /* an update the API server refuses */
    tmp_write(&t, "k8s/config.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                     "spec: {containers: [{name: a, image: nginx}]}\n");
    assert_int_equal(kc(&f, &out, t.path, "apply -f k8s/config.yaml"), 0);
    tmp_write(&t, "k8s/config.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                     "spec: {containers: [{name: a, image: redis}]}\n");
    assert_int_equal(kc(&f, &out, t.path, "apply -f k8s/config.yaml"), 1);
    expect_has(&out, "The Pod \"p\" is invalid: spec: Forbidden: pod updates may not change");
    /* an empty file, or one of comments only: kubectl's one line (issue 15) */
    tmp_write(&t, "k8s/config.yaml", "# nothing yet\n---\n");
    assert_int_equal(kc(&f, &out, t.path, "apply -f k8s/config.yaml"), 1);
    expect_text(&out, "error: no objects passed to apply\n");
    tmp_fini(&t, dirs);
    fixture_fini_out(&f, &out);
}

/* kubectl-12: create secret generic: the object kubectl builds, the stuck
 * pod starting without being recreated, and the errors */
static void test_kubectl_create_secret_unsticks_pod(void **state)
{
    fixture f;
    ks_strbuf out;
    const ks_pod *p;
    const ks_object *s;
    ks_id id;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    fixture_apply(&f, golden_pods);
    run_at(&f, 20);
    p = first_pod(&f, "server-");
    id = p->id;
    assert_string_equal(p->status, "CreateContainerConfigError");
    assert_int_equal(kc(&f, &out, NULL, "kubectl create secret generic pgpassword "
                                         "--from-literal PGPASSWORD=12345asdf"), 0);
    expect_text(&out, "secret/pgpassword created\n");
    s = ks_cluster_object(f.sim, ks_cluster_find(f.sim, KS_KIND_SECRET, "default",
                                                 "pgpassword"));
    assert_non_null(s);
    assert_string_equal(s->u.secret.type, "Opaque");
    assert_string_equal(ks_kvs_get(&s->u.secret.data, "PGPASSWORD"), "12345asdf");
    run_at(&f, 25);
    p = ks_cluster_pod(f.sim, id);
    assert_non_null(p);                            /* the same pod */
    assert_string_equal(p->status, "Running");
    assert_int_equal(p->containers[0].restarts, 0);
    assert_int_equal(kc(&f, &out, NULL, "create secret generic pgpassword "
                                         "--from-literal=PGPASSWORD=x"), 1);
    expect_text(&out, "error: failed to create secret secrets \"pgpassword\" already exists\n");
    assert_int_equal(kc(&f, &out, NULL, "create secret generic other --from-literal novalue"),
                     1);
    expect_text(&out, "error: invalid literal source novalue, expected key=value\n");
    assert_int_equal(kc(&f, &out, NULL, "create secret generic Bad_Name --from-literal=a=b"), 1);
    expect_has(&out, "error: failed to create secret Secret \"Bad_Name\" is invalid: "
                     "metadata.name: Invalid value: \"Bad_Name\": ");
    assert_int_equal(kc(&f, &out, NULL, "create secret generic x --from-literal='a b=c'"), 1);
    expect_has(&out, "error: \"a b\" is not a valid key name for a Secret");
    assert_int_equal(kc(&f, &out, NULL, "create configmap settings --from-literal=mode=dev"), 0);
    expect_text(&out, "configmap/settings created\n");
    fixture_fini_out(&f, &out);
}

/* kubectl-13: delete: by name, by -l (replacements follow), TYPE/NAME,
 * --force, -f, and NotFound */
static void test_kubectl_delete_selector(void **state)
{
    fixture f;
    ks_strbuf out;
    ks_id *ids;
    int n = 0, i;
    ks_id id = 0;
    char want[512] = "";
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    fixture_apply(&f, web_deployment);
    fixture_apply(&f, POD("lonely", "{app: other}", "nginx"));
    run_at(&f, 10);
    /* the three web pods, in name order */
    ids = calloc(8, sizeof *ids);
    while ((id = ks_cluster_next(f.sim, KS_KIND_POD, id)) != 0)
        if (strncmp(ks_cluster_pod(f.sim, id)->name, "web-", 4) == 0)
            ids[n++] = id;
    assert_int_equal(n, 3);
    for (i = 1; i < n; i++)
        if (strcmp(ks_cluster_pod(f.sim, ids[i - 1])->name, ks_cluster_pod(f.sim, ids[i])->name)
            > 0) {
            ks_id x = ids[i];
            ids[i] = ids[i - 1];
            ids[i - 1] = x;
            i = 0;
        }
    for (i = 0; i < n; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "pod \"%s\" deleted\n",
                 ks_cluster_pod(f.sim, ids[i])->name);
    assert_int_equal(kc(&f, &out, NULL, "delete pods -l app=web"), 0);
    expect_text(&out, want);
    for (i = 0; i < n; i++)
        assert_string_equal(ks_cluster_pod(f.sim, ids[i])->status, "Terminating");
    assert_string_equal(first_pod(&f, "lonely")->status, "Running");
    run_at(&f, 12);
    for (i = 0; i < n; i++)
        assert_null(ks_cluster_pod(f.sim, ids[i]));
    assert_int_equal(count_pods(&f, "web-", "Running"), 3);      /* replacements */
    assert_int_equal(kc(&f, &out, NULL, "delete pods -l app=nobody"), 0);
    expect_text(&out, "No resources found\n");
    assert_int_equal(kc(&f, &out, NULL, "delete pod/lonely --grace-period=0 --force"), 0);
    expect_text(&out, "Warning: Immediate deletion does not wait for confirmation that the "
                      "running resource has been terminated. The resource may continue to run "
                      "on the cluster indefinitely.\npod \"lonely\" force deleted\n");
    assert_null(first_pod(&f, "lonely"));
    assert_int_equal(kc(&f, &out, NULL, "delete pod lonely"), 1);
    expect_text(&out, "Error from server (NotFound): pods \"lonely\" not found\n");
    assert_int_equal(kc(&f, &out, NULL, "delete deploy web"), 0);
    expect_text(&out, "deployment.apps \"web\" deleted\n");
    assert_int_equal(ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, "default", "web"), 0);
    run_at(&f, 20);
    assert_int_equal(count_pods(&f, "web-", NULL), 0);
    free(ids);
    fixture_fini_out(&f, &out);
}

/* kubectl-14: delete -f removes what the files describe */
static void test_kubectl_delete_files(void **state)
{
    fixture f;
    ks_strbuf out;
    tmpdir t;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    tmp_init(&t);
    tmp_write(&t, "web.yaml", web_deployment);
    assert_int_equal(kc(&f, &out, t.path, "apply -f web.yaml"), 0);
    run_at(&f, 10);
    assert_int_equal(kc(&f, &out, t.path, "delete -f web.yaml"), 0);
    expect_text(&out, "deployment.apps \"web\" deleted\n");
    assert_int_equal(kc(&f, &out, t.path, "delete -f web.yaml"), 1);
    expect_text(&out, "Error from server (NotFound): error when deleting \"web.yaml\": "
                      "deployments.apps \"web\" not found\n");
    assert_int_equal(kc(&f, &out, t.path, "delete -f web.yaml --ignore-not-found"), 0);
    expect_text(&out, "");
    tmp_fini(&t, NULL);
    fixture_fini_out(&f, &out);
}

/* kubectl-15: scale, rollout restart/status/history, set image */
static void test_kubectl_scale_and_rollout(void **state)
{
    fixture f;
    ks_strbuf out;
    ks_id d;
    const ks_deployment *dp;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    fixture_apply(&f, web_deployment);
    run_at(&f, 10);
    d = ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, "default", "web");
    assert_int_equal(kc(&f, &out, NULL, "scale deployment web --replicas=5"), 0);
    expect_text(&out, "deployment.apps/web scaled\n");
    assert_int_equal(ks_cluster_deployment(f.sim, d)->replicas, 5);
    run_at(&f, 10.1);
    assert_int_equal(kc(&f, &out, NULL, "rollout status deployment/web"), 0);
    expect_text(&out, "Waiting for deployment \"web\" rollout to finish: 3 out of 5 new "
                      "replicas have been updated...\n");
    run_at(&f, 20);
    assert_int_equal(count_pods(&f, "web-", "Running"), 5);
    assert_int_equal(kc(&f, &out, NULL, "rollout status deploy web"), 0);
    expect_text(&out, "deployment \"web\" successfully rolled out\n");
    assert_int_equal(kc(&f, &out, NULL, "scale deploy/web --replicas 2"), 0);
    run_at(&f, 30);
    assert_int_equal(count_pods(&f, "web-", NULL), 2);
    assert_int_equal(kc(&f, &out, NULL, "rollout restart deployment web"), 0);
    expect_text(&out, "deployment.apps/web restarted\n");
    run_at(&f, 60);
    assert_int_equal(kc(&f, &out, NULL, "rollout history deployment/web"), 0);
    expect_text(&out, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n"
                      "2         <none>\n\n");
    assert_int_equal(kc(&f, &out, NULL, "set image deployment/web web=nginx:1.25"), 0);
    expect_text(&out, "deployment.apps/web image updated\n");
    dp = ks_cluster_deployment(f.sim, d);
    assert_string_equal(dp->tmpl->spec.containers[0].image, "nginx:1.25");
    run_at(&f, 120);
    assert_string_equal(first_pod(&f, "web-")->spec->containers[0].image, "nginx:1.25");
    assert_int_equal(kc(&f, &out, NULL, "set image deployment web nope=x"), 1);
    expect_text(&out, "error: unable to find container named \"nope\"\n");
    assert_int_equal(kc(&f, &out, NULL, "scale pod x --replicas=1"), 1);
    expect_text(&out, "error: no scaler has been implemented for {\"\" \"Pod\"}\n");
    fixture_fini_out(&f, &out);
}

/* kubectl-16: label, cordon, uncordon and drain */
static void test_kubectl_label_and_nodes(void **state)
{
    fixture f;
    ks_strbuf out;
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    fixture_apply(&f, POD("solo", "{app: solo}", "nginx"));
    fixture_apply(&f, web_deployment);
    run_at(&f, 10);
    assert_int_equal(kc(&f, &out, NULL, "label pod solo tier=db"), 0);
    expect_text(&out, "pod/solo labeled\n");
    p = first_pod(&f, "solo");
    assert_string_equal(ks_kvs_get(&p->labels, "tier"), "db");
    assert_int_equal(kc(&f, &out, NULL, "label pods solo tier=web"), 1);
    expect_text(&out, "error: 'tier' already has a value (db), and --overwrite is false\n");
    assert_int_equal(kc(&f, &out, NULL, "label pod/solo tier=web --overwrite"), 0);
    expect_text(&out, "pod/solo labeled\n");
    assert_int_equal(kc(&f, &out, NULL, "label pod solo tier-"), 0);
    expect_text(&out, "pod/solo unlabeled\n");
    assert_null(ks_kvs_get(&first_pod(&f, "solo")->labels, "tier"));
    assert_int_equal(kc(&f, &out, NULL, "label pod solo tier-"), 0);
    expect_text(&out, "label \"tier\" not found.\npod/solo not labeled\n");
    assert_int_equal(kc(&f, &out, NULL, "label pods -l app=solo tier=front"), 0);
    expect_text(&out, "pod/solo labeled\n");
    assert_string_equal(ks_kvs_get(&first_pod(&f, "solo")->labels, "tier"), "front");
    assert_int_equal(kc(&f, &out, NULL, "label pods -l app=nothing tier=x"), 0);
    expect_text(&out, "No resources found in default namespace.\n");
    assert_int_equal(kc(&f, &out, NULL, "label pod solo -l app=solo tier=x"), 1);
    expect_text(&out, "error: name cannot be provided when a selector is specified\n");
    assert_int_equal(kc(&f, &out, NULL, "label pod solo tier-"), 0);
    assert_int_equal(kc(&f, &out, NULL, "label pod solo 'a=b c'"), 1);
    expect_has(&out, "error: invalid label value: \"a=b c\": ");
    assert_int_equal(kc(&f, &out, NULL, "cordon node-1"), 0);
    expect_text(&out, "node/node-1 cordoned\n");
    assert_int_equal(kc(&f, &out, NULL, "cordon node-1"), 0);
    expect_text(&out, "node/node-1 already cordoned\n");
    assert_int_equal(kc(&f, &out, NULL, "get nodes --no-headers"), 0);
    expect_has(&out, "node-1   Ready,SchedulingDisabled   <none>");
    assert_int_equal(kc(&f, &out, NULL, "uncordon node-1"), 0);
    expect_text(&out, "node/node-1 uncordoned\n");
    assert_int_equal(kc(&f, &out, NULL, "drain node-1 --ignore-daemonsets"), 1);
    expect_text(&out, "node/node-1 cordoned\n"
                      "error: unable to drain node \"node-1\" due to error:cannot delete Pods "
                      "declare no controller (use --force to override): default/solo, "
                      "continuing command...\n"
                      "There are pending nodes to be drained:\n node-1\n"
                      "error: cannot delete Pods declare no controller (use --force to "
                      "override): default/solo\n");
    assert_string_equal(first_pod(&f, "solo")->status, "Running");
    assert_int_equal(kc(&f, &out, NULL, "drain node-1 --ignore-daemonsets --force"), 0);
    expect_has(&out, "node/node-1 already cordoned\n"
                     "Warning: deleting Pods that declare no controller: default/solo\n"
                     "evicting pod default/solo\n");
    expect_has(&out, "pod/solo evicted\n");
    expect_has(&out, "node/node-1 drained\n");
    assert_string_equal(first_pod(&f, "solo")->status, "Terminating");
    assert_int_equal(kc(&f, &out, NULL, "cordon node-9"), 1);
    expect_text(&out, "Error from server (NotFound): nodes \"node-9\" not found\n");
    fixture_fini_out(&f, &out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kubectl_apply_sequence),
        cmocka_unit_test(test_kubectl_apply_errors),
        cmocka_unit_test(test_kubectl_apply_removed_and_list),
        cmocka_unit_test(test_kubectl_create_secret_unsticks_pod),
        cmocka_unit_test(test_kubectl_delete_selector),
        cmocka_unit_test(test_kubectl_delete_files),
        cmocka_unit_test(test_kubectl_scale_and_rollout),
        cmocka_unit_test(test_kubectl_label_and_nodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
