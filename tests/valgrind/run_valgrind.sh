#!/bin/bash
# run_valgrind: valgrind memcheck over a short explorer session (explore.zss:
# map clicks and drags, zoom, the panels, text size, a resize) under a private
# Xvfb with Mesa's software renderer. zspace.supp silences the graphics and
# desktop libraries' own reports (Mesa / llvmpipe / LLVM, X11 / xcb,
# fontconfig / FreeType, dbus) and never a zspace frame; check_valgrind.py
# then reads valgrind's XML and fails on any error whose top frame is zspace
# code, and any definitely-lost block allocated from a zspace frame.
#
# usage: run_valgrind.sh ZSPACE [OUTDIR]
# ZSPACE must be built without -march=native (meson -Dnative=false):
# valgrind does not emulate AVX-512. Takes ~1-2 minutes on an idle machine.
set -u
zspace=$1
out=${2:-$(mktemp -d /tmp/zspace-valgrind.XXXXXX)}
here=$(cd "$(dirname "$0")" && pwd)
model=${ZSPACE_SOAK_MODEL:-${XDG_CACHE_HOME:-$HOME/.cache}/zspace/default-mnist-z2.safetensors}
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind): skipped"; exit 77; }
command -v Xvfb >/dev/null || { echo "valgrind: no Xvfb: skipped"; exit 77; }
[ -f "$model" ] || { echo "valgrind: no model $model: skipped"; exit 77; }
mkdir -p "$out/cache/zspace" "$out/config"
# The walk panel (I) trains the digit classifier when none is cached: minutes
# of training under memcheck. Use the cached one when there is one.
clf=${XDG_CACHE_HOME:-$HOME/.cache}/zspace/classifier-mnist.safetensors
[ -f "$clf" ] && cp "$clf" "$out/cache/zspace/"
export XDG_CACHE_HOME=$out/cache XDG_CONFIG_HOME=$out/config
# memcheck runs frames 20-50x slower: the watchdog (app/watchdog.h) would take one for a freeze
export ZSPACE_WATCHDOG=0
export LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe

# shellcheck source=../xvfb_start.sh
. "$here/../xvfb_start.sh"
xvfb_start valgrind 1600x1000x24 "$out"

sed "s|@OUT@|$out|g" "$here/explore.zss" >"$out/explore.zss"
start=$(date +%s)
# --smc-check: llvmpipe runs code it generates on the heap.
# --child-silent-after-fork: a library forks a helper (without exec) that
# would append its own XML document to the same file, which then no longer
# parses; only the explorer's own report is wanted.
valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --smc-check=all-non-file --num-callers=40 \
    --child-silent-after-fork=yes \
    --suppressions="$here/zspace.supp" --xml=yes --xml-file="$out/memcheck.xml" \
    --log-file="$out/valgrind.log" \
    "$zspace" explore -m "$model" --size 1024x700 --script "$out/explore.zss" \
    >"$out/zspace.log" 2>&1
status=$?
echo "valgrind: zspace exit $status after $(($(date +%s) - start)) s (log in $out)"
[ -s "$out/zspace.log" ] && sed 's/^/zspace: /' "$out/zspace.log" | head -20
[ -f "$out/dump.json" ] || { echo "valgrind: the script did not reach its dump-state"; exit 1; }
python3 "$here/check_valgrind.py" "$out/memcheck.xml" "$zspace" || exit 1
[ $status -eq 0 ] || exit 1
