#!/bin/sh
# Every exercise is both unsolved and solvable, and `kubesim exercise`
# behaves as a learner meets it.
#   1.N  exercise N as shipped: headless exit 1 (some goal not met)
#   2.N  a copy with solution/k8s copied over k8s/: headless exit 0
#   3.x  headless details: the checklist, the --json verdict, exit 2 and a
#        located error for a broken learner manifest
#   4.x  the watch loop (inotify, then polling): first checklist, with no
#        hint; the same file saved again runs again and still shows none
#        (hints are never revealed by saving); Enter shows the first hint,
#        Enter again the next; a broken save shows where it is broken and
#        keeps the last result; the solution saved says all goals are met;
#        Ctrl-C ends it. Every wait is bounded.
set -u
KUBESIM=${1:?usage: check_exercises.sh KUBESIM SCENARIOS_DIR OUTDIR}
SCN=${2:?}
OUT=${3:?}
rm -rf "$OUT"
mkdir -p "$OUT"
. "$(dirname "$0")/check_lib.sh"

# The exercises may refer to files around them (../../k8s/course/...), so
# the solved copies live in a copy of the whole scenarios folder.
cp -R "$SCN" "$OUT/tree"
n=0
for dir in "$SCN"/exercises/*/; do
    name=$(basename "$dir")
    [ -d "$dir/solution/k8s" ] || { bad "0 $name: no solution/k8s folder"; continue; }
    n=$((n + 1))
    "$KUBESIM" exercise "$dir" --headless >"$OUT/$name.unsolved" 2>&1
    rc=$?
    if [ "$rc" -eq 1 ]; then ok; else
        bad "1.$n $name: unsolved, exit $rc (wanted 1: its goals must not be met yet)"
        cat "$OUT/$name.unsolved"
    fi
    copy="$OUT/tree/exercises/$name"
    cp -R "$copy/solution/k8s/." "$copy/k8s/"
    "$KUBESIM" exercise "$copy" --headless >"$OUT/$name.solved" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && grep -q "All goals met -- well done." "$OUT/$name.solved"; then ok; else
        bad "2.$n $name: solved, exit $rc (wanted 0: the solution must meet every goal)"
        cat "$OUT/$name.solved"
    fi
done
[ "$n" -gt 0 ] && ok || bad "0 no exercises in $SCN/exercises"

# ---- 3: headless details, on exercise 1 -------------------------------------------
EX1="$SCN/exercises/01-keep-postgres-data"
"$KUBESIM" exercise "$EX1" --headless --json "$OUT/verdict.json" >"$OUT/3.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && ok || bad "3.1 exit $rc, wanted 1"
grep -q '^  \[x\] postgres is running$' "$OUT/3.out" && ok || bad "3.2 no [x] line"
grep -q "^  \[ \] the 100 records survive the pod's deletion$" "$OUT/3.out" && ok \
    || bad "3.3 no [ ] line"
grep -q '^        why: ' "$OUT/3.out" && ok || bad "3.4 no why: line"
grep -q '^        hint 1 of 3: Where does postgres write?' "$OUT/3.out" && ok \
    || bad "3.5 not the first hint"
[ "$(tail -n 1 "$OUT/3.out")" = "2 of 3 goals met." ] && ok || bad "3.6 last line: $(tail -n 1 "$OUT/3.out")"
for want in '"exercise": "exercise-keep-postgres-data"' '"passed": false' '"id": "survived"' \
            '"met": false' '"hint": "Where does postgres write?' '"expected": "count == 100"'; do
    grep -qF "$want" "$OUT/verdict.json" && ok || bad "3.7 verdict lacks $want"
done
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert len(v["goals"]) == 3' \
    "$OUT/verdict.json" && ok || bad "3.8 the verdict is not the JSON wanted"

# a broken learner manifest is bad input, located
cp -R "$EX1" "$OUT/broken"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: postgres}\nspec:\n  replicas: lots\n' \
    >"$OUT/broken/k8s/postgres.yaml"
"$KUBESIM" exercise "$OUT/broken" --headless --json "$OUT/broken.json" >"$OUT/3b.out" 2>"$OUT/3b.err"
rc=$?
[ "$rc" -eq 2 ] && ok || bad "3.9 broken manifest: exit $rc, wanted 2"
grep -q "broken/k8s/postgres.yaml:5:[0-9]*: error: " "$OUT/3b.err" && ok \
    || { bad "3.10 no located error"; cat "$OUT/3b.err"; }
grep -q '"passed": false' "$OUT/broken.json" && grep -q '"errors": \[' "$OUT/broken.json" && ok \
    || bad "3.11 verdict after a load error"
"$KUBESIM" exercise "$OUT/nosuch" --headless >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "3.12 missing folder: not exit 2"
"$KUBESIM" exercise "$EX1" --headless --until 10s >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "3.13 --until: not exit 2"
"$KUBESIM" exercise --help | grep -q "usage: kubesim exercise DIR" && ok || bad "3.14 --help"

# ---- 4: the watch loop ---------------------------------------------------------------
. "$(dirname "$0")/waits.sh"   # wait_for FILE TEXT SECONDS
# count_of FILE TEXT: lines holding TEXT.
count_of() { grep -cF -- "$2" "$1" 2>/dev/null || true; }

watch_test() {   # watch_test TAG ENV...
    tag=$1
    shift
    w="$OUT/watch-$tag"
    cp -R "$EX1" "$w"
    unsolved="$w/k8s/postgres.yaml"
    cp "$unsolved" "$OUT/unsolved.yaml"
    # the learner's keyboard: a fifo kept open on fd 3 (Enter asks for a hint)
    rm -f "$w.keys"
    mkfifo "$w.keys"
    # timeout: even if every check below failed to stop it, it ends
    env "$@" timeout 120 "$KUBESIM" exercise "$w" <"$w.keys" >"$w.out" 2>&1 &
    pid=$!
    exec 3>"$w.keys"
    wait_for "$w.out" "Save a file to run the exercise again" 30 && ok \
        || bad "4.$tag.1 no first checklist"
    grep -q "hint 1 of 3" "$w.out" && bad "4.$tag.2 a hint before it was asked for" || ok
    sleep 0.3
    cp "$OUT/unsolved.yaml" "$unsolved"          # saved again, still unsolved
    wait_for "$w.out" "---- run 2 " 15 && ok || bad "4.$tag.3 re-save: no re-run"
    sleep 0.5
    grep -q "hint 1 of 3" "$w.out" && bad "4.$tag.3b saving revealed a hint" || ok
    echo >&3                                      # Enter: the first hint
    wait_for "$w.out" "hint 1 of 3" 15 && ok || bad "4.$tag.3c Enter: no first hint"
    echo >&3                                      # Enter again: the next one
    wait_for "$w.out" "hint 2 of 3" 15 && ok || bad "4.$tag.3d Enter: no second hint"
    sleep 0.3
    printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: [postgres\n' >"$unsolved"
    wait_for "$w.out" "the last good result still stands: 2 of 3 goals met" 15 && ok \
        || bad "4.$tag.4 broken save: the last good result is not kept"
    grep -q "postgres.yaml:[0-9]*:[0-9]*: error: " "$w.out" && ok \
        || bad "4.$tag.5 broken save: no located error"
    sleep 0.3
    cp "$w/solution/k8s/postgres.yaml" "$unsolved"
    wait_for "$w.out" "All goals met -- well done." 15 && ok \
        || bad "4.$tag.6 solution saved: not all goals met"
    kill -INT "$pid" 2>/dev/null
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
        bad "4.$tag.7 Ctrl-C did not end it"
        kill -KILL "$pid" 2>/dev/null
    else
        ok
    fi
    wait "$pid" 2>/dev/null
    rc=$?
    exec 3>&-
    [ "$rc" -eq 0 ] && ok || bad "4.$tag.8 exit $rc after Ctrl-C with all goals met, wanted 0"
    [ "$(count_of "$w.out" "---- run ")" -eq 3 ] && ok \
        || bad "4.$tag.9 $(count_of "$w.out" "---- run ") re-runs, wanted 3 (one per save)"
    if [ "$fails" -gt 0 ]; then echo "--- $w.out:"; cat "$w.out"; fi
}
watch_test inotify KUBESIM_NOTHING=1
grep -q "Watching (inotify)" "$OUT/watch-inotify.out" && ok || bad "4.inotify: not inotify"
watch_test poll KUBESIM_WATCH_POLL=1
grep -q "Watching (polling" "$OUT/watch-poll.out" && ok || bad "4.poll: not polling"

echo "check_exercises: $pass passed, $fails failed ($n exercises)"
[ "$fails" -eq 0 ]
