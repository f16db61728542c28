/* place: put new points on an existing 2-D map, and the inverse, a 2-D
 * position back to an input-space vector. Both are kNN interpolations with
 * Shepard's inverse-distance weights w_j = 1 / d_j^2 over the k nearest
 * reference points (when some neighbours are at distance 0, exactly those are
 * averaged with equal weights, so a point that coincides with a reference
 * point lands on it, and a click on a map point returns that point's vector).
 *
 *   place_points:  x (D) -> y = sum_j w_j y_j / sum_j w_j,  j = k nearest in input space
 *   place_inverse: y (2) -> x = sum_j w_j x_j / sum_j w_j,  j = k nearest on the map
 *
 * Why not optimise new points against the t-SNE objective (openTSNE's
 * transform)? The explorer places a handful of points per frame and needs the
 * answer in microseconds, deterministically, without touching the running
 * optimisation; the kNN average puts a point amid the neighbours t-SNE itself
 * clustered it with, which is what the marker must show. It cannot put a
 * point in empty space between clusters, and the inverse map is piecewise
 * smooth, not a true inverse: both are documented limits in the explorer.
 *
 * Cost: brute force over the reference points (knn.h; up to 4 queries go
 * through a direct loop, more through sgemm tiles). At N = 10,000 one inverse
 * (2-D) query takes ~0.08 ms and placing one 64-d point ~0.13 ms on one
 * core; 64 points ~2.5 ms.
 *
 * Thread rule: pure functions of their inputs; safe from any thread. */
#ifndef ZSPACE_EMBED_PLACE_H
#define ZSPACE_EMBED_PLACE_H

#include <stddef.h>

#include "core/err.h"

/* For each of the M rows of x_new (M, D) write its map position into
 * y_new (M, 2), from the reference points x_ref (N, D) placed at y_ref (N, 2).
 * k is clamped to N. Fails on k < 1, N < 1, non-finite queries, no memory. */
int place_points(const float *x_ref, const float *y_ref, size_t n, int d, const float *x_new,
                 size_t m, int k, float *y_new, int threads, Err *e);

/* For each of the M map positions y_q (M, 2) write an input-space vector into
 * x_out (M, D), interpolated from the k map-nearest reference points. */
int place_inverse(const float *x_ref, const float *y_ref, size_t n, int d, const float *y_q,
                  size_t m, int k, float *x_out, int threads, Err *e);

#endif
