/* test_kubectl.c -- the focus of this file: kubectl as a learner types it
 * against the simulated cluster prints what the real kubectl prints, to
 * the character: get tables (column alignment, STATUS, RESTARTS "4 (61s
 * ago)", AGE), describe pod, get events with aggregated counts, logs and
 * --previous, apply created/configured/unchanged and its errors, create
 * secret (which un-sticks a waiting pod), delete by name, -l and -f, scale,
 * rollout, set image, label, cordon/drain, the error messages for bad
 * command lines, and no crash on any input or allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster_fixture.h"
#include "kubectl/ks_kubectl.h"
#include "world/ks_world.h"

/* ---- helpers ------------------------------------------------------------------------- */
typedef struct tmpdir {
    char path[64];
    char files[16][320];
    int n;
} tmpdir;

static void tmp_init(tmpdir *t)
{
    snprintf(t->path, sizeof t->path, "/tmp/kubesim-kubectl-XXXXXX");
    assert_non_null(mkdtemp(t->path));
    t->n = 0;
}

/* Writes dir/name (name may be "sub/file": sub must exist). */
static void tmp_write(tmpdir *t, const char *name, const char *text)
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

static void tmp_mkdir(tmpdir *t, const char *name)
{
    char full[256];
    snprintf(full, sizeof full, "%s/%s", t->path, name);
    assert_int_equal(mkdir(full, 0700), 0);
}

static void tmp_fini(tmpdir *t, const char *const *dirs)
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
static int kc(fixture *f, ks_strbuf *out, const char *base, const char *line)
{
    ks_strbuf_clear(out);
    return ks_kubectl_run(f->sim, line, base, out);
}

/* Asserts the whole output, showing both texts when they differ. */
static void expect_text(const ks_strbuf *out, const char *want)
{
    if (strcmp(ks_strbuf_str(out), want) != 0)
        fail_msg("output differs.\n--- got:\n%s--- wanted:\n%s---", ks_strbuf_str(out), want);
}

static void expect_has(const ks_strbuf *out, const char *part)
{
    if (!strstr(ks_strbuf_str(out), part))
        fail_msg("output lacks \"%s\":\n%s", part, ks_strbuf_str(out));
}

static void run_at(fixture *f, double secs)
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

/* ---- words and tables ---------------------------------------------------------------- */

/* kubectl-1: the command line splits as a shell would split it */
static void test_kubectl_split_words(void **state)
{
    static const struct {
        const char *line;
        int n;
        const char *words[6];
    } cases[] = {
        {"get pods", 2, {"get", "pods"}},
        {"  get\tpods  ", 2, {"get", "pods"}},
        {"label pod x 'a=b c'", 4, {"label", "pod", "x", "a=b c"}},
        {"-l \"app in (a, b)\"", 2, {"-l", "app in (a, b)"}},
        {"x \"say \\\"hi\\\"\" y", 3, {"x", "say \"hi\"", "y"}},
        {"a\\ b c", 2, {"a b", "c"}},
        {"--from-literal=K='v w'", 1, {"--from-literal=K=v w"}},
        {"'' x", 2, {"", "x"}},
        {"", 0, {NULL}},
        {"   ", 0, {NULL}},
        {"it's", -1, {NULL}},
        {"\"open", -1, {NULL}},
    };
    size_t i;
    int j;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ks_arena *ar = ks_arena_create(NULL);
        const char **w = NULL;
        char why[100] = "";
        int n = ks_kubectl_split(ar, cases[i].line, &w, why, sizeof why);
        if (n != cases[i].n)
            fail_msg("'%s': %d words, wanted %d (%s)", cases[i].line, n, cases[i].n, why);
        for (j = 0; j < n; j++)
            assert_string_equal(w[j], cases[i].words[j]);
        if (n < 0)
            assert_non_null(strstr(why, "unterminated quote"));
        ks_arena_destroy(ar);
    }
}

/* kubectl-2: the table writer is Go's tabwriter: column blocks, padding,
 * minimum width, the last cell never padded */
static void test_kubectl_tabwriter(void **state)
{
    ks_strbuf out;
    static const char t1[] = "NAME\tREADY\tAGE\nweb-1\t1/1\t5s\nx\t0/1\t10m\n";
    static const char t2[] = "a\tb\n\nccc\td\n";                  /* a blank line splits blocks */
    static const char t3[] = "Name:\tx\nLabels:\ta=b\n\tc=d\nIPs:\n  IP:\t1.2.3.4\nVery Long Key:\tv\n";
    (void)state;
    ks_strbuf_init(&out, NULL);
    ks_kubectl_tabwrite(&out, t1, sizeof t1 - 1, 6, 3);
    expect_text(&out, "NAME    READY   AGE\nweb-1   1/1     5s\nx       0/1     10m\n");
    ks_strbuf_clear(&out);
    ks_kubectl_tabwrite(&out, t2, sizeof t2 - 1, 6, 3);
    expect_text(&out, "a     b\n\nccc   d\n");
    ks_strbuf_clear(&out);
    ks_kubectl_tabwrite(&out, t3, sizeof t3 - 1, 0, 2);
    expect_text(&out, "Name:    x\nLabels:  a=b\n         c=d\nIPs:\n  IP:           1.2.3.4\n"
                      "Very Long Key:  v\n");
    ks_strbuf_clear(&out);
    ks_kubectl_tabwrite(&out, "no newline\tat end", 18, 0, 2);
    expect_text(&out, "no newline  at end");
    ks_strbuf_fini(&out);
}

/* ---- get ----------------------------------------------------------------------------- */

/* kubectl-3: get pods, golden: Running, CrashLoopBackOff with "4 (61s ago)",
 * CreateContainerConfigError and Terminating, aligned like kubectl */
static void test_kubectl_get_pods_golden(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f, golden_pods), 0);
    run_at(&f, 133);
    assert_int_equal(kc(&f, &out, NULL, "kubectl delete pod old-pod"), 0);
    expect_text(&out, "pod \"old-pod\" deleted\n");
    assert_int_equal(kc(&f, &out, NULL, "kubectl get pods"), 0);
    expect_text(&out,
        "NAME                      READY   STATUS                       RESTARTS      AGE\n"
        "crash                     0/1     CrashLoopBackOff             4 (61s ago)   2m13s\n"
        "old-pod                   1/1     Terminating                  0             2m13s\n"
        "server-5b69b5dd9c-k5xp5   0/1     CreateContainerConfigError   0             2m13s\n"
        "web-1                     1/1     Running                      0             2m13s\n"
        "web-2                     1/1     Running                      0             2m13s\n"
        "web-3                     1/1     Running                      0             2m13s\n");
    /* label selectors: set-based and equality, negation */
    assert_int_equal(kc(&f, &out, NULL, "get pods -l 'app in (web,crash),!tier'"), 0);
    expect_text(&out,
        "NAME    READY   STATUS             RESTARTS      AGE\n"
        "crash   0/1     CrashLoopBackOff   4 (61s ago)   2m13s\n"
        "web-1   1/1     Running            0             2m13s\n"
        "web-2   1/1     Running            0             2m13s\n");
    assert_int_equal(kc(&f, &out, NULL, "get po --selector='app!=web,app notin (crash)'"), 0);
    expect_has(&out, "old-pod ");
    expect_has(&out, "server-5b69b5dd9c-k5xp5 ");
    assert_null(strstr(ks_strbuf_str(&out), "web-"));
    assert_int_equal(kc(&f, &out, NULL, "get pods -l tier==front -o name"), 0);
    expect_text(&out, "pod/web-3\n");
    assert_int_equal(kc(&f, &out, NULL, "get pods -l app=nothing"), 0);
    expect_text(&out, "No resources found in default namespace.\n");
    /* -o wide adds IP, NODE, NOMINATED NODE, READINESS GATES */
    assert_int_equal(kc(&f, &out, NULL, "get pod web-3 crash -owide"), 0);
    expect_has(&out, "NAME    READY   STATUS             RESTARTS      AGE     IP         ");
    expect_has(&out, "NODE     NOMINATED NODE   READINESS GATES\n");
    expect_has(&out, "   node-1   <none>           <none>\n");
    assert_int_equal(kc(&f, &out, NULL, "get pods web-3 --show-labels --no-headers"), 0);
    expect_text(&out, "web-3   1/1   Running   0     2m13s   app=web,tier=front\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-4: get events: LAST SEEN with "(xN over T)" for aggregated
 * events, OBJECT as kind/name, oldest last-seen first */
static void test_kubectl_get_events_aggregated(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
    fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: crash}\nspec:\n"
                      "  containers:\n    - {name: app, image: busybox, "
                      "command: [sh, -c, 'echo boom; exit 1']}\n");
    run_at(&f, 100);
    assert_int_equal(kc(&f, &out, NULL, "get events"), 0);
    expect_text(&out,
        "LAST SEEN           TYPE      REASON      OBJECT      MESSAGE\n"
        "99s                 Normal    Scheduled   pod/crash   Successfully assigned default/crash to node-1\n"
        "99s                 Normal    Pulling     pod/crash   Pulling image \"busybox\"\n"
        "98s                 Normal    Pulled      pod/crash   Successfully pulled image \"busybox\" in 1s\n"
        "28s (x5 over 98s)   Normal    Created     pod/crash   Created container app\n"
        "28s (x5 over 98s)   Normal    Started     pod/crash   Started container app\n"
        "28s (x4 over 98s)   Normal    Pulled      pod/crash   Container image \"busybox\" already present on machine\n"
        "28s (x4 over 98s)   Warning   BackOff     pod/crash   Back-off restarting failed container app in pod crash_default\n");
    assert_int_equal(kc(&f, &out, NULL, "get events -n kube-system"), 0);
    expect_text(&out, "No resources found in kube-system namespace.\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-5: other resources: deployments, rs, services (ClusterIP,
 * NodePort, LoadBalancer <pending> then an address), endpoints, secrets,
 * nodes, get all and comma lists with TYPE/NAME names */
static void test_kubectl_get_other_resources(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
    fixture_apply(&f, web_deployment);
    fixture_apply(&f,
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
        "spec: {selector: {app: web}, ports: [{port: 80, targetPort: 80}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: web-np}\nspec:\n"
        "  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, nodePort: 31515}]\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: web-lb}\nspec:\n"
        "  type: LoadBalancer\n  selector: {app: nobody}\n  ports: [{port: 8080, nodePort: 31000}]\n");
    assert_int_equal(kc(&f, &out, NULL, "get svc"), 0);
    expect_has(&out, "NAME     TYPE           CLUSTER-IP ");
    expect_has(&out, "EXTERNAL-IP   PORT(S)          AGE\n");
    expect_has(&out, "   LoadBalancer   ");
    expect_has(&out, "   <pending>     8080:31000/TCP   0s\n");
    expect_has(&out, "   <none>        80:31515/TCP     0s\n");
    expect_has(&out, "   <none>        80/TCP           0s\n");
    run_at(&f, 20);
    assert_int_equal(kc(&f, &out, NULL, "get deployments"), 0);
    expect_text(&out, "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n"
                      "web    3/3     3            3           20s\n");
    assert_int_equal(kc(&f, &out, NULL, "get rs"), 0);
    expect_has(&out, "NAME             DESIRED   CURRENT   READY   AGE\nweb-");
    expect_has(&out, "   3         3         3       20s\n");
    assert_int_equal(kc(&f, &out, NULL, "get service web-lb"), 0);
    assert_null(strstr(ks_strbuf_str(&out), "<pending>"));
    expect_has(&out, "8080:31000/TCP");
    assert_int_equal(kc(&f, &out, NULL, "get endpoints web web-lb"), 0);
    expect_has(&out, "NAME     ENDPOINTS                                   AGE\nweb      10.244.0.");
    expect_has(&out, ":80,10.244.0.");
    expect_has(&out, "web-lb   <none>                                      20s\n");
    assert_int_equal(kc(&f, &out, NULL, "get all"), 0);
    expect_has(&out, "NAME                       READY   STATUS    RESTARTS   AGE\npod/web-");
    expect_has(&out, "\n\nNAME             TYPE           CLUSTER-IP");
    expect_has(&out, "\nservice/web-lb   LoadBalancer   ");
    expect_has(&out, "\n\nNAME                  READY   UP-TO-DATE   AVAILABLE   AGE\n"
                     "deployment.apps/web   3/3     3            3           20s\n\n");
    expect_has(&out, "\nreplicaset.apps/web-");
    assert_int_equal(kc(&f, &out, NULL, "get deploy,svc/web"), 1);
    expect_text(&out, "error: the server doesn't have a resource type \"deploy,svc\"\n");
    assert_int_equal(kc(&f, &out, NULL, "get deploy/web svc/web-np"), 0);
    expect_has(&out, "deployment.apps/web   3/3");
    expect_has(&out, "\n\nNAME             TYPE       CLUSTER-IP");
    assert_int_equal(kc(&f, &out, NULL, "get nodes"), 0);
    expect_text(&out, "NAME     STATUS   ROLES    AGE   VERSION\n"
                      "node-1   Ready    <none>   20s   " KS_KUBECTL_K8S_VERSION "\n");
    assert_int_equal(kc(&f, &out, NULL, "get secrets"), 0);
    expect_text(&out, "No resources found in default namespace.\n");
    assert_int_equal(kc(&f, &out, NULL, "create secret generic pgpassword "
                                         "--from-literal PGPASSWORD=12345asdf "
                                         "--from-literal=PGUSER=postgres"), 0);
    assert_int_equal(kc(&f, &out, NULL, "get secret"), 0);
    expect_text(&out, "NAME         TYPE     DATA   AGE\npgpassword   Opaque   2      0s\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-6: storage: get pvc, pv and storageclass with kubectl's columns */
static void test_kubectl_get_storage(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(kc(&f, &out, NULL, "get sc"), 0);
    expect_text(&out,
        "NAME                 PROVISIONER                RECLAIMPOLICY   VOLUMEBINDINGMODE   "
        "ALLOWVOLUMEEXPANSION   AGE\n"
        "standard (default)   k8s.io/minikube-hostpath   Delete          Immediate           "
        "false                  0s\n");
    fixture_apply(&f, "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n"
                      "spec:\n  accessModes: [ReadWriteOnce]\n"
                      "  resources: {requests: {storage: 2Gi}}\n");
    run_at(&f, 5);
    assert_int_equal(kc(&f, &out, NULL, "get pvc"), 0);
    expect_has(&out, "NAME   STATUS   VOLUME   ");
    expect_has(&out, "CAPACITY   ACCESS MODES   STORAGECLASS   AGE\n");
    expect_has(&out, "data   Bound    pvc-");
    expect_has(&out, "   2Gi        RWO            standard       5s\n");
    assert_int_equal(kc(&f, &out, NULL, "get pv"), 0);
    expect_has(&out, "CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          "
                     "STORAGECLASS   REASON   AGE\n");
    expect_has(&out, "   2Gi        RWO            Delete           Bound    default/data   "
                     "standard                5s\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* ---- describe and logs ------------------------------------------------------------------ */

/* kubectl-7: describe pod, golden: a secret env var, one restart (Last
 * State), a subPath mount, and the Events table with (x2 over 28s) */
static void test_kubectl_describe_pod_golden(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(fixture_apply(&f,
        "apiVersion: v1\nkind: Secret\nmetadata: {name: pgpassword}\n"
        "stringData: {PGPASSWORD: 12345asdf}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: db, labels: {component: postgres}}\n"
        "spec:\n  containers:\n    - name: db\n      image: busybox\n"
        "      command: [sh, -c, 'echo ready; sleep 20; echo bye; exit 3']\n"
        "      ports: [{containerPort: 5432}]\n      env:\n"
        "        - {name: PGUSER, value: postgres}\n        - name: PGPASSWORD\n"
        "          valueFrom: {secretKeyRef: {name: pgpassword, key: PGPASSWORD}}\n"
        "      volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data, "
        "subPath: postgres}]\n"
        "  volumes:\n    - name: data\n      emptyDir: {}\n"), 0);
    run_at(&f, 30);
    assert_int_equal(kc(&f, &out, NULL, "describe pod db"), 0);
    expect_text(&out,
        "Name:             db\n"
        "Namespace:        default\n"
        "Priority:         0\n"
        "Service Account:  default\n"
        "Node:             node-1/192.168.49.2\n"
        "Start Time:       Mon, 01 Jan 2024 00:00:00 +0000\n"
        "Labels:           component=postgres\n"
        "Annotations:      <none>\n"
        "Status:           Running\n"
        "IP:               10.244.0.2\n"
        "IPs:\n"
        "  IP:  10.244.0.2\n"
        "Containers:\n"
        "  db:\n"
        "    Container ID:  docker://838485a63b695fde2df047d69a4c66f8dab696ed6a443402d94f6ca5c7fea070\n"
        "    Image:         busybox\n"
        "    Image ID:      docker-pullable://busybox@sha256:4c1ea95817224d4838891c8587b8d5a7bcd2c07bd1858feece25502e715a6931\n"
        "    Port:          5432/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Command:\n"
        "      sh\n"
        "      -c\n"
        "      echo ready; sleep 20; echo bye; exit 3\n"
        "    State:          Running\n"
        "      Started:      Mon, 01 Jan 2024 00:00:21 +0000\n"
        "    Last State:     Terminated\n"
        "      Reason:       Error\n"
        "      Exit Code:    3\n"
        "      Started:      Mon, 01 Jan 2024 00:00:01 +0000\n"
        "      Finished:     Mon, 01 Jan 2024 00:00:21 +0000\n"
        "    Ready:          True\n"
        "    Restart Count:  1\n"
        "    Environment:\n"
        "      PGUSER:      postgres\n"
        "      PGPASSWORD:  <set to the key 'PGPASSWORD' in secret 'pgpassword'>  Optional: false\n"
        "    Mounts:\n"
        "      /var/lib/postgresql/data from data (rw,path=\"postgres\")\n"
        "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-46fjr (ro)\n"
        "Conditions:\n"
        "  Type                        Status\n"
        "  PodReadyToStartContainers   True \n"
        "  Initialized                 True \n"
        "  Ready                       True \n"
        "  ContainersReady             True \n"
        "  PodScheduled                True \n"
        "Volumes:\n"
        "  data:\n"
        "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n"
        "    Medium:     \n"
        "    SizeLimit:  <unset>\n"
        "  kube-api-access-46fjr:\n"
        "    Type:                    Projected (a volume that contains injected data from multiple sources)\n"
        "    TokenExpirationSeconds:  3607\n"
        "    ConfigMapName:           kube-root-ca.crt\n"
        "    Optional:                false\n"
        "    DownwardAPI:             true\n"
        "QoS Class:                   BestEffort\n"
        "Node-Selectors:              <none>\n"
        "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        "Events:\n"
        "  Type    Reason     Age               From               Message\n"
        "  ----    ------     ----              ----               -------\n"
        "  Normal  Scheduled  29s               default-scheduler  Successfully assigned default/db to node-1\n"
        "  Normal  Pulling    29s               kubelet            Pulling image \"busybox\"\n"
        "  Normal  Pulled     28s               kubelet            Successfully pulled image \"busybox\" in 1s\n"
        "  Normal  Created    8s (x2 over 28s)  kubelet            Created container db\n"
        "  Normal  Started    8s (x2 over 28s)  kubelet            Started container db\n"
        "  Normal  Pulled     8s                kubelet            Container image \"busybox\" already present on machine\n");
    /* a name prefix describes every match, as kubectl does */
    assert_int_equal(kc(&f, &out, NULL, "describe pods d"), 0);
    expect_has(&out, "Name:             db\n");
    assert_int_equal(kc(&f, &out, NULL, "describe pod nope"), 1);
    expect_text(&out, "Error from server (NotFound): pods \"nope\" not found\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-8: describe waiting, terminating and template forms */
static void test_kubectl_describe_other_states(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
    fixture_apply(&f, golden_pods);
    fixture_apply(&f, web_deployment);
    run_at(&f, 20);
    assert_int_equal(kc(&f, &out, NULL, "describe pod server-5b69b5dd9c-k5xp5"), 0);
    expect_has(&out, "Status:           Pending\n");
    expect_has(&out, "    Container ID:   \n    Image:          stephengrider/multi-server\n");
    expect_has(&out, "    State:          Waiting\n      Reason:       "
                     "CreateContainerConfigError\n    Ready:          False\n");
    expect_has(&out, "Warning  Failed     ");
    expect_has(&out, "kubelet            Error: secret \"pgpassword\" not found\n");
    kc(&f, &out, NULL, "delete pod web-1");
    assert_int_equal(kc(&f, &out, NULL, "describe pod/web-1"), 0);
    expect_has(&out, "Status:                    Terminating (lasts <invalid>)\n"
                     "Termination Grace Period:  30s\n");
    assert_int_equal(kc(&f, &out, NULL, "describe deployment web"), 0);
    expect_has(&out, "Replicas:               3 desired | 3 updated | 3 total | 3 available | "
                     "0 unavailable\nStrategyType:           RollingUpdate\n");
    expect_has(&out, "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n"
                     "Pod Template:\n  Labels:  app=web\n  Containers:\n   web:\n"
                     "    Image:         nginx\n    Port:          80/TCP\n"
                     "    Host Port:     0/TCP\n    Environment:   <none>\n"
                     "    Mounts:        <none>\n  Volumes:         <none>\n"
                     "  Node-Selectors:  <none>\n  Tolerations:     <none>\nConditions:\n"
                     "  Type           Status  Reason\n  ----           ------  ------\n"
                     "  Available      True    MinimumReplicasAvailable\n"
                     "  Progressing    True    NewReplicaSetAvailable\n"
                     "OldReplicaSets:  <none>\nNewReplicaSet:   web-");
    expect_has(&out, "Normal  ScalingReplicaSet  20s   deployment-controller  "
                     "Scaled up replica set web-");
    assert_int_equal(kc(&f, &out, NULL, "describe node node-1"), 0);
    expect_has(&out, "Name:               node-1\n");
    expect_has(&out, "Unschedulable:      false\n");
    assert_int_equal(kc(&f, &out, NULL, "describe secret x"), 1);
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-9: logs: current and --previous runs, --tail, --timestamps,
 * the container choice, and kubectl's errors */
static void test_kubectl_logs_previous(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
    fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n"
                      "  containers:\n"
                      "    - {name: main, image: busybox, command: [sh, -c, "
                      "'echo one; echo two; sleep 10; echo three; exit 2']}\n"
                      "    - {name: side, image: busybox, command: [sh, -c, "
                      "'echo side; sleep 3600']}\n");
    run_at(&f, 0.5);
    assert_int_equal(kc(&f, &out, NULL, "logs app -c main"), 1);
    expect_text(&out, "Error from server (BadRequest): container \"main\" in pod \"app\" is "
                      "waiting to start: ContainerCreating\n");
    run_at(&f, 5);
    assert_int_equal(kc(&f, &out, NULL, "logs app"), 0);
    expect_text(&out, "Defaulted container \"main\" out of: main, side\none\ntwo\n");
    assert_int_equal(kc(&f, &out, NULL, "logs app -c main --previous"), 1);
    expect_text(&out, "Error from server (BadRequest): previous terminated container \"main\" "
                      "in pod \"app\" not found\n");
    assert_int_equal(kc(&f, &out, NULL, "logs app side"), 0);
    expect_text(&out, "side\n");
    run_at(&f, 15);                              /* main exited (2) and restarted */
    assert_int_equal(kc(&f, &out, NULL, "logs app -c main -p"), 0);
    expect_text(&out, "one\ntwo\nthree\n");
    assert_int_equal(kc(&f, &out, NULL, "logs app -c main --previous --tail=1"), 0);
    expect_text(&out, "three\n");
    assert_int_equal(kc(&f, &out, NULL, "logs app -c main --tail 0"), 0);
    expect_text(&out, "");
    assert_int_equal(kc(&f, &out, NULL, "logs app -c main --timestamps"), 0);
    expect_has(&out, "2024-01-01T00:00:11.");
    expect_has(&out, "Z one\n");
    assert_int_equal(kc(&f, &out, NULL, "logs app -c nope"), 1);
    expect_text(&out, "Error from server (BadRequest): container nope is not valid for pod app\n");
    assert_int_equal(kc(&f, &out, NULL, "logs ghost"), 1);
    expect_text(&out, "Error from server (NotFound): pods \"ghost\" not found\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

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
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
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
    ks_strbuf_fini(&out);
    fixture_fini(&f);
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
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
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
    ks_strbuf_fini(&out);
    fixture_fini(&f);
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
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
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
    ks_strbuf_fini(&out);
    fixture_fini(&f);
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
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
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
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-14: delete -f removes what the files describe */
static void test_kubectl_delete_files(void **state)
{
    fixture f;
    ks_strbuf out;
    tmpdir t;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
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
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-15: scale, rollout restart/status/history, set image */
static void test_kubectl_scale_and_rollout(void **state)
{
    fixture f;
    ks_strbuf out;
    ks_id d;
    const ks_deployment *dp;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
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
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-16: label, cordon, uncordon and drain */
static void test_kubectl_label_and_nodes(void **state)
{
    fixture f;
    ks_strbuf out;
    const ks_pod *p;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
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
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-17: the messages kubectl prints for command lines it refuses */
static void test_kubectl_error_messages(void **state)
{
    static const struct {
        const char *line;
        int rc;
        const char *out;
    } cases[] = {
        {"", 0, ""},
        {"   ", 0, ""},
        /* cobra suggests within 2 edits: foo -> top */
        {"foo", 1, "error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n"
                   "\ttop\n\n"},
        {"bar", 1, "error: unknown command \"bar\" for \"kubectl\"\n"},
        {"kubectl gte pods", 1, "error: unknown command \"gte\" for \"kubectl\"\n\n"
                                "Did you mean this?\n\tget\n\n"},
        {"get pods --foo", 1, "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"},
        {"get pods -x", 1, "error: unknown shorthand flag: 'x' in -x\n"
                           "See 'kubectl get --help' for usage.\n"},
        {"get pods -l", 1, "error: flag needs an argument: 'l' in -l\n"
                           "See 'kubectl get --help' for usage.\n"},
        {"scale deployment web --replicas", 1, "error: flag needs an argument: --replicas\n"
                                               "See 'kubectl scale --help' for usage.\n"},
        {"get foos", 1, "error: the server doesn't have a resource type \"foos\"\n"},
        {"get pods nope", 1, "Error from server (NotFound): pods \"nope\" not found\n"},
        {"get", 1, "You must specify the type of resource to get. Use \"kubectl api-resources\" "
                   "for a complete list of supported resources.\n\n"
                   "error: Required resource not specified.\n"
                   "Use \"kubectl explain <resource>\" for a detailed description of that "
                   "resource (e.g. kubectl explain pods).\n"
                   "See 'kubectl get -h' for help and examples\n"},
        {"delete pod", 1, "error: resource(s) were provided, but no name was specified\n"},
        {"delete", 1, "error: You must provide one or more resources by argument or filename.\n"
                      "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                      "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"},
        {"delete deployment nope", 1, "Error from server (NotFound): deployments.apps \"nope\" "
                                      "not found\n"},
        {"delete svc nope", 1, "Error from server (NotFound): services \"nope\" not found\n"},
        {"delete pvc nope", 1, "Error from server (NotFound): persistentvolumeclaims \"nope\" "
                               "not found\n"},
        {"delete pods x -l app=web", 1, "error: name cannot be provided when a selector is "
                                        "specified\n"},
        {"delete pod x --now --grace-period=3", 1, "error: --now and --grace-period cannot be "
                                                   "specified together\n"},
        {"scale deployment web", 1, "error: required flag(s) \"replicas\" not set\n"},
        {"scale deployment --replicas=2", 1, "error: resource(s) were provided, but no name "
                                             "was specified\n"},
        {"scale deployment web --replicas=abc", 1,
         "error: invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing "
         "\"abc\": invalid syntax\nSee 'kubectl scale --help' for usage.\n"},
        {"scale deployment web --replicas=99999999999999999999999", 1,
         "error: invalid argument \"99999999999999999999999\" for \"--replicas\" flag: "
         "strconv.ParseInt: parsing \"99999999999999999999999\": value out of range\n"
         "See 'kubectl scale --help' for usage.\n"},
        {"scale deployment web --replicas=-1", 1, "error: The --replicas=COUNT flag is "
                                                  "required, and COUNT must be greater than or "
                                                  "equal to 0\n"},
        {"scale deploy nope --replicas=2", 1, "Error from server (NotFound): deployments.apps "
                                              "\"nope\" not found\n"},
        {"delete pod x --force=maybe", 1,
         "error: invalid argument \"maybe\" for \"--force\" flag: strconv.ParseBool: parsing "
         "\"maybe\": invalid syntax\nSee 'kubectl delete --help' for usage.\n"},
        {"logs", 1, "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                    "POD or TYPE/NAME is a required argument for the logs command\n"
                    "See 'kubectl logs -h' for help and examples\n"},
        {"describe", 1, "error: You must specify the type of resource to describe. Use "
                        "\"kubectl api-resources\" for a complete list of supported "
                        "resources.\n"},
        {"create secret generic", 1, "error: exactly one NAME is required, got 0\n"},
        {"create", 1, "error: must specify one of -f and -k\n"},
        {"label pod", 1, "error: at least one label update is required\n"
                         "See 'kubectl label -h' for help and examples\n"},
        {"label", 1, "error: one or more resources must be specified as <resource> <name> or "
                     "<resource>/<name>\nSee 'kubectl label -h' for help and examples\n"},
        {"set image deployment/web", 1, "error: at least one image update is required\n"
                                        "See 'kubectl set image -h' for help and examples\n"},
        {"cordon", 1, "error: USAGE: cordon NODE [flags]\n"
                      "See 'kubectl cordon -h' for help and examples\n"},
        {"rollout foo", 1, "error: unknown command \"foo\" for \"kubectl rollout\"\n"},
        {"rollout restart", 1, "error: required resource not specified\n"},
        {"rollout restart pod/x", 1, "Error from server (NotFound): pods \"x\" not found\n"},
        {"get pods 'oops", 1, "error: unterminated quote (') in the command line\n"},
        {"get pods -l 'a in b'", 1, "error: unable to parse requirement: expected '(' after "
                                    "'in', as in: env in (prod,dev)\n"},
        {"get pods -o foo", 1, "error: unable to match a printer suitable for the output "
                               "format \"foo\", allowed formats are: custom-columns,"
                               "custom-columns-file,go-template,go-template-file,json,"
                               "jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                               "templatefile,wide,yaml\n"},
        {"get pod/x pods", 1, "error: there is no need to specify a resource type as a "
                              "separate argument when passing arguments in resource/name form "
                              "(e.g. 'kubectl get resource/<resource_name>' instead of "
                              "'kubectl get resource resource/<resource_name>'\n"},
        {"-n Bad_NS get pods", 1, NULL},
        {"get pods -n kube-system", 0, "No resources found in kube-system namespace.\n"},
        {"get pv", 0, "No resources found\n"},
    };
    fixture f;
    ks_strbuf out;
    size_t i;
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = kc(&f, &out, NULL, cases[i].line);
        if (rc != cases[i].rc || (cases[i].out && strcmp(ks_strbuf_str(&out), cases[i].out)))
            fail_msg("kubectl %s\n--- rc %d, got:\n%s--- wanted rc %d:\n%s---", cases[i].line,
                     rc, ks_strbuf_str(&out), cases[i].rc, cases[i].out ? cases[i].out : "");
        if (rc)
            assert_true(out.len > 0);
    }
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* ---- robustness --------------------------------------------------------------------------- */

/* kubectl-18: no input crashes it: odd words, flags in odd places, huge
 * numbers, random combinations of real words */
static void test_kubectl_never_crashes(void **state)
{
    static const char *const vocab[] = {
        "get", "describe", "logs", "delete", "apply", "create", "scale", "rollout", "set",
        "label", "cordon", "uncordon", "drain", "pods", "pod", "deploy", "svc", "all",
        "events", "nodes", "pvc", "pv", "sc", "ep", "ing", "rs", "secret", "generic",
        "configmap", "image", "restart", "status", "history", "web", "web-1", "crash",
        "node-1", "-l", "app=web", "-o", "wide", "name", "-f", "x.yaml", "--replicas=3",
        "--replicas", "-1", "99999999999999999999", "-p", "-c", "--tail=2", "--force",
        "--grace-period=0", "--all", "-A", "-n", "default", "a=b", "a-", "--overwrite", "''",
        "deployment/web", "pod/crash", "=", "/", "-", "--", "-owide", "-lapp", "\"\"", "*",
        "--from-literal", "K=V", "--show-labels", "--previous", "--timestamps", "web=nginx"};
    static const char *const odd[] = {
        "get pods -o", "-n", "--namespace", "get ---", "get -", "logs -c", "delete -f",
        "get pods,,svc", "get ,", "get /", "get pod/", "describe pod/", "label pod web-1 =",
        "label pod web-1 -", "set image deployment/web =", "scale --replicas=1 deploy/",
        "create secret generic s --from-literal==", "get pods -l ,", "get pods -l '!'",
        "get pods -l 'a in ('", "logs web-1 a b c", "drain node-1 node-1",
        "delete pods --all", "delete all --all", "rollout history", "get events -o name"};
    fixture f;
    ks_strbuf out;
    uint32_t seed = 12345;
    size_t i;
    int j;
    char line[512];
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&out, NULL);
    fixture_apply(&f, golden_pods);
    fixture_apply(&f, web_deployment);
    run_at(&f, 30);
    for (i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        int rc = kc(&f, &out, NULL, odd[i]);
        assert_true(rc == 0 || rc == 1);
    }
    for (i = 0; i < 3000; i++) {
        int words, rc;
        line[0] = '\0';
        seed = seed * 1103515245u + 12345u;
        words = 1 + (int)((seed >> 16) % 7);
        for (j = 0; j < words; j++) {
            seed = seed * 1103515245u + 12345u;
            strcat(line, vocab[(seed >> 16) % (sizeof vocab / sizeof vocab[0])]);
            strcat(line, " ");
        }
        rc = kc(&f, &out, NULL, line);
        if (rc != 0 && rc != 1)
            fail_msg("kubectl %s: rc %d", line, rc);
        if (rc == 1 && out.len == 0)
            fail_msg("kubectl %s: failed without a word", line);
        if (i % 100 == 0)
            run_at(&f, 30 + (double)i / 10);
    }
    /* a very long line and a very long word */
    {
        char *big = malloc(100001);
        memset(big, 'a', 100000);
        big[100000] = '\0';
        memcpy(big, "get pods ", 9);
        assert_int_equal(kc(&f, &out, NULL, big), 1);
        free(big);
    }
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* kubectl-18b: ks_kubectl_check reads a line as the run does, without a
 * cluster: what it refuses, the run refuses too, with the same first line;
 * what depends on objects (NotFound) it leaves to the run */
static void test_kubectl_check_agrees_with_run(void **state)
{
    static const char *const good[] = {
        "get pods", "kubectl get pods -o wide", "get pods -l 'app in (web,api)'",
        "delete pod nosuch", "scale deployment web --replicas=3", "logs deploy/web -c x",
        "rollout restart deployment web", "set image deployment/web web=nginx:2",
        "label pod web-1 tier=db", "cordon node-9", "drain node-9 --force",
        "describe pod nosuch", "apply -f missing.yaml",
        "create secret generic s --from-literal K=V", "delete pods -l app=web", "get events"};
    static const char *const badl[] = {
        "get pdos", "get pods -l 'app in (web'", "scale deployment web --replicas=abc",
        "frobnicate", "get pods -o yamlish", "logs", "delete", "cordon",
        "label pod web-1", "set image deployment/web",
        "create secret generic 'Bad Name' --from-literal K=V", "rollout undo deployment web",
        "get pods --bogus",
        "delete pod/web-1 --grace-period=x", "port-forward web-1 8080:80", "exec web-1 ls",
        "get pods 'unterminated"};
    fixture f;
    ks_strbuf chk, out;
    uint32_t seed = 777;
    size_t i, k;
    char line[512], first[512];
    (void)state;
    fixture_init(&f, 1, NULL);
    ks_strbuf_init(&chk, NULL);
    ks_strbuf_init(&out, NULL);
    fixture_apply(&f, web_deployment);
    run_at(&f, 30);
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        ks_strbuf_clear(&chk);
        if (ks_kubectl_check(good[i], &chk) != 0)
            fail_msg("check refused \"%s\": %s", good[i], ks_strbuf_str(&chk));
    }
    for (i = 0; i < sizeof badl / sizeof badl[0]; i++) {
        ks_strbuf_clear(&chk);
        if (ks_kubectl_check(badl[i], &chk) != 1 || chk.len == 0)
            fail_msg("check passed \"%s\"", badl[i]);
    }
    /* random lines: a refusal by check is a refusal by the run, in the same
     * words (not always first: kubectl may say NotFound about an earlier
     * argument before it meets the bad one) */
    for (i = 0; i < 3000; i++) {
        const char *vocab[] = {"get", "delete", "scale", "label", "logs", "pods", "deploy",
                               "web", "-l", "app=web", "'a in ('", "--replicas=x", "-o",
                               "wide", "pod/web", "--all", "-f", "cordon", "node-1",
                               "rollout", "restart", "status", "set", "image", "a=b",
                               "describe", "svc", "node", "drain"};
        int words, rc;
        line[0] = '\0';
        seed = seed * 1103515245u + 12345u;
        words = 1 + (int)((seed >> 16) % 6);
        for (k = 0; k < (size_t)words; k++) {
            seed = seed * 1103515245u + 12345u;
            strcat(line, vocab[(seed >> 16) % (sizeof vocab / sizeof vocab[0])]);
            strcat(line, " ");
        }
        ks_strbuf_clear(&chk);
        if (ks_kubectl_check(line, &chk) == 0)
            continue;
        rc = kc(&f, &out, NULL, line);
        snprintf(first, sizeof first, "%.*s", (int)strcspn(ks_strbuf_str(&chk), "\n"),
                 ks_strbuf_str(&chk));
        if (rc != 1 || !strstr(ks_strbuf_str(&out), first))
            fail_msg("\"%s\": check said\n%sthe run said (%d)\n%s", line,
                     ks_strbuf_str(&chk), rc, ks_strbuf_str(&out));
    }
    ks_strbuf_fini(&chk);
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* A fixture whose sim allocates through a (the fixture's own helper uses
 * libc's allocator). */
static void fixture_init_alloc(fixture *f, ks_allocator a)
{
    ks_sim_config cfg = {0};
    ks_world_config cc = {0};
    ks_diags d;
    char path[512];
    cfg.seed = 1;
    cfg.alloc = a;
    f->sim = ks_sim_create(&cfg);
    f->ar = ks_arena_create(NULL);
    ks_diags_init(&d);
    snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
    assert_int_equal(ks_catalog_load_file(f->ar, path, &f->catalog, &d), KS_OK);
    cc.catalog = f->catalog;
    assert_int_equal(ks_world_init(f->sim, &cc), KS_OK);
}

/* kubectl-19: every allocation failure is survived: the n-th allocation
 * of a command fails, for every n; the command then fails with a message
 * or completes, and nothing leaks */
static void test_kubectl_out_of_memory(void **state)
{
    static const char *const cmds[] = {"get pods -o wide", "describe pod crash", "get events",
                                       "get all", "create secret generic s --from-literal=a=b",
                                       "delete pods -l app=web", "logs crash -p"};
    size_t c;
    (void)state;
    for (c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        long n;
        for (n = 1; n < 2000; n++) {
            fixture f;
            ks_failing_alloc fa = {0, 0, 0, 0};
            ks_allocator a = ks_allocator_failing(&fa);
            ks_strbuf out;
            int rc;
            fixture_init_alloc(&f, a);
            fixture_apply(&f, golden_pods);
            run_at(&f, 40);
            ks_strbuf_init(&out, &a);
            fa.fail_at = fa.count + n;
            rc = ks_kubectl_run(f.sim, cmds[c], NULL, &out);
            assert_true(rc == 0 || rc == 1);
            if (fa.failed && rc == 0)
                fail_msg("%s: allocation %ld failed, yet it succeeded:\n%s", cmds[c], n,
                         ks_strbuf_str(&out));
            ks_strbuf_fini(&out);
            fixture_fini(&f);
            if (fa.live != 0)
                fail_msg("%s: allocation %ld failed: %ld allocations leaked", cmds[c], n,
                         fa.live);
            if (!fa.failed)
                break;                       /* the command needed fewer allocations */
        }
        assert_true(n > 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kubectl_split_words),
        cmocka_unit_test(test_kubectl_tabwriter),
        cmocka_unit_test(test_kubectl_get_pods_golden),
        cmocka_unit_test(test_kubectl_get_events_aggregated),
        cmocka_unit_test(test_kubectl_get_other_resources),
        cmocka_unit_test(test_kubectl_get_storage),
        cmocka_unit_test(test_kubectl_describe_pod_golden),
        cmocka_unit_test(test_kubectl_describe_other_states),
        cmocka_unit_test(test_kubectl_logs_previous),
        cmocka_unit_test(test_kubectl_apply_sequence),
        cmocka_unit_test(test_kubectl_apply_errors),
        cmocka_unit_test(test_kubectl_create_secret_unsticks_pod),
        cmocka_unit_test(test_kubectl_delete_selector),
        cmocka_unit_test(test_kubectl_delete_files),
        cmocka_unit_test(test_kubectl_scale_and_rollout),
        cmocka_unit_test(test_kubectl_label_and_nodes),
        cmocka_unit_test(test_kubectl_error_messages),
        cmocka_unit_test(test_kubectl_never_crashes),
        cmocka_unit_test(test_kubectl_check_agrees_with_run),
        cmocka_unit_test(test_kubectl_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
