#!/bin/sh
# `kubesim exercise DIR` with a display (Xvfb): it plays in the window, the
# goals in its panel (a screenshot from the window itself), runs again when
# the learner saves (the --json verdict is rewritten: the solution meets
# every goal), and the window closing (SIGTERM) ends it with exit 0.
#   check_exercise_window.sh KUBESIM SCENARIOS_DIR OUTDIR
# Registered by ctest only where xvfb-run is installed; run without it, it
# fails. Every wait is bounded.
set -u
KUBESIM=${1:?usage: check_exercise_window.sh KUBESIM SCENARIOS_DIR OUTDIR}
SCN=${2:?}
OUT=${3:?}
TESTS=$(cd "$(dirname "$0")" && pwd)
if ! command -v xvfb-run >/dev/null 2>&1; then
    echo "exercise_window: FAIL: xvfb-run is not installed (apt-get install xvfb xauth)"
    exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT"
cp -R "$SCN/exercises/01-keep-postgres-data" "$OUT/ex"
# the exercise refers to nothing outside its folder; the learner's session:
cat >"$OUT/session.sh" <<'EOF'
#!/bin/sh
# session.sh KUBESIM OUT TESTS: the learner opens the exercise, saves the solution, closes.
k=$1
o=$2
. "$3/waits.sh"
"$k" exercise "$o/ex" --json "$o/verdict.json" --screenshot "1s:$o/window.png" \
    --size 1280x720 >"$o/out.txt" 2>&1 &
pid=$!
wait_for "$o/out.txt" "in the window" 30 || echo "no window message" >>"$o/errors"
wait_file "$o/window.png" 30
cp "$o/ex/solution/k8s/postgres.yaml" "$o/ex/k8s/postgres.yaml"
wait_for "$o/verdict.json" '"passed": true' 60 || echo "no passing verdict" >>"$o/errors"
kill -TERM "$pid"
stop_within "$pid" 10
wait "$pid"
echo "$?" >"$o/rc"
EOF
LSAN_OPTIONS=detect_leaks=0 SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy KUBESIM_WATCH_POLL=1 \
    timeout 150 xvfb-run -a -n "$(( 100 + $$ % 800 ))" -s "-screen 0 1280x720x24" sh "$OUT/session.sh" "$KUBESIM" "$OUT" "$TESTS"
fails=0
[ -s "$OUT/window.png" ] || { echo "FAIL no screenshot from the window"; fails=1; }
[ -f "$OUT/errors" ] && { cat "$OUT/errors"; fails=1; }
[ "$(cat "$OUT/rc" 2>/dev/null)" = 0 ] || { echo "FAIL exit $(cat "$OUT/rc" 2>/dev/null), wanted 0"; fails=1; }
grep -q "Goals panel" "$OUT/out.txt" || { echo "FAIL not in the window"; fails=1; }
if [ "$fails" -ne 0 ]; then
    echo "--- out.txt:"
    cat "$OUT/out.txt"
    exit 1
fi
echo "exercise_window: the exercise played in the window, re-ran on save, all goals met"
