"""serve_python.py KUBECONFIG -- the official Python client (Debian's
python3-kubernetes) against `kubesim serve` running lesson 1 (a pod that
crash-loops) at 8x: the session of check_serve.sh, written as a program.
Prints one line per failed check and exits 1 if any failed."""
import sys
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

failures = []


def check(what, cond, detail=""):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what} {detail}")


config.load_kube_config(sys.argv[1])
core = client.CoreV1Api()
apps = client.AppsV1Api()

# ---- reads ----
version = client.VersionApi().get_code()
check("version", version.git_version == "v1.30.0", version.git_version)
pods = core.list_namespaced_pod("default")
names = [p.metadata.name for p in pods.items]
check("list pods", names == ["flaky"], names)
pod = core.read_namespaced_pod("flaky", "default")
check("read pod: spec", pod.spec.containers[0].image == "busybox:1.36",
      pod.spec.containers[0].image)
check("read pod: restartPolicy default", pod.spec.restart_policy == "Always")
nodes = core.list_node()
check("list nodes", [n.metadata.name for n in nodes.items] == ["minikube"])
check("node ready",
      any(c.type == "Ready" and c.status == "True" for c in nodes.items[0].status.conditions))
sel = core.list_namespaced_pod("default", label_selector="app=flaky")
check("label selector", len(sel.items) == 1)
sel = core.list_namespaced_pod("default", label_selector="app=other")
check("label selector, no match", len(sel.items) == 0)
page = core.list_namespace(limit=2)
check("limit", len(page.items) == 2 and page.metadata._continue, page.metadata)
rest = core.list_namespace(limit=100, _continue=page.metadata._continue)
check("continue", len(rest.items) >= 2 and rest.items[0].metadata.name
      not in [n.metadata.name for n in page.items])
try:
    core.read_namespaced_pod("nosuch", "default")
    check("NotFound", False, "no exception")
except ApiException as e:
    check("NotFound", e.status == 404 and '"reason":"NotFound"' in e.body, e.body)

# ---- watch the pod through its crash loop ----
seen = set()
w = watch.Watch()
deadline = time.time() + 30
for ev in w.stream(core.list_namespaced_pod, "default", timeout_seconds=30):
    p = ev["object"]
    for cs in p.status.container_statuses or []:
        if cs.state.waiting:
            seen.add(cs.state.waiting.reason)
        if cs.restart_count:
            seen.add("restarted")
    if "CrashLoopBackOff" in seen or time.time() > deadline:
        w.stop()
check("watch: CrashLoopBackOff", "CrashLoopBackOff" in seen, seen)
check("watch: restarts", "restarted" in seen, seen)

sys.exit(1 if failures else 0)
