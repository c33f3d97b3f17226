#!/bin/sh
# Installs the Debian packages kubesim needs to build, test and render.
# Idempotent: when every package is already installed it does nothing and
# returns in well under a second. Needs root (or sudo).
set -eu

PACKAGES="gcc libc6-dev make cmake pkg-config libyaml-dev libcmocka-dev \
libsdl2-dev libsdl2-ttf-dev libpng-dev libgif-dev xvfb xauth xdotool valgrind \
libedit-dev libxml2-utils libmicrohttpd-dev libgnutls28-dev libjansson-dev \
libcurl4-openssl-dev libwslay-dev \
kubernetes-client python3-kubernetes clang python3 time groff-base"

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

# Debian's kubectl (kubernetes-client, 1.20) and a newer kubectl from another
# package (Google's, on this project's machines) both want /usr/bin/kubectl.
# Keep the other one there and divert Debian's to /usr/bin/kubectl-1.20, so
# both can be tested (tests/check_serve.sh finds it with dpkg-divert).
case "$missing" in
*kubernetes-client*)
    owner=$(dpkg-query -S /usr/bin/kubectl 2>/dev/null | cut -d: -f1 || true)
    if [ -n "$owner" ] && [ "$owner" != kubernetes-client ] \
        && ! dpkg-divert --list /usr/bin/kubectl | grep -q kubectl-1.20; then
        $SUDO dpkg-divert --package "$owner" --divert /usr/bin/kubectl-1.20 --no-rename \
            /usr/bin/kubectl
    fi ;;
esac

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
