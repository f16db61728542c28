#!/usr/bin/env python3
"""check_dump_doc: every key the explorer writes in a dump-state file is
written down in docs/dump-state.md.

For each dump, each top-level key must be in the doc's top-level table, and
each nested key's name must stand in backticks in the section of its
top-level object ("### `name`"); the children of "buttons" objects are
control ids (data, not schema) and timing's "<x>_..." keys stand for work,
interval and click. Exits 1 naming each undocumented key as a dotted path.

Usage: check_dump_doc.py DOC DUMP.json...
"""
import json
import re
import sys

TICK_RE = re.compile(r"`([^`]+)`")


def sections(doc):
    """Backticked words of the top-level table and of each "### `x`" section."""
    out, cur = {"": set()}, ""
    for line in doc.splitlines():
        m = re.match(r"^###\s+`([a-z_]+)`", line)
        if m:
            cur = m.group(1)
            out.setdefault(cur, set())
            continue
        if line.startswith("## "):
            cur = ""
        for word in TICK_RE.findall(line):
            for part in re.split(r"[\s,.]+", word):
                out[cur].add(part)
                for x in ("work", "interval", "click"):
                    out[cur].add(part.replace("<x>", x))
    return out


def keys(value, path):
    """Dotted paths of every object key below value ([] marks array items)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path + [k]
            if k != "buttons":
                yield from keys(v, path + [k])
    elif isinstance(value, list):
        for v in value:
            yield from keys(v, path + ["[]"])


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = sections(f.read())
    missing, total = set(), 0
    for dump in sys.argv[2:]:
        with open(dump, encoding="utf-8") as f:
            root = json.load(f)
        for path in keys(root, []):
            total += 1
            top, leaf = path[0], path[-1]
            if len(path) == 1:
                ok = top in doc[""]
            else:
                ok = leaf in doc.get(top, set())
            if not ok:
                missing.add(".".join(path))
    for p in sorted(missing):
        print(f"{sys.argv[1]}: dump key \"{p}\" is not written down")
    if missing:
        return 1
    print(f"{len(sys.argv) - 2} dumps, {total} keys, all in {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
