#!/bin/sh
# Event-core figures next to the bare-heap anchor, measured in one run:
#   bench/run-events.sh [BUILD_DIR=build]
# Builds shared/anchors/heap_des.c (when ../shared exists) into a temp dir.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-$HERE/../build}
BENCH="$BUILD/bench_events"
[ -x "$BENCH" ] || { echo "build first: cmake -B build && cmake --build build" >&2; exit 2; }
# shared/ sits beside the repository (or beside its worktrees' folder);
# KUBESIM_ANCHORS names the anchors' folder anywhere else
ANCHOR_SRC=${KUBESIM_ANCHORS:-$HERE/../../shared/anchors}/heap_des.c
[ -f "$ANCHOR_SRC" ] || [ -n "${KUBESIM_ANCHORS:-}" ] \
    || ANCHOR_SRC=$HERE/../../../shared/anchors/heap_des.c
rate() { sed -n 's/.*events_per_s=\([0-9]*\).*/\1/p'; }

ours_limit=$("$BENCH" limit); echo "kubesim limit : $ours_limit"
ours_mm1=$("$BENCH" mm1);     echo "kubesim mm1   : $ours_mm1"
if [ -f "$ANCHOR_SRC" ]; then
    WORK=$(mktemp -d /tmp/kubesim_bench.XXXXXX)
    trap 'rm -rf "$WORK"' EXIT INT TERM
    gcc -O2 -march=x86-64-v2 -o "$WORK/heap_des" "$ANCHOR_SRC" -lm
    bare_limit=$("$WORK/heap_des" limit); echo "bare heap limit: $bare_limit"
    bare_mm1=$("$WORK/heap_des" mm1);     echo "bare heap mm1  : $bare_mm1"
    awk -v a="$(echo "$ours_limit" | rate)" -v b="$(echo "$bare_limit" | rate)" \
        -v c="$(echo "$ours_mm1" | rate)" -v d="$(echo "$bare_mm1" | rate)" 'BEGIN {
        printf "ratio kubesim/bare heap: limit %.2fx (%.2f M vs %.2f M events/s), mm1 %.2fx (%.1f M vs %.1f M events/s)\n",
               a / b, a / 1e6, b / 1e6, c / d, c / 1e6, d / 1e6 }'
else
    echo "(shared/anchors not found: no bare-heap comparison)"
fi
