#!/bin/sh
# cli_data: the CLI's conventions on the data and bench commands: help and
# version exit 0; usage errors exit 2 and bad files exit 1, each with exactly
# one line on stderr that starts with "zspace:".
set -u
Z=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

. "$(dirname "$0")/cli_expect.sh"

expect 0 0 "usage: zspace <command>" -- "$Z" --help
expect 0 0 "^zspace [0-9]" -- "$Z" --version
expect 0 0 "usage: zspace data" -- "$Z" data --help
expect 2 1 "^zspace: unknown command 'frobnicate'" -- "$Z" frobnicate
expect 2 1 "^zspace: data: unknown option '--bogus'" -- "$Z" data --bogus
expect 2 1 "^zspace: data: inspect needs at least one FILE" -- "$Z" data inspect
expect 2 1 "^zspace: bench: --repeat 0: must be between 1 and 1000" -- "$Z" bench load --repeat 0
expect 2 1 "^zspace: bench: --repeat 'x': not a whole number" -- "$Z" bench load --repeat x
expect 2 1 "^zspace: bench: option '--repeat' needs a value" -- "$Z" bench load --repeat

printf '\000\000\010\003\000\000\000\002\000\000\000\002\000\000\000\002\001\002' >"$T/short.idx"
expect 1 1 "^zspace: $T/short.idx: truncated: header says 2x2x2 (8 bytes), file holds 2 bytes" \
    -- "$Z" data inspect "$T/short.idx"
printf '\000\000\010\001\000\000\000\002\001\002' >"$T/ok.idx"
expect 0 0 "unsigned byte (0x08), 1 dim 2, 2 items" -- "$Z" data inspect "$T/ok.idx"
expect 1 1 "is a directory" -- "$Z" data inspect "$T"

# An empty data directory: listed as missing, exit 1, saying how to add it.
mkdir "$T/empty"
ZSPACE_DATA="$T/empty" expect 1 0 "add it with 'zspace data fetch'" -- "$Z" data --no-verify
ZSPACE_DATA="$T/empty" expect 1 0 "MNIST: incomplete" -- "$Z" data --dataset mnist --no-verify
ZSPACE_DATA="$T/empty" expect 1 1 "^zspace: $T/empty/train-images-idx3-ubyte: cannot open" -- \
    "$Z" train -o "$T/m.safetensors" --epochs 1

# Import: usage errors, and a file that is none of the datasets' (exit 1, one line).
expect 2 1 "^zspace: data: import needs at least one DIR or FILE" -- "$Z" data import
expect 2 1 "^zspace: data: import: unknown option '--bogus'" -- "$Z" data import --bogus
expect 2 1 "^zspace: data: fetch takes no arguments, got 'x'" -- "$Z" data fetch x
ZSPACE_DATA="$T/imp" expect 1 1 "^zspace: $T/ok.idx: no file of MNIST or Fashion-MNIST found" -- \
    "$Z" data import "$T/ok.idx"
ZSPACE_DATA="$T/imp" expect 1 1 "^zspace: $T/absent: cannot open: No such file" -- \
    "$Z" data import "$T/absent"
expect 2 1 "^zspace: data: --dataset 'cifar': expected mnist or fashion" -- "$Z" data --dataset cifar

# The explorer without any display: a clear error, never an invisible window.
XDG_CACHE_HOME="$T" expect 1 1 "^zspace: no display to open a window on" -- \
    env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$Z" explore

if [ "$fails" -ne 0 ]; then
    echo "$fails CLI check(s) failed"
    exit 1
fi
echo "all CLI checks passed"
