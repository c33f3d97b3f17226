#!/bin/sh
# run, test, check and apply as a user meets them: exit codes (0 held, 1
# failed, 2 bad input), the outcome table, `test`'s last line, JUnit and
# JSON reports, pinned fingerprints, check's scenario walk, the sandbox.
set -u
KUBESIM=${1:?usage: check_run.sh KUBESIM SCENARIOS OUTDIR}
SCN=${2:?}
OUT=${3:?}
rm -rf "$OUT"
mkdir -p "$OUT"
. "$(dirname "$0")/check_lib.sh"

# A scenario whose expectations fail, one that is malformed, one whose
# manifest is, and a plain manifest folder.
mkdir -p "$OUT/failing" "$OUT/broken" "$OUT/badmanifest" "$OUT/app"
cat >"$OUT/failing/typo.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: typo}
spec:
  duration: 30s
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
    - {at: 20s, pods: {selector: app=web, ready: 2}}
    - {at: 20s, pods: {selector: component=web, ready: 2}}
    - {at: 40s, pods: {selector: app=web, ready: 2}}
EOF
cat >"$OUT/broken/bad.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: bad}
spec:
  durashun: 30s
EOF
cat >"$OUT/badmanifest/scn.yaml" <<'EOF'
apiVersion: kubesim/v1
kind: Scenario
metadata: {name: badmanifest}
spec:
  manifests: [web.yaml]
EOF
cat >"$OUT/badmanifest/web.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: lots
EOF
cat >"$OUT/app/web.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 30080}]
EOF

# ---- run ----------------------------------------------------------------------------
expect_rc 0 "run, all held" "$KUBESIM" run --headless "$SCN/storage_claim_records.yaml"
expect_text "$OUT/out" "kubesim run: storage-claim-records" "run header"
expect_text "$OUT/out" "\$ kubectl apply -f k8s/" "run log: the apply"
expect_text "$OUT/out" "deployment.apps/postgres created" "run log: apply output"
expect_text "$OUT/out" "outcome at 1m20s:" "outcome table"
expect_text "$OUT/out" "  PASS  end (1m20s)" "outcome rows"
expect_text "$OUT/out" "7 passed, 0 failed" "run summary"
# an exec's stdout and stderr in the log in the order the command wrote them
# (tests/scenarios/real/get-shell.yaml: one, two on stderr, three)
expect_rc 0 "run, exec output" "$KUBESIM" run --headless "$SCN/real/get-shell.yaml"
if grep -A3 -F "echo one; echo two >&2; echo three'" "$OUT/out" | sed 's/^ *[0-9.]*s *//' \
    | tr '\n' ' ' | grep -qF 'one two three'; then ok
else bad "run: an exec's stdout and stderr in write order"; fi
expect_rc 1 "run, some failed" "$KUBESIM" run --headless "$OUT/failing/typo.yaml"
expect_text "$OUT/out" "why: no pod has label component=web (pods here: web-" "why line"
expect_text "$OUT/out" "1 passed, 1 failed, 1 not reached" "run summary with failures"
expect_rc 1 "run --until: at: end is the new end" "$KUBESIM" run --headless \
    --until 10s -q "$SCN/storage_claim_records.yaml"
expect_text "$OUT/out" "SKIP  29s" "checks after --until are skipped"
expect_text "$OUT/out" "3 not reached" "skipped checks counted apart"
expect_rc 0 "run --until: skipped checks are not failures" "$KUBESIM" run --headless \
    --until 25s -q "$SCN/nodes_drain.yaml"
expect_rc 2 "run, bad scenario" "$KUBESIM" run --headless "$OUT/broken/bad.yaml"
expect_text "$OUT/err" "bad.yaml:5:3: error:" "located message"
expect_rc 2 "run, bad manifest" "$KUBESIM" run --headless "$OUT/badmanifest/scn.yaml"
expect_text "$OUT/err" "web.yaml:5:13: error:" "manifest message located"
expect_rc 2 "run, no file" "$KUBESIM" run --headless "$OUT/nothere.yaml"
expect_rc 2 "run, two files" "$KUBESIM" run --headless a.yaml b.yaml
env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER= "$KUBESIM" run -q "$SCN/nodes_drain.yaml" \
    >"$OUT/out" 2>"$OUT/err"
[ $? -eq 0 ] && ok || bad "run without a display did not run headless"
expect_text "$OUT/err" "running headless" "no display message"
KUBESIM_ASSETS="$OUT/none" "$KUBESIM" run --headless "$SCN/nodes_drain.yaml" >"$OUT/out" 2>"$OUT/err"
[ $? -eq 2 ] && ok || bad "missing catalog is bad input"
expect_text "$OUT/err" "image catalog" "missing catalog message"
# determinism: the same run twice, byte for byte
"$KUBESIM" run --headless -q --json "$OUT/a.jsonl" "$SCN/services_selector_typo.yaml" >"$OUT/a.out"
"$KUBESIM" run --headless -q --json "$OUT/b.jsonl" "$SCN/services_selector_typo.yaml" >"$OUT/b.out"
if cmp -s "$OUT/a.jsonl" "$OUT/b.jsonl" && [ -s "$OUT/a.jsonl" ]; then ok; else bad "JSON traces differ"; fi
if cmp -s "$OUT/a.out" "$OUT/b.out"; then ok; else bad "outcome tables differ"; fi
"$KUBESIM" run --headless -q --seed 99 --json "$OUT/c.jsonl" "$SCN/services_selector_typo.yaml" >/dev/null
if cmp -s "$OUT/a.jsonl" "$OUT/c.jsonl"; then bad "another seed gave the same trace"; else ok; fi
expect_text "$OUT/a.jsonl" '"type":"expect"' "expectations in the JSON trace"

# ---- test -----------------------------------------------------------------------------
# the regression scenarios, as many as there are: `test` searches subfolders
# (real/), `check DIR` reads a folder as kubectl -f does, without them
NS=$(grep -rl '^kind: Scenario' "$SCN" --include='*.yaml' | wc -l | tr -d ' ')
NTOP=$(ls "$SCN"/*.yaml | wc -l | tr -d ' ')
expect_rc 0 "test, regression folder" "$KUBESIM" test "$SCN" --junit "$OUT/junit.xml" \
    --json "$OUT/verdicts.jsonl"
expect_last "$OUT/out" "$NS passed, 0 failed" "test last line"
expect_text "$OUT/junit.xml" '<testsuites name="kubesim" tests="'"$NS"'" failures="0" errors="0"' "junit"
expect_text "$OUT/verdicts.jsonl" '"name":"storage-claim-records"' "verdicts"
expect_text "$OUT/verdicts.jsonl" '"fingerprint_matches":true' "pinned fingerprint compared"
[ "$(wc -l <"$OUT/verdicts.jsonl")" -eq "$NS" ] && ok || bad "one verdict per scenario"
expect_rc 1 "test, a failing scenario" "$KUBESIM" test "$OUT/failing" --junit "$OUT/junit2.xml"
expect_last "$OUT/out" "0 passed, 1 failed" "test last line, failing"
expect_text "$OUT/out" "FAIL at 20s: pods component=web" "failed expectation listed"
expect_text "$OUT/junit2.xml" '<failure message="2 of 3 expectations failed" type="ExpectationFailed">FAIL at 20s: pods component=web' "junit failure"
expect_rc 2 "test, malformed scenario" "$KUBESIM" test "$OUT/broken" "$SCN/nodes_drain.yaml"
expect_last "$OUT/out" "1 passed, 1 failed" "test last line, bad input"
expect_text "$OUT/out" "bad.yaml:5:3: error:" "test shows the located error"
expect_rc 2 "test, nothing to run" "$KUBESIM" test "$OUT/app"
expect_rc 0 "test -j 1" "$KUBESIM" test -q -j 1 "$SCN"
expect_last "$OUT/out" "$NS passed, 0 failed" "test -j 1 last line"
# fingerprints: pinned on request, byte for byte otherwise; a change fails
cp "$SCN/nodes_drain.yaml" "$OUT/pin.yaml"
expect_rc 0 "test --update-fingerprints" "$KUBESIM" test --update-fingerprints "$OUT/pin.yaml"
expect_text "$OUT/out" "pinned in" "pin message"
if [ "$(diff "$SCN/nodes_drain.yaml" "$OUT/pin.yaml" | grep -c '^[<>]')" -eq 1 ]; then ok
else bad "--update-fingerprints changed more than one line"; fi
expect_rc 0 "test a pinned file" "$KUBESIM" test "$OUT/pin.yaml"
sed 's/fingerprint: "./fingerprint: "x/' "$OUT/pin.yaml" >"$OUT/pin2.yaml"
expect_rc 1 "test a wrong pin" "$KUBESIM" test "$OUT/pin2.yaml"
expect_text "$OUT/out" "fingerprint changed" "wrong pin message"

# ---- check ----------------------------------------------------------------------------
expect_rc 0 "check the regression folder" "$KUBESIM" check "$SCN"
expect_text "$OUT/out" "check passed: $NTOP scenarios" "check counts scenarios"
expect_rc 2 "check a scenario with a bad manifest" "$KUBESIM" check "$OUT/badmanifest/scn.yaml"
expect_text "$OUT/err" "web.yaml:5:13: error:" "check follows spec.manifests"
expect_rc 2 "check a bad scenario" "$KUBESIM" check "$OUT/broken"
expect_text "$OUT/err" "bad.yaml:5:3: error:" "check reports scenario errors"
expect_rc 0 "check manifests" "$KUBESIM" check "$OUT/app"

# ---- apply ----------------------------------------------------------------------------
expect_rc 0 "apply -f DIR" "$KUBESIM" apply -f "$OUT/app" --headless --until 30s
expect_text "$OUT/out" "deployment.apps/web created" "apply log"
expect_text "$OUT/out" "NAME" "apply pods table"
expect_text "$OUT/out" "nodeport:30080" "apply default traffic"
expect_rc 2 "apply without -f" "$KUBESIM" apply --headless
expect_rc 2 "apply a bad manifest" "$KUBESIM" apply -f "$OUT/badmanifest/web.yaml" --headless

check_summary
