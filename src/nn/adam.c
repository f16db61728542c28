/* adam: see adam.h. Bias corrections are computed in double, once per call. */
#include "adam.h"

#include <math.h>

#include "bf16.h"
#include "core/cpu.h"

AdamConfig adam_default(void) { return (AdamConfig){1e-3f, 0.9f, 0.999f, 1e-8f}; }

/* One body for both entry points; ph is NULL or not for the whole call, so
 * the compiler keeps each loop branch-free. */
static inline void adam_body(float *p, uint16_t *ph, const float *g, float *m, float *v, size_t n,
                             const AdamConfig *c, long t)
{
    const float b1 = c->beta1, b2 = c->beta2, eps = c->eps;
    const float step = (float)(c->lr / (1.0 - pow(c->beta1, (double)t)));
    const float inv_sqrt_bc2 = (float)(1.0 / sqrt(1.0 - pow(c->beta2, (double)t)));
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float mi = b1 * m[i] + (1.0f - b1) * gi;
        float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        float pi = p[i] - step * mi / (sqrtf(vi) * inv_sqrt_bc2 + eps);
        p[i] = pi;
        if (ph)
            ph[i] = bf16_from_float(pi);
    }
}

ZS_KERNEL void adam_step(float *p, const float *g, float *m, float *v, size_t n, const AdamConfig *c,
                         long t)
{
    adam_body(p, NULL, g, m, v, n, c, t);
}

ZS_KERNEL void adam_step_bf16(float *p, uint16_t *ph, const float *g, float *m, float *v, size_t n,
                    const AdamConfig *c, long t)
{
    adam_body(p, ph, g, m, v, n, c, t);
}
