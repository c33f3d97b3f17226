#!/bin/sh
# Fuzzes one target with libFuzzer for SECONDS (default 60), starting from
# its seed corpus in tests/fuzz. New interesting inputs go to
# build-fuzz/TARGET_corpus; crashes to build-fuzz/crash-*. Needs clang:
#   tests/fuzz/run.sh [TARGET] [SECONDS]      (tests/fuzz/run.sh 600: the loader)
# Targets:
#   loader    manifests, scenarios and image catalogs (fuzz_target.c; corpus/)
#   selector  label selectors as kubectl -l takes them (fuzz_selector.c)
#   kubectl   kubectl lines, checked and run against a live cluster (fuzz_kubectl.c)
#   expect    scenario expectations, checked by a 20 s run (fuzz_expect.c)
#   run       manifests simulated for 30 s with traffic and a drain (fuzz_run.c)
#   http      the Kubernetes API's request path (fuzz_server.c; server_corpus/)
# Each target's seed corpus is replayed by ctest (fuzz_*_corpus).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET=loader
case "${1:-}" in
    ''|*[!0-9]*) [ $# -gt 0 ] && { TARGET=$1; shift; } ;;
esac
SECONDS_TO_RUN=${1:-60}
"$ROOT/scripts/install-deps.sh" clang libclang-rt-14-dev
OUT="$ROOT/build-fuzz"
LIBS=$(pkg-config --cflags --libs yaml-0.1)
EXTRA=""
TIMEOUT=10
case "$TARGET" in
    loader)   SRC=fuzz_target.c; SEEDS=corpus ;;
    selector|kubectl|expect|run) SRC=fuzz_$TARGET.c; SEEDS=${TARGET}_corpus; TIMEOUT=20 ;;
    http)
        SRC=fuzz_server.c; SEEDS=server_corpus; TIMEOUT=20
        LIBS=$(pkg-config --cflags --libs yaml-0.1 jansson)
        EXTRA=$(ls "$ROOT"/server/*.c | grep -v -e ksv_http.c -e ksv_tls.c) ;;
    *) echo "usage: tests/fuzz/run.sh [loader|selector|kubectl|expect|run|http] [SECONDS]" >&2
       exit 2 ;;
esac
mkdir -p "$OUT/${TARGET}_corpus"
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -I"$ROOT/sim" -I"$ROOT/server" -I"$ROOT/tests" -I"$ROOT/tests/fuzz" \
    -DKS_ASSETS_DIR="\"$ROOT/assets\"" \
    $(find "$ROOT"/sim -name "*.c" | sort) $EXTRA \
    "$ROOT/tests/fuzz/$SRC" "$ROOT/tests/fuzz/fuzz_loader.c" \
    $LIBS -lm -o "$OUT/fuzz_$TARGET"
cd "$OUT"
"./fuzz_$TARGET" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout="$TIMEOUT" \
    -print_final_stats=1 "${TARGET}_corpus" "$ROOT/tests/fuzz/$SEEDS"
