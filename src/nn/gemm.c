/* gemm: the backends behind nn_gemm and the choice of precision (see
 * gemm.h; the oneDNN side is gemm_dnnl.c). */
#include "gemm.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bf16.h"

struct NnGemm {
    NnGemmKind kind;
    NnDnnl *dnnl;       /* ONEDNN_* */
    float *wide;        /* WIDEN_BF16: both operands widened, grown to the largest seen */
    size_t wide_n;
    Err first;          /* first failure since the last nn_gemm_status */
};

int nn_gemm_init(NnGemm **out, NnGemmKind kind, Err *e)
{
    *out = NULL;
    NnGemm *g = calloc(1, sizeof *g);
    if (!g)
        return err_set(e, ERR_NOMEM, "out of memory for a GEMM backend");
    g->kind = kind;
    if (kind == NN_GEMM_ONEDNN_BF16 || kind == NN_GEMM_ONEDNN_FP32) {
        int rc = nn_dnnl_init(&g->dnnl, kind == NN_GEMM_ONEDNN_BF16, e);
        if (rc) {
            free(g);
            return rc;
        }
    }
    *out = g;
    return ERR_OK;
}

void nn_gemm_free(NnGemm *g)
{
    if (!g)
        return;
    nn_dnnl_free(g->dnnl);
    free(g->wide);
    free(g);
}

NnGemmKind nn_gemm_kind(const NnGemm *g) { return g ? g->kind : NN_GEMM_BLAS; }

int nn_gemm_is_bf16(const NnGemm *g)
{
    return g && (g->kind == NN_GEMM_ONEDNN_BF16 || g->kind == NN_GEMM_WIDEN_BF16);
}

int nn_gemm_status(NnGemm *g, Err *e)
{
    if (!g || !g->first.code)
        return ERR_OK;
    int code = err_set(e, g->first.code, "%s", g->first.msg);
    err_clear(&g->first);
    return code;
}

static void blas(int ta, int tb, int M, int N, int K, const float *a, int lda, const float *b,
                 int ldb, float *c, int ldc, int acc)
{
    if (M == 1 && !ta && tb) /* one row (the explorer's per-frame decode): sgemm would pack all of B */
        cblas_sgemv(CblasRowMajor, CblasNoTrans, N, K, 1.0f, b, ldb, a, 1, acc ? 1.0f : 0.0f, c,
                    1);
    else
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    M, N, K, 1.0f, a, lda, b, ldb, acc ? 1.0f : 0.0f, c, ldc);
}

/* rows x cols of a bf16 matrix with row stride ld, into a dense float block. */
static void widen(float *dst, const uint16_t *src, int rows, int cols, int ld)
{
    for (int r = 0; r < rows; r++)
        bf16_to_floats(dst + (size_t)r * cols, src + (size_t)r * ld, cols);
}

static void fail(NnGemm *g, const Err *why, int M, int N, float *c, int ldc)
{
    if (!g->first.code)
        g->first = *why;
    for (int r = 0; r < M; r++)
        for (int j = 0; j < N; j++)
            c[(size_t)r * ldc + j] = NAN;
}

void nn_gemm(NnGemm *g, int ta, int tb, int M, int N, int K, NnMat a, int lda, NnMat b, int ldb,
             float *c, int ldc, int acc)
{
    if (M <= 0 || N <= 0)
        return;
    Err e = {0};
    switch (nn_gemm_kind(g)) {
    case NN_GEMM_BLAS:
        blas(ta, tb, M, N, K, a.f, lda, b.f, ldb, c, ldc, acc);
        return;
    case NN_GEMM_ONEDNN_FP32:
    case NN_GEMM_ONEDNN_BF16: {
        int bf = g->kind == NN_GEMM_ONEDNN_BF16;
        if (nn_dnnl_gemm(g->dnnl, ta, tb, M, N, K, bf ? (const void *)a.h : (const void *)a.f,
                         lda, bf ? (const void *)b.h : (const void *)b.f, ldb, c, ldc, acc, &e))
            fail(g, &e, M, N, c, ldc);
        return;
    }
    case NN_GEMM_WIDEN_BF16: {
        int ar = ta ? K : M, ac = ta ? M : K, br = tb ? N : K, bc = tb ? K : N;
        size_t need = (size_t)ar * ac + (size_t)br * bc;
        if (need > g->wide_n) { /* grows during the first step only: shapes repeat */
            float *p = realloc(g->wide, need * sizeof *p);
            if (!p) {
                err_set(&e, ERR_NOMEM, "out of memory for a %d x %d x %d product", M, N, K);
                fail(g, &e, M, N, c, ldc);
                return;
            }
            g->wide = p, g->wide_n = need;
        }
        float *wa = g->wide, *wb = g->wide + (size_t)ar * ac;
        widen(wa, a.h, ar, ac, lda);
        widen(wb, b.h, br, bc, ldb);
        blas(ta, tb, M, N, K, wa, ac, wb, bc, c, ldc, acc);
        return;
    }
    }
}

/* ---- precision ---- */

static const char *const prec_names[] = {"auto", "fp32", "bf16"};

const char *nn_precision_name(NnPrecision p)
{
    return p >= NN_PREC_AUTO && p <= NN_PREC_BF16 ? prec_names[p] : "?";
}

int nn_precision_parse(const char *s, NnPrecision *p)
{
    for (int i = 0; i < 3; i++)
        if (s && !strcmp(s, prec_names[i])) {
            *p = (NnPrecision)i;
            return 0;
        }
    return -1;
}

int nn_bf16_available(NnGemmKind *kind, char *why, size_t n)
{
    const char *env = getenv("ZSPACE_BF16");
    *kind = NN_GEMM_BLAS;
    if (env && !strcmp(env, "off")) {
        snprintf(why, n, "bf16 is switched off (ZSPACE_BF16=off)");
        return 0;
    }
    if (env && !strcmp(env, "emulate")) {
        *kind = NN_GEMM_WIDEN_BF16;
        return 1;
    }
    if (!nn_dnnl_bf16_native()) {
        snprintf(why, n, "this CPU has no native bf16 dot products (AVX512_BF16)");
        return 0;
    }
    NnGemm *g;
    Err e = {0};
    if (nn_gemm_init(&g, NN_GEMM_ONEDNN_BF16, &e)) {
        snprintf(why, n, "%s", e.msg);
        return 0;
    }
    nn_gemm_free(g);
    *kind = NN_GEMM_ONEDNN_BF16;
    return 1;
}

int nn_precision_resolve(NnPrecision want, NnPrecision *got, NnGemmKind *kind, Err *e)
{
    NnGemmKind k = NN_GEMM_BLAS, bk;
    char why[200] = "";
    NnPrecision p = NN_PREC_FP32;
    if (want == NN_PREC_BF16 || want == NN_PREC_AUTO) {
        int ok = nn_bf16_available(&bk, why, sizeof why);
        if (ok && (want == NN_PREC_BF16 || bk == NN_GEMM_ONEDNN_BF16))
            p = NN_PREC_BF16, k = bk;
        else if (want == NN_PREC_BF16)
            return err_set(e, ERR_ARG, "bf16 is not available: %s; use fp32 or auto",
                           why);
    } else if (want != NN_PREC_FP32) {
        return err_set(e, ERR_ARG, "unknown precision %d", (int)want);
    }
    *got = p;
    if (kind)
        *kind = k;
    return ERR_OK;
}
