#!/bin/sh
# The portable build on old and new CPUs, through qemu's user-mode emulator:
#
# 1. The dispatched kernels agree with the baseline variant: tests/cpu/
#    cpu_kernels runs every ZS_KERNEL function natively, under -cpu Nehalem
#    (SSE4.2, no AVX: the resolver must pick the baseline variant) and under
#    -cpu Haswell (AVX2 + FMA: x86-64-v3), and the outputs must agree within
#    each kernel's tolerance.
# 2. zspace itself runs on a Nehalem: a one-epoch train on 256 images (hidden
#    32, so that the epoch's test-set pass stays short under emulation) and
#    an eval finish without an illegal instruction, and the eval agrees with
#    the same model trained and evaluated natively.
#
# Usage: nehalem.sh ZSPACE CPU_KERNELS [sanitized]. With "sanitized" (ASan,
# TSan builds, whose shadow memory qemu-user cannot host) only runs the
# kernels natively, for the sanitizer's sake. Skips (77) without qemu-x86_64
# (Debian qemu-user), for builds without dispatch (-Dnative=true: they run
# only where they were built), and part 2 without MNIST.
set -u
Z=$1
K=$2

if [ "${3:-}" = sanitized ]; then
    T=$(mktemp -d)
    "$K" write "$T/native.txt"
    st=$?
    rm -rf "$T"
    [ $st -eq 0 ] || { echo "FAIL: cpu_kernels write (status $st)"; exit 1; }
    echo "SKIP: sanitizer build: kernels ran natively only"
    exit 77
fi
if ! command -v qemu-x86_64 >/dev/null 2>&1; then
    echo "SKIP: qemu-x86_64 not found (Debian package qemu-user)"
    exit 77
fi
level=$("$K" level) || { echo "FAIL: cpu_kernels level"; exit 1; }
echo "native CPU runs the $level kernels"
if [ "$level" = "build target" ]; then
    echo "SKIP: this build has no CPU dispatch (-Dnative=true or not GCC on x86-64)"
    exit 77
fi

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
qemu() { cpu=$1; shift; qemu-x86_64 -cpu "$cpu" "$@"; }

# 1. kernels, per CPU level
l=$(qemu Nehalem "$K" level)
[ "$l" = baseline ] && ok "Nehalem runs the baseline kernels" ||
    bad "Nehalem runs the '$l' kernels, expected baseline"
# (qemu warns on stderr about each Haswell CPUID feature it cannot emulate)
l=$(qemu Haswell "$K" level 2>>"$T/qemu.err")
[ "$l" = x86-64-v3 ] && ok "Haswell runs the x86-64-v3 kernels" ||
    bad "Haswell runs the '$l' kernels, expected x86-64-v3 (qemu >= 7.2 emulates AVX2)"

"$K" write "$T/native.txt" || bad "cpu_kernels write (native)"
qemu Nehalem "$K" write "$T/nehalem.txt" || bad "cpu_kernels write under Nehalem (status $?)"
qemu Haswell "$K" write "$T/haswell.txt" 2>>"$T/qemu.err" || bad "cpu_kernels write under Haswell (status $?)"
echo "-- $level (native) against baseline (Nehalem):"
"$K" compare "$T/nehalem.txt" "$T/native.txt" && ok "native $level kernels match the baseline" ||
    bad "native $level kernels differ from the baseline"
echo "-- x86-64-v3 (Haswell) against baseline (Nehalem):"
"$K" compare "$T/nehalem.txt" "$T/haswell.txt" && ok "x86-64-v3 kernels match the baseline" ||
    bad "x86-64-v3 kernels differ from the baseline"

# 2. zspace train + eval on a Nehalem
if ! "$Z" data --dataset mnist >/dev/null 2>&1; then
    echo "SKIP (part 2): MNIST not found"
    [ "$fails" -eq 0 ] || exit 1
    exit 0
fi
TRAIN="train -d mnist -z 2 -H 32 -e 1 --train-limit 256 -t 1 -s 5"
# shellcheck disable=SC2086
"$Z" $TRAIN -o "$T/native.safetensors" >"$T/train-native.out" 2>&1 ||
    bad "native train (status $?)"
# shellcheck disable=SC2086
qemu Nehalem "$Z" $TRAIN -o "$T/nehalem.safetensors" >"$T/train-nehalem.out" 2>&1
st=$?
[ $st -eq 0 ] && ok "train finishes on a Nehalem" ||
    { bad "train on a Nehalem: status $st (132 = illegal instruction)"; cat "$T/train-nehalem.out"; }
EVAL="eval --n 200 -t 1 --json"
# shellcheck disable=SC2086
"$Z" $EVAL -m "$T/native.safetensors" >"$T/eval-native.json" 2>"$T/eval-native.err" ||
    bad "native eval (status $?)"
# OPENBLAS_VERBOSE=2 names the OpenBLAS kernel set it picked (on stderr).
# shellcheck disable=SC2086
OPENBLAS_VERBOSE=2 qemu Nehalem "$Z" $EVAL -m "$T/nehalem.safetensors" \
    >"$T/eval-nehalem.json" 2>"$T/eval-nehalem.err"
st=$?
[ $st -eq 0 ] && ok "eval finishes on a Nehalem" ||
    { bad "eval on a Nehalem: status $st (132 = illegal instruction)"; cat "$T/eval-nehalem.err"; }
grep -i "core" "$T/eval-nehalem.err" | sed 's/^/OpenBLAS under Nehalem: /' | head -1
a=$(sed -n 's/^[[:space:]]*"neg_elbo":[[:space:]]*\([-0-9.e+]*\),*$/\1/p' "$T/eval-native.json")
b=$(sed -n 's/^[[:space:]]*"neg_elbo":[[:space:]]*\([-0-9.e+]*\),*$/\1/p' "$T/eval-nehalem.json")
echo "neg_elbo on 200 test images: native $a, Nehalem $b"
# The same seed trains the same model up to rounding (FMA, vector widths).
if [ -n "$a" ] && [ -n "$b" ] &&
    awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-4 * a) }'; then
    ok "Nehalem's model evaluates within 0.01% of the native one (measured 6e-10 on AVX2)"
else
    bad "neg_elbo differs: native '$a', Nehalem '$b'"
fi

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
