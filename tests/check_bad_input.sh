#!/bin/sh
# Bad input as a hostile user and a course's CI meet it (issue 22): special
# files never hang and never pass, a broken scenario in a folder fails the
# run, reports count skipped as skipped, bad input is exit 2 everywhere.
# Every command runs under `timeout`: a hang is a failure, not a stuck
# suite.
set -u
KUBESIM=${1:?usage: check_bad_input.sh KUBESIM SCENARIOS OUTDIR}
SCN=${2:?}
OUT=${3:?}
case $KUBESIM in /*) ;; *) KUBESIM=$(pwd)/$KUBESIM ;; esac
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
rm -rf "$OUT"
mkdir -p "$OUT"
. "$(dirname "$0")/check_lib.sh"

run() {         # run CMD... : output in $OUT/out and $OUT/err, status in $rc
    (cd "$WHERE" && timeout 20 "$@") >"$OUT/out" 2>"$OUT/err" </dev/null
    rc=$?
}
WHERE=.         # the folder commands run in
expect_rc() {   # expect_rc RC DESCRIPTION CMD... (check_lib.sh's, in $WHERE, under timeout)
    want=$1; what=$2; shift 2
    run "$@"
    if [ "$rc" -eq 124 ]; then bad "$what: hung (killed after 20s)"
    elif [ "$rc" -eq "$want" ]; then ok
    else bad "$what: exit $rc, wanted $want"; cat "$OUT/out" "$OUT/err"; fi
}
expect_no_text() { # expect_no_text FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then bad "$3: '$2' in $1"; else ok; fi
}

# ---- 1, 2: special files are errors at their path, never a hang -----------------------
M="$OUT/manifests"
mkdir -p "$M"
cp "$SCN/k8s/postgres.yaml" "$M/a.yaml"
mkfifo "$M/fifo.yaml"
ln -s /dev/zero "$M/zero.yaml"
mkdir "$M/sub.yaml"                        # a folder is skipped, as by kubectl -f DIR
for cmd in check "apply --headless --until 5s -f"; do
    # shellcheck disable=SC2086
    expect_rc 2 "$cmd a folder with a FIFO and a link to /dev/zero" "$KUBESIM" $cmd "$M"
    expect_text "$OUT/err" "fifo.yaml: error: this is a FIFO (named pipe), not a regular file" \
        "$cmd names the FIFO"
    expect_text "$OUT/err" "zero.yaml: error: this is a character device (a symbolic link to /dev/zero)" \
        "$cmd names the device and the link"
    expect_no_text "$OUT/err" "sub.yaml" "$cmd skips subfolders"
done
expect_rc 2 "check a FIFO" "$KUBESIM" check "$M/fifo.yaml"
expect_rc 2 "check /dev/zero" "$KUBESIM" check /dev/zero
expect_text "$OUT/err" "/dev/zero: error: this is a character device" "what /dev/zero is"
expect_rc 2 "check /proc/self/status" "$KUBESIM" check /proc/self/status
expect_text "$OUT/err" "it says it is empty but it has content" "a /proc file is no regular file"
expect_no_text "$OUT/err" "it is empty)" "a /proc file is not 'empty'"
for cmd in "run --headless" test shell "exercise --headless"; do
    # shellcheck disable=SC2086
    expect_rc 2 "$cmd FIFO" "$KUBESIM" $cmd "$M/fifo.yaml"
    cat "$OUT/out" "$OUT/err" >"$OUT/both"
    expect_text "$OUT/both" "fifo.yaml: error: this is a FIFO (named pipe)" "$cmd FIFO message"
done
expect_rc 2 "test a folder holding a FIFO" "$KUBESIM" test "$M"
expect_text "$OUT/out" "fifo.yaml: error: this is a FIFO" "test names the FIFO"
expect_last "$OUT/out" "0 passed, 2 failed" "test counts the FIFO and the device as failed"

# ---- 3: a broken scenario in a folder fails, named and located --------------------------
T="$OUT/course"
mkdir -p "$T"
cp "$SCN/nodes_drain.yaml" "$T/01-good.yaml"
cat >"$T/02-broken.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: broken
spec:
  duration: 10s
EOF
expect_rc 2 "test a folder with a scenario that does not parse" "$KUBESIM" test "$T"
expect_text "$OUT/out" "02-broken.yaml:4:5: error:" "the broken file, located"
expect_last "$OUT/out" "1 passed, 1 failed" "the broken file is counted"
expect_rc 2 "check the same folder" "$KUBESIM" check "$T"
expect_text "$OUT/err" "02-broken.yaml:4:5: error:" "check locates it too"

# ---- 4: JUnit and JSON: skipped is skipped, one failure per failing scenario ----------
XSD="$(cd "$(dirname "$0")" && pwd)/junit.xsd"
C="$OUT/ci"
mkdir -p "$C"
cp "$SCN/nodes_drain.yaml" "$C/01-pass.yaml"
cp "$T/02-broken.yaml" "$C/02-broken.yaml"
cat >"$C/03-fail.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: three-wrong}
spec:
  duration: 20s
  manifests:
    - inline: |
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: nginx}]
  expect:
    - {at: 15s, pods: {selector: app=web, ready: 2}}
    - {at: 15s, pods: {selector: app=web, ready: 5}}
    - {at: 15s, pods: {selector: app=api, count: 1}}
    - {at: 40s, pods: {selector: app=web, ready: 2}}
EOF
cat >"$C/04-exercise.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: an-exercise}
spec:
  duration: 10s
  goals:
    - {id: none, at: end, pods: {selector: app=web, count: 0}}
EOF
expect_rc 2 "test a CI folder (pass, broken, fail, exercise)" "$KUBESIM" test "$C" \
    --junit "$OUT/junit.xml" --json "$OUT/verdicts.jsonl"
expect_last "$OUT/out" "1 passed, 2 failed, 1 skipped" "console counts"
if xmllint --noout --schema "$XSD" "$OUT/junit.xml" >"$OUT/xmllint" 2>&1; then ok
else bad "the JUnit report breaks tests/junit.xsd"; cat "$OUT/xmllint"; fi
xcount() { xmllint --xpath "$1" "$OUT/junit.xml" 2>/dev/null; }
[ "$(xcount 'string(//testsuite/@tests)')" = 4 ] && ok || bad "junit tests count"
[ "$(xcount 'string(//testsuite/@failures)')" = 1 ] && ok || bad "junit failures count"
[ "$(xcount 'string(//testsuite/@errors)')" = 1 ] && ok || bad "junit errors count"
[ "$(xcount 'string(//testsuite/@skipped)')" = 1 ] && ok || bad "junit skipped count"
[ "$(xcount 'count(//testcase[skipped])')" = 1 ] && ok || bad "one <skipped/>"
[ "$(xcount 'count(//testcase[@name="three-wrong"]/failure)')" = 1 ] && ok \
    || bad "one <failure> for the failing scenario"
xcount 'string(//testcase[@name="three-wrong"]/failure)' >"$OUT/failure.txt"
expect_text "$OUT/failure.txt" "pods app=web" "the failure lists the first failed expectation"
expect_text "$OUT/failure.txt" "pods app=api" "... and the second"
expect_text "$OUT/failure.txt" "NOT CHECKED at 40s" "... and the one not reached"
expect_text "$OUT/failure.txt" "03-fail.yaml:20:" "... each at its file:line"
[ "$(xcount 'count(//testcase[error])')" = 1 ] && ok || bad "bad input is an <error>"
grep '"name":"an-exercise"' "$OUT/verdicts.jsonl" >"$OUT/ex.json"
expect_text "$OUT/ex.json" '"passed":false,"skipped":true' "JSON: the exercise is skipped"
expect_text "$OUT/ex.json" '"verdict":"skipped"' "JSON verdict skipped"
grep -c '"verdict":"' "$OUT/verdicts.jsonl" | grep -qx 4 && ok || bad "a verdict per scenario"

# ---- 5, 6: bad input is exit 2 in every command; check reads every kubectl line -------
K="$OUT/kubectl"
mkdir -p "$K"
cat >"$K/typos.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: kubectl-typos}
spec:
  duration: 20s
  timeline:
    - {at: 1s, kubectl: "get pods -l 'app in (web'"}
    - {at: 2s, kubectl: "get pdos"}
    - {at: 3s, kubectl: "scale deployment web --replicas=abc"}
    - {at: 4s, kubectl: "delete pod not-there-yet"}
  expect:
    - {at: end, pods: {selector: app=web, count: 0}}
EOF
cat >"$K/crd.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: unknown-kind}
spec:
  duration: 10s
  manifests:
    - inline: |
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: c}
  expect:
    - {at: end, pods: {selector: app=web, count: 0}}
EOF
expect_rc 2 "check a scenario with bad kubectl lines" "$KUBESIM" check "$K/typos.yaml"
expect_text "$OUT/err" "typos.yaml:7:25: error: spec.timeline[0].kubectl: this line would fail when it runs: unable to parse requirement" "a bad selector, located"
expect_text "$OUT/err" "typos.yaml:8:25: error: spec.timeline[1].kubectl: this line would fail when it runs: the server doesn't have a resource type \"pdos\"" "an unknown resource type, located"
expect_text "$OUT/err" "typos.yaml:9:25: error: spec.timeline[2].kubectl: this line would fail when it runs: invalid argument \"abc\" for \"--replicas\" flag" "--replicas=abc, located"
expect_no_text "$OUT/err" "typos.yaml:10:" "a pod that does not exist yet is no syntax error"
for cmd in test "run --headless -q" "shell"; do
    # shellcheck disable=SC2086
    expect_rc 2 "$cmd with bad kubectl lines" "$KUBESIM" $cmd "$K/typos.yaml"
    # shellcheck disable=SC2086
    expect_rc 2 "$cmd with an unknown kind" "$KUBESIM" $cmd "$K/crd.yaml"
    cat "$OUT/out" "$OUT/err" >"$OUT/both"
    expect_text "$OUT/both" "crd.yaml:9:7: error: resource mapping not found" "$cmd names the unknown kind"
done
expect_rc 2 "check a scenario with an unknown kind" "$KUBESIM" check "$K/crd.yaml"

# ---- 8: a screenshot after the end of the run ------------------------------------------
expect_rc 2 "--screenshot past the end" "$KUBESIM" run --headless "$SCN/nodes_drain.yaml" \
    --screenshot "999h:$OUT/late.png"
if grep -q "need the window, and this kubesim was built without it" "$OUT/err"; then ok  # GUI=OFF
else expect_text "$OUT/err" "--screenshot 999h:$OUT/late.png: the run ends at" "says the run ended before"; fi
[ ! -e "$OUT/late.png" ] && ok || bad "a frame was written past the end"

# ---- 9: manifest paths that leave the scenario's folder tree; non-regular files --------
# The tree is the repository holding the scenario, else the folder kubesim
# runs in when the scenario is inside it, else the scenario's folder: so
# this course lives outside any repository (a temporary folder).
U=$(mktemp -d "${TMPDIR:-/tmp}/kubesim-course.XXXXXX")
trap 'rm -rf "$U"' EXIT
mkdir -p "$U/lesson"
cp "$SCN/k8s/postgres.yaml" "$U/shared.yaml"
mkfifo "$U/pipe.yaml"
cat >"$U/lesson/up.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: up}
spec:
  duration: 10s
  manifests: [../shared.yaml]
EOF
cat >"$U/lesson/pipe.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: pipe}
spec:
  duration: 10s
  manifests: [../pipe.yaml]
  timeline:
    - {at: 1s, kubectl: "apply -f ../pipe.yaml"}
EOF
WHERE=/
expect_rc 0 "check a scenario reading ../shared.yaml" "$KUBESIM" check "$U/lesson/up.yaml"
expect_text "$OUT/err" "up.yaml:6:15: warning: spec.manifests[0] '../shared.yaml' leads out of $(cd "$U" && pwd -P)/lesson, the folder tree this scenario lives in" "the warning, located"
expect_text "$OUT/err" "it is $(cd "$U" && pwd -P)/shared.yaml" "the warning names the resolved path"
WHERE=$U
expect_rc 0 "the same from the course's folder" "$KUBESIM" check lesson/up.yaml
WHERE=.
expect_no_text "$OUT/err" "warning" "../shared.yaml is inside the course's tree"
expect_rc 2 "check a scenario listing a FIFO" "$KUBESIM" check "$U/lesson/pipe.yaml"
expect_text "$OUT/err" "pipe.yaml:6:15: error: spec.manifests[0] '../pipe.yaml': this is a FIFO" "a FIFO in spec.manifests"
expect_text "$OUT/err" "pipe.yaml:8:25: error: spec.timeline[0].kubectl: -f '../pipe.yaml': this is a FIFO" "a FIFO after kubectl -f"

check_summary
