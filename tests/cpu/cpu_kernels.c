/* cpu_kernels: runs every CPU-dispatched kernel (core/cpu.h) on fixed
 * seeded inputs and writes the outputs, so that one run per CPU level can be
 * compared (nehalem.sh runs it natively and under qemu-x86_64 -cpu Nehalem,
 * where the resolver must pick the baseline variant, and -cpu Haswell).
 *
 *   cpu_kernels level        prints the variant this process runs
 *   cpu_kernels write FILE   runs the kernels, writes "kernel NAME N TOL" then
 *                            N values (%a) per kernel
 *   cpu_kernels compare A B  exit 0 when every kernel of B matches A within
 *                            its tolerance, relative to the largest |value|
 *
 * The variants differ in rounding (FMA, vector width in reductions), so the
 * comparison has a tolerance; indices (kNN) must match exactly. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "core/rng.h"
#include "embed/knn.h"
#include "embed/tsne.h"
#include "nn/adam.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "nn/sparse.h"

/* One float rounding step of a sum of ~100 terms is ~1e-7 relative; FMA and
 * a different reduction order stay well inside these. */
#define TOL_KERNEL 1e-5
/* 20 t-SNE iterations amplify rounding: a gain jumps (+0.2 or x0.8) on the
 * sign of a near-zero gradient. Measured 2.3e-3 between baseline and AVX2;
 * a wrong kernel is off by O(1). */
#define TOL_TSNE 2e-2

static FILE *out;

static void emit(const char *name, const float *v, size_t n, double tol)
{
    fprintf(out, "kernel %s %zu %g\n", name, n, tol);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%a\n", (double)v[i]);
}

static void fail(const Err *e)
{
    fprintf(stderr, "cpu_kernels: %s\n", e->msg);
    exit(1);
}

static float *fill(Rng *r, size_t n, float scale)
{
    float *v = malloc(n * sizeof *v);
    if (!v) {
        fprintf(stderr, "cpu_kernels: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        v[i] = scale * (2.0f * rng_uniform(r) - 1.0f);
    return v;
}

/* The sparse first layer: in = 200 (partial vector and tile), out = 160
 * (one 128-column chunk and a tail), about 20% nonzero (the sparse path). */
static void nn_sparse(Rng *r)
{
    enum { B = 9, IN = 200, OUT = 160 };
    float *x = fill(r, (size_t)B * IN, 1.0f), *wt = fill(r, (size_t)IN * OUT, 0.1f);
    float *b = fill(r, OUT, 0.1f), *dy = fill(r, (size_t)B * OUT, 1.0f);
    float *y = calloc((size_t)B * OUT, sizeof *y), *dwt = calloc((size_t)IN * OUT, sizeof *dwt);
    for (size_t i = 0; i < (size_t)B * IN; i++)
        if (rng_uniform(r) < 0.8f)
            x[i] = 0.0f;
    void *rm = aligned_alloc(64, sparse_rows_bytes(B, IN));
    void *cm = aligned_alloc(64, sparse_cols_bytes(B));
    SparseRows sr;
    SparseCols sc;
    sparse_rows_init(&sr, rm, B, IN);
    sparse_cols_init(&sc, cm, B);
    sparse_rows_build(&sr, x, 0, B);
    sparse_forward(y, x, &sr, 0, B, wt, b, OUT, 1);
    emit("sparse_forward", y, (size_t)B * OUT, TOL_KERNEL);
    sparse_backward_weight(dwt, dy, x, &sr, OUT, 0, IN, 0, &sc);
    emit("sparse_backward_weight", dwt, (size_t)IN * OUT, TOL_KERNEL);
    free(x), free(wt), free(b), free(dy), free(y), free(dwt), free(rm), free(cm);
}

/* BCE, sigmoid, bias + ReLU, ReLU backward, bias gradient, Adam. */
static void nn_passes(Rng *r)
{
    enum { B = 5, X = 787, IN = 33, OUT = 37, P = 1003 };
    float *l = fill(r, (size_t)B * X, 8.0f), *t = fill(r, (size_t)B * X, 0.5f);
    for (size_t i = 0; i < (size_t)B * X; i++)
        t[i] += 0.5f; /* targets in [0, 1] */
    float loss[B], *dl = calloc((size_t)B * X, sizeof *dl), *s = malloc((size_t)B * X * 4);
    bce_logits_fused(loss, dl, l, t, B, X);
    emit("bce_logits_fused.loss", loss, B, TOL_KERNEL);
    emit("bce_logits_fused.grad", dl, (size_t)B * X, TOL_KERNEL);
    bce_logits_forward(loss, l, t, B, X);
    emit("bce_logits_forward", loss, B, TOL_KERNEL);
    bce_logits_backward(dl, l, t, B, X);
    emit("bce_logits_backward", dl, (size_t)B * X, TOL_KERNEL);
    sigmoid_forward(s, l, (long)B * X);
    emit("sigmoid_forward", s, (size_t)B * X, TOL_KERNEL);

    float *x = fill(r, (size_t)B * IN, 1.0f), *w = fill(r, (size_t)OUT * IN, 0.3f);
    float *b = fill(r, OUT, 0.3f), *y = malloc((size_t)B * OUT * 4);
    float *dy = fill(r, (size_t)B * OUT, 1.0f), db[OUT];
    linear_forward(y, x, w, b, B, IN, OUT, 1);
    emit("linear_forward.relu", y, (size_t)B * OUT, TOL_KERNEL);
    relu_backward_inplace(dy, y, (long)B * OUT);
    emit("relu_backward_inplace", dy, (size_t)B * OUT, TOL_KERNEL);
    bias_backward(db, dy, B, OUT, 0);
    emit("bias_backward", db, OUT, TOL_KERNEL);

    float *p = fill(r, P, 1.0f), *g = fill(r, P, 1.0f), *m = calloc(P, 4), *v = calloc(P, 4);
    AdamConfig ac = adam_default();
    for (long step = 1; step <= 3; step++)
        adam_step(p, g, m, v, P, &ac, step);
    emit("adam_step", p, P, TOL_KERNEL);
    free(l), free(t), free(dl), free(s), free(x), free(w), free(b), free(y), free(dy);
    free(p), free(g), free(m), free(v);
}

/* kNN (tiled and direct), then t-SNE: affinities, 20 Barnes-Hut
 * iterations, the exact gradient and the exact KL. */
static void embed(Rng *r)
{
    enum { N = 400, D = 20, K = 10, Q = 3 };
    float *x = fill(r, (size_t)N * D, 1.0f);
    for (size_t i = 0; i < N; i++) /* four clusters */
        for (int j = 0; j < 4; j++)
            x[i * D + j] += (float)(i % 4 == (size_t)j) * 4.0f;
    int32_t idx[N * K];
    float d2[N * K], fidx[N * K];
    Err e = {0};
    if (knn_query(x, N, x, N, D, K, 1, idx, d2, 1, NULL, &e) != ERR_OK)
        fail(&e);
    for (int i = 0; i < N * K; i++)
        fidx[i] = (float)idx[i];
    emit("knn.idx", fidx, N * K, 0.0);
    emit("knn.dist2", d2, N * K, TOL_KERNEL);
    if (knn_query(x, N, x + 7 * D, Q, D, K, 0, idx, d2, 1, NULL, &e) != ERR_OK)
        fail(&e);
    for (int i = 0; i < Q * K; i++)
        fidx[i] = (float)idx[i];
    emit("knn_direct.idx", fidx, Q * K, 0.0);
    emit("knn_direct.dist2", d2, Q * K, TOL_KERNEL);

    /* From a fixed spread-out layout (no PCA: that is OpenBLAS's, which
     * dispatches itself): the exact and Barnes-Hut gradients and the KL at
     * that layout, then 20 iterations. */
    TsneParams tp;
    tsne_params_default(&tp);
    tp.perplexity = 10.0;
    tp.threads = 1;
    float *y0 = fill(r, 2 * (size_t)N, 5.0f), *grad = malloc(2 * (size_t)N * sizeof *grad);
    TsneState s;
    if (tsne_init(&s, x, N, D, &tp, y0, NULL, &e) != ERR_OK)
        fail(&e);
    emit("tsne.affinities", s.val, s.rowptr[N], TOL_KERNEL);
    void *bh = NULL;
    float z = (float)tsne_gradient(s.yi, N, s.rowptr, s.col, s.val, 1.0, 0.0, 1, &bh, grad);
    emit("tsne_gradient.exact", grad, 2 * (size_t)N, TOL_KERNEL);
    emit("tsne_gradient.exact_z", &z, 1, TOL_KERNEL);
    z = (float)tsne_gradient(s.yi, N, s.rowptr, s.col, s.val, 1.0, 0.5, 1, &bh, grad);
    emit("tsne_gradient.bh", grad, 2 * (size_t)N, TOL_KERNEL);
    emit("tsne_gradient.bh_z", &z, 1, TOL_KERNEL);
    float kl = (float)tsne_kl(&s);
    emit("tsne_kl", &kl, 1, TOL_KERNEL);
    if (tsne_step(&s, 20, &e) != ERR_OK)
        fail(&e);
    emit("tsne_step.20", s.y, 2 * (size_t)N, TOL_TSNE);
    free(y0);
    free(grad);
    tsne_bh_free(bh);
    tsne_free(&s);
    free(x);
}

/* Next "kernel" header of f into name/n/tol; 0 at the end, -1 on bad input. */
static int read_header(FILE *f, char name[64], size_t *n, double *tol)
{
    int c = fscanf(f, " kernel %63s %zu %lg", name, n, tol);
    return c == EOF ? 0 : c == 3 ? 1 : -1;
}

static int compare(const char *pa, const char *pb)
{
    FILE *a = fopen(pa, "r"), *b = fopen(pb, "r");
    if (!a || !b) {
        fprintf(stderr, "cpu_kernels: cannot open %s\n", a ? pb : pa);
        return 2;
    }
    int bad = 0, kernels = 0;
    for (;;) {
        char na[64], nb[64];
        size_t n, m;
        double tol, tol_b;
        int ha = read_header(a, na, &n, &tol), hb = read_header(b, nb, &m, &tol_b);
        if (ha == 0 && hb == 0)
            break;
        if (ha != 1 || hb != 1 || strcmp(na, nb) != 0 || n != m) {
            fprintf(stderr, "cpu_kernels: %s and %s do not list the same kernels\n", pa, pb);
            return 2;
        }
        double maxref = 0.0, maxerr = 0.0;
        for (size_t i = 0; i < n; i++) {
            double va, vb;
            if (fscanf(a, "%la", &va) != 1 || fscanf(b, "%la", &vb) != 1) {
                fprintf(stderr, "cpu_kernels: %s: truncated values\n", na);
                return 2;
            }
            maxref = fmax(maxref, fabs(va));
            /* NaN in either side counts as an unbounded error */
            double d = fabs(va - vb);
            maxerr = d == d ? fmax(maxerr, d) : INFINITY;
        }
        double rel = maxerr / (maxref > 0.0 ? maxref : 1.0);
        int ok = rel <= tol;
        printf("%-26s %6zu values  max |diff| / max |value| = %.2e  (tolerance %.0e)  %s\n", na, n,
               rel, tol, ok ? "ok" : "FAIL");
        bad += !ok;
        kernels++;
    }
    fclose(a);
    fclose(b);
    if (kernels == 0) {
        fprintf(stderr, "cpu_kernels: no kernels in %s\n", pa);
        return 2;
    }
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "level") == 0) {
        printf("%s\n", cpu_kernel_level());
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "compare") == 0)
        return compare(argv[2], argv[3]);
    if (argc != 3 || strcmp(argv[1], "write") != 0) {
        fprintf(stderr, "usage: cpu_kernels level | write FILE | compare A B\n");
        return 2;
    }
    out = fopen(argv[2], "w");
    if (!out) {
        fprintf(stderr, "cpu_kernels: cannot write %s\n", argv[2]);
        return 2;
    }
    Rng r;
    rng_seed(&r, 14);
    nn_sparse(&r);
    nn_passes(&r);
    embed(&r);
    if (fclose(out) != 0) {
        fprintf(stderr, "cpu_kernels: write error on %s\n", argv[2]);
        return 2;
    }
    return 0;
}
