#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that lib/ keeps its layers (lib/README.md).

Builds two graphs of the files under lib/: includes (from the sources) and
calls (from `nm` of the objects listed in the build's compile_commands.json).
Then checks two rules:

  1. a module reaches only modules on a lower layer (no call or #include
     upwards or sideways);
  2. no two files reach each other in a loop (a strongly connected set of
     more than one file).

The layer table is lib/README.md's, so the document and the check cannot
drift apart. Every file must sit in a module's folder.

  check-layers.py SOURCE_ROOT BUILD_ROOT [--nm NM]
  check-layers.py --selftest [--cc CC] [--nm NM]

--selftest builds a small tree, checks it passes, then plants an upward
call, a cycle and an upward include, and checks each one is caught.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*`?([a-z]+)`?\s*\|\s*([^|]*)\|")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
UMBRELLA = "perfkit/perfkit.h"
SOURCE_EXT = (".c", ".cc", ".h")


def read_layers(readme):
    """{module: (layer, [public headers])} from lib/README.md's table."""
    layers = {}
    with open(readme, encoding="utf-8") as f:
        for line in f:
            m = ROW.match(line)
            if m:
                headers = re.findall(r"[a-z0-9_-]+\.h", m.group(3))
                layers[m.group(2)] = (int(m.group(1)), headers)
    if not layers:
        raise SystemExit(f"check-layers: no layer table in {readme}")
    return layers


def module_of(lib, path):
    rel = os.path.relpath(path, lib)
    parts = rel.split(os.sep)
    return parts[0] if len(parts) > 1 else None


def lib_files(lib):
    for top, _dirs, names in os.walk(lib):
        for n in names:
            if n.endswith(SOURCE_EXT):
                yield os.path.join(top, n)


def resolve_include(lib, dirs, src, name):
    """The file under lib/ that `#include "name"` in @src reaches, or None
    (a system, public or generated header)."""
    for d in [os.path.dirname(src)] + dirs:
        p = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(p) and p.startswith(lib + os.sep):
            return p
    return None


def umbrella_modules(lib, header_module):
    """The modules whose headers the umbrella header includes."""
    path = os.path.join(os.path.dirname(lib), "include", UMBRELLA)
    if not os.path.isfile(path):
        return set()
    with open(path, encoding="utf-8") as f:
        names = re.findall(r"#\s*include\s*[<\"]perfkit/([a-z0-9_-]+\.h)", f.read())
    return {header_module[n] for n in names if n in header_module}


def include_edges(lib, files, layers):
    """(from, to, why) for every include; `to` is a file, or a module name
    for a public header."""
    dirs = sorted({os.path.dirname(f) for f in files})
    header_module = {h: m for m, (_l, hs) in layers.items() for h in hs}
    umbrella = umbrella_modules(lib, header_module)
    edges = []
    for src in files:
        with open(src, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for name in INCLUDE.findall(text):
            if name == UMBRELLA:
                for m in sorted(umbrella - {module_of(lib, src)}):
                    edges.append((src, m, f'#include "{name}"'))
                continue
            if name.startswith("perfkit/"):
                m = header_module.get(os.path.basename(name).replace(".in", ""))
                if m:
                    edges.append((src, m, f'#include "{name}"'))
                continue
            target = resolve_include(lib, dirs, src, name)
            if target and target != src:
                edges.append((src, target, f'#include "{name}"'))
    return edges


def nm_symbols(nm, objects):
    """{object: (defined, undefined)} from one run of nm over all of them."""
    out = subprocess.run([nm, "-P", "-A"] + objects, capture_output=True,
                         text=True, check=True).stdout
    syms = {o: (set(), set()) for o in objects}
    for line in out.splitlines():
        head, _, rest = line.partition(": ")
        f = rest.split()
        if head not in syms or len(f) < 2:
            continue
        if f[1] == "U":
            syms[head][1].add(f[0])
        elif f[1] in "TDBRVW":
            syms[head][0].add(f[0])
    return syms


def call_edges(lib, build, nm):
    """(from, to, symbol) for every call or data reference between files of
    lib/, from the objects the build made."""
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        commands = json.load(f)
    objects = {}
    for c in commands:
        src = os.path.normpath(os.path.join(c["directory"], c["file"]))
        obj = os.path.join(c["directory"], c["output"])
        if src.startswith(lib + os.sep) and src not in objects:
            objects[src] = obj
    missing = [o for o in objects.values() if not os.path.exists(o)]
    if missing:
        raise SystemExit(f"check-layers: not built yet: {missing[0]} "
                         f"(and {len(missing) - 1} more)")
    owner, needs = {}, {}
    table = nm_symbols(nm, sorted(set(objects.values())))
    for src, obj in objects.items():
        d, u = table[obj]
        for s in d:
            owner.setdefault(s, src)
        needs[src] = u
    edges = []
    for src, syms in needs.items():
        for s in sorted(syms):
            to = owner.get(s)
            if to and to != src:
                edges.append((src, to, s))
    return edges, len(objects)


def cycles(edges):
    """Strongly connected sets of more than one file (Tarjan, iterative)."""
    graph = {}
    for a, b, _why in edges:
        if os.sep in b:  # module-level edges take no part
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    scc = []
                    while True:
                        x = stack.pop()
                        on.discard(x)
                        scc.append(x)
                        if x == v:
                            break
                    if len(scc) > 1:
                        out.append(sorted(scc))
            elif w not in index:
                index[w] = low[w] = counter[0]
                counter[0] += 1
                stack.append(w)
                on.add(w)
                work.append((w, iter(sorted(graph[w]))))
            elif w in on:
                low[v] = min(low[v], index[w])
    return out


def check(src_root, build, nm):
    """The list of problems (empty when the layers hold) and a summary."""
    lib = os.path.normpath(os.path.join(src_root, "lib"))
    layers = read_layers(os.path.join(lib, "README.md"))
    files = sorted(lib_files(lib))
    problems = []
    for f in files:
        m = module_of(lib, f)
        if m is None or m not in layers:
            problems.append(f"{os.path.relpath(f, src_root)}: in no module "
                            f"of lib/README.md's table")
    for m in layers:
        if not os.path.isdir(os.path.join(lib, m)):
            problems.append(f"lib/README.md names module '{m}', but lib/{m}/ "
                            f"does not exist")
    inc = include_edges(lib, files, layers)
    calls, nobj = call_edges(lib, build, nm)

    def rel(p):
        return p if os.sep not in p else os.path.relpath(p, src_root)

    for a, b, why in inc + calls:
        ma = module_of(lib, a)
        mb = b if os.sep not in b else module_of(lib, b)
        if ma == mb or ma not in layers or mb not in layers:
            continue
        la, lb = layers[ma][0], layers[mb][0]
        if lb >= la:
            kind = "upwards" if lb > la else "sideways"
            problems.append(f"{rel(a)} ({ma}, layer {la}) reaches {rel(b)} "
                            f"({mb}, layer {lb}) {kind}: {why}")
    for scc in cycles(inc + calls):
        links = [f"{rel(a)} -> {rel(b)} ({why})" for a, b, why in inc + calls
                 if a in scc and b in scc]
        problems.append("files that reach each other in a loop: " +
                        ", ".join(rel(f) for f in scc) + "\n    " +
                        "\n    ".join(links[:12]))
    summary = (f"{len(files)} files in {len(layers)} modules, {nobj} objects, "
               f"{len(calls)} call and {len(inc)} include edges")
    return problems, summary


# ---- self-test: the check must be able to fail ----

SELFTEST_README = """| layer | module | headers | owns |
|---|---|---|---|
| 0 | `common` | | helpers |
| 1 | `timer` | | clocks |
| 4 | `harness` | | workers |
"""

SELFTEST_TREE = {
    "common/a.c": "int pk_a(void) { return 1; }\n",
    "timer/b.c": "int pk_a(void);\nint pk_b(void) { return pk_a(); }\n",
    "harness/harness-private.h": "int pk_b(void);\n",
    "harness/c.c": '#include "harness-private.h"\nint pk_c(void) { return pk_b(); }\n',
}

PLANTS = {
    "an upward call": ("upwards", {
        "timer/b2.c": "int pk_c(void);\nint pk_b2(void) { return pk_c(); }\n"}),
    "a cycle": ("in a loop", {
        "common/a.c": "int pk_a2(void);\nint pk_a(void) { return pk_a2(); }\n",
        "common/a2.c": "int pk_a(void);\nint pk_a2(void) { return pk_a(); }\n"}),
    "an upward include": ("upwards", {
        "timer/b3.c": '#include "harness-private.h"\nint pk_b3(void) { return 3; }\n'}),
    "a file outside the modules": ("in no module", {
        "stray.c": "int pk_stray(void) { return 0; }\n"}),
}


def build_tree(root, files, cc):
    lib = os.path.join(root, "lib")
    with open(os.path.join(root, "README.md.tmp"), "w") as f:
        f.write(SELFTEST_README)
    os.makedirs(lib, exist_ok=True)
    os.replace(os.path.join(root, "README.md.tmp"), os.path.join(lib, "README.md"))
    incs = []
    for rel, text in files.items():
        p = os.path.join(lib, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        incs.append("-I" + os.path.dirname(p))
    build = os.path.join(root, "build")
    os.makedirs(build, exist_ok=True)
    commands = []
    for rel in files:
        if not rel.endswith(".c"):
            continue
        obj = rel.replace("/", "_") + ".o"
        src = os.path.join(lib, rel)
        subprocess.run([cc, "-c", src, "-o", os.path.join(build, obj)] +
                       sorted(set(incs)), check=True)
        commands.append({"directory": build, "file": src, "output": obj})
    with open(os.path.join(build, "compile_commands.json"), "w") as f:
        json.dump(commands, f)
    return build


def selftest(cc, nm):
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        problems, _ = check(d, build_tree(d, SELFTEST_TREE, cc), nm)
        if problems:
            print("selftest: the clean tree was refused:\n  " + "\n  ".join(problems))
            failures += 1
    for what, (expect, plant) in PLANTS.items():
        with tempfile.TemporaryDirectory() as d:
            problems, _ = check(d, build_tree(d, {**SELFTEST_TREE, **plant}, cc), nm)
            if not any(expect in p for p in problems):
                print(f"selftest: {what} was not caught (problems: {problems})")
                failures += 1
            else:
                print(f"selftest: {what} caught")
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source_root", nargs="?")
    ap.add_argument("build_root", nargs="?")
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.selftest:
        return 1 if selftest(a.cc, a.nm) else 0
    if not a.source_root or not a.build_root:
        ap.error("SOURCE_ROOT and BUILD_ROOT are needed")
    problems, summary = check(os.path.abspath(a.source_root),
                              os.path.abspath(a.build_root), a.nm)
    for p in problems:
        print("layers: " + p)
    print(("layers: FAILED, " if problems else "layers: ok, ") + summary)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
