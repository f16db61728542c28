/* test_embed: PCA, exact kNN, t-SNE (calibration, gradients, optimisation,
 * degenerate inputs, cancellation), placement and the inverse map, quality
 * metrics. Everything runs on small synthetic data in well under a second
 * per test on 2 cores. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cblas.h>

#include "core/rng.h"
#include "embed/knn.h"
#include "embed/pca.h"
#include "embed/place.h"
#include "embed/quality.h"
#include "embed/tsne.h"
#include "test_util.h"

/* n points in d dims: c Gaussian clusters (sd 1) with centres `sep` apart
 * along random axes-ish directions; labels (N) if not NULL. */
static float *clusters(size_t n, int d, int c, float sep, uint64_t seed, int32_t *labels)
{
    Rng r;
    rng_seed(&r, seed);
    float *centres = malloc((size_t)c * d * sizeof *centres);
    float *x = malloc(n * (size_t)d * sizeof *x);
    assert_non_null(centres);
    assert_non_null(x);
    for (int a = 0; a < c * d; a++)
        centres[a] = sep * rng_normal(&r);
    for (size_t i = 0; i < n; i++) {
        int lab = (int)(i % (size_t)c);
        if (labels)
            labels[i] = lab;
        for (int l = 0; l < d; l++)
            x[i * (size_t)d + l] = centres[lab * d + l] + rng_normal(&r);
    }
    free(centres);
    return x;
}

/* ---- PCA ----------------------------------------------------------------- */

static void test_pca_recovers_dominant_direction(void **state)
{
    (void)state;
    const size_t n = 2000;
    const int d = 12;
    Rng r;
    rng_seed(&r, 3);
    float u[12];
    double norm = 0.0;
    for (int l = 0; l < d; l++) {
        u[l] = rng_normal(&r);
        norm += (double)u[l] * u[l];
    }
    for (int l = 0; l < d; l++)
        u[l] = (float)(u[l] / sqrt(norm));
    float *x = malloc(n * d * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < n; i++) {
        float a = 5.0f * rng_normal(&r); /* variance 25 along u, 0.01 elsewhere */
        for (int l = 0; l < d; l++)
            x[i * d + l] = 7.0f + a * u[l] + 0.1f * rng_normal(&r);
    }
    Pca p;
    Err e = {0};
    assert_int_equal(pca_fit(&p, x, n, d, 2, &e), ERR_OK);
    double dot = 0.0;
    int big = 0;
    for (int l = 0; l < d; l++) {
        dot += (double)p.components[l] * u[l];
        if (fabsf(p.components[l]) > fabsf(p.components[big]))
            big = l;
    }
    assert_true(fabs(dot) > 0.999);
    assert_true(p.components[big] > 0.0f); /* the sign convention */
    assert_true(fabs(p.variance[0] - 25.0) < 2.5);
    assert_true(p.variance[1] < 0.02 && p.variance[1] > 0.005);
    assert_true(fabs(p.mean[0] - 7.0) < 0.5);
    /* Projections: centred, spread like the variance. */
    float *y = malloc(n * 2 * sizeof *y);
    assert_non_null(y);
    pca_transform(&p, x, n, y);
    double m0 = 0.0, v0 = 0.0;
    for (size_t i = 0; i < n; i++)
        m0 += y[2 * i];
    m0 /= (double)n;
    for (size_t i = 0; i < n; i++)
        v0 += (y[2 * i] - m0) * (y[2 * i] - m0);
    v0 /= (double)(n - 1);
    assert_true(fabs(m0) < 1e-3);
    assert_true(fabs(v0 - p.variance[0]) < 1e-2 * p.variance[0]);
    pca_free(&p);
    free(y);
    free(x);
}

static void test_pca_rejects_bad_input(void **state)
{
    (void)state;
    float x[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    Pca p;
    Err e = {0};
    assert_int_equal(pca_fit(&p, x, 4, 3, 4, &e), ERR_ARG);
    x[7] = NAN;
    assert_int_equal(pca_fit(&p, x, 4, 3, 2, &e), ERR_NUMERIC);
    tu_assert_contains(e.msg, "row 3, column 2 is NaN");
    assert_int_equal(pca_fit(&p, x, 1, 3, 2, &e), ERR_ARG);
}

/* Fewer points than dimensions takes the N x N Gram path: the same
 * components and variances as the D x D covariance path; components past the
 * rank are still orthonormal. Far-out values fit like scaled-down ones. */
static void test_pca_gram_matches_covariance(void **state)
{
    (void)state;
    const size_t n = 20;
    const int d = 50, k = 3;
    float *x = clusters(n, d, 4, 3.0f, 9, NULL);
    Pca a, b;
    Err e = {0};
    assert_int_equal(pca_fit_path(&a, x, n, d, k, PCA_COVARIANCE, &e), ERR_OK);
    assert_int_equal(pca_fit_path(&b, x, n, d, k, PCA_GRAM, &e), ERR_OK);
    for (int c = 0; c < k; c++) {
        assert_true(fabsf(a.variance[c] - b.variance[c]) <= 1e-4f * a.variance[0]);
        for (int j = 0; j < d; j++)
            assert_true(fabsf(a.components[c * d + j] - b.components[c * d + j]) < 1e-3f);
    }
    assert_true(fabs(a.total_variance - b.total_variance) < 1e-9 * a.total_variance);
    pca_free(&a);
    pca_free(&b);
    /* 3 points span 2 directions: components 3..5 complete an orthonormal set. */
    assert_int_equal(pca_fit_path(&b, x, 3, d, 5, PCA_GRAM, &e), ERR_OK);
    for (int c = 0; c < 5; c++)
        for (int c2 = 0; c2 <= c; c2++) {
            float dot = cblas_sdot(d, b.components + c * d, 1, b.components + c2 * d, 1);
            assert_true(fabsf(dot - (c == c2 ? 1.0f : 0.0f)) < 1e-4f);
        }
    assert_true(b.variance[2] == 0.0f && b.variance[4] == 0.0f);
    pca_free(&b);
    /* Values near 1e18 (the unscaled covariance sums overflow float): same
     * components as the data scaled down by 2^58; a variance past float range
     * is refused by name. */
    float *far = malloc(n * d * sizeof *far);
    for (size_t i = 0; i < n * d; i++)
        far[i] = ldexpf(x[i], 58);
    assert_int_equal(pca_fit(&a, x, n, d, 2, &e), ERR_OK);
    assert_int_equal(pca_fit(&b, far, n, d, 2, &e), ERR_OK);
    for (int j = 0; j < 2 * d; j++)
        assert_true(fabsf(a.components[j] - b.components[j]) < 1e-4f);
    assert_true(fabsf(ldexpf(a.variance[0], 116) / b.variance[0] - 1.0f) < 1e-4f);
    pca_free(&a);
    pca_free(&b);
    for (size_t i = 0; i < n * d; i++)
        far[i] = ((i / d) % 2 ? 1.0f : -1.0f) * 3e38f;
    assert_int_equal(pca_fit(&a, far, n, d, 2, &e), ERR_NUMERIC);
    tu_assert_contains(e.msg, "exceeds the float range");
    free(far);
    free(x);
}

/* ---- kNN ----------------------------------------------------------------- */

/* all (N) = squared distances in double from row i of x (N, D); +inf at i. */
static void naive_dist2(const float *x, size_t n, int d, size_t i, double *all)
{
    for (size_t j = 0; j < n; j++) {
        double acc = 0.0;
        for (int l = 0; l < d; l++) {
            double t = (double)x[i * d + l] - x[j * d + l];
            acc += t * t;
        }
        all[j] = j == i ? INFINITY : acc;
    }
}

static void test_knn_matches_naive(void **state)
{
    (void)state;
    const size_t n = 700;
    const int d = 13, k = 7;
    float *x = clusters(n, d, 3, 2.0f, 11, NULL);
    int32_t *idx1 = malloc(n * k * sizeof *idx1), *idx2 = malloc(n * k * sizeof *idx2);
    float *d1 = malloc(n * k * sizeof *d1), *d2 = malloc(n * k * sizeof *d2);
    double *all = malloc(n * sizeof *all);
    Err e = {0};
    assert_int_equal(knn_query(x, n, x, n, d, k, 1, idx1, d1, 1, NULL, &e), ERR_OK);
    assert_int_equal(knn_query(x, n, x, n, d, k, 1, idx2, d2, 2, NULL, &e), ERR_OK);
    assert_memory_equal(idx1, idx2, n * k * sizeof *idx1); /* thread-count independent */
    for (size_t i = 0; i < n; i++) {
        naive_dist2(x, n, d, i, all);
        for (int a = 0; a < k; a++) {
            /* the a-th listed neighbour is the a-th smallest distance */
            size_t less = 0;
            double dv = all[idx1[i * k + a]];
            for (size_t j = 0; j < n; j++)
                less += all[j] < dv;
            assert_int_equal(less, (size_t)a);
            assert_true(fabs(d1[i * k + a] - dv) <= 1e-5 * dv + 1e-6);
            assert_true(idx1[i * k + a] != (int32_t)i);
        }
    }
    /* Few queries take the direct path, many the sgemm path: same answers. */
    assert_int_equal(knn_query(x, n, x + 10 * d, 3, d, k, 0, idx1, d1, 1, NULL, &e), ERR_OK);
    assert_int_equal(knn_query(x, n, x + 10 * d, 40, d, k, 0, idx2, d2, 1, NULL, &e), ERR_OK);
    assert_memory_equal(idx1, idx2, 3 * k * sizeof *idx1);
    assert_int_equal(idx1[0], 10); /* not a self search: the point finds itself */
    assert_true(d1[0] == 0.0f);
    assert_int_equal(knn_query(x, n, x, n, d, (int)n, 1, idx1, d1, 1, NULL, &e), ERR_ARG);
    free(x);
    free(idx1);
    free(idx2);
    free(d1);
    free(d2);
    free(all);
}

/* Coordinates whose squares overflow float: the same neighbours as the data
 * shifted back near the origin (a latent mean offset by 1e20), full lists
 * even where every estimate would be +inf, and a clear error (never an
 * out-of-bounds read) when the true squared distances exceed float. */
static void test_knn_far_out_coordinates(void **state)
{
    (void)state;
    const size_t n = 300;
    const int d = 8, k = 5;
    float *x = clusters(n, d, 3, 2.0f, 21, NULL);
    float *far = malloc(n * d * sizeof *far);
    int32_t *i2 = malloc(n * k * sizeof *i2);
    float *d2 = malloc(n * k * sizeof *d2);
    Err e = {0};
    /* Offset 2^65 (~3.7e19: the naive |q|^2 + |r|^2 estimate overflows) on
     * dimension 0, clusters scaled by 2^50 (the offset's rounding keeps 8 bits
     * below one unit of the clusters' spread). */
    for (size_t i = 0; i < n * d; i++)
        far[i] = ldexpf(x[i], 50) + (i % d == 0 ? ldexpf(1.0f, 65) : 0.0f);
    assert_int_equal(knn_query(far, n, far, n, d, k, 1, i2, d2, 2, NULL, &e), ERR_OK);
    for (size_t i = 0; i < n; i++) {
        double all[300];
        naive_dist2(far, n, d, i, all);
        for (int a = 0; a < k; a++) { /* the a-th listed is the a-th nearest */
            int32_t j = i2[i * k + a];
            assert_true(j >= 0 && (size_t)j < n && (size_t)j != i);
            size_t less = 0;
            for (size_t b = 0; b < n; b++)
                less += all[b] < all[j];
            assert_true(less <= (size_t)a);
            assert_true(fabs(d2[i * k + a] - all[j]) <= 1e-5 * all[j]);
        }
    }
    /* Few queries (the explorer's pointer) take the direct path. */
    assert_int_equal(knn_query(far, n, far + 7 * d, 1, d, k, 0, i2, d2, 1, NULL, &e), ERR_OK);
    assert_int_equal(i2[0], 7);
    /* Near FLT_MAX: squared distances cannot be stored; refused, never read
     * past the candidates (ASan catches such a read). */
    for (size_t i = 0; i < n * d; i++)
        far[i] = (i / d) % 2 ? 3e38f : -3e38f;
    assert_int_equal(knn_query(far, n, far, n, d, k, 1, i2, d2, 2, NULL, &e), ERR_OK);
    for (size_t i = 0; i < n * d; i++)
        far[i] = (float)(i / d) * 1e36f;
    assert_int_equal(knn_query(far, n, far, n, d, k, 1, i2, d2, 2, NULL, &e), ERR_NUMERIC);
    tu_assert_contains(e.msg, "exceed the float range");
    assert_int_equal(knn_query(far, n, far + 3 * d, 2, d, k, 0, i2, d2, 1, NULL, &e),
                     ERR_NUMERIC);
    far[5] = INFINITY;
    assert_int_equal(knn_query(far, n, far, n, d, k, 1, i2, d2, 2, NULL, &e), ERR_NUMERIC);
    tu_assert_contains(e.msg, "point 1, coordinate 6 is not finite");
    free(x);
    free(far);
    free(i2);
    free(d2);
}

/* ---- t-SNE --------------------------------------------------------------- */

static void test_perplexity_calibration_every_point(void **state)
{
    (void)state;
    const size_t n = 1500;
    const int d = 10;
    const double perp = 30.0;
    const int k = 90;
    float *x = clusters(n, d, 4, 3.0f, 5, NULL);
    int32_t *idx = malloc(n * k * sizeof *idx);
    float *dist2 = malloc(n * k * sizeof *dist2), *p = malloc(n * k * sizeof *p);
    Err e = {0};
    assert_int_equal(knn_query(x, n, x, n, d, k, 1, idx, dist2, 2, NULL, &e), ERR_OK);
    assert_int_equal(tsne_conditional_p(dist2, n, k, perp, p, NULL), 0);
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) { /* entropy recomputed from the output itself */
        double h = 0.0, sum = 0.0;
        for (int a = 0; a < k; a++) {
            double v = p[i * k + a];
            sum += v;
            if (v > 0.0)
                h -= v * log(v);
        }
        assert_true(fabs(sum - 1.0) < 1e-5);
        worst = fmax(worst, fabs(h - log(perp)));
    }
    assert_true(worst < 1e-3);
    /* Far-scaled data (raw-pixel-like magnitudes) calibrates too. */
    for (size_t i = 0; i < n * k; i++)
        dist2[i] *= 1e6f;
    assert_int_equal(tsne_conditional_p(dist2, n, k, perp, p, NULL), 0);
    free(x);
    free(idx);
    free(dist2);
    free(p);
}

/* P of random clustered data and a spread-out random layout, for gradients. */
static void small_problem(TsneState *s, size_t n, float spread)
{
    const int d = 8;
    float *x = clusters(n, d, 4, 4.0f, 21, NULL);
    TsneParams p;
    tsne_params_default(&p);
    p.perplexity = 10.0;
    Err e = {0};
    Rng r;
    rng_seed(&r, 9);
    float *y0 = malloc(n * 2 * sizeof *y0);
    for (size_t i = 0; i < 2 * n; i++)
        y0[i] = spread * rng_normal(&r) + (float)((i / 2) % 4) * spread;
    assert_int_equal(tsne_init(s, x, n, d, &p, y0, NULL, &e), ERR_OK);
    assert_memory_equal(s->y, y0, n * 2 * sizeof *y0); /* a given layout is used as is */
    free(y0);
    free(x);
}

/* Barnes-Hut against the exact gradient. Compared on the repulsive term
 * (alpha = 0), the only approximated part: near convergence the net gradient
 * is a small difference of attraction and repulsion, so its relative error
 * says little (BENCHMARKS.md has both). Stated tolerance: relative L2 error
 * below 1% at theta = 0.5 and 0.2% at theta = 0.1; Z within half that. On
 * MNIST layouts the measured errors are 0.4-0.6% and 0.3% at theta = 0.5. */
static void test_bh_gradient_matches_exact(void **state)
{
    (void)state;
    const size_t n = 800;
    TsneState s;
    small_problem(&s, n, 5.0f);
    float *ge = malloc(n * 2 * sizeof *ge), *gb = malloc(n * 2 * sizeof *gb);
    void *scratch = NULL;
    const double tol[2] = {0.01, 0.002}, theta[2] = {0.5, 0.1};
    double ze = tsne_gradient(s.y, n, s.rowptr, s.col, s.val, 0.0, 0.0, 2, &scratch, ge);
    for (int c = 0; c < 2; c++) {
        double zb =
            tsne_gradient(s.y, n, s.rowptr, s.col, s.val, 0.0, theta[c], 2, &scratch, gb);
        double num = 0.0, den = 0.0;
        for (size_t i = 0; i < 2 * n; i++) {
            num += ((double)gb[i] - ge[i]) * ((double)gb[i] - ge[i]);
            den += (double)ge[i] * ge[i];
        }
        print_message("theta %.1f: repulsion rel. error %.5f, Z rel. error %.6f\n", theta[c],
                      sqrt(num / den), fabs(zb - ze) / ze);
        assert_true(sqrt(num / den) < tol[c]);
        assert_true(fabs(zb - ze) / ze < tol[c] / 2);
    }
    /* Threads do not change the exact result beyond rounding. */
    double z1 = tsne_gradient(s.y, n, s.rowptr, s.col, s.val, 1.0, 0.0, 1, &scratch, gb);
    assert_true(fabs(z1 - ze) < 1e-9 * ze);
    tsne_bh_free(scratch);
    free(ge);
    free(gb);
    tsne_free(&s);
}

/* The exact gradient is the derivative of KL: dKL/dy = 4 g (tsne.h), checked
 * by central differences on a few coordinates. */
static void test_exact_gradient_is_kl_derivative(void **state)
{
    (void)state;
    const size_t n = 120;
    TsneState s;
    small_problem(&s, n, 1.0f);
    float *g = malloc(n * 2 * sizeof *g);
    void *scratch = NULL;
    tsne_gradient(s.yi, n, s.rowptr, s.col, s.val, 1.0, 0.0, 1, &scratch, g);
    const float h = 1e-2f;
    for (size_t c = 0; c < 2 * n; c += 23) {
        float keep = s.yi[c];
        s.yi[c] = keep + h;
        double up = tsne_kl(&s);
        s.yi[c] = keep - h;
        double down = tsne_kl(&s);
        s.yi[c] = keep;
        double fd = (up - down) / (2.0 * h), an = 4.0 * g[c];
        assert_true(fabs(fd - an) <= 2e-2 * fabs(an) + 1e-4);
    }
    tsne_bh_free(scratch);
    free(g);
    tsne_free(&s);
}

static void test_kl_decreases_and_clusters_separate(void **state)
{
    (void)state;
    const size_t n = 1000;
    const int d = 20;
    int32_t *lab = malloc(n * sizeof *lab);
    float *x = clusters(n, d, 5, 3.0f, 1, lab); /* centres ~ 3 sqrt(2 d) = 19 sd apart */
    TsneParams p;
    tsne_params_default(&p);
    TsneState s;
    Err e = {0};
    assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, NULL, &e), ERR_OK);
    assert_int_equal(s.n_uncalibrated, 0);
    double kl0 = tsne_kl(&s), prev = kl0;
    assert_int_equal(tsne_step(&s, p.exag_iters, &e), ERR_OK);
    for (int round = 0; round < 5; round++) {
        assert_int_equal(tsne_step(&s, 50, &e), ERR_OK);
        double kl = tsne_kl(&s);
        assert_true(kl < prev);
        prev = kl;
    }
    assert_true(prev < 0.5 * kl0);
    double acc = 0.0;
    assert_int_equal(quality_knn_accuracy(s.y, n, 2, lab, 10, 2, &acc, &e), ERR_OK);
    assert_true(acc > 0.98);
    assert_int_equal(s.iter, p.exag_iters + 250);
    tsne_free(&s);
    free(x);
    free(lab);
}

/* The layout does not depend on the thread count, bit for bit (tsne.h),
 * with Barnes-Hut and with the exact gradient. */
static void test_same_layout_for_any_thread_count(void **state)
{
    (void)state;
    const size_t n = 500;
    const int d = 8;
    float *x = clusters(n, d, 3, 3.0f, 31, NULL);
    const double theta[2] = {0.5, 0.0};
    for (int c = 0; c < 2; c++) {
        float *first = NULL;
        for (int threads = 1; threads <= 3; threads++) {
            TsneParams p;
            tsne_params_default(&p);
            p.perplexity = 15.0;
            p.theta = theta[c];
            p.threads = threads;
            TsneState s;
            Err e = {0};
            assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, NULL, &e), ERR_OK);
            assert_int_equal(tsne_step(&s, 120, &e), ERR_OK);
            if (!first) {
                first = malloc(2 * n * sizeof *first);
                memcpy(first, s.y, 2 * n * sizeof *first);
            } else {
                assert_memory_equal(first, s.y, 2 * n * sizeof *first);
            }
            tsne_free(&s);
        }
        free(first);
    }
    free(x);
}

/* Warm start (the explorer's latent movie): a new state started from a
 * finished layout, without exaggeration, keeps the map where it was. */
static void test_warm_start_keeps_the_map(void **state)
{
    (void)state;
    const size_t n = 600;
    const int d = 10;
    float *x = clusters(n, d, 4, 3.0f, 12, NULL);
    TsneParams p;
    tsne_params_default(&p);
    p.perplexity = 20.0;
    TsneState s, w;
    Err e = {0};
    assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, NULL, &e), ERR_OK);
    assert_int_equal(tsne_step(&s, 500, &e), ERR_OK);
    double kl = tsne_kl(&s), spread = 0.0, moved = 0.0;
    for (size_t i = 0; i < 2 * n; i++)
        spread += (double)s.y[i] * s.y[i];
    spread = sqrt(spread / (double)n);
    p.exag_iters = 0;
    assert_int_equal(tsne_init(&w, x, n, d, &p, s.y, NULL, &e), ERR_OK);
    assert_int_equal(tsne_step(&w, 50, &e), ERR_OK);
    for (size_t i = 0; i < n; i++) {
        double dx = w.y[2 * i] - s.y[2 * i], dy = w.y[2 * i + 1] - s.y[2 * i + 1];
        moved += sqrt(dx * dx + dy * dy);
    }
    moved /= (double)n;
    print_message("warm start: mean move %.3f (map rms radius %.2f), KL %.4f -> %.4f\n", moved,
                  spread, kl, tsne_kl(&w));
    assert_true(moved < 0.1 * spread);
    assert_true(tsne_kl(&w) < kl + 0.02);
    /* tsne_set_layout puts a state back on a given map. */
    tsne_set_layout(&w, s.y);
    assert_memory_equal(w.y, s.y, 2 * n * sizeof *s.y);
    assert_true(fabs(tsne_kl(&w) - kl) < 1e-9);
    tsne_free(&s);
    tsne_free(&w);
    free(x);
}

static void test_degenerate_inputs(void **state)
{
    (void)state;
    TsneParams p;
    tsne_params_default(&p);
    p.perplexity = 5.0;
    TsneState s;
    Err e = {0};
    const int d = 6;
    const size_t n = 200;
    float *x = clusters(n, d, 2, 3.0f, 8, NULL);

    /* N < 3 perplexity + 1 */
    assert_int_equal(tsne_init(&s, x, 15, d, &p, NULL, NULL, &e), ERR_ARG);
    tu_assert_contains(e.msg, "too few");
    assert_int_equal(tsne_init(&s, x, 16, d, &p, NULL, NULL, &e), ERR_OK);
    tsne_free(&s);

    /* NaN names the point and dimension */
    float keep = x[3 * d + 2];
    x[3 * d + 2] = NAN;
    assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, NULL, &e), ERR_NUMERIC);
    tu_assert_contains(e.msg, "point 4, dimension 3 is NaN");
    x[3 * d + 2] = keep;

    /* Constant columns: harmless. */
    for (size_t i = 0; i < n; i++)
        x[i * d + 0] = x[i * d + 5] = 42.0f;
    assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, NULL, &e), ERR_OK);
    assert_int_equal(s.n_uncalibrated, 0);
    assert_int_equal(tsne_step(&s, 300, &e), ERR_OK);
    tsne_free(&s);

    /* Every point duplicated 4 times: distance-0 neighbours calibrate fine. */
    for (size_t i = n; i-- > 0;)
        memcpy(x + i * d, x + (i / 4) * d, d * sizeof *x);
    assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, NULL, &e), ERR_OK);
    assert_int_equal(s.n_uncalibrated, 0);
    assert_int_equal(tsne_step(&s, 300, &e), ERR_OK);
    tsne_free(&s);

    /* All points identical: documented uniform rows (all uncalibrated), random
     * init, and the optimisation still terminates with a finite layout. */
    for (size_t i = 0; i < n * d; i++)
        x[i] = 1.0f;
    assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, NULL, &e), ERR_OK);
    assert_int_equal(s.n_uncalibrated, (int)n);
    assert_int_equal(tsne_step(&s, 300, &e), ERR_OK);
    for (size_t i = 0; i < 2 * n; i++)
        assert_true(isfinite(s.y[i]));
    tsne_free(&s);

    /* Perplexity below 1 */
    p.perplexity = 0.5;
    assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, NULL, &e), ERR_ARG);
    free(x);
}

static void test_cancel(void **state)
{
    (void)state;
    const size_t n = 300;
    const int d = 5;
    float *x = clusters(n, d, 3, 3.0f, 2, NULL);
    TsneParams p;
    tsne_params_default(&p);
    p.perplexity = 10.0;
    atomic_bool stop;
    atomic_init(&stop, true);
    TsneState s;
    Err e = {0};
    assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, &stop, &e), ERR_CANCELLED);
    atomic_store(&stop, false);
    assert_int_equal(tsne_init(&s, x, n, d, &p, NULL, &stop, &e), ERR_OK);
    assert_int_equal(tsne_step(&s, 10, &e), ERR_OK);
    atomic_store(&stop, true);
    assert_int_equal(tsne_step(&s, 10, &e), ERR_CANCELLED);
    assert_int_equal(s.iter, 10);
    atomic_store(&stop, false);
    assert_int_equal(tsne_step(&s, 5, &e), ERR_OK); /* still usable */
    assert_int_equal(s.iter, 15);
    tsne_free(&s);
    free(x);
}

/* ---- placement and inverse map ------------------------------------------ */

static void test_place_and_inverse(void **state)
{
    (void)state;
    const size_t n = 400;
    const int d = 7;
    int32_t *lab = malloc(n * sizeof *lab);
    float *x = clusters(n, d, 4, 5.0f, 4, lab);
    float *y = malloc(n * 2 * sizeof *y);
    for (size_t i = 0; i < n; i++) { /* a map: each cluster at its own corner */
        y[2 * i] = (float)(lab[i] % 2) * 100.0f + (float)(i % 7);
        y[2 * i + 1] = (float)(lab[i] / 2) * 100.0f + 0.01f * (float)i;
    }
    Err e = {0};
    float yo[2], xo[7];
    /* A reference point lands on itself; its map position maps back to it. */
    assert_int_equal(place_points(x, y, n, d, x + 17 * d, 1, 10, yo, 1, &e), ERR_OK);
    assert_true(yo[0] == y[34] && yo[1] == y[35]);
    assert_int_equal(place_inverse(x, y, n, d, y + 34, 1, 10, xo, 1, &e), ERR_OK);
    for (int l = 0; l < d; l++)
        assert_true(fabsf(xo[l] - x[17 * d + l]) < 1e-3f * (1.0f + fabsf(x[17 * d + l])));
    /* A new point near a cluster lands inside that cluster's corner. */
    float q[7];
    for (int l = 0; l < d; l++)
        q[l] = x[17 * d + l] + 0.3f;
    assert_int_equal(place_points(x, y, n, d, q, 1, 10, yo, 2, &e), ERR_OK);
    float cx = (float)(lab[17] % 2) * 100.0f, cy = (float)(lab[17] / 2) * 100.0f;
    assert_true(yo[0] >= cx && yo[0] <= cx + 6.0f && yo[1] >= cy && yo[1] <= cy + 4.0f);
    /* The inverse of an interior map point is a convex combination: inside the box. */
    float mid[2] = {3.0f, 2.0f};
    assert_int_equal(place_inverse(x, y, n, d, mid, 1, 8, xo, 1, &e), ERR_OK);
    for (int l = 0; l < d; l++) {
        float lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++)
            if (lab[i] == 0) {
                lo = fminf(lo, x[i * d + l]);
                hi = fmaxf(hi, x[i * d + l]);
            }
        assert_true(xo[l] >= lo && xo[l] <= hi);
    }
    q[0] = NAN;
    assert_int_equal(place_points(x, y, n, d, q, 1, 10, yo, 1, &e), ERR_NUMERIC);
    free(x);
    free(y);
    free(lab);
}

static void test_quality_metrics(void **state)
{
    (void)state;
    const size_t n = 500;
    int32_t *lab = malloc(n * sizeof *lab);
    float *x = clusters(n, 2, 5, 20.0f, 6, lab);
    Err e = {0};
    double t = 0.0, acc = 0.0;
    assert_int_equal(quality_trustworthiness(x, 2, x, 2, n, 10, 2, &t, &e), ERR_OK);
    assert_true(fabs(t - 1.0) < 1e-12); /* the identity map has no intruders */
    assert_int_equal(quality_knn_accuracy(x, n, 2, lab, 10, 2, &acc, &e), ERR_OK);
    assert_true(acc > 0.99);
    /* A random map is much less trustworthy and classifies at chance. */
    Rng r;
    rng_seed(&r, 1);
    float *y = malloc(n * 2 * sizeof *y);
    rng_normal_fill(&r, y, 2 * n);
    assert_int_equal(quality_trustworthiness(x, 2, y, 2, n, 10, 2, &t, &e), ERR_OK);
    assert_true(t < 0.6);
    assert_int_equal(quality_knn_accuracy(y, n, 2, lab, 10, 2, &acc, &e), ERR_OK);
    assert_true(acc < 0.35);
    free(x);
    free(y);
    free(lab);
}

int main(void)
{
    /* As the CLI does (knn.h): our threads call sgemm, OpenBLAS adds none.
     * (OpenBLAS's own pool is invisible to ThreadSanitizer.) */
    openblas_set_num_threads(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pca_recovers_dominant_direction),
        cmocka_unit_test(test_pca_rejects_bad_input),
        cmocka_unit_test(test_pca_gram_matches_covariance),
        cmocka_unit_test(test_knn_matches_naive),
        cmocka_unit_test(test_knn_far_out_coordinates),
        cmocka_unit_test(test_perplexity_calibration_every_point),
        cmocka_unit_test(test_bh_gradient_matches_exact),
        cmocka_unit_test(test_exact_gradient_is_kl_derivative),
        cmocka_unit_test(test_kl_decreases_and_clusters_separate),
        cmocka_unit_test(test_same_layout_for_any_thread_count),
        cmocka_unit_test(test_warm_start_keeps_the_map),
        cmocka_unit_test(test_degenerate_inputs),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_place_and_inverse),
        cmocka_unit_test(test_quality_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
