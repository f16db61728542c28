#!/usr/bin/python3
"""Lower bound on the per-iteration cost of FFT-accelerated interpolation
(FIt-SNE, Linderman et al. 2019) on the grids our layouts need, to compare
with the Barnes-Hut iteration zspace uses (BENCHMARKS.md, t-SNE section).

FIt-SNE's defaults: 3 interpolation nodes per box, boxes of side <= 1 map
unit (intervals_per_integer = 1) and at least 50 boxes per axis; the kernel
is applied by a 2-D FFT of twice the node grid. Each iteration transforms the
kernel once and four charge grids forward and back: 9 real 2-D FFTs. This
script times only those FFTs (scipy.fft, float32), ignoring interpolation
and everything else, so the real cost is higher.

usage: /usr/bin/python3 bench/tsne_fft_cost.py MAP.csv [MAP.csv ...]
       (maps with x,y columns, e.g. from zspace project; the box count comes
       from the map's per-axis range) or --boxes 50,100,200
"""
import argparse
import time

import numpy as np
import scipy.fft as sf


def fft_ms(boxes, workers, reps=5):
    n = 2 * 3 * boxes
    rng = np.random.default_rng(0)
    k = rng.random((n, n), dtype=np.float32)
    q = rng.random((4, n, n), dtype=np.float32)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        kf = sf.rfft2(k, workers=workers)
        qf = sf.rfft2(q, axes=(1, 2), workers=workers)
        sf.irfft2(qf * kf, s=(n, n), axes=(1, 2), workers=workers)
        best = min(best, time.perf_counter() - t0)
    return n, 1e3 * best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("maps", nargs="*")
    ap.add_argument("--boxes", default="")
    a = ap.parse_args()
    boxes = [int(b) for b in a.boxes.split(",") if b]
    for path in a.maps:
        d = np.genfromtxt(path, delimiter=",", names=True)
        span = max(np.ptp(d["x"]), np.ptp(d["y"]))
        boxes.append(max(50, int(np.ceil(span))))
        print("%s: per-axis span %.1f -> %d boxes per axis" % (path, span, boxes[-1]))
    print("| boxes/axis | FFT size | 1 thread ms/iter | 2 threads ms/iter |")
    print("|---|---|---|---|")
    for b in boxes:
        n, t1 = fft_ms(b, 1)
        _, t2 = fft_ms(b, 2)
        print("| %d | %d x %d | %.1f | %.1f |" % (b, n, n, t1, t2))


if __name__ == "__main__":
    main()
