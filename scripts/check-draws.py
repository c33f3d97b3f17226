#!/usr/bin/env python3
"""check-draws.py -- finds every expression of sim/ whose value depends on the
order in which C evaluates its parts, when those parts draw random numbers
or change shared state.

C leaves the order of a call's arguments (and of most operators' operands)
unspecified: gcc and clang pick differently, so `f(draw(), draw())` gives
different traces on different compilers (issue 22, item 12). A warning such
as -Wsequence-point sees only a variable written twice; this looks at calls.

How: clang dumps each file's syntax tree (-Xclang -ast-dump=json). A
function "draws" when it calls ks_rng_* or, transitively, a function that
draws (across all of sim/). A function "changes the sim" when it draws or
is one of a few calls that hand out names, ids or memory in order
(ksi_store_add, ksi_printf, ksi_zalloc, ks_event_*...). Then, wherever two
unsequenced parts of one expression -- two arguments of a call, the operands
of an operator other than && || , ?:, the items of an initializer -- each
contain a call that draws, or one draws and the other changes the sim, the
place is reported as file:line:col. Exit status 1 when any is found.

Usage: scripts/check-draws.py SIM_DIR [CLANG] [-v]
"""
import json
import os
import subprocess
import sys

DRAW_ROOTS = {"ks_rng_u64", "ks_rng_below", "ks_rng_unit", "ks_rng_exp"}
# Calls whose order others observe: what they emit (trace events, events
# on the queue, Kubernetes events, messages in a diagnostics list) comes
# out in the order they run. Functions that call them (transitively) emit.
EMIT_ROOTS = {"ks_trace_emit", "ks_event_schedule", "ks_event_after", "ksi_event",
              "ks_diag_error", "ks_diag_warn", "ks_diag_note", "ks_diag_add",
              "ksi_store_add", "ksi_store_added", "ksi_store_update", "ksi_store_remove"}
SEQUENCED_OPS = {"&&", "||", ","}


def ast_of(clang, path, include):
    out = subprocess.run([clang, "-Xclang", "-ast-dump=json", "-fsyntax-only", "-std=gnu11",
                          "-I", include, path], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        sys.exit(2)
    return json.loads(out.stdout)


def callees(node, acc):
    """Names of the functions called anywhere under node."""
    if node.get("kind") == "CallExpr":
        name = callee_name(node)
        if name:
            acc.add(name)
    for child in node.get("inner", []):
        callees(child, acc)
    return acc


def callee_name(call):
    """The function a CallExpr calls, when it is called by name."""
    inner = call.get("inner", [])
    if not inner:
        return None
    node = inner[0]
    while node.get("kind") in ("ImplicitCastExpr", "ParenExpr") and node.get("inner"):
        node = node["inner"][0]
    if node.get("kind") == "DeclRefExpr":
        return node.get("referencedDecl", {}).get("name")
    return None


def definitions(tree, path):
    """FunctionDecls with a body that belong to path (not to headers)."""
    current = None
    for decl in tree.get("inner", []):
        loc = decl.get("loc", {})
        current = loc.get("file", current) if "file" in loc else current
        if decl.get("kind") == "FunctionDecl" and any(
                c.get("kind") == "CompoundStmt" for c in decl.get("inner", [])):
            if current is None or os.path.samefile(current, path):
                yield decl


def where(node, last):
    """file:line:col where node begins. clang's JSON gives only what changed
    since the location written before it (loc, range.begin, range.end, in
    that order, node after node), so every one is read, in order, and the
    last values carried along."""
    def take(loc):
        loc = loc.get("expansionLoc", loc)
        for key in ("file", "line", "col"):
            if key in loc:
                last[key] = loc[key]
    rng = node.get("range", {})
    take(node.get("loc", {}))
    take(rng.get("begin", {}))
    begin = "%s:%s:%s" % (last.get("file", "?"), last.get("line", "?"), last.get("col", "?"))
    take(rng.get("end", {}))
    return begin


def marked_calls(node, effects, found):
    """Calls under node to functions that draw or emit."""
    if node.get("kind") == "CallExpr" and callee_name(node) in effects:
        found.append(callee_name(node))
    for child in node.get("inner", []):
        marked_calls(child, effects, found)
    return found


def unsequenced_groups(node):
    """The groups of sub-expressions of node that C evaluates in an
    unspecified order, or [] when node sequences its parts."""
    kind = node.get("kind")
    inner = node.get("inner", [])
    if kind == "CallExpr":
        return inner                       # the callee and every argument
    if kind in ("BinaryOperator", "CompoundAssignOperator"):
        return [] if node.get("opcode") in SEQUENCED_OPS else inner
    if kind == "InitListExpr":
        return inner
    if kind == "ArraySubscriptExpr":
        return inner
    return []


def scan(node, effects, last, problems):
    at = where(node, last)
    groups = unsequenced_groups(node)
    if len(groups) > 1:
        per_group = [marked_calls(g, effects, []) for g in groups]
        busy = [g for g in per_group if g]
        if len(busy) >= 2:
            names = sorted({n for g in busy for n in g})
            problems.append("%s: calls that draw or emit, in an order C leaves open: %s"
                            % (at, ", ".join(names)))
    for child in node.get("inner", []):
        scan(child, effects, last, problems)


def closure(roots, calls):
    """roots and every function that calls one of them, transitively."""
    out = set(roots)
    grew = True
    while grew:
        grew = False
        for name, cs in calls.items():
            if name not in out and cs & out:
                out.add(name)
                grew = True
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sim = [a for a in sys.argv[1:] if a != "-v"][0]
    args = [a for a in sys.argv[1:] if a != "-v"]
    clang = args[1] if len(args) > 1 else "clang"
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(sim) for f in fs
                   if f.endswith(".c"))
    bodies = {}
    for path in files:
        tree = ast_of(clang, path, sim)
        for fn in definitions(tree, path):
            bodies[(path, fn["name"])] = fn
    # by name: two static functions of one name merge, which can only add
    # drawing functions (more places checked), never hide one
    calls = {}
    for (_, name), fn in bodies.items():
        calls.setdefault(name, set()).update(callees(fn, set()))
    draws = closure(DRAW_ROOTS, calls)
    effects = closure(DRAW_ROOTS | EMIT_ROOTS, calls)
    problems = []
    for (path, _), fn in sorted(bodies.items(), key=lambda kv: kv[0]):
        scan(fn, effects, {"file": path}, problems)
    if "-v" in sys.argv:
        print("drawing functions: " + ", ".join(sorted(draws - DRAW_ROOTS)))
    for p in sorted(set(problems)):
        print(p)
    print("check-draws: %d functions draw random numbers, %d draw or emit; %d place(s) "
          "depend on the order C evaluates them in"
          % (len(draws - DRAW_ROOTS), len(effects), len(set(problems))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
