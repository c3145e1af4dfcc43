#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The house's floors: no include or call from a lower floor to a higher
one, and no cycle between files (a header is a file of its own: a .c that
includes the header of a .c it is called by is no cycle, a call back is).

Usage: floors.py SOURCE_DIR BUILD_DIR
Includes are read from the sources; calls from the object files' symbol
tables (nm), so a call through a prototype declared by hand is seen too.
"""
import os, re, subprocess, sys

# Lowest first. A folder may use its own floor and any floor below it;
# folders on the same floor (probes and nat) may not use each other.
FLOORS = [
    ["lib"],
    ["probes", "nat"],
    ["ddns"],
    ["ddns/redirect", "relay"],
    ["agent/config"],
    ["agent/diagnosis", "agent/import"],
    ["agent/daemon"],
    ["agent/cli"],
]
FOLDERS = [f for floor in FLOORS for f in floor]


def folder_of(path):
    d = os.path.dirname(path)
    return d if d in FOLDERS else None


def floor_of(folder):
    for i, floor in enumerate(FLOORS):
        if folder in floor:
            return i
    return None


def module_of(path):
    return path


def sources(src):
    out = []
    for folder in FOLDERS:
        d = os.path.join(src, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                out.append(os.path.join(folder, name))
    return out


def include_edges(src, files):
    edges = set()
    pat = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
    for f in files:
        text = open(os.path.join(src, f), encoding="utf-8").read()
        for inc in pat.findall(text):
            edges.add((f, inc, "includes"))
    return edges


def objects(src, build):
    """The objects of sources that exist (a moved file leaves its old
    object behind in the build tree)."""
    out = {}
    for root, _, names in os.walk(build):
        for n in names:
            if not n.endswith(".c.o"):
                continue
            p = os.path.join(root, n)
            m = re.search(r"\.dir/(.+)\.o$", p)
            if (m and folder_of(m.group(1))
                    and os.path.exists(os.path.join(src, m.group(1)))):
                out[m.group(1)] = p
    return out


def call_edges(src, build):
    objs = objects(src, build)
    defs, uses = {}, {}
    for f, p in objs.items():
        res = subprocess.run(["nm", p], capture_output=True, text=True,
                             check=True).stdout
        for line in res.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TDBR":
                defs[parts[2]] = f
            elif len(parts) == 2 and parts[0] == "U":
                uses.setdefault(f, set()).add(parts[1])
    edges = set()
    for f, syms in uses.items():
        for s in syms:
            if s in defs and defs[s] != f:
                edges.add((f, defs[s], "calls " + s))
    return edges


def main():
    src, build = sys.argv[1], sys.argv[2]
    files = sources(src)
    edges = include_edges(src, files) | call_edges(src, build)
    bad = []
    graph = {}
    for a, b, how in sorted(edges):
        fa, fb = folder_of(a), folder_of(b)
        if fb is None:
            bad.append(f"{a} {how} {b}: not in a floor")
            continue
        la, lb = floor_of(fa), floor_of(fb)
        if lb > la or (lb == la and fa != fb):
            bad.append(f"{a} ({fa}) {how} {b} ({fb}): up or sideways")
        ma, mb = module_of(a), module_of(b)
        if ma != mb:
            graph.setdefault(ma, {}).setdefault(mb, how + " in " + a)
    bad += cycles(graph)
    for line in bad:
        print("floors: " + line)
    print(f"floors: {len(files)} files, {len(edges)} edges, "
          f"{len(bad)} problems")
    return 1 if bad else 0


def cycles(graph):
    """Tarjan's strongly connected components; each one of more than one
    module is a cycle."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comp.sort()
                why = [f"{a} -> {b} ({graph[a][b]})" for a in comp
                       for b in comp if b in graph.get(a, {})]
                out.append("cycle: " + "; ".join(why))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main())
