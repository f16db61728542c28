/* gemm: the one matrix product behind every dense layer, in fp32 or with
 * bf16 operands (mixed precision).
 *
 *   C (M, N) = op(A) op(B), or += when acc != 0,
 *   op(A) (M, K) = A or A^T, op(B) (K, N) = B or B^T, all row-major.
 *
 * Operands are NnMat pairs: a matrix's fp32 storage and, in mixed precision,
 * its bf16 copy (written by whoever produced the data: Adam for weights,
 * the activation and gradient passes for activations). A backend reads the
 * storage of its precision; C and the sums are always fp32. Backends:
 *   BLAS         fp32 operands, OpenBLAS: the reference.
 *   ONEDNN_BF16  bf16 operands through oneDNN's matmul primitive; oneDNN
 *                picks its kernel for the CPU at run time. One primitive per
 *                shape, created at its first use and reused (the shapes of a
 *                training run are the same every step).
 *   WIDEN_BF16   the same bf16 operand values widened to fp32 for OpenBLAS:
 *                bf16 numerics on any CPU (slower than fp32; for checking
 *                the mixed-precision step where oneDNN has no bf16 kernel).
 *   ONEDNN_FP32  fp32 operands through oneDNN: checks the oneDNN plumbing
 *                (strides, transposes, accumulation, the cache) on any CPU.
 * A NULL NnGemm is BLAS. Thread rule: an NnGemm belongs to one thread at a
 * time (its cache and scratch are mutable); one per pool part. */
#ifndef ZSPACE_NN_GEMM_H
#define ZSPACE_NN_GEMM_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef enum { NN_GEMM_BLAS, NN_GEMM_ONEDNN_BF16, NN_GEMM_WIDEN_BF16, NN_GEMM_ONEDNN_FP32 } NnGemmKind;

typedef struct {
    const float *f;    /* fp32 storage (read by BLAS, ONEDNN_FP32) */
    const uint16_t *h; /* bf16 copy (read by the bf16 backends); may be NULL in fp32 */
} NnMat;

static inline NnMat nn_mat(const float *f, const uint16_t *h) { return (NnMat){f, h}; }

typedef struct NnGemm NnGemm;

/* A backend of this kind; ERR_ARG if oneDNN cannot create its primitives
 * on this CPU (checked once here with a small product). */
int nn_gemm_init(NnGemm **out, NnGemmKind kind, Err *e);
void nn_gemm_free(NnGemm *g);
NnGemmKind nn_gemm_kind(const NnGemm *g);
/* Non-zero when the backend reads the bf16 copies. */
int nn_gemm_is_bf16(const NnGemm *g);

/* C = op(A) op(B) (+ C if acc). ta/tb non-zero transpose A/B; lda, ldb,
 * ldc are the row strides of A, B, C as stored. A failure inside (oneDNN
 * out of memory for a new shape) fills C with NaN, so a training step sees
 * a non-finite loss, and is kept for nn_gemm_status. */
void nn_gemm(NnGemm *g, int ta, int tb, int M, int N, int K, NnMat a, int lda, NnMat b, int ldb,
             float *c, int ldc, int acc);
/* ERR_OK, or the first failure since the last call (message into e); clears it. */
int nn_gemm_status(NnGemm *g, Err *e);

/* ---- precision of a training run ---- */

typedef enum { NN_PREC_AUTO, NN_PREC_FP32, NN_PREC_BF16 } NnPrecision;

/* "auto", "fp32", "bf16". */
const char *nn_precision_name(NnPrecision p);
/* 0 and *p on one of those names, -1 otherwise. */
int nn_precision_parse(const char *s, NnPrecision *p);

/* Whether this CPU does bf16 dot products natively (AVX512_BF16 or AMX, as
 * oneDNN sees it at run time, and oneDNN creates a bf16 matmul here). The
 * environment variable ZSPACE_BF16 overrides: "off" answers no (to test the
 * fallback on any machine), "emulate" answers yes with the WIDEN_BF16
 * backend (bf16 numerics on a CPU without bf16; never chosen by auto).
 * *kind receives the backend that runs bf16; why (n bytes) says why not. */
int nn_bf16_available(NnGemmKind *kind, char *why, size_t n);

/* auto -> bf16 where nn_bf16_available says native, else fp32; fp32 ->
 * fp32; bf16 -> bf16, or ERR_ARG with one line where it is unavailable.
 * *kind (may be NULL) receives the backend for the result. */
int nn_precision_resolve(NnPrecision want, NnPrecision *got, NnGemmKind *kind, Err *e);

/* The oneDNN side (gemm_dnnl.c): a cache of primitives per thread. */
typedef struct NnDnnl NnDnnl;
int nn_dnnl_init(NnDnnl **out, int bf16, Err *e);
void nn_dnnl_free(NnDnnl *d);
/* Returns ERR_OK or fills e; operands are bf16 or fp32 as the cache was made. */
int nn_dnnl_gemm(NnDnnl *d, int ta, int tb, int M, int N, int K, const void *a, int lda,
                 const void *b, int ldb, float *c, int ldc, int acc, Err *e);
/* Non-zero when oneDNN's effective ISA has native bf16 dot products. */
int nn_dnnl_bf16_native(void);

#endif
