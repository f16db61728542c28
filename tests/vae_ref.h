/* vae_ref: a double-precision reference of the whole VAE loss for tests,
 * written from the model's definition in vae.h and reading the parameters
 * only through the named-tensor API (so it also checks names, shapes and
 * the PyTorch (out, in) order). Parameters are one flat double vector theta
 * in tensor order, which finite differences perturb. */
#ifndef ZSPACE_TESTS_VAE_REF_H
#define ZSPACE_TESTS_VAE_REF_H

#include <stddef.h>

#include "vae/vae.h"

typedef struct {
    VaeConfig cfg;
    int n_tensors;
    size_t off[64], count[64];
    size_t total;
} VaeRef;

void vae_ref_init(VaeRef *r, const Vae *v);
/* theta (total) <- the model's parameters (slot VAE_PARAMS) or grads. */
void vae_ref_get(const VaeRef *r, const Vae *v, VaeSlot slot, double *theta);
/* Sum over the B samples of recon + beta * KL; recon_sum/kl_sum may be NULL.
 * *min_pre receives the smallest |pre-activation| of any ReLU (to keep
 * finite differences away from kinks); may be NULL. logits (B, X) may be
 * NULL; otherwise it receives the decoder's logits. */
double vae_ref_loss(const VaeRef *r, const double *theta, const float *x, const float *eps, int B,
                    double *recon_sum, double *kl_sum, double *min_pre, double *logits);

#endif
