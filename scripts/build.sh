#!/bin/sh
# Installs the Debian packages kubesim needs (when missing) and builds it.
#   scripts/build.sh [--sanitize] [--no-gui] [--clang]
# Env KUBESIM_WERROR=1: warnings are errors (gcc; .ci/run sets it).
# Build folders: build/ (default), build-asan/ (--sanitize), build-nogui/ (--no-gui),
# build-clang/ (--clang: compiled by clang, headless-only: the traces of a gcc
# and a clang build must be equal, tests/check_compilers.sh).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
dir=build
flags="-DCMAKE_BUILD_TYPE=Release"
cc=""
for a in "$@"; do
    case "$a" in
        --sanitize) dir=build-asan; flags="-DCMAKE_BUILD_TYPE=Debug -DKUBESIM_SANITIZE=ON" ;;
        --no-gui)   dir=build-nogui; flags="$flags -DKUBESIM_GUI=OFF" ;;
        --clang)    dir=build-clang; flags="$flags -DKUBESIM_GUI=OFF"; cc=clang ;;
        *) echo "usage: scripts/build.sh [--sanitize] [--no-gui] [--clang]" >&2; exit 2 ;;
    esac
done
# KUBESIM_WERROR=1 (.ci/run): a gcc warning fails the build
flags="$flags -DKUBESIM_WERROR=$([ "${KUBESIM_WERROR:-0}" = 1 ] && echo ON || echo OFF)"
"$ROOT/scripts/install-deps.sh"
# shellcheck disable=SC2086
${cc:+env CC=$cc} cmake -S "$ROOT" -B "$ROOT/$dir" $flags >/dev/null
cmake --build "$ROOT/$dir" -j "$(nproc)" >/dev/null || {
    # show what went wrong (the quiet build above hides it)
    cmake --build "$ROOT/$dir" -j 1
    exit 1
}
echo "$ROOT/$dir"
