/* place: see place.h. */
#include "place.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "knn.h"

/* out (width) = IDW average of rows src[idx[0..k)] given their squared
 * distances (sorted ascending, so zero distances come first). */
static void idw(const float *src, int width, const int32_t *idx, const float *dist2, int k,
                double *acc, float *out)
{
    int zeros = 0;
    while (zeros < k && dist2[zeros] <= 0.0f)
        zeros++;
    memset(acc, 0, (size_t)width * sizeof *acc);
    double wsum = 0.0;
    int used = zeros ? zeros : k;
    for (int a = 0; a < used; a++) {
        double w = zeros ? 1.0 : 1.0 / (double)dist2[a];
        const float *row = src + (size_t)idx[a] * (size_t)width;
        for (int c = 0; c < width; c++)
            acc[c] += w * row[c];
        wsum += w;
    }
    for (int c = 0; c < width; c++)
        out[c] = (float)(acc[c] / wsum);
}

static int interpolate(const float *from, int dfrom, const float *to, int dto, size_t n,
                       const float *q, size_t m, int k, float *out, int threads, Err *e)
{
    if (n < 1 || k < 1)
        return err_set(e, ERR_ARG, "place: need at least one reference point and k >= 1");
    for (size_t i = 0; i < m * (size_t)dfrom; i++)
        if (!isfinite(q[i]))
            return err_set(e, ERR_NUMERIC, "place: query %zu, coordinate %zu is not finite",
                           i / dfrom + 1, i % dfrom + 1);
    if ((size_t)k > n)
        k = (int)n;
    int32_t *idx = malloc((m ? m : 1) * (size_t)k * sizeof *idx);
    float *dist2 = malloc((m ? m : 1) * (size_t)k * sizeof *dist2);
    double *acc = malloc((size_t)dto * sizeof *acc);
    if (!idx || !dist2 || !acc) {
        free(idx);
        free(dist2);
        free(acc);
        return err_set(e, ERR_NOMEM, "place: out of memory for %zu queries", m);
    }
    int rc = knn_query(from, n, q, m, dfrom, k, 0, idx, dist2, threads, NULL, e);
    if (rc == ERR_OK)
        for (size_t i = 0; i < m; i++)
            idw(to, dto, idx + i * (size_t)k, dist2 + i * (size_t)k, k, acc,
                out + i * (size_t)dto);
    free(acc);
    free(idx);
    free(dist2);
    return rc;
}

int place_points(const float *x_ref, const float *y_ref, size_t n, int d, const float *x_new,
                 size_t m, int k, float *y_new, int threads, Err *e)
{
    return interpolate(x_ref, d, y_ref, 2, n, x_new, m, k, y_new, threads, e);
}

int place_inverse(const float *x_ref, const float *y_ref, size_t n, int d, const float *y_q,
                  size_t m, int k, float *x_out, int threads, Err *e)
{
    return interpolate(y_ref, 2, x_ref, d, n, y_q, m, k, x_out, threads, e);
}
