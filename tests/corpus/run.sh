#!/bin/sh
# Runs the scenarios on the shared course corpus when ../shared/corpus is
# there; says so and reports "skipped" (exit 77) when it is not.
KUBESIM=${1:?usage: run.sh KUBESIM}
HERE=$(cd "$(dirname "$0")" && pwd)
CORPUS="$HERE/../../../shared/corpus/multi-k8s-v1"
if [ ! -d "$CORPUS" ]; then
    echo "SKIPPED: $CORPUS not found (the shared course corpus is not beside this checkout)"
    exit 77
fi
exec "$KUBESIM" test "$HERE"
