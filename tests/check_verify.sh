#!/bin/sh
# check_verify.sh KUBESIM SCENARIOS OUTDIR -- `kubesim verify` against the one
# cluster these machines run, `kubesim serve`: the whole client path (the
# kubeconfig serve writes, TLS with its CA, the bearer token, discovery,
# lists and gets, the report, --json and --junit), and the errors a user
# meets (a cluster that is not there, an exec plugin, misused options).
# When serve has the clock endpoint (`serve --paused`), verify steps it and
# every compared expectation must agree; until then verify keeps wall time,
# and only the verdicts no timing can change are required to agree (at
# `end`, where the server is never behind verify's clock, a `>=` count).
# The last line is "N passed, N failed".
set -u
KUBESIM=${1:?usage: check_verify.sh KUBESIM SCENARIOS OUTDIR}
SCEN=${2:?}
OUT=${3:?}
rm -rf "$OUT" && mkdir -p "$OUT" || exit 2
# this run's own kubectl cache (not ~/.kube/cache, which other runs share):
# the kubectl that verify runs is the wrapper on PATH
. "$(dirname "$0")/own_kube_cache.sh"
own_kube_cache "$OUT/kube" || exit 2
. "$(dirname "$0")/check_lib.sh"

# start_server ARGS...: serve in the background; wait for its kubeconfig
start_server() { serve_start "$OUT" 300 "$@"; }
stop_server() { serve_stop 2>/dev/null; }

# row N FIELD: a field of expectation N (0-based) of the --json report
row() {
    python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); e=r["expectations"][int(sys.argv[2])]; print(eval(sys.argv[3], {}, {"e": e, "r": r}))' "$OUT/v.json" "$1" "$2"
}

# ---- lesson 1, observed as serve runs it ---------------------------------------------------------
lesson=$SCEN/01-pod-crash.yaml
paused=
"$KUBESIM" serve --help | grep -q -- '--paused' && paused=--paused
if start_server "$lesson" --speed 16 $paused; then
    "$KUBESIM" verify "$lesson" --kubeconfig "$OUT/kubeconfig" --observe-only --speed 16 \
        --json "$OUT/v.json" --junit "$OUT/v.xml" >"$OUT/verify.out" 2>&1
    rc=$?
    stop_server
    if [ -n "$paused" ]; then
        [ $rc -eq 0 ] && ok || { bad "verify against serve --paused: exit $rc, not 0 (every expectation must agree)"; cat "$OUT/verify.out"; }
    else
        [ $rc -eq 0 ] || [ $rc -eq 1 ] && ok || { bad "verify exit $rc (0 or 1 expected)"; cat "$OUT/verify.out"; }
    fi
    server=$(sed -n 's/^ *server: //p' "$OUT/kubeconfig")
    [ "$(row 0 'r["server"]')" = "$server" ] && ok || bad "the report does not name the server $server"
    [ "$(row 0 'r["namespace"]')" = default ] && ok || bad "observe-only does not look in the context's namespace"
    [ "$(row 0 'len(r["expectations"])')" = 5 ] && ok || bad "not 5 expectations in the report"
    for n in 0 1 2 3 4; do
        st=$(row $n 'e["cluster"]["state"]')
        case $st in PASS|FAIL|"NOT OBSERVABLE") ok ;; *) bad "expectation $n: cluster state $st"; cat "$OUT/verify.out" ;; esac
    done
    # restarts >= 4 and BackOff >= 3 at the end: both sides pass, whatever the timing
    for n in 2 3; do
        [ "$(row $n 'e["compared"] and not e["differ"] and e["cluster"]["state"]')" = PASS ] && ok \
            || { bad "expectation $n (at end) does not agree"; cat "$OUT/verify.out"; }
    done
    grep -q '^ [0-9]* agree, [0-9]* differ, [0-9]* not compared$' "$OUT/verify.out" && ok \
        || bad "no summary line in the report"
    xmllint --noout "$OUT/v.xml" && ok || bad "the JUnit report is not XML"
    grep -q '<testcase name="end (2m0s) events BackOff: count &gt;= 3"></testcase>' "$OUT/v.xml" && ok \
        || bad "the JUnit report has no passing BackOff testcase"
fi

# ---- a timeline on the cluster: kubectl steps run by the kubectl given (a stand-in that
# writes down how it was called), crash and node as a cluster allows them (cordon through
# kubectl, uncordoned at the end; a machine failure skipped) ------------------------
mkdir -p "$OUT/steps"
cat >"$OUT/steps/steps.yaml" <<'SC'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: verify-steps}
spec:
  duration: 4s
  manifests:
    - inline: |
        apiVersion: v1
        kind: Pod
        metadata: {name: one, labels: {app: one}}
        spec:
          containers: [{name: app, image: nginx:1.25}]
  timeline:
    - {at: 1s, kubectl: "label pod one tier=web"}
    - {at: 2s, kubectl: "create secret generic s --from-literal 'K=a b'"}
    - {at: 2s, crash: {pod: one}}
    - {at: 3s, node: {name: minikube, action: cordon}}
    - {at: 3500ms, node: {name: minikube, action: fail}}
  expect:
    - {at: end, pod: {name: one, restarts: ">= 0"}}
SC
cat >"$OUT/kubectl" <<'KC'
#!/bin/sh
{ printf '%s|' "$PWD"; printf '[%s]' "$@"; echo; } >>"${0%/*}/kubectl.log"
KC
chmod +x "$OUT/kubectl"
if start_server --speed 64; then
    # a relative --kubeconfig (issue 20): kubectl, run from the scenario's folder, is
    # given the same file by its absolute path
    kubesim_abs=$(cd "$(dirname "$KUBESIM")" && pwd)/$(basename "$KUBESIM")
    (cd "$OUT" && "$kubesim_abs" verify steps/steps.yaml --kubeconfig kubeconfig --wall-clock \
        --speed 64 --kubectl "$OUT/kubectl" --json "$OUT/steps.json") >"$OUT/steps.out" 2>&1
    rc=$?
    kc=$(cd "$OUT" && pwd -P)/kubeconfig
    stop_server
    # kubesim: the pod is there; the cluster: deleted for the crash, or never applied
    # (kubesim serve without writes), or still terminating: exit 1 exactly when they differ
    differ=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["expectations"][0]["differ"])' "$OUT/steps.json")
    { [ $rc -eq 1 ] && [ "$differ" = True ]; } || { [ $rc -eq 0 ] && [ "$differ" = False ]; } && ok \
        || { bad "verify of a timeline: exit $rc, differ $differ"; cat "$OUT/steps.out"; }
    steps=$(cd "$OUT/steps" && pwd)
    # the run's own namespace when the server created it (kubesim serve with writes), else default
    ns=$(grep -o 'kubesim-verify-verify-steps-[0-9a-f]\{6\}' "$OUT/kubectl.log" | head -n 1)
    [ -n "$ns" ] || ns=default
    printf '%s\n' \
        "$steps|[--kubeconfig][$kc][--context][kubesim][-n][$ns][label][pod][one][tier=web]" \
        "$steps|[--kubeconfig][$kc][--context][kubesim][-n][$ns][create][secret][generic][s][--from-literal][K=a b]" \
        "$steps|[--kubeconfig][$kc][--context][kubesim][-n][$ns][cordon][minikube]" \
        "$steps|[--kubeconfig][$kc][--context][kubesim][-n][$ns][uncordon][minikube]" \
        >"$OUT/kubectl.want"
    diff "$OUT/kubectl.want" "$OUT/kubectl.log" >"$OUT/kubectl.diff" && ok \
        || { bad "the kubectl steps were not run as written (from the scenario's folder, with --context and -n)"; cat "$OUT/kubectl.diff"; }
    grep -q 'node minikube fail: POST /kubesim/v1/nodes/minikube/fail (kubesim serve' "$OUT/steps.out" && ok \
        || bad "the node failure did not go through serve's node endpoint"
    grep -q 'note: crash: the pod is deleted' "$OUT/steps.out" && ok || bad "no note on how the crash was done"
    grep -Eq 'pod/one (serverside-applied|created)|note: apply: pod/one: ' "$OUT/steps.out" && ok \
        || bad "the manifest was neither applied nor its failure noted"
    grep -Eq 'note: the server did not create namespace kubesim-verify-verify-steps-[0-9a-f]{6} .*: using namespace default|namespace kubesim-verify-verify-steps-' "$OUT/steps.out" && ok \
        || bad "no namespace of its own, and no note saying so"
fi

# ---- a cluster not shaped as spec.cluster: said in notes (lesson 16's calico and lesson 19's
# three nodes on serve's default cluster); none when serve --cluster shapes it ----------------
for l in 16-network-policy 19-daemonset; do
    for shaped in no yes; do
        if [ $shaped = yes ]; then start_server --paused --cluster "$SCEN/$l.yaml"; else start_server --paused; fi || continue
        "$KUBESIM" verify "$SCEN/$l.yaml" --kubeconfig "$OUT/kubeconfig" >"$OUT/shape.out" 2>&1
        stop_server
        case $l-$shaped in
        16-*-no) grep -q "note: cluster: spec.cluster's cni calico enforces NetworkPolicy; this cluster's network plugin (auto) may accept" "$OUT/shape.out" ;;
        19-*-no) grep -q 'note: cluster: 1 node here (minikube); spec.cluster has 3 (node-1, node-2, node-3)' "$OUT/shape.out" \
                 && grep -q 'note: cluster: no node named node-1, node-2, node-3 here' "$OUT/shape.out" ;;
        *) ! grep -q 'note: cluster:' "$OUT/shape.out" ;;
        esac && ok || { bad "$l (shaped: $shaped): the notes on the cluster's shape"; grep note "$OUT/shape.out"; }
    done
done

# ---- the errors a user meets --------------------------------------------------------------------------
# serve stopped: nobody answers on its port
"$KUBESIM" verify "$lesson" --kubeconfig "$OUT/kubeconfig" >"$OUT/dead.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'error: cannot reach the cluster of context kubesim at https://127.0.0.1:' "$OUT/dead.out" \
    && ok || { bad "verify against no cluster: exit $rc"; cat "$OUT/dead.out"; }

cat >"$OUT/exec.yaml" <<'KC'
apiVersion: v1
kind: Config
current-context: eks
clusters:
- name: eks
  cluster: {server: 'https://127.0.0.1:1'}
contexts:
- name: eks
  context: {cluster: eks, user: eks}
users:
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
KC
"$KUBESIM" verify "$lesson" --kubeconfig "$OUT/exec.yaml" >"$OUT/exec.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "exec.yaml:14:7: error: user eks gets its credentials from an exec plugin (aws)" "$OUT/exec.out" \
    && ok || { bad "an exec plugin: exit $rc"; cat "$OUT/exec.out"; }

"$KUBESIM" verify "$lesson" --kubeconfig "$OUT/exec.yaml" --context nosuch >"$OUT/ctx.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "no context named nosuch; the contexts are: eks" "$OUT/ctx.out" \
    && ok || { bad "an unknown context: exit $rc"; cat "$OUT/ctx.out"; }

"$KUBESIM" verify >"$OUT/none.out" 2>&1
[ $? -eq 2 ] && grep -q "give a scenario file" "$OUT/none.out" && ok || bad "verify without a scenario"
"$KUBESIM" run "$lesson" --headless --context x >"$OUT/misuse.out" 2>&1
[ $? -eq 2 ] && grep -q "are options of kubesim verify" "$OUT/misuse.out" && ok || bad "--context given to run"
"$KUBESIM" verify "$lesson" --seed 3 >"$OUT/seed.out" 2>&1
[ $? -eq 2 ] && grep -q "does not apply to verify" "$OUT/seed.out" && ok || bad "--seed given to verify"

check_summary
