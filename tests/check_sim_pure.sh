#!/bin/sh
# sim/ must build and run without SDL, and stay deterministic: no SDL header,
# no rand()/srand(), no wall clock. Fails listing every offending line.
set -u
dir=${1:?usage: check_sim_pure.sh SIM_DIR}
status=0
check() {
    what=$1; pattern=$2
    hits=$(grep -rnE "$pattern" "$dir" --include='*.c' --include='*.h' || true)
    if [ -n "$hits" ]; then
        echo "sim/ must not use $what:"
        echo "$hits"
        status=1
    fi
}
check "SDL headers" '#[[:space:]]*include[[:space:]]*[<"](SDL2/)?SDL'
check "rand()/srand() (use the sim's ks_rng)" '(^|[^_a-zA-Z0-9])s?rand[[:space:]]*\('
check "the wall clock (sim time is ks_now)" '(^|[^_a-zA-Z0-9])(time[[:space:]]*\([[:space:]]*(NULL|0)?[[:space:]]*\)|clock_gettime|gettimeofday|clock[[:space:]]*\(\))'
check "printing (the sim never prints; emit trace events)" '(^|[^_a-zA-Z0-9])(printf|puts|fputs|fprintf[[:space:]]*\([[:space:]]*std(out|err))[[:space:]]*\('
[ $status -eq 0 ] && echo "sim/ is free of SDL, rand(), the wall clock and printing"
exit $status
