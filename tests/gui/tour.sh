#!/usr/bin/env bash
# tour: the explorer's panels one after another at Z = 2, Z = 8 and
# --compare on tiny models, a dump-state after each (28 dumps). Sourced by
# dump_doc.sh (every key written down) and golden.sh (the dumps against
# those of an earlier binary). Only script steps every explorer since the
# dump format was written down knows (no wait-until), so an older binary
# runs the same tour.
#
#   tour_models ZSPACE DIR    train a2, a8 (Z = 2, 8, beta 1) and b2
#                             (Z = 2, beta 4) into DIR; exit 77 without MNIST
#   tour_run ZSPACE MODELS OUT [SETTLE]
#                             the five runs (z2, z2s, z8, z8p, cmp):
#                             OUT/<run>-*.json; SETTLE: the steps after
#                             z8p's PCA click that wait for its layout
#                             (default: wait-until it is shown; "wait 3s"
#                             for a binary without wait-until)
#
# The caller sets DISPLAY, XDG_CONFIG_HOME and XDG_CACHE_HOME (the Open
# dialog lists OUT, so keep other files out of it).

tour_models() { # ZSPACE DIR
    local zspace=$1 dir=$2 spec
    for spec in "2 1 a2" "8 1 a8" "2 4 b2"; do
        set -- $spec
        if ! "$zspace" train -z "$1" -b "$2" -e 1 -H 64 --train-limit 3000 -t 1 \
                -o "$dir/$3.safetensors" >/dev/null 2>"$dir/train.err"; then
            if grep -q "idx3-ubyte" "$dir/train.err"; then
                echo "tour: no MNIST files: skipped"; exit 77
            fi
            echo "tour: training a tiny model failed:"; cat "$dir/train.err"; exit 1
        fi
    done
    rm -f "$dir/train.err"
}

# Panels one after another, a dump after each; the second pass draws on the
# Draw panel's canvas (found in the first pass's dump) with O and N on.
tour_script() { # OUT PREFIX [STROKE [FIRST]]
    cat <<EOT
wait-ready 120
${4:-}
click 400 400
wait 3 frames
dump-state $1/$2-map.json
key T
wait 3 frames
dump-state $1/$2-train.json
key I
wait 3 frames
dump-state $1/$2-walk.json
key S
wait 5 frames
dump-state $1/$2-sample.json
key D
wait 3 frames
dump-state $1/$2-draw.json
${3:-}
wait 3 frames
key O
wait 3 frames
key N
move 400 400
wait 3 frames
dump-state $1/$2-marks.json
key Ctrl+O
wait 3 frames
type $1/
wait 3 frames
dump-state $1/$2-open.json
key Escape
wait 3 frames
quit
EOT
}

tour_explore() { # ZSPACE OUT PREFIX STROKE FIRST ARGS...
    local zspace=$1 out=$2 prefix=$3 stroke=$4 first=$5 script
    shift 5
    script=$(mktemp /tmp/zspace-tour-XXXXXX.txt)
    tour_script "$out" "$prefix" "$stroke" "$first" >"$script"
    # Leak checks off for the window process, as tests/gui's driver does:
    # X11, EGL and D-Bus keep allocations for the life of the process.
    if ! ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            timeout 600 "$zspace" explore --size 1280x800 --script "$script" "$@" \
            2>"$script.err"; then
        echo "tour: explore $* failed:"; cat "$script.err"; rm -f "$script" "$script.err"
        exit 1
    fi
    rm -f "$script" "$script.err"
}

tour_run() { # ZSPACE MODELS OUT [SETTLE]
    local zspace=$1 m=$2 out=$3 stroke pca
    local settle=${4:-$'wait-until projection.method == pca 300\nwait-until projection.state == done 300'}
    tour_explore "$zspace" "$out" z2 "" "" -m "$m/a2.safetensors"
    # a stroke across the middle of the canvas, in window points
    stroke=$(python3 - "$out/z2-draw.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["view"]["pixel_scale"]
x, y, w, h = (v / s for v in d["draw"]["canvas_rect"])
print("drag %d %d %d %d 8" % (x + w * 0.3, y + h * 0.3, x + w * 0.6, y + h * 0.7))
PY
)
    tour_explore "$zspace" "$out" z2s "$stroke" "" -m "$m/a2.safetensors"
    tour_explore "$zspace" "$out" z8 "$stroke" "" -m "$m/a8.safetensors"
    # Z = 8 again with PCA chosen on the projection card as soon as the map
    # is in: a layout that does not depend on how far the t-SNE got
    pca=$(python3 - "$out/z8-map.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["view"]["pixel_scale"]
x, y, w, h = (v / s for v in d["projection"]["buttons"]["pca"])
print("click %d %d\nwait 10 frames" % (x + w / 2, y + h / 2))
PY
)
    tour_explore "$zspace" "$out" z8p "$stroke" "$pca"$'\n'"$settle" -m "$m/a8.safetensors"
    tour_explore "$zspace" "$out" cmp "$stroke" "" -m "$m/a2.safetensors" --compare "$m/b2.safetensors"
}
