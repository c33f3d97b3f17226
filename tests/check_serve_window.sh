#!/bin/sh
# check_serve_window.sh KUBESIM README OUTDIR -- `kubesim serve --window`
# under Xvfb with the kubectl on PATH, running the session of README's "Use
# your own kubectl" in its ```bash block as written (the server's line gets
# a --screenshot added; HOME is a folder of the test's): the window shows
# what kubectl does (a Deployment created and scaled to 4: four web cards
# Running in the frame, read from the window's own account of its frame,
# KUBESIM_WINDOW_STATE, and its terminal panel shows the scale), the window's
# Space and - keys are the API's clock (GET /kubesim/v1/clock says so) and a
# client's PUT of the clock shows in the window, the window writes its
# screenshot, and Ctrl+Q in the window stops serve with exit 0. Then
# `kubesim run LESSON`'s window at the lesson's end: its S key serves the
# cluster shown (the kubeconfig line printed, in the terminal panel and in
# the status bar), Space plays it on past the lesson's end, kubectl's
# Deployment appears in it, Space pauses the API's clock, Ctrl+Q stops
# both, exit 0.
# Without a display, and in a build without the window (KUBESIM_GUI=OFF):
# --window is an error, exit 2, saying so. It needs xvfb-run, kubectl and
# xdotool (the key presses; scripts/install-deps.sh installs all three):
# ctest registers it only where they are, and run without one it fails.
# Every wait is bounded.
set -u
KUBESIM=${1:?usage: check_serve_window.sh KUBESIM README OUTDIR}
README=${2:?}
OUT=${3:?}
TESTS=$(cd "$(dirname "$0")" && pwd)
. "$TESTS/waits.sh"
case $KUBESIM in /*) ;; *) KUBESIM=$(pwd)/$KUBESIM ;; esac
rm -rf "$OUT"
mkdir -p "$OUT"
# no display (or no window in this build): an error, exit 2, before serving
env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=x11 timeout 20 "$KUBESIM" serve --window \
    --kubeconfig "$OUT/kc0" >"$OUT/nodisplay.out" 2>&1 </dev/null
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "error: --window: " "$OUT/nodisplay.out"; then
    echo "FAIL: serve --window without a display: exit $rc, wanted 2 with a message"
    cat "$OUT/nodisplay.out"
    exit 1
fi
if grep -q "built without the window" "$OUT/nodisplay.out"; then
    echo "serve_window: built without the window: --window is an error (exit 2): $(cat "$OUT/nodisplay.out")"
    exit 0
fi
for tool in xvfb-run kubectl xdotool; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "serve_window: FAIL: $tool is not installed (scripts/install-deps.sh installs it)"
        exit 1
    fi
done
readme_block "$README" "Use your own kubectl" bash >"$OUT/readme.sh"
if ! grep -q '^kubesim serve .*--window' "$OUT/readme.sh"; then
    echo "FAIL: README.md's \"Use your own kubectl\" has no \`\`\`bash block with kubesim serve --window"
    exit 1
fi
cat >"$OUT/session.sh" <<'EOF'
#!/bin/sh
# session.sh KUBESIM OUT ROOT TESTS: README's session with the window, kubectl beside it.
k=$1
o=$2
. "$4/waits.sh"
cd "$3" || exit 1
home_in "$o/home"
st="$o/state.txt"
fail() { echo "$*" >>"$o/errors"; }
count_running() { grep -c '^pod default/web-.* Running ' "$st" 2>/dev/null; }
pid=
while IFS= read -r line; do
    cmd=${line%%#*}
    set -- $cmd
    case $1 in
    kubesim)
        shift
        KUBESIM_WINDOW_STATE="$st" "$k" "$@" --screenshot "40s:$o/window.png" \
            >"$o/out.txt" 2>"$o/err.txt" &
        pid=$!
        if ! wait_for "$o/out.txt" "in the window" 30 || ! wait_for "$st" "playing true" 30; then
            fail "README: $line: did not start, or its window wrote no state"
            kill -KILL "$pid"
            exit 0
        fi
        grep -q '^terminal # your kubectl, from now on:' "$st" \
            || fail "serve --window: the window does not show the kubeconfig line: $(cat "$st")"
        grep -q '^serving export KUBECONFIG=' "$st" \
            || fail "serve --window: the status bar does not show the kubeconfig line: $(cat "$st")" ;;
    export)
        eval "$cmd" ;;
    kubectl)
        shift
        kubectl "$@" >>"$o/kubectl.txt" 2>&1 || fail "README: $line failed: $(cat "$o/kubectl.txt")" ;;
    *)
        fail "README: a line this test does not know how to run: $line" ;;
    esac
done <"$o/readme.sh"
[ -n "$pid" ] || { fail "README: no kubesim line"; exit 0; }
i=0
while [ "$(count_running)" != 4 ] && [ "$i" -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(count_running)" = 4 ] || fail "the window does not show 4 web pods Running: $(cat "$st")"
grep -q '^terminal \$ kubectl scale deployment/web --replicas=4' "$st" \
    || fail "the window's terminal does not show the scale: $(grep terminal "$st")"
kubectl get pods -l app=web --no-headers >"$o/pods.txt" 2>&1
[ "$(grep -c ' Running ' "$o/pods.txt")" = 4 ] || fail "kubectl does not list 4 web pods Running"
# a client's clock shows in the window
printf '{"paused": true, "speed": 8}' >"$o/clock.json"
kubectl replace --raw /kubesim/v1/clock -f "$o/clock.json" >"$o/clock1.txt" 2>&1 \
    || fail "PUT /kubesim/v1/clock failed: $(cat "$o/clock1.txt")"
wait_for "$st" "playing false" 5 || fail "the window does not show the client's pause"
grep -q "^speed 8$" "$st" || fail "the window does not show the client's speed 8"
wid=$(xdotool search --name "kubesim serve" | head -n 1)
[ -n "$wid" ] || fail "no window named kubesim serve"
# Space plays, - halves the speed: the API's clock says so
xdotool key --window "$wid" space
xdotool key --window "$wid" minus
wait_for "$st" "speed 4" 5 || fail "the window's - key did not change its speed"
kubectl get --raw /kubesim/v1/clock >"$o/clock2.txt" 2>&1
grep -q '"paused":false' "$o/clock2.txt" || fail "Space in the window: the API still paused: $(cat "$o/clock2.txt")"
grep -q '"speed":4.0' "$o/clock2.txt" || fail "- in the window: the API's speed not 4: $(cat "$o/clock2.txt")"
# the screenshot at 40 s, then Ctrl+Q closes the window: serve stops
wait_file "$o/window.png" 30
xdotool key --window "$wid" ctrl+q
stop_within "$pid" 10
wait "$pid"
echo "$?" >"$o/rc"
# kubesim run's window: its S key serves the cluster shown
st="$o/run-state.txt"
rm -f "$HOME/.kube/kubesim"
# two seconds before the lesson's end (120 s): it ends, the window stops
KUBESIM_WINDOW_STATE="$st" "$k" run scenarios/01-pod-crash.yaml --size 1280x720 --start 118s \
    >"$o/run-out.txt" 2>"$o/run-err.txt" &
pid=$!
wait_for "$st" "playing true" 30 || fail "kubesim run's window wrote no state"
wait_for "$st" "playing false" 30 || fail "kubesim run's window did not stop at the lesson's end"
wid=$(xdotool search --name "A pod and a crash" | head -n 1)
[ -n "$wid" ] || fail "no window of kubesim run"
xdotool key --window "$wid" s
wait_for "$o/run-out.txt" "export KUBECONFIG=$HOME/.kube/kubesim" 30 \
    || fail "S in kubesim run's window: no kubeconfig line: $(cat "$o/run-out.txt" "$o/run-err.txt")"
wait_for "$st" "terminal # your kubectl, from now on:" 5 || fail "S: the window does not show the kubeconfig line"
wait_for "$st" "serving export KUBECONFIG=$HOME/.kube/kubesim" 5 \
    || fail "S: the status bar does not show the kubeconfig line: $(cat "$st")"
# served, the cluster lives on past the lesson's end: Space plays it on
xdotool key --window "$wid" space
wait_for "$st" "time 123." 30 || fail "S: time did not go on past the lesson's end: $(grep '^time' "$st")"
KUBECONFIG=$HOME/.kube/kubesim kubectl create deployment hello --image=nginx:1.25 --replicas=2 \
    >"$o/run-kubectl.txt" 2>&1 || fail "S: kubectl create failed: $(cat "$o/run-kubectl.txt")"
i=0
while [ "$(grep -c '^pod default/hello-.* Running ' "$st")" != 2 ] && [ "$i" -lt 300 ]; do
    sleep 0.1; i=$((i + 1))
done
[ "$(grep -c '^pod default/hello-.* Running ' "$st")" = 2 ] \
    || fail "S: kubesim run's window does not show kubectl's deployment: $(cat "$st")"
xdotool key --window "$wid" space
KUBECONFIG=$HOME/.kube/kubesim kubectl get --raw /kubesim/v1/clock >"$o/run-clock.txt" 2>&1
grep -q '"paused":true' "$o/run-clock.txt" || fail "S: Space in the window: the API not paused: $(cat "$o/run-clock.txt")"
xdotool key --window "$wid" ctrl+q
stop_within "$pid" 10
wait "$pid"
echo "$?" >"$o/run-rc"
grep -q "served from the window stopped at" "$o/run-out.txt" || fail "S: the server did not say it stopped"
EOF
LSAN_OPTIONS=detect_leaks=0 SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy \
    timeout 150 xvfb-run -a -n "$(( 100 + $$ % 800 ))" -s "-screen 0 1280x720x24" \
    sh "$OUT/session.sh" "$KUBESIM" "$OUT" "$(cd "$(dirname "$README")" && pwd)" "$TESTS"
fails=0
[ -f "$OUT/errors" ] && { cat "$OUT/errors"; fails=1; }
[ -s "$OUT/window.png" ] || { echo "FAIL no screenshot from the window"; fails=1; }
[ "$(cat "$OUT/rc" 2>/dev/null)" = 0 ] || { echo "FAIL exit $(cat "$OUT/rc" 2>/dev/null), wanted 0"; fails=1; }
if [ -f "$OUT/run-rc" ] && [ "$(cat "$OUT/run-rc")" != 0 ]; then
    echo "FAIL kubesim run (S served): exit $(cat "$OUT/run-rc"), wanted 0"; fails=1
fi
grep -q "stopped at" "$OUT/out.txt" || { echo "FAIL serve did not say it stopped"; fails=1; }
[ -f "$OUT/notes" ] && cat "$OUT/notes"
if [ "$fails" -ne 0 ]; then
    echo "--- out.txt:"; cat "$OUT/out.txt"
    echo "--- err.txt:"; cat "$OUT/err.txt"
    echo "--- state.txt:"; cat "$OUT/state.txt"
    exit 1
fi
# the S key's part runs only with xdotool: say which was checked
if [ -f "$OUT/run-rc" ]; then
    s_key="kubesim run's S key served its cluster (kubectl's deployment shown)"
else
    s_key="kubesim run's S key not checked (no xdotool)"
fi
echo "serve_window: kubectl's scale shown in the window (4 web cards Running), one clock for the window and the API, closed by Ctrl+Q: exit 0; $s_key"
