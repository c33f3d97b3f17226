# check_lib.sh -- what the shell checks (tests/check_*.sh) share: the
# counters and their last line, the expectations on a command, a scratch
# folder and a `kubesim serve` stopped at exit. Sourced, not run:
#   . "$HERE/check_lib.sh"
# (bounded waits are in waits.sh.)

# ---- counters: ok (a check held), bad TEXT (one failed) ----
pass=0
fails=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# check_summary: the last line, "N passed, N failed"; its status is 0 when
# none failed (a check script ends with it)
check_summary() {
    echo "$pass passed, $fails failed"
    [ "$fails" -eq 0 ]
}

# ---- expectations (output in $OUT/out and $OUT/err) ----
expect_rc() {   # expect_rc RC DESCRIPTION CMD...
    want=$1; what=$2; shift 2
    "$@" >"$OUT/out" 2>"$OUT/err"
    rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "$what: exit $rc, wanted $want"; cat "$OUT/out" "$OUT/err"; fi
}
expect_text() { # expect_text FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; cat "$1"; fi
}
expect_last() { # expect_last FILE LINE DESCRIPTION
    last=$(tail -n 1 "$1")
    if [ "$last" = "$2" ]; then ok; else bad "$3: last line '$last', wanted '$2'"; fi
}

# ---- a scratch folder and a server, both gone at exit ----
SERVER=
CHECK_TMP=
check_cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    [ -n "$CHECK_TMP" ] && rm -rf "$CHECK_TMP"
    return 0
}
trap check_cleanup EXIT INT TERM
# check_tmpdir NAME: T is a new folder (removed at exit)
check_tmpdir() {
    T=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 2
    CHECK_TMP=$T
}

# serve_start DIR TENTHS ARGS...: `$KUBESIM serve ARGS` in the background
# (SERVER), its kubeconfig, server.out and server.err in DIR; waits at most
# TENTHS tenths of a second for its kubeconfig and its `export KUBECONFIG`
# line. If it ends or does not start in time: bad, and status 1.
serve_start() {
    d=$1; n=$2; shift 2
    rm -f "$d/kubeconfig"
    "$KUBESIM" serve --kubeconfig "$d/kubeconfig" "$@" >"$d/server.out" 2>"$d/server.err" &
    SERVER=$!
    i=0
    while [ ! -s "$d/kubeconfig" ] || ! grep -q 'export KUBECONFIG' "$d/server.out" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt "$n" ] || ! kill -0 "$SERVER" 2>/dev/null; then
            bad "kubesim serve $* did not start"; cat "$d/server.out" "$d/server.err"
            return 1
        fi
        sleep 0.1
    done
}
# serve_stop: Ctrl-C to the server; the status is its exit status (also in
# serve_rc: a caller's own $rc is left alone)
serve_stop() {
    kill -INT "$SERVER" 2>/dev/null
    wait "$SERVER"
    serve_rc=$?
    SERVER=
    return "$serve_rc"
}
