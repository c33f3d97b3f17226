# own_kube_cache.sh -- sourced by the tests and benches that run a real
# kubectl. `own_kube_cache DIR [KUBECTL]` gives this run its own discovery
# and HTTP cache, DIR/cache, instead of the ~/.kube/cache that every run on
# the machine shares: client-go keeps discovery there per host_port (for
# 6 hours, discovery/cached/disk), so a server started on a port that an
# earlier run used, by another build that serves other resources, would be
# answered from that run's discovery. kubectl 1.26+ (and whatever a test
# starts that runs it: kubesim verify) reads KUBECACHEDIR; Debian's 1.20
# reads only its --cache-dir flag, so KUBECTL (default: the kubectl on PATH)
# is wrapped as DIR/bin/kubectl, which passes it, first on PATH. Sets
# KUBECTL to the wrapper (empty when there is no kubectl).
own_kube_cache() {
    _okc_real=${2:-$(command -v kubectl 2>/dev/null || true)}
    KUBECACHEDIR=$1/cache
    export KUBECACHEDIR
    KUBECTL=
    [ -n "$_okc_real" ] || return 0
    mkdir -p "$1/bin" || return 1
    printf '#!/bin/sh\nexec "%s" --cache-dir "%s" "$@"\n' "$_okc_real" "$KUBECACHEDIR" \
        >"$1/bin/kubectl" && chmod +x "$1/bin/kubectl" || return 1
    # shellcheck disable=SC2034  # for the caller
    KUBECTL=$1/bin/kubectl
    PATH=$1/bin:$PATH
    export PATH
}
