#!/bin/sh
# The licence a course can ship (issue 22): LICENSE is the Apache License
# 2.0, the fonts keep theirs beside them, the README says so, and the
# kubesim binary links no GPL-only library (GNU readline and its history
# library are GPL-3; libedit is BSD).
#   tests/check_licence.sh KUBESIM SOURCE_DIR
set -eu
KUBESIM=$1
SRC=$2
fail() { echo "licence: $*" >&2; exit 1; }
grep -q "Apache License" "$SRC/LICENSE" || fail "LICENSE is not the Apache License"
grep -q "Version 2.0, January 2004" "$SRC/LICENSE" || fail "LICENSE is not version 2.0"
grep -q "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" "$SRC/LICENSE" \
    || fail "LICENSE lacks the terms"
[ -s "$SRC/assets/LICENSE-DejaVu.txt" ] || fail "the DejaVu font licence is not beside the fonts"
grep -q "Apache License 2.0" "$SRC/README.md" || fail "README does not say the licence"
libs=$(ldd "$KUBESIM") || fail "ldd $KUBESIM failed"
for gpl in libreadline libhistory; do
    if echo "$libs" | grep -q "$gpl"; then
        fail "$KUBESIM links $gpl (GPL-3): $(echo "$libs" | grep "$gpl")"
    fi
done
echo "licence: Apache-2.0, the fonts' licence beside them, no GPL-only library linked"
