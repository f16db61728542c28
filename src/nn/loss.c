/* loss: BCE from logits, Gaussian KL, reparameterization (see loss.h).
 * The BCE kernels run over (B, 784) every step, so they are written as
 * 16-lane blocks of inline vm_* math that compilers vectorize; the per-row
 * sums keep 16 partial sums (a plain float reduction would stay scalar). */
#include "loss.h"

#include <math.h>
#include <stddef.h>

#include "core/cpu.h"
#include "vmath.h"

enum { L = 16 };

/* BCE of one pixel and sigmoid(l), sharing e = exp(-|l|). */
static inline float bce1(float l, float x, float *sig)
{
    float a = l < 0.0f ? -l : l;
    float e = vm_expf(-a);
    float inv = 1.0f / (1.0f + e);
    *sig = l >= 0.0f ? inv : e * inv;
    return (l > 0.0f ? l : 0.0f) - l * x + vm_log1pf01(e);
}

/* One variant per CPU level (core/cpu.h): bce1 and vm_* inline into each. */
ZS_KERNEL static float bce_row(float *d, const float *l, const float *x, int X)
{
    float part[L] = {0};
    int j = 0;
    for (; j + L <= X; j += L)
        for (int i = 0; i < L; i++) {
            float s;
            part[i] += bce1(l[j + i], x[j + i], &s);
            if (d)
                d[j + i] = s - x[j + i];
        }
    float sum = 0.0f;
    for (; j < X; j++) {
        float s;
        sum += bce1(l[j], x[j], &s);
        if (d)
            d[j] = s - x[j];
    }
    for (int i = 0; i < L; i++)
        sum += part[i];
    return sum;
}

void bce_logits_forward(float *loss, const float *logits, const float *x, int B, int X)
{
    for (int r = 0; r < B; r++)
        loss[r] = bce_row(NULL, logits + (size_t)r * X, x + (size_t)r * X, X);
}

void bce_logits_fused(float *loss, float *dlogits, const float *logits, const float *x, int B,
                      int X)
{
    for (int r = 0; r < B; r++)
        loss[r] = bce_row(dlogits + (size_t)r * X, logits + (size_t)r * X, x + (size_t)r * X, X);
}

ZS_KERNEL void bce_logits_backward(float *dlogits, const float *logits, const float *x, int B, int X)
{
    size_t n = (size_t)B * X;
    for (size_t i = 0; i < n; i++) {
        float s;
        bce1(logits[i], x[i], &s);
        dlogits[i] += s - x[i];
    }
}

void bce_logits_forward_naive(double *loss, const float *logits, const float *x, int B, int X)
{
    for (int r = 0; r < B; r++) {
        double s = 0;
        for (int j = 0; j < X; j++) {
            double l = logits[(size_t)r * X + j], t = x[(size_t)r * X + j];
            s += fmax(l, 0.0) - l * t + log1p(exp(-fabs(l)));
        }
        loss[r] = s;
    }
}

void gaussian_kl_forward(float *kl, double *kl_dim, const float *ml, int B, int Z)
{
    for (int r = 0; r < B; r++) {
        const float *mu = ml + (size_t)r * 2 * Z, *lv = mu + Z;
        float s = 0.0f;
        for (int j = 0; j < Z; j++) {
            float k = 0.5f * (mu[j] * mu[j] + vm_expf(lv[j]) - 1.0f - lv[j]);
            s += k;
            if (kl_dim)
                kl_dim[j] += k;
        }
        kl[r] = s;
    }
}

void gaussian_kl_backward(float *dml, const float *ml, float scale, int B, int Z)
{
    for (int r = 0; r < B; r++) {
        const float *mu = ml + (size_t)r * 2 * Z, *lv = mu + Z;
        float *dmu = dml + (size_t)r * 2 * Z, *dlv = dmu + Z;
        for (int j = 0; j < Z; j++) {
            dmu[j] += scale * mu[j];
            dlv[j] += scale * 0.5f * (vm_expf(lv[j]) - 1.0f);
        }
    }
}

void reparam_forward(float *z, const float *ml, const float *eps, int B, int Z)
{
    for (int r = 0; r < B; r++) {
        const float *mu = ml + (size_t)r * 2 * Z, *lv = mu + Z;
        for (int j = 0; j < Z; j++)
            z[(size_t)r * Z + j] = mu[j] + vm_expf(0.5f * lv[j]) * eps[(size_t)r * Z + j];
    }
}

void reparam_backward(float *dml, const float *dz, const float *ml, const float *eps, int B, int Z)
{
    for (int r = 0; r < B; r++) {
        const float *lv = ml + (size_t)r * 2 * Z + Z;
        float *dmu = dml + (size_t)r * 2 * Z, *dlv = dmu + Z;
        for (int j = 0; j < Z; j++) {
            float g = dz[(size_t)r * Z + j];
            dmu[j] += g;
            dlv[j] += 0.5f * g * eps[(size_t)r * Z + j] * vm_expf(0.5f * lv[j]);
        }
    }
}

ZS_KERNEL void sigmoid_forward(float *y, const float *x, long n)
{
    for (long i = 0; i < n; i++)
        y[i] = 1.0f / (1.0f + vm_expf(-x[i]));
}
