#!/bin/sh
# Fuzzes the Kubernetes API's request path (server/: routing, query
# parameters, JSON and YAML bodies, the patch formats, writes, logs, the
# clock and the service proxy) with libFuzzer for SECONDS (default 60),
# starting from tests/fuzz/server_corpus. New interesting inputs go to
# build-fuzz/server_corpus; crashes to build-fuzz/crash-*. Needs clang:
#   tests/fuzz/run_server.sh 600
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_TO_RUN=${1:-60}
"$ROOT/scripts/install-deps.sh" clang libclang-rt-14-dev
OUT="$ROOT/build-fuzz"
mkdir -p "$OUT/server_corpus"
LIBS=$(pkg-config --cflags --libs yaml-0.1 jansson)
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -I"$ROOT/sim" -I"$ROOT/server" -I"$ROOT/tests" -I"$ROOT/tests/fuzz" \
    -DKS_ASSETS_DIR="\"$ROOT/assets\"" \
    $(find "$ROOT"/sim -name "*.c" | sort) \
    $(ls "$ROOT"/server/*.c | grep -v -e ksv_http.c -e ksv_tls.c) \
    "$ROOT/tests/fuzz/fuzz_server.c" "$ROOT/tests/fuzz/fuzz_loader.c" \
    $LIBS -lm -o "$OUT/fuzz_server"
cd "$OUT"
./fuzz_server -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=20 \
    -print_final_stats=1 server_corpus "$ROOT/tests/fuzz/server_corpus"
