/* sparse: compaction, forward and weight gradient of the sparse-input first
 * layer (see sparse.h). The compaction uses AVX-512 compress when the CPU has
 * it (ten times faster than the scalar loop, which is the fallback); the
 * forward and weight gradient are compiled per CPU level (core/cpu.h). */
#include "sparse.h"

#include <cblas.h>
#include <stdint.h>
#include <string.h>

#include "core/cpu.h"

#if defined(__AVX512F__) || ZS_DISPATCH
#include <immintrin.h>
#define HAVE_COMPRESS 1
#endif

typedef float v16 __attribute__((vector_size(64)));
typedef int v16i __attribute__((vector_size(64)));
enum { VL = 16, CHUNK = 8 * VL, OVERHANG = 16 };

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

static size_t up64(size_t n) { return (n + 63) / 64 * 64; }

static int n_tiles(int in) { return (in + SPARSE_TILE - 1) / SPARSE_TILE; }

size_t sparse_rows_bytes(int rows, int in)
{
    size_t ld = (size_t)in + OVERHANG;
    return 2 * up64((size_t)rows * ld * 4) + up64((size_t)rows * (n_tiles(in) + 1) * 4);
}

size_t sparse_cols_bytes(int rows)
{
    return 2 * up64((size_t)rows * SPARSE_TILE * 4) + up64((SPARSE_TILE + 1) * 4);
}

void sparse_rows_init(SparseRows *s, void *mem, int rows, int in)
{
    char *p = mem;
    s->rows = rows, s->in = in, s->ld = in + OVERHANG, s->tiles = n_tiles(in);
    size_t plane = up64((size_t)rows * s->ld * 4);
    s->idx = (int *)(void *)p;
    s->val = (float *)(void *)(p + plane);
    s->start = (int *)(void *)(p + 2 * plane);
}

void sparse_cols_init(SparseCols *c, void *mem, int rows)
{
    char *p = mem;
    size_t plane = up64((size_t)rows * SPARSE_TILE * 4);
    c->b = (int *)(void *)p;
    c->val = (float *)(void *)(p + plane);
    c->start = (int *)(void *)(p + 2 * plane);
}

#ifdef HAVE_COMPRESS
/* One row: indices/values of nonzeros and the tile starts; returns the count. */
#if !defined(__AVX512F__)
ZS_TARGET_AVX512F
#endif
static int compact_row_avx512(const float *xr, int in, int *idx, float *val, int *start)
{
    int n = 0;
    __m512i k16 = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (int k = 0; k < in; k += VL) {
        if (k % SPARSE_TILE == 0)
            start[k / SPARSE_TILE] = n;
        __mmask16 lanes = in - k >= VL ? 0xFFFF : (__mmask16)((1u << (in - k)) - 1);
        __m512 xv = _mm512_maskz_loadu_ps(lanes, xr + k);
        /* NEQ_UQ: NaN counts as nonzero */
        __mmask16 m = _mm512_mask_cmp_ps_mask(lanes, xv, _mm512_setzero_ps(), _CMP_NEQ_UQ);
        /* compress into a register, store a full vector: the overhang absorbs it */
        _mm512_storeu_ps(val + n, _mm512_maskz_compress_ps(m, xv));
        _mm512_storeu_si512(idx + n, _mm512_maskz_compress_epi32(m, k16));
        n += __builtin_popcount(m);
        k16 = _mm512_add_epi32(k16, _mm512_set1_epi32(VL));
    }
    start[n_tiles(in)] = n;
    return n;
}
#endif

#if !defined(__AVX512F__)
/* The same without AVX-512. */
static int compact_row_scalar(const float *xr, int in, int *idx, float *val, int *start)
{
    int n = 0;
    for (int k = 0; k < in; k++) {
        if (k % SPARSE_TILE == 0)
            start[k / SPARSE_TILE] = n;
        idx[n] = k; /* branch-free: always write, advance on nonzero */
        val[n] = xr[k];
        n += xr[k] != 0.0f;
    }
    start[n_tiles(in)] = n;
    return n;
}
#endif

static int compact_row(const float *xr, int in, int *idx, float *val, int *start)
{
#if defined(__AVX512F__)
    return compact_row_avx512(xr, in, idx, val, start);
#elif defined(HAVE_COMPRESS)
    if (ZS_HAVE_AVX512F())
        return compact_row_avx512(xr, in, idx, val, start);
    return compact_row_scalar(xr, in, idx, val, start);
#else
    return compact_row_scalar(xr, in, idx, val, start);
#endif
}

long sparse_rows_build(SparseRows *s, const float *x, int r0, int r1)
{
    long total = 0;
    for (int r = r0; r < r1; r++)
        total += compact_row(x + (size_t)r * s->in, s->in, s->idx + (size_t)r * s->ld,
                             s->val + (size_t)r * s->ld, s->start + (size_t)r * (s->tiles + 1));
    return total;
}

/* a[0..8) += scale[t] * base[rows[t] * stride + 0..CHUNK) over a list. */
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

/* The same over columns c..c+w (w < CHUNK), scalar. */
static void axpy_tail(float *dst, const float *base, const int *rows, const float *scale, int n,
                      size_t stride, int w)
{
    for (int t = 0; t < n; t++) {
        const float *p = base + (size_t)rows[t] * stride;
        for (int i = 0; i < w; i++)
            dst[i] += scale[t] * p[i];
    }
}

static void bias_act(float *y, const float *b, int rows, int out, int relu)
{
    for (int r = 0; r < rows; r++)
        for (int j = 0; j < out; j++) {
            float t = y[(size_t)r * out + j] + b[j];
            y[(size_t)r * out + j] = relu && t < 0.0f ? 0.0f : t;
        }
}

ZS_KERNEL void sparse_forward(float *y, const float *x, const SparseRows *s, int r0, int r1,
                              const float *wt, const float *b, int out, int relu)
{
    int in = s->in, n = r1 - r0, T = s->tiles;
    long nnz = 0;
    for (int r = r0; r < r1; r++)
        nnz += s->start[(size_t)r * (T + 1) + T];
    if (n <= 0)
        return;
    if (nnz > SPARSE_DENSE_ABOVE * n * in) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, out, in, 1.0f,
                    x + (size_t)r0 * in, in, wt, out, 0.0f, y + (size_t)r0 * out, out);
        bias_act(y + (size_t)r0 * out, b, n, out, relu);
        return;
    }
    /* Column slices outside, rows inside: the slice of Wt being read
     * (in x CHUNK floats) stays in L2 across rows. */
    int c = 0;
    for (; c + CHUNK <= out; c += CHUNK)
        for (int r = r0; r < r1; r++) {
            v16 a[8];
            for (int i = 0; i < 8; i++)
                a[i] = vld(b + c + i * VL);
            axpy_chunk(a, wt + c, s->idx + (size_t)r * s->ld, s->val + (size_t)r * s->ld,
                       s->start[(size_t)r * (T + 1) + T], (size_t)out);
            for (int i = 0; i < 8; i++)
                vst(y + (size_t)r * out + c + i * VL, relu ? vrelu(a[i]) : a[i]);
        }
    if (c == out)
        return;
    for (int r = r0; r < r1; r++) {
        float *yr = y + (size_t)r * out;
        memcpy(yr + c, b + c, (size_t)(out - c) * sizeof *yr);
        axpy_tail(yr + c, wt + c, s->idx + (size_t)r * s->ld, s->val + (size_t)r * s->ld,
                  s->start[(size_t)r * (T + 1) + T], (size_t)out, out - c);
        if (relu)
            for (int j = c; j < out; j++)
                yr[j] = yr[j] > 0.0f ? yr[j] : 0.0f;
    }
}

/* Regroup tile t's entries by pixel (counting sort; rows stay ascending). */
static void tile_by_pixel(const SparseRows *s, int t, SparseCols *c)
{
    int T = s->tiles, k0 = t * SPARSE_TILE;
    int count[SPARSE_TILE + 1] = {0};
    for (int r = 0; r < s->rows; r++) {
        const int *st = s->start + (size_t)r * (T + 1), *idx = s->idx + (size_t)r * s->ld;
        for (int q = st[t]; q < st[t + 1]; q++)
            count[idx[q] - k0 + 1]++;
    }
    for (int p = 0; p < SPARSE_TILE; p++)
        count[p + 1] += count[p];
    memcpy(c->start, count, sizeof count);
    for (int r = 0; r < s->rows; r++) {
        const int *st = s->start + (size_t)r * (T + 1), *idx = s->idx + (size_t)r * s->ld;
        const float *val = s->val + (size_t)r * s->ld;
        for (int q = st[t]; q < st[t + 1]; q++) {
            int at = count[idx[q] - k0]++;
            c->b[at] = r;
            c->val[at] = val[q];
        }
    }
}

ZS_KERNEL void sparse_backward_weight(float *dwt, const float *dy, const float *x,
                                      const SparseRows *s, int out, int k0, int k1, int acc, SparseCols *scratch)
{
    int T = s->tiles, in = s->in;
    for (int t = k0 / SPARSE_TILE; t * SPARSE_TILE < k1; t++) {
        int p0 = t * SPARSE_TILE, p1 = p0 + SPARSE_TILE < in ? p0 + SPARSE_TILE : in;
        long nnz = 0;
        for (int r = 0; r < s->rows; r++)
            nnz += s->start[(size_t)r * (T + 1) + t + 1] - s->start[(size_t)r * (T + 1) + t];
        if (nnz > SPARSE_DENSE_ABOVE * s->rows * (p1 - p0)) {
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p1 - p0, out, s->rows, 1.0f,
                        x + p0, in, dy, out, acc ? 1.0f : 0.0f, dwt + (size_t)p0 * out, out);
            continue;
        }
        tile_by_pixel(s, t, scratch);
        for (int k = p0; k < p1; k++) {
            const int *rows = scratch->b + scratch->start[k - p0];
            const float *vals = scratch->val + scratch->start[k - p0];
            int n = scratch->start[k - p0 + 1] - scratch->start[k - p0];
            float *dr = dwt + (size_t)k * out;
            int c = 0;
            for (; c + CHUNK <= out; c += CHUNK) {
                v16 a[8];
                for (int i = 0; i < 8; i++)
                    a[i] = acc ? vld(dr + c + i * VL) : (v16){0};
                axpy_chunk(a, dy + c, rows, vals, n, (size_t)out);
                for (int i = 0; i < 8; i++)
                    vst(dr + c + i * VL, a[i]);
            }
            if (c < out) {
                if (!acc)
                    memset(dr + c, 0, (size_t)(out - c) * sizeof *dr);
                axpy_tail(dr + c, dy + c, rows, vals, n, (size_t)out, out - c);
            }
        }
    }
}
