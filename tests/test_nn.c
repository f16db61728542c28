/* test_nn: the fast nn kernels against their naive references and libm,
 * Adam against a double-precision transcription of PyTorch's update, and
 * the thread pool's coverage and barrier. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rng.h"
#include "nn/adam.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "nn/pool.h"
#include "nn/sparse.h"
#include "nn/vmath.h"

static void fill(Rng *r, float *p, size_t n, float scale)
{
    for (size_t i = 0; i < n; i++)
        p[i] = scale * rng_normal(r);
}

static void assert_close(const float *a, const float *b, size_t n, float atol, float rtol)
{
    for (size_t i = 0; i < n; i++)
        if (fabsf(a[i] - b[i]) > atol + rtol * fabsf(b[i])) {
            print_error("element %zu: %.8g vs reference %.8g\n", i, (double)a[i], (double)b[i]);
            fail();
        }
}

static void test_vm_expf(void **state)
{
    (void)state;
    double worst = 0;
    for (float x = -87.0f; x <= 88.0f; x += 0.00731f) {
        double ref = exp((double)x), rel = fabs(vm_expf(x) - ref) / ref;
        if (rel > worst)
            worst = rel;
    }
    assert_true(worst < 3e-7); /* ~2.5 ulp */
    assert_true(vm_expf(-1000.0f) > 0.0f && vm_expf(-1000.0f) < 1e-37f);
    assert_true(isfinite(vm_expf(1000.0f)));
    assert_true(isnan(vm_expf(NAN)));
}

static void test_vm_log1p(void **state)
{
    (void)state;
    double worst = 0;
    for (float e = 0.0f; e <= 1.0f; e += 1.3e-5f) {
        double err = fabs(vm_log1pf01(e) - log1p((double)e));
        if (err > worst)
            worst = err;
    }
    assert_true(worst < 1e-7);
    /* tiny e keeps its relative precision (log1p(e) ~ e) */
    assert_float_equal(vm_log1pf01(1e-30f), 1e-30f, 1e-36f);
}

static void test_linear_vs_naive(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 21);
    int shapes[][3] = {{1, 33, 17}, {5, 64, 48}, {7, 19, 130}}; /* B, in, out; B = 1 is sgemv */
    for (int s = 0; s < 3; s++) {
        int B = shapes[s][0], in = shapes[s][1], out = shapes[s][2];
        size_t nx = (size_t)B * in, nw = (size_t)in * out, ny = (size_t)B * out;
        float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc(out * 4);
        float *y = malloc(ny * 4), *yr = malloc(ny * 4), *dy = malloc(ny * 4);
        float *dx = calloc(nx, 4), *dw = calloc(nw, 4), *db = calloc(out, 4);
        float *dxr = calloc(nx, 4), *dwr = calloc(nw, 4), *dbr = calloc(out, 4);
        fill(&r, x, nx, 1), fill(&r, w, nw, 0.3f), fill(&r, b, out, 0.3f), fill(&r, dy, ny, 1);
        for (int relu = 0; relu <= 1; relu++) {
            linear_forward(y, x, w, b, B, in, out, relu);
            linear_forward_naive(yr, x, w, b, B, in, out, relu);
            assert_close(y, yr, ny, 1e-5f, 1e-5f);
        }
        /* overwrite mode, then accumulate on top: twice the reference */
        linear_backward_input(dx, dy, w, B, in, out, 0);
        linear_backward_input(dx, dy, w, B, in, out, 1);
        linear_backward_weight(dw, db, dy, x, B, in, out, 0, out / 2, 0);
        linear_backward_weight(dw, db, dy, x, B, in, out, out / 2, out, 0);
        linear_backward_weight(dw, db, dy, x, B, in, out, 0, out, 1);
        linear_backward_naive(dxr, dwr, dbr, dy, x, w, B, in, out);
        linear_backward_naive(dxr, dwr, dbr, dy, x, w, B, in, out);
        assert_close(dx, dxr, nx, 1e-5f, 1e-5f);
        assert_close(dw, dwr, nw, 1e-5f, 1e-5f);
        assert_close(db, dbr, out, 1e-5f, 1e-5f);
        free(x), free(w), free(b), free(y), free(yr), free(dy);
        free(dx), free(dw), free(db), free(dxr), free(dwr), free(dbr);
    }
}

/* The sparse first-layer kernels agree with the dense naive ones on inputs
 * with exact zeros (including all-zero rows and pixels), at a density on
 * each side of SPARSE_DENSE_ABOVE (sparse and GEMM paths), with a partial
 * last vector (in = 150) and partial pixel tiles, and split calls. */
static void test_sparse_vs_dense(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 22);
    int B = 6, in = 150, outs[] = {16, 128, 300};
    float densities[] = {0.2f, 0.9f};
    for (int s = 0; s < 3; s++)
        for (int d = 0; d < 2; d++) {
            int out = outs[s];
            size_t nx = (size_t)B * in, nw = (size_t)in * out, ny = (size_t)B * out;
            float *x = calloc(nx, 4), *w = malloc(nw * 4), *wt = malloc(nw * 4);
            float *b = malloc(out * 4), *y = malloc(ny * 4), *yr = malloc(ny * 4);
            float *dy = malloc(ny * 4), *dwt = malloc(nw * 4), *dwr = calloc(nw, 4);
            float *dbr = calloc(out, 4);
            void *rm = aligned_alloc(64, sparse_rows_bytes(B, in));
            void *cm = aligned_alloc(64, sparse_cols_bytes(B));
            SparseRows sr;
            SparseCols sc;
            sparse_rows_init(&sr, rm, B, in);
            sparse_cols_init(&sc, cm, B);
            for (int i = 0; i < B - 1; i++) /* the last row stays all zero */
                for (int k = 5; k < in; k++) /* pixels 0..4 are zero everywhere */
                    x[i * in + k] = rng_uniform(&r) < densities[d] ? rng_uniform(&r) : 0.0f;
            fill(&r, w, nw, 0.3f), fill(&r, b, out, 0.3f), fill(&r, dy, ny, 1);
            for (int o = 0; o < out; o++)
                for (int k = 0; k < in; k++)
                    wt[(size_t)k * out + o] = w[(size_t)o * in + k];
            long nnz = sparse_rows_build(&sr, x, 0, 2) + sparse_rows_build(&sr, x, 2, B);
            long want = 0;
            for (size_t i = 0; i < nx; i++)
                want += x[i] != 0.0f;
            assert_int_equal(nnz, want);
            sparse_forward(y, x, &sr, 0, 3, wt, b, out, 1);
            sparse_forward(y, x, &sr, 3, B, wt, b, out, 1);
            linear_forward_naive(yr, x, w, b, B, in, out, 1);
            assert_close(y, yr, ny, 1e-5f, 1e-5f);
            /* overwrite, in two calls on tile boundaries */
            sparse_backward_weight(dwt, dy, x, &sr, out, 0, SPARSE_TILE, 0, &sc);
            sparse_backward_weight(dwt, dy, x, &sr, out, SPARSE_TILE, in, 0, &sc);
            linear_backward_naive(NULL, dwr, dbr, dy, x, w, B, in, out);
            for (int o = 0; o < out; o++)
                for (int k = 0; k < in; k++)
                    assert_float_equal(dwt[(size_t)k * out + o], dwr[(size_t)o * in + k], 1e-5f);
            sparse_backward_weight(dwt, dy, x, &sr, out, 0, in, 1, &sc); /* accumulate: 2x */
            for (int o = 0; o < out; o++)
                for (int k = 0; k < in; k++)
                    assert_float_equal(dwt[(size_t)k * out + o], 2 * dwr[(size_t)o * in + k],
                                       2e-5f);
            free(x), free(w), free(wt), free(b), free(y), free(yr), free(dy), free(dwt);
            free(dwr), free(dbr), free(rm), free(cm);
        }
}

static void test_bce_vs_naive(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 23);
    int B = 4, X = 784;
    size_t n = (size_t)B * X;
    float *l = malloc(n * 4), *x = malloc(n * 4), *loss = malloc(B * 4), *d = malloc(n * 4);
    double ref[4];
    fill(&r, l, n, 8); /* far into both tails */
    l[0] = 90.0f, l[1] = -90.0f, l[2] = 0.0f;
    for (size_t i = 0; i < n; i++)
        x[i] = rng_uniform(&r) < 0.8f ? 0.0f : rng_uniform(&r);
    bce_logits_fused(loss, d, l, x, B, X);
    bce_logits_forward_naive(ref, l, x, B, X);
    for (int i = 0; i < B; i++)
        assert_float_equal(loss[i], ref[i], 2e-6 * ref[i]);
    for (size_t i = 0; i < n; i++) {
        double s = 1 / (1 + exp(-(double)l[i]));
        assert_float_equal(d[i], s - x[i], 1e-6);
    }
    sigmoid_forward(d, l, (long)n);
    for (size_t i = 0; i < n; i++)
        assert_float_equal(d[i], 1 / (1 + exp(-(double)l[i])), 1e-6);
    free(l), free(x), free(loss), free(d);
}

static void test_adam_matches_pytorch_formula(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 24);
    enum { N = 37, STEPS = 5 };
    float p[N], g[N], m[N] = {0}, v[N] = {0};
    double pd[N], md[N] = {0}, vd[N] = {0};
    fill(&r, p, N, 1);
    for (int i = 0; i < N; i++)
        pd[i] = p[i];
    AdamConfig c = adam_default();
    c.lr = 0.01f;
    for (int t = 1; t <= STEPS; t++) {
        fill(&r, g, N, 1);
        adam_step(p, g, m, v, N, &c, t);
        for (int i = 0; i < N; i++) {
            md[i] = 0.9 * md[i] + 0.1 * g[i];
            vd[i] = 0.999 * vd[i] + 0.001 * (double)g[i] * g[i];
            double den = sqrt(vd[i]) / sqrt(1 - pow(0.999, t)) + 1e-8;
            pd[i] -= 0.01 / (1 - pow(0.9, t)) * md[i] / den;
        }
    }
    for (int i = 0; i < N; i++)
        assert_float_equal(p[i], pd[i], 1e-5);
}

typedef struct {
    int *owner;
    long n;
    atomic_int calls;
} PoolJob;

static void pool_job(void *arg, int part, int parts)
{
    PoolJob *j = arg;
    long lo, hi;
    pool_range(j->n, part, parts, 4, &lo, &hi);
    for (long i = lo; i < hi; i++)
        j->owner[i] += part + 1;
    atomic_fetch_add(&j->calls, 1);
}

static void test_pool_covers_every_index_once(void **state)
{
    (void)state;
    for (int threads = 1; threads <= 3; threads++) {
        NnPool *p;
        Err e = {0};
        assert_int_equal(pool_init(&p, threads, &e), ERR_OK);
        assert_int_equal(pool_threads(p), threads);
        PoolJob j = {.n = 103};
        j.owner = calloc((size_t)j.n, sizeof *j.owner);
        atomic_init(&j.calls, 0);
        for (int rep = 0; rep < 300; rep++) /* many back-to-back barriers */
            pool_run(p, pool_job, &j);
        assert_int_equal(atomic_load(&j.calls), 300 * threads);
        long lo, hi, seen = 0;
        for (int part = 0; part < threads; part++) {
            pool_range(j.n, part, threads, 4, &lo, &hi);
            assert_int_equal(lo, seen);
            assert_true(part == threads - 1 || hi % 4 == 0);
            for (long i = lo; i < hi; i++)
                assert_int_equal(j.owner[i], 300 * (part + 1));
            seen = hi;
        }
        assert_int_equal(seen, j.n);
        free(j.owner);
        pool_free(p);
    }
    NnPool *p;
    Err e = {0};
    assert_int_equal(pool_init(&p, 0, &e), ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vm_expf),
        cmocka_unit_test(test_vm_log1p),
        cmocka_unit_test(test_linear_vs_naive),
        cmocka_unit_test(test_sparse_vs_dense),
        cmocka_unit_test(test_bce_vs_naive),
        cmocka_unit_test(test_adam_matches_pytorch_formula),
        cmocka_unit_test(test_pool_covers_every_index_once),
    };
    return cmocka_run_group_tests_name("nn", tests, NULL, NULL);
}
