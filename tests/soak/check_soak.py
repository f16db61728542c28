#!/usr/bin/env python3
"""check_soak: judge a soak run (run_soak.sh) and print its figures.

Passes when: the explorer exited 0; the run lasted at least --min-seconds;
no frame's work took more than --max-work-ms, read from dump-state's
"timing" ring (work_ms_recent holds the last <= 1024 frames; work_count
counts every frame, so the frames between two dumps are the ring's last
work_count2 - work_count1 entries, and a gap longer than the ring is reported
as frames not seen); RSS grew less than --max-growth after the warm-up (see
rss_growth); the dumps show at least --min-models different models (the
script switches models). Exit 0 pass, 1 fail.
"""
import argparse
import glob
import json
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def mean(xs):
    return sum(xs) / len(xs)


def rss_growth(samples, t0, t1):
    """Growth of RSS over [t0, t1]: the mean of the window's last third over
    the mean of its first third, minus one; None with fewer than 30 samples.
    Two single readings do not do: the script's work (a t-SNE's buffers, a
    training run, a second model) swings RSS by +-50 MiB within seconds, so
    the reading at either end depended on what happened to be allocated
    then. A leak instead lifts the whole last third. Means, not medians: the
    swings make RSS bimodal, and a median then jumps between the modes."""
    window = [kb for t, kb in samples if t0 <= t <= t1]
    if len(window) < 30:
        return None
    third = len(window) // 3
    return mean(window[-third:]) / mean(window[:third]) - 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exit", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--rss", required=True)
    ap.add_argument("--rss-from", type=float, required=True,
                    help="seconds into the run when the warm-up ended")
    ap.add_argument("--rss-to", type=float, required=True,
                    help="seconds into the run when the final dump was written")
    ap.add_argument("--dumps", required=True)
    ap.add_argument("--min-seconds", type=float, default=300)
    ap.add_argument("--max-work-ms", type=float, default=250)
    ap.add_argument("--max-growth", type=float, default=0.10)
    ap.add_argument("--min-models", type=int, default=1)
    a = ap.parse_args()
    fails = []
    if a.exit != 0:
        fails.append("exit status %d" % a.exit)
    if a.seconds < a.min_seconds:
        fails.append("ran %.0f s, less than %.0f s" % (a.seconds, a.min_seconds))

    dumps, models = [], set()
    for p in glob.glob(os.path.join(a.dumps, "*.json")):
        d = load(p)
        path = d.get("model", {}).get("path")
        if path:
            models.add(path)
        t = d.get("timing")
        if not t or "work_ms_recent" not in t:
            fails.append("%s: no timing object" % p)
            continue
        dumps.append((t["work_count"], os.path.basename(p), t))
    dumps.sort()
    seen, unseen, prev = [], 0, 0
    for count, name, t in dumps:
        k = count - prev
        ring = t["work_ms_recent"]
        take = min(k, len(ring))
        unseen += k - take
        seen += [(ms, name) for ms in ring[len(ring) - take:]]
        prev = count
    works = sorted(ms for ms, _ in seen)
    slow = [(ms, name) for ms, name in seen if ms > a.max_work_ms]
    if not works:
        fails.append("no frame timings read")
    else:
        p50 = works[len(works) // 2]
        p99 = works[min(len(works) - 1, int(len(works) * 0.99))]
        print("frames: %d in %d dumps, %d timed (%d between dumps farther apart than the ring)"
              % (prev, len(dumps), len(works), unseen))
        print("frame work: p50 %.1f ms, p99 %.1f ms, max %.1f ms; over %.0f ms: %d"
              % (p50, p99, works[-1], a.max_work_ms, len(slow)))
        for ms, name in slow[:10]:
            print("  slow frame %.1f ms (before %s)" % (ms, name))
        if slow:
            fails.append("%d frame(s) over %.0f ms" % (len(slow), a.max_work_ms))

    samples = []
    with open(a.rss) as f:
        for line in f:
            t, kb = line.split()
            samples.append((float(t), float(kb)))
    growth = rss_growth(samples, a.rss_from, a.rss_to) if a.rss_to > a.rss_from > 0 else None
    if growth is None:
        fails.append("RSS not sampled between the warm-up end and the end")
    else:
        window = [kb for t, kb in samples if a.rss_from <= t <= a.rss_to]
        third = len(window) // 3
        print("RSS: mean %.1f MiB in the first third after warm-up, %.1f MiB in the last "
              "(%+.1f%%); %.1f MiB at warm-up end, %.1f MiB at the end, peak %.1f MiB; "
              "%d samples over %.0f s" % (mean(window[:third]) / 1024,
                                           mean(window[-third:]) / 1024, 100 * growth,
                                           window[0] / 1024, window[-1] / 1024,
                                           max(kb for _, kb in samples) / 1024, len(samples),
                                           a.seconds))
        if growth >= a.max_growth:
            fails.append("RSS grew %.1f%% after warm-up" % (100 * growth))
    print("models shown: %d different (%s)" % (len(models), ", ".join(sorted(
        os.path.basename(m) for m in models))))
    if len(models) < a.min_models:
        fails.append("%d model(s) shown, expected >= %d" % (len(models), a.min_models))
    final = os.path.join(a.dumps, "final.json")
    if os.path.exists(final):
        d = load(final)
        tr = d.get("training", {})
        print("end state: model %s, training %s, %s steps" %
              (d.get("model", {}).get("path", "?"), tr.get("state"), tr.get("steps")))
    for f in fails:
        print("FAIL: " + f)
    print("soak: " + ("FAIL" if fails else "pass"))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
