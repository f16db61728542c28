#!/bin/sh
# run_fuzz: run a libFuzzer target for a bounded time. New inputs go to a
# scratch directory (the seed corpus in the source tree stays untouched);
# crashes are saved there as crash-* files, to be minimised and added to
# tests/fuzz/corpus/<target>/ once fixed.
# usage: run_fuzz.sh TARGET SEED_CORPUS SCRATCH_DIR SECONDS
set -eu
target=$1 seeds=$2 scratch=$3 seconds=$4
mkdir -p "$scratch/corpus"
exec "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$scratch/" -print_final_stats=1 "$scratch/corpus" "$seeds"
