#!/bin/sh
# check_layers.sh SRC --sim OBJ... [--render OBJ...] [--server OBJ...] [--verify OBJ...] --cli OBJ...
# The architecture, checked from the sources and the object files:
#   1. sim/'s folders are layers, lowest first (LAYERS below). A file
#      includes only headers of its own folder and of folders below it;
#      a .c file calls (uses a non-static function or object defined in
#      another .c file of) only its own folder and folders below it. So the
#      folders can never form a cycle.
#   2. cli/, render/, server/ and verify/ include only sim/'s public headers
#      (never a folder's internal/); sim/ never calls them; render/, server/
#      and verify/ call neither each other nor cli/ (the top).
#   3. The biggest cycle of .c files calling each other: at most SIM_MAX
#      files in sim/, RENDER_MAX in render/.
# Every violation is printed as FILE: what; the exit status is 1 if any.
set -u
LAYERS="core load cluster storage node net autoscale world kubectl run"
SIM_MAX=4
RENDER_MAX=2
usage="usage: check_layers.sh SRC --sim OBJ... [--render OBJ...] [--server OBJ...] [--verify OBJ...] --cli OBJ..."
SRC=${1:?$usage}
shift
simsyms=$(mktemp) rendersyms=$(mktemp) serversyms=$(mktemp) verifysyms=$(mktemp) clisyms=$(mktemp) || exit 1
trap 'rm -f "$simsyms" "$rendersyms" "$serversyms" "$verifysyms" "$clisyms"' EXIT
sim= render= server= verify= cli= into=
for a in "$@"; do
    case "$a" in
        --sim|--render|--server|--verify|--cli) into=${a#--} ;;
        *) [ -n "$into" ] || { echo "$usage" >&2; exit 2; }
           eval "$into=\"\$$into \$a\"" ;;
    esac
done
[ -n "$sim" ] && [ -n "$cli" ] || { echo "$usage" >&2; exit 2; }
status=0
fail() { echo "$*"; status=1; }


# ---- 1. includes in sim/ -------------------------------------------------------------------
(cd "$SRC/sim" && grep -rn '#[[:space:]]*include[[:space:]]*"' --include='*.[ch]' .) | awk -v layers="$LAYERS" '
    BEGIN { n = split(layers, L, " "); for (i = 1; i <= n; i++) R[L[i]] = i }
    {
        file = $0; sub(/^\.\//, "", file); sub(/:.*/, "", file)
        line = $0; sub(/^[^:]*:/, "", line); num = line; sub(/:.*/, "", num)
        inc = line; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
        folder = file; sub(/\/.*/, "", folder)
        if (!(folder in R)) { if (!(folder in told)) printf "sim/%s: folder %s is not a layer (%s)\n", file, folder, layers; told[folder] = 1; bad = 1; next }
        if (inc !~ /\// || inc ~ /^internal\// || inc ~ /^\.\.\//) next
        to = inc; sub(/\/.*/, "", to)
        if (!(to in R)) { printf "sim/%s:%s: includes \"%s\": not a sim/ layer\n", file, num, inc; bad = 1 }
        else if (R[to] > R[folder]) { printf "sim/%s:%s: includes \"%s\": %s is above %s\n", file, num, inc, to, folder; bad = 1 }
    }
    END { exit bad }' || status=1

# ---- 2. cli/ and render/ use the public API ------------------------------------------------
for d in cli render server verify; do
    [ -d "$SRC/$d" ] || continue
    hits=$(grep -rn '#[[:space:]]*include[[:space:]]*"[^"]*internal/' "$SRC/$d" \
               --include='*.[ch]' 2>/dev/null || true)
    [ -n "$hits" ] && fail "$d/ must include only sim/'s public headers:
$hits"
done

# ---- 3. calls, from the object files ------------------------------------------------------------
# "file<TAB>D|U<TAB>symbol" for every object: D = defined here, U = used.
# (Object files are named as CMake names them: .../NAME.dir/sim/core/ks_sim.c.o.)
symbols() {
    # shellcheck disable=SC2086
    nm -A $1 | awk '
        { split($1, a, ":"); f = a[1]; sub(/.*\.dir\//, "", f); sub(/^(sim|render|cli)\//, "", f)
          sub(/\.c\.o$/, "", f) }
        NF == 3 && $2 ~ /^[TDBR]$/ { print f "\tD\t" $3 }
        NF == 2 && $2 == "U"      { print f "\tU\t" $3 }
        NF == 3 && $2 == "U"      { print f "\tU\t" $3 }'
}

# Reads symbols; prints violations of the layer order (when layered) and
# the biggest set of files that call each other (strongly connected).
analyse() {
    awk -F '\t' -v layers="$LAYERS" -v layered="$1" -v max="$2" -v what="$3" '
        BEGIN { n = split(layers, L, " "); for (i = 1; i <= n; i++) R[L[i]] = i }
        $2 == "D" { def[$3] = $1; files[$1] = 1 }
        $2 == "U" { use[++nu] = $1 SUBSEP $3; files[$1] = 1 }
        END {
            nf = 0
            for (f in files) { id[f] = ++nf; name[nf] = f }
            for (k = 1; k <= nu; k++) {
                split(use[k], p, SUBSEP)
                f = p[1]; s = p[2]
                if (!(s in def) || def[s] == f) continue
                g = def[s]
                reach[id[f], id[g]] = 1
                if (layered == "1") {
                    ff = f; sub(/\/.*/, "", ff); gf = g; sub(/\/.*/, "", gf)
                    if (R[gf] > R[ff]) {
                        printf "sim/%s.c: calls %s (sim/%s.c): %s is above %s\n", f, s, g, gf, ff
                        bad = 1
                    }
                }
            }
            for (m = 1; m <= nf; m++)          # transitive closure (Warshall)
                for (i = 1; i <= nf; i++)
                    if ((i, m) in reach)
                        for (j = 1; j <= nf; j++)
                            if ((m, j) in reach) reach[i, j] = 1
            best = 1; members = ""
            for (i = 1; i <= nf; i++) {
                size = 1; list = name[i]
                for (j = 1; j <= nf; j++)
                    if (j != i && (i, j) in reach && (j, i) in reach) { size++; list = list " " name[j] }
                if (size > best) { best = size; members = list }
            }
            printf "%s: biggest cycle of .c files calling each other: %d file(s) (at most %d)%s\n",
                   what, best, max, members != "" ? ": " members : ""
            if (best > max) bad = 1
            exit bad
        }'
}

symbols "$sim" > "$simsyms"
[ -z "$render" ] || symbols "$render" > "$rendersyms"
[ -z "$server" ] || symbols "$server" > "$serversyms"
[ -z "$verify" ] || symbols "$verify" > "$verifysyms"
symbols "$cli" > "$clisyms"
analyse 1 "$SIM_MAX" "sim/" < "$simsyms" || status=1
[ -z "$render" ] || analyse 0 "$RENDER_MAX" "render/" < "$rendersyms" || status=1
# cli/ is the top; render/, server/ and verify/ sit on sim/ side by side:
# sim/ calls none of them, and they call neither each other nor cli/.
{
    awk -F '\t' '$2 == "D" { print "@cli\t" $3 }' "$clisyms"
    awk -F '\t' '$2 == "D" { print "@render\t" $3 }' "$rendersyms"
    awk -F '\t' '$2 == "D" { print "@server\t" $3 }' "$serversyms"
    awk -F '\t' '$2 == "D" { print "@verify\t" $3 }' "$verifysyms"
    awk -F '\t' '{ print "sim\t" $0 }' "$simsyms"
    awk -F '\t' '{ print "render\t" $0 }' "$rendersyms"
    awk -F '\t' '{ print "server\t" $0 }' "$serversyms"
    awk -F '\t' '{ print "verify\t" $0 }' "$verifysyms"
} | awk -F '\t' '
    $1 ~ /^@/ { owner[$2] = substr($1, 2); next }
    $3 == "U" && ($4 in owner) && owner[$4] != $1 {
        printf "%s/%s.c: calls %s of %s/\n", $1, $2, $4, owner[$4]; bad = 1 }
    END { exit bad }' || status=1

[ $status -eq 0 ] && echo "layers hold: $LAYERS; cli/, render/, server/ and verify/ use sim/'s public API"
exit $status
