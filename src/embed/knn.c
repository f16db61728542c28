/* knn: see knn.h. Tiles are QB queries x RB references: QB*RB floats (1 MiB)
 * stay in L2 while the heap updates read them. */
#include "knn.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"

enum { QB = 256, RB = 1024 };

typedef struct {
    const float *ref, *q;
    size_t n, m;
    int d, k, self;
    int32_t *idx;
    float *dist2;
    const float *rnorm, *qnorm; /* (N), (M) squared norms */
    const atomic_bool *cancel;
    atomic_int cancelled;
    atomic_int nomem;
} KnnCtx;

/* Replace the top of the max-heap (hd, hi) of size k with (dv, iv), sift down. */
static void heap_replace(float *hd, int32_t *hi, int k, float dv, int32_t iv)
{
    int p = 0;
    for (;;) {
        int c = 2 * p + 1;
        if (c >= k)
            break;
        if (c + 1 < k && hd[c + 1] > hd[c])
            c++;
        if (hd[c] <= dv)
            break;
        hd[p] = hd[c];
        hi[p] = hi[c];
        p = c;
    }
    hd[p] = dv;
    hi[p] = iv;
}

/* Insert into a heap holding `size` < k entries. */
static void heap_push(float *hd, int32_t *hi, int size, float dv, int32_t iv)
{
    int c = size;
    while (c > 0) {
        int p = (c - 1) / 2;
        if (hd[p] >= dv)
            break;
        hd[c] = hd[p];
        hi[c] = hi[p];
        c = p;
    }
    hd[c] = dv;
    hi[c] = iv;
}

typedef struct {
    float d;
    int32_t i;
} DistIdx;

static int cmp_dist_idx(const void *a, const void *b)
{
    const DistIdx *x = a, *y = b;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static void knn_part(void *arg, int t, int nt)
{
    KnnCtx *c = arg;
    float *tile = malloc((size_t)QB * RB * sizeof *tile);
    int *fill = malloc(QB * sizeof *fill);
    DistIdx *tmp = malloc((size_t)c->k * sizeof *tmp);
    if (!tile || !fill || !tmp) {
        atomic_store(&c->nomem, 1);
        free(tile);
        free(fill);
        free(tmp);
        return;
    }
    size_t b0, b1;
    par_range((c->m + QB - 1) / QB, t, nt, &b0, &b1);
    const int k = c->k, d = c->d;
    for (size_t b = b0; b < b1; b++) {
        size_t q0 = b * QB, qn = c->m - q0 < QB ? c->m - q0 : QB;
        memset(fill, 0, QB * sizeof *fill);
        for (size_t r0 = 0; r0 < c->n; r0 += RB) {
            if (c->cancel && atomic_load_explicit(c->cancel, memory_order_relaxed)) {
                atomic_store(&c->cancelled, 1);
                goto out;
            }
            size_t rn = c->n - r0 < RB ? c->n - r0 : RB;
            /* tile = -2 Q R^T */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)qn, (int)rn, d, -2.0f,
                        c->q + q0 * (size_t)d, d, c->ref + r0 * (size_t)d, d, 0.0f, tile,
                        (int)rn);
            for (size_t a = 0; a < qn; a++) {
                size_t qi = q0 + a;
                float *hd = c->dist2 + qi * (size_t)k;
                int32_t *hi = c->idx + qi * (size_t)k;
                const float *row = tile + a * rn;
                const float qq = c->qnorm[qi];
                int f = fill[a];
                for (size_t r = 0; r < rn; r++) {
                    size_t j = r0 + r;
                    float dv = row[r] + qq + c->rnorm[j];
                    if (f == k) {
                        if (dv < hd[0]) {
                            if (c->self && j == qi)
                                continue;
                            heap_replace(hd, hi, k, dv < 0.0f ? 0.0f : dv, (int32_t)j);
                        }
                    } else {
                        if (c->self && j == qi)
                            continue;
                        heap_push(hd, hi, f++, dv < 0.0f ? 0.0f : dv, (int32_t)j);
                    }
                }
                fill[a] = f;
            }
        }
        /* Exact distances for the survivors, then sort by (distance, index). */
        for (size_t a = 0; a < qn; a++) {
            size_t qi = q0 + a;
            float *hd = c->dist2 + qi * (size_t)k;
            int32_t *hi = c->idx + qi * (size_t)k;
            const float *qv = c->q + qi * (size_t)d;
            for (int s = 0; s < k; s++) {
                const float *rv = c->ref + (size_t)hi[s] * (size_t)d;
                double acc = 0.0;
                for (int l = 0; l < d; l++) {
                    double diff = (double)qv[l] - (double)rv[l];
                    acc += diff * diff;
                }
                tmp[s].d = (float)acc;
                tmp[s].i = hi[s];
            }
            qsort(tmp, (size_t)k, sizeof *tmp, cmp_dist_idx);
            for (int s = 0; s < k; s++) {
                hd[s] = tmp[s].d;
                hi[s] = tmp[s].i;
            }
        }
    }
out:
    free(tile);
    free(fill);
    free(tmp);
}

static void sq_norms(const float *x, size_t n, int d, float *out)
{
    for (size_t i = 0; i < n; i++) {
        const float *v = x + i * (size_t)d;
        double acc = 0.0;
        for (int l = 0; l < d; l++)
            acc += (double)v[l] * v[l];
        out[i] = (float)acc;
    }
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
    float *rnorm = malloc(n * sizeof *rnorm);
    float *qnorm = self ? rnorm : malloc((m ? m : 1) * sizeof *qnorm);
    if (!rnorm || !qnorm) {
        free(rnorm);
        if (!self)
            free(qnorm);
        return err_set(e, ERR_NOMEM, "knn: out of memory for %zu norms", n + m);
    }
    sq_norms(ref, n, d, rnorm);
    if (!self)
        sq_norms(q, m, d, qnorm);
    KnnCtx c = {.ref = ref, .q = q, .n = n, .m = m, .d = d, .k = k, .self = self, .idx = idx,
                .dist2 = dist2, .rnorm = rnorm, .qnorm = qnorm, .cancel = cancel};
    atomic_init(&c.cancelled, 0);
    atomic_init(&c.nomem, 0);
    size_t nblocks = (m + QB - 1) / QB;
    int nt = threads < 1 ? 1 : threads;
    if ((size_t)nt > nblocks)
        nt = nblocks ? (int)nblocks : 1;
    par_run(nt, knn_part, &c);
    free(rnorm);
    if (!self)
        free(qnorm);
    if (atomic_load(&c.nomem))
        return err_set(e, ERR_NOMEM, "knn: out of memory for distance tiles");
    if (atomic_load(&c.cancelled))
        return err_set(e, ERR_CANCELLED, "knn: cancelled");
    return ERR_OK;
}
