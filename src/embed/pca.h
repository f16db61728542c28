/* pca: principal component analysis of N rows of D floats, the instant 2-D
 * projection and the initialisation of t-SNE.
 *
 * Method: centre the data (scaled by a power of two, so values near 1e38
 * neither overflow nor lose the eigenvectors), form the D x D covariance
 * C = Xc^T Xc / (N - 1) with ssyrk over blocks of rows (so no centred copy of
 * X is kept), and take the top k eigenpairs of C with LAPACK's ssyevr (MRRR;
 * OpenBLAS ships LAPACK). With fewer points than dimensions (40 rows of
 * 10,000) the N x N Gram matrix Xc Xc^T is decomposed instead: same non-zero
 * eigenvalues, components Xc^T u / |Xc^T u|, cost O(N^2 D) instead of
 * O(N D^2 + D^3). Components are sorted by decreasing variance. Sign convention:
 * each component is flipped so that its entry of largest magnitude is
 * positive (ties: the lowest index), so the result does not depend on the
 * eigen-solver's arbitrary signs. Cost O(N D^2 + D^3): 70,000 x 784 takes
 * about a second.
 *
 * Thread rule: pure function of its inputs; safe to call from any thread.
 * It runs on the calling thread plus whatever threads OpenBLAS uses. */
#ifndef ZSPACE_EMBED_PCA_H
#define ZSPACE_EMBED_PCA_H

#include <stddef.h>

#include "core/err.h"

typedef struct {
    int d, k;          /* input dims D, components k */
    float *mean;       /* (D) column means */
    float *components; /* (k, D) unit principal directions, largest variance first */
    float *variance;   /* (k) variance along each component (eigenvalues of C) */
    double total_variance; /* trace of C: sum of all D variances */
} Pca;

/* Fit k components to x (N, D), N >= 2, 1 <= k <= D. Fails on non-finite
 * values (naming the row and column). On success *p owns its arrays (pca_free);
 * on failure *p is zeroed. */
int pca_fit(Pca *p, const float *x, size_t n, int d, int k, Err *e);

/* pca_fit with the path chosen by the caller (the tests compare the two);
 * PCA_AUTO takes the Gram path when N < D. A variance beyond float range is
 * an ERR_NUMERIC error. */
typedef enum { PCA_AUTO, PCA_COVARIANCE, PCA_GRAM } PcaPath;
int pca_fit_path(Pca *p, const float *x, size_t n, int d, int k, PcaPath path, Err *e);

/* y (N, k) = (x - mean) components^T: overwrites y. */
void pca_transform(const Pca *p, const float *x, size_t n, float *y);

void pca_free(Pca *p);

#endif
