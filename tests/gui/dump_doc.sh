#!/usr/bin/env bash
# dump_doc: every key the explorer writes with dump-state is written down in
# docs/dump-state.md. A tour through the panels (Z = 2, Z = 8 with its
# projection, --compare; tour.sh) on tiny models trained here, each panel
# dumped, and tests/check_dump_doc.py reads the dumps against the doc.
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

# shellcheck source=tour.sh
. "$here/tour.sh"
mkdir "$out/models" "$out/dumps"
tour_models "$zspace" "$out/models"
tour_run "$zspace" "$out/models" "$out/dumps"
# the stroke reached the canvas, so the drawing's keys were dumped too
python3 - "$out/dumps/z2s-marks.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
if d["draw"]["image_sha1"] is None or not d["uncertainty"]["sources"]:
    sys.exit("dump_doc: the scripted stroke drew nothing on the Draw panel's canvas")
PY
python3 "$root/tests/check_dump_doc.py" "$root/docs/dump-state.md" "$out"/dumps/*.json
