#!/bin/sh
# cli_study: `zspace classify` and `zspace study` from the outside.
#   cli_study.sh ZSPACE usage   flags: usage errors exit 2 with one stderr line
#   cli_study.sh ZSPACE e2e     (needs MNIST, else skips with 77) a classifier,
#                               then a tiny study (6 models, 1 epoch on 2,000
#                               images) end to end: README.md has one row of
#                               numbers per model and a verdict per claim,
#                               results.json agrees with it, a second run reuses
#                               the cache, and a cached file whose metadata does
#                               not match is retrained
set -u
Z=$1
MODE=${2:-usage}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
. "$(dirname "$0")/cli_expect.sh"
# Keep the user's cache out of it: defaults resolve under $T.
export XDG_CACHE_HOME="$T/xdg"

finish() {
    if [ "$fails" -ne 0 ]; then
        echo "$fails check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}

if [ "$MODE" = usage ]; then
    expect 0 0 "usage: zspace study" -- "$Z" study --help
    expect 0 0 "usage: zspace classify train" -- "$Z" classify --help
    expect 0 0 "study " -- "$Z" --help
    expect 0 0 "classify " -- "$Z" --help
    expect 2 1 "^zspace: study: --epochs 0: must be between 1 and 10000" -- "$Z" study --epochs 0
    expect 2 1 "^zspace: study: --dataset 'cifar': expected mnist or fashion" -- "$Z" study -d cifar
    expect 2 1 "^zspace: study: --iw -1: must be between 0 and" -- "$Z" study --iw -1
    expect 2 1 "^zspace: study: --test-limit 5: must be between 100 and" -- "$Z" study --test-limit 5
    expect 2 1 "^zspace: study: unknown option '--bogus'" -- "$Z" study --bogus
    expect 2 1 "^zspace: study: --precision 'half': expected auto, fp32 or bf16" -- "$Z" study --precision half
    expect 1 1 "^zspace: study: --precision: bf16 is not available: bf16 is switched off" \
        -- env ZSPACE_BF16=off "$Z" study --precision bf16 -o "$T/rep"
    expect 2 1 "^zspace: study: unexpected argument 'x'" -- "$Z" study x
    printf 'x' >"$T/file"
    expect 2 1 "^zspace: study: -o '$T/file' is a file" -- "$Z" study -o "$T/file"
    expect 2 1 "^zspace: classify: expected train, eval, predict or samples" -- "$Z" classify
    expect 2 1 "^zspace: classify: unknown subcommand 'fit'" -- "$Z" classify fit
    expect 2 1 "^zspace: classify: --epochs 0: must be between 1 and 1000" -- "$Z" classify train -e 0
    expect 2 1 "^zspace: classify: predict: give PNG or IDX image files" -- "$Z" classify predict
    expect 2 1 "^zspace: classify: samples: missing -v VAE" -- "$Z" classify samples
    expect 2 1 "^zspace: classify: unexpected argument 'x'" -- "$Z" classify eval x
    expect 1 1 "^zspace: .*classifier-mnist.safetensors: no classifier yet; make it with 'zspace classify train'" \
        -- "$Z" classify eval
    expect 1 1 "^zspace: $T/absent.safetensors: cannot open" -- "$Z" classify eval -m "$T/absent.safetensors"
    check "no cache was created by usage errors" test ! -e "$T/xdg"
    finish
fi

# ---- e2e ----
if [ ! -f "${ZSPACE_DATA:-$(dirname "$0")/../data}/train-images-idx3-ubyte" ]; then
    echo "MNIST not found; skipping"
    exit 77
fi
C="$T/clf.safetensors"
expect 0 0 "test accuracy" -- "$Z" classify train --epochs 2 --train-limit 10000 -o "$C"
acc=$(sed -n 's/.*test accuracy \([0-9.]*\)%.*/\1/p' "$T/out")
check "classifier on 10,000 images, 2 epochs: accuracy $acc% >= 90%" \
    awk -v a="$acc" 'BEGIN { exit !(a >= 90) }'
expect 0 0 "accuracy  " -- "$Z" classify eval -m "$C"
# the test images where zspace finds MNIST (the check above): $ZSPACE_DATA first
"$Z" classify predict -m "$C" "${ZSPACE_DATA:-$(dirname "$0")/../data}/t10k-images-idx3-ubyte" \
    >"$T/pred" 2>"$T/err"
check "predict prints one line per test image" test "$(wc -l <"$T/pred")" -eq 10000
check "predict reads test image 0 as a 7" grep -q "#0  7  " "$T/pred"

R="$T/report"
STUDY="--classifier $C --cache $T/cache --train-limit 2000 --epochs 1 --test-limit 1000 --samples 200 --iw 20 --iw-n 100 -t 2"
# shellcheck disable=SC2086
expect 0 0 "wrote $R/README.md" -- "$Z" study $STUDY -o "$R"
check "6 models were trained, none cached" test "$(grep -c '^\[[1-6]/6\] .*: trained' "$T/out")" -eq 6
check "6 cache files" test "$(ls "$T/cache" | grep -c '^study-mnist-z.*-n2000\.safetensors$')" -eq 6
check "README.md written" test -s "$R/README.md"
# One row per model; every cell after the model's name is a number (with % or not).
numeric_cells() { # the count of numeric cells after the first in a Markdown table row
    printf '%s\n' "$1" | awk -F'|' '{
        n = 0
        for (i = 3; i < NF; i++) { v = $i; gsub(/[ %]/, "", v); if (v ~ /^-?[0-9]+(\.[0-9]+)?$/) n++ }
        print n }'
}
for m in "Z=2 β=1" "Z=64 β=1" "Z=2 β=0" "Z=2 β=10" "Z=64 β=0" "Z=64 β=10"; do
    row=$(grep -F "| $m | " "$R/README.md" | head -1)
    check "README row for $m" test -n "$row"
    check "README row for $m: 15 numeric cells" test "$(numeric_cells "$row")" -eq 15
done
# Figures: real PNG and GIF files, each linked from the README, none missing.
check "21 figures: 6 maps, 6 sample grids, 6 walks, 3 manifolds" \
    test "$(ls "$R" | grep -c '^\(map\|samples\|walk\|manifold\)-z[0-9]*-b[0-9]*\.\(png\|gif\)$')" -eq 21
for f in "$R"/*.png; do
    check "$f is a PNG" test "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a
    check "$f is linked from README.md" grep -qF "]($(basename "$f"))" "$R/README.md"
done
for f in "$R"/*.gif; do
    check "$f is a GIF" test "$(head -c 6 "$f")" = GIF89a
    check "$f is linked from README.md" grep -qF "]($(basename "$f"))" "$R/README.md"
done
check "no figure reported missing" sh -c "! grep -q '^Not made' '$R/README.md'"
check "a verdict per claim (6)" test "$(grep -c '^- \*\*.*\*\* — \(supported\|contradicted\|inconclusive\|partly supported\)\. ' "$R/README.md")" -eq 6
check "results.json is JSON with 6 models" python3 -c "
import json, sys
r = json.load(open('$R/results.json'))
assert len(r['models']) == 6, len(r['models'])
assert r['n_train'] == 2000 and r['n_test'] == 1000
for m in r['models']:
    assert 0 <= m['knn_accuracy']['mean'] <= 1
    assert 0.1 <= m['prior']['max_prob']['mean'] <= 1
    assert m['iw_k'] == 20 and m['iwae_ll'] < 0
md = open('$R/README.md').read()
m = r['models'][0]
row = '| Z=2 β=1 | %.2f | %.2f | %.2f | %.2f | %d | %.2f%% |' % (m['neg_elbo'], m['recon'], m['kl'], m['iwae_ll'], m['active_units'], 100 * m['knn_accuracy']['mean'])
assert row in md, row
"

check "each model file's last epoch carries the report's test recon and KL" python3 -c "
import glob, json, struct
r = {(m['latent'], m['beta']): m for m in json.load(open('$R/results.json'))['models']}
files = glob.glob('$T/cache/study-mnist-z*-n2000.safetensors')
assert len(files) == 6, files
for p in files:
    with open(p, 'rb') as f:
        meta = json.loads(f.read(struct.unpack('<Q', f.read(8))[0]))['__metadata__']
    l = json.loads(meta['losses'])
    m = r[(int(meta['latent']), float(meta['beta']))]
    assert all(t is None for t in l['test'][:-1]), (p, l['test'])
    assert abs(l['test_recon'][-1] - m['recon']) < 1e-6 and abs(l['test_kl'][-1] - m['kl']) < 1e-6, (p, l, m)
    assert abs(l['test'][-1] - (m['recon'] + float(meta['beta']) * m['kl'])) < 1e-6, (p, l, m)
"

# Second run: everything from the cache, the same numbers.
cp "$R/results.json" "$T/first.json"
# shellcheck disable=SC2086
expect 0 0 "wrote $R/README.md" -- "$Z" study $STUDY -o "$R"
check "second run: 6 models from the cache" test "$(grep -c '^\[[1-6]/6\] .*: cached' "$T/out")" -eq 6
check "second run: the same numbers" python3 -c "
import json
a = json.load(open('$T/first.json'))['models']; b = json.load(open('$R/results.json'))['models']
for x, y in zip(a, b):
    for k in ('neg_elbo', 'iwae_ll', 'knn_accuracy', 'prior', 'posterior', 'blur_prior'):
        assert x[k] == y[k], (k, x[k], y[k])
"
# A cached file whose metadata does not match (1 epoch under the 2-epoch name) is retrained.
one=$(ls "$T/cache"/study-mnist-z2-b1-*-e1-*.safetensors)
two=$(echo "$one" | sed 's/-e1-/-e2-/')
cp "$one" "$two"
# shellcheck disable=SC2086
expect 0 0 "wrote $R/README.md" -- "$Z" study $(echo "$STUDY" | sed 's/--epochs 1/--epochs 2/') -o "$R"
check "mismatched cache file retrained" grep -q '^\[1/6\] Z=2 beta=1: trained' "$T/out"
finish
