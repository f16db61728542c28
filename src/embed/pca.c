/* pca: see pca.h. LAPACK is called through its Fortran symbol (OpenBLAS
 * exports ssyevr_; Debian's OpenBLAS ships no LAPACKE), with gfortran's hidden
 * string-length arguments at the end. */
#include "pca.h"

#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ssyevr_(const char *jobz, const char *range, const char *uplo, const int *n, float *a,
             const int *lda, const float *vl, const float *vu, const int *il, const int *iu,
             const float *abstol, int *m, float *w, float *z, const int *ldz, int *isuppz,
             float *work, const int *lwork, int *iwork, const int *liwork, int *info, size_t,
             size_t, size_t);

enum { PCA_BLOCK = 2048 };

void pca_free(Pca *p)
{
    free(p->mean);
    free(p->components);
    free(p->variance);
    memset(p, 0, sizeof *p);
}

/* The top k eigenpairs of the symmetric (n, n) row-major matrix a (upper
 * triangle; destroyed), largest first: w (k), vectors z (k, n) rows. */
static int top_eigen(float *a, int n, int k, float *w, float *z, Err *e)
{
    float *wa = malloc((size_t)n * sizeof *wa), *za = malloc((size_t)n * k * sizeof *za);
    int *isuppz = malloc(2 * (size_t)k * sizeof *isuppz);
    float *work = NULL;
    int *iwork = NULL;
    int rc = ERR_OK;
    if (!wa || !za || !isuppz) {
        rc = err_set(e, ERR_NOMEM, "pca: out of memory for %d eigenvectors of %d", k, n);
        goto done;
    }
    /* Row-major upper == column-major lower: tell LAPACK 'L'. Eigenvalues come
     * ascending; asking for indices n-k+1..n gives the top k. */
    int nn = n, lda = n, il = n - k + 1, iu = n, m = 0, info = 0, lwork = -1, liwork = -1, iw_q;
    float vl = 0, vu = 0, abstol = 0, w_q;
    ssyevr_("V", "I", "L", &nn, a, &lda, &vl, &vu, &il, &iu, &abstol, &m, wa, za, &lda, isuppz,
            &w_q, &lwork, &iw_q, &liwork, &info, 1, 1, 1);
    if (info != 0) {
        rc = err_set(e, ERR_NUMERIC, "pca: LAPACK workspace query failed (info %d)", info);
        goto done;
    }
    lwork = (int)w_q;
    liwork = iw_q;
    work = malloc((size_t)lwork * sizeof *work);
    iwork = malloc((size_t)liwork * sizeof *iwork);
    if (!work || !iwork) {
        rc = err_set(e, ERR_NOMEM, "pca: out of memory for LAPACK workspace");
        goto done;
    }
    ssyevr_("V", "I", "L", &nn, a, &lda, &vl, &vu, &il, &iu, &abstol, &m, wa, za, &lda, isuppz,
            work, &lwork, iwork, &liwork, &info, 1, 1, 1);
    if (info != 0 || m != k) {
        rc = err_set(e, ERR_NUMERIC,
                     "pca: the eigen-solver did not converge (info %d, %d of %d components)",
                     info, m, k);
        goto done;
    }
    for (int c = 0; c < k; c++) {
        w[c] = wa[k - 1 - c];
        memcpy(z + (size_t)c * n, za + (size_t)(k - 1 - c) * n, (size_t)n * sizeof *z);
    }
done:
    free(wa);
    free(za);
    free(isuppz);
    free(work);
    free(iwork);
    return rc;
}

/* Rows r0.. (rn of them) of x, centred and scaled, into blk (rn, d). */
static void centred_block(const float *x, size_t r0, size_t rn, int d, const double *mean,
                          double scale, float *blk)
{
    for (size_t i = 0; i < rn; i++)
        for (int j = 0; j < d; j++)
            blk[i * (size_t)d + j] =
                (float)(((double)x[(r0 + i) * (size_t)d + j] - mean[j]) * scale);
}

/* Covariance path: C = Xc^T Xc (D, D) by ssyrk over blocks of rows, then its
 * eigenvectors are the components. Eigenvalues into w (k). */
static int fit_cov(const float *x, size_t n, int d, int k, const double *mean, double scale,
                   float *w, float *comp, Err *e)
{
    float *cov = calloc((size_t)d * d, sizeof *cov);
    float *blk = malloc((size_t)PCA_BLOCK * d * sizeof *blk);
    int rc;
    if (!cov || !blk) {
        rc = err_set(e, ERR_NOMEM, "pca: out of memory for a %d x %d covariance", d, d);
    } else {
        for (size_t r0 = 0; r0 < n; r0 += PCA_BLOCK) {
            size_t rn = n - r0 < PCA_BLOCK ? n - r0 : PCA_BLOCK;
            centred_block(x, r0, rn, d, mean, scale, blk);
            cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, d, (int)rn, 1.0f, blk, d, 1.0f,
                        cov, d);
        }
        rc = top_eigen(cov, d, k, w, comp, e);
    }
    free(cov);
    free(blk);
    return rc;
}

/* Gram path, for N < D: G = Xc Xc^T (N, N) has the same non-zero eigenvalues
 * as Xc^T Xc, and an eigenvector u of G gives the component Xc^T u / |.|.
 * Components beyond G's rank (zero variance) complete the orthonormal set
 * from the unit axes. */
static int fit_gram(const float *x, size_t n, int d, int k, const double *mean, double scale,
                    float *w, float *comp, Err *e)
{
    int kg = (size_t)k < n ? k : (int)n;
    float *xc = malloc(n * (size_t)d * sizeof *xc), *g = calloc(n * n, sizeof *g);
    float *u = malloc((size_t)kg * n * sizeof *u);
    int rc = ERR_OK;
    if (!xc || !g || !u) {
        rc = err_set(e, ERR_NOMEM, "pca: out of memory for %zu x %d centred rows", n, d);
        goto done;
    }
    centred_block(x, 0, n, d, mean, scale, xc);
    cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)n, d, 1.0f, xc, d, 0.0f, g,
                (int)n);
    if ((rc = top_eigen(g, (int)n, kg, w, u, e)) != ERR_OK)
        goto done;
    float tol = w[0] * (float)n * 1e-6f;
    for (int c = 0; c < k; c++) {
        float *v = comp + (size_t)c * d;
        double norm = 0.0;
        if (c < kg && w[c] > tol && w[c] > 0.0f) {
            cblas_sgemv(CblasRowMajor, CblasTrans, (int)n, d, 1.0f, xc, d, u + (size_t)c * n, 1,
                        0.0f, v, 1);
            for (int j = 0; j < d; j++)
                norm += (double)v[j] * v[j];
        }
        /* Past the rank: the first unit axis not in the span of the others. */
        if (norm < 0.25)
            w[c] = 0.0f;
        for (int axis = 0; norm < 0.25 && axis < d; axis++) {
            memset(v, 0, (size_t)d * sizeof *v);
            v[axis] = 1.0f;
            for (int b = 0; b < c; b++) {
                const float *vb = comp + (size_t)b * d;
                float dot = cblas_sdot(d, v, 1, vb, 1);
                cblas_saxpy(d, -dot, vb, 1, v, 1);
            }
            norm = 0.0;
            for (int j = 0; j < d; j++)
                norm += (double)v[j] * v[j];
        }
        float inv = (float)(1.0 / sqrt(norm));
        for (int j = 0; j < d; j++)
            v[j] *= inv;
    }
done:
    free(xc);
    free(g);
    free(u);
    return rc;
}
int pca_fit_path(Pca *p, const float *x, size_t n, int d, int k, PcaPath path, Err *e)
{
    memset(p, 0, sizeof *p);
    if (n < 2)
        return err_set(e, ERR_ARG, "pca: need at least 2 points (got %zu)", n);
    if (d < 1 || k < 1 || k > d)
        return err_set(e, ERR_ARG, "pca: cannot take %d components of %d-dimensional data", k, d);
    if (n > INT_MAX)
        return err_set(e, ERR_ARG, "pca: %zu points exceed the index range", n);
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            if (!isfinite(x[i * (size_t)d + j]))
                return err_set(e, ERR_NUMERIC, "pca: row %zu, column %d is %s", i + 1, j + 1,
                               isnan(x[i * (size_t)d + j]) ? "NaN" : "infinite");
    if (path == PCA_AUTO)
        path = n < (size_t)d ? PCA_GRAM : PCA_COVARIANCE;

    double *mean = calloc((size_t)d, sizeof *mean);
    float *w = malloc((size_t)k * sizeof *w);
    p->mean = malloc((size_t)d * sizeof *p->mean);
    p->components = malloc((size_t)k * d * sizeof *p->components);
    p->variance = malloc((size_t)k * sizeof *p->variance);
    int rc = ERR_OK;
    if (!mean || !w || !p->mean || !p->components || !p->variance) {
        rc = err_set(e, ERR_NOMEM, "pca: out of memory for %d components of %d dims", k, d);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            mean[j] += x[i * (size_t)d + j];
    for (int j = 0; j < d; j++) {
        mean[j] /= (double)n;
        p->mean[j] = (float)mean[j];
    }
    /* Centred values scaled by a power of two into [0.5, 1): float sums of
     * their products neither overflow (values near 1e38) nor underflow, and
     * the eigenvectors are unchanged. The total variance in double. */
    double mx = 0.0, ss = 0.0;
    for (size_t i = 0; i < n * (size_t)d; i++) {
        double v = fabs((double)x[i] - mean[i % (size_t)d]);
        mx = v > mx ? v : mx;
        ss += v * v;
    }
    p->total_variance = ss / (double)(n - 1);
    if (!(p->total_variance <= FLT_MAX)) {
        rc = err_set(e, ERR_NUMERIC,
                     "pca: the data's variance (%.3g) exceeds the float range; scale the data "
                     "down",
                     p->total_variance);
        goto done;
    }
    int ex = 0;
    if (mx > 0.0)
        frexp(mx, &ex);
    double scale = ldexp(1.0, -ex);
    rc = path == PCA_GRAM ? fit_gram(x, n, d, k, mean, scale, w, p->components, e)
                          : fit_cov(x, n, d, k, mean, scale, w, p->components, e);
    if (rc != ERR_OK)
        goto done;
    for (int c = 0; c < k; c++) {
        float *v = p->components + (size_t)c * d;
        int big = 0;
        for (int j = 1; j < d; j++)
            if (fabsf(v[j]) > fabsf(v[big]))
                big = j;
        if (v[big] < 0.0f)
            for (int j = 0; j < d; j++)
                v[j] = -v[j];
        double var = (double)w[c] / (scale * scale) / (double)(n - 1);
        p->variance[c] = var > 0.0 ? (float)var : 0.0f; /* rounding can give -0 at rank < k */
    }
    p->d = d;
    p->k = k;
done:
    free(mean);
    free(w);
    if (rc != ERR_OK)
        pca_free(p);
    return rc;
}

int pca_fit(Pca *p, const float *x, size_t n, int d, int k, Err *e)
{
    return pca_fit_path(p, x, n, d, k, PCA_AUTO, e);
}

void pca_transform(const Pca *p, const float *x, size_t n, float *y)
{
    const int d = p->d, k = p->k;
    float *blk = malloc((size_t)PCA_BLOCK * d * sizeof *blk);
    if (!blk) { /* small fallback: no temporary, one row at a time */
        for (size_t i = 0; i < n; i++)
            for (int c = 0; c < k; c++) {
                double acc = 0.0;
                for (int j = 0; j < d; j++)
                    acc += (double)(x[i * (size_t)d + j] - p->mean[j]) *
                           p->components[(size_t)c * d + j];
                y[i * (size_t)k + c] = (float)acc;
            }
        return;
    }
    for (size_t r0 = 0; r0 < n; r0 += PCA_BLOCK) {
        size_t rn = n - r0 < PCA_BLOCK ? n - r0 : PCA_BLOCK;
        for (size_t i = 0; i < rn; i++)
            for (int j = 0; j < d; j++)
                blk[i * (size_t)d + j] = x[(r0 + i) * (size_t)d + j] - p->mean[j];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rn, k, d, 1.0f, blk, d,
                    p->components, d, 0.0f, y + r0 * (size_t)k, k);
    }
    free(blk);
}
