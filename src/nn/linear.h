/* linear: fully connected layers, y = x W^T + b, on row-major batches.
 *
 * Shapes: x (B, in), y (B, out), W (out, in) like PyTorch, b (out). (The
 * first encoder layer, with its sparse input, is nn/sparse.h.) The products
 * go through nn_gemm (nn/gemm.h): the *_g kernels take the backend and
 * NnMat operands (fp32 storage and, in mixed precision, the bf16 copy);
 * the plain names are the same kernels on the fp32 reference backend
 * (OpenBLAS). *_naive kernels are plain loops with double accumulators, the
 * references for tests.
 *
 * Forward kernels overwrite y. Backward kernels accumulate (+=) into the
 * gradients when `acc` is non-zero and overwrite them when it is 0 (the
 * training step computes each gradient once, so it skips reading zeros).
 * Outputs are fp32; where a uint16_t *..h output is given, the kernel also
 * writes its result in bf16 in the same pass (the next GEMM's operand).
 * Pure functions on caller buffers; any thread (the NnGemm belongs to it). */
#ifndef ZSPACE_NN_LINEAR_H
#define ZSPACE_NN_LINEAR_H

#include <stdint.h>

#include "gemm.h"

/* y = x W^T + b, then ReLU if relu != 0; yh (may be NULL) = bf16(y). */
void linear_forward_g(NnGemm *g, float *y, uint16_t *yh, NnMat x, NnMat w, const float *b, int B,
                      int in, int out, int relu);
/* dx (B, in) += dy W  (or = when acc == 0). */
void linear_backward_input_g(NnGemm *g, float *dx, NnMat dy, NnMat w, int B, int in, int out,
                             int acc);
/* Rows r0..r1 of the weight gradient and the matching bias entries:
 * dW[r0:r1] (+)= dy[:, r0:r1]^T x, db[r0:r1] (+)= column sums of dy (db may
 * be NULL; it reads dy's fp32 storage). */
void linear_backward_weight_g(NnGemm *g, float *dw, float *db, NnMat dy, NnMat x, int B, int in,
                              int out, int r0, int r1, int acc);

/* The same on fp32 operands and the reference backend. */
void linear_forward(float *y, const float *x, const float *w, const float *b, int B, int in,
                    int out, int relu);
void linear_backward_input(float *dx, const float *dy, const float *w, int B, int in, int out,
                           int acc);
void linear_backward_weight(float *dw, float *db, const float *dy, const float *x, int B, int in,
                            int out, int r0, int r1, int acc);

void linear_forward_naive(float *y, const float *x, const float *w, const float *b, int B, int in,
                          int out, int relu);
/* All of dx, dW, db at once (dx may be NULL), always accumulating. */
void linear_backward_naive(float *dx, float *dw, float *db, const float *dy, const float *x,
                           const float *w, int B, int in, int out);

/* ReLU backward for a fused linear+ReLU: dy *= (y > 0), in place (turns the
 * gradient w.r.t. the activation into the gradient w.r.t. the pre-activation);
 * dyh (may be NULL) = bf16 of the result. */
void relu_backward_g(float *dy, uint16_t *dyh, const float *y, long n);
void relu_backward_inplace(float *dy, const float *y, long n);

/* db (+)= column sums of dy (B, out). */
void bias_backward(float *db, const float *dy, int B, int out, int acc);

#endif
