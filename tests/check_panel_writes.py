#!/usr/bin/env python3
"""check_panel_writes: no file of src/app writes another panel's state.

Each panel's state is one App field (app_impl.h), owned by the panel's own
files (OWNERS below). In every other file of src/app this lists each place
that writes into that field:

  - an assignment (=, op=, ++, --) to a->FIELD... or app->FIELD...;
  - memset / memcpy into it;
  - a write through a pointer taken from it (AppTrain *tr = &a->train;
    then tr->x = ...), the pointer's name followed to the end of the
    function;
  - its address passed to a function (&a->samp.valid): the callee may write
    (unless it is one of CONST_CALLS, which take a const pointer, or a
    function defined in the panel's own files: then the panel writes its
    own state, at the caller's request, as x_init/x_forget do).

Reads are fine (a const context is the panel shape's world view), and so is
a pointer declared const. It reads the C text line by line, so a write
hidden behind a macro or a function that takes App * is not seen: the
check is a floor, not a proof.

Exits 1 listing each write as file:line that is not in KNOWN, or when a
KNOWN entry no longer occurs (the list only shrinks); 0 otherwise. With
--count it prints the number of writes found (KNOWN included) and exits 0.

Usage: check_panel_writes.py [--count] SOURCE_ROOT
"""
import os
import re
import sys

# The App field of each panel, and the files that own it: in src/app, or in
# src/explore for a panel's headless part (proj.c, save_job.c, neigh.c,
# session.c), whose functions the panel calls on its own state.
OWNER_DIRS = ("app", "explore")
OWNERS = {
    "train": {"view_train.c", "train_run.c", "train_live.c", "train_dump.c", "view_curves.c"},
    "walk": {"view_interp.c", "walk_gif.c", "walk_dump.c"},
    "samp": {"view_sample.c", "sample_app.c"},
    "draw": {"view_draw.c", "draw_app.c"},
    "uncert": {"view_uncert.c", "uncert_app.c"},
    "proj": {"view_proj.c", "proj.c"},
    "files": {"view_files.c", "save_job.c"},
    "neigh": {"view_neigh.c", "neigh_app.c", "neigh.c"},
    "pres": {"presenter.c", "session.c"},
    "cmp": {"compare.c", "view_compare.c"},
    "cur": {"latent.c", "cursor.c"},
    "sliders": {"view_sliders.c", "latent.c"},
}

# Functions that take the address they are given as a const pointer: passing
# &a->FIELD to them is a read.
CONST_CALLS = {"gfx_points_pending"}

# Writes that remain, each (file, field) with why; an entry that no longer
# occurs is reported, so the list only shrinks.
KNOWN = {}

FIELDS = "|".join(OWNERS)
CHAIN = r"(?:(?:\.|->)\w+|\[[^\]]*\])*"
ASSIGN = r"\s*(?:[-+*/|&^]|<<|>>)?=(?!=)|\s*(?:\+\+|--)"
DIRECT_RE = re.compile(r"\b(?:a|app)->(" + FIELDS + r")\b" + CHAIN + r"(?:" + ASSIGN + r")")
PRE_RE = re.compile(r"(?:\+\+|--)\s*(?:a|app)->(" + FIELDS + r")\b")
# an address taken (&a->f), not a logical and (x && a->f)
ADDR_RE = re.compile(r"(?<!&)&(?!&)\s*(?:a|app)->(" + FIELDS + r")\b" + CHAIN)
ALIAS_RE = re.compile(
    r"^\s*(const\s+)?\w+\s*\*\s*(\w+)\s*=\s*(&\s*)?(?:a|app)->(" + FIELDS + r")\b" + CHAIN + r"\s*;")
COMMENT_RE = re.compile(r"/\*.*?\*/|//.*$")
STRING_RE = re.compile(r'"(?:\\.|[^"\\])*"')


def strip(line, in_comment):
    """The line without comments and string literals; whether a comment
    stays open after it."""
    if in_comment:
        end = line.find("*/")
        if end < 0:
            return "", True
        line = line[end + 2:]
    line = STRING_RE.sub('""', line)
    line = COMMENT_RE.sub("", line)
    start = line.find("/*")
    if start >= 0:
        return line[:start], True
    return line, False


DEF_RE = re.compile(r"^[A-Za-z_][\w\s\*]*?\b(\w+)\s*\([^;]*$")


def own_functions(src):
    """Per field, the functions its owner files define (not static)."""
    funcs = {}
    for field, files in OWNERS.items():
        funcs[field] = set()
        for name, folder in ((n, d) for n in files for d in OWNER_DIRS):
            path = os.path.join(src, folder, name)
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                for raw in f:
                    m = DEF_RE.match(raw)
                    if m and not raw.startswith(("static", "typedef", "return")):
                        funcs[field].add(m.group(1))
    return funcs


def writes_in(path, name, own):
    found = []
    aliases = {}  # pointer name -> field, until the function ends
    in_comment = False
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            if raw.startswith("}"):
                aliases = {}
            line, in_comment = strip(raw.rstrip("\n"), in_comment)
            m = ALIAS_RE.match(line)
            if m:
                if not m.group(1):
                    aliases[m.group(2)] = m.group(4)
                continue
            hits = set()
            for m in DIRECT_RE.finditer(line):
                hits.add(m.group(1))
            for m in PRE_RE.finditer(line):
                hits.add(m.group(1))
            for m in ADDR_RE.finditer(line):
                call = re.search(r"\b(\w+)\s*\(\s*$", line[:m.start()])
                if not call or (call.group(1) not in CONST_CALLS and
                                call.group(1) not in own[m.group(1)]):
                    hits.add(m.group(1))
            for alias, field in aliases.items():
                a = re.escape(alias)
                if re.search(r"\b" + a + r"->\w+" + CHAIN + r"(?:" + ASSIGN + r")", line) or \
                        re.search(r"(?:\+\+|--)\s*" + a + r"->", line) or \
                        re.search(r"(?<!&)&(?!&)\s*" + a + r"->", line) or \
                        re.search(r"\bmem(?:set|cpy|move)\s*\(\s*" + a + r"\b", line):
                    hits.add(field)
            for field in sorted(hits):
                if name not in OWNERS[field]:
                    found.append((no, field, raw.strip()))
    return found


def main(argv):
    count = "--count" in argv
    args = [x for x in argv[1:] if x != "--count"]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1])
        return 2
    app = os.path.join(args[0], "src", "app")
    total, bad, seen = 0, 0, set()
    own = own_functions(os.path.join(args[0], "src"))
    for name in sorted(os.listdir(app)):
        if not name.endswith(".c"):
            continue
        for no, field, text in writes_in(os.path.join(app, name), name, own):
            total += 1
            seen.add((name, field))
            if count or (name, field) in KNOWN:
                print(f"src/app/{name}:{no}: writes {field}: {text}")
                continue
            print(f"src/app/{name}:{no}: writes another panel's state ({field}): {text}")
            bad += 1
    for (name, field) in sorted(set(KNOWN) - seen):
        print(f"check_panel_writes: known write of {field} in src/app/{name} no longer "
              "occurs: remove it from KNOWN")
        bad += 1
    print(f"check_panel_writes: {total} write(s) of another panel's state")
    return 0 if count or bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
