#!/bin/sh
# The figures of `kubesim serve` (README "Use your own kubectl"), measured
# with real clients:
#   bench/run-serve.sh [BUILD_DIR=build] [KUBECTL=kubectl]
# 1. `kubectl get pods` of 5,000 pods (50 nodes, one Deployment of 5,000),
#    end to end with the real client: the median and the worst of 7 runs,
#    beside `kubectl version --client` (the client's own start-up, which
#    every kubectl command pays) and `get pods -o name`; and where the time
#    goes: the CPU seconds of kubectl and of the server per command (from
#    /proc: unlike wall times, they hardly move with the machine's load),
#    and the same list in one request (--chunk-size=0) beside kubectl's
#    default chunks of 500 (limit/continue: ten requests);
#    then the write-to-watch latency with 5,000 pods (a write makes the
#    server compare every object);
# 2. watch latency at 1x: the wall time from a write (a label patch, sent
#    by the official Python client) to the MODIFIED event on a watch that
#    was already open, 50 times: median and worst (bench/serve_watch.py),
#    and the same over plain http.client (the server's share, without the
#    Python client's decoding of each event);
# 3. 20 concurrent `kubectl get pods -w` through lesson 12 (two Deployments
#    rolled out: pods made and deleted) at 10x for 60 wall seconds: each client's
#    events (type, name, resourceVersion) must be the same sequence, with
#    resourceVersions that never go back, and the last version of every pod
#    each one saw must be the one a list gives at the end: no missed or
#    reordered event.
# Wall times on a shared machine: a loaded machine gives every figure more.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/..
BUILD=${1:-$ROOT/build}
K=${2:-kubectl}
KUBESIM=$BUILD/kubesim
[ -x "$KUBESIM" ] || { echo "build first: $KUBESIM is missing (scripts/build.sh)" >&2; exit 2; }
command -v "$K" >/dev/null || { echo "no $K on PATH" >&2; exit 2; }
/usr/bin/python3 -c 'import kubernetes' 2>/dev/null \
    || { echo "needs python3-kubernetes (scripts/install-deps.sh)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/kubesim_serve_bench.XXXXXX)
SERVER=
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
# this run's own kubectl cache (not ~/.kube/cache, which other runs share)
. "$ROOT/tests/own_kube_cache.sh"
own_kube_cache "$WORK/kube" "$(command -v "$K")"
K=$KUBECTL

serve() {
    rm -f "$WORK/kubeconfig"
    "$KUBESIM" serve --kubeconfig "$WORK/kubeconfig" "$@" >"$WORK/server.out" 2>&1 &
    SERVER=$!
    i=0
    until grep -q '^export KUBECONFIG' "$WORK/server.out"; do
        i=$((i + 1))
        [ $i -gt 300 ] && { echo "kubesim serve $* did not start:"; cat "$WORK/server.out"; exit 1; }
        sleep 0.1
    done
    export KUBECONFIG="$WORK/kubeconfig"
}
stop() { kill -INT "$SERVER"; wait "$SERVER" || true; SERVER=; }

# wall seconds of a command, 3 decimals
wall() {
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s.%N)
    echo "$s $e" | awk '{printf "%.3f\n", $2 - $1}'
}
# CPU seconds (user + system) of a process so far
cpu_of() { awk -v t="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / t}' "/proc/$1/stat"; }
# the CPU seconds of kubectl and of the server for one command, the mean of 7
cpu_split() {
    s0=$(cpu_of "$SERVER")
    k=0
    for i in 1 2 3 4 5 6 7; do
        /usr/bin/time -f '%U %S' -o "$WORK/time" "$@" >/dev/null 2>&1
        k=$(awk -v k="$k" '{print k + $1 + $2}' "$WORK/time")
    done
    s1=$(cpu_of "$SERVER")
    echo "$k $s0 $s1" | awk '{printf "kubectl %.3f s, server %.3f s of CPU a run\n", $1 / 7, ($3 - $2) / 7}'
}
# median and worst of 7 runs
seven() {
    for i in 1 2 3 4 5 6 7; do wall "$@"; done | sort -n | awk '{a[NR]=$1} END {printf "median %.3f s, worst %.3f s\n", a[4], a[7]}'
}

echo "client: $K ($("$K" version --client 2>/dev/null | head -n 1))"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. 5,000 pods ----
{
    printf 'apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: serve-5000}\nspec:\n'
    printf '  cluster:\n    nodes:\n'
    n=1
    while [ $n -le 50 ]; do printf '      - {name: node-%02d, cpu: "64", memory: 256Gi}\n' $n; n=$((n + 1)); done
    printf '  manifests:\n    - inline: |\n'
    printf '        apiVersion: apps/v1\n        kind: Deployment\n        metadata: {name: web}\n'
    printf '        spec:\n          replicas: 5000\n          selector: {matchLabels: {app: web}}\n'
    printf '          template:\n            metadata: {labels: {app: web}}\n'
    printf '            spec:\n              containers: [{name: nginx, image: "nginx:1.25"}]\n'
} >"$WORK/serve-5000.yaml"
serve "$WORK/serve-5000.yaml" --speed 64
i=0
until [ "$("$K" get pods --no-headers 2>/dev/null | grep -c ' Running ')" -ge 5000 ]; do
    i=$((i + 1)); [ $i -gt 120 ] && { echo "5,000 pods did not run"; exit 1; }
    sleep 1
done
echo "pods listed: $("$K" get pods --no-headers | wc -l)"
echo "kubectl version --client (start-up alone): $(seven "$K" version --client)"
echo "kubectl get pods, 5,000 pods:              $(seven "$K" get pods)"
echo "kubectl get pods --chunk-size=0 (one list): $(seven "$K" get pods --chunk-size=0)"
echo "kubectl get pods -o name, 5,000 pods:      $(seven "$K" get pods -o name)"
echo "CPU of kubectl version --client:           $(cpu_split "$K" version --client)"
echo "CPU of kubectl get pods:                   $(cpu_split "$K" get pods)"
echo "CPU of kubectl get pods --chunk-size=0:     $(cpu_split "$K" get pods --chunk-size=0)"
echo "CPU of kubectl get pods -o name:           $(cpu_split "$K" get pods -o name)"
echo "with 5,000 pods (64x):"
/usr/bin/python3 "$HERE/serve_watch.py" raw "$KUBECONFIG" 20
stop

# ---- 2. watch latency at 1x ----
serve "$ROOT/scenarios/12-rolling-vs-recreate.yaml" --speed 1
/usr/bin/python3 "$HERE/serve_watch.py" latency "$KUBECONFIG" 50
/usr/bin/python3 "$HERE/serve_watch.py" raw "$KUBECONFIG" 50
stop

# ---- 3. 20 watchers through a lesson at 10x ----
serve "$ROOT/scenarios/12-rolling-vs-recreate.yaml" --speed 10 --paused
w=1
while [ $w -le 20 ]; do
    "$K" get pods -w --output-watch-events \
        -o 'jsonpath={.type} {.object.metadata.name} {.object.metadata.resourceVersion}{"\n"}' \
        >"$WORK/watch-$w.txt" 2>"$WORK/watch-$w.err" &
    echo $! >>"$WORK/watchers"
    w=$((w + 1))
done
sleep 8              # every watcher has listed and is watching (the clock is paused)
initial=$(wc -l <"$WORK/watch-1.txt")
/usr/bin/python3 "$HERE/serve_watch.py" resume "$KUBECONFIG"
sleep 60
/usr/bin/python3 "$HERE/serve_watch.py" pause "$KUBECONFIG"
sleep 3
"$K" get pods -o 'jsonpath={range .items[*]}{.metadata.name} {.metadata.resourceVersion}{"\n"}{end}' >"$WORK/final.txt"
for w in $(cat "$WORK/watchers"); do kill "$w" 2>/dev/null || true; wait "$w" 2>/dev/null || true; done
/usr/bin/python3 "$HERE/serve_watch.py" compare "$WORK/final.txt" "$initial" "$WORK"/watch-*.txt
stop
