#!/bin/sh
# Installs the Debian packages kubesim needs to build, test and render.
# Idempotent: when every package is already installed it does nothing and
# returns in well under a second. Needs root (or sudo).
set -eu

PACKAGES="gcc libc6-dev make cmake pkg-config libyaml-dev libcmocka-dev \
libsdl2-dev libsdl2-ttf-dev libpng-dev libgif-dev xvfb xauth valgrind \
libreadline-dev libxml2-utils"

# Extra packages named on the command line (e.g. clang for the fuzzer).
PACKAGES="$PACKAGES $*"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done

if [ -z "$missing" ]; then
    exit 0
fi

echo "install-deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: error: these Debian packages are missing:$missing" >&2
    echo "install-deps: run this script as root, or install sudo, or install them yourself:" >&2
    echo "  apt-get install -y --no-install-recommends$missing" >&2
    exit 2
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
