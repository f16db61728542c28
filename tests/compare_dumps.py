#!/usr/bin/env python3
"""compare_dumps: the explorer's dump-state files from two binaries (or a
stored golden set and a binary) on the same script and the same models must
say the same thing, measurements aside.

Every key of a BASE dump must be in the CUR dump of the same name with an
equal value (numbers exactly: decodes and encodes are deterministic for a
given model, script, window and build; SHA-1s are strings), and every key of
CUR must be in BASE, except:
  - IGNORED paths (below, each with why): measurements of the run;
  - ADDED paths: keys the explorer gained on purpose since 9bd5ad1, the
    binary the tour was first compared with (each with the commit),
    present only in CUR;
  - values of one worker's job in different STAGES.
Strings have the run's directories replaced by tokens first (--subst), so
`model.path` under two temporary folders compares equal.

Usage:
  compare_dumps.py [--tol REL] [--subst SIDE:DIR=TOKEN]... BASE CUR
      BASE, CUR: folders of *.json (the names must match) or two files.
      SIDE is base or cur. Prints each difference as a dotted path with both
      values; exits 1 on any difference not ignored or added. --tol: numbers
      within REL of each other (relative, at least 1 absolute unit) count
      as equal; strings (SHA-1s) are always compared exactly.
  compare_dumps.py --strip [--subst base:DIR=TOKEN]... IN_DIR OUT_DIR
      Writes IN_DIR's dumps to OUT_DIR without the IGNORED paths and with
      the substitutions made: the golden set a later binary is held to.
"""
import fnmatch
import json
import os
import sys

# Paths (dotted, array items as []; fnmatch patterns) that measure this run
# rather than say what the window holds. Their reasons are the contract: a
# path goes here only if two runs of one binary may differ in it.
IGNORED = {
    "timing": "frame-time statistics: clocks of this run (docs: Times differ between runs)",
    "timing.*": "the same",
    "fps": "frames per second: a clock",
    "frame": "frames drawn since start: how many frames the map took to encode "
             "(and, at Z > 2, to lay out) before wait-ready let the script go on",
    "*_ms": "a duration measured in this run (draw_ms, prep_ms, encode_ms, search_ms, "
            "place_ms, save_ms, gif_ui_ms)",
    "*_per_s": "a speed measured in this run (samples_per_s, its_per_s)",
    "*.eta_s": "estimated from a measured speed",
    "walk.gif_seconds": "a duration measured in this run",
    "ui.toasts": "toasts on screen: each lives a few seconds, so whether one raised a few "
                 "frames before a dump is still up depends on the frame rate (measured: "
                 "2 or 3 in one dump on a loaded machine)",
}
# Values that are stages of one worker's job: equal when both are in one set.
# The digit classifier loads or trains on a worker, so 'loading', 'training'
# or 'ready' at a dump depends on the worker's speed; 'none' (never started)
# and 'failed' still count.
STAGES = {
    "walk.classifier": {"loading", "training", "ready"},
}
# Dumps at Z > 2: whether a t-SNE layout was taken before the script chose
# PCA depends on the t-SNE worker's speed, and each layout taken counts.
IGNORED_ZGT2 = {
    "projection.seq": "layouts the UI took: t-SNE steps published before PCA was chosen",
    "walk.map_layout_seq": "projection.seq when the path was placed",
    "map.layer.redraws": "the point layer is drawn again for each layout taken",
    "map.layer.exact": "false while a moved view shows an older layout's layer",
    "map.layer.transformed_frames": "the same",
}
# Dumps at Z > 2 while t-SNE is the chosen projection: it runs on its worker
# while the script goes on, so the iterations done at a dump, and all that
# is read off the layout of that moment, depend on the machine's speed.
IGNORED_TSNE = {
    "projection.method": "'pca' until the first t-SNE layout is taken, then 'tsne'",
    "projection.iter": "t-SNE iterations done at the dump",
    "projection.kl": "t-SNE's KL at the iteration reached",
    "projection.layout": "the layout at the iteration reached",
    "projection.layout.[]": "the same",
    "projection.state": "running or done, by the worker's speed",
    "projection.message": "names the iteration reached",
    "view.center": "the view fitted to the layout of that moment",
    "view.center.[]": "the same",
    "view.scale": "the same",
    "map.layer.drawn_view": "the view the point layer was drawn for (as view)",
    "map.layer.drawn_view.[]": "the same",
    "map.hover": "the point under the mouse in the layout of that moment",
    "walk.map_points": "0 until the path is placed into a layout",
    "walk.map_stops": "the stops placed into the layout of that moment",
    "walk.map_stops.*": "the same",
    "draw.map_xy": "the drawn digit placed into the layout of that moment",
    "draw.map_xy.[]": "the same",
    "uncertainty.sources": "which point is hovered, and where the sources sit, in the "
                           "layout of that moment",
    "uncertainty.sources.*": "the same",
}

# Keys added on purpose after the golden set's binary (9bd5ad1), with the
# commit that added each: present in CUR only.
ADDED = {
    "ui.dpi_scale": "ebe692a explorer: text follows X11 DPI",
    "ui.display_dpi": "ebe692a explorer: text follows X11 DPI",
    "ui.cut_across": "ebe692a explorer: every panel's text fits at 1024x768",
    "ui.cut_down": "ebe692a the same",
    "ui.cut_text": "ebe692a the same",
    "dialog.saves": "bc98296 files-gui waits for the save to finish",
    "training.step_pending": "a8e9691 train-gui waits for the single step",
}


# Numbers compare exactly unless --tol REL is given (then |a - b| <= REL *
# max(1, |a|, |b|)): a build with other float code (ASan at -O2, a portable
# build without run-time dispatch) encodes the same images with results a
# few ulps apart, while SHA-1s, indices, labels and rects stay equal.
TOL = 0.0


def matches(path, table):
    for pat in table:
        if fnmatch.fnmatchcase(path, pat):
            return pat
    return None


def subst(value, pairs):
    if isinstance(value, str):
        for old, new in pairs:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [subst(v, pairs) for v in value]
    if isinstance(value, dict):
        return {k: subst(v, pairs) for k, v in value.items()}
    return value


def ignored(path, kind):
    """kind of dump: "" (Z = 2), "zgt2" (Z > 2, PCA) or "tsne"."""
    return (matches(path, IGNORED) or (kind and matches(path, IGNORED_ZGT2)) or
            (kind == "tsne" and matches(path, IGNORED_TSNE)))


# Stripped (golden) files keep a number array longer than this as a summary:
# its length, the sum of its absolute values and its first SUMMARY_HEAD
# items (a Z > 2 layout is 20,000 numbers per dump).
SUMMARY_AT, SUMMARY_HEAD = 1000, 64


def summary(arr):
    return {"@len": len(arr), "@abs_sum": sum(abs(x) for x in arr),
            "@head": arr[:SUMMARY_HEAD]}


def is_numbers(v):
    return isinstance(v, list) and all(isinstance(x, (int, float)) and
                                       not isinstance(x, bool) for x in v)


def strip(value, path, kind):
    """value without the ignored paths below it, long number arrays summarised."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            p = f"{path}.{k}" if path else k
            if not ignored(p, kind):
                out[k] = strip(v, p, kind)
        return out
    if isinstance(value, list):
        if len(value) > SUMMARY_AT and is_numbers(value):
            return summary(value)
        return [strip(v, path + ".[]", kind) for v in value]
    return value


def short(v):
    s = json.dumps(v)
    return s if len(s) <= 120 else s[:117] + "..."


def diff(a, b, path, kind, out):
    """Differences of b from a as (kind, path, a, b); kind: missing, new, changed."""
    if isinstance(a, dict) and "@len" in a and is_numbers(b):
        b = summary(b)  # a golden file's summary of a long array
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            p = f"{path}.{k}" if path else k
            if ignored(p, kind):
                continue
            if k not in b:
                out.append(("missing", p, a[k], None))
            else:
                diff(a[k], b[k], p, kind, out)
        for k in b:
            p = f"{path}.{k}" if path else k
            if k not in a and not ignored(p, kind):
                out.append(("new", p, None, b[k]))
        return
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        bad = []
        for i, (x, y) in enumerate(zip(a, b)):
            sub = []
            diff(x, y, f"{path}.[]", kind, sub)
            if sub:
                bad.append(i)
        if bad:  # one line for the array: where it first differs
            out.append(("changed", f"{path}[{bad[0]}] ({len(bad)} of {len(a)} items differ)",
                        a[bad[0]], b[bad[0]]))
        return
    if TOL and isinstance(a, (float, int)) and isinstance(b, (float, int)) and \
            not isinstance(a, bool) and not isinstance(b, bool):
        if abs(a - b) <= TOL * max(1.0, abs(a), abs(b)):
            return
    stage = STAGES.get(path)
    if stage and a in stage and b in stage:
        return
    if type(a) is not type(b) or a != b:
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
                not isinstance(a, bool) and not isinstance(b, bool) and a == b:
            return
        out.append(("changed", path, a, b))


def load(path, pairs):
    with open(path, encoding="utf-8") as f:
        return subst(json.load(f), pairs)


def kind_of(dump):
    if dump.get("model", {}).get("latent", 0) <= 2:
        return ""
    return "tsne" if dump.get("projection", {}).get("chosen") == "tsne" else "zgt2"


def pairs_of(dirs):
    if os.path.isfile(dirs[0]):
        return [(dirs[0], dirs[1])]
    names = sorted(n for n in os.listdir(dirs[0]) if n.endswith(".json"))
    extra = sorted(set(n for n in os.listdir(dirs[1]) if n.endswith(".json")) - set(names))
    if extra:
        sys.exit(f"compare_dumps: {dirs[1]} has dumps {dirs[0]} has not: {' '.join(extra)}")
    return [(os.path.join(dirs[0], n), os.path.join(dirs[1], n)) for n in names]


def main(argv):
    global TOL
    substs = {"base": [], "cur": []}
    strip_mode, args = False, []
    i = 0
    while i < len(argv):
        if argv[i] == "--strip":
            strip_mode = True
        elif argv[i] == "--tol" and i + 1 < len(argv):
            TOL = float(argv[i + 1])
            i += 1
        elif argv[i] == "--subst" and i + 1 < len(argv):
            side, _, spec = argv[i + 1].partition(":")
            old, _, new = spec.partition("=")
            if side not in substs or not old:
                sys.exit("compare_dumps: --subst base:DIR=TOKEN or cur:DIR=TOKEN")
            substs[side].append((old, new))
            i += 1
        else:
            args.append(argv[i])
        i += 1
    if len(args) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if strip_mode:
        os.makedirs(args[1], exist_ok=True)
        for n in sorted(os.listdir(args[0])):
            if n.endswith(".json"):
                d = load(os.path.join(args[0], n), substs["base"])
                with open(os.path.join(args[1], n), "w", encoding="utf-8") as f:
                    json.dump(strip(d, "", kind_of(d)), f, indent=1, sort_keys=True)
                    f.write("\n")
        return 0
    bad = 0
    counts = {"dumps": 0, "added": 0}
    for pa, pb in pairs_of(args):
        a, b = load(pa, substs["base"]), load(pb, substs["cur"])
        counts["dumps"] += 1
        out = []
        diff(a, b, "", kind_of(a), out)
        name = os.path.basename(pb)
        for kind, path, va, vb in out:
            why = matches(path, ADDED) if kind == "new" else None
            if why:
                counts["added"] += 1
                continue
            bad += 1
            if kind == "missing":
                print(f"{name}: {path}: missing (was {short(va)})")
            elif kind == "new":
                print(f"{name}: {path}: new key, not in ADDED ({short(vb)})")
            else:
                print(f"{name}: {path}: {short(va)} -> {short(vb)}")
    print(f"compare_dumps: {counts['dumps']} dumps, {bad} differences "
          f"({counts['added']} added keys as listed)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
