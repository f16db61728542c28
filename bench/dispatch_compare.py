#!/usr/bin/env python3
"""Side by side: the portable build (run-time CPU dispatch) against the native one.

Runs, alternating in one session on one machine, `--rounds` times:
  - `zspace bench train --latent 20 --threads 1` and `--threads 2` (samples/s);
  - `zspace bench tsne --threads T --no-quality` (N = 10,000; t-SNE total seconds);
first with the portable binary, then with the native one (the order flips every round, so
neither always runs first). Prints each run, then per metric the medians and the portable
build's speed relative to the native one (> 1: portable faster), both as measured (wall clock) and per CPU second of zspace itself
(rate / own cores), which is less sensitive to other processes on a shared machine; the
cores other processes used meanwhile are printed beside each run.

Usage: bench/dispatch_compare.py --portable build/src/cli/zspace \\
           --native build-native/src/cli/zspace [--rounds 5] [--tsne-threads 2]
"""
import argparse
import re
import statistics
import subprocess
import sys

TRAIN = re.compile(r"([\d.]+) samples/s .*\(own ([\d.]+) cores, others ([\d.]+)\)")
TSNE = re.compile(r"1000 iterations ([\d.]+) s .*t-SNE total ([\d.]+) s")
TSNE_LOAD = re.compile(r"own ([\d.]+) cores, other processes ([\d.]+) cores")


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return out


def train(zspace, threads, seconds):
    out = run([zspace, "bench", "train", "--latent", "20", "--threads", str(threads),
               "--seconds", str(seconds)])
    m = TRAIN.search(out)
    if not m:
        sys.exit("unexpected bench train output: " + out)
    rate, own, others = map(float, m.groups())
    return {"value": rate, "per_cpu": rate / own, "own": own, "others": others}


def tsne(zspace, threads):
    out = run([zspace, "bench", "tsne", "--threads", str(threads), "--no-quality"])
    m, load = TSNE.search(out), TSNE_LOAD.search(out)
    if not m or not load:
        sys.exit("unexpected bench tsne output: " + out)
    total = float(m.group(2))
    own, others = map(float, load.groups())
    # seconds: lower is better; per_cpu is CPU seconds of zspace (wall x own cores)
    return {"value": total, "per_cpu": total * own, "own": own, "others": others}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--portable", required=True)
    p.add_argument("--native", required=True)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--tsne-threads", type=int, default=2)
    a = p.parse_args()
    builds = {"portable": a.portable, "native": a.native}
    metrics = {
        "train Z=20 1 thread (samples/s)": lambda z: train(z, 1, a.seconds),
        "train Z=20 2 threads (samples/s)": lambda z: train(z, 2, a.seconds),
        f"t-SNE N=10000 {a.tsne_threads} threads (total s)": lambda z: tsne(z, a.tsne_threads),
    }
    res = {(m, b): [] for m in metrics for b in builds}
    for r in range(a.rounds):
        order = ["portable", "native"] if r % 2 == 0 else ["native", "portable"]
        for m, fn in metrics.items():
            for b in order:
                x = fn(builds[b])
                res[(m, b)].append(x)
                print(f"round {r + 1} {m:38s} {b:8s} {x['value']:9.2f}  "
                      f"(own {x['own']:.2f} cores, others {x['others']:.2f})", flush=True)
    print()
    print("| metric | portable (median) | native (median) | portable speed / native | "
          "the same per CPU second of zspace | others' cores (median) |")
    print("|---|---|---|---|---|---|")
    for m in metrics:
        higher_better = "samples/s" in m
        pv = statistics.median(x["value"] for x in res[(m, "portable")])
        nv = statistics.median(x["value"] for x in res[(m, "native")])
        pc = statistics.median(x["per_cpu"] for x in res[(m, "portable")])
        nc = statistics.median(x["per_cpu"] for x in res[(m, "native")])
        others = statistics.median(x["others"] for b in builds for x in res[(m, b)])
        speed = pv / nv if higher_better else nv / pv
        speed_cpu = pc / nc if higher_better else nc / pc
        print(f"| {m} | {pv:.2f} | {nv:.2f} | {speed:.3f} | {speed_cpu:.3f} | {others:.2f} |")


if __name__ == "__main__":
    main()
