/* linear: fully connected layers, y = x W^T + b, on row-major batches.
 *
 * Shapes: x (B, in), y (B, out), W (out, in) like PyTorch, b (out). (The
 * first encoder layer, with its sparse input, is nn/sparse.h.) Kernels call
 * cblas_sgemm; *_naive kernels are plain loops with double accumulators, the
 * references for tests.
 *
 * Forward kernels overwrite y. Backward kernels accumulate (+=) into the
 * gradients when `acc` is non-zero and overwrite them when it is 0 (the
 * training step computes each gradient once, so it skips reading zeros).
 * Pure functions on caller buffers; any thread. */
#ifndef ZSPACE_NN_LINEAR_H
#define ZSPACE_NN_LINEAR_H

/* y = x W^T + b, then ReLU if relu != 0. */
void linear_forward(float *y, const float *x, const float *w, const float *b, int B, int in,
                    int out, int relu);
void linear_forward_naive(float *y, const float *x, const float *w, const float *b, int B, int in,
                          int out, int relu);

/* dx (B, in) += dy W  (or = when acc == 0). */
void linear_backward_input(float *dx, const float *dy, const float *w, int B, int in, int out,
                           int acc);
/* Rows r0..r1 of the weight gradient and the matching bias entries:
 * dW[r0:r1] (+)= dy[:, r0:r1]^T x, db[r0:r1] (+)= column sums of dy (db may
 * be NULL). */
void linear_backward_weight(float *dw, float *db, const float *dy, const float *x, int B, int in,
                            int out, int r0, int r1, int acc);
/* All of dx, dW, db at once (dx may be NULL), always accumulating. */
void linear_backward_naive(float *dx, float *dw, float *db, const float *dy, const float *x,
                           const float *w, int B, int in, int out);

/* ReLU backward for a fused linear+ReLU: dy *= (y > 0), in place (turns the
 * gradient w.r.t. the activation into the gradient w.r.t. the pre-activation). */
void relu_backward_inplace(float *dy, const float *y, long n);

/* db (+)= column sums of dy (B, out). */
void bias_backward(float *db, const float *dy, int B, int out, int acc);

#endif
