#!/bin/sh
# The cluster's figures (README "Figures"), each beside the shared anchor
# measured in the same run:
#   bench/run-cluster.sh [BUILD_DIR=build] [day]
# 1. the bare C M/M/1 of shared/anchors/heap_des.c (1 M events): the
#    machine's speed right now (a loaded machine gives every figure less);
# 2. bench_cluster pods: 500 / 5,000 / 20,000 / 100,000 pods, growth exponent;
# 3. bench_cluster app 3600 1000: one simulated hour of the course app;
# 4. kubesim test and kubesim run --headless on bench/scenarios/course-day.yaml
#    cut to one hour (--until 1h): their CPU times and ratio;
# 5. with `day`: kubesim test on the whole simulated day (86.4 M requests);
# 6. the anchor again (the load may have moved meanwhile).
# CPU times (user+sys, from /usr/bin/time) are what to compare on a shared
# machine; wall times are printed too. A step that fails stops the script
# with its message (set -e): no figure is made up.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/..
BUILD=${1:-$ROOT/build}
DAY=${2:-}
KUBESIM=$BUILD/kubesim
BENCH=$BUILD/bench_cluster
# shared/ sits beside the repository (or beside its worktrees' folder);
# KUBESIM_ANCHORS names the anchors' folder anywhere else
ANCHOR_SRC=${KUBESIM_ANCHORS:-$ROOT/../shared/anchors}/heap_des.c
[ -f "$ANCHOR_SRC" ] || [ -n "${KUBESIM_ANCHORS:-}" ] || ANCHOR_SRC=$ROOT/../../shared/anchors/heap_des.c
SCN=$ROOT/bench/scenarios/course-day.yaml
for f in "$KUBESIM" "$BENCH"; do
    [ -x "$f" ] || { echo "build first: $f is missing (scripts/build.sh)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/kubesim_bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
anchor() {
    if [ -f "$ANCHOR_SRC" ]; then
        [ -x "$WORK/heap_des" ] || gcc -O2 -march=x86-64-v2 -o "$WORK/heap_des" "$ANCHOR_SRC" -lm
        echo "anchor (bare C M/M/1, shared/anchors): $("$WORK/heap_des" mm1)"
    else
        echo "(shared/anchors not found: no anchor figure)"
    fi
}
# cpu NAME CMD...: runs CMD (its output to $WORK/out), prints its CPU and wall time
cpu() {
    name=$1
    shift
    if ! /usr/bin/time -f "%U %S %e" -o "$WORK/time" "$@" >"$WORK/out" 2>&1; then
        cat "$WORK/out" >&2
        echo "run-cluster: $name failed" >&2
        exit 1
    fi
    awk -v n="$name" '{ printf "%s: cpu %.2f s (user %.2f + sys %.2f), wall %.2f s\n", n, $1 + $2, $1, $2, $3 }' "$WORK/time"
    awk '{ print $1 + $2 }' "$WORK/time" >"$WORK/cpu.$name"
}
anchor
"$BENCH" pods
"$BENCH" app 3600 1000
cd "$ROOT"
cpu test-1h "$KUBESIM" test -j 1 --until 1h "$SCN"
tail -n 1 "$WORK/out"
cpu run-headless-1h "$KUBESIM" run --headless -q --until 1h "$SCN"
awk -v a="$(cat "$WORK/cpu.run-headless-1h")" -v b="$(cat "$WORK/cpu.test-1h")" \
    'BEGIN { printf "run --headless / test, one simulated hour: %.2fx\n", a / b }'
if [ "$DAY" = day ]; then
    cpu test-day "$KUBESIM" test -j 1 "$SCN"
    tail -n 1 "$WORK/out"
    awk -v c="$(cat "$WORK/cpu.test-day")" \
        'BEGIN { printf "one simulated day in %.1f s of CPU: %.0fx real time\n", c, 86400 / c }'
fi
anchor
