#!/bin/sh
# Event-core figures next to the bare-heap anchor, measured in one run:
#   bench/run-events.sh [BUILD_DIR=build] [PAIRS=3]
# Builds shared/anchors/heap_des.c (when ../shared exists) into a temp dir,
# then runs, PAIRS times, the event core and the anchor one after the other
# on the hold workload (100k pending, 10 % cancels, 5 M dispatches) and on
# the M/M/1 (30 M events). The ratios are the anchor's CPU time (user+sys,
# /usr/bin/time, whole process) over the event core's, pair by pair, and
# their median: on a shared machine, CPU time taken in the same minute is
# what compares; the events/s each program prints are by wall time.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-$HERE/../build}
PAIRS=${2:-3}
BENCH="$BUILD/bench_events"
HOLD=5000000
MM1=30000000
[ -x "$BENCH" ] || { echo "build first: cmake -B build && cmake --build build" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 2; }
# shared/ sits beside the repository (or beside its worktrees' folder);
# KUBESIM_ANCHORS names the anchors' folder anywhere else
ANCHOR_SRC=${KUBESIM_ANCHORS:-$HERE/../../shared/anchors}/heap_des.c
[ -f "$ANCHOR_SRC" ] || [ -n "${KUBESIM_ANCHORS:-}" ] \
    || ANCHOR_SRC=$HERE/../../../shared/anchors/heap_des.c
WORK=$(mktemp -d /tmp/kubesim_bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM

# cpu NAME CMD...: runs CMD, prints its line and CPU time, appends the CPU
# seconds to $WORK/NAME
cpu() {
    name=$1
    shift
    /usr/bin/time -f "%U %S" -o "$WORK/time" "$@" >"$WORK/out" \
        || { echo "$name failed:" >&2; cat "$WORK/out" >&2; exit 1; }
    printf '%-13s %s cpu_s=%s\n' "$name" "$(cat "$WORK/out")" \
        "$(awk '{ printf "%.2f", $1 + $2 }' "$WORK/time")"
    awk '{ print $1 + $2 }' "$WORK/time" >>"$WORK/$name"
}

if [ ! -f "$ANCHOR_SRC" ]; then
    echo "(shared/anchors not found: no bare-heap comparison)"
    cpu kubesim-hold "$BENCH" limit "$HOLD"
    cpu kubesim-mm1 "$BENCH" mm1 "$MM1"
    exit 0
fi
gcc -O2 -march=x86-64-v2 -o "$WORK/heap_des" "$ANCHOR_SRC" -lm
i=0
while [ "$i" -lt "$PAIRS" ]; do
    cpu kubesim-hold "$BENCH" limit "$HOLD"
    cpu anchor-hold "$WORK/heap_des" limit "$HOLD"
    cpu kubesim-mm1 "$BENCH" mm1 "$MM1"
    cpu anchor-mm1 "$WORK/heap_des" mm1 "$MM1"
    i=$((i + 1))
done
# ratio OURS ANCHOR: the anchor's CPU over ours, pair by pair, and the median
ratio() {
    paste "$WORK/$1" "$WORK/$2" | awk '{ print ($1 > 0 ? $2 / $1 : 0) }' | sort -g \
        | awk '{ r[NR] = $1 } END {
            m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
            printf "%.2fx (pairs:", m; for (i = 1; i <= NR; i++) printf " %.2f", r[i]; printf ")" }'
}
echo "ratio kubesim/bare heap by CPU time: hold $(ratio kubesim-hold anchor-hold)," \
     "mm1 $(ratio kubesim-mm1 anchor-mm1)"
