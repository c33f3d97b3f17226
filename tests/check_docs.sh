#!/bin/sh
# check_docs.sh KUBESIM DOCS_DIR README -- the documentation, tested, so it
# cannot drift away from the program.
#
# In every DOCS_DIR/*.md and in README:
#  1. Every fenced ```yaml (or ```yml) block
#     - whose first document is `kind: Scenario`: written to a temporary
#       folder, `kubesim check` must pass with no warning; when the scenario
#       has `expect:`, `kubesim test` must pass too ("1 passed, 0 failed").
#       A `kubesim test` that is not built yet fails here: it is not skipped.
#     - holding Kubernetes objects (apiVersion: and kind: at column 0):
#       `kubesim check` must pass with no warning.
#     - anything else (a CI workflow, a Travis file) is listed as not checked.
#     Markers, as HTML comments on the lines just above the fence:
#       <!-- not checked: REASON -->  skip the block (say why)
#       <!-- check fails: TEXT -->    a mistake shown on purpose: `kubesim
#                                     check` must fail and print TEXT
#       <!-- check in: DIR -->        write the block into a copy of DIR
#                                     (relative to README's folder), so its
#                                     relative paths (manifests: [k8s/course])
#                                     resolve
#       <!-- check as: FILE with DEST=SRC, ... -->
#                                     write the block to FILE (a relative
#                                     path) in a folder holding a copy of
#                                     each SRC (relative to README's folder)
#                                     at DEST: a layout such as a course
#                                     repository's k8s/ next to kubesim/
#  2. Every command line of a fenced ```sh / ```bash / ```shell block: a
#     line starting with `kubesim` is run (in a copy of scenarios/ and docs/,
#     SDL_VIDEODRIVER=dummy so no window opens) and must exit 0; any other
#     line must be marked: <!-- not run by tests: REASON --> above the fence
#     (the whole block), or a trailing `# not run by tests: REASON`.
#     A new command that is neither run nor marked fails the test.
#  3. Every flag of a `kubesim CMD ...` line (in any fenced block, in inline
#     `code` and in the man page) appears in `kubesim CMD --help`.
#  4. The man page DOCS_DIR/kubesim.1 names the version `kubesim --version`
#     prints, has a section (.SS) per command that `kubesim --help` lists,
#     naming exactly the flags of that command's --help (OPTIONS: those of
#     `kubesim --help`); `groff -ww` finds nothing to warn about (when groff
#     is installed).
#  5. Coverage: every field name the scenario and catalog loaders know
#     (string tables in sim/load/ks_scenario*.c and sim/load/ks_catalog.c) appears as
#     `name` in DOCS_DIR/scenarios.md; every lesson (scenarios/*.yaml) and
#     exercise (scenarios/exercises/*/) is named in DOCS_DIR/lessons.md;
#     every scenarios/... path the docs mention exists; every relative link
#     ([text](page.md#anchor)) leads to a file and a heading.
# The last line is "N passed, N failed"; the exit status is 1 on a failure.
set -u
KUBESIM=${1:?usage: check_docs.sh KUBESIM DOCS_DIR README}
DOCS=${2:?usage: check_docs.sh KUBESIM DOCS_DIR README}
README=${3:?usage: check_docs.sh KUBESIM DOCS_DIR README}
case $KUBESIM in /*) ;; *) KUBESIM=$(pwd)/$KUBESIM ;; esac
DOCS=$(cd "$DOCS" && pwd) || exit 2
ROOT=$(cd "$(dirname "$README")" && pwd) || exit 2
README=$ROOT/$(basename "$README")
. "$(dirname "$0")/check_lib.sh"
check_tmpdir check_docs

notes=0
note() { notes=$((notes + 1)); [ -n "${VERBOSE:-}" ] && echo "note: $*"; return 0; }

# What `kubesim` resolves to inside command lines and examples.
mkdir -p "$T/bin"
ln -s "$KUBESIM" "$T/bin/kubesim"
export SDL_VIDEODRIVER=dummy
unset DISPLAY WAYLAND_DISPLAY 2>/dev/null || true
if command -v timeout >/dev/null 2>&1; then TIMEOUT="timeout 300"; else TIMEOUT=""; fi

# Prints $1 with every "TMPFILE:N:" turned into "DOC:LINE:" (LINE = N + the
# fence's line), so messages point into the markdown.  $2 tmp file, $3 doc,
# $4 fence line.
show() {
    awk -v f="$2" -v d="$3" -v l="$4" '{
        out = ""; s = $0
        while ((i = index(s, f ":")) > 0) {
            rest = substr(s, i + length(f) + 1)
            if (match(rest, /^[0-9]+/)) {
                out = out substr(s, 1, i - 1) d ":" (substr(rest, 1, RLENGTH) + l)
                s = substr(rest, RLENGTH + 1)
            } else {
                out = out substr(s, 1, i + length(f)); s = rest
            }
        }
        print "    " out s }' "$1"
}

# ---- the markdown files ------------------------------------------------------------
MDS=""
for f in "$DOCS"/*.md; do [ -f "$f" ] && MDS="$MDS $f"; done
MDS="$MDS $README"

# Splits one markdown file into blocks: $T/blocks/N.txt holds a block's
# text (its fence's indentation removed); $T/index gets one line per block:
# N <TAB> lang <TAB> fence line <TAB> marker kind <TAB> marker text.
extract() {
    awk -v out="$T/blocks" -v start="$2" '
    function marker(line,   m) {
        if (match(line, /^[ \t]*<!--[ \t]*(not checked|check fails|check in|check as|not run by tests):/)) {
            m = line; sub(/^[ \t]*<!--[ \t]*/, "", m); sub(/[ \t]*-->[ \t]*$/, "", m)
            return m
        }
        return ""
    }
    BEGIN { n = start; inblock = 0; mk = "" }
    {
        if (!inblock) {
            if (match($0, /^[ \t]*(```+|~~~+)/)) {
                ind = $0; sub(/[`~].*$/, "", ind)
                fence = substr($0, length(ind) + 1); sub(/[^`~].*$/, "", fence)
                lang = substr($0, length(ind) + length(fence) + 1)
                sub(/^[ \t]*/, "", lang); sub(/[ \t{].*$/, "", lang)
                inblock = 1; n++; file = out "/" n ".txt"; printf "" > file
                kind = ""; text = ""
                if (mk != "") { kind = mk; sub(/:.*/, "", kind); text = mk; sub(/^[^:]*:[ \t]*/, "", text) }
                printf "%d\t%s\t%d\t%s\t%s\n", n, lang, NR, kind, text > (out "/index")
                mk = ""
                next
            }
            if ($0 ~ /^[ \t]*$/) next
            m = marker($0)
            mk = m   # only a marker directly above a fence (blank lines allowed) counts
            next
        }
        if (index($0, ind fence) == 1 && substr($0, length(ind fence) + 1) ~ /^[`~]*[ \t]*$/) {
            inblock = 0; close(file); next
        }
        line = $0
        if (ind != "" && index(line, ind) == 1) line = substr(line, length(ind) + 1)
        print line > file
    }
    END { if (inblock) printf "%d\tUNCLOSED\t%d\t\t\n", n, NR > (out "/index"); print n > (out "/count") }
    ' "$1"
}

# ---- 1. YAML blocks ------------------------------------------------------------------
is_scenario() {   # the first document says kind: Scenario
    awk 'NR > 1 && /^---/ { exit } /^kind:[ \t]*["'\'']?Scenario["'\'']?[ \t]*(#.*)?$/ { found = 1 }
         END { exit !found }' "$1"
}
is_manifest() {
    grep -q '^apiVersion:' "$1" && grep -q '^kind:' "$1"
}
has_expect() {    # spec.expect, in the first document
    awk 'NR > 1 && /^---/ { exit } /^[ \t]+expect:/ { found = 1 } END { exit !found }' "$1"
}

check_yaml() {    # N doc fence-line marker-kind marker-text
    n=$1 doc=$2 line=$3 mkind=$4 mtext=$5
    src=$T/blocks/$n.txt
    rel=${doc#"$ROOT"/}
    where="$rel:$line"
    if [ "$mkind" = "not checked" ]; then
        if [ -z "$mtext" ]; then bad "$where: <!-- not checked: --> needs a reason"; else ok; fi
        return
    fi
    if [ "$mkind" = "not run by tests" ]; then
        bad "$where: <!-- not run by tests --> is for command blocks; a YAML block takes <!-- not checked: REASON -->"
        return
    fi
    if is_scenario "$src"; then what=scenario
    elif is_manifest "$src"; then what=manifest
    else
        note "$where: YAML that is neither a scenario nor a manifest; not checked"
        return
    fi
    dir=$T/y$n
    mkdir -p "$dir"
    if [ "$mkind" = "check in" ]; then
        if [ ! -d "$ROOT/$mtext" ]; then bad "$where: check in: $mtext is not a folder"; return; fi
        cp -R "$ROOT/$mtext/." "$dir/"
    fi
    name=$(basename "$rel" .md)-L$line.yaml
    if [ "$mkind" = "check as" ]; then
        name=${mtext%% with *}
        case $name in ""|/*|*..*) bad "$where: check as: '$name' must be a relative path"; return ;; esac
        if [ "$name" != "$mtext" ]; then
            for pair in $(echo "${mtext#* with }" | tr ',' ' '); do
                dest=${pair%%=*} from=${pair#*=}
                case $dest in ""|/*|*..*) bad "$where: check as: '$dest' must be a relative path"; return ;; esac
                if [ "$dest" = "$pair" ] || [ ! -e "$ROOT/$from" ]; then
                    bad "$where: check as: '$pair' is not DEST=SRC with SRC in the repository"; return
                fi
                mkdir -p "$dir/$(dirname "$dest")"
                cp -R "$ROOT/$from" "$dir/$dest"
            done
        fi
        mkdir -p "$dir/$(dirname "$name")"
    fi
    file=$dir/$name
    cp "$src" "$file"
    (cd "$dir" && $TIMEOUT "$KUBESIM" check "$name") >"$T/out" 2>&1
    rc=$?
    if [ "$mkind" = "check fails" ]; then
        if [ $rc -eq 0 ]; then
            bad "$where: this example is marked 'check fails' but kubesim check passed"
        elif ! grep -qF -- "$mtext" "$T/out"; then
            bad "$where: kubesim check failed, but without the text '$mtext':"
            show "$T/out" "$name" "$rel" "$line"
        else
            ok
        fi
        return
    fi
    if [ $rc -ne 0 ] || grep -q 'warning:' "$T/out"; then
        bad "$where: kubesim check of this $what: exit $rc$([ $rc -eq 0 ] && echo ', with a warning (an example must be clean)')"
        show "$T/out" "$name" "$rel" "$line"
        return
    fi
    ok
    if [ $what = scenario ] && has_expect "$src"; then
        (cd "$dir" && $TIMEOUT "$KUBESIM" test "$name") >"$T/out" 2>&1
        rc=$?
        if [ $rc -ne 0 ] || ! tail -n 1 "$T/out" | grep -qx '1 passed, 0 failed'; then
            bad "$where: kubesim test of this scenario: exit $rc"
            show "$T/out" "$name" "$rel" "$line"
        else
            ok
        fi
    fi
}

# ---- 2. command lines -----------------------------------------------------------------
# Copies what the commands refer to, so they cannot change the tree (made
# once, for every file: the commands shown only read, or write reports).
workspace() {
    [ -d "$T/w" ] && return
    mkdir -p "$T/w"
    for d in scenarios docs; do
        [ -d "$ROOT/$d" ] && cp -R "$ROOT/$d" "$T/w/$d"
    done
}

check_commands() {  # N doc fence-line marker-kind marker-text
    n=$1 doc=$2 line=$3 mkind=$4 mtext=$5
    rel=${doc#"$ROOT"/}
    if [ "$mkind" = "not run by tests" ]; then
        if [ -z "$mtext" ]; then bad "$rel:$line: <!-- not run by tests: --> needs a reason"; else ok; fi
        return
    fi
    if [ -n "$mkind" ]; then
        bad "$rel:$line: <!-- $mkind --> is for YAML blocks; a command block takes <!-- not run by tests: REASON -->"
        return
    fi
    workspace
    # one command per line; a trailing \ joins the next line; "$ " prompts go
    awk -v base="$line" '
        { sub(/^[ \t]*\$[ \t]+/, "") }
        cont != "" { $0 = cont " " $0; cont = "" }
        /\\$/ { cont = substr($0, 1, length($0) - 1); if (!first) first = NR; next }
        { ln = first ? first : NR; first = 0
          if ($0 ~ /^[ \t]*(#.*)?$/) next
          printf "%d\t%s\n", base + ln, $0 }' "$T/blocks/$n.txt" >"$T/cmds"
    while IFS='	' read -r cl cmd; do
        case $cmd in
        *"# not run by tests:"*)
            reason=${cmd##*# not run by tests:}
            if [ -z "$(echo "$reason" | tr -d ' \t')" ]; then
                bad "$rel:$cl: '# not run by tests:' needs a reason"
            else
                ok
            fi ;;
        kubesim|kubesim\ *)
            (cd "$T/w" && PATH="$T/bin:$PATH" $TIMEOUT sh -c "$cmd") >"$T/out" 2>&1 </dev/null
            rc=$?
            if [ $rc -eq 0 ]; then ok; else
                bad "$rel:$cl: \`$cmd\` exited $rc:"
                tail -n 15 "$T/out" | sed 's/^/    /'
            fi ;;
        *)
            bad "$rel:$cl: \`$cmd\` is neither run by this test nor marked; put <!-- not run by tests: REASON --> above the block, or '# not run by tests: REASON' after the command" ;;
        esac
    done <"$T/cmds"
}

# ---- 3. flags named in the docs exist ------------------------------------------------------
"$KUBESIM" --help >"$T/help" 2>&1 || bad "kubesim --help exited $?"
COMMANDS=$(awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1; next } on && /^$/ { on = 0 }' "$T/help")
[ -n "$COMMANDS" ] || bad "kubesim --help lists no commands (no 'commands:' section)"
# the flags a text names: -x and --long-name, not inside words
flags_in() {
    sed 's/\\f[BIRP]//g; s/\\-/-/g; s/\\(em/ /g' "$1" |
        grep -oE -- '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' |
        sed -E 's/^[^-]*//' | sort -u
}
flags_in "$T/help" >"$T/flags-top"
for c in $COMMANDS; do
    if "$KUBESIM" "$c" --help >"$T/help-$c" 2>&1; then ok; else bad "kubesim $c --help exited $?"; fi
    flags_in "$T/help-$c" >"$T/flags-$c"
done
# Reads "WHERE<TAB>LINE" records (LINE: text after a kubesim word) and
# checks each flag against the help of the command it belongs to.
check_flags() {
    while IFS='	' read -r where text; do
        set -f
        # shellcheck disable=SC2086
        set -- $text
        set +f
        [ $# -ge 1 ] || continue
        cmd=""
        for c in $COMMANDS; do [ "$1" = "$c" ] && cmd=$c; done
        if [ -z "$cmd" ]; then
            case $1 in -*) ;; *) continue ;; esac    # prose or output, not a command
        else
            shift
        fi
        for w in "$@"; do
            case $w in
            '|'*|'&&'|';'*|'>'*|'2>'*|'#'*|'<'*) break ;;
            --|-) ;;
            -h|--help|--help=*) ;;
            -[A-Za-z]*|--[A-Za-z]*)
                f=${w%%=*}
                case $f in --*) ;; *) f=$(echo "$f" | cut -c1-2) ;; esac
                f=$(echo "$f" | sed 's/[^A-Za-z0-9-]*$//')
                if grep -qx -- "$f" "$T/flags-${cmd:-top}"; then ok; else
                    bad "$where: \`kubesim ${cmd:+$cmd }$f\`: '$f' is not in \`kubesim ${cmd:+$cmd }--help\`"
                fi ;;
            esac
        done
    done
}
# kubesim lines in fenced blocks and inline code of the markdown files
kubesim_lines() {   # FILE NAME: every "kubesim ..." inside code
    awk -v name="$2" '
        function emit(s,   i) {
            while (match(s, /(^|[ \t\/(`])kubesim[ \t]+[^ \t]/)) {
                s = substr(s, RSTART + RLENGTH - 1)
                i = match(s, /[`)]/); if (i) { print name ":" NR "\t" substr(s, 1, i - 1); s = substr(s, i + 1) }
                else { print name ":" NR "\t" s; s = "" }
            }
        }
        /^[ \t]*(```|~~~)/ { code = !code; next }
        code { emit($0); next }
        { s = $0
          while (match(s, /`kubesim[ \t][^`]*`/)) {
              print name ":" NR "\t" substr(s, RSTART + 9, RLENGTH - 10)
              s = substr(s, RSTART + RLENGTH)
          } }' "$1"
}
for f in $MDS; do
    [ -f "$f" ] && kubesim_lines "$f" "${f#"$ROOT"/}"
done >"$T/klines"
check_flags <"$T/klines"

# ---- 4. the man page ----------------------------------------------------------------------------
MAN=$DOCS/kubesim.1
if [ ! -f "$MAN" ]; then
    bad "the man page $MAN is missing"
else
    ok
    if grep -q '^\.TH KUBESIM 1' "$MAN"; then ok; else bad "kubesim.1: no '.TH KUBESIM 1' header"; fi
    version=$("$KUBESIM" --version 2>/dev/null)      # "kubesim 0.1.0"
    if [ -n "$version" ] && grep '^\.TH' "$MAN" | grep -qF "\"$version\""; then ok; else
        bad "kubesim.1: the .TH line does not name \"$version\" (kubesim --version)"
    fi
    # .SS "kubesim CMD ..." sections; OPTIONS for the command-less form
    awk -v out="$T/man" '
        /^\.S[HS]/ { sec = $0; sub(/^\.S[HS][ \t]+/, "", sec); gsub(/"|\\f[BIRP]/, "", sec)
                     split(sec, w, /[ \t]+/)
                     cur = ""
                     if ($0 ~ /^\.SH/ && sec == "OPTIONS") cur = "top"
                     else if ($0 ~ /^\.SS/ && w[1] == "kubesim" && w[2] ~ /^[a-z]+$/) cur = w[2]
                     if (cur != "") { f = out "-" cur; printf "" > f }
                     next }
        cur != "" { print > (out "-" cur) }' "$MAN"
    for c in top $COMMANDS; do
        if [ "$c" = top ]; then label="OPTIONS"; h=""; else label="kubesim $c"; h="$c "; fi
        if [ ! -f "$T/man-$c" ]; then
            bad "kubesim.1 has no section for $label (.SS \"kubesim CMD ...\" per command, .SH OPTIONS for the rest)"
            continue
        fi
        flags_in "$T/man-$c" | grep -vx -- '-h\|--help' >"$T/mflags"
        grep -vx -- '-h\|--help' "$T/flags-$c" >"$T/hflags"
        missing=$(comm -23 "$T/hflags" "$T/mflags" | tr '\n' ' ')
        extra=$(comm -13 "$T/hflags" "$T/mflags" | tr '\n' ' ')
        if [ -n "$missing" ]; then bad "kubesim.1, $label: does not document ${missing}(named by kubesim ${h}--help)"; else ok; fi
        if [ -n "$extra" ]; then bad "kubesim.1, $label: documents ${extra}which kubesim ${h}--help does not name"; else ok; fi
    done
    # kubesim lines in the man page (EXAMPLES) use real flags
    sed 's/\\f[BIRP]//g; s/\\-/-/g; s/\\&//g' "$MAN" |
        awk '/^\./ { next } match($0, /(^|[ \t])kubesim[ \t]+[^ \t]/) {
                 print "kubesim.1:" NR "\t" substr($0, RSTART + RLENGTH - 1) }' >"$T/klines"
    check_flags <"$T/klines"
    if command -v groff >/dev/null 2>&1; then
        groff -man -ww -z "$MAN" >"$T/out" 2>&1
        if [ -s "$T/out" ]; then bad "groff -man -ww warns about kubesim.1:"; sed 's/^/    /' "$T/out"; else ok; fi
    else
        bad "groff is not installed: kubesim.1 was not typeset (scripts/install-deps.sh installs groff-base)"
    fi
fi

# ---- 5. coverage ------------------------------------------------------------------------------
SCN_DOC=$DOCS/scenarios.md
if [ -f "$SCN_DOC" ]; then
    set -- "$ROOT"/sim/load/ks_scenario*.c "$ROOT"/sim/load/ks_catalog.c
    if [ -f "$1" ]; then
        awk '/static const char \*const [a-z_]*(keys|kinds|actions|verbs|names|targets)\[\] *=/ { on = 1 }
             on { s = $0; end = (s ~ /};/)
                  while (match(s, /"[^"]*"/)) { print substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) }
                  if (end) on = 0 }' "$@" | sort -u >"$T/fields"
        missing=""
        while read -r w; do
            grep -qF -- "\`$w\`" "$SCN_DOC" || missing="$missing $w"
        done <"$T/fields"
        if [ -n "$missing" ]; then
            bad "docs/scenarios.md does not document (as \`name\`) these names the loaders know:$missing"
        else
            ok
        fi
    else
        note "no sim/ sources next to $README: field coverage not checked"
    fi
else
    bad "$SCN_DOC is missing"
fi
LESSONS=$DOCS/lessons.md
if [ -f "$LESSONS" ]; then
    for f in "$ROOT"/scenarios/*.yaml "$ROOT"/scenarios/exercises/*/; do
        [ -e "$f" ] || continue
        b=$(basename "$f")
        case $f in */exercises/*) b=$b/ ;; esac
        if grep -qF -- "$b" "$LESSONS"; then ok; else bad "docs/lessons.md does not mention ${f#"$ROOT"/}"; fi
    done
else
    bad "$LESSONS is missing"
fi
for f in $MDS; do
    [ -f "$f" ] || continue
    grep -oE '(^|[^A-Za-z0-9_./-])scenarios/[A-Za-z0-9_./-]*' "$f" | sed -E 's/^[^s]*//; s/[.]+$//' |
        sort -u | while read -r p; do
        if [ -e "$ROOT/$p" ]; then echo ok; else echo "bad ${f#"$ROOT"/} names $p, which does not exist"; fi
    done
done >"$T/paths"
while read -r verdict rest; do
    if [ "$verdict" = ok ]; then ok; else bad "$rest"; fi
done <"$T/paths"

# links between the pages: [text](page.md#anchor) and [text](#anchor) lead
# somewhere (anchors as GitHub makes them from headings)
slugs() {
    awk '/^[ \t]*(```|~~~)/ { code = !code } !code && /^#+ / {
        h = tolower($0); sub(/^#+ +/, "", h); gsub(/[^a-z0-9 _-]/, "", h); gsub(/ /, "-", h); print h }' "$1"
}
for f in $MDS; do
    [ -f "$f" ] || continue
    grep -oE '\]\([^)[:space:]]+\)' "$f" | sed -E 's/^\]\(//; s/\)$//' | grep -v '://' | sort -u |
        while read -r link; do
            page=${link%%#*} anchor=
            case $link in *'#'*) anchor=${link#*#} ;; esac
            target=$f
            [ -n "$page" ] && target=$(dirname "$f")/$page
            if [ ! -e "$target" ]; then echo "bad ${f#"$ROOT"/} links to $link: no such file"; continue; fi
            if [ -n "$anchor" ] && ! slugs "$target" | grep -qx -- "$anchor"; then
                echo "bad ${f#"$ROOT"/} links to $link: no such heading"; continue
            fi
            echo ok
        done
done >"$T/links"
while read -r verdict rest; do
    if [ "$verdict" = ok ]; then ok; else bad "$rest"; fi
done <"$T/links"

# ---- 1 and 2, over every file ----------------------------------------------------------------
mkdir -p "$T/blocks"
: >"$T/blocks/index"
total=0
for f in $MDS; do
    [ -f "$f" ] || continue
    rm -f "$T/blocks/index"
    extract "$f" "$total"
    total=$(cat "$T/blocks/count")
    [ -f "$T/blocks/index" ] || continue
    while IFS='	' read -r n lang line mkind mtext; do
        case $lang in
        UNCLOSED) bad "${f#"$ROOT"/}: a fenced block opened at line $line is never closed" ;;
        yaml|yml) check_yaml "$n" "$f" "$line" "$mkind" "$mtext" ;;
        sh|bash|shell) check_commands "$n" "$f" "$line" "$mkind" "$mtext" ;;
        *) if [ -n "$mkind" ]; then bad "${f#"$ROOT"/}:$line: <!-- $mkind --> above a \`\`\`$lang block means nothing"; fi ;;
        esac
    done <"$T/blocks/index"
done

[ "$notes" -gt 0 ] && [ -z "${VERBOSE:-}" ] && echo "($notes notes; VERBOSE=1 shows them)"
check_summary
