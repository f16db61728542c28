#!/usr/bin/env python3
"""check_layers: every #include in src/ and every src/*/meson.build follows
the layer graph written in the top meson.build's comment ("layer F: deps"
and "header PREFIX...: folders" lines).

A folder may include "<g>/..." for every g it reaches through the layer
lines (itself included), and its meson.build may name only those folders'
*_dep. A system header whose name starts with a "header" line's prefix may
be included only by the folders that line names. Exits 1 listing each
violation as file:line; 0 when the tree follows the graph.

With --expect N (the checker's own test, on a tree made to break the
graph), exits 0 only when exactly N violations are found.

Usage: check_layers.py [--expect N] SOURCE_ROOT
"""
import os
import re
import sys

# Includes that break the graph today and live in code another change is
# reshaping. Each entry is (file, included folder or header prefix). A listed
# include that no longer occurs is reported too, so the list only shrinks.
KNOWN_EXCEPTIONS = set()

LAYER_RE = re.compile(r"^#\s+layer\s+([a-z_]+):(.*)$")
HEADER_RE = re.compile(r"^#\s+header\s+([^:]+):(.*)$")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
DEP_RE = re.compile(r"\b([a-z_]+)_dep\b")


def read_graph(root):
    layers, headers = {}, []
    with open(os.path.join(root, "meson.build"), encoding="utf-8") as f:
        for line in f:
            m = LAYER_RE.match(line)
            if m:
                layers[m.group(1)] = m.group(2).split()
                continue
            m = HEADER_RE.match(line)
            if m:
                headers.append((m.group(1).split(), set(m.group(2).split())))
    return layers, headers


def closure(layers, problems):
    """Folders each folder reaches (itself included); reports cycles and
    layers that name an undeclared folder."""
    reach = {}

    def visit(f, path):
        if f in reach:
            return reach[f]
        if f in path:
            problems.append("meson.build: the layer graph has a cycle: " +
                            " -> ".join(path + [f]))
            return {f}
        r = {f}
        for d in layers.get(f, []):
            if d not in layers:
                problems.append(f"meson.build: layer {f} names {d}, which has no layer line")
                continue
            r |= visit(d, path + [f])
        reach[f] = r
        return r

    for f in layers:
        visit(f, [])
    return reach


def main():
    args = sys.argv[1:]
    expect = None
    if len(args) == 3 and args[0] == "--expect" and args[1].isdigit():
        expect, args = int(args[1]), args[2:]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = args[0]
    layers, headers = read_graph(root)
    problems = []
    if not layers:
        print("meson.build: no '# layer F: deps' lines found", file=sys.stderr)
        return 1
    reach = closure(layers, problems)
    src = os.path.join(root, "src")
    seen_exceptions = set()
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    libs = set(layers)
    for folder in folders:
        if folder not in layers:
            problems.append(f"src/{folder}: no '# layer {folder}: ...' line in meson.build")
            continue
        allowed = reach[folder]
        build = os.path.join(src, folder, "meson.build")
        if os.path.exists(build):
            with open(build, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    code = line.split("#", 1)[0]
                    for dep in DEP_RE.findall(code):
                        if dep in libs and dep not in allowed:
                            problems.append(f"src/{folder}/meson.build:{n}: depends on "
                                            f"{dep}_dep, not below {folder}")
        for dirpath, _, files in os.walk(os.path.join(src, folder)):
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for n, line in enumerate(f, 1):
                        m = INCLUDE_RE.match(line)
                        if not m:
                            continue
                        kind, inc = m.groups()
                        if kind == '"' and "/" in inc:
                            target = inc.split("/", 1)[0]
                            if target in ("..", "."):
                                problems.append(f"{rel}:{n}: relative include \"{inc}\"")
                                continue
                            if target not in libs or target in allowed:
                                continue
                            if (rel, target) in KNOWN_EXCEPTIONS:
                                seen_exceptions.add((rel, target))
                                continue
                            problems.append(f"{rel}:{n}: includes \"{inc}\": {target} is not "
                                            f"below {folder}")
                        elif kind == "<":
                            for prefixes, owners in headers:
                                hit = next((p for p in prefixes if inc.startswith(p)), None)
                                if hit is None or folder in owners:
                                    continue
                                if (rel, hit) in KNOWN_EXCEPTIONS:
                                    seen_exceptions.add((rel, hit))
                                    continue
                                problems.append(f"{rel}:{n}: includes <{inc}>, which only "
                                                f"{' '.join(sorted(owners))} may include")
    for rel, target in sorted(KNOWN_EXCEPTIONS - seen_exceptions):
        if not os.path.exists(os.path.join(root, rel)):
            continue  # another tree (the checker's own test fixture)
        problems.append(f"{rel}: no longer includes {target}: remove it from "
                        "KNOWN_EXCEPTIONS in tests/check_layers.py")
    for rel, target in sorted(seen_exceptions):
        print(f"known exception: {rel} includes {target}")
    for p in problems:
        print(p)
    if expect is not None:
        print(f"{len(problems)} violation(s) found, {expect} expected")
        return 0 if len(problems) == expect else 1
    if problems:
        print(f"{len(problems)} layer violation(s); the graph is in meson.build's comment")
        return 1
    print(f"{len(folders)} folders follow the layer graph")
    return 0


if __name__ == "__main__":
    sys.exit(main())
