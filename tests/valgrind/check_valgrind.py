#!/usr/bin/env python3
"""check_valgrind: read memcheck's XML (run_valgrind.sh) and judge zspace.

An error is zspace's when its top frame lies in the zspace binary (the
program's own code: app, gfx, ui, vae, ...). A definitely-lost block is
zspace's when the first frame below the allocator (malloc, calloc, strdup...)
is in the binary. Errors and leaks inside libraries that zspace.supp did not
silence are listed too, so the suppressions can be reviewed, but do not fail
the check. Exit 0 when zspace has no errors and no definitely-lost bytes.
usage: check_valgrind.py MEMCHECK.xml ZSPACE_BINARY
"""
import os
import sys
import xml.etree.ElementTree as ET

ALLOCATORS = {"malloc", "calloc", "realloc", "strdup", "strndup", "reallocarray",
              "memalign", "posix_memalign", "aligned_alloc", "operator new(unsigned long)",
              "operator new[](unsigned long)"}


def frames(err):
    st = err.find("stack")
    out = []
    for f in st.findall("frame") if st is not None else []:
        out.append((f.findtext("obj", ""), f.findtext("fn", "?"),
                    "%s:%s" % (f.findtext("file", ""), f.findtext("line", ""))))
    return out


def main():
    xml, binary = sys.argv[1], os.path.realpath(sys.argv[2])
    root = ET.parse(xml).getroot()
    ours, theirs, lost_ours, lost_theirs = [], [], 0, 0
    for err in root.findall("error"):
        kind = err.findtext("kind")
        fs = frames(err)
        if kind.startswith("Leak_"):
            nbytes = int(err.findtext("xwhat/leakedbytes", "0"))
            below = [f for f in fs if f[1] not in ALLOCATORS and "vgpreload" not in f[0]]
            mine = bool(below) and os.path.realpath(below[0][0]) == binary
            if mine:
                lost_ours += nbytes
                ours.append((kind, nbytes, fs))
            else:
                lost_theirs += nbytes
                theirs.append((kind, nbytes, fs))
        else:
            mine = bool(fs) and os.path.realpath(fs[0][0]) == binary
            (ours if mine else theirs).append((kind, 0, fs))
    supp = sum(int(p.findtext("count", "0")) for p in root.findall("suppcounts/pair"))
    n_ours = sum(1 for k, _, _ in ours if not k.startswith("Leak_"))
    print("memcheck: %d error(s) from zspace code, definitely lost %d bytes in zspace frames; "
          "unsuppressed library reports: %d (%d bytes definitely lost); suppressed: %d"
          % (n_ours, lost_ours, len(theirs), lost_theirs, supp))
    for label, items in (("ZSPACE", ours), ("library", theirs)):
        for kind, nbytes, fs in items[:20]:
            print("%s %s%s" % (label, kind, " (%d bytes)" % nbytes if nbytes else ""))
            for obj, fn, loc in fs[:12]:
                print("    %s %s %s" % (fn, loc if loc != ":" else "", os.path.basename(obj)))
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main())
