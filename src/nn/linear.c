/* linear: dense layers through cblas_sgemm and naive references (see linear.h). */
#include "linear.h"

#include <cblas.h>
#include <stddef.h>
#include <string.h>

#include "core/cpu.h"

ZS_KERNEL static void bias_act(float *y, const float *b, int B, int out, int relu)
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

ZS_KERNEL void bias_backward(float *db, const float *dy, int B, int out, int acc)
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

ZS_KERNEL void relu_backward_inplace(float *dy, const float *y, long n)
{
    for (long i = 0; i < n; i++)
        dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}
