#!/bin/sh
# Fuzzes the manifest and scenario loaders with libFuzzer for SECONDS
# (default 60), starting from tests/fuzz/corpus. New interesting inputs go
# to build-fuzz/corpus; crashes to build-fuzz/crash-*. Needs clang:
#   tests/fuzz/run.sh 600
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_TO_RUN=${1:-60}
"$ROOT/scripts/install-deps.sh" clang libclang-rt-14-dev
OUT="$ROOT/build-fuzz"
mkdir -p "$OUT/corpus"
YAML_FLAGS=$(pkg-config --cflags --libs yaml-0.1)
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -I"$ROOT/sim" -I"$ROOT/tests/fuzz" \
    $(find "$ROOT"/sim -name "*.c" | sort) "$ROOT/tests/fuzz/fuzz_target.c" "$ROOT/tests/fuzz/fuzz_loader.c" \
    $YAML_FLAGS -lm -o "$OUT/fuzz_loader"
cd "$OUT"
./fuzz_loader -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 \
    -print_final_stats=1 corpus "$ROOT/tests/fuzz/corpus"
