#!/bin/sh
# Installs the Debian packages kubesim needs (when missing) and builds it.
#   scripts/build.sh [--sanitize] [--no-gui]
# Build folders: build/ (default), build-asan/ (--sanitize), build-nogui/ (--no-gui).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
dir=build
flags="-DCMAKE_BUILD_TYPE=Release"
for a in "$@"; do
    case "$a" in
        --sanitize) dir=build-asan; flags="-DCMAKE_BUILD_TYPE=Debug -DKUBESIM_SANITIZE=ON" ;;
        --no-gui)   dir=build-nogui; flags="$flags -DKUBESIM_GUI=OFF" ;;
        *) echo "usage: scripts/build.sh [--sanitize] [--no-gui]" >&2; exit 2 ;;
    esac
done
"$ROOT/scripts/install-deps.sh"
# shellcheck disable=SC2086
cmake -S "$ROOT" -B "$ROOT/$dir" $flags >/dev/null
cmake --build "$ROOT/$dir" -j "$(nproc)" >/dev/null || {
    # show what went wrong (the quiet build above hides it)
    cmake --build "$ROOT/$dir" -j 1
    exit 1
}
echo "$ROOT/$dir"
