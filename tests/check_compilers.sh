#!/bin/sh
# The same scenario and seed give the same trace whatever compiled kubesim
# (issue 22, item 12): runs every scenario under the given folders with two
# kubesim binaries (a gcc build and a clang build), with the scenario's own
# seed and two others, and compares the fingerprint (a hash of the whole
# trace) of each. Fails listing every scenario whose traces differ.
#   tests/check_compilers.sh KUBESIM_A KUBESIM_B OUTDIR FOLDER...
set -u
A=${1:?usage: check_compilers.sh KUBESIM_A KUBESIM_B OUTDIR FOLDER...}
B=${2:?}
OUT=${3:?}
shift 3
[ $# -gt 0 ] || { echo "check_compilers: give at least one scenario folder" >&2; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT"
status=0
compared=0
# file and fingerprint of each verdict line, in the order found
prints() {
    sed -n 's/.*"file":"\([^"]*\)".*"fingerprint":"\([0-9a-f]*\)".*/\1 \2/p' "$1"
}
for seed in "" 7 4242; do
    for k in A B; do
        eval bin=\$$k
        # exit 1 (an expectation failed under another seed) is fine here:
        # only the traces are compared; 2 and 3 are not
        "$bin" test -q ${seed:+--seed "$seed"} --json "$OUT/$k$seed.jsonl" "$@" \
            >"$OUT/$k$seed.out" 2>&1
        rc=$?
        if [ "$rc" -gt 1 ]; then
            echo "FAIL: $bin test ${seed:+--seed $seed }exited $rc:"
            cat "$OUT/$k$seed.out"
            status=1
        fi
        prints "$OUT/$k$seed.jsonl" >"$OUT/$k$seed.fp"
    done
    n=$(wc -l <"$OUT/A$seed.fp")
    if [ "$n" -eq 0 ]; then
        echo "FAIL: no fingerprints to compare (seed ${seed:-of each scenario})"
        status=1
    elif ! cmp -s "$OUT/A$seed.fp" "$OUT/B$seed.fp"; then
        echo "FAIL: traces differ (seed ${seed:-of each scenario}): scenario, A, B"
        paste -d ' ' "$OUT/A$seed.fp" "$OUT/B$seed.fp" | awk '$1 != $3 || $2 != $4 { print "  " $1, $2, $4 }'
        status=1
    fi
    compared=$((compared + n))
done
echo "check_compilers: $compared runs compared ($(basename "$(dirname "$A")") vs" \
     "$(basename "$(dirname "$B")")), $([ $status -eq 0 ] && echo 'all equal' || echo 'DIFFERENCES')"
exit $status
