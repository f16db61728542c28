#!/bin/sh
# faults: zspace under injected faults loses nothing and says why.
#  - a file-size limit (a full disk, as far as a write can tell) during a model
#    save: exit 1, one clear line, the previous model intact, no temp file;
#  - kill -9 at random moments of a training run that saves every epoch: the
#    model file is always absent or complete and loadable;
#  - missing data directory, unreadable model, a directory as output: clear errors;
#  - absurd arguments are refused before any work.
# Needs MNIST (skips with 77 otherwise). usage: faults.sh ZSPACE
set -u
Z=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
. "$(dirname "$0")/cli_expect.sh"

"$Z" data --dataset mnist --no-verify >/dev/null 2>&1 || { echo "SKIP: MNIST not installed"; exit 77; }
quick="--train-limit 300 --epochs 1 --hidden 64"
# Where zspace found MNIST: $ZSPACE_DATA, else the source tree's data/ (this
# binary runs from its build tree).
MNIST=${ZSPACE_DATA:-$(cd "$(dirname "$0")/.." && pwd)/data}

# 1. Disk full during a save.
expect 0 0 "" -- "$Z" train $quick -o "$T/m.safetensors"
cp "$T/m.safetensors" "$T/before"
expect 1 1 "m.safetensors: write failed: File too large" -- \
    sh -c "ulimit -f 20; exec \"$Z\" train $quick --seed 9 -o \"$T/m.safetensors\""
check "model unchanged after a failed save" cmp -s "$T/m.safetensors" "$T/before"
check "no temp file left" test "$(ls -A "$T" | grep -c '^\.m\.safetensors')" -eq 0
expect 0 0 "neg_elbo" -- "$Z" eval -m "$T/m.safetensors" --n 50

# 2. kill -9 at staggered moments while a run saves after every epoch. Each
#    run waits for the file to exist first (a loaded machine may take seconds
#    to load MNIST), so every kill lands among the per-epoch saves.
for i in 1 2 3 4 5 6 7 8; do
    "$Z" train --train-limit 200 --epochs 1000 --hidden 64 -o "$T/k.safetensors" >/dev/null 2>&1 &
    pid=$!
    waited=0
    while [ ! -e "$T/k.safetensors" ] && [ "$waited" -lt 600 ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    sleep "0.$(( (i * 37) % 9 + 1 ))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    expect 0 0 "neg_elbo" -- "$Z" eval -m "$T/k.safetensors" --n 20
done

# 3. Unreadable inputs and impossible outputs.
ZSPACE_DATA="$T/no-such-dir" expect 1 1 "no-such-dir/train-images-idx3-ubyte: cannot open" -- \
    "$Z" train $quick -o "$T/x.safetensors"
head -c 1000 "$T/m.safetensors" >"$T/cut.safetensors"
expect 1 1 "^zspace: $T/cut.safetensors: " -- "$Z" eval -m "$T/cut.safetensors"
if [ "$(id -u)" -ne 0 ]; then # root reads files whatever their mode
    cp "$T/m.safetensors" "$T/locked.safetensors" && chmod 000 "$T/locked.safetensors"
    expect 1 1 "Permission denied" -- "$Z" eval -m "$T/locked.safetensors"
fi
mkdir "$T/adir"
expect 2 1 "^zspace: train: " -- "$Z" train $quick -o "$T/adir"

# 5. The output rule (core/afile.h), the same for every writer: a symlink is
#    followed and stays a link, a FIFO and a character device are written
#    through and stay what they are, a FIFO without a reader is refused.
W="$T/writers" # kill -9 above may leave temp files in $T: that is its point
mkdir "$W"
printf 'a,b\n1,2\n3,4\n5,7\n' >"$T/p.csv"
expect 0 0 "" -- "$Z" train $quick -o "$W/real.safetensors"
ln -s real.safetensors "$W/link.safetensors"
expect 0 0 "" -- "$Z" train $quick --seed 5 -o "$W/link.safetensors"
check "train -o symlink: still a link" test -L "$W/link.safetensors"
check "train -o symlink: target rewritten" test ! "$W/real.safetensors" -ot "$W/link.safetensors" -a -s "$W/real.safetensors"
ln -s "$W/img.png" "$W/dangling.png"
expect 0 0 "" -- "$Z" sample -m "$T/m.safetensors" --grid 2x2 -o "$W/dangling.png"
check "sample -o dangling symlink: link kept, target made" test -L "$W/dangling.png" -a -f "$W/img.png"
mkfifo "$W/fifo"
expect 1 1 "a FIFO with no reader" -- "$Z" project -i "$T/p.csv" --method pca -o "$W/fifo"
cat "$W/fifo" >"$W/from-fifo" &
reader=$!
expect 0 0 "" -- "$Z" project -i "$T/p.csv" --method pca -o "$W/fifo"
wait "$reader"
check "project -o FIFO: written through" test "$(head -1 "$W/from-fifo")" = "x,y,label"
check "project -o FIFO: still a FIFO" test -p "$W/fifo"
for w in "sample -m $T/m.safetensors --grid 2x2" "recon -m $T/m.safetensors --n 4" \
         "manifold -m $T/m.safetensors --grid 3" "project -i $T/p.csv --method pca" \
         "train $quick"; do
    expect 0 0 "" -- "$Z" $w -o /dev/null
    check "$w -o /dev/null: still a character device" test -c /dev/null
done
check "no temp files beside the outputs" test "$(ls -A "$W" | grep -c '^\.')" -eq 0
# The read-open rule (core/rfile.h): a FIFO or directory as an input is refused
# at once (timeout: before, a FIFO as -m blocked forever).
expect 1 1 "fifo: cannot open: not a regular file" -- timeout 20 "$Z" eval -m "$W/fifo"
expect 1 1 "cannot open: is a directory" -- timeout 20 "$Z" eval -m "$W"

# 6. Standard output that cannot be written fails every command with one line
#    (checked once, in main, after each command).
if [ -w /dev/full ]; then
    expect 1 1 "^zspace: standard output: write failed" -- sh -c "\"$Z\" data --no-verify >/dev/full"
    expect 1 1 "^zspace: standard output: write failed" -- sh -c "\"$Z\" eval -m \"$T/m.safetensors\" --n 50 >/dev/full"
    expect 1 1 "^zspace: standard output: write failed" -- sh -c "\"$Z\" eval -m \"$T/m.safetensors\" --n 50 --json >/dev/full"
    expect 1 1 "^zspace: standard output: write failed" -- sh -c "\"$Z\" project -i \"$T/p.csv\" --method pca >/dev/full"
    expect 1 1 "^zspace: standard output: write failed" -- sh -c "\"$Z\" --version >/dev/full"
    "$Z" data inspect "$MNIST/t10k-labels-idx1-ubyte"* >/dev/null 2>&1 &&
        expect 1 1 "^zspace: standard output: write failed" -- sh -c "\"$Z\" data inspect \"$MNIST\"/t10k-labels-idx1-ubyte* >/dev/full"
    expect 0 0 "" -- "$Z" classify train --train-limit 500 --epochs 1 -H 16 -o "$T/clf.safetensors"
    expect 1 1 "^zspace: standard output: write failed" -- sh -c "\"$Z\" classify eval -m \"$T/clf.safetensors\" >/dev/full"
    expect 1 1 "^zspace: standard output: write failed" -- sh -c "\"$Z\" classify predict -m \"$T/clf.safetensors\" \"$MNIST\"/t10k-images-idx3-ubyte* >/dev/full"
fi

# 7. A model whose weights are finite but decode to NaN (the second decoder
#    layer overflows to +inf, the last multiplies it by 0): every command that
#    draws decoded images refuses it, as eval refuses its loss, and writes
#    nothing.
expect 0 0 "" -- "$Z" train --train-limit 300 --epochs 1 --hidden 32,32 -o "$T/m2.safetensors"
python3 - "$T/m2.safetensors" "$T/nan.safetensors" <<'PY'
import json, struct, sys
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
head = json.loads(raw[8:8 + n])
data = bytearray(raw[8 + n:])
def fill(name, v):
    a, b = head[name]['data_offsets']
    for off in range(a, b, 4):
        struct.pack_into('<f', data, off, v)
fill('dec.0.weight', 0.0)
fill('dec.0.bias', 3e38)
fill('dec.1.weight', 1.0)
fill('dec.2.weight', 0.0)
open(sys.argv[2], 'wb').write(raw[:8 + n] + bytes(data))
PY
expect 1 1 "non-finite" -- "$Z" eval -m "$T/nan.safetensors" --n 50
for w in "sample --grid 2x2 -o $T/nan.png" "recon --n 4 -o $T/nan.png" \
         "manifold --grid 3 -o $T/nan.png" "interp -o $T/nan.gif"; do
    expect 1 1 "decodes to NaN or infinity" -- "$Z" ${w%% *} -m "$T/nan.safetensors" ${w#* }
done
check "nothing drawn from a NaN model" test ! -e "$T/nan.png" -a ! -e "$T/nan.gif"

# 4. Absurd arguments are refused at once (usage errors, nothing written).
expect 2 1 "^zspace: train: --latent 0" -- "$Z" train --latent 0 -o "$T/a.safetensors"
expect 2 1 "^zspace: train: --latent 100000" -- "$Z" train --latent 100000 -o "$T/a.safetensors"
expect 2 1 "^zspace: train: --batch 0" -- "$Z" train --batch 0 -o "$T/a.safetensors"
expect 2 1 "^zspace: train: --beta -1" -- "$Z" train --beta -1 -o "$T/a.safetensors"
expect 2 1 "^zspace: train: --epochs 99999999" -- "$Z" train --epochs 99999999 -o "$T/a.safetensors"
expect 2 1 "^zspace: sample: " -- "$Z" sample -m "$T/m.safetensors" --grid 0x0 -o "$T/g.png"
expect 2 1 "^zspace: interp: " -- "$Z" interp -m "$T/m.safetensors" --path 2,11 -o "$T/w.gif"
check "nothing written by refused commands" test ! -e "$T/a.safetensors" -a ! -e "$T/g.png" -a ! -e "$T/w.gif"

if [ "$fails" -ne 0 ]; then
    echo "$fails fault check(s) failed"
    exit 1
fi
echo "all fault checks passed"
