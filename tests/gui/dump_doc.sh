#!/usr/bin/env bash
# dump_doc: every key the explorer writes with dump-state is written down in
# docs/dump-state.md. A tour through the panels (Z = 2, Z = 8 with its
# projection, --compare) on tiny models trained here, each panel dumped, and
# tests/check_dump_doc.py reads the dumps against the doc.
#
#   dump_doc.sh ZSPACE SOURCE_ROOT
#
# Skips (77) without Xvfb or without the MNIST files (`zspace data`).
set -u
zspace=$1 root=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v Xvfb >/dev/null || { echo "dump_doc: no Xvfb: skipped"; exit 77; }
out=$(mktemp -d /tmp/zspace-dump-doc-XXXXXX)
cleanup() { rm -rf "$out"; }
# shellcheck source=../xvfb_start.sh
. "$here/../xvfb_start.sh"
xvfb_start dump_doc 1280x800x24 "$out"
trap 'kill $xvfb_pid 2>/dev/null; wait $xvfb_pid 2>/dev/null; cleanup' EXIT
export XDG_CONFIG_HOME=$out/config XDG_CACHE_HOME=$out/cache

train() { # Z BETA FILE
    if ! "$zspace" train -z "$1" -b "$2" -e 1 -H 64 --train-limit 3000 -t 1 -o "$out/$3" \
            >/dev/null 2>"$out/train.err"; then
        if grep -q "idx3-ubyte" "$out/train.err"; then
            echo "dump_doc: no MNIST files: skipped"; exit 77
        fi
        echo "dump_doc: training a tiny model failed:"; cat "$out/train.err"; exit 1
    fi
}
train 2 1 a2.safetensors
train 8 1 a8.safetensors
train 2 4 b2.safetensors

# Panels one after another, a dump after each; the second pass draws on the
# Draw panel's canvas (found in the first pass's dump) with O and N on.
tour() { # PREFIX [STROKE]
    cat <<EOT
wait-ready 120
click 400 400
wait 3 frames
dump-state $out/$1-map.json
key T
wait 3 frames
dump-state $out/$1-train.json
key I
wait 3 frames
dump-state $out/$1-walk.json
key S
wait 5 frames
dump-state $out/$1-sample.json
key D
wait 3 frames
dump-state $out/$1-draw.json
${2:-}
wait 3 frames
key O
wait 3 frames
key N
move 400 400
wait 3 frames
dump-state $out/$1-marks.json
key Ctrl+O
wait 3 frames
type $out/
wait 3 frames
dump-state $out/$1-open.json
key Escape
wait 3 frames
quit
EOT
}
run() { # PREFIX STROKE ARGS...
    local prefix=$1 stroke=$2
    shift 2
    tour "$prefix" "$stroke" >"$out/$prefix.txt"
    # Leak checks off for the window process, as tests/gui's driver does:
    # X11, EGL and D-Bus keep allocations for the life of the process.
    if ! ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            timeout 600 "$zspace" explore --size 1280x800 --script "$out/$prefix.txt" "$@" \
            2>"$out/$prefix.err"; then
        echo "dump_doc: explore $* failed:"; cat "$out/$prefix.err"; exit 1
    fi
}
run z2 "" -m "$out/a2.safetensors"
# a stroke across the middle of the canvas, in window points
stroke=$(python3 - "$out/z2-draw.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["view"]["pixel_scale"]
x, y, w, h = (v / s for v in d["draw"]["canvas_rect"])
print("drag %d %d %d %d 8" % (x + w * 0.3, y + h * 0.3, x + w * 0.6, y + h * 0.7))
PY
)
run z2s "$stroke" -m "$out/a2.safetensors"
run z8 "$stroke" -m "$out/a8.safetensors"
run cmp "$stroke" -m "$out/a2.safetensors" --compare "$out/b2.safetensors"
# the stroke reached the canvas, so the drawing's keys were dumped too
python3 - "$out/z2s-marks.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
if d["draw"]["image_sha1"] is None or not d["uncertainty"]["sources"]:
    sys.exit("dump_doc: the scripted stroke drew nothing on the Draw panel's canvas")
PY
python3 "$root/tests/check_dump_doc.py" "$root/docs/dump-state.md" "$out"/*.json
