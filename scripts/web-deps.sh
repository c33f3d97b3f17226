#!/bin/sh
# Builds kubesim's C dependencies for WebAssembly, once, into a cache outside
# the repository:  ~/.cache/kubesim-web/<key>/prefix  (key: the emscripten
# version, the versions of the Debian source packages and RECIPE below).
#   scripts/web-deps.sh        prints the prefix on its last line of stdout
# Everything comes from Debian: the emscripten package and Debian's source
# packages of SDL2, SDL2_ttf, freetype, zlib, libpng and libyaml (emscripten's
# "ports" download from the internet and Debian's emscripten ships none).
# Sourced by scripts/build-web.sh for web_env; run alone to warm the cache.
# Each step that fails says which step it was and where its log is.
set -eu

# Bump when a build recipe below changes: a new key, a fresh build.
RECIPE=1
WEB_CACHE=${KUBESIM_WEB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubesim-web}
# Debian source packages, in build order (zlib before freetype and libpng).
SRC_PACKAGES="zlib libyaml libsdl2 freetype libpng1.6 libsdl2-ttf"
HOST_PACKAGES="emscripten dpkg-dev cmake make python3 python3-yaml nodejs"

die() { echo "web-deps: error: $*" >&2; exit 2; }
say() { echo "web-deps: $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "step 'install': need root or sudo to run: $*"; fi
}

# --- step: install the host packages (by Debian name) -----------------------
web_install() {
    missing=""
    for p in $HOST_PACKAGES "$@"; do
        case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" in
            *"install ok installed"*) ;;
            *) missing="$missing $p" ;;
        esac
    done
    [ -z "$missing" ] && return 0
    say "installing:$missing"
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
        install -y --no-install-recommends $missing >&2 ||
        die "step 'install': apt-get install$missing failed (see above)"
}

# --- the emscripten environment (EM_CONFIG with a writable cache) ----------
web_env() {
    command -v emcc >/dev/null || die "step 'env': emcc not found (apt-get install emscripten)"
    EMVER=$(dpkg-query -W -f='${Version}' emscripten)
    EMDIR="$WEB_CACHE/emscripten-$EMVER"
    if [ ! -f "$EMDIR/emconfig" ]; then
        mkdir -p "$EMDIR"
        [ -f /usr/share/emscripten/.emscripten ] ||
            die "step 'env': /usr/share/emscripten/.emscripten missing (is emscripten installed?)"
        rm -rf "$EMDIR/cache"
        # Debian's cache is frozen (read-only); a copy lets emcc add the
        # system libraries it builds on first use.
        cp -a /usr/share/emscripten/cache "$EMDIR/cache" ||
            die "step 'env': cannot copy /usr/share/emscripten/cache"
        sed -e '/^FROZEN_CACHE/d' -e '/^CACHE *=/d' /usr/share/emscripten/.emscripten \
            > "$EMDIR/emconfig.tmp"
        printf "\nFROZEN_CACHE = False\nCACHE = '%s'\n" "$EMDIR/cache" >> "$EMDIR/emconfig.tmp"
        mv "$EMDIR/emconfig.tmp" "$EMDIR/emconfig"
    fi
    export EM_CONFIG="$EMDIR/emconfig"
    # node 20 (NodeSource) does not look in Debian's module folder; -O2's JS
    # optimizer needs Debian's node-acorn from there.
    export NODE_PATH=/usr/share/nodejs
}

# --- step: deb-src entries and the source packages --------------------------
web_debsrc() {
    f=/etc/apt/sources.list.d/kubesim-debian-src.sources
    if ! apt-cache showsrc zlib 2>/dev/null | grep -q '^Version:'; then
        if [ ! -f "$f" ]; then
            say "enabling deb-src entries in $f"
            tmp=$(mktemp)
            sed -n 's/^Types: deb$/Types: deb-src/p; /^URIs:/p; /^Suites:/p; /^Components:/p; /^Signed-By:/p; /^$/p' \
                /etc/apt/sources.list.d/debian.sources > "$tmp" 2>/dev/null || true
            grep -q '^Types: deb-src' "$tmp" || die "step 'deb-src': cannot derive deb-src entries from /etc/apt/sources.list.d/debian.sources; add deb-src lines for bookworm yourself"
            as_root cp "$tmp" "$f"; rm -f "$tmp"
        fi
        as_root apt-get update >&2 || die "step 'deb-src': apt-get update failed"
        apt-cache showsrc zlib 2>/dev/null | grep -q '^Version:' ||
            die "step 'deb-src': apt-cache showsrc zlib finds nothing after enabling $f"
    fi
}

# The version of source package $1 to use: one already downloaded into $SRC,
# else the newest that downloads (security versions may be gone: 404).
web_fetch() {
    pkg=$1
    vers=$(apt-cache showsrc "$pkg" | awk '/^Package:/{p=$2} /^Version:/{if (p=="'"$pkg"'") print $2}' | sort -Vru)
    [ -n "$vers" ] || die "step 'source $pkg': apt-cache showsrc $pkg lists no version"
    for v in $vers; do
        [ -f "$SRC/${pkg}_${v#*:}.dsc" ] && { echo "$v"; return 0; }
    done
    for v in $vers; do
        if (cd "$SRC" && apt-get source --download-only "$pkg=$v" >>"$SRC/fetch.log" 2>&1); then
            echo "$v"; return 0
        fi
        say "apt-get source $pkg=$v failed; trying an older version"
    done
    die "step 'source $pkg': no version of $pkg downloads (apt-get source; log $SRC/fetch.log)"
}

web_unpack() { # $1 package, $2 version -> prints the unpacked folder
    d="$WORK/src/$1"
    if [ ! -d "$d" ]; then
        mkdir -p "$WORK/src"
        rm -rf "$d.tmp"
        dpkg-source --no-check -x "$SRC/${1}_${2#*:}.dsc" "$d.tmp" >>"$WORK/log/unpack.log" 2>&1 ||
            die "step 'unpack $1': dpkg-source -x failed (log $WORK/log/unpack.log)"
        mv "$d.tmp" "$d"
    fi
    echo "$d"
}

# run step NAME CMD...: output to $WORK/log/NAME.log; fail loudly naming it.
run() {
    name=$1; shift
    "$@" >>"$WORK/log/$name.log" 2>&1 || {
        tail -n 30 "$WORK/log/$name.log" >&2
        die "step '$name' failed: $* (log $WORK/log/$name.log)"
    }
}

dep_zlib() { # cmake fails on the dfsg tarball (no win32/zlib1.rc): compile by hand
    s=$(web_unpack zlib "$1"); b="$WORK/build/zlib"; rm -rf "$b"; mkdir -p "$b"
    [ -f "$s/zconf.h.included" ] && cp "$s/zconf.h.included" "$b/zconf.h" || cp "$s/zconf.h" "$b/zconf.h"
    for c in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast \
             inflate inftrees trees uncompr zutil; do
        run zlib emcc -O2 -DHAVE_UNISTD_H -DHAVE_STDARG_H -I"$b" -I"$s" -c "$s/$c.c" -o "$b/$c.o"
    done
    run zlib emar rcs "$PREFIX/lib/libz.a" "$b"/*.o
    cp "$s/zlib.h" "$b/zconf.h" "$PREFIX/include/"
}

dep_libyaml() {
    s=$(web_unpack libyaml "$1"); b="$WORK/build/libyaml"; rm -rf "$b"; mkdir -p "$b"
    v=$(echo "$1" | sed 's/[-+~].*//'); ma=${v%%.*}; r=${v#*.}; mi=${r%%.*}; pa=${r#*.}
    for c in "$s"/src/*.c; do
        run libyaml emcc -O2 -I"$s/include" -DYAML_VERSION_MAJOR="$ma" -DYAML_VERSION_MINOR="$mi" \
            -DYAML_VERSION_PATCH="$pa" -DYAML_VERSION_STRING="\"$v\"" -DYAML_DECLARE_STATIC \
            -c "$c" -o "$b/$(basename "$c" .c).o"
    done
    run libyaml emar rcs "$PREFIX/lib/libyaml.a" "$b"/*.o
    cp "$s/include/yaml.h" "$PREFIX/include/"
}

emcmake_build() { # name srcdir cmake-args...
    name=$1; s=$2; shift 2; b="$WORK/build/$name"; rm -rf "$b"
    run "$name" emcmake cmake -S "$s" -B "$b" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_PREFIX_PATH="$PREFIX" \
        -DCMAKE_FIND_ROOT_PATH="$PREFIX" "$@"
    run "$name" cmake --build "$b" -j "${WEB_JOBS:-2}"
    run "$name" cmake --install "$b"
}

dep_libsdl2() {
    s=$(web_unpack libsdl2 "$1")
    emcmake_build libsdl2 "$s" -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF
}

dep_freetype() {
    s=$(web_unpack freetype "$1")
    emcmake_build freetype "$s" -DBUILD_SHARED_LIBS=OFF -DFT_REQUIRE_ZLIB=ON \
        -DZLIB_LIBRARY="$PREFIX/lib/libz.a" -DZLIB_INCLUDE_DIR="$PREFIX/include" \
        -DFT_DISABLE_BZIP2=ON -DFT_DISABLE_PNG=ON -DFT_DISABLE_HARFBUZZ=ON -DFT_DISABLE_BROTLI=ON
}

dep_libpng1_6() {
    s=$(web_unpack libpng1.6 "$1")
    emcmake_build libpng1.6 "$s" -DPNG_SHARED=OFF -DPNG_STATIC=ON -DPNG_TESTS=OFF \
        -DPNG_EXECUTABLES=OFF -DZLIB_LIBRARY="$PREFIX/lib/libz.a" -DZLIB_INCLUDE_DIR="$PREFIX/include"
}

dep_libsdl2_ttf() {
    s=$(web_unpack libsdl2-ttf "$1")
    emcmake_build libsdl2-ttf "$s" -DBUILD_SHARED_LIBS=OFF -DSDL2TTF_VENDORED=OFF \
        -DSDL2TTF_HARFBUZZ=OFF -DSDL2TTF_SAMPLES=OFF \
        -DFREETYPE_LIBRARY="$PREFIX/lib/libfreetype.a" -DFREETYPE_INCLUDE_DIRS="$PREFIX/include/freetype2"
}

# web_deps: installs, fetches, builds what is missing; sets PREFIX.
web_deps() {
    web_install "$@"
    web_env
    web_debsrc
    SRC="$WEB_CACHE/sources"; mkdir -p "$SRC"
    keytext="recipe=$RECIPE emscripten=$EMVER"
    versions=""
    for p in $SRC_PACKAGES; do
        v=$(web_fetch "$p")
        versions="$versions $p=$v"
    done
    keytext="$keytext$versions"
    key=$(printf '%s\n' "$keytext" | sha256sum | cut -c1-16)
    WORK="$WEB_CACHE/$key"; PREFIX="$WORK/prefix"
    mkdir -p "$PREFIX/lib" "$PREFIX/include" "$WORK/log" "$WORK/stamp"
    printf '%s\n' "$keytext" > "$WORK/KEY"
    for pv in $versions; do
        p=${pv%%=*}; v=${pv#*=}
        [ -f "$WORK/stamp/$p" ] && continue
        say "building $p $v for wasm (log $WORK/log/$p.log)"
        start=$(date +%s)
        : > "$WORK/log/$p.log"
        "dep_$(echo "$p" | tr '.-' '__')" "$v"
        echo "$(( $(date +%s) - start )) s" > "$WORK/stamp/$p"
        say "built $p in $(cat "$WORK/stamp/$p")"
    done
    export PREFIX
}

if [ "$(basename "$0")" = web-deps.sh ]; then
    web_deps "$@"
    echo "$PREFIX"
fi
