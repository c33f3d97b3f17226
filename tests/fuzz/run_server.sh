#!/bin/sh
# The Kubernetes API's request path under libFuzzer: tests/fuzz/run.sh http.
#   tests/fuzz/run_server.sh 600
exec "$(dirname "$0")/run.sh" http "${1:-60}"
