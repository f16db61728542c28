#!/usr/bin/env python3
"""test_check_soak: the soak's RSS judge (check_soak.rss_growth) on made-up
series shaped like real runs: RSS that swings with the work but does not
grow passes, even when the last reading lands on a peak and the first on a
trough; RSS that climbs steadily fails; too short a window is no verdict."""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_soak import rss_growth  # noqa: E402

MIB = 1024.0


def series(seconds, base_mib, leak_mib_per_s, seed):
    """One sample a second: a base, a square wave of +-40 MiB every 40 s
    (a t-SNE or a training run holding buffers), jitter, and the leak."""
    rng = random.Random(seed)
    out = []
    for t in range(seconds):
        swing = 40 if (t // 40) % 2 else -40
        out.append((float(t), (base_mib + swing + rng.uniform(-5, 5) + leak_mib_per_s * t) * MIB))
    return out


def main():
    fails = 0

    def check(what, ok):
        nonlocal fails
        print(("ok   " if ok else "FAIL ") + what)
        fails += not ok

    flat = series(360, 500, 0.0, 1)
    g = rss_growth(flat, 60, 359)
    check("steady RSS: growth %+.1f%% is under 5%%" % (100 * g), abs(g) < 0.05)
    # Readings at two instants, as the old check compared them: a trough at
    # the start, a peak at the end, yet nothing leaks.
    spot = flat[319][1] / flat[80][1] - 1
    check("the two end readings alone would say %+.1f%%" % (100 * spot), spot > 0.10)
    g = rss_growth(flat, 80, 319)
    check("window from a trough to a peak: growth %+.1f%% is under 10%%" % (100 * g), g < 0.10)

    leak = series(360, 500, 0.5, 2)  # 0.5 MiB/s: +150 MiB over 5 minutes
    g = rss_growth(leak, 60, 359)
    check("leaking RSS: growth %+.1f%% is at least 10%%" % (100 * g), g >= 0.10)

    check("29 samples: no verdict", rss_growth(flat, 0, 28) is None)
    check("30 samples: a verdict", rss_growth(flat, 0, 29) is not None)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
