#!/usr/bin/env bash
# hidpi: on a HiDPI X11 display the text follows the display's DPI, and a
# 1024x768-point screen at twice the density still fits every panel. The
# screen is 2048x1536 pixels at 192 dpi: the default 1280x800 points
# (2560x1600 pixels) do not fit, so the window takes the screen; dpi_scale
# is 2, the fonts twice their 96-dpi size, and no panel's line is cut
# (sliders, Sampling, Training, Walk, Draw, help, the Open dialog). Ctrl+-
# still shrinks the text. Screenshots are left in the run's folder when it
# fails.
#
#   hidpi.sh ZSPACE SOURCE_ROOT
#
# Xvfb's RandR outputs report no physical size, so SDL's RandR path finds
# no DPI there; SDL_VIDEO_X11_XRANDR=0 makes SDL read the core protocol's
# size, which carries the -dpi given to the server (a real display reports
# its millimetres through RandR). Skips (77) without Xvfb or MNIST.
set -u
zspace=$1 root=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v Xvfb >/dev/null || { echo "hidpi: no Xvfb: skipped"; exit 77; }
"$zspace" data >/dev/null 2>&1 || { echo "hidpi: no MNIST files: skipped"; exit 77; }
out=$(mktemp -d /tmp/zspace-hidpi-XXXXXX)
# shellcheck source=../xvfb_start.sh
. "$here/../xvfb_start.sh"
xvfb_start hidpi 2048x1536x24 "$out" -dpi 192
keep=0
trap 'kill $xvfb_pid 2>/dev/null; wait $xvfb_pid 2>/dev/null; [ $keep = 1 ] || rm -rf "$out"' EXIT
export XDG_CONFIG_HOME=$out/config XDG_CACHE_HOME=$out/cache SDL_VIDEO_X11_XRANDR=0
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
cd "$out" || exit 1

step() { # NAME KEYS: open a panel, let it settle, screenshot and dump
    printf '%s\nwait 3 frames\nmove 5 5\nwait 2 frames\nscreenshot %s/%s.png\ndump-state %s/%s.json\n' \
        "$2" "$out" "$1" "$out" "$1"
}
{
    echo "wait-ready 120"
    echo "wait 2 frames"
    step sliders ""
    step sampling "key S"
    step training "key T"
    step walk "key I
wait-until walk.classifier != none 60"
    step draw "key D"
    step help "key D
key D
key I
key H"
    step open "key H
key Ctrl+O
type /nonexistent/fo"
    step smaller "key Escape
key Ctrl+-"
    echo "quit"
} >"$out/script.zss"
if ! "$zspace" explore -m "$root/tests/golden/models/a2.safetensors" --script "$out/script.zss" \
        2>"$out/explore.err"; then
    echo "hidpi: the explorer failed:"; cat "$out/explore.err"; keep=1; exit 1
fi
if ! python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
bad = []
def load(name):
    with open(f"{out}/{name}.json") as f:
        return json.load(f)
for name in ["sliders", "sampling", "training", "walk", "draw", "help", "open"]:
    ui, view = load(name)["ui"], load(name)["view"]
    print(f"{name:8s} window {view['window']} dpi {ui['display_dpi']} scale {ui['dpi_scale']}"
          f" fonts {ui['font_px']} cut {ui['cut_across']}/{ui['cut_down']}")
    if view["window"] != [2048, 1536]:
        bad.append(f"{name}: window {view['window']}, not the 2048x1536 screen")
    # the server keeps the size in whole millimetres: 191.95 dpi for 192
    if abs(ui["display_dpi"] - 192) > 1 or abs(ui["dpi_scale"] - 2) > 0.01:
        bad.append(f"{name}: dpi {ui['display_dpi']}, scale {ui['dpi_scale']}, not 192 and 2")
    # the scrolling Training panel may cut lines at its edges, never across
    if ui["cut_across"] != 0 or (name != "training" and ui["cut_down"] != 0):
        bad.append(f"{name}: cut text {[c['text'] for c in ui['cut_text']]}")
big, small = load("sliders")["ui"], load("smaller")["ui"]
# body text at 2x: at least 24 px where 96 dpi gives 12 or more
if big["font_px"][0] < 24:
    bad.append(f"body font {big['font_px'][0]} px at 192 dpi")
if not (small["text_scale"] < 1 and small["font_px"][0] < big["font_px"][0]):
    bad.append(f"Ctrl+- did not shrink the text: {small['text_scale']}, {small['font_px']}")
for b in bad:
    print("hidpi:", b)
sys.exit(1 if bad else 0)
PY
then
    keep=1; echo "hidpi: screenshots and dumps kept in $out"; exit 1
fi
