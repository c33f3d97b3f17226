/* test_kubectl.c -- the focus of this file: kubectl as a learner types it
 * against the simulated cluster prints what the real kubectl prints, to
 * the character, when it reads: get tables (column alignment, STATUS,
 * RESTARTS "4 (61s ago)", AGE), describe pod, get events with aggregated
 * counts, logs and --previous. What changes the cluster is in
 * test_kubectl_changes.c, refused command lines and robustness in
 * test_kubectl_errors.c; what they share in kubectl_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kubectl_fixture.h"

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
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
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
    fixture_fini_out(&f, &out);
}

/* kubectl-4: get events: LAST SEEN with "(xN over T)" for aggregated
 * events, OBJECT as kind/name, oldest last-seen first */
static void test_kubectl_get_events_aggregated(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
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
    /* kube-system's own: CoreDNS's Deployment and pod coming up at 0 s */
    assert_int_equal(kc(&f, &out, NULL, "get events -n kube-system"), 0);
    assert_non_null(strstr(ks_strbuf_str(&out), "100s        Normal   ScalingReplicaSet   "
                                                "deployment/coredns"));
    assert_null(strstr(ks_strbuf_str(&out), "pod/crash"));
    fixture_fini_out(&f, &out);
}

/* kubectl-5: other resources: deployments, rs, services (ClusterIP,
 * NodePort, LoadBalancer <pending> then an address), endpoints, secrets,
 * nodes, get all and comma lists with TYPE/NAME names */
static void test_kubectl_get_other_resources(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    fixture_apply(&f, web_deployment);
    fixture_apply(&f,
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
        "spec: {selector: {app: web}, ports: [{port: 80, targetPort: 80}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: web-np}\nspec:\n"
        "  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, nodePort: 31515}]\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: web-lb}\nspec:\n"
        "  type: LoadBalancer\n  selector: {app: nobody}\n  ports: [{port: 8080, nodePort: 31000}]\n");
    assert_int_equal(kc(&f, &out, NULL, "get svc"), 0);
    /* the API server's own Service, kubernetes, is listed too */
    expect_has(&out, "NAME         TYPE           CLUSTER-IP ");
    expect_has(&out, "kubernetes   ClusterIP      10.96.0.1 ");
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
    expect_has(&out, "\n\nNAME                 TYPE           CLUSTER-IP");
    expect_has(&out, "\nservice/kubernetes   ClusterIP      10.96.0.1 ");
    expect_has(&out, "\nservice/web-lb       LoadBalancer   ");
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
    fixture_fini_out(&f, &out);
}

/* kubectl-6: storage: get pvc, pv and storageclass with kubectl's columns */
static void test_kubectl_get_storage(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
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
    fixture_fini_out(&f, &out);
}

/* ---- describe and logs ------------------------------------------------------------------ */

/* kubectl-7: describe pod, golden: a secret env var, one restart (Last
 * State), a subPath mount, and the Events table with (x2 over 28s) */
static void test_kubectl_describe_pod_golden(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
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
    fixture_fini_out(&f, &out);
}

/* kubectl-8: describe waiting, terminating and template forms */
static void test_kubectl_describe_other_states(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
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
    fixture_fini_out(&f, &out);
}

/* kubectl-9: logs: current and --previous runs, --tail, --timestamps,
 * the container choice, and kubectl's errors */
static void test_kubectl_logs_previous(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
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
    fixture_fini_out(&f, &out);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
