#!/bin/sh
# test_cli_train: `zspace train` and `zspace eval` from the outside.
#   test_cli_train.sh ZSPACE usage   flags and files: usage errors exit 2 and
#                                    bad models exit 1, each with one stderr line
#   test_cli_train.sh ZSPACE e2e     (needs MNIST, else skips with 77) a tiny
#                                    train -> eval round trip, seeded determinism
#                                    of the saved file, Ctrl-C keeping the last
#                                    complete epoch
set -u
Z=$1
MODE=${2:-usage}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

. "$(dirname "$0")/cli_expect.sh"

finish() {
    if [ "$fails" -ne 0 ]; then
        echo "$fails check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}

if [ "$MODE" = usage ]; then
    O="$T/m.safetensors"
    expect 0 0 "usage: zspace train" -- "$Z" train --help
    expect 0 0 "usage: zspace eval" -- "$Z" eval --help
    expect 0 0 "train-limit N" -- "$Z" train --help
    expect 0 0 "train " -- "$Z" --help
    expect 2 1 "^zspace: train: --latent 0: must be between 1 and 256" -- "$Z" train -z 0 -o "$O"
    expect 2 1 "^zspace: train: --latent 100000: must be between 1 and 256" -- "$Z" train --latent 100000 -o "$O"
    expect 2 1 "^zspace: train: --batch 0: must be between 1 and 4096" -- "$Z" train --batch 0 -o "$O"
    expect 2 1 "^zspace: train: --beta -1: must be between 0 and 1000" -- "$Z" train --beta -1 -o "$O"
    expect 2 1 "^zspace: train: --beta 'nan': not a number" -- "$Z" train --beta nan -o "$O"
    expect 2 1 "^zspace: train: --epochs 0: must be between 1 and 10000" -- "$Z" train --epochs 0 -o "$O"
    expect 2 1 "^zspace: train: --epochs 99999999: must be between" -- "$Z" train --epochs 99999999 -o "$O"
    expect 2 1 "^zspace: train: --lr 0: must be between" -- "$Z" train --lr 0 -o "$O"
    expect 2 1 "^zspace: train: --threads 0: must be between 1 and" -- "$Z" train --threads 0 -o "$O"
    expect 2 1 "^zspace: train: --hidden '512,,2': expected widths" -- "$Z" train --hidden 512,,2 -o "$O"
    expect 2 1 "^zspace: train: --hidden '1,2,3,4,5': at most 4 layers" -- "$Z" train --hidden 1,2,3,4,5 -o "$O"
    expect 2 1 "^zspace: train: --dataset 'cifar': expected mnist or fashion" -- "$Z" train --dataset cifar -o "$O"
    expect 2 1 "^zspace: train: missing -o FILE" -- "$Z" train
    expect 2 1 "^zspace: train: --seed ' -1': not a whole number" -- "$Z" train --seed " -1" -o "$O"
    expect 2 1 "^zspace: train: --seed -1: must be between" -- "$Z" train --seed -1 -o "$O"
    expect 2 1 "^zspace: train: -o '$T/no/such/m.safetensors': directory '$T/no/such' does not exist" \
        -- "$Z" train -o "$T/no/such/m.safetensors"
    expect 2 1 "^zspace: train: -o '$T' is a directory" -- "$Z" train -o "$T"
    expect 2 1 "^zspace: train: unknown option '--bogus'" -- "$Z" train --bogus
    expect 2 1 "^zspace: train: option '--latent' needs a value" -- "$Z" train --latent
    expect 2 1 "^zspace: train: unexpected argument 'extra'" -- "$Z" train -o "$O" extra
    expect 2 1 "^zspace: train: --precision 'fp16': expected auto, fp32 or bf16" -- "$Z" train --precision fp16 -o "$O"
    expect 0 0 "precision P" -- "$Z" train --help
    # a CPU without native bf16 (simulated): bf16 is refused in one line, before any work
    expect 1 1 "^zspace: train: --precision: bf16 is not available: bf16 is switched off" \
        -- env ZSPACE_BF16=off "$Z" train --precision bf16 -o "$O"
    expect 1 1 "^zspace: bench: --precision: bf16 is not available: bf16 is switched off" \
        -- env ZSPACE_BF16=off "$Z" bench train --precision bf16
    expect 2 1 "^zspace: bench: --precision 'x': expected auto, fp32 or bf16" -- "$Z" bench train --precision x
    check "usage errors wrote no model" test ! -e "$O"

    expect 2 1 "^zspace: eval: missing -m MODEL" -- "$Z" eval
    expect 2 1 "^zspace: eval: --iw 0: must be between 1 and" -- "$Z" eval -m "$O" --iw 0
    expect 2 1 "^zspace: eval: --n -5: must be between 1 and" -- "$Z" eval -m "$O" --n -5
    expect 2 1 "^zspace: eval: --dataset 'svhn': expected mnist or fashion" -- "$Z" eval -m "$O" --dataset svhn
    expect 2 1 "^zspace: eval: unknown option '--frob'" -- "$Z" eval --frob

    expect 1 1 "^zspace: $T/absent.safetensors: cannot open" -- "$Z" eval -m "$T/absent.safetensors"
    printf 'not a model at all' >"$T/junk.safetensors"
    expect 1 1 "^zspace: $T/junk.safetensors: header length .* is beyond" -- "$Z" eval -m "$T/junk.safetensors"
    printf '\002\000\000\000\000\000\000\000{}' >"$T/empty.safetensors"
    expect 1 1 "^zspace: $T/empty.safetensors: metadata has no \"format_version\"" \
        -- "$Z" eval -m "$T/empty.safetensors"
    printf '\005\000\000\000\000\000\000\000{"a":' >"$T/badjson.safetensors"
    expect 1 1 "^zspace: $T/badjson.safetensors: header is not valid JSON" \
        -- "$Z" eval -m "$T/badjson.safetensors"
    finish
fi

# ---- e2e: needs MNIST ----
if ! "$Z" data --no-verify 2>/dev/null | grep -q -- "-> MNIST: present"; then
    echo "SKIP: MNIST not found (run ./bootstrap)"
    exit 77
fi
M="$T/tiny.safetensors"
TRAIN="train --train-limit 600 --epochs 2 --latent 3 --hidden 32 --batch 50 --threads 1 --seed 4"
# shellcheck disable=SC2086
expect 0 0 "^epoch 2/2  train [0-9.]* (recon [0-9.]*, kl [0-9.]*)  test [0-9.]* (recon" -- "$Z" $TRAIN -o "$M"
check "train printed one line per epoch" test "$(grep -c '^epoch ' "$T/out")" -eq 2
check "train saved the model" test -s "$M"

# The file passes the checks Python's safetensors library makes on load (it
# is not packaged for Debian 12, so they are restated here with the standard
# library): header <= 100 MB of UTF-8 JSON, every tensor with dtype, shape and
# data_offsets, sizes matching, and the sorted ranges covering the data buffer
# exactly, without holes; metadata values are strings.
check "the model passes the safetensors library's load checks" python3 -c '
import json, struct, sys
b = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", b[:8])[0]
assert n <= 100_000_000 and 8 + n <= len(b) and n % 8 == 0
h = json.loads(b[8:8 + n].decode("utf-8"))
meta = h.pop("__metadata__")
assert all(isinstance(v, str) for v in meta.values())
assert meta["format_version"] == "1" and meta["latent"] == "3" and meta["hidden"] == "32"
end = 0
for name, t in sorted(h.items(), key=lambda kv: kv[1]["data_offsets"]):
    assert t["dtype"] == "F32"
    s, e = t["data_offsets"]
    count = 1
    for d in t["shape"]:
        count *= d
    assert s == end and e - s == 4 * count, name
    end = e
assert end == len(b) - 8 - n
assert sorted(h) == sorted(["enc.0.weight", "enc.0.bias", "mu.weight", "mu.bias", "logvar.weight",
    "logvar.bias", "dec.0.weight", "dec.0.bias", "dec.1.weight", "dec.1.bias"])
assert h["enc.0.weight"]["shape"] == [32, 784] and h["dec.1.weight"]["shape"] == [784, 32]
losses = json.loads(meta["losses"])
assert len(losses["train"]) == 2 and len(losses["test_kl"]) == 2
assert meta["precision"] in ("fp32", "bf16")
' "$M"
expect 0 0 "^neg_elbo  *[0-9]" -- "$Z" eval -m "$M" --n 200
expect 0 0 "^active_units  [0-3] of 3" -- "$Z" eval -m "$M" --n 200
expect 0 0 "^iwae_ll  *-[0-9.]* nats/image (K = 5" -- "$Z" eval -m "$M" --n 100 --iw 5
expect 0 0 '"iwae_ll"' -- "$Z" eval -m "$M" --n 100 --iw 5 --json
check "eval --json is one JSON document with the documented keys" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("neg_elbo", "recon", "kl", "kl_per_dim", "active_units", "iwae_ll", "n", "model"):
    assert k in d, k
assert len(d["kl_per_dim"]) == 3 and d["n"] == 100
assert d["model"]["latent"] == 3 and d["model"]["hidden"] == [32] and d["model"]["epochs"] == 2
assert d["model"]["dataset"] == "mnist"
assert abs(d["neg_elbo"] - d["recon"] - d["kl"]) < 1e-6
' "$T/out"

# Same seed, options and threads: the same bytes. Another seed: different.
# shellcheck disable=SC2086
expect 0 0 "saved" -- "$Z" $TRAIN -o "$T/again.safetensors"
check "same seed gives an identical file" cmp -s "$M" "$T/again.safetensors"
# shellcheck disable=SC2086
expect 0 0 "saved" -- "$Z" $TRAIN --seed 5 -o "$T/other.safetensors"
check "another seed gives another model" test "$(cmp -s "$M" "$T/other.safetensors"; echo $?)" -eq 1

# Precision: forcing fp32, and auto where bf16 is off (the fallback), give the
# same fp32 model; bf16 (emulated where the CPU has none: the same bf16 operand
# rounding) is reproducible, recorded in the file, and a different model.
meta_precision() {
    python3 -c 'import json, struct, sys
b = open(sys.argv[1], "rb").read(); n = struct.unpack("<Q", b[:8])[0]
print(json.loads(b[8:8 + n])["__metadata__"]["precision"])' "$1"
}
# shellcheck disable=SC2086
expect 0 0 ", fp32, seed 4" -- "$Z" $TRAIN --precision fp32 -o "$T/fp32.safetensors"
# shellcheck disable=SC2086
expect 0 0 ", fp32, seed 4" -- env ZSPACE_BF16=off "$Z" $TRAIN -o "$T/fallback.safetensors"
check "auto without bf16 trains the fp32 model" cmp -s "$T/fp32.safetensors" "$T/fallback.safetensors"
check "the fp32 model records fp32" test "$(meta_precision "$T/fp32.safetensors")" = fp32
# shellcheck disable=SC2086
expect 0 0 ", bf16, seed 4" -- env ZSPACE_BF16=emulate "$Z" $TRAIN --precision bf16 -o "$T/bf16.safetensors"
# shellcheck disable=SC2086
expect 0 0 ", bf16, seed 4" -- env ZSPACE_BF16=emulate "$Z" $TRAIN --precision bf16 -o "$T/bf16b.safetensors"
check "bf16: same seed gives an identical file" cmp -s "$T/bf16.safetensors" "$T/bf16b.safetensors"
check "the bf16 model records bf16" test "$(meta_precision "$T/bf16.safetensors")" = bf16
check "bf16 and fp32 train different models" \
    test "$(cmp -s "$T/fp32.safetensors" "$T/bf16.safetensors"; echo $?)" -eq 1

# Ctrl-C: the file holds the last complete epoch and still loads.
C="$T/cancel.safetensors"
"$Z" train --train-limit 2000 --epochs 10000 --latent 2 --hidden 16 --threads 1 -o "$C" \
    >"$T/cout" 2>"$T/cerr" &
pid=$!
i=0
# Until cout exists grep prints nothing: that counts as 0 epochs (an empty
# test would end the loop at once, and the signal could land before train
# had even started).
epochs_seen() { n=$(grep -c '^epoch ' "$T/cout" 2>/dev/null); echo "${n:-0}"; }
while [ "$(epochs_seen)" -lt 2 ] && [ $i -lt 300 ]; do
    sleep 0.1
    i=$((i + 1))
done
kill -INT $pid
wait $pid
code=$?
check "interrupted train exits 130 (got $code)" test "$code" -eq 130
check "interrupt message: $(cat "$T/cerr")" grep -q "^zspace: train: interrupted; $C holds epoch [0-9]* of 10000$" "$T/cerr"
check "one line on stderr" test "$(wc -l <"$T/cerr")" -eq 1
saved=$(sed -n 's/.* holds epoch \([0-9]*\) of .*/\1/p' "$T/cerr")
expect 0 0 "\"epochs\":	$saved$" -- "$Z" eval -m "$C" --n 50 --json
check "the saved epoch is the last one printed" test "$(grep -c '^epoch ' "$T/cout")" -eq "$saved"

# Ctrl-C inside the first epoch: nothing to save, and nothing is written.
F="$T/first.safetensors"
"$Z" train --epochs 1 --hidden 512 --threads 1 -o "$F" >"$T/fout" 2>"$T/ferr" &
pid=$!
i=0
while ! grep -q '^train MNIST' "$T/fout" 2>/dev/null && [ $i -lt 300 ]; do
    sleep 0.1
    i=$((i + 1))
done
sleep 0.2
kill -INT $pid
wait $pid
code=$?
check "interrupted first epoch exits 130 (got $code)" test "$code" -eq 130
check "first-epoch message: $(cat "$T/ferr")" grep -q "^zspace: train: interrupted in the first epoch; nothing saved$" "$T/ferr"
check "no model written" test ! -e "$F"
check "no temporary file left" test -z "$(ls -A "$T" | grep '^\.first')"
finish
