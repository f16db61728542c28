/* adam: the Adam update, matching PyTorch's torch.optim.Adam (no weight
 * decay, no amsgrad):
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * over any slice of a flat parameter array (the training step applies it
 * block by block right after each gradient block is computed, while it is
 * still in cache). Pure function on caller buffers; any thread. */
#ifndef ZSPACE_NN_ADAM_H
#define ZSPACE_NN_ADAM_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    float lr, beta1, beta2, eps;
} AdamConfig;

/* lr 1e-3, betas 0.9 / 0.999, eps 1e-8. */
AdamConfig adam_default(void);

/* Update p, m, v [0, n) from g; t is the 1-based number of this step. */
void adam_step(float *p, const float *g, float *m, float *v, size_t n, const AdamConfig *c, long t);
/* The same, also writing ph = bf16(p) (mixed precision: the fp32 master
 * weights stay in p, the GEMMs read ph); p is updated exactly as above. */
void adam_step_bf16(float *p, uint16_t *ph, const float *g, float *m, float *v, size_t n,
                    const AdamConfig *c, long t);

#endif
