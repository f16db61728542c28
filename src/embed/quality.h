/* quality: how well a 2-D map keeps the input's structure. The numbers in
 * BENCHMARKS.md and the tests' thresholds come from here.
 *
 * - knn_accuracy: leave-one-out k-NN classification accuracy of the labels in
 *   the map (majority vote of the k map-nearest other points; ties go to the
 *   label of the nearest among the tied).
 * - trustworthiness (Venna & Kaski 2001; the definition of
 *   sklearn.manifold.trustworthiness): 1 - 2 / (N k (2N - 3k - 1)) *
 *   sum_i sum_{j in U_i} (r(i, j) - k), where U_i are i's k map-nearest
 *   neighbours that are not among its k input-nearest, and r(i, j) is the rank
 *   of j by input distance from i (nearest = 1). 1 = no intruders.
 *
 * Thread rule: pure functions of their inputs, using `threads` pthreads
 * inside the call. */
#ifndef ZSPACE_EMBED_QUALITY_H
#define ZSPACE_EMBED_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* y (N, D) points (usually D = 2), labels (N). Writes the accuracy in [0, 1]. */
int quality_knn_accuracy(const float *y, size_t n, int d, const int32_t *labels, int k,
                         int threads, double *acc, Err *e);

/* x (N, D) input, y (N, dy) map. Needs k < N / 2. O(N^2 D): 10,000 points of
 * 50 dims take about a second. */
int quality_trustworthiness(const float *x, int d, const float *y, int dy, size_t n, int k,
                            int threads, double *t, Err *e);

#endif
