#!/bin/sh
# Smoke test of the real window under Xvfb (TOOLCHAIN.md section 3 iii): it
# opens, draws, takes keys and clicks, writes a screenshot, closes cleanly.
#   check_window.sh RENDER_SMOKE OUTDIR
# ctest registers it only where xvfb-run is installed (tests/CMakeLists.txt
# says at configure when it is not); run without it, it fails. LeakSanitizer is off here: the
# X11/GL libraries leak on their own (TOOLCHAIN.md section 4).
set -u
exe=$1
out=$2
if ! command -v xvfb-run >/dev/null 2>&1; then
    echo "render_window: FAIL: xvfb-run is not installed (apt-get install xvfb xauth)"
    exit 1
fi
mkdir -p "$out"
LSAN_OPTIONS=detect_leaks=0 SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy \
    timeout 120 xvfb-run -a -n "$(( 100 + $$ % 800 ))" -s "-screen 0 1280x720x24" "$exe" "$out"
