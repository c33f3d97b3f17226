#!/bin/sh
# The program as a user meets it: help, version, exit codes, determinism.
set -u
KUBESIM=${1:?usage: check_cli.sh KUBESIM OUTDIR}
OUT=${2:?}
mkdir -p "$OUT"
. "$(dirname "$0")/check_lib.sh"

expect_rc 0 "--help" "$KUBESIM" --help
expect_text "$OUT/out" "usage: kubesim" "--help"
cp "$OUT/out" "$OUT/help"
for c in run test check apply shell exercise; do
    expect_text "$OUT/help" "  $c " "--help lists $c"
    expect_rc 0 "$c --help" "$KUBESIM" "$c" --help
    expect_text "$OUT/out" "usage: kubesim $c" "$c --help"
done
expect_rc 0 "--version" "$KUBESIM" --version
expect_text "$OUT/out" "kubesim 0." "--version"
expect_rc 2 "unknown command" "$KUBESIM" frobnicate
expect_text "$OUT/err" "unknown command 'frobnicate'" "unknown command"
expect_rc 2 "unknown flag" "$KUBESIM" --frobnicate
expect_text "$OUT/err" "unknown option '--frobnicate'" "unknown flag"
expect_rc 2 "bad --until" "$KUBESIM" --headless --until 5parsecs
expect_text "$OUT/err" "--until takes a duration" "bad --until"
expect_rc 2 "bad --seed" "$KUBESIM" --headless --seed -3
expect_rc 2 "--json into a missing folder" "$KUBESIM" --headless --json /nonexistent/dir/x.jsonl

# The flagship lesson, headless: every expectation of lesson 7 holds.
expect_rc 0 "flagship lesson" "$KUBESIM" --headless -q
expect_text "$OUT/out" "8 passed, 0 failed" "flagship outcome"
expect_rc 2 "a stray argument" "$KUBESIM" --headless scenarios/01-pod-crash.yaml
expect_text "$OUT/err" "kubesim run scenarios/01-pod-crash.yaml" "stray argument hint"
# No display: says so, still runs.
env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER= "$KUBESIM" -q >"$OUT/out" 2>"$OUT/err"
[ $? -eq 0 ] && ok || bad "no display: did not run headless"
expect_text "$OUT/err" "headless" "no display message"

# Determinism: same seed => byte-identical JSON log; JSON lines are objects.
"$KUBESIM" --headless -q --seed 7 --until 60s --json "$OUT/a.jsonl" >/dev/null
"$KUBESIM" --headless -q --seed 7 --until 60s --json "$OUT/b.jsonl" >/dev/null
if cmp -s "$OUT/a.jsonl" "$OUT/b.jsonl" && [ -s "$OUT/a.jsonl" ]; then ok; else bad "JSON logs differ for one seed"; fi
if grep -vq '^{"seq":[0-9]*,"t":[0-9.]*,"type":"[a-z]*".*}$' "$OUT/a.jsonl"; then bad "a JSON line is malformed"; else ok; fi

# Not-yet-built commands say so plainly and exit 2.
expect_rc 2 "shell: missing file" "$KUBESIM" shell x.yaml
expect_text "$OUT/err" "x.yaml" "shell names the missing file"

check_summary
