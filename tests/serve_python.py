"""serve_python.py KUBECONFIG -- the official Python client (Debian's
python3-kubernetes) against `kubesim serve` running lesson 1 (a pod that
crash-loops) at 8x: the session of check_serve.sh, written as a program.
Prints one line per failed check and exits 1 if any failed."""
import copy
import json
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

# ---- writes: each checked by what the simulation does with it ----


def running(label):
    return sum(1 for p in core.list_namespaced_pod("default", label_selector=label).items
               if p.status.phase == "Running" and not p.metadata.deletion_timestamp)


def addresses(name):
    ep = core.read_namespaced_endpoints(name, "default")
    return sum(len(s.addresses or []) for s in ep.subsets or [])


def eventually(what, fn, secs=30):
    end = time.time() + secs
    last = None
    while time.time() < end:
        last = fn()
        if last is True:
            return True
        time.sleep(0.25)
    check(what, False, f"not within {secs}s (last: {last})")
    return False


def expect_error(what, status, reason, fn):
    try:
        fn()
        check(what, False, "no exception")
    except ApiException as e:
        body = e.body.decode() if isinstance(e.body, bytes) else str(e.body)
        check(what, e.status == status and f'"reason":"{reason}"' in body, body)


dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
       "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                             "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25",
                                                      "ports": [{"containerPort": 80}]}]}}}}
made = apps.create_namespaced_deployment("default", dep)
check("create: the object back", made.metadata.name == "web" and made.metadata.uid)
core.create_namespaced_service("default", {
    "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
    "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
eventually("create: 2 pods of web running", lambda: running("app=web") == 2)
eventually("create: 2 endpoints", lambda: addresses("web") == 2)
expect_error("create again: AlreadyExists", 409, "AlreadyExists",
             lambda: apps.create_namespaced_deployment("default", dep))
bad = copy.deepcopy(dep)
bad["metadata"]["name"] = "broken"
bad["spec"]["replicas"] = -1
expect_error("invalid: Invalid", 422, "Invalid",
             lambda: apps.create_namespaced_deployment("default", bad))
expect_error("invalid: nothing made", 404, "NotFound",
             lambda: apps.read_namespaced_deployment("broken", "default"))
expect_error("not JSON: BadRequest", 400, "BadRequest",
             lambda: core.api_client.call_api(
                 "/api/v1/namespaces/default/pods", "POST", body="{not json",
                 header_params={"Content-Type": "application/json"},
                 auth_settings=["BearerToken"], _preload_content=False))

# kubesim's clock: paused, stepped, resumed


def clock(body=None):
    r = core.api_client.call_api("/kubesim/v1/clock", "PUT" if body else "GET", body=body,
                                 header_params={"Content-Type": "application/json"},
                                 auth_settings=["BearerToken"], _preload_content=False)
    return json.loads(r[0].data)


c0 = clock({"paused": True})
check("clock: paused", c0["paused"] is True, c0)
time.sleep(0.5)
check("clock: stands still", clock()["nowMicros"] == c0["nowMicros"])
c1 = clock({"runTo": c0["nowMicros"] + 10_000_000})
check("clock: runTo", c1["nowMicros"] == c0["nowMicros"] + 10_000_000 and c1["runTo"] == c1["nowMicros"], c1)
expect_error("clock: not backwards", 422, "Invalid", lambda: clock({"runTo": 1}))
check("clock: resumed", clock({"paused": False})["paused"] is False)

# the service proxy: a request into the simulation, answered by a pod
r = core.api_client.call_api("/api/v1/namespaces/default/services/web/proxy/", "GET",
                             auth_settings=["BearerToken"], _preload_content=False)
check("proxy: 200 from a pod of web", r[1] == 200 and r[0].data.startswith(b"200 from pod default/web-"), r[0].data)

# logs
logs = core.read_namespaced_pod_log("flaky", "default", previous=True)
check("logs --previous", "cannot reach the database" in logs, logs)
expect_error("logs: no such container", 400, "BadRequest",
             lambda: core.read_namespaced_pod_log("flaky", "default", container="nope"))

apps.patch_namespaced_deployment_scale("web", "default", {"spec": {"replicas": 3}})
eventually("scale: 3 running", lambda: running("app=web") == 3)
eventually("scale: 3 endpoints", lambda: addresses("web") == 3)
scale = apps.read_namespaced_deployment_scale("web", "default")
check("read scale", scale.spec.replicas == 3, scale.spec)

# strategic merge: the container is merged by name, its ports kept
apps.patch_namespaced_deployment("web", "default", {"spec": {"template": {"spec": {
    "containers": [{"name": "nginx", "image": "nginx:1.26"}]}}}})
d = apps.read_namespaced_deployment("web", "default")
c = d.spec.template.spec.containers[0]
check("strategic merge: image", c.image == "nginx:1.26", c.image)
check("strategic merge: ports kept", c.ports and c.ports[0].container_port == 80, c.ports)
eventually("new image: pods of 1.26", lambda: all(
    p.spec.containers[0].image == "nginx:1.26"
    for p in core.list_namespaced_pod("default", label_selector="app=web").items
    if p.status.phase == "Running") and running("app=web") == 3, secs=60)

# JSON patch
apps.patch_namespaced_deployment("web", "default",
                                 [{"op": "replace", "path": "/spec/replicas", "value": 1}])
eventually("json patch: 1 running", lambda: running("app=web") == 1)

# update (PUT), and a stale resourceVersion
d = apps.read_namespaced_deployment("web", "default")
d.metadata.labels = {"app": "web", "tier": "front"}
apps.replace_namespaced_deployment("web", "default", d)
d2 = apps.read_namespaced_deployment("web", "default")
check("replace: label", d2.metadata.labels.get("tier") == "front", d2.metadata.labels)
d.metadata.resource_version = "1"
expect_error("stale resourceVersion: Conflict", 409, "Conflict",
             lambda: apps.replace_namespaced_deployment("web", "default", d))

# eviction: the pod goes, the ReplicaSet makes another. The victim is picked
# once web has settled -- the Deployment controller has seen its last change,
# its one pod is the new ReplicaSet's, available, and no other pod of web is
# left (one still terminating from the scale-down, or an old ReplicaSet's):
# picked earlier, under load, it could be a pod already on its way out, gone
# by the time the eviction asks for it (404).


def settled(name, replicas):
    d = apps.read_namespaced_deployment(name, "default")
    s = d.status
    pods = core.list_namespaced_pod("default", label_selector="app=" + name).items
    return (s.observed_generation == d.metadata.generation
            and s.replicas == s.updated_replicas == s.available_replicas == replicas
            and len(pods) == replicas
            and all(p.status.phase == "Running" and not p.metadata.deletion_timestamp
                    for p in pods)) or (s, [(p.metadata.name, p.status.phase,
                                             p.metadata.deletion_timestamp) for p in pods])


eventually("evict: web settled at 1 pod", lambda: settled("web", 1), secs=120)
victim = core.list_namespaced_pod("default", label_selector="app=web").items[0].metadata.name
core.create_namespaced_pod_eviction(victim, "default", client.V1Eviction(
    metadata=client.V1ObjectMeta(name=victim, namespace="default")))
eventually("evicted: gone", lambda: victim not in [
    p.metadata.name for p in core.list_namespaced_pod("default", label_selector="app=web").items])
eventually("evicted: replaced", lambda: running("app=web") == 1)

expect_error("orphan: not simulated", 422, "Invalid",
             lambda: apps.delete_namespaced_deployment(
                 "web", "default", propagation_policy="Orphan"))
apps.delete_namespaced_deployment("web", "default", body=client.V1DeleteOptions(
    propagation_policy="Background", grace_period_seconds=5))
eventually("delete: no pod of web", lambda: running("app=web") == 0)
eventually("delete: no endpoints", lambda: addresses("web") == 0)
expect_error("delete: the deployment is gone", 404, "NotFound",
             lambda: apps.read_namespaced_deployment("web", "default"))
core.delete_namespaced_pod("flaky", "default", grace_period_seconds=0)
eventually("delete pod now", lambda: not core.list_namespaced_pod(
    "default", label_selector="app=flaky").items)

# ---- the workload kinds (the client's own models read them back) ----
batch = client.BatchV1Api()
job = batch.create_namespaced_job("default", client.V1Job(
    metadata=client.V1ObjectMeta(name="once"),
    spec=client.V1JobSpec(completions=2, template=client.V1PodTemplateSpec(
        spec=client.V1PodSpec(restart_policy="Never", containers=[client.V1Container(
            name="once", image="busybox:1.36", command=["sh", "-c", "echo once"])])))))
check("create job: defaults", job.spec.backoff_limit == 6 and job.spec.parallelism == 1,
      job.spec)
eventually("job: succeeded", lambda: batch.read_namespaced_job("once", "default").status.succeeded == 2)
done = batch.read_namespaced_job("once", "default")
check("job: Complete condition", [c.type for c in done.status.conditions or []] == ["Complete"],
      done.status.conditions)
check("job: selector", "batch.kubernetes.io/controller-uid" in done.spec.selector.match_labels,
      done.spec.selector)
batch.create_namespaced_cron_job("default", client.V1CronJob(
    metadata=client.V1ObjectMeta(name="nightly"),
    spec=client.V1CronJobSpec(schedule="0 3 * * *", job_template=client.V1JobTemplateSpec(
        spec=client.V1JobSpec(template=client.V1PodTemplateSpec(spec=client.V1PodSpec(
            restart_policy="OnFailure", containers=[client.V1Container(
                name="n", image="busybox:1.36")])))))))
cj = batch.read_namespaced_cron_job("nightly", "default")
check("cronjob: defaults", cj.spec.concurrency_policy == "Allow"
      and cj.spec.successful_jobs_history_limit == 3, cj.spec)
apps.create_namespaced_daemon_set("default", client.V1DaemonSet(
    metadata=client.V1ObjectMeta(name="agent"),
    spec=client.V1DaemonSetSpec(
        selector=client.V1LabelSelector(match_labels={"app": "agent"}),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels={"app": "agent"}),
            spec=client.V1PodSpec(containers=[client.V1Container(
                name="a", image="busybox:1.36", command=["sleep", "100000"])])))))
eventually("daemonset: ready on the node", lambda: apps.read_namespaced_daemon_set(
    "agent", "default").status.number_ready == 1)
hpa = client.AutoscalingV1Api().create_namespaced_horizontal_pod_autoscaler(
    "default", client.V1HorizontalPodAutoscaler(
        metadata=client.V1ObjectMeta(name="agent"),
        spec=client.V1HorizontalPodAutoscalerSpec(
            scale_target_ref=client.V1CrossVersionObjectReference(
                api_version="apps/v1", kind="Deployment", name="nothing"),
            max_replicas=3, target_cpu_utilization_percentage=70)))
check("hpa (autoscaling/v1)", hpa.spec.target_cpu_utilization_percentage == 70
      and hpa.spec.min_replicas == 1, hpa.spec)
net = client.NetworkingV1Api()
net.create_namespaced_network_policy("default", client.V1NetworkPolicy(
    metadata=client.V1ObjectMeta(name="deny-all"),
    spec=client.V1NetworkPolicySpec(pod_selector=client.V1LabelSelector())))
np = net.read_namespaced_network_policy("deny-all", "default")
check("networkpolicy: policyTypes defaulted", np.spec.policy_types == ["Ingress"],
      np.spec.policy_types)
batch.delete_namespaced_job("once", "default", propagation_policy="Background")
eventually("job deleted with its pods", lambda: not core.list_namespaced_pod(
    "default", label_selector="job-name=once").items)

# ---- exec through the WebSocket channels (kubernetes.stream) ----
from kubernetes.stream import stream  # noqa: E402
web = [p.metadata.name for p in core.list_namespaced_pod("default", label_selector="app=agent").items]
out = stream(core.connect_get_namespaced_pod_exec, web[0], "default",
             command=["sh", "-c", "echo hi from $HOSTNAME"], stdout=True, stderr=True,
             stdin=False, tty=False)
check("exec: stdout", out == f"hi from {web[0]}\n", repr(out))
# each stream's frames in the order the command wrote them (channel 1
# stdout, 2 stderr): update() reads one frame into the client's _channels
resp = stream(core.connect_get_namespaced_pod_exec, web[0], "default",
              command=["sh", "-c", "echo a; echo b >&2; echo c"], stdout=True, stderr=True,
              stdin=False, tty=False, _preload_content=False)
frames = []
for _ in range(50):
    if not resp.is_open():
        break
    resp.update(timeout=1)
    for ch in (1, 2):
        data = resp._channels.pop(ch, "")
        if data:
            frames.append((ch, data))
check("exec: stdout and stderr frames in write order",
      frames == [(1, "a\n"), (2, "b\n"), (1, "c\n")], frames)
resp = stream(core.connect_get_namespaced_pod_exec, web[0], "default",
              command=["sh", "-c", "exit 4"], stdout=True, stderr=True, stdin=False,
              tty=False, _preload_content=False)
resp.run_forever(timeout=10)
check("exec: the exit code", resp.returncode == 4, resp.returncode)
# stdin over v4.channel.k8s.io, the only protocol this client offers: no
# end of stdin but the close, so sh runs each command as it reads it and
# its output comes back while the connection is open (the client's
# examples/pod_exec.py); variables carry from line to line
resp = stream(core.connect_get_namespaced_pod_exec, web[0], "default", command=["/bin/sh"],
              stdout=True, stderr=True, stdin=True, tty=False, _preload_content=False)
resp.write_stdin("echo test\n")
check("exec stdin (v4): a line's output while open", resp.readline_stdout(timeout=10) == "test")
resp.write_stdin("X=42; echo to stderr >&2\n")
err = ""
for _ in range(50):
    resp.update(timeout=200)
    err += resp.read_stderr(timeout=0) or ""
    if err:
        break
check("exec stdin (v4): stderr", err == "to stderr\n", repr(err))
resp.write_stdin("if true\nthen echo x=$X\n")
resp.write_stdin("fi\n")
line = resp.readline_stdout(timeout=10)
check("exec stdin (v4): the variable of an earlier line, an if over lines", line == "x=42",
      repr(line))
resp.write_stdin("exit 3\n")
resp.run_forever(timeout=10)
check("exec stdin (v4): exit 3", not resp.is_open() and resp.returncode == 3,
      (resp.is_open(), resp.returncode))
try:
    stream(core.connect_get_namespaced_pod_exec, web[0], "default", container="nope",
           command=["true"], stdout=True, stderr=True, stdin=False, tty=False)
    check("exec: unknown container refused", False, "no exception")
except ApiException as e:
    # websocket-client keeps only the handshake's status line
    check("exec: unknown container refused", "Handshake status 400" in str(e), str(e))

sys.exit(1 if failures else 0)
