#!/bin/sh
# cli_export: the figure and animation commands' arguments from the outside
# (interp, sample, recon, manifold, scatter), no model or dataset needed:
# --help on each, and every bad argument is a usage error (exit 2) with one
# stderr line "zspace: <command>: ..." and no file written. The outputs
# themselves are checked by test_export.c, which reads them back.
set -u
Z=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

. "$(dirname "$0")/cli_expect.sh"

M="$T/absent.safetensors"
G="$T/out.gif"
P="$T/out.png"

for c in interp sample recon manifold scatter; do
    expect 0 0 "usage: zspace $c" -- "$Z" $c --help
    expect 0 0 "^  $c " -- "$Z" --help
    expect 2 1 "^zspace: $c: unknown option '--bogus'" -- "$Z" $c --bogus
    expect 2 1 "^zspace: $c: unexpected argument 'extra'" -- "$Z" $c -m "$M" -o "$P" extra
done

expect 2 1 "^zspace: interp: missing -m MODEL" -- "$Z" interp -o "$G"
expect 2 1 "^zspace: interp: nothing to write" -- "$Z" interp -m "$M"
expect 2 1 "^zspace: interp: --steps 0: must be between 1 and 1000" -- "$Z" interp -m "$M" --steps 0 -o "$G"
expect 2 1 "^zspace: interp: --fps 0: must be between 1 and 50" -- "$Z" interp -m "$M" --fps 0 -o "$G"
expect 2 1 "^zspace: interp: --scale 99: must be between 1 and 32" -- "$Z" interp -m "$M" --scale 99 -o "$G"
expect 2 1 "^zspace: interp: --hold -1: must be between" -- "$Z" interp -m "$M" --hold -1 -o "$G"
expect 2 1 "^zspace: interp: --from-index and --to-index go together" -- "$Z" interp -m "$M" --from-index 3 -o "$G"
expect 2 1 "^zspace: interp: --path and --from-index/--to-index exclude" \
    -- "$Z" interp -m "$M" --path 1,2 --from-index 3 --to-index 4 -o "$G"
expect 2 1 "^zspace: interp: -o '$T/no/such/w.gif': directory '$T/no/such' does not exist" \
    -- "$Z" interp -m "$M" -o "$T/no/such/w.gif"
expect 2 1 "^zspace: interp: --png-strip '$T' is a directory" -- "$Z" interp -m "$M" --png-strip "$T"
expect 2 1 "^zspace: interp: option '--path' needs a value" -- "$Z" interp -m "$M" -o "$G" --path

expect 2 1 "^zspace: sample: missing -m MODEL" -- "$Z" sample -o "$P"
expect 2 1 "^zspace: sample: missing -o FILE.png" -- "$Z" sample -m "$M"
expect 2 1 "^zspace: sample: --grid 0: must be between 1 and 100" -- "$Z" sample -m "$M" --grid 0x5 -o "$P"
expect 2 1 "^zspace: sample: --grid '10': expected ROWSxCOLS" -- "$Z" sample -m "$M" --grid 10 -o "$P"
expect 2 1 "^zspace: sample: --grid 'a': not a whole number" -- "$Z" sample -m "$M" --grid axb -o "$P"
expect 2 1 "^zspace: sample: --prior and --posterior exclude each other" \
    -- "$Z" sample -m "$M" --prior --posterior -o "$P"
expect 2 1 "^zspace: sample: --temperature -1: must be between 0 and 10" \
    -- "$Z" sample -m "$M" --temperature -1 -o "$P"
expect 2 1 "^zspace: sample: --dataset 'svhn': expected mnist or fashion" \
    -- "$Z" sample -m "$M" --dataset svhn -o "$P"

expect 2 1 "^zspace: recon: --n 0: must be between 1 and 1000" -- "$Z" recon -m "$M" --n 0 -o "$P"
expect 2 1 "^zspace: recon: --cols 0: must be between 1 and 100" -- "$Z" recon -m "$M" --cols 0 -o "$P"
expect 2 1 "^zspace: recon: missing -o FILE.png" -- "$Z" recon -m "$M"

expect 2 1 "^zspace: manifold: --grid 1: must be between 2 and 100" -- "$Z" manifold -m "$M" --grid 1 -o "$P"
expect 2 1 "^zspace: manifold: --range 0: must be between" -- "$Z" manifold -m "$M" --range 0 -o "$P"
expect 2 1 "^zspace: manifold: missing -m MODEL" -- "$Z" manifold -o "$P"

expect 2 1 "^zspace: scatter: missing -m MODEL (or --input MAP.csv)" -- "$Z" scatter -o "$P"
expect 2 1 "^zspace: scatter: -m and --input exclude each other" -- "$Z" scatter -m "$M" -i x.csv -o "$P"
expect 2 1 "^zspace: scatter: --method 'umap': expected identity, pca or tsne" \
    -- "$Z" scatter -m "$M" --method umap -o "$P"
expect 2 1 "^zspace: scatter: --size 100: must be between 200 and 8192" \
    -- "$Z" scatter -m "$M" --size 100x100 -o "$P"

# Runtime failures: exit 1, one line naming the file.
expect 1 1 "^zspace: $M: cannot open" -- "$Z" sample -m "$M" -o "$P"
expect 1 1 "^zspace: $T/absent.csv: cannot open: No such file" -- "$Z" scatter --input "$T/absent.csv" -o "$P"
# The same CSV reader as project --input: a byte-order mark is skipped.
printf '\357\273\277x,y,label\n1,2,3\n2,1,5\n' >"$T/bom.csv"
expect 0 0 "" -- "$Z" scatter --input "$T/bom.csv" -o "$T/bom.png"
# A label that renders zero pixels wide (a zero-width space) is drawn as
# nothing; it no longer fails the whole figure.
printf 'x,y,label\n1,2,a\n2,3,\342\200\213\n3,1,b\n' >"$T/zw.csv"
expect 0 0 "" -- "$Z" scatter --input "$T/zw.csv" -o "$T/zw.png"
printf 'a,b\n1,2\n' >"$T/bad.csv"
expect 1 1 "^zspace: $T/bad.csv: the header has no column named 'x'" \
    -- "$Z" scatter --input "$T/bad.csv" -o "$P"
check "no output written" test ! -e "$G" -a ! -e "$P"

# A map CSV from standard input (no model needed).
printf 'x,y,label\n0,0,a\n1,1,b\n2,0,a\n' | "$Z" scatter --input - --size 400x300 -o "$P" >"$T/out" 2>"$T/err"
check "scatter from stdin" test $? -eq 0 -a -s "$P" -a ! -s "$T/err"
check "scatter summary" grep -q "scatter: 3 points -> $P, 400x300 px" "$T/out"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all checks passed"
