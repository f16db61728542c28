/* knn: see knn.h. Tiles are QB queries x RB references: QB*RB floats (1 MiB)
 * stay in L2 while the selection reads them back. */
#include "knn.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "par.h"

enum { QB = 256, RB = 1024, KNN_DIRECT = 4 };

typedef struct {
    const float *ref, *q;
    size_t n, m;
    int d, k, self;
    int32_t *idx;
    float *dist2;
    /* The candidate pre-selection reads pref/pq: ref/q themselves, or for
     * far-out coordinates centred and scaled copies (prescreen_copies). */
    const float *pref, *pq;
    const float *rnorm, *qnorm; /* (N), (M) squared norms of pref, pq */
    const atomic_bool *cancel;
    atomic_int cancelled;
    atomic_int nomem;
    atomic_int overflow; /* a neighbour's squared distance exceeds FLT_MAX */
} KnnCtx;

typedef struct {
    float d;
    int32_t i;
} DistIdx;

/* Reorder a[0..n) so that its k smallest (by distance, then index) come
 * first, k < n (Hoare quickselect, median-of-three pivot). */
static void select_k(DistIdx *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        /* median of three into a[mid] */
        if (a[mid].d < a[lo].d || (a[mid].d == a[lo].d && a[mid].i < a[lo].i)) {
            DistIdx t = a[mid]; a[mid] = a[lo]; a[lo] = t;
        }
        if (a[hi].d < a[lo].d || (a[hi].d == a[lo].d && a[hi].i < a[lo].i)) {
            DistIdx t = a[hi]; a[hi] = a[lo]; a[lo] = t;
        }
        if (a[hi].d < a[mid].d || (a[hi].d == a[mid].d && a[hi].i < a[mid].i)) {
            DistIdx t = a[hi]; a[hi] = a[mid]; a[mid] = t;
        }
        DistIdx pv = a[mid];
        size_t i = lo, j = hi;
        for (;;) {
            while (a[i].d < pv.d || (a[i].d == pv.d && a[i].i < pv.i))
                i++;
            while (pv.d < a[j].d || (pv.d == a[j].d && pv.i < a[j].i))
                j--;
            if (i >= j)
                break;
            DistIdx t = a[i]; a[i] = a[j]; a[j] = t;
            i++;
            j--;
        }
        /* now a[lo..j] <= pivot <= a[j+1..hi] */
        if (k <= j)
            hi = j;
        else
            lo = j + 1;
    }
}

/* Keep the k best of a full buffer; returns the new admission threshold
 * (the k-th smallest distance). */
static float shrink(DistIdx *buf, size_t n, size_t k)
{
    select_k(buf, n, k);
    float t = buf[0].d;
    for (size_t a = 1; a < k; a++)
        t = buf[a].d > t ? buf[a].d : t;
    return t;
}


static int cmp_dist_idx(const void *a, const void *b)
{
    const DistIdx *x = a, *y = b;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Per query: a buffer of up to BUF_MULT * k candidates that beat the
 * threshold (the k-th best distance at the last shrink). Appending is O(1);
 * when the buffer fills, a quickselect keeps the k best and tightens the
 * threshold: amortised O(1) per admitted candidate, unlike a heap's O(log k)
 * with unpredictable branches (measured 3x faster on the selection). */
enum { BUF_MULT = 2 };

/* Offer candidate (dv, j) to query qi's buffer; returns 1 when the threshold
 * moved (the buffer was shrunk). */
static inline int admit(DistIdx *bq, size_t *f, size_t cap, int k, float *th, float dv, size_t j,
                        int self, size_t qi)
{
    /* Until the first shrink the threshold is +inf and every candidate is
     * admitted, +inf and NaN estimates too (as +inf): the buffer then always
     * holds at least k entries, whatever the estimates. */
    if (self && j == qi)
        return 0;
    if (!(dv < *th)) {
        if (*th != INFINITY)
            return 0;
        dv = INFINITY;
    }
    bq[*f].d = dv < 0.0f ? 0.0f : dv;
    bq[(*f)++].i = (int32_t)j;
    if (*f < cap)
        return 0;
    *th = shrink(bq, cap, (size_t)k);
    *f = (size_t)k;
    return 1;
}

/* Query qi's buffer bq (fill entries, >= k) -> its k best with exact
 * distances (the direct sum of squared differences has no cancellation),
 * sorted by (distance, index), into idx/dist2. */
static void finish_query(KnnCtx *c, size_t qi, DistIdx *bq, size_t fill)
{
    const int k = c->k, d = c->d;
    if (fill < (size_t)k) { /* admit() rules this out; never read unset slots */
        atomic_store(&c->overflow, 1);
        return;
    }
    if (fill > (size_t)k)
        select_k(bq, fill, (size_t)k);
    const float *qv = c->q + qi * (size_t)d;
    for (int s = 0; s < k; s++) {
        const float *rv = c->ref + (size_t)bq[s].i * (size_t)d;
        /* In double: finite floats cannot overflow it (d * (2 FLT_MAX)^2). */
        double acc = 0.0;
#pragma omp simd reduction(+ : acc)
        for (int l = 0; l < d; l++)
            acc += ((double)qv[l] - rv[l]) * ((double)qv[l] - rv[l]);
        if (!(acc <= FLT_MAX)) {
            atomic_store(&c->overflow, 1);
            acc = FLT_MAX;
        }
        bq[s].d = (float)acc;
    }
    qsort(bq, (size_t)k, sizeof *bq, cmp_dist_idx);
    for (int s = 0; s < k; s++) {
        c->dist2[qi * (size_t)k + s] = bq[s].d;
        c->idx[qi * (size_t)k + s] = bq[s].i;
    }
}

/* Few queries (the explorer's clicks and drawn digits): distances computed
 * directly, no norms of the whole reference set, no sgemm. */
ZS_KERNEL static int knn_direct(KnnCtx *c)
{
    const int k = c->k, d = c->d;
    const size_t cap = (size_t)BUF_MULT * k;
    DistIdx *bq = malloc(cap * sizeof *bq);
    if (!bq)
        return -1;
    for (size_t qi = 0; qi < c->m; qi++) {
        const float *qv = c->q + qi * (size_t)d;
        size_t f = 0;
        float th = INFINITY;
        for (size_t j = 0; j < c->n; j++) {
            const float *rv = c->ref + j * (size_t)d;
            float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
            for (int l = 0; l < d; l++)
                acc += (qv[l] - rv[l]) * (qv[l] - rv[l]);
            admit(bq, &f, cap, k, &th, acc, j, 0, qi);
        }
        finish_query(c, qi, bq, f);
    }
    free(bq);
    return 0;
}

ZS_KERNEL static void knn_part(void *arg, int t, int nt)
{
    KnnCtx *c = arg;
    const int k = c->k, d = c->d;
    const size_t cap = (size_t)BUF_MULT * k;
    /* A handful of queries (the explorer's clicks) need only that many rows. */
    const size_t qrows = c->m < QB ? (c->m ? c->m : 1) : QB, rcols = c->n < RB ? c->n : RB;
    float *tile = malloc(qrows * rcols * sizeof *tile);
    DistIdx *buf = malloc(qrows * cap * sizeof *buf);
    size_t *fill = malloc(qrows * sizeof *fill);
    float *thr = malloc(qrows * sizeof *thr);
    if (!tile || !buf || !fill || !thr) {
        atomic_store(&c->nomem, 1);
        goto out;
    }
    size_t b0, b1;
    par_range((c->m + QB - 1) / QB, t, nt, &b0, &b1);
    for (size_t blk = b0; blk < b1; blk++) {
        size_t q0 = blk * QB, qn = c->m - q0 < QB ? c->m - q0 : QB;
        for (size_t a = 0; a < qn; a++) {
            fill[a] = 0;
            thr[a] = INFINITY;
        }
        for (size_t r0 = 0; r0 < c->n; r0 += RB) {
            if (c->cancel && atomic_load_explicit(c->cancel, memory_order_relaxed)) {
                atomic_store(&c->cancelled, 1);
                goto out;
            }
            size_t rn = c->n - r0 < RB ? c->n - r0 : RB;
            /* tile = -2 Q R^T */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)qn, (int)rn, d, -2.0f,
                        c->pq + q0 * (size_t)d, d, c->pref + r0 * (size_t)d, d, 0.0f, tile,
                        (int)rn);
            for (size_t a = 0; a < qn; a++) {
                size_t qi = q0 + a;
                float *row = tile + a * rn;
                const float qq = c->qnorm[qi], *rnorm = c->rnorm + r0;
                DistIdx *bq = buf + a * cap;
                size_t f = fill[a];
                float th = thr[a];
#if defined(__AVX512F__)
                /* 16 candidates per compare; walk only the set mask bits. */
                const __m512 vq = _mm512_set1_ps(qq);
                __m512 vt = _mm512_set1_ps(th);
                size_t r = 0;
                for (; r + 16 <= rn; r += 16) {
                    __m512 v = _mm512_add_ps(_mm512_loadu_ps(row + r),
                                             _mm512_add_ps(_mm512_loadu_ps(rnorm + r), vq));
                    /* While th is +inf admit() takes every candidate. */
                    unsigned mk = th == INFINITY ? 0xFFFFu
                                                 : _mm512_cmp_ps_mask(v, vt, _CMP_LT_OQ);
                    while (mk) {
                        size_t b = r + (size_t)__builtin_ctz(mk);
                        mk &= mk - 1;
                        if (admit(bq, &f, cap, k, &th, row[b] + rnorm[b] + qq, r0 + b,
                                  c->self, qi))
                            vt = _mm512_set1_ps(th);
                    }
                }
                for (; r < rn; r++)
                    admit(bq, &f, cap, k, &th, row[r] + rnorm[r] + qq, r0 + r, c->self, qi);
#else
                for (size_t r = 0; r < rn; r++)
                    admit(bq, &f, cap, k, &th, row[r] + rnorm[r] + qq, r0 + r, c->self, qi);
#endif
                fill[a] = f;
                thr[a] = th;
            }
        }
        for (size_t a = 0; a < qn; a++)
            finish_query(c, q0 + a, buf + a * cap, fill[a]);
    }
out:
    free(tile);
    free(buf);
    free(fill);
    free(thr);
}

/* Squared row norms, only used to pre-select candidates (the survivors'
 * distances are recomputed directly), so float accumulation is enough. */
static void sq_norms(const float *x, size_t n, int d, float *out)
{
    for (size_t i = 0; i < n; i++) {
        const float *v = x + i * (size_t)d;
        float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
        for (int l = 0; l < d; l++)
            acc += v[l] * v[l];
        out[i] = acc;
    }
}

/* Coordinates up to this size keep every pre-selection sum (|q|^2 + |r|^2 -
 * 2 q.r over d dimensions) far from FLT_MAX; beyond it the copies below are
 * used. Far-out but tightly clustered points (a latent mean offset by 1e20)
 * would also lose every digit to cancellation without the centring. */
#define KNN_PRESCREEN_MAX 65536.0f

/* Largest |coordinate| of x (n, d); -1 when one is not finite (its flat
 * index in *bad). */
static float max_abs(const float *x, size_t n, int d, size_t *bad)
{
    float mx = 0.0f;
    for (size_t i = 0; i < n * (size_t)d; i++) {
        if (!isfinite(x[i])) {
            *bad = i;
            return -1.0f;
        }
        float a = fabsf(x[i]);
        mx = a > mx ? a : mx;
    }
    return mx;
}

/* Centred (on ref's mean) and power-of-two-scaled copies of ref and q for
 * the pre-selection only: distances keep their order and the final distances
 * are recomputed from the originals. */
static int prescreen_copies(const float *ref, size_t n, const float *q, size_t m, int d, int self,
                            float **pref, float **pq)
{
    double *mean = calloc((size_t)d, sizeof *mean);
    float *r = malloc(n * (size_t)d * sizeof *r);
    float *qq = self ? r : malloc((m ? m : 1) * (size_t)d * sizeof *qq);
    if (!mean || !r || !qq) {
        free(mean);
        free(r);
        if (!self)
            free(qq);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        for (int l = 0; l < d; l++)
            mean[l] += ref[i * (size_t)d + l] / (double)n;
    double mx = 0.0;
    for (int pass = 0; pass < (self ? 1 : 2); pass++) {
        const float *x = pass ? q : ref;
        size_t rows = pass ? m : n;
        for (size_t i = 0; i < rows * (size_t)d; i++) {
            double a = fabs(x[i] - mean[i % (size_t)d]);
            mx = a > mx ? a : mx;
        }
    }
    /* scale = 2^-s with mx * scale <= KNN_PRESCREEN_MAX: exact, order kept */
    int ex;
    frexp(mx / KNN_PRESCREEN_MAX, &ex);
    double scale = ex > 0 ? ldexp(1.0, -ex) : 1.0;
    for (int pass = 0; pass < (self ? 1 : 2); pass++) {
        const float *x = pass ? q : ref;
        float *y = pass ? qq : r;
        size_t rows = pass ? m : n;
        for (size_t i = 0; i < rows * (size_t)d; i++)
            y[i] = (float)((x[i] - mean[i % (size_t)d]) * scale);
    }
    free(mean);
    *pref = r;
    *pq = qq;
    return 0;
}

int knn_query(const float *ref, size_t n, const float *q, size_t m, int d, int k, int self,
              int32_t *idx, float *dist2, int threads, const atomic_bool *cancel, Err *e)
{
    if (d < 1 || k < 1)
        return err_set(e, ERR_ARG, "knn: need d >= 1 and k >= 1 (got d=%d, k=%d)", d, k);
    if (self && (q != ref || m != n))
        return err_set(e, ERR_ARG, "knn: self search needs the queries to be the references");
    size_t avail = self ? n - (n > 0) : n;
    if ((size_t)k > avail)
        return err_set(e, ERR_ARG, "knn: k=%d neighbours asked but only %zu points available", k,
                       avail);
    if (n > INT32_MAX)
        return err_set(e, ERR_ARG, "knn: %zu points exceed the index range", n);
    size_t bad = 0;
    float mr = max_abs(ref, n, d, &bad), mq = self ? mr : max_abs(q, m, d, &bad);
    if (mr < 0.0f || mq < 0.0f)
        return err_set(e, ERR_NUMERIC, "knn: %s %zu, coordinate %zu is not finite",
                       mr < 0.0f ? "point" : "query", bad / (size_t)d + 1, bad % (size_t)d + 1);
    const char *too_far = "knn: squared distances between neighbours exceed the float range "
                          "(coordinates up to %g); scale the data down";
    if (!self && m <= KNN_DIRECT) {
        KnnCtx c = {.ref = ref, .q = q, .n = n, .m = m, .d = d, .k = k, .idx = idx,
                    .dist2 = dist2};
        atomic_init(&c.overflow, 0);
        if (knn_direct(&c) != 0)
            return err_set(e, ERR_NOMEM, "knn: out of memory for %d candidates", k);
        if (atomic_load(&c.overflow))
            return err_set(e, ERR_NUMERIC, too_far, (double)(mr > mq ? mr : mq));
        return ERR_OK;
    }
    float *pref = NULL, *pq = NULL; /* owned copies, only for far-out data */
    if ((mr > KNN_PRESCREEN_MAX || mq > KNN_PRESCREEN_MAX) &&
        prescreen_copies(ref, n, q, m, d, self, &pref, &pq) != 0)
        return err_set(e, ERR_NOMEM, "knn: out of memory for %zu points", n + m);
    float *rnorm = malloc(n * sizeof *rnorm);
    float *qnorm = self ? rnorm : malloc((m ? m : 1) * sizeof *qnorm);
    if (!rnorm || !qnorm) {
        free(rnorm);
        if (!self)
            free(qnorm);
        free(pref);
        if (!self)
            free(pq);
        return err_set(e, ERR_NOMEM, "knn: out of memory for %zu norms", n + m);
    }
    KnnCtx c = {.ref = ref, .q = q, .n = n, .m = m, .d = d, .k = k, .self = self, .idx = idx,
                .dist2 = dist2, .pref = pref ? pref : ref, .pq = pq ? pq : q, .rnorm = rnorm,
                .qnorm = qnorm, .cancel = cancel};
    sq_norms(c.pref, n, d, rnorm);
    if (!self)
        sq_norms(c.pq, m, d, qnorm);
    atomic_init(&c.cancelled, 0);
    atomic_init(&c.nomem, 0);
    atomic_init(&c.overflow, 0);
    size_t nblocks = (m + QB - 1) / QB;
    int nt = threads < 1 ? 1 : threads;
    if ((size_t)nt > nblocks)
        nt = nblocks ? (int)nblocks : 1;
    par_run(nt, knn_part, &c);
    free(rnorm);
    free(pref);
    if (!self) {
        free(qnorm);
        free(pq);
    }
    if (atomic_load(&c.nomem))
        return err_set(e, ERR_NOMEM, "knn: out of memory for distance tiles");
    if (atomic_load(&c.cancelled))
        return err_set(e, ERR_CANCELLED, "knn: cancelled");
    if (atomic_load(&c.overflow))
        return err_set(e, ERR_NUMERIC, too_far, (double)(mr > mq ? mr : mq));
    return ERR_OK;
}
