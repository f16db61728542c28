#!/usr/bin/python3
"""t-SNE side by side: zspace, scikit-learn (Debian python3-sklearn) and Rtsne
(Debian r-cran-rtsne) on the same inputs, one table out.

Input: the first N MNIST images (test set first, then train, so N = 10,000 is
the test set and N = 70,000 is all of MNIST), scaled to [0, 1], reduced to 50
dimensions by zspace's own PCA (`zspace project --method pca --dims 50`). Every
method gets that same CSV, perplexity 30, 1,000 iterations, Barnes-Hut
theta = 0.5, and the same number of threads.

Columns: wall seconds (zspace: the whole process including CSV reading;
scikit-learn: the fit_transform call; Rtsne: the Rtsne() call), final KL as
each tool reports it, 10-NN leave-one-out label accuracy in 2-D and
trustworthiness (k = 10, sklearn.manifold.trustworthiness; skipped above
N = 20,000, where its N x N distance matrix would not fit comfortably).

With --input FILE.csv any CSV with a header and an integer 'label' column
(e.g. a VAE's latent means) replaces the MNIST/PCA input.

usage: /usr/bin/python3 bench/tsne_compare.py --zspace build-x/src/cli/zspace
           [--n 10000] [--input FILE.csv] [--methods zspace,sklearn,rtsne]
           [--threads 2]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def read_idx(path):
    with open(path, "rb") as f:
        b = f.read()
    nd = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * nd).reshape(dims)


def mnist(data_dir, n):
    parts = [("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
             ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")]
    xs, ys = [], []
    for img, lab in parts:
        xs.append(read_idx(os.path.join(data_dir, img)).reshape(-1, 784))
        ys.append(read_idx(os.path.join(data_dir, lab)))
    x = np.concatenate(xs)[:n].astype(np.float32) / 255.0
    return x, np.concatenate(ys)[:n]


def write_csv(path, x, labels):
    with open(path, "w") as f:
        f.write(",".join("p%d" % i for i in range(x.shape[1])) + ",label\n")
        fmt = ",".join(["%.4g"] * x.shape[1]) + ",%d"
        np.savetxt(f, np.column_stack([x, labels]), fmt=fmt)


def read_map(path):
    d = np.genfromtxt(path, delimiter=",", names=True)
    return np.column_stack([d["x"], d["y"]])


def knn_accuracy(y, labels, k=10):
    from sklearn.neighbors import NearestNeighbors
    nn = NearestNeighbors(n_neighbors=k + 1).fit(y)
    idx = nn.kneighbors(y, return_distance=False)[:, 1:]
    votes = labels[idx]
    pred = np.array([np.bincount(v, minlength=10).argmax() for v in votes])
    return float((pred == labels).mean())


def run_zspace(exe, inp, out, a):
    t0 = time.time()
    r = subprocess.run([exe, "project", "-i", inp, "-o", out, "--method", "tsne",
                        "--perplexity", str(a.perplexity), "--iters", str(a.iters),
                        "--threads", str(a.threads), "--seed", str(a.seed)],
                       capture_output=True, text=True, check=True)
    t = time.time() - t0
    kl = float(re.search(r"KL ([0-9.]+)", r.stdout).group(1))
    return read_map(out), t, kl, r.stdout.strip()


def run_sklearn(x, a):
    from sklearn.manifold import TSNE
    ts = TSNE(n_components=2, perplexity=a.perplexity, early_exaggeration=12.0,
              learning_rate="auto", n_iter=a.iters, init="pca", method="barnes_hut",
              angle=0.5, n_jobs=a.threads, random_state=a.seed)
    t0 = time.time()
    y = ts.fit_transform(x)
    return y, time.time() - t0, float(ts.kl_divergence_), ""


def run_rtsne(inp, out, a):
    r = subprocess.run(["Rscript", os.path.join(HERE, "tsne_rtsne.R"), inp, out,
                        str(a.perplexity), str(a.iters), str(a.threads), str(a.seed)],
                       capture_output=True, text=True, check=True)
    t = float(re.search(r"seconds ([0-9.]+)", r.stdout).group(1))
    kl = float(re.search(r"kl ([0-9.eE+-]+)", r.stdout).group(1))
    return read_map(out), t, kl, ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--zspace", required=True, help="path to the zspace binary")
    ap.add_argument("--data", default=os.path.join(HERE, "..", "data"), help="MNIST IDX dir")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--methods", default="zspace,sklearn,rtsne")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--perplexity", type=float, default=30.0)
    ap.add_argument("--iters", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default=None, help="keep inputs and maps here")
    ap.add_argument("--input", default=None, help="a CSV with header and 'label' column")
    a = ap.parse_args()

    work = a.workdir or tempfile.mkdtemp(prefix="tsne_compare.")
    os.makedirs(work, exist_ok=True)
    if a.input:
        pca = a.input
        d = np.genfromtxt(pca, delimiter=",", names=True)
        cols = [c for c in d.dtype.names if c != "label"]
        x50 = np.column_stack([d[c] for c in cols]).astype(np.float32)
        labels = d["label"].astype(int)
        a.n = len(labels)
    else:
        raw = os.path.join(work, "mnist%d.csv" % a.n)
        pca = os.path.join(work, "pca50_%d.csv" % a.n)
        x784, labels = mnist(a.data, a.n)
        write_csv(raw, x784, labels)
        subprocess.run([a.zspace, "project", "-i", raw, "--method", "pca", "--dims", "50",
                        "-o", pca], check=True, capture_output=True)
        d = np.genfromtxt(pca, delimiter=",", skip_header=1)
        x50, labels = d[:, :50].astype(np.float32), d[:, 50].astype(int)

    rows = []
    load0 = os.getloadavg()[0]
    for m in a.methods.split(","):
        out = os.path.join(work, "map_%s_%d.csv" % (m, a.n))
        if m == "zspace":
            y, t, kl, note = run_zspace(a.zspace, pca, out, a)
        elif m == "sklearn":
            y, t, kl, note = run_sklearn(x50, a)
        elif m == "rtsne":
            y, t, kl, note = run_rtsne(pca, out, a)
        else:
            sys.exit("unknown method " + m)
        acc = knn_accuracy(y, labels)
        tw = None
        if a.n <= 20000:
            from sklearn.manifold import trustworthiness
            tw = trustworthiness(x50, y, n_neighbors=10)
        rows.append((m, t, kl, acc, tw))
        if note:
            print(note, file=sys.stderr)
        print("done %s: %.2f s" % (m, t), file=sys.stderr)
    load1 = os.getloadavg()[0]

    what = a.input or "MNIST, PCA-50"
    print("t-SNE on %s, N = %d, D = %d, perplexity %g, %d iterations, %d threads"
          % (what, a.n, x50.shape[1], a.perplexity, a.iters, a.threads))
    print("load average (1 min) before %.2f, after %.2f, on %d cores" % (load0, load1,
                                                                         os.cpu_count()))
    print("| method | wall s | final KL | 10-NN acc | trustworthiness(10) |")
    print("|---|---|---|---|---|")
    for m, t, kl, acc, tw in rows:
        print("| %s | %.2f | %.3f | %.4f | %s |" % (m, t, kl, acc,
                                                 "%.4f" % tw if tw is not None else "—"))


if __name__ == "__main__":
    main()
