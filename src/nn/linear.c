/* linear: dense layers through nn_gemm and naive references (see linear.h). */
#include "linear.h"

#include <stddef.h>
#include <string.h>

#include "bf16.h"
#include "core/cpu.h"

ZS_KERNEL static void bias_act(float *y, uint16_t *yh, const float *b, int B, int out, int relu)
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
        if (yh) /* while the row is still in L1 */
            bf16_from_floats(yh + (size_t)r * out, yr, out);
    }
}

void linear_forward_g(NnGemm *g, float *y, uint16_t *yh, NnMat x, NnMat w, const float *b, int B,
                      int in, int out, int relu)
{
    nn_gemm(g, 0, 1, B, out, in, x, in, w, in, y, out, 0);
    bias_act(y, yh, b, B, out, relu);
}

void linear_backward_input_g(NnGemm *g, float *dx, NnMat dy, NnMat w, int B, int in, int out,
                             int acc)
{
    nn_gemm(g, 0, 0, B, in, out, dy, out, w, in, dx, in, acc);
}

ZS_KERNEL void bias_backward(float *db, const float *dy, int B, int out, int acc)
{
    if (!acc)
        memset(db, 0, (size_t)out * sizeof *db);
    for (int r = 0; r < B; r++)
        for (int j = 0; j < out; j++)
            db[j] += dy[(size_t)r * out + j];
}

void linear_backward_weight_g(NnGemm *g, float *dw, float *db, NnMat dy, NnMat x, int B, int in,
                              int out, int r0, int r1, int acc)
{
    if (r1 <= r0)
        return;
    NnMat dyr = nn_mat(dy.f ? dy.f + r0 : NULL, dy.h ? dy.h + r0 : NULL);
    nn_gemm(g, 1, 0, r1 - r0, in, B, dyr, out, x, in, dw + (size_t)r0 * in, in, acc);
    if (!db)
        return;
    if (!acc)
        memset(db + r0, 0, (size_t)(r1 - r0) * sizeof *db);
    for (int r = 0; r < B; r++)
        for (int j = r0; j < r1; j++)
            db[j] += dy.f[(size_t)r * out + j];
}

void linear_forward(float *y, const float *x, const float *w, const float *b, int B, int in,
                    int out, int relu)
{
    linear_forward_g(NULL, y, NULL, nn_mat(x, NULL), nn_mat(w, NULL), b, B, in, out, relu);
}

void linear_backward_input(float *dx, const float *dy, const float *w, int B, int in, int out,
                           int acc)
{
    linear_backward_input_g(NULL, dx, nn_mat(dy, NULL), nn_mat(w, NULL), B, in, out, acc);
}

void linear_backward_weight(float *dw, float *db, const float *dy, const float *x, int B, int in,
                            int out, int r0, int r1, int acc)
{
    linear_backward_weight_g(NULL, dw, db, nn_mat(dy, NULL), nn_mat(x, NULL), B, in, out, r0, r1,
                             acc);
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

ZS_KERNEL void relu_backward_g(float *dy, uint16_t *dyh, const float *y, long n)
{
    if (!dyh) {
        relu_backward_inplace(dy, y, n);
        return;
    }
    for (long i = 0; i < n; i++) {
        float d = y[i] > 0.0f ? dy[i] : 0.0f;
        dy[i] = d;
        dyh[i] = bf16_from_float(d);
    }
}

ZS_KERNEL void relu_backward_inplace(float *dy, const float *y, long n)
{
    for (long i = 0; i < n; i++)
        dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}
