#!/usr/bin/env bash
# golden: the explorer's tour (tour.sh: every panel at Z = 2, Z = 8 with
# t-SNE and with PCA, --compare; 35 dump-states) on the stored tiny models
# says what the stored dumps say (tests/golden/tour), measurements aside:
# tests/compare_dumps.py, whose IGNORED table names each field left out and
# why. Numbers compare within 1e-5 relative (an ASan or portable build
# encodes a few ulps apart); SHA-1s of decodes, indices, labels, rects and
# strings compare exactly.
#
#   golden.sh ZSPACE SOURCE_ROOT           compare (the gui test)
#   golden.sh ZSPACE SOURCE_ROOT --record  write tests/golden/tour anew
#                                          from this binary (after a change
#                                          to the dumps that is meant)
#
# The models are stored (tests/golden/models), not trained here: a training
# run's floats differ between builds (an ASan build trains other weights),
# while decoding a given model gives the same images in every build measured.
# Skips (77) without Xvfb or without MNIST (the map encodes its test split).
set -u
zspace=$1 root=$2 mode=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
models=$root/tests/golden/models golden=$root/tests/golden/tour
command -v Xvfb >/dev/null || { echo "golden: no Xvfb: skipped"; exit 77; }
"$zspace" data >/dev/null 2>&1 || { echo "golden: no MNIST files: skipped"; exit 77; }
# The stored SHA-1s are of bytes rounded from floats that OpenBLAS and our
# dispatched kernels compute; another instruction-set level sums in another
# order, and a pixel near a rounding edge flips a SHA-1. So the golden set
# applies to the CPU level it was recorded on (tests/golden/cpu).
cpu_level() {
    local flags
    flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
    case " $flags " in
    *" avx512f "*) echo x86-64-v4 ;;
    *" avx2 "*" fma "* | *" fma "*" avx2 "*) echo x86-64-v3 ;;
    *) echo older ;;
    esac
}
level=$(cpu_level)
if [ "$mode" != --record ] && [ "$level" != "$(cat "$root/tests/golden/cpu")" ]; then
    echo "golden: recorded on an $(cat "$root/tests/golden/cpu") CPU, this one is $level;" \
        "decodes may round differently: skipped (re-record here with --record to compare)"
    exit 77
fi
out=$(mktemp -d /tmp/zspace-golden-XXXXXX)
cleanup() { rm -rf "$out"; }
# shellcheck source=../xvfb_start.sh
. "$here/../xvfb_start.sh"
xvfb_start golden 1280x800x24 "$out"
trap 'kill $xvfb_pid 2>/dev/null; wait $xvfb_pid 2>/dev/null; cleanup' EXIT
export XDG_CONFIG_HOME=$out/config XDG_CACHE_HOME=$out/cache
# The Open dialog's field starts at the working directory: keep it in $out.
cd "$out" || exit 1
# shellcheck source=tour.sh
. "$here/tour.sh"
mkdir "$out/dumps"
tour_run "$zspace" "$models" "$out/dumps"
subst=(--subst "cur:$out=@OUT" --subst "cur:$models=@MODELS")
if [ "$mode" = --record ]; then
    rm -rf "$golden"
    python3 "$root/tests/compare_dumps.py" --strip --subst "base:$out=@OUT" \
        --subst "base:$models=@MODELS" "$out/dumps" "$golden" || exit 1
    echo "$level" >"$root/tests/golden/cpu"
    echo "golden: recorded $(ls "$golden" | wc -l) dumps in $golden ($level CPU)"
    exit 0
fi
python3 "$root/tests/compare_dumps.py" --tol 1e-5 "${subst[@]}" "$golden" "$out/dumps"
