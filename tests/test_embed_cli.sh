#!/bin/sh
# test_embed_cli: `zspace project` end to end on small CSVs: PCA and t-SNE
# outputs (header, rows, labels carried over), CSV rules (header detection,
# label column), and the errors: malformed rows name the line, NaN is
# refused, too few points for the perplexity, usage errors exit 2. Each
# failure case exits non-zero with exactly one stderr line "zspace: ...".
set -u
Z=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

. "$(dirname "$0")/cli_expect.sh"

# 3 clusters of 40 points in 4-D with a header and a label column in the middle.
awk 'BEGIN { srand(7); print "a,b,label,c,d";
  for (i = 0; i < 120; i++) { k = i % 3;
    printf "%.4f,%.4f,c%d,%.4f,%.4f\n", 10*k + rand(), rand(), k, -5*k + rand(), rand() } }' >"$T/pts.csv"

expect 0 0 "usage: zspace project" -- "$Z" project --help
expect 0 0 "pca: 120 points, 4 dims -> 2" -- "$Z" project -i "$T/pts.csv" --method pca -o "$T/pca.csv"
check "pca header" test "$(head -1 "$T/pca.csv")" = "x,y,label"
check "pca rows" test "$(wc -l <"$T/pca.csv")" -eq 121
check "labels carried" test "$(sed -n 2p "$T/pca.csv" | cut -d, -f3)" = "c0"
expect 0 0 "pc1,pc2,pc3,label" -- "$Z" project -i "$T/pts.csv" --method pca --dims 3
expect 0 0 "tsne: 120 points, 4 dims, perplexity 10, 300 iterations" \
    -- "$Z" project -i "$T/pts.csv" --perplexity 10 --iters 300 -o "$T/map.csv"
check "tsne rows" test "$(wc -l <"$T/map.csv")" -eq 121
# t-SNE to stdout; -n keeps the first rows; a headerless file has empty labels.
expect 0 0 "^x,y,label" -- "$Z" project -i "$T/pts.csv" --perplexity 5 --iters 50 --n 60
check "--n 60" test "$(wc -l <"$T/out")" -eq 61
tail -n +2 "$T/pts.csv" | cut -d, -f1,2,4,5 >"$T/bare.csv"
expect 0 0 "^x,y,label" -- "$Z" project -i "$T/bare.csv" --method pca
check "no labels -> empty field" test "$(sed -n 2p "$T/out" | cut -d, -f3)" = ""
check "headerless keeps row 1" test "$(wc -l <"$T/out")" -eq 121

# Standard input, and Windows line ends.
expect 0 0 "^x,y,label" -- sh -c "\"$Z\" project -i - --method pca <\"$T/pts.csv\""
check "stdin rows" test "$(wc -l <"$T/out")" -eq 121
sed 's/$/\r/' "$T/pts.csv" >"$T/crlf.csv"
expect 0 0 "^x,y,label" -- "$Z" project -i "$T/crlf.csv" --method pca
check "crlf labels clean" test "$(sed -n 2p "$T/out" | cut -d, -f3)" = "c0"

# A spreadsheet's "CSV UTF-8": a byte-order mark before the header keeps the
# label column a label; before a numeric first line, that line is a point.
printf '\357\273\277' | cat - "$T/pts.csv" >"$T/bom.csv"
expect 0 0 "^x,y,label" -- "$Z" project -i "$T/bom.csv" --method pca
check "BOM: labels carried" test "$(sed -n 2p "$T/out" | cut -d, -f3)" = "c0"
printf '\357\273\277' | cat - "$T/bare.csv" >"$T/bom-bare.csv"
expect 0 0 "^x,y,label" -- "$Z" project -i "$T/bom-bare.csv" --method pca
check "BOM: numeric first row kept" test "$(wc -l <"$T/out")" -eq 121

# Values near 1e38: kNN and PCA refuse squared distances and variances past
# float range by name (never a read past the neighbour lists: ASan runs this);
# far-out but tight clusters (offset 1e20) map correctly.
awk 'BEGIN { srand(3); for (i = 0; i < 60; i++)
  printf "%.6e,%.6e,%.6e\n", (rand()-0.5)*3e38, (rand()-0.5)*3e38, (i%2)*2e38 }' >"$T/huge.csv"
expect 1 1 "^zspace: tsne: knn: squared distances between neighbours exceed the float range" \
    -- "$Z" project -i "$T/huge.csv" --perplexity 5 -o "$T/huge-map.csv"
expect 1 1 "^zspace: pca: the data's variance .* exceeds the float range" \
    -- "$Z" project -i "$T/huge.csv" --method pca -o "$T/huge-map.csv"
check "nothing written for refused input" test ! -e "$T/huge-map.csv"
awk 'BEGIN { srand(5); print "a,b,c,label"; for (i = 0; i < 60; i++) { k = i % 3;
  printf "%.9e,%.9e,%.9e,c%d\n", 1e20 + k*1e18 + rand()*1e16, rand()*1e16, -1e20 + rand()*1e16, k } }' >"$T/far.csv"
expect 0 0 "^x,y,label" -- "$Z" project -i "$T/far.csv" --perplexity 5 --iters 300
check "far-out clusters: finite map" test "$(tail -n +2 "$T/out" | grep -c -i 'nan\|inf')" -eq 0
# Fewer rows than columns (40 x 2000): PCA through the 40 x 40 Gram matrix.
awk 'BEGIN { srand(9); for (i = 0; i < 40; i++) { s = ""; for (j = 0; j < 2000; j++)
  s = s (j ? "," : "") sprintf("%.3f", rand() + (i % 2) * (j < 10)); print s } }' >"$T/wide.csv"
expect 0 0 "pca: 40 points, 2000 dims -> 2" -- "$Z" project -i "$T/wide.csv" --method pca -o "$T/wide-map.csv"
check "wide rows" test "$(wc -l <"$T/wide-map.csv")" -eq 41

# Errors.
printf 'a,b\n1,2\n3\n' >"$T/ragged.csv"
expect 1 1 "^zspace: $T/ragged.csv: line 3: 1 field, expected 2" -- "$Z" project -i "$T/ragged.csv" --method pca
printf 'a,b\n1,2\n3,x\n' >"$T/word.csv"
expect 1 1 "line 3, column 2: 'x' is not a number" -- "$Z" project -i "$T/word.csv" --method pca
printf '1,2\n3,nan\n5,6\n' >"$T/nan.csv"
expect 1 1 "line 2, column 2: NaN is not allowed" -- "$Z" project -i "$T/nan.csv" --method pca
printf 'a,b\n' >"$T/empty.csv"
expect 1 1 "no data rows" -- "$Z" project -i "$T/empty.csv"
expect 1 1 "too few for perplexity 30" -- "$Z" project -i "$T/pts.csv" --n 90
expect 1 1 "has 1 point, too few for perplexity 1" -- "$Z" project -i "$T/pts.csv" --n 1 --perplexity 1
expect 1 1 "^zspace: $T/missing.csv: cannot open: No such file" -- "$Z" project -i "$T/missing.csv"
expect 2 1 "^zspace: project: give exactly one of --input FILE.csv and -m MODEL" -- "$Z" project
expect 2 1 "^zspace: project: give exactly one of" -- "$Z" project -i "$T/pts.csv" -m "$T/m.safetensors"
expect 2 1 "^zspace: project: --dataset goes with -m MODEL" -- "$Z" project -i "$T/pts.csv" --dataset mnist
expect 1 1 "^zspace: $T/none.safetensors: cannot open" -- "$Z" project -m "$T/none.safetensors"

# -m MODEL: the latent means of the test images, labelled by class (needs MNIST).
if "$Z" data --dataset mnist --no-verify >/dev/null 2>&1; then
    expect 0 0 "" -- "$Z" train --latent 3 --epochs 1 --train-limit 300 -o "$T/m.safetensors"
    expect 0 0 "^x,y,label" -- "$Z" project -m "$T/m.safetensors" --method pca --n 200
    check "model rows" test "$(wc -l <"$T/out")" -eq 201
    check "model labels are test labels" test "$(sed -n 2p "$T/out" | cut -d, -f3)" = "7"
    expect 0 0 "^x,y,label" -- "$Z" project -m "$T/m.safetensors" --method tsne --n 200 --perplexity 10 --iters 100
    check "model t-SNE rows" test "$(wc -l <"$T/out")" -eq 201
fi
expect 2 1 "^zspace: project: --method 'umap': expected tsne or pca" -- "$Z" project -i "$T/pts.csv" --method umap
expect 2 1 "^zspace: project: --perplexity 0.5: must be between 1" -- "$Z" project -i "$T/pts.csv" --perplexity 0.5
expect 2 1 "^zspace: project: --dims applies to pca" -- "$Z" project -i "$T/pts.csv" --dims 3
expect 2 1 "^zspace: project: --dims 5: the input has only 4 numeric columns" -- "$Z" project -i "$T/pts.csv" --method pca --dims 5
expect 2 1 "^zspace: project: unknown option '--bogus'" -- "$Z" project --bogus

if [ "$fails" -ne 0 ]; then
    echo "$fails project check(s) failed"
    exit 1
fi
echo "all project checks passed"
