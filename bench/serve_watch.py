"""serve_watch.py -- the watch figures of bench/run-serve.sh, with the
official Python client (Debian's python3-kubernetes):

  serve_watch.py latency KUBECONFIG N   N label patches of a pod, each timed
                                        from the request to the MODIFIED event
                                        on a watch opened before them
  serve_watch.py raw KUBECONFIG N       the same with no client library: the
                                        PATCH and the watch over http.client,
                                        lines read as they come (the server's
                                        share, without the Python client's
                                        decoding of each event into models)
  serve_watch.py pause|resume KUBECONFIG  kubesim's clock (PUT /kubesim/v1/clock)
  serve_watch.py compare FINAL N WATCH...  the watchers' event lines ("TYPE
                                        NAME RV"; the first N the list) are one
                                        sequence, resourceVersions go up, and
                                        each pod's last version is FINAL's
                                        ("NAME RV" lines)
"""
import http.client
import json
import socket
import ssl
import statistics
import sys
import threading
import time

import yaml
from kubernetes import client, config, watch


def api(kubeconfig):
    config.load_kube_config(kubeconfig)
    return client.CoreV1Api()


def latency(kubeconfig, n):
    core = api(kubeconfig)
    pods = core.list_namespaced_pod("default")
    name = pods.items[0].metadata.name
    seen = {}
    ready = threading.Event()

    def watcher():
        w = watch.Watch()
        ready.set()
        for ev in w.stream(core.list_namespaced_pod, "default",
                           resource_version=pods.metadata.resource_version,
                           field_selector="metadata.name=" + name, timeout_seconds=600):
            v = (ev["object"].metadata.labels or {}).get("bench")
            if ev["type"] == "MODIFIED" and v is not None and v not in seen:
                seen[v] = time.monotonic()
            if len(seen) >= n:
                w.stop()

    t = threading.Thread(target=watcher, daemon=True)
    t.start()
    ready.wait()
    time.sleep(1)
    sent, answered = {}, []
    for i in range(n):
        sent[str(i)] = time.monotonic()
        core.patch_namespaced_pod(name, "default", {"metadata": {"labels": {"bench": str(i)}}})
        answered.append(time.monotonic() - sent[str(i)])
        time.sleep(0.05)
    t.join(30)
    lat = [seen[k] - sent[k] for k in sent if k in seen]
    missed = n - len(lat)
    print(f"watch latency at 1x, {n} label patches of pod {name}: write to MODIFIED event "
          f"median {statistics.median(lat) * 1000:.1f} ms, worst {max(lat) * 1000:.1f} ms; "
          f"the PATCH's own round trip median {statistics.median(answered) * 1000:.1f} ms; "
          f"missed {missed}")
    return 0 if missed == 0 else 1


def raw(kubeconfig, n):
    with open(kubeconfig) as f:
        kc = yaml.safe_load(f)                # the one serve wrote: one cluster, one user
    host, port = kc["clusters"][0]["cluster"]["server"][len("https://"):].rsplit(":", 1)
    token = kc["users"][0]["user"]["token"]
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE           # loopback, the run's own certificate
    hdr = {"Authorization": "Bearer " + token, "Accept": "application/json"}
    c = http.client.HTTPSConnection(host, int(port), context=ctx)
    c.request("GET", "/api/v1/namespaces/default/pods?limit=1", headers=hdr)
    pods = json.loads(c.getresponse().read())
    name = pods["items"][0]["metadata"]["name"]
    w = http.client.HTTPSConnection(host, int(port), context=ctx)
    w.request("GET", "/api/v1/namespaces/default/pods?watch=1&resourceVersion="
              + pods["metadata"]["resourceVersion"]
              + "&fieldSelector=metadata.name%3D" + name, headers=hdr)
    wr = w.getresponse()
    w.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    lat, rt = [], []
    for i in range(n):
        body = json.dumps({"metadata": {"labels": {"bench": str(i)}}})
        t0 = time.monotonic()
        c.request("PATCH", "/api/v1/namespaces/default/pods/" + name, body=body,
                  headers=dict(hdr, **{"Content-Type": "application/merge-patch+json"}))
        c.getresponse().read()
        t1 = time.monotonic()
        while True:
            ev = json.loads(wr.readline())
            labels = ev["object"]["metadata"].get("labels") or {}
            if ev["type"] == "MODIFIED" and labels.get("bench") == str(i):
                break
        lat.append(time.monotonic() - t0)
        rt.append(t1 - t0)
        time.sleep(0.05)
    print(f"watch latency, {n} label patches of pod {name} over http.client: write to "
          f"MODIFIED event median {statistics.median(lat) * 1000:.1f} ms, worst "
          f"{max(lat) * 1000:.1f} ms; the PATCH's own round trip median "
          f"{statistics.median(rt) * 1000:.1f} ms")
    return 0


def clock(kubeconfig, paused):
    core = api(kubeconfig)
    r = core.api_client.call_api("/kubesim/v1/clock", "PUT", body={"paused": paused},
                                 header_params={"Content-Type": "application/json"},
                                 auth_settings=["BearerToken"], _preload_content=False)
    print("clock:", json.loads(r[0].data))
    return 0


def compare(final, initial, watches):
    want = {}
    with open(final) as f:
        for line in f:
            if line.strip():
                name, rv = line.split()
                want[name] = int(rv)
    seqs = []
    bad = 0
    for path in watches:
        with open(path) as f:
            seq = [(t, n, int(rv)) for t, n, rv in (ln.split() for ln in f if ln.strip())]
        last = {}
        prev = 0
        # the first `initial` lines are the list (in name order); then every
        # event's resourceVersion is above the one before
        for i, (t, n, rv) in enumerate(seq):
            if i >= initial:
                if rv <= prev:
                    print(f"{path}: {t} {n} {rv} after {prev}: reordered")
                    bad += 1
                prev = rv
            if t == "DELETED":
                last.pop(n, None)
            else:
                last[n] = rv
        for name, rv in want.items():
            if last.get(name) != rv:
                print(f"{path}: {name} last seen at {last.get(name)}, the list says {rv}: missed")
                bad += 1
        for name in last:
            if name not in want:
                print(f"{path}: {name} still there for this watcher, gone from the list: missed")
                bad += 1
        seqs.append(seq)
    same = all(s == seqs[0] for s in seqs)
    if not same:
        print("the watchers saw different sequences")
        bad += 1
    print(f"{len(watches)} watchers: {len(seqs[0]) - initial} events each after the list of "
          f"{initial}, {'the same sequence' if same else 'DIFFERENT sequences'}; "
          f"{len(want)} pods at the end; {bad} missed or reordered")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "latency":
        sys.exit(latency(sys.argv[2], int(sys.argv[3])))
    if cmd == "raw":
        sys.exit(raw(sys.argv[2], int(sys.argv[3])))
    if cmd in ("pause", "resume"):
        sys.exit(clock(sys.argv[2], cmd == "pause"))
    if cmd == "compare":
        sys.exit(compare(sys.argv[2], int(sys.argv[3]), sys.argv[4:]))
    sys.exit(2)
