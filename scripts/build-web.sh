#!/bin/sh
# Builds kubesim for the browser into build-web/site/: a static folder (any
# web server, e.g. `python3 -m http.server -d build-web/site`) with the page
# (index.html: lesson picker, the window on a canvas, exercise mode), the
# program (kubesim.js/.wasm; lessons, exercises and fonts in kubesim.data),
# lessons.json and the vendored editor (CodeMirror, from the npm registry).
# Also builds build-web/node/kubesim-node.js: the same objects under node,
# for `kubesim test` (scripts/test-web.sh compares its fingerprints).
#   scripts/build-web.sh            everything
#   scripts/build-web.sh --deps     only the wasm dependencies (the slow part:
#                                   about an hour cold on 2 busy cores; cached
#                                   in ~/.cache/kubesim-web/<key>, see
#                                   scripts/web-deps.sh)
# Everything is installed by name from Debian (emscripten, dpkg-dev, Debian's
# source packages) and npm (web/package-lock.json). A failing step says which
# step it was; nothing is skipped.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/build-web"
. "$ROOT/scripts/web-deps.sh"

deps_only=false
for a in "$@"; do
    case "$a" in
        --deps) deps_only=true ;;
        *) echo "usage: scripts/build-web.sh [--deps]" >&2; exit 2 ;;
    esac
done

step() { echo "build-web: $*" >&2; }
fail() { echo "build-web: error: step '$1' failed: $2" >&2; exit 2; }

step "dependencies (cache: $WEB_CACHE)"
web_deps
command -v npm >/dev/null || web_install npm     # NodeSource's nodejs has its own
$deps_only && { echo "$PREFIX"; exit 0; }

# --- step: the editor (and the test's browser driver) from npm ---------------
step "npm ci (web/package-lock.json)"
mkdir -p "$OUT/npm"
if ! cmp -s "$ROOT/web/package-lock.json" "$OUT/npm/package-lock.json" ||
   [ ! -d "$OUT/npm/node_modules/codemirror" ]; then
    cp "$ROOT/web/package.json" "$ROOT/web/package-lock.json" "$OUT/npm/"
    (cd "$OUT/npm" && npm ci --no-audit --no-fund --prefer-offline >"$OUT/npm/npm.log" 2>&1) || {
        tail -n 20 "$OUT/npm/npm.log" >&2
        fail npm "npm ci in $OUT/npm (log $OUT/npm/npm.log)"
    }
fi

# --- step: compile and link (web/web.mk) --------------------------------------
step "emcc: kubesim for the page and for node (log $OUT/make.log)"
make -f "$ROOT/web/web.mk" -j "${WEB_JOBS:-2}" ROOT="$ROOT" OUT="$OUT" PREFIX="$PREFIX" \
    >"$OUT/make.log" 2>&1 || {
    grep -E 'error:|Error:' "$OUT/make.log" | head -n 30 >&2
    fail emcc "make -f web/web.mk (log $OUT/make.log)"
}

# --- step: the site ---------------------------------------------------------
step "site: $OUT/site"
SITE="$OUT/site"
rm -rf "$SITE.tmp"
mkdir -p "$SITE.tmp/vendor/codemirror"
cp "$OUT/app/kubesim.js" "$OUT/app/kubesim.wasm" "$OUT/app/kubesim.data" "$SITE.tmp/" ||
    fail site "the program is missing from $OUT/app"
cp "$ROOT/web/index.html" "$ROOT/web/page.js" "$ROOT/web/exercise.js" "$ROOT/web/page.css" \
    "$SITE.tmp/" || fail site "a file of web/ is missing"
cm="$OUT/npm/node_modules/codemirror"
cp "$cm/lib/codemirror.js" "$cm/lib/codemirror.css" "$cm/mode/yaml/yaml.js" "$cm/LICENSE" \
    "$SITE.tmp/vendor/codemirror/" || fail site "CodeMirror's files are missing from $cm"
cp "$ROOT/assets/LICENSE-DejaVu.txt" "$SITE.tmp/" || fail site "assets/LICENSE-DejaVu.txt"
python3 "$ROOT/web/lessons.py" "$ROOT/scenarios" > "$SITE.tmp/lessons.json" ||
    fail site "web/lessons.py could not list the lessons"
rm -rf "$SITE"
mv "$SITE.tmp" "$SITE"
echo "$SITE"
