/* knn: exact k-nearest-neighbour search by brute force, with the distances
 * computed tile by tile as one sgemm each (|q|^2 + |r|^2 - 2 q.r).
 *
 * Why brute force: at the sizes zspace projects (N <= 70,000 points of
 * D <= 784, usually D = 50 or the latent size) a blocked sgemm does the
 * O(N^2 D) work near the machine's peak, and tree searches (vantage-point,
 * k-d) lose most of their pruning above ~20 dimensions. All of MNIST
 * (70,000 x 50, k = 90) takes ~5 s on 2 cores (BENCHMARKS.md).
 *
 * Selection: each query keeps a buffer of candidates below a threshold (the
 * k-th best distance at the last pruning); a vectorised compare rejects most,
 * and a quickselect prunes the buffer when it fills (knn.c). The k survivors'
 * distances are then recomputed directly from the vectors, because the sgemm
 * form loses digits to cancellation for near-duplicates, and each list is
 * sorted by (distance, index): results are identical for any thread count.
 * Up to 4 non-self queries skip sgemm and loop directly (the explorer's
 * clicks: no pass over all reference norms).
 *
 * Thread rule: knn_query splits the queries over `threads` pthreads, each of
 * which calls cblas_sgemm on its own tiles; inputs are read-only during the
 * call. For full speed OpenBLAS itself should run one thread per caller (the
 * CLI sets that); with more it is still correct, merely oversubscribed. */
#ifndef ZSPACE_EMBED_KNN_H
#define ZSPACE_EMBED_KNN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* For each of the M query rows q (M, D) find the k nearest of the N reference
 * rows ref (N, D) in Euclidean distance. Writes idx (M, k) (indices into ref)
 * and dist2 (M, k) (squared distances), each row sorted nearest first.
 * self: the queries are the reference rows themselves (q == ref, M == N) and
 * row i must not list i; then k <= N - 1, otherwise k <= N.
 * cancel (may be NULL) is polled between tiles; when it reads true the call
 * returns ERR_CANCELLED with idx/dist2 undefined.
 * Any finite coordinates work, however far out (far-out data is centred and
 * scaled for the candidate pre-selection; the final distances are summed in
 * double). A non-finite coordinate, or a neighbour whose squared distance
 * exceeds FLT_MAX, fails with ERR_NUMERIC and a message naming it. */
int knn_query(const float *ref, size_t n, const float *q, size_t m, int d, int k, int self,
              int32_t *idx, float *dist2, int threads, const atomic_bool *cancel, Err *e);

#endif
