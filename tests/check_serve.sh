#!/bin/sh
# check_serve.sh KUBESIM SCENARIOS CLIENT -- a real client against `kubesim
# serve`: a scripted session whose output is checked line by line.
# CLIENT is
#   debian   Debian's kubectl (package kubernetes-client, 1.20), which
#            scripts/install-deps.sh installs: missing, the test fails;
#   newer    the kubectl on PATH when it is not Debian's (this machine's is
#            Google's dispatcher, which runs the kubectl of the server's minor
#            version): ctest registers serve_newer only where there is
#            one (tests/CMakeLists.txt); run without one, it fails;
#   python   Debian's python3-kubernetes (the official Python client), by
#            tests/serve_python.py.
# Each server listens on a port the system picks (--port 0), so tests may
# run in parallel. The last line is "N passed, N failed".
set -u
KUBESIM=${1:?usage: check_serve.sh KUBESIM SCENARIOS CLIENT}
SCEN=${2:?}
CLIENT=${3:?}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/waits.sh"
# the server checks that every object it keeps for its unchanged version in
# the simulation builds as it was (server/ksv_store.c)
export KUBESIM_SERVE_CHECK_VERSIONS=1
. "$HERE/check_lib.sh"
check_tmpdir check_serve

case $CLIENT in
debian)
    K=
    bin=$(dpkg-query -L kubernetes-client 2>/dev/null | grep '/bin/kubectl$' | head -n 1)
    [ -n "$bin" ] && K=$(dpkg-divert --truename "$bin")
    if [ -z "$K" ] || [ ! -x "$K" ]; then
        echo "FAIL: Debian's kubectl (package kubernetes-client) is not installed; run scripts/install-deps.sh"
        echo "0 passed, 1 failed"
        exit 1
    fi ;;
newer)
    K=$(command -v kubectl || true)
    if [ -z "$K" ] || "$K" version --client 2>/dev/null | grep -q 'v1\.20\.'; then
        echo "FAIL: no kubectl newer than Debian's 1.20 on PATH (ctest registers serve_newer only where there is one)"
        echo "0 passed, 1 failed"
        exit 1
    fi ;;
python)
    K=/usr/bin/python3
    if ! "$K" -c 'import kubernetes' 2>/dev/null; then
        echo "FAIL: python3-kubernetes is not installed; run scripts/install-deps.sh"
        echo "0 passed, 1 failed"
        exit 1
    fi ;;
*)
    echo "usage: check_serve.sh KUBESIM SCENARIOS debian|newer|python" >&2
    exit 2 ;;
esac
# this run's own kubectl cache (not ~/.kube/cache, which other runs share)
. "$HERE/own_kube_cache.sh"
if [ "$CLIENT" != python ]; then
    own_kube_cache "$T/kube" "$K" || exit 2
    K=$KUBECTL
else
    own_kube_cache "$T/kube" || exit 2
fi

# start_server ARGS...: serve in the background, wait for its kubeconfig
start_server() {
    serve_start "$T" 100 --log-requests "$T/requests.log" "$@" || return 1
    export KUBECONFIG="$T/kubeconfig"
    ok
}

stop_server() {
    if serve_stop; then ok; else bad "kubesim serve exited $serve_rc"; cat "$T/server.err"; fi
}

# expect DESCRIPTION PATTERN CMD...: CMD succeeds and prints a line matching
# the extended regular expression PATTERN
expect() {
    what=$1; pat=$2; shift 2
    "$@" >"$T/out" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        bad "$what: exit $rc"; sed 's/^/    /' "$T/out"
    elif grep -Eq -- "$pat" "$T/out"; then
        ok
    else
        bad "$what: no line matches /$pat/"; sed 's/^/    /' "$T/out"
    fi
}
# expect_fail DESCRIPTION PATTERN CMD...: CMD fails, printing PATTERN
expect_fail() {
    what=$1; pat=$2; shift 2
    "$@" >"$T/out" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        bad "$what: succeeded, should have failed"; sed 's/^/    /' "$T/out"
    elif grep -Eq -- "$pat" "$T/out"; then
        ok
    else
        bad "$what: no line matches /$pat/"; sed 's/^/    /' "$T/out"
    fi
}

# watch_until SECONDS PATTERN CMD...: CMD (a watch) prints PATTERN in time
watch_until() {
    secs=$1; pat=$2; shift 2
    "$@" >"$T/watch" 2>&1 &
    w=$!
    i=0
    while [ $i -lt $((secs * 10)) ]; do
        if grep -Eq -- "$pat" "$T/watch"; then
            kill $w 2>/dev/null; wait $w 2>/dev/null
            ok
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    kill $w 2>/dev/null; wait $w 2>/dev/null
    bad "watch $*: no /$pat/ within ${secs}s"; sed 's/^/    /' "$T/watch"
}


# eventually SECONDS PATTERN CMD...: CMD, run again and again, prints a line
# matching PATTERN within SECONDS (of wall time; the simulation runs at 8x)
eventually() {
    secs=$1; pat=$2; shift 2
    i=0
    while [ $i -lt $((secs * 4)) ]; do
        if "$@" >"$T/out" 2>&1 && grep -Eq -- "$pat" "$T/out"; then
            ok
            return 0
        fi
        sleep 0.25
        i=$((i + 1))
    done
    bad "$*: no line matches /$pat/ within ${secs}s"; sed 's/^/    /' "$T/out"
}
# count_running LABEL: how many pods with that label are Running, alone on a line
count_running() {
    n=$("$K" get pods -l "$1" --no-headers 2>/dev/null | grep -c ' Running ')
    echo "running=$n"
}

if [ "$CLIENT" = python ]; then
    # the same session, by the Python client
    start_server "$SCEN/01-pod-crash.yaml" --speed 8 || { check_summary; exit 1; }
    "$K" "$HERE/serve_python.py" "$T/kubeconfig"
    rc=$?
    if [ $rc -eq 0 ]; then ok; else bad "serve_python.py exited $rc"; fi
    stop_server
    check_summary
    exit
fi

echo "client: $K ($("$K" version --client 2>/dev/null | head -n 1))"
start_server "$SCEN/01-pod-crash.yaml" --speed 8 || { check_summary; exit 1; }

# ---- reads: discovery, tables, objects, describe, events ----
expect "get pods (table)" '^NAME +READY +STATUS +RESTARTS +AGE$' "$K" get pods
expect "get pods lists flaky" '^flaky +[01]/1 ' "$K" get pods
expect "get nodes" '^minikube +Ready +<none> +([0-9]+m)?[0-9]+s +v1\.30\.0$' "$K" get nodes
expect "get all: a pod/ prefix" '^pod/flaky ' "$K" get all
expect "get pod -o jsonpath" '^(Pending|Running)$' "$K" get pod flaky -o "jsonpath={.status.phase}{\"\\n\"}"
expect "get pod -o yaml" '^  name: flaky$' "$K" get pod flaky -o yaml
expect "get -o wide: the node" 'minikube' "$K" get pods -o wide
expect "--show-labels" 'app=flaky' "$K" get pods --show-labels
expect "--sort-by a status field (rows with includeObject=Object)" '^flaky ' "$K" get pods --sort-by=.status.startTime
expect "label selector" '^flaky ' "$K" get pods -l app=flaky
expect "field selector" '^flaky ' "$K" get pods --field-selector spec.nodeName=minikube
expect "describe pod" '^Name: +flaky$' "$K" describe pod flaky
expect "describe pod: its events" 'Scheduled .*default-scheduler +Successfully assigned default/flaky to minikube' "$K" describe pod flaky
expect "get events" 'pod/flaky' "$K" get events
expect "get namespaces" '^kube-system +Active ' "$K" get namespaces
# the API server's own Service, its Endpoints and EndpointSlice
# (pkg/controlplane/controller/kubernetesservice, reconcilers/endpointsadapter.go)
expect "get services: kubernetes" '^kubernetes +ClusterIP +10\.96\.0\.1 +<none> +443/TCP ' "$K" get services
expect "get endpoints kubernetes" '^kubernetes +192\.168\.49\.2:8443 ' "$K" get endpoints kubernetes
expect "get endpointslice kubernetes: the API server's address" '^192\.168\.49\.2:8443$' "$K" get endpointslices kubernetes -o go-template='{{range .endpoints}}{{index .addresses 0}}{{end}}:{{range .ports}}{{.port}}{{end}}{{"\n"}}'
expect "endpointslice kubernetes: only the service-name label" '^kubernetes.io/service-name=kubernetes;$' "$K" get endpointslice kubernetes -o go-template='{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}{{"\n"}}'
# kube-controller-manager's controllers' ServiceAccounts (--use-service-account-credentials)
expect "kube-system: deployment-controller's ServiceAccount" '^deployment-controller +0 ' "$K" get serviceaccounts -n kube-system
expect "get storageclass" '^standard \(default\) +k8s.io/minikube-hostpath ' "$K" get storageclass
expect "api-resources" '^deployments +deploy +apps/v1 +true +Deployment$' "$K" api-resources
expect "api-resources: policy/v1 as a real API server lists it" '^poddisruptionbudgets +pdb +policy/v1 +true +PodDisruptionBudget$' "$K" api-resources
expect "get pdb: there are none (not simulated)" 'No resources found' "$K" get pdb
# kubectl keeps discovery in its cache (client-go discovery/cached/disk keeps
# no group version without resources, and asks for /api and /apis again)
"$K" --cache-dir "$T/cache" get pods >/dev/null 2>&1
"$K" --cache-dir "$T/cache" get pods -v=6 >"$T/v6" 2>&1
if grep -Eq 'GET https://[^ ]*/apis?(/[^ ?]*)?\?timeout' "$T/v6" || ! grep -q '/pods?limit=500' "$T/v6"; then
    bad "a second command asked for discovery again (or not for the pods)"; sed 's/^/    /' "$T/v6"
else
    ok
fi
expect_fail "NotFound, in the API server's words" 'Error from server \(NotFound\): pods "nosuch" not found' "$K" get pod nosuch

# ---- the nodes' Leases (coordination.k8s.io/v1), renewed every 10 s by the kubelet ----
expect "api-resources: coordination.k8s.io/v1 leases" '^leases +coordination\.k8s\.io/v1 +true +Lease$' "$K" api-resources
expect "get leases -n kube-node-lease: NAME HOLDER AGE" '^minikube +minikube +[0-9][0-9ms]*$' "$K" get leases -n kube-node-lease
expect "get leases -A" '^kube-node-lease +minikube +minikube ' "$K" get leases -A
expect "get lease -o yaml: renewTime, a MicroTime" '^  renewTime: "[0-9-]+T[0-9:]+\.[0-9]{6}Z"$' "$K" get lease minikube -n kube-node-lease -o yaml
expect "get lease -o yaml: owned by its Node" '^    kind: Node$' "$K" get lease minikube -n kube-node-lease -o yaml
expect "get leases: none in default" 'No resources found in default namespace' "$K" get leases
# a renewal every 10 simulated seconds (1.25 s of wall time at 8x), with no other event
watch_until 10 '^MODIFIED +minikube +minikube ' "$K" get leases -n kube-node-lease -w --output-watch-events

# ---- watch a pod through its crash loop ----
watch_until 30 'flaky +0/1 +CrashLoopBackOff +[1-9]' "$K" get pods -w

# ---- writes: each a change of the simulation, checked by what it does ----
cat >"$T/web.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: nginx
          image: nginx:1.25
          ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
YAML
sed 's/replicas: 2/replicas: 3/' "$T/web.yaml" >"$T/web3.yaml"
sed 's/replicas: 2/replicas: -1/; s/name: web$/name: broken/' "$T/web.yaml" >"$T/broken.yaml"
sed 's/\bweb\b/api/g' "$T/web.yaml" >"$T/api.yaml"
expect "apply: created" '^deployment.apps/web created$' "$K" apply -f "$T/web.yaml"
eventually 30 '^running=2$' count_running app=web
eventually 30 '^web +[0-9.]+:80,[0-9.]+:80 ' "$K" get endpoints web
expect "apply again: unchanged" '^deployment.apps/web unchanged$' "$K" apply -f "$T/web.yaml"
expect "apply a change: configured" '^deployment.apps/web configured$' "$K" apply -f "$T/web3.yaml"
eventually 30 '^running=3$' count_running app=web
eventually 30 '^web +[0-9.]+:80,[0-9.]+:80,[0-9.]+:80 ' "$K" get endpoints web
# the template as the API server keeps it: no serviceAccountName (the
# ServiceAccount admission plugin defaults it in pods alone)
"$K" get deployment web -o yaml >"$T/web-live.yaml" 2>&1
if grep -q 'serviceAccount' "$T/web-live.yaml"; then
    bad "a template read back has a serviceAccount it was not given"; sed 's/^/    /' "$T/web-live.yaml"
else
    ok
fi
expect "a pod runs as its namespace's default ServiceAccount" '^default$' "$K" get pods -l app=web -o 'jsonpath={.items[0].spec.serviceAccountName}{"\n"}'
# the object sent back whole, the server's defaults written out: the same
# template (its pod-template-hash over the defaulted template), no rollout
count_rs() { printf 'rs=%s\n' "$("$K" get rs -l app=web --no-headers 2>/dev/null | wc -l)"; }
expect "replace with the object read back" '^deployment.apps/web replaced$' "$K" replace -f "$T/web-live.yaml"
expect "replace of the same template: no new ReplicaSet" '^rs=1$' count_rs
# ---- a Pod's update, as the API server checks it (ValidatePodUpdate) ----
cat >"$T/tol.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: tol, labels: {app: tol}}
spec:
  tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - {weight: 1, preference: {matchExpressions: [{key: disk, operator: In, values: [ssd]}]}}
  containers: [{name: web, image: "nginx:1.25"}]
YAML
sed 's/app: tol}/app: tol, tier: x}/' "$T/tol.yaml" >"$T/tol-label.yaml"
sed 's/value: gpu/value: cpu/' "$T/tol.yaml" >"$T/tol-changed.yaml"
sed 's/operator: In/operator: NotIn/' "$T/tol.yaml" >"$T/tol-affinity.yaml"
expect "a pod with tolerations and affinity: created" '^pod/tol created$' "$K" apply -f "$T/tol.yaml"
expect "its tolerations come back, and the DefaultTolerationSeconds plugin's" '^dedicated node.kubernetes.io/not-ready node.kubernetes.io/unreachable$' "$K" get pod tol -o 'jsonpath={.spec.tolerations[*].key}{"\n"}'
expect "its affinity comes back" '^ssd$' "$K" get pod tol -o 'jsonpath={.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values[0]}{"\n"}'
expect "apply of a new label: configured" '^pod/tol configured$' "$K" apply -f "$T/tol-label.yaml"
expect "the label is there" '^x$' "$K" get pod tol -o 'jsonpath={.metadata.labels.tier}{"\n"}'
expect_fail "an existing toleration changed: the API server's words" '^The Pod "tol" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds$' "$K" apply -f "$T/tol-changed.yaml"
expect_fail "the affinity changed: pod updates may not change fields other than ..." '^The Pod "tol" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)$' "$K" apply -f "$T/tol-affinity.yaml"
expect_fail "a container added: pod updates may not add or remove containers" 'spec.containers: Forbidden: pod updates may not add or remove containers' "$K" patch pod tol --type=json -p '[{"op":"add","path":"/spec/containers/-","value":{"name":"two","image":"busybox"}}]'
"$K" delete pod tol --grace-period=0 --force >/dev/null 2>&1
# ---- logs, exec, the service proxy, the clock ----
expect "logs" '^starting up$' "$K" logs flaky
expect "logs --previous: the run that crashed" '^cannot reach the database$' "$K" logs flaky --previous
expect "logs --tail" '^cannot reach the database$' "$K" logs flaky --previous --tail=1
expect "logs -f: ends with the container's run" 'starting up' timeout 120 "$K" logs -f flaky
expect_fail "logs of a container that is not there" 'container nope is not valid for pod flaky' "$K" logs flaky -c nope
# exec: WebSocket (v5.channel.k8s.io) for kubectl 1.30+; Debian's 1.20 speaks SPDY, refused with words
if "$K" version --client 2>/dev/null | grep -q 'v1\.20\.'; then
    expect_fail "exec over SPDY: a newer kubectl is needed, said so" '^Error from server \(BadRequest\): kubesim serves exec over WebSocket only .*not over SPDY/3\.1.*use a newer kubectl \(1\.30 or later' "$K" exec deploy/web -- echo hi
else
    expect "exec: the command's stdout" '^hello from web-' "$K" exec deploy/web -- sh -c 'echo hello from $HOSTNAME'
    wpod=$("$K" get pods -l app=web -o name | head -n 1 | cut -d/ -f2)
    "$K" exec "$wpod" -- sh -c 'exit 3' >"$T/out" 2>&1
    rc=$?
    if [ $rc -eq 3 ] && grep -q '^command terminated with exit code 3$' "$T/out"; then ok
    else bad "exec: exit code 3 through the status channel (exit $rc)"; sed 's/^/    /' "$T/out"; fi
    "$K" exec "$wpod" -- cat /nope >"$T/out" 2>"$T/err"
    if [ $? -eq 1 ] && grep -q "^cat: can't open '/nope'" "$T/err" && [ ! -s "$T/out" ]; then ok
    else bad "exec: stderr on its own channel"; cat "$T/out" "$T/err" | sed 's/^/    /'; fi
    expect_fail "exec: a container that is not there" 'BadRequest.*container nope is not valid for pod' "$K" exec "$wpod" -c nope -- true
    expect_fail "exec: a program the image lacks" 'executable file not found in \$PATH' "$K" exec "$wpod" -- psql
    # exec -i: the command gets kubectl's stdin, whole, once kubectl closes
    # it (v5.channel.k8s.io's CLOSE of stream 0); -it: a terminal, each line
    # a shell's as it is typed (tests/serve_tty.py drives it on a pty)
    expect "exec -i: sh reads its script from stdin" '^hi from stdin web-' \
        sh -c "echo 'echo hi from stdin \$HOSTNAME' | \"$K\" exec -i $wpod -- sh"
    expect "exec -i: cat copies stdin" '^two$' sh -c "printf 'one\\ntwo\\n' | \"$K\" exec -i $wpod -- cat"
    echo 'exit 5' | "$K" exec -i "$wpod" -- sh >"$T/out" 2>&1
    rc=$?
    if [ $rc -eq 5 ]; then ok; else bad "exec -i: exit 5 read from stdin (exit $rc)"; sed 's/^/    /' "$T/out"; fi
    if "$K" exec -i "$wpod" -- sh </dev/null >"$T/out" 2>&1 && [ ! -s "$T/out" ]; then ok
    else bad "exec -i with nothing piped: sh ends at once, silent"; sed 's/^/    /' "$T/out"; fi
    expect "exec -it: an interactive shell on a terminal" '^tty session: ok$' \
        timeout 60 python3 "$HERE/serve_tty.py" "$K" exec -it "$wpod" -- sh
    if "$K" exec "$wpod" -- kill 1 >"$T/out" 2>&1; then ok
    else bad "exec kill 1"; sed 's/^/    /' "$T/out"; fi
    eventually 30 "^$wpod +1/1 +Running +1 " "$K" get pod "$wpod"
    expect "describe: Last State Terminated by kill 1" 'Exit Code: +143' "$K" describe pod "$wpod"
fi
# attach and port-forward: not simulated, a Status saying so before any
# upgrade, whatever the client speaks (SPDY for 1.20, WebSocket for newer)
expect_fail "attach: not simulated, said so" '^Error from server \(BadRequest\): kubesim does not simulate attach' "$K" attach deploy/web
expect_fail "port-forward: not simulated, said so" 'error upgrading connection: kubesim does not simulate portforward' timeout 30 "$K" port-forward deploy/web 0:80
expect "the service proxy: a request into the simulation" '^200 from pod default/web-' "$K" get --raw /api/v1/namespaces/default/services/web/proxy/
expect "kubesim's clock" '"paused":false' "$K" get --raw /kubesim/v1/clock
expect_fail "create what exists: AlreadyExists" 'AlreadyExists.*deployments.apps "web" already exists' "$K" create -f "$T/web.yaml"
expect_fail "an invalid object: Invalid, nothing applied" 'The Deployment "broken" is invalid: spec.replicas' "$K" apply -f "$T/broken.yaml"
expect_fail "nothing of it was made" 'NotFound' "$K" get deployment broken
# fieldValidation: kubectl 1.27+ sends Strict (a typo is a 400), 1.20 nothing (Warn: a warning)
sed -n '/^---$/q;p' "$T/web.yaml" | sed 's/replicas: 2/replicsa: 2/; s/name: web$/name: typo/; s/app: web/app: typo/g' >"$T/typo.yaml"
if "$K" version --client 2>/dev/null | grep -q 'v1\.20\.'; then
    expect "an unknown field: the API server's warning" 'Warning: unknown field "spec.replicsa"' "$K" apply -f "$T/typo.yaml"
else
    expect_fail "an unknown field: the API server's strict decoding error" 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicsa"' "$K" apply -f "$T/typo.yaml"
    expect "--validate=false: applied" 'deployment.apps/typo created' "$K" apply --validate=false -f "$T/typo.yaml"
fi
expect "the misspelt one goes" 'deployment.apps "typo" deleted' "$K" delete deployment typo
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: settings-}\ndata: {a: b}\n' >"$T/gen.yaml"
expect "generateName" '^configmap/settings-[bcdfghjklmnpqrstvwxz2456789]{5} created$' "$K" create -f "$T/gen.yaml"
expect "scale" '^deployment.apps/web scaled$' "$K" scale deployment web --replicas=1
eventually 30 '^running=1$' count_running app=web
expect "set image" '^deployment.apps/web image updated$' "$K" set image deployment/web nginx=nginx:1.26
eventually 30 '^nginx:1\.26$' "$K" get deployment web -o 'jsonpath={.spec.template.spec.containers[0].image}{"\n"}'
eventually 30 '^running=1$' count_running app=web
expect "rollout restart" '^deployment.apps/web restarted$' "$K" rollout restart deployment/web
eventually 30 'kubectl.kubernetes.io/restartedAt' "$K" get deployment web -o yaml
expect "label" '^pod/flaky labeled$' "$K" label pod flaky tier=lesson
expect "the label, read back" 'tier=lesson' "$K" get pod flaky --show-labels
expect "apply --server-side" '^deployment.apps/api serverside-applied$' "$K" apply --server-side -f "$T/api.yaml"
eventually 30 '^running=2$' count_running app=api
expect "create namespace" '^namespace/lesson created$' "$K" create namespace lesson
expect "delete pod, now" 'pod "flaky" (force )?deleted' "$K" delete pod flaky --grace-period=0 --force
eventually 10 'No resources found' "$K" get pods -l app=flaky
expect "cordon" '^node/minikube cordoned$' "$K" cordon minikube
expect "cordoned: SchedulingDisabled" '^minikube +Ready,SchedulingDisabled ' "$K" get nodes
expect "uncordon" '^node/minikube uncordoned$' "$K" uncordon minikube
expect "drain: evictions" 'evicting pod default/api-' "$K" drain minikube --ignore-daemonsets --force --timeout=120s
expect "drained: no pod of api is running" '^running=0$' count_running app=api
expect "uncordon after drain" '^node/minikube uncordoned$' "$K" uncordon minikube
eventually 30 '^running=2$' count_running app=api
expect "delete with grace" 'deployment.apps "api" deleted' "$K" delete deployment api --grace-period=5
eventually 30 '^running=0$' count_running app=api

# ---- the workload kinds: Jobs, CronJobs, StatefulSets, DaemonSets, HPAs, NetworkPolicies ----
cat >"$T/kinds.yaml" <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: busybox:1.36, command: [sh, -c, "echo done"]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: t, image: busybox:1.36, command: [sh, -c, "echo tick"]}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: busybox:1.36
          command: [sh, -c, "sleep 1000000"]
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox:1.36, command: [sh, -c, "sleep 1000000"]}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 4
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-web}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 5432}]
YAML
expect "apply the workload kinds" '^statefulset.apps/db created$' "$K" apply -f "$T/kinds.yaml"
expect "api-resources: jobs" '^jobs +batch/v1 +true +Job$' "$K" api-resources
eventually 60 '^pi +Complete +2/2 ' "$K" get jobs
expect "wait for a Job's condition" 'condition met' "$K" wait --for=condition=complete job/pi --timeout=60s
expect "logs of a Job's pod" '^done$' "$K" logs job/pi
expect "describe job: its pods, found by its selector" '^Pods Statuses: +0 (Active|Running) .*2 Succeeded / 0 Failed' "$K" describe job pi
expect "a Job's pod names its Job" '^Job$' "$K" get pods -l job-name=pi -o 'jsonpath={.items[0].metadata.ownerReferences[0].kind}{"\n"}'
# a Job changed as the API server allows (pkg/apis/batch/validation
# ValidateJobSpecUpdate): the object sent back with the server's defaults is
# no change of its template; a new image or completions is refused
expect "patch a Job's activeDeadlineSeconds" '^job.batch/pi patched$' "$K" patch job pi -p '{"spec":{"activeDeadlineSeconds":600}}'
expect "label a Job" '^job.batch/pi labeled$' "$K" label job pi tier=batch
expect "the Job patched and labelled" '^600 batch$' "$K" get job pi -o 'jsonpath={.spec.activeDeadlineSeconds} {.metadata.labels.tier}{"\n"}'
expect_fail "a Job's template is immutable" '^The Job "pi" is invalid: spec.template: Invalid value: core.PodTemplateSpec\{ObjectMeta:v1.ObjectMeta\{Name:"", .*Labels:map\[string\]string\{.*"job-name":"pi"\}.*: field is immutable$' "$K" patch job pi --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"busybox:1.37"}]'
expect_fail "a Job's completions are immutable" '^The Job "pi" is invalid: spec.completions: Invalid value: 3: field is immutable$' "$K" patch job pi -p '{"spec":{"completions":3}}'
cat >"$T/later.yaml" <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: later}
spec:
  suspend: true
  template:
    metadata: {labels: {app: later}}
    spec:
      restartPolicy: Never
      containers: [{name: w, image: busybox:1.36, command: [sh, -c, "echo later"]}]
YAML
expect "create a suspended Job" '^job.batch/later created$' "$K" create -f "$T/later.yaml"
expect "patch its parallelism" '^job.batch/later patched$' "$K" patch job later -p '{"spec":{"parallelism":2}}'
expect "a suspended Job never started may change its template's labels" '^job.batch/later patched$' "$K" patch job later -p '{"spec":{"template":{"metadata":{"labels":{"tier":"night"}}}}}'
expect "resume it" '^job.batch/later patched$' "$K" patch job later -p '{"spec":{"suspend":false}}'
eventually 60 '^later +Complete +1/1 ' "$K" get jobs
expect "its pod has the label" '^night$' "$K" get pods -l job-name=later -o 'jsonpath={.items[0].metadata.labels.tier}{"\n"}'
expect "delete the resumed Job" 'job.batch "later" deleted' "$K" delete job later
expect "get cronjobs" '^tick +\*/1 \* \* \* \* ' "$K" get cronjobs
if "$K" version --client 2>/dev/null | grep -q 'v1\.20\.'; then
    : # kubectl 1.20 reads CronJobs as batch/v1beta1 for --from, which is not served
else
    expect "create job --from=cronjob" '^job.batch/manual created$' "$K" create job manual --from=cronjob/tick
    expect "the manual Job's owner is the CronJob" '^CronJob$' "$K" get job manual -o 'jsonpath={.metadata.ownerReferences[0].kind}{"\n"}'
fi
expect "patch a CronJob (suspend)" 'cronjob.batch/tick patched' "$K" patch cronjob tick -p '{"spec":{"suspend":true}}'
expect "suspended" '^tick +.* True +' "$K" get cj tick
eventually 60 '^db +2/2 ' "$K" get statefulsets
expect "a StatefulSet's claims" '^data-db-1 +Bound ' "$K" get pvc
expect "scale a StatefulSet" '^statefulset.apps/db scaled$' "$K" scale sts db --replicas=3
eventually 60 '^db +3/3 ' "$K" get sts
expect "rollout status sts" 'rolling update complete 3 pods|partitioned roll out complete' "$K" rollout status sts/db --timeout=60s
expect "set image on a StatefulSet" 'statefulset.apps/db image updated' "$K" set image sts/db db=busybox:1.37
eventually 90 '^busybox:1\.37$' "$K" get pod db-0 -o 'jsonpath={.spec.containers[0].image}{"\n"}'
eventually 30 '^agent +1 +1 +1 +1 +1 ' "$K" get daemonsets
expect "rollout status ds" 'successfully rolled out' "$K" rollout status ds/agent --timeout=60s
expect "get hpa" '^web +Deployment/web +' "$K" get hpa
expect "get networkpolicies" '^db-from-web +app=db ' "$K" get netpol
expect "get all: the kinds" '^statefulset.apps/db ' "$K" get all
expect "drain skips the DaemonSet's pod" 'ignoring DaemonSet-managed Pods: default/agent-' "$K" drain minikube --ignore-daemonsets --force --timeout=120s
expect "uncordon after the second drain" '^node/minikube uncordoned$' "$K" uncordon minikube
expect "kubectl autoscale (autoscaling/v1)" 'horizontalpodautoscaler.autoscaling/web1 autoscaled' "$K" autoscale deployment web --name=web1 --max=3 --cpu-percent=60
expect "delete a Job" 'job.batch "pi" deleted' "$K" delete job pi
eventually 30 'No resources found' "$K" get pods -l job-name=pi
expect "delete a NetworkPolicy" 'networkpolicy.networking.k8s.io "db-from-web" deleted' "$K" delete netpol db-from-web
stop_server

# ---- --record: the session written as a scenario that replays it byte for byte ----
if [ "$CLIENT" = debian ] || [ "$CLIENT" = newer ]; then
    mkdir -p "$T/rec"
    cp "$T/web.yaml" "$T/rec/web.yaml"
    start_server -f "$T/rec/web.yaml" --speed 8 --record "$T/rec/session.yaml" || { check_summary; exit 1; }
    eventually 30 '^running=2$' count_running app=web
    expect "record: create" '^deployment.apps/rec created$' "$K" create deployment rec --image=nginx:1.25
    expect "record: scale" '^deployment.apps/web scaled$' "$K" scale deployment web --replicas=3
    eventually 30 '^running=3$' count_running app=web
    expect "record: delete" 'pod "[a-z0-9-]+" deleted' sh -c "\"$K\" delete \$(\"$K\" get pods -l app=web -o name | head -n 1) --wait=false"
    if [ "$CLIENT" = newer ]; then     # exec -i: the step keeps its stdin
        eventually 60 '^running=1$' count_running app=rec
        expect "record: exec -i" '^piped [0-9]+$' \
            sh -c "echo 'echo piped \$((6*7))' | \"$K\" exec -i deploy/rec -- sh"
    fi
    stop_server
    if [ "$CLIENT" = newer ]; then
        expect "record: the exec's stdin on its step" ' -i -- sh", stdin: "echo piped \$\(\(6\*7\)\)\\n"' cat "$T/rec/session.yaml"
        expect "record: the replay's exec reads it" '    piped 42$' "$KUBESIM" run "$T/rec/session.yaml" --headless
    fi
    expect "record: the steps on its timeline" 'kubectl scale deployment/web --replicas=3' cat "$T/rec/session.yaml"
    expect "record: the recording replays the session's trace" '1 passed|PASS' "$KUBESIM" test "$T/rec/session.yaml"
fi

# ---- without the token: refused ----
start_server "$SCEN/01-pod-crash.yaml" || { check_summary; exit 1; }
sed 's/token: .*/token: wrong/' "$T/kubeconfig" >"$T/bad.kubeconfig"
expect_fail "a wrong token is refused" 'Unauthorized|provide credentials' \
    env KUBECONFIG="$T/bad.kubeconfig" "$K" get pods
stop_server

# ---- --paused: simulated time waits for a client (PUT /kubesim/v1/clock) ----
start_server "$SCEN/01-pod-crash.yaml" --paused || { check_summary; exit 1; }
expect "paused at 0s" '"paused":true,"runTo":0,"nowMicros":0' "$K" get --raw /kubesim/v1/clock
sleep 1
expect "still at 0s" '"nowMicros":0\}' "$K" get --raw /kubesim/v1/clock
# a client runs five simulated minutes in a moment: the times the objects
# show stay in the past of the client's clock (kubectl prints <invalid> for
# the age of a time in its future)
printf '{"runTo": 300000000}\n' >"$T/run300.json"
expect "runTo 5 minutes" '"nowMicros":300000000' "$K" replace --raw /kubesim/v1/clock -f "$T/run300.json"
expect "describe after runTo: the crash loop's events" 'BackOff +[0-9]+s \(x[0-9]+ over [0-9]+s\)' "$K" describe pod flaky
if grep -q '<invalid>' "$T/out"; then bad "describe after runTo: an age <invalid>"; sed 's/^/    /' "$T/out"; else ok; fi
stop_server

# ---- --cluster: an empty cluster shaped as a scenario's spec.cluster ----
start_server --cluster "$SCEN/19-daemonset.yaml" --paused || { check_summary; exit 1; }
expect "--cluster: the scenario's three nodes" '^node-3 +Ready' "$K" get nodes
expect "--cluster: their capacity" '^ +cpu: +2$' "$K" describe node node-2
expect "--cluster: nothing of the scenario's manifests" 'No resources found' "$K" get pods
stop_server
# --cluster keeps the scenario's spec.clock: lesson 21's (2026-01-05T09:00:00Z), so
# a CronJob's first Job is named after 09:01 on it (minutes since 1970)
start_server --cluster "$SCEN/21-jobs-and-cronjobs.yaml" --paused || { check_summary; exit 1; }
expect "--cluster clock: a CronJob" 'cronjob.batch/backup created' "$K" apply -f "$SCEN/k8s/jobs/backup.yaml"
printf '{"runTo": 61000000}' >"$T/run61.json"
expect "--cluster clock: run to 61s" '"nowMicros":61000000' "$K" replace --raw /kubesim/v1/clock -f "$T/run61.json"
expect "--cluster clock: its Job named after 09:01 on the lesson's clock" '^backup-29460061 ' "$K" get jobs
stop_server
expect_fail "--cluster with a scenario" 'a scenario brings its own spec.cluster' \
    "$KUBESIM" serve "$SCEN/01-pod-crash.yaml" --cluster "$SCEN/19-daemonset.yaml"
expect_fail "--cluster elsewhere" '--cluster is an option of kubesim serve' \
    "$KUBESIM" test "$SCEN/01-pod-crash.yaml" --cluster "$SCEN/19-daemonset.yaml"

# ---- the metrics API (metrics.k8s.io) with the metrics-server addon: kubectl top ----
start_server "$SCEN/15-autoscaling.yaml" --paused || { check_summary; exit 1; }
expect "metrics: the group is discovered" 'metrics.k8s.io/v1beta1' "$K" get --raw /apis
expect_fail "metrics: the addon's pod is not ready at 0s" 'ServiceUnavailable|unable to handle' "$K" top pod
printf '{"runTo": 300000000}' >"$T/clock.json"
expect "metrics: the clock runs to 300s" '"nowMicros":300000000' "$K" replace --raw /kubesim/v1/clock -f "$T/clock.json"
expect "metrics: kubectl top pod" '^php-apache-[a-z0-9-]+ +[0-9]+m +[0-9]+Mi' "$K" top pod
expect "metrics: kubectl top node" '^minikube +[0-9]+m +[0-9]+% +[0-9]+Mi +[0-9]+%' "$K" top node
stop_server
start_server "$SCEN/01-pod-crash.yaml" --paused || { check_summary; exit 1; }
expect_fail "metrics: no addon, no metrics API" 'Metrics API not available|metrics.k8s.io|not found' "$K" top pod
stop_server

# ---- the README's "Use your own kubectl" session, as written ----
README=$(cd "$SCEN/.." && pwd)/README.md
readme_block "$README" "Use your own kubectl" sh >"$T/readme.sh"
if [ ! -s "$T/readme.sh" ]; then
    bad "README.md has no \"Use your own kubectl\" session"
else
    (
        cd "$(dirname "$README")" || exit 1
        home_in "$T/home"
        while IFS= read -r line; do
            cmd=${line%%#*}
            set -- $cmd
            case $1 in
            kubesim)
                shift
                "$KUBESIM" "$@" >"$T/readme-server.out" 2>&1 &
                echo $! >"$T/readme-server.pid"
                i=0
                until grep -q '^export KUBECONFIG' "$T/readme-server.out"; do
                    i=$((i + 1)); [ $i -gt 100 ] && { echo "FAIL: README: $line did not start"; exit 1; }
                    sleep 0.1
                done ;;
            export)
                eval "$cmd" ;;
            kubectl)
                shift
                case " $* " in
                *" -w "*)
                    "$K" "$@" >"$T/readme.out" 2>&1 &
                    w=$!; i=0
                    # a loaded machine may take seconds to start kubectl: wait for the first line
                    while [ $i -lt 900 ] && ! grep -q flaky "$T/readme.out"; do sleep 0.1; i=$((i + 1)); done
                    kill $w; wait $w 2>/dev/null
                    grep -q flaky "$T/readme.out" || { echo "FAIL: README: $line printed:"; cat "$T/readme.out"; exit 1; } ;;
                *)
                    "$K" "$@" >"$T/readme.out" 2>&1 || { echo "FAIL: README: $line:"; cat "$T/readme.out"; exit 1; } ;;
                esac ;;
            *)
                echo "FAIL: README: a line this test does not know how to run: $line"; exit 1 ;;
            esac
        done <"$T/readme.sh"
        exit 0
    )
    rc=$?
    if [ -s "$T/readme-server.pid" ]; then
        kill -INT "$(cat "$T/readme-server.pid")" 2>/dev/null
        while kill -0 "$(cat "$T/readme-server.pid")" 2>/dev/null; do sleep 0.1; done
    fi
    if [ $rc -eq 0 ]; then ok; else bad "the README's session"; fi
fi

check_summary
