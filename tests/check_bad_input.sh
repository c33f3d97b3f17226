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
rm -rf "$OUT"
mkdir -p "$OUT"
fails=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

run() {         # run CMD... : output in $OUT/out and $OUT/err, status in $rc
    timeout 20 "$@" >"$OUT/out" 2>"$OUT/err" </dev/null
    rc=$?
}
expect_rc() {   # expect_rc RC DESCRIPTION CMD...
    want=$1; what=$2; shift 2
    run "$@"
    if [ "$rc" -eq 124 ]; then bad "$what: hung (killed after 20s)"
    elif [ "$rc" -eq "$want" ]; then ok
    else bad "$what: exit $rc, wanted $want"; cat "$OUT/out" "$OUT/err"; fi
}
expect_text() { # expect_text FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; cat "$1"; fi
}
expect_no_text() { # expect_no_text FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then bad "$3: '$2' in $1"; else ok; fi
}
expect_last() { # expect_last FILE LINE DESCRIPTION
    last=$(tail -n 1 "$1")
    if [ "$last" = "$2" ]; then ok; else bad "$3: last line '$last', wanted '$2'"; fi
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

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
