/* pca: see pca.h. LAPACK is called through its Fortran symbol (OpenBLAS
 * exports ssyevr_; Debian's OpenBLAS ships no LAPACKE), with gfortran's hidden
 * string-length arguments at the end. */
#include "pca.h"

#include <cblas.h>
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

int pca_fit(Pca *p, const float *x, size_t n, int d, int k, Err *e)
{
    memset(p, 0, sizeof *p);
    if (n < 2)
        return err_set(e, ERR_ARG, "pca: need at least 2 points (got %zu)", n);
    if (d < 1 || k < 1 || k > d)
        return err_set(e, ERR_ARG, "pca: cannot take %d components of %d-dimensional data", k, d);
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            if (!isfinite(x[i * (size_t)d + j]))
                return err_set(e, ERR_NUMERIC, "pca: row %zu, column %d is %s", i + 1, j + 1,
                               isnan(x[i * (size_t)d + j]) ? "NaN" : "infinite");

    size_t dd = (size_t)d * d;
    double *mean = calloc((size_t)d, sizeof *mean);
    float *cov = calloc(dd, sizeof *cov);
    float *blk = malloc((size_t)PCA_BLOCK * d * sizeof *blk);
    float *w = malloc((size_t)d * sizeof *w);
    float *z = malloc((size_t)d * k * sizeof *z);
    int *isuppz = malloc(2 * (size_t)k * sizeof *isuppz);
    p->mean = malloc((size_t)d * sizeof *p->mean);
    p->components = malloc((size_t)k * d * sizeof *p->components);
    p->variance = malloc((size_t)k * sizeof *p->variance);
    float *work = NULL;
    int *iwork = NULL;
    int rc = ERR_OK;
    if (!mean || !cov || !blk || !w || !z || !isuppz || !p->mean || !p->components ||
        !p->variance) {
        rc = err_set(e, ERR_NOMEM, "pca: out of memory for %d x %d covariance", d, d);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            mean[j] += x[i * (size_t)d + j];
    for (int j = 0; j < d; j++)
        p->mean[j] = (float)(mean[j] / (double)n);

    /* C += Xc_blk^T Xc_blk, upper triangle (row-major), block by block. */
    for (size_t r0 = 0; r0 < n; r0 += PCA_BLOCK) {
        size_t rn = n - r0 < PCA_BLOCK ? n - r0 : PCA_BLOCK;
        for (size_t i = 0; i < rn; i++)
            for (int j = 0; j < d; j++)
                blk[i * (size_t)d + j] = x[(r0 + i) * (size_t)d + j] - p->mean[j];
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, d, (int)rn, 1.0f, blk, d, 1.0f, cov,
                    d);
    }
    double trace = 0.0;
    for (int j = 0; j < d; j++)
        trace += cov[(size_t)j * d + j];
    p->total_variance = trace / (double)(n - 1);

    /* Row-major upper == column-major lower: tell LAPACK 'L'. Eigenvalues come
     * ascending; asking for indices d-k+1..d gives the top k. */
    int nn = d, lda = d, il = d - k + 1, iu = d, m = 0, info = 0, lwork = -1, liwork = -1, iw_q;
    float vl = 0, vu = 0, abstol = 0, w_q;
    ssyevr_("V", "I", "L", &nn, cov, &lda, &vl, &vu, &il, &iu, &abstol, &m, w, z, &lda, isuppz,
            &w_q, &lwork, &iw_q, &liwork, &info, 1, 1, 1);
    if (info != 0) {
        rc = err_set(e, ERR_NUMERIC, "pca: ssyevr workspace query failed (info %d)", info);
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
    ssyevr_("V", "I", "L", &nn, cov, &lda, &vl, &vu, &il, &iu, &abstol, &m, w, z, &lda, isuppz,
            work, &lwork, iwork, &liwork, &info, 1, 1, 1);
    if (info != 0 || m != k) {
        rc = err_set(e, ERR_NUMERIC, "pca: ssyevr failed (info %d, %d of %d eigenpairs)", info, m,
                     k);
        goto done;
    }
    for (int c = 0; c < k; c++) {
        const float *v = z + (size_t)(k - 1 - c) * d; /* descending order */
        int big = 0;
        for (int j = 1; j < d; j++)
            if (fabsf(v[j]) > fabsf(v[big]))
                big = j;
        float sign = v[big] < 0.0f ? -1.0f : 1.0f;
        for (int j = 0; j < d; j++)
            p->components[(size_t)c * d + j] = sign * v[j];
        float var = w[k - 1 - c] / (float)(n - 1);
        p->variance[c] = var > 0.0f ? var : 0.0f; /* rounding can give -0 for rank-deficient C */
    }
    p->d = d;
    p->k = k;
done:
    free(mean);
    free(cov);
    free(blk);
    free(w);
    free(z);
    free(isuppz);
    free(work);
    free(iwork);
    if (rc != ERR_OK)
        pca_free(p);
    return rc;
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
