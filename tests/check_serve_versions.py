#!/usr/bin/env python3
"""check_serve_versions.py KUBESIM FILE_OR_DIR... -- serves each scenario (a
lesson, an exercise folder, a tests/scenarios file) at 64x with
KUBESIM_SERVE_CHECK_VERSIONS=1 and a watch of every pod open, so that the
server syncs after every advance of the simulation: it aborts when a pod it
kept for its unchanged version (ks_cluster_version) builds otherwise, i.e.
when the simulation changed a pod without moving its version
(server/ksv_store.c). A watch of pods and one of claims also check that an
object's deletionTimestamp, once set, never moves (the API server sets it
once; a claim's was the simulated now of each build). Runs each scenario
to its end (the clock stops moving). Exit 0 when every one ran clean, 1 otherwise (the server's words
printed)."""
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def kubeconfig(path):
    text = open(path).read()
    server = re.search(r'server: (\S+)', text).group(1)
    token = re.search(r'token: (\S+)', text).group(1)
    return server, token


def request(server, token, path, timeout=30):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    rq = urllib.request.Request(server + path, headers={'Authorization': 'Bearer ' + token})
    return urllib.request.urlopen(rq, context=ctx, timeout=timeout)


def deletion_times(resp, moved):
    """Reads a watch's events; adds to moved each object whose
    deletionTimestamp changed once set."""
    seen = {}
    try:
        for line in resp:
            try:
                meta = json.loads(line)['object']['metadata']
            except Exception:
                continue
            ts = meta.get('deletionTimestamp')
            if not ts:
                continue
            key = meta.get('uid')
            if seen.setdefault(key, ts) != ts:
                moved.append('%s/%s: deletionTimestamp %s, then %s' %
                             (meta.get('namespace'), meta.get('name'), seen[key], ts))
                seen[key] = ts
    except Exception:
        pass


def duration(scen):
    f = os.path.join(scen, 'exercise.yaml') if os.path.isdir(scen) else scen
    m = re.search(r'^\s+duration:\s*(\S+)', open(f).read(), re.M)
    return m.group(1) if m else '10m'


def run_one(kubesim, scen, tmp):
    kc = os.path.join(tmp, 'kubeconfig')
    if os.path.exists(kc):
        os.unlink(kc)
    err = open(os.path.join(tmp, 'server.err'), 'w+')
    env = dict(os.environ, KUBESIM_SERVE_CHECK_VERSIONS='1')
    srv = subprocess.Popen([kubesim, 'serve', scen, '--speed', '64', '--kubeconfig', kc,
                            '--until', duration(scen)],
                           stdout=subprocess.DEVNULL, stderr=err, env=env)
    problem = None
    try:
        for _ in range(600):
            if os.path.exists(kc) or srv.poll() is not None:
                break
            time.sleep(0.1)
        time.sleep(0.2)
        if srv.poll() is not None:
            problem = 'serve exited with %d before it served' % srv.returncode
            return problem
        server, token = kubeconfig(kc)
        moved = []
        for kind in ('pods', 'persistentvolumeclaims'):
            watch = request(server, token, '/api/v1/%s?watch=1' % kind, timeout=3600)
            threading.Thread(target=deletion_times, args=(watch, moved), daemon=True).start()
        last, still = -1, 0
        while still < 3:
            time.sleep(0.5)
            if srv.poll() is not None:
                break
            try:
                now = json.load(request(server, token, '/kubesim/v1/clock'))['nowMicros']
            except Exception:
                break
            still = still + 1 if now == last else 0
            last = now
        if srv.poll() is not None:
            problem = 'serve ended with %d' % srv.returncode
        elif moved:
            problem = 'a deletionTimestamp moved: ' + '; '.join(moved[:5])
        return problem
    finally:
        if srv.poll() is None:
            srv.send_signal(signal.SIGINT)
            try:
                srv.wait(20)
            except subprocess.TimeoutExpired:
                srv.kill()
                srv.wait()
        err.seek(0)
        words = err.read()
        if 'without a new version' in words and not problem:
            problem = 'a pod changed without a new version'
        if problem:
            print('FAIL: %s: %s\n%s' % (scen, problem, words[-4000:]))


def main():
    kubesim, paths = sys.argv[1], sys.argv[2:]
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        for scen in paths:
            t = time.time()
            if run_one(kubesim, scen, tmp):
                fails += 1
            else:
                print('ok: %s (%.0f s)' % (scen, time.time() - t), flush=True)
    print('%d served, %d failed' % (len(paths), fails))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
