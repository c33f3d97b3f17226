#!/bin/sh
# Quick start, command 2: install what is needed, build, and run the whole
# test suite (ctest). Options go to scripts/build.sh: --sanitize runs the
# suite built with ASan+UBSan, --no-gui the suite of the headless-only build.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$("$ROOT/scripts/build.sh" "$@" | tail -n 1)
cd "$BUILD"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
exec ctest --output-on-failure -j "$(nproc)"
