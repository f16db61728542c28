/* loss: the VAE's loss pieces and the reparameterization, per sample.
 *
 * Layout: the encoder heads write one row per sample, ml (B, 2Z) =
 * [mu (Z) | logvar (Z)], so one GEMM computes both heads.
 *   BCE from logits l (stable): max(l, 0) - l x + log(1 + exp(-|l|)),
 *     d/dl = sigmoid(l) - x.
 *   KL(N(mu, e^lv) || N(0, 1)) = 0.5 (mu^2 + e^lv - 1 - lv) per latent.
 *   z = mu + exp(lv / 2) eps (eps is an input, so everything is deterministic).
 * Forward kernels overwrite their outputs; backward kernels accumulate (+=)
 * into gradients, as everywhere in nn. Losses are per sample (one value per
 * row). Pure functions on caller buffers; any thread. */
#ifndef ZSPACE_NN_LOSS_H
#define ZSPACE_NN_LOSS_H

/* loss (B) = per-row sum of BCE(x, sigmoid(logits)); logits, x (B, X). */
void bce_logits_forward(float *loss, const float *logits, const float *x, int B, int X);
/* dlogits (B, X) += sigmoid(logits) - x: the gradient of the summed loss. */
void bce_logits_backward(float *dlogits, const float *logits, const float *x, int B, int X);
/* Forward and backward in one pass for training: loss (B) as above and
 * dlogits = sigmoid(logits) - x, overwritten; dlogits may alias logits. */
void bce_logits_fused(float *loss, float *dlogits, const float *logits, const float *x, int B,
                      int X);
/* Reference in double precision with libm. */
void bce_logits_forward_naive(double *loss, const float *logits, const float *x, int B, int X);

/* kl (B) = per-row sum of the KL of each latent; kl_dim (Z), if non-NULL,
 * += the per-latent KL summed over the rows (accumulated in double). */
void gaussian_kl_forward(float *kl, double *kl_dim, const float *ml, int B, int Z);
/* dml (B, 2Z) += scale * d(kl)/d(mu, logvar), per row. */
void gaussian_kl_backward(float *dml, const float *ml, float scale, int B, int Z);

/* z (B, Z) = mu + exp(logvar / 2) eps. */
void reparam_forward(float *z, const float *ml, const float *eps, int B, int Z);
/* dml (B, 2Z) += (dz, dz eps exp(logvar / 2) / 2). */
void reparam_backward(float *dml, const float *dz, const float *ml, const float *eps, int B, int Z);

/* y = sigmoid(x) = 1 / (1 + exp(-x)) elementwise; y may alias x. */
void sigmoid_forward(float *y, const float *x, long n);

#endif
