# waits.sh -- bounded waits and the README's sessions for the shell checks
# (check_*.sh and the session scripts they run under Xvfb). Sourced, not run:
#   . "$TESTS/waits.sh"
# Every wait polls each 0.1 s and gives up in time; none prints anything.

# wait_for FILE TEXT SECONDS: whether TEXT appears in FILE in time.
wait_for() {
    i=0
    while [ "$i" -lt $(($3 * 10)) ]; do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# wait_file FILE SECONDS: whether FILE is there and not empty in time.
wait_file() {
    i=0
    while [ ! -s "$1" ] && [ "$i" -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
    [ -s "$1" ]
}

# stop_within PID SECONDS: waits that long for PID to end, then kills it.
# The caller's `wait PID` then gives its exit status.
stop_within() {
    i=0
    while kill -0 "$1" 2>/dev/null && [ "$i" -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$1" 2>/dev/null
}

# readme_block README SECTION FENCE: the first lines of README's "## SECTION"
# fenced as ```FENCE, without the fences (the session a reader types).
readme_block() {
    sed -n "/^## $2/,/^## /p" "$1" | sed -n "/^\`\`\`$3/,/^\`\`\`/p" | sed '1d;$d'
}

# home_in DIR: HOME is DIR (made), so ~/.kube/kubesim is the test's, not the tester's.
home_in() {
    HOME=$1
    mkdir -p "$HOME"
    export HOME
}
