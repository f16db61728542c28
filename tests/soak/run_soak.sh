#!/bin/bash
# run_soak: the explorer under a private Xvfb replaying a long generated
# random script (gen_script.py) for >= 5 minutes, sampling its RSS every
# second; check_soak.py then judges the run: exit 0, every frame's work
# < 250 ms (from dump-state's "timing" ring between dumps), RSS growth < 10%
# between the first and last thirds of the time from the end of the warm-up
# (first minute) to the end, both models shown.
#
# usage: run_soak.sh ZSPACE [MINUTES [SEED [OUTDIR]]]
# Needs the default model (~/.cache/zspace/default-mnist-z2.safetensors, or
# ZSPACE_SOAK_MODEL) and MNIST; skips (77) without them or without Xvfb.
# Training episodes write only to a copy of the model in OUTDIR, and the
# explorer's cache and config point into OUTDIR too. The second model the
# script switches to (Z = 8, one epoch on 6,000 images) is trained here. Not in the CI suites
# (it takes minutes): meson test --suite soak, or run it by hand.
set -u
zspace=$1 minutes=${2:-6} seed=${3:-1}
out=${4:-$(mktemp -d /tmp/zspace-soak.XXXXXX)}
here=$(cd "$(dirname "$0")" && pwd)
model_src=${ZSPACE_SOAK_MODEL:-${XDG_CACHE_HOME:-$HOME/.cache}/zspace/default-mnist-z2.safetensors}
command -v Xvfb >/dev/null || { echo "soak: no Xvfb: skipped"; exit 77; }
[ -f "$model_src" ] || { echo "soak: no model $model_src: skipped"; exit 77; }

mkdir -p "$out/dumps" "$out/cache" "$out/config"
rm -f "$out"/dumps/*.json "$out/rss.tsv"
cp "$model_src" "$out/model.safetensors"
export XDG_CACHE_HOME=$out/cache XDG_CONFIG_HOME=$out/config
# a frame that spins aborts with a backtrace (app/watchdog.h) rather than hanging the soak
export ZSPACE_WATCHDOG=${ZSPACE_WATCHDOG:-10}
cd "$out" || exit 1 # G (walk GIF) writes into the working directory

# A private X server (tests/xvfb_start.sh).
# shellcheck source=../xvfb_start.sh
. "$here/../xvfb_start.sh"
xvfb_start soak 1920x1200x24 "$out"

run() { "$zspace" explore -m "$out/model.safetensors" --size 1280x800 --script "$1"; }

# Probe: where the Training panel's Continue and Stop buttons are in the
# layout every training episode starts from (see gen_script.py normalise).
layout='wait-ready 120
key Ctrl+0
key D
key D
key T
wait 20 frames'
printf '%s\ndump-state %s\nquit\n' "$layout" "$out/probe1.json" >"$out/probe1.zss"
run "$out/probe1.zss" || { echo "soak: probe 1 failed"; exit 1; }
cont=$(python3 - "$out/probe1.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["training"]["buttons"]["tr/continue"]
print(b[0] + b[2] // 2, b[1] + b[3] // 2)
PY
) || { echo "soak: no Continue button in the probe"; exit 1; }
printf '%s\nclick %s\nwait-until training.running == 1 120\nwait 3 frames\ndump-state %s\nquit\n' \
    "$layout" "$cont" \
    "$out/probe2.json" >"$out/probe2.zss"
run "$out/probe2.zss" || { echo "soak: probe 2 failed"; exit 1; }
python3 - "$out/probe2.json" "$cont" >"$out/probe.json" <<'PY' || { echo "soak: training did not start in the probe"; exit 1; }
import json, sys
t = json.load(open(sys.argv[1]))["training"]
assert t["running"], t["state"]
b = t["buttons"]["tr/stop"]
print(json.dumps({"continue": [int(v) for v in sys.argv[2].split()],
                  "stop": [b[0] + b[2] // 2, b[1] + b[3] // 2]}))
PY
cp "$model_src" "$out/model.safetensors" # undo the probe's training
"$zspace" train --latent 8 --epochs 1 --train-limit 6000 --seed 3 \
    -o "$out/model-z8.safetensors" >"$out/train-z8.log" 2>&1 ||
    { echo "soak: training the second model failed"; cat "$out/train-z8.log"; exit 1; }

python3 "$here/gen_script.py" --seed "$seed" --minutes "$minutes" --probe "$out/probe.json" \
    --dump-dir "$out/dumps" --models "$out/model.safetensors,$out/model-z8.safetensors" \
    -o "$out/soak.zss" || exit 1

# The run, RSS sampled each second (kB), with the moments (seconds into the
# run) the warm-up and the final markers appear.
start=$(date +%s.%N)
"$zspace" explore -m "$out/model.safetensors" --size 1280x800 --script "$out/soak.zss" \
    >"$out/zspace.log" 2>&1 &
pid=$! # zspace itself (not a subshell), for /proc/PID/status
warm= final= t=0
while kill -0 $pid 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' /proc/$pid/status 2>/dev/null)
    t=$(echo "$(date +%s.%N) - $start" | bc)
    [ -n "$rss" ] && printf '%.1f\t%s\n' "$t" "$rss" >>"$out/rss.tsv"
    [ -z "$warm" ] && [ -f "$out/dumps/mark-warmup.json" ] && warm=$t
    [ -z "$final" ] && [ -f "$out/dumps/final.json" ] && final=$t
    sleep 1
done
wait $pid
status=$?
seconds=$(echo "$(date +%s.%N) - $start" | bc)
echo "soak: exit $status after ${seconds%.*} s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ -s "$out/zspace.log" ] && sed 's/^/zspace: /' "$out/zspace.log" | head -20
python3 "$here/check_soak.py" --exit "$status" --seconds "$seconds" --rss "$out/rss.tsv" \
    --rss-from "${warm:-0}" --rss-to "${final:-$t}" --dumps "$out/dumps" --min-seconds 300 \
    --min-models 2
