#!/usr/bin/env python3
"""Generates sim/load/ks_schema_data.c: which fields each kind kubesim loads
has, read from Kubernetes' own Go types (k8s.io/api and k8s.io/apimachinery
at one release), so kubesim refuses an unknown field exactly where the API
server's strict decoding does (kubectl apply validates with
fieldValidation=Strict since 1.27).

    scripts/gen-schema.py API_GIT APIMACHINERY_GIT [TAG] > sim/load/ks_schema_data.c

API_GIT and APIMACHINERY_GIT are git directories of github.com/kubernetes/api
and github.com/kubernetes/apimachinery (bare clones are fine); TAG defaults to
v0.30.14 (Kubernetes 1.30). Only the field names and their JSON shapes
(object, list, map, value) are taken; the strict decoder reads JSON names
from the `json:"..."` tags, and `json:",inline"` embeds a struct's fields.
"""
import re
import subprocess
import sys

TAG = "v0.30.14"

# (apiVersion, kind) -> (package, Go type): every kind kubesim loads
# (sim/load/ks_manifest.c's kinds[]), in every apiVersion it accepts.
KINDS = [
    ("v1", "Namespace", "core/v1", "Namespace"),
    ("v1", "Node", "core/v1", "Node"),
    ("v1", "Pod", "core/v1", "Pod"),
    ("v1", "Service", "core/v1", "Service"),
    ("v1", "Endpoints", "core/v1", "Endpoints"),
    ("v1", "Secret", "core/v1", "Secret"),
    ("v1", "ConfigMap", "core/v1", "ConfigMap"),
    ("v1", "ServiceAccount", "core/v1", "ServiceAccount"),
    ("v1", "PersistentVolume", "core/v1", "PersistentVolume"),
    ("v1", "PersistentVolumeClaim", "core/v1", "PersistentVolumeClaim"),
    ("apps/v1", "Deployment", "apps/v1", "Deployment"),
    ("apps/v1", "ReplicaSet", "apps/v1", "ReplicaSet"),
    ("apps/v1", "StatefulSet", "apps/v1", "StatefulSet"),
    ("apps/v1", "DaemonSet", "apps/v1", "DaemonSet"),
    ("batch/v1", "Job", "batch/v1", "Job"),
    ("batch/v1", "CronJob", "batch/v1", "CronJob"),
    ("networking.k8s.io/v1", "Ingress", "networking/v1", "Ingress"),
    ("networking.k8s.io/v1beta1", "Ingress", "networking/v1beta1", "Ingress"),
    ("extensions/v1beta1", "Ingress", "extensions/v1beta1", "Ingress"),
    ("networking.k8s.io/v1", "IngressClass", "networking/v1", "IngressClass"),
    ("networking.k8s.io/v1", "NetworkPolicy", "networking/v1", "NetworkPolicy"),
    ("storage.k8s.io/v1", "StorageClass", "storage/v1", "StorageClass"),
    ("autoscaling/v2", "HorizontalPodAutoscaler", "autoscaling/v2", "HorizontalPodAutoscaler"),
    ("autoscaling/v1", "HorizontalPodAutoscaler", "autoscaling/v1", "HorizontalPodAutoscaler"),
]

API = "k8s.io/api/"
META = "k8s.io/apimachinery/pkg/apis/meta/v1"
# Types that decode from a JSON value of their own making: a string or a
# number (Quantity, IntOrString, Time...) or anything at all (RawExtension,
# FieldsV1: managedFields' fieldsV1).
VALUE = {
    ("k8s.io/apimachinery/pkg/api/resource", "Quantity"),
    ("k8s.io/apimachinery/pkg/util/intstr", "IntOrString"),
    (META, "Time"), (META, "MicroTime"), (META, "Duration"),
    ("k8s.io/apimachinery/pkg/types", "UID"),
    ("k8s.io/apimachinery/pkg/types", "NodeName"),
}
ANY = {
    ("k8s.io/apimachinery/pkg/runtime", "RawExtension"),
    (META, "FieldsV1"),
}
SCALARS = {"string", "bool", "byte", "int", "int32", "int64", "uint", "uint32", "uint64",
           "float32", "float64", "[]byte"}


class Repo:
    def __init__(self, git, prefix):
        self.git, self.prefix = git, prefix

    def run(self, *args):
        return subprocess.run(["git", "--git-dir", self.git, *args], check=True,
                              capture_output=True, text=True).stdout


class Package:
    """The named types of one Go package: name -> type expression (structs
    as ('struct', [(json name or None for inline, type expr)]))."""

    def __init__(self, path, files):
        self.path = path
        self.types = {}
        self.imports = {}
        for text in files:
            self.parse(text)

    def parse(self, text):
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        lines = [re.sub(r"//.*", "", l) for l in text.split("\n")]
        i = 0
        imports = {}
        while i < len(lines):
            line = lines[i].strip()
            if line.startswith("import ("):
                i += 1
                while lines[i].strip() != ")":
                    self.add_import(imports, lines[i].strip())
                    i += 1
            elif line.startswith("import "):
                self.add_import(imports, line[len("import "):])
            else:
                m = re.match(r"type (\w+) struct \{\s*$", line)
                if m:
                    fields = []
                    i += 1
                    while lines[i].strip() != "}":
                        f = self.field(lines[i].strip())
                        if f:
                            fields.append(f)
                        i += 1
                    self.types[m.group(1)] = (("struct", fields), imports)
                else:
                    m = re.match(r"type (\w+) (.+)$", line)
                    if m and not m.group(2).startswith(("interface", "func", "=")):
                        self.types[m.group(1)] = (m.group(2).strip(), imports)
            i += 1

    @staticmethod
    def add_import(imports, spec):
        m = re.match(r'(?:(\w+)\s+)?"([^"]+)"', spec)
        if m:
            path = m.group(2)
            imports[m.group(1) or path.split("/")[-1]] = path

    @staticmethod
    def field(line):
        m = re.match(r'^(?:(\w+)\s+)?([^\s`]+)\s+`([^`]*)`', line)
        if not m:
            return None
        tag = re.search(r'json:"([^"]*)"', m.group(3))
        if not tag:
            return None
        name = tag.group(1).split(",")[0]
        if name == "-":
            return None
        if name == "" and m.group(1) is None and ",inline" in tag.group(1):
            return (None, m.group(2))
        if name == "":
            name = m.group(1)
        return (name, m.group(2))


class Gen:
    def __init__(self, api, machinery, tag):
        self.repos = [Repo(api, API), Repo(machinery, "k8s.io/apimachinery/")]
        self.tag = tag
        self.pkgs = {}
        self.structs = []          # (key, [(json name, ref)])
        self.struct_index = {}
        self.refs = [("value", 0), ("any", 0)]
        self.ref_index = {("value", 0): 0, ("any", 0): 1}

    def package(self, path):
        if path not in self.pkgs:
            repo = next(r for r in self.repos if path.startswith(r.prefix))
            sub = path[len(repo.prefix):]
            names = repo.run("ls-tree", "--name-only", f"{self.tag}:{sub}").split()
            files = [repo.run("show", f"{self.tag}:{sub}/{n}") for n in names
                     if n.endswith(".go") and not n.endswith("_test.go")
                     and not n.startswith(("zz_generated", "generated.")) and "swagger" not in n]
            self.pkgs[path] = Package(path, files)
        return self.pkgs[path]

    def ref(self, kind, arg):
        key = (kind, arg)
        if key not in self.ref_index:
            self.ref_index[key] = len(self.refs)
            self.refs.append(key)
        return self.ref_index[key]

    def resolve(self, pkg, imports, expr):
        """The ref of type expression expr written in package pkg."""
        expr = expr.lstrip("*")
        if expr in SCALARS:
            return 0
        if expr.startswith("[]"):
            return self.ref("list", self.resolve(pkg, imports, expr[2:]))
        m = re.match(r"map\[([\w.]+)\](.+)$", expr)
        if m:
            return self.ref("map", self.resolve(pkg, imports, m.group(2)))
        if "." in expr:
            alias, name = expr.split(".", 1)
            path = imports[alias]
        else:
            path, name = pkg.path, expr
        if (path, name) in VALUE:
            return 0
        if (path, name) in ANY:
            return 1
        return self.named(path, name)

    def named(self, path, name):
        key = (path, name)
        if key in self.struct_index:
            return self.ref("struct", self.struct_index[key])
        pkg = self.package(path)
        if name not in pkg.types:
            raise SystemExit(f"gen-schema: {path}.{name} not found")
        body, imports = pkg.types[name]
        if isinstance(body, str):
            return self.resolve(pkg, imports, body)
        idx = len(self.structs)
        self.struct_index[key] = idx
        self.structs.append((key, None))
        fields = {}
        self.collect(pkg, imports, body[1], fields)
        self.structs[idx] = (key, sorted(fields.items()))
        return self.ref("struct", idx)

    def collect(self, pkg, imports, flist, fields):
        for name, expr in flist:
            if name is None:                       # ,inline: the struct's fields here
                expr = expr.lstrip("*")
                if "." in expr:
                    alias, tname = expr.split(".", 1)
                    ipkg = self.package(imports[alias])
                else:
                    ipkg, tname = pkg, expr
                body, iimports = ipkg.types[tname]
                self.collect(ipkg, iimports, body[1], fields)
            else:
                fields[name] = self.resolve(pkg, imports, expr)

    def emit(self, out):
        kinds = [(a, k, self.named(API + p, t)) for a, k, p, t in KINDS]
        w = out.write
        w("/* ks_schema_data.c -- GENERATED by scripts/gen-schema.py from Kubernetes'\n"
          f" * Go types (k8s.io/api and k8s.io/apimachinery {self.tag}): the fields of\n"
          " * every kind kubesim loads, as the API server's strict decoding knows them.\n"
          " * Do not edit; run the script. */\n")
        w('#include "internal/schema.h"\n\n')
        w("const ksi_sfield ksi_schema_fields[] = {\n")
        first = []
        n = 0
        for (path, name), fields in self.structs:
            first.append(n)
            w(f"    /* {path.replace(API, '').replace('k8s.io/apimachinery/pkg/apis/', '')}"
              f".{name} */\n")
            line = "   "
            for fname, ref in fields:
                item = f' {{"{fname}", {ref}}},'
                if len(line) + len(item) > 96:
                    w(line + "\n")
                    line = "   "
                line += item
                n += 1
            if line.strip():
                w(line + "\n")
        w("};\n\n")
        w("const ksi_sstruct ksi_schema_structs[] = {\n")
        for i, ((path, name), fields) in enumerate(self.structs):
            w(f'    {{"{name}", {first[i]}, {len(fields)}}},\n')
        w("};\n\n")
        kindc = {"value": "KSI_S_VALUE", "any": "KSI_S_ANY", "struct": "KSI_S_STRUCT",
                 "list": "KSI_S_LIST", "map": "KSI_S_MAP"}
        w("const ksi_sref ksi_schema_refs[] = {\n")
        line = "   "
        for kind, arg in self.refs:
            item = f" {{{kindc[kind]}, {arg}}},"
            if len(line) + len(item) > 96:
                w(line + "\n")
                line = "   "
            line += item
        w(line + "\n};\n\n")
        w("const ksi_skind ksi_schema_kinds[] = {\n")
        for a, k, ref in kinds:
            w(f'    {{"{a}", "{k}", {ref}}},\n')
        w("    {0, 0, 0},\n};\n")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    Gen(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else TAG).emit(sys.stdout)


if __name__ == "__main__":
    main()
