"""serve_columns.py KUBECONFIG COLUMNS -- every resource `kubesim serve`
lists in its discovery (/api/v1, /apis/GROUP/VERSION; subresources left
out) has a line in COLUMNS (check_serve_columns.sh: resource|namespaced|
columns, a * after a column of priority 1), and its Table (Accept:
application/json;as=Table;v=v1;g=meta.k8s.io, as kubectl asks) has exactly
those columns, in that order, with those priorities; the column named Name
has format "name". The kubeconfig's server, CA and token, read with PyYAML
(which python3-kubernetes brings); requests by urllib. Prints one line per
difference; exit 1 if any."""
import base64
import json
import ssl
import sys
import tempfile
import urllib.request

import yaml

cfg = yaml.safe_load(open(sys.argv[1]))
server = cfg["clusters"][0]["cluster"]["server"]
token = cfg["users"][0]["user"]["token"]
ca = cfg["clusters"][0]["cluster"].get("certificate-authority-data")
ctx = ssl.create_default_context()
if ca:
    with tempfile.NamedTemporaryFile("wb", suffix=".crt", delete=False) as f:
        f.write(base64.b64decode(ca))
    ctx.load_verify_locations(f.name)
    ctx.check_hostname = False
else:
    ctx = ssl._create_unverified_context()


def get(path, accept="application/json"):
    rq = urllib.request.Request(server + path, headers={
        "Authorization": "Bearer " + token, "Accept": accept})
    with urllib.request.urlopen(rq, context=ctx, timeout=30) as r:
        return json.load(r)


want = {}
for line in open(sys.argv[2]):
    parts = line.rstrip("\n").split("|")
    if len(parts) > 2:
        want[parts[0]] = parts[2:]

served = []
for r in get("/api/v1")["resources"]:
    if "/" not in r["name"]:
        served.append((r["name"], "/api/v1/" + r["name"]))
for g in get("/apis")["groups"]:
    for v in g["versions"]:
        for r in get("/apis/" + v["groupVersion"])["resources"]:
            if "/" not in r["name"]:
                served.append((r["name"] + "." + g["name"],
                               "/apis/" + v["groupVersion"] + "/" + r["name"]))

bad = 0
for name, path in served:
    if name not in want:
        print("FAIL: %s (%s) is served but has no columns to compare" % (name, path))
        bad += 1
        continue
    table = get(path, "application/json;as=Table;v=v1;g=meta.k8s.io")
    got = [c["name"] + ("*" if c.get("priority") else "") for c in table["columnDefinitions"]]
    if got != want[name]:
        print("FAIL: %s: columns %s, printers.go has %s" % (path, got, want[name]))
        bad += 1
    names = [c for c in table["columnDefinitions"] if c["name"] == "Name"]
    if names and names[0].get("format") != "name":
        print("FAIL: %s: the Name column's format is %r" % (path, names[0].get("format")))
        bad += 1
print("%d resources' Tables compared, %d differ" % (len(served), bad))
sys.exit(1 if bad else 0)
