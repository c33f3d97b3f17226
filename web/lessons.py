#!/usr/bin/env python3
"""web/lessons.py SCENARIOS_DIR -- the page's list of lessons and exercises
(lessons.json, written by scripts/build-web.sh): for each lesson its file,
title and what it teaches (the "What it teaches:" paragraph of its header
comment); for each exercise its folder, title, task (its header comment),
the learner's files (k8s/) and the solution's (solution/k8s/)."""
import json
import os
import re
import sys

import yaml


def header(path):
    """The comment lines at the top of the file, without the '# '."""
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            lines.append(line[1:].strip())
    return lines


def paragraph(lines, start):
    """The text after the line starting with `start`, up to the next
    'Word ...:' heading or blank line."""
    out, on = [], False
    for line in lines:
        if line.startswith(start):
            on = True
            line = line[len(start):].strip()
        elif on and (not line or re.match(r"^[A-Z][a-z ]+:", line)):
            break
        if on and line:
            out.append(line)
    return " ".join(out)


def scenario(path):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if isinstance(d, dict)]
    for d in docs:
        if d.get("kind") == "Scenario":
            return d
    return None


def files(root, sub):
    d = os.path.join(root, sub)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(sub, n) for n in os.listdir(d)
                  if n.endswith((".yaml", ".yml", ".json")))


def main():
    top = sys.argv[1]
    lessons, exercises = [], []
    for name in sorted(os.listdir(top)):
        path = os.path.join(top, name)
        if not name.endswith(".yaml") or not os.path.isfile(path):
            continue
        sc = scenario(path)
        if not sc:
            continue
        lines = header(path)
        meta, spec = sc.get("metadata", {}), sc.get("spec", {})
        lessons.append({
            "id": name[:-5],
            "file": "/scenarios/" + name,
            "title": meta.get("title") or meta.get("name"),
            "teaches": paragraph(lines, "What it teaches:"),
            "watch": paragraph(lines, "What to watch:"),
            "duration": str(spec.get("duration", "")),
        })
    exdir = os.path.join(top, "exercises")
    for name in sorted(os.listdir(exdir)) if os.path.isdir(exdir) else []:
        d = os.path.join(exdir, name)
        path = os.path.join(d, "exercise.yaml")
        if not os.path.isfile(path):
            continue
        sc = scenario(path) or {}
        meta = sc.get("metadata", {})
        lines = header(path)
        task = " ".join(l for l in lines[1:] if l) if lines else ""
        exercises.append({
            "id": name,
            "dir": "/scenarios/exercises/" + name,
            "title": meta.get("title") or meta.get("name"),
            "task": task,
            "files": files(d, "k8s"),
            "solution": files(d, os.path.join("solution", "k8s")),
            "goals": [g.get("title") or g.get("id") for g in sc.get("spec", {}).get("goals", [])],
        })
    if not lessons:
        sys.exit("lessons.py: error: no lessons (kind: Scenario) in %s" % top)
    json.dump({"lessons": lessons, "exercises": exercises}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
