#!/bin/sh
# check_verify_lessons.sh KUBESIM SCENARIOS OUTDIR [LESSON...] -- every lesson
# through `kubesim verify` against `kubesim serve --paused` (verify steps the
# server's clock: the outcome does not depend on the machine's speed), and
# each expectation's cluster verdict held against `kubesim test`'s, row by row.
#   full: serve an empty cluster shaped as the lesson's spec.cluster (serve
#         --cluster); verify applies the manifests, runs the
#         timeline's kubectl steps with the real kubectl, sends the traffic
#         through the service proxy, observes: the whole client path.
#   observe: serve runs the lesson itself; verify only observes it.
# Both with --allow-exec: a crash is `kill 1` through serve's pods/exec,
# records are counted through exec with the catalog's count command.
# A row passes when both verdicts are the same, or when the cluster cannot
# answer it and says why (requests in observe mode: the scenario's own
# traffic is inside the server; every lesson's records are counted through
# exec, so a records row not observed fails). Rows known to differ are in
# tests/verify_lessons.known (LESSON MODE ROW reason), each a bug or a limit
# named there; a known row that now agrees is printed as STALE (not failed:
# another branch may fix serve first), so the list shrinks as they are fixed. The last line is "N passed, N failed".
set -u
# the server checks that every object it keeps for its unchanged version in
# the simulation builds as it was (server/ksv_store.c)
export KUBESIM_SERVE_CHECK_VERSIONS=1
KUBESIM=${1:?usage: check_verify_lessons.sh KUBESIM SCENARIOS OUTDIR [LESSON...]}
SCEN=${2:?}
OUT=${3:?}
shift 3
KNOWN=$(dirname "$0")/verify_lessons.known
rm -rf "$OUT" && mkdir -p "$OUT" || exit 2
# this run's own kubectl cache (not ~/.kube/cache, which other runs share):
# the kubectl that verify runs is the wrapper on PATH
. "$(dirname "$0")/own_kube_cache.sh"
own_kube_cache "$OUT/kube" || exit 2
. "$(dirname "$0")/check_lib.sh"

# start_server DIR ARGS...: serve --paused in the background; wait for its kubeconfig
start_server() {
    d=$1
    shift
    serve_start "$d" 600 --paused "$@"
}
stop_server() { serve_stop 2>/dev/null; }

# compare LESSON MODE DIR: the rows of verify's --json against kubesim test's
compare() {
    python3 - "$1" "$2" "$3/test.json" "$3/verify.json" "$KNOWN" <<'PY'
import json, sys
lesson, mode, tpath, vpath, kpath = sys.argv[1:]
known = {}
for line in open(kpath):
    line = line.strip()
    if line and not line.startswith('#'):
        l, m, row, why = line.split(None, 3)
        known[(l, m, int(row))] = why
test = json.loads(open(tpath).readline())
ver = json.loads(open(vpath).readline())
trows, vrows = test["expectations"], ver["expectations"]
ok = fail = 0
def bad(msg):
    global fail
    fail += 1
    print("FAIL: %s %s: %s" % (lesson, mode, msg))
if len(trows) != len(vrows):
    bad("%d expectations in kubesim test, %d in verify" % (len(trows), len(vrows)))
for i, (t, v) in enumerate(zip(trows, vrows)):
    label = "row %d (%s %s at %s: %s)" % (i, t["kind"], t["what"], t["when"], t["expected"])
    sim, cl = t["state"].upper(), v["cluster"]["state"]
    if v["kubesim"]["state"] != sim:
        bad("%s: verify's kubesim side says %s, kubesim test %s" % (label, v["kubesim"]["state"], sim))
        continue
    why = known.pop((lesson, mode, i), None)
    if cl == "NOT OBSERVABLE":
        fine = t["kind"] == "requests" and mode == "observe"
        if fine and why is None and v["cluster"]["why"]:
            ok += 1
        elif why is not None:
            ok += 1
        else:
            bad("%s: the cluster did not answer (%s; %s)" % (label, v["cluster"]["actual"], v["cluster"]["why"]))
        continue
    if v.get("sampling"):
        # the verdicts differ, but a success rate's threshold lies inside a
        # 95% interval of either side: verify says so, and it is no difference
        ok += 1
        print("sampling: %s %s %s: kubesim %s (%s), cluster %s (%s): within sampling error%s"
              % (lesson, mode, label, sim, t["actual"], cl, v["cluster"]["actual"],
                 "" if why is None else "; STALE in verify_lessons.known (%s)" % why))
        continue
    agree = cl == sim
    if agree and why is None:
        ok += 1
    elif not agree and why is not None:
        ok += 1
        print("known: %s %s %s: kubesim %s, cluster %s (%s): %s" % (lesson, mode, label, sim, cl, v["cluster"]["actual"], why))
    elif agree:
        ok += 1                  # not a failure: serve may land the fix first
        print("STALE: %s %s %s agrees now: take it out of verify_lessons.known (%s)" % (lesson, mode, label, why))
    else:
        bad("%s: kubesim test %s (%s), cluster %s (%s; %s)" % (label, sim, t["actual"], cl, v["cluster"]["actual"], v["cluster"]["why"]))
for (l, m, row), why in known.items():
    if l == lesson and m == mode and row >= len(vrows):
        bad("verify_lessons.known names row %d, which is not there" % row)
print("ROWS %d %d" % (ok, fail))
PY
}

# verify_one LESSON MODE
verify_one() {
    file=$1
    mode=$2
    lesson=$(basename "$file" .yaml)
    d=$OUT/$lesson-$mode
    mkdir -p "$d"
    "$KUBESIM" test "$file" --json "$d/test.json" >"$d/test.out" 2>&1
    if [ "$mode" = full ]; then
        start_server "$d" --cluster "$file" || return
        set -- --allow-exec
    else
        start_server "$d" "$file" || return
        set -- --observe-only --allow-exec
    fi
    t0=$(date +%s)
    "$KUBESIM" verify "$file" --kubeconfig "$d/kubeconfig" "$@" --json "$d/verify.json" \
        >"$d/verify.out" 2>&1
    rc=$?
    t1=$(date +%s)
    stop_server
    if [ $rc -gt 1 ] || [ ! -s "$d/verify.json" ]; then
        bad "$lesson $mode: verify exit $rc"; tail -n 20 "$d/verify.out"
        return
    fi
    compare "$lesson" "$mode" "$d" >"$d/compare.out" 2>&1
    grep -v '^ROWS ' "$d/compare.out"
    set -- $(sed -n 's/^ROWS //p' "$d/compare.out")
    if [ $# -ne 2 ]; then
        bad "$lesson $mode: the comparison did not run"; cat "$d/compare.out"
        return
    fi
    pass=$((pass + $1))
    fails=$((fails + $2))
    # a stopped kubectl is a hang verify survived, not an agreement
    if grep -q 'still running after' "$d/verify.out"; then
        bad "$lesson $mode: a kubectl step had to be stopped"; grep 'still running after' "$d/verify.out"
    fi
    echo "$lesson $mode: $(grep -o '[0-9]* agree, [0-9]* differ, [0-9]* not compared' "$d/verify.out") ($((t1 - t0)) s)"
}

if [ $# -eq 0 ]; then
    set -- "$SCEN"/[0-9]*.yaml
fi
for f in "$@"; do
    verify_one "$f" full
    verify_one "$f" observe
done
check_summary
