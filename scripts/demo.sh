#!/bin/sh
# Quick start, command 1: install what is needed, build, and play the
# flagship lesson -- in the window when there is a display, otherwise
# headless with a summary. Extra arguments go to kubesim (e.g. --seed 3).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$("$ROOT/scripts/build.sh" | tail -n 1)
exec "$BUILD/kubesim" "$@"
