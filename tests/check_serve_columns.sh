#!/bin/sh
# check_serve_columns.sh KUBESIM SCENARIOS debian [KUBECTL] -- the
# columns of every kind `kubesim serve` lists, as real kubectl prints
# them, against those of the API server kubesim imitates (v1.30:
# pkg/printers/internalversion/printers.go, AddHandlers; a * marks a
# column of priority 1, which only `-o wide` shows). For each kind:
# `kubectl get KIND -A` and `-A -o wide` print that header (NAMESPACE
# first for a namespaced kind), with Debian's kubectl 1.20 (package
# kubernetes-client: missing, the test fails) and with KUBECTL when given
# (a newer one; ctest passes the one on PATH where there is one); and
# every served resource's Table (discovery's list, so a kind with no
# objects, PodDisruptionBudgets, counts too) has those columns, names,
# order and priorities, read with the kubeconfig's token. The last line
# is "N passed, N failed".
set -u
KUBESIM=${1:?usage: check_serve_columns.sh KUBESIM SCENARIOS debian [KUBECTL]}
SCEN=${2:?}
[ "${3:-}" = debian ] || { echo "usage: check_serve_columns.sh KUBESIM SCENARIOS debian [KUBECTL]" >&2; exit 2; }
NEWER=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/check_lib.sh"
check_tmpdir check_serve_columns

# resource|namespaced|columns (printers.go v1.30, in order; * priority 1)
cat >"$T/columns" <<'EOF'
namespaces|no|Name|Status|Age
nodes|no|Name|Status|Roles|Age|Version|Internal-IP*|External-IP*|OS-Image*|Kernel-Version*|Container-Runtime*
pods|yes|Name|Ready|Status|Restarts|Age|IP*|Node*|Nominated Node*|Readiness Gates*
services|yes|Name|Type|Cluster-IP|External-IP|Port(s)|Age|Selector*
endpoints|yes|Name|Endpoints|Age
secrets|yes|Name|Type|Data|Age
configmaps|yes|Name|Data|Age
serviceaccounts|yes|Name|Secrets|Age
persistentvolumes|no|Name|Capacity|Access Modes|Reclaim Policy|Status|Claim|StorageClass|VolumeAttributesClass|Reason|Age|VolumeMode*
persistentvolumeclaims|yes|Name|Status|Volume|Capacity|Access Modes|StorageClass|VolumeAttributesClass|Age|VolumeMode*
events|yes|Last Seen|Type|Reason|Object|Subobject*|Source*|Message|First Seen*|Count*|Name*
deployments.apps|yes|Name|Ready|Up-to-date|Available|Age|Containers*|Images*|Selector*
daemonsets.apps|yes|Name|Desired|Current|Ready|Up-to-date|Available|Node Selector|Age|Containers*|Images*|Selector*
replicasets.apps|yes|Name|Desired|Current|Ready|Age|Containers*|Images*|Selector*
statefulsets.apps|yes|Name|Ready|Age|Containers*|Images*
horizontalpodautoscalers.autoscaling|yes|Name|Reference|Targets|MinPods|MaxPods|Replicas|Age
cronjobs.batch|yes|Name|Schedule|Timezone|Suspend|Active|Last Schedule|Age|Containers*|Images*|Selector*
jobs.batch|yes|Name|Status|Completions|Duration|Age|Containers*|Images*|Selector*
leases.coordination.k8s.io|yes|Name|Holder|Age
endpointslices.discovery.k8s.io|yes|Name|AddressType|Ports|Endpoints|Age
networkpolicies.networking.k8s.io|yes|Name|Pod-Selector|Age
ingresses.networking.k8s.io|yes|Name|Class|Hosts|Address|Ports|Age
ingressclasses.networking.k8s.io|no|Name|Controller|Parameters|Age
poddisruptionbudgets.policy|yes|Name|Min Available|Max Unavailable|Allowed Disruptions|Age
storageclasses.storage.k8s.io|no|Name|Provisioner|ReclaimPolicy|VolumeBindingMode|AllowVolumeExpansion|Age
EOF

serve_start "$T" 100 "$SCEN/07-pvc-postgres.yaml" --speed 4 --port 0 || { check_summary; exit 1; }
export KUBECONFIG="$T/kubeconfig"

# every served resource's Table columns, by the API (no objects needed)
if /usr/bin/python3 "$HERE/serve_columns.py" "$T/kubeconfig" "$T/columns" >"$T/out" 2>&1; then ok
else bad "the Tables' columns:"; sed 's/^/    /' "$T/out"; fi

# header WANT COLUMNS...: the header kubectl prints (capitals, 3 spaces apart)
header() {
    printf '%s' "$1" | awk -F'|' -v wide="$2" -v ns="$3" '{
        line = ns == "yes" ? "NAMESPACE" : ""
        for (i = 3; i <= NF; i++) {
            c = $i
            if (c ~ /\*$/) { if (!wide) continue; sub(/\*$/, "", c) }
            line = line (line == "" ? "" : "   ") toupper(c)
        }
        print line
    }'
}

# kubectl's first line, its columns one space apart (kubectl pads them)
first_line() {
    head -n 1 "$1" | sed 's/   */   /g; s/ *$//'
}

# objects of the kinds the lesson has none of
manifest='
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: busybox:1.36, command: [sleep, "100000"]}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: busybox:1.36, command: [sleep, "100000"]}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: once, image: busybox:1.36, command: [sh, -c, "exit 0"]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: tick, image: busybox:1.36, command: [date]}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: server}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: server-deployment}
  minReplicas: 1
  maxReplicas: 5
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec: {podSelector: {}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: test}
---
apiVersion: v1
kind: Secret
metadata: {name: token}
stringData: {token: abc}
'
bin=$(dpkg-query -L kubernetes-client 2>/dev/null | grep '/bin/kubectl$' | head -n 1)
D=
[ -n "$bin" ] && D=$(dpkg-divert --truename "$bin")
if [ -z "$D" ] || [ ! -x "$D" ]; then
    bad "Debian's kubectl (package kubernetes-client) is not installed; run scripts/install-deps.sh"
    check_summary
    exit 1
fi
# each kubectl its own discovery cache (tests/own_kube_cache.sh)
. "$HERE/own_kube_cache.sh"
own_kube_cache "$T/debian" "$D" || exit 2
DEBIAN=$KUBECTL
# kubectl 1.20 validates against /openapi/v2 as protobuf, which serve lacks
if ! printf '%s' "$manifest" | "$DEBIAN" apply --validate=false -f - >"$T/out" 2>&1; then
    bad "kubectl apply of the kinds the lesson lacks"; sed 's/^/    /' "$T/out"
fi

# check_client KUBECTL: every kind's header, plain and wide
check_client() {
    kc=$1
    while IFS= read -r spec; do
        res=${spec%%|*}
        ns=$(printf '%s' "$spec" | cut -d'|' -f2)
        [ "$res" = poddisruptionbudgets.policy ] && continue   # none to list
        for wide in 0 1; do
            if [ $wide = 1 ]; then set -- -o wide; else set --; fi
            want=$(header "$spec" $wide "$ns")
            i=0
            while :; do
                "$kc" get "$res" -A "$@" >"$T/get" 2>&1
                got=$(first_line "$T/get")
                [ "$got" = "$want" ] && break
                i=$((i + 1))
                [ $i -ge 20 ] && break
                sleep 0.5                 # the objects are still coming
            done
            if [ "$got" = "$want" ]; then ok
            else
                bad "$($kc version --client 2>/dev/null | head -n 1): get $res -A $*"
                echo "    want: $want"
                echo "    got:  $got"
            fi
        done
    done <"$T/columns"
}

check_client "$DEBIAN"
if [ -n "$NEWER" ]; then
    if [ ! -x "$NEWER" ] || "$NEWER" version --client 2>/dev/null | grep -q 'v1\.20\.'; then
        bad "$NEWER is not a kubectl newer than Debian's 1.20"
    else
        own_kube_cache "$T/newer" "$NEWER" || exit 2
        check_client "$KUBECTL"
    fi
fi
check_summary
