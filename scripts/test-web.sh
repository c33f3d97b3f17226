#!/bin/sh
# The browser build, tested (called by .ci/run):
#   1. builds the site (scripts/build-web.sh; the wasm dependencies come from
#      ~/.cache/kubesim-web, built once);
#   2. runs `kubesim test` on scenarios/ and tests/scenarios/ with the wasm
#      build under node and with the native build, and compares every
#      scenario's fingerprint (a hash of its whole trace): they must be equal;
#   3. serves build-web/site with python3 -m http.server and drives Debian's
#      chromium headless through it (tests/web/drive.js: the picker; lesson
#      7's `kubesim test` in the page, its fingerprint the native one; lesson
#      7 to t >= 60 s with a 1920x1080 screenshot; exercise 1 edited, then
#      solved). Screenshots: build-web/test/.
# Fails loudly, naming the step; it never skips.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/build-web"
T="$OUT/test"
fail() { echo "test-web: error: step '$1' failed: $2" >&2; exit 1; }
step() { echo "test-web: $*" >&2; }

step "build the site (scripts/build-web.sh)"
"$ROOT/scripts/build-web.sh" >/dev/null || fail build "scripts/build-web.sh"
. "$ROOT/scripts/web-deps.sh"
web_install chromium
rm -rf "$T"
mkdir -p "$T"

step "native build (scripts/build.sh)"
native=$("$ROOT/scripts/build.sh" | tail -n 1)/kubesim
[ -x "$native" ] || fail native "no $native"

step "fingerprints: wasm under node against native"
cd "$ROOT"
# exit 1 (a failed expectation) is compared too; 2 or 3 is an error
"$native" test scenarios tests/scenarios -q --json "$T/native.jsonl" >"$T/native.out" 2>&1 ||
    [ $? -eq 1 ] || fail fingerprints "native kubesim test (see $T/native.out)"
KUBESIM_ASSETS="$ROOT/assets" node "$OUT/node/kubesim-node.js" test scenarios tests/scenarios -q --json "$T/wasm.jsonl" \
    >"$T/wasm.out" 2>&1 || [ $? -eq 1 ] || {
    tail -n 20 "$T/wasm.out" >&2
    fail fingerprints "wasm kubesim test under node (see $T/wasm.out)"
}
python3 - "$T/native.jsonl" "$T/wasm.jsonl" <<'PY' || fail fingerprints "the wasm build's traces differ from the native build's"
import json, sys
def load(p):
    out = {}
    for line in open(p):
        v = json.loads(line)
        out[v.get("file") or v.get("path") or v.get("name")] = (v.get("fingerprint"), v.get("passed"))
    return out
n, w = load(sys.argv[1]), load(sys.argv[2])
bad = [k for k in sorted(n) if n[k] != w.get(k)] + [k for k in sorted(w) if k not in n]
fps = sum(1 for k in n if n[k][0])
for k in bad:
    print("differs: %s: native %s, wasm %s" % (k, n.get(k), w.get(k)), file=sys.stderr)
if fps == 0:
    print("no fingerprints were computed: nothing compared", file=sys.stderr)
    sys.exit(1)
if not bad:
    print("test-web: %d scenarios, %d fingerprints, all equal" % (len(n), fps), file=sys.stderr)
sys.exit(1 if bad else 0)
PY

step "serve build-web/site and drive chromium (tests/web/drive.js)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$OUT/site" "$port" >"$T/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
i=0
until python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/index.html')" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || fail serve "python3 -m http.server did not answer on port $port (see $T/http.log)"
    sleep 0.2
done
node "$ROOT/tests/web/drive.js" "http://127.0.0.1:$port" "$T" "$OUT/npm/node_modules" \
    "$T/native.jsonl" ||
    fail chromium "tests/web/drive.js (screenshots in $T)"
step "passed; screenshots in $T"
