/* quality: see quality.h. */
#include "quality.h"

#include <cblas.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "knn.h"
#include "par.h"

int quality_knn_accuracy(const float *y, size_t n, int d, const int32_t *labels, int k,
                         int threads, double *acc, Err *e)
{
    if (n < 2 || k < 1 || (size_t)k > n - 1)
        return err_set(e, ERR_ARG, "quality: %d-NN accuracy needs more than %d points", k, k);
    int32_t *idx = malloc(n * (size_t)k * sizeof *idx);
    float *dist2 = malloc(n * (size_t)k * sizeof *dist2);
    if (!idx || !dist2) {
        free(idx);
        free(dist2);
        return err_set(e, ERR_NOMEM, "quality: out of memory for %zu points", n);
    }
    int rc = knn_query(y, n, y, n, d, k, 1, idx, dist2, threads, NULL, e);
    size_t right = 0;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const int32_t *nb = idx + i * (size_t)k;
        int best = -1, best_count = 0;
        for (int a = 0; a < k; a++) { /* nearest first: ties keep the nearer label */
            int count = 0;
            for (int b = 0; b < k; b++)
                count += labels[nb[b]] == labels[nb[a]];
            if (count > best_count) {
                best_count = count;
                best = a;
            }
        }
        right += labels[nb[best]] == labels[i];
    }
    if (rc == ERR_OK)
        *acc = (double)right / (double)n;
    free(idx);
    free(dist2);
    return rc;
}

enum { TW_ROWS = 64 };

typedef struct {
    const float *x;
    int d, k;
    size_t n;
    const int32_t *in_idx, *map_idx; /* (N, k) each */
    const float *norm;               /* (N) squared norms of x */
    double part[64];
    atomic_int nomem;
} TwCtx;

static void tw_part(void *arg, int t, int nt)
{
    TwCtx *c = arg;
    const size_t n = c->n;
    const int k = c->k, d = c->d;
    float *rows = malloc((size_t)TW_ROWS * n * sizeof *rows);
    if (!rows) {
        atomic_store(&c->nomem, 1);
        return;
    }
    size_t b0, b1;
    par_range((n + TW_ROWS - 1) / TW_ROWS, t, nt, &b0, &b1);
    double sum = 0.0;
    for (size_t b = b0; b < b1; b++) {
        size_t r0 = b * TW_ROWS, rn = n - r0 < TW_ROWS ? n - r0 : TW_ROWS;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rn, (int)n, d, -2.0f,
                    c->x + r0 * (size_t)d, d, c->x, d, 0.0f, rows, (int)n);
        for (size_t a = 0; a < rn; a++) {
            size_t i = r0 + a;
            float *row = rows + a * n;
            for (size_t l = 0; l < n; l++)
                row[l] += c->norm[i] + c->norm[l];
            const int32_t *in = c->in_idx + i * (size_t)k, *mp = c->map_idx + i * (size_t)k;
            for (int u = 0; u < k; u++) {
                int intruder = 1;
                for (int v = 0; v < k && intruder; v++)
                    intruder = mp[u] != in[v];
                if (!intruder)
                    continue;
                float dj = row[mp[u]];
                size_t rank = 1;
                for (size_t l = 0; l < n; l++)
                    rank += row[l] < dj && l != i;
                sum += (double)rank - k;
            }
        }
    }
    c->part[t] = sum;
    free(rows);
}

int quality_trustworthiness(const float *x, int d, const float *y, int dy, size_t n, int k,
                            int threads, double *t, Err *e)
{
    if (k < 1 || 2 * (size_t)k >= n)
        return err_set(e, ERR_ARG, "quality: trustworthiness with k=%d needs more than %d points",
                       k, 2 * k);
    int32_t *in_idx = malloc(n * (size_t)k * sizeof *in_idx);
    int32_t *map_idx = malloc(n * (size_t)k * sizeof *map_idx);
    float *dist2 = malloc(n * (size_t)k * sizeof *dist2);
    float *norm = malloc(n * sizeof *norm);
    int rc = ERR_OK;
    if (!in_idx || !map_idx || !dist2 || !norm) {
        rc = err_set(e, ERR_NOMEM, "quality: out of memory for %zu points", n);
        goto done;
    }
    rc = knn_query(x, n, x, n, d, k, 1, in_idx, dist2, threads, NULL, e);
    if (rc == ERR_OK)
        rc = knn_query(y, n, y, n, dy, k, 1, map_idx, dist2, threads, NULL, e);
    if (rc != ERR_OK)
        goto done;
    for (size_t i = 0; i < n; i++) {
        double acc = 0.0;
        for (int l = 0; l < d; l++)
            acc += (double)x[i * (size_t)d + l] * x[i * (size_t)d + l];
        norm[i] = (float)acc;
    }
    TwCtx c = {.x = x, .d = d, .k = k, .n = n, .in_idx = in_idx, .map_idx = map_idx,
               .norm = norm};
    atomic_init(&c.nomem, 0);
    int nt = threads < 1 ? 1 : threads > 64 ? 64 : threads;
    par_run(nt, tw_part, &c);
    if (atomic_load(&c.nomem)) {
        rc = err_set(e, ERR_NOMEM, "quality: out of memory for distance rows");
        goto done;
    }
    double sum = 0.0;
    for (int i = 0; i < nt; i++)
        sum += c.part[i];
    double nn = (double)n, kk = (double)k;
    *t = 1.0 - sum * 2.0 / (nn * kk * (2.0 * nn - 3.0 * kk - 1.0));
done:
    free(in_idx);
    free(map_idx);
    free(dist2);
    free(norm);
    return rc;
}
