/* linear: dense layers through cblas_sgemm, the sparse-input kernels of the
 * first encoder layer, and naive references (see linear.h). */
#include "linear.h"

#include <cblas.h>
#include <stddef.h>
#include <string.h>

/* 16 floats: one AVX-512 register with -march=native, pairs or quads of
 * narrower registers elsewhere. Loads/stores via memcpy are unaligned-safe. */
typedef float v16 __attribute__((vector_size(64)));
typedef int v16i __attribute__((vector_size(64)));
enum { VL = 16, CHUNK = 8 * VL };

static inline v16 vld(const float *p)
{
    v16 r;
    memcpy(&r, p, sizeof r);
    return r;
}
static inline void vst(float *p, v16 v) { memcpy(p, &v, sizeof v); }
static inline v16 vrelu(v16 v)
{
    v16i keep = v > (v16){0}; /* lanes: -1 where positive, else 0 */
    return (v16)((v16i)v & keep);
}

static void bias_act(float *y, const float *b, int B, int out, int relu)
{
    for (int r = 0; r < B; r++) {
        float *yr = y + (size_t)r * out;
        if (relu)
            for (int j = 0; j < out; j++) {
                float t = yr[j] + b[j];
                yr[j] = t > 0.0f ? t : 0.0f;
            }
        else
            for (int j = 0; j < out; j++)
                yr[j] += b[j];
    }
}

void linear_forward(float *y, const float *x, const float *w, const float *b, int B, int in,
                    int out, int relu)
{
    if (B == 1) /* sgemm would pack all of W for one row (the explorer's per-frame decode) */
        cblas_sgemv(CblasRowMajor, CblasNoTrans, out, in, 1.0f, w, in, x, 1, 0.0f, y, 1);
    else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, out, in, 1.0f, x, in, w, in, 0.0f,
                    y, out);
    bias_act(y, b, B, out, relu);
}

void linear_forward_naive(float *y, const float *x, const float *w, const float *b, int B, int in,
                          int out, int relu)
{
    for (int r = 0; r < B; r++)
        for (int j = 0; j < out; j++) {
            double s = b[j];
            for (int k = 0; k < in; k++)
                s += (double)x[(size_t)r * in + k] * w[(size_t)j * in + k];
            y[(size_t)r * out + j] = relu && s < 0 ? 0.0f : (float)s;
        }
}

void linear_backward_input(float *dx, const float *dy, const float *w, int B, int in, int out,
                           int acc)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, in, out, 1.0f, dy, out, w, in,
                acc ? 1.0f : 0.0f, dx, in);
}

void bias_backward(float *db, const float *dy, int B, int out, int acc)
{
    if (!acc)
        memset(db, 0, (size_t)out * sizeof *db);
    for (int r = 0; r < B; r++)
        for (int j = 0; j < out; j++)
            db[j] += dy[(size_t)r * out + j];
}

void linear_backward_weight(float *dw, float *db, const float *dy, const float *x, int B, int in,
                            int out, int r0, int r1, int acc)
{
    if (r1 <= r0)
        return;
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, r1 - r0, in, B, 1.0f, dy + r0, out, x, in,
                acc ? 1.0f : 0.0f, dw + (size_t)r0 * in, in);
    if (!db)
        return;
    if (!acc)
        memset(db + r0, 0, (size_t)(r1 - r0) * sizeof *db);
    for (int r = 0; r < B; r++)
        for (int j = r0; j < r1; j++)
            db[j] += dy[(size_t)r * out + j];
}

void linear_backward_naive(float *dx, float *dw, float *db, const float *dy, const float *x,
                           const float *w, int B, int in, int out)
{
    for (int j = 0; j < out; j++) {
        double sb = 0;
        for (int r = 0; r < B; r++)
            sb += dy[(size_t)r * out + j];
        db[j] += (float)sb;
        for (int k = 0; k < in; k++) {
            double s = 0;
            for (int r = 0; r < B; r++)
                s += (double)dy[(size_t)r * out + j] * x[(size_t)r * in + k];
            dw[(size_t)j * in + k] += (float)s;
        }
    }
    if (!dx)
        return;
    for (int r = 0; r < B; r++)
        for (int k = 0; k < in; k++) {
            double s = 0;
            for (int j = 0; j < out; j++)
                s += (double)dy[(size_t)r * out + j] * w[(size_t)j * in + k];
            dx[(size_t)r * in + k] += (float)s;
        }
}

void relu_backward_inplace(float *dy, const float *y, long n)
{
    for (long i = 0; i < n; i++)
        dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

/* acc[0..8) += s * w[0..CHUNK) over a list of (row, scale) pairs: the inner
 * loop of both sparse kernels. rows are offsets (in floats) into base. */
static inline void axpy_chunk(v16 a[8], const float *base, const int *rows, const float *scale,
                              int n, size_t stride)
{
    for (int t = 0; t < n; t++) {
        const float *p = base + (size_t)rows[t] * stride;
        v16 s = (v16){0} + scale[t];
        for (int i = 0; i < 8; i++)
            a[i] += s * vld(p + i * VL);
    }
}

/* The same for one vector or a scalar tail of width w < VL. */
static void axpy_tail(float *dst, const float *base, const int *rows, const float *scale, int n,
                      size_t stride, int w)
{
    for (int t = 0; t < n; t++) {
        const float *p = base + (size_t)rows[t] * stride;
        for (int i = 0; i < w; i++)
            dst[i] += scale[t] * p[i];
    }
}

void linear_t_forward_sparse(float *y, const float *x, const float *wt, const float *b, int B,
                             int in, int out, int relu, int *nz_idx, float *nz_val)
{
    /* Compact every row first (row r's nonzeros at r * in), then walk the
     * output in CHUNK-wide column slices so the slice of Wt being read
     * (in x CHUNK floats, ~400 KiB for MNIST) stays in L2 across rows. */
    int *nnz = nz_idx + (size_t)B * in; /* B counts after the B * in entries */
    for (int r = 0; r < B; r++) {
        const float *xr = x + (size_t)r * in;
        int *idx = nz_idx + (size_t)r * in, n = 0;
        float *val = nz_val + (size_t)r * in;
        for (int k = 0; k < in; k++) { /* branch-free compaction */
            idx[n] = k;
            val[n] = xr[k];
            n += xr[k] != 0.0f;
        }
        nnz[r] = n;
    }
    int c = 0;
    for (; c + CHUNK <= out; c += CHUNK)
        for (int r = 0; r < B; r++) {
            v16 a[8];
            for (int i = 0; i < 8; i++)
                a[i] = vld(b + c + i * VL);
            axpy_chunk(a, wt + c, nz_idx + (size_t)r * in, nz_val + (size_t)r * in, nnz[r],
                       (size_t)out);
            float *yr = y + (size_t)r * out;
            for (int i = 0; i < 8; i++)
                vst(yr + c + i * VL, relu ? vrelu(a[i]) : a[i]);
        }
    if (c == out)
        return;
    for (int r = 0; r < B; r++) {
        float *yr = y + (size_t)r * out;
        memcpy(yr + c, b + c, (size_t)(out - c) * sizeof *yr);
        axpy_tail(yr + c, wt + c, nz_idx + (size_t)r * in, nz_val + (size_t)r * in, nnz[r],
                  (size_t)out, out - c);
        if (relu)
            for (int j = c; j < out; j++)
                yr[j] = yr[j] > 0.0f ? yr[j] : 0.0f;
    }
}

void linear_t_backward_weight_sparse(float *dwt, const float *dy, const float *x, int B, int in,
                                     int out, int k0, int k1, int acc, int *nz_b, float *nz_val)
{
    for (int k = k0; k < k1; k++) {
        int n = 0;
        for (int r = 0; r < B; r++) {
            float v = x[(size_t)r * in + k];
            nz_b[n] = r;
            nz_val[n] = v;
            n += v != 0.0f;
        }
        float *dr = dwt + (size_t)k * out;
        int c = 0;
        for (; c + CHUNK <= out; c += CHUNK) {
            v16 a[8];
            for (int i = 0; i < 8; i++)
                a[i] = acc ? vld(dr + c + i * VL) : (v16){0};
            axpy_chunk(a, dy + c, nz_b, nz_val, n, (size_t)out);
            for (int i = 0; i < 8; i++)
                vst(dr + c + i * VL, a[i]);
        }
        if (c < out) {
            if (!acc)
                memset(dr + c, 0, (size_t)(out - c) * sizeof *dr);
            axpy_tail(dr + c, dy + c, nz_b, nz_val, n, (size_t)out, out - c);
        }
    }
}
