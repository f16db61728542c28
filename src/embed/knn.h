/* knn: exact k-nearest-neighbour search by brute force, with the distances
 * computed tile by tile as one sgemm each (|q|^2 + |r|^2 - 2 q.r).
 *
 * Why brute force: at the sizes zspace projects (N <= 70,000 points of
 * D <= 784, usually D = 50 or the latent size) a blocked sgemm runs at most of
 * the machine's peak and beats tree searches, which degrade badly above ~20
 * dimensions (timings in BENCHMARKS.md). Each query keeps a max-heap of its k
 * best candidates; most candidates fail the heap-top test, so selection costs
 * about one compare per distance. After selection the k distances are
 * recomputed exactly (in double, from the vectors) because the sgemm form
 * loses digits to cancellation for near-duplicates, and the list is sorted by
 * (distance, index): results are identical for any thread count.
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
 * returns ERR_CANCELLED with idx/dist2 undefined. */
int knn_query(const float *ref, size_t n, const float *q, size_t m, int d, int k, int self,
              int32_t *idx, float *dist2, int threads, const atomic_bool *cancel, Err *e);

#endif
