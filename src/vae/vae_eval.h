/* vae_eval: how good a trained Vae is on a data split.
 *
 * Per image x, with q(z|x) = N(mu, diag(exp(logvar))) from the encoder and
 * p(x|z) the decoder's Bernoulli pixels:
 *   recon    = -log p(x|z), z = mu + sigma eps, one eps draw (BCE summed over pixels)
 *   kl       = KL(q(z|x) || N(0, I)), analytic, and per latent dimension
 *   neg_elbo = recon + kl: the negative ELBO with beta = 1 whatever beta the
 *              model was trained with, so it bounds -log p(x) for every model
 *   iwae_ll  = log (1/K) sum_k p(x, z_k) / q(z_k|x), z_k ~ q(z|x): the
 *              importance-weighted bound (Burda et al. 2016). E[iwae_ll] <= log p(x),
 *              K = 1 gives the ELBO in expectation, and it tightens as K grows.
 * All values are means over the images, in nats per image. A latent
 * dimension is active when its mean KL exceeds VAE_ACTIVE_KL nats.
 *
 * Determinism: every noise draw comes from a stream seeded by (seed, image
 * chunk) or (seed, image), and work is cut into fixed chunks, so the result
 * depends on the seed and the data, not on the thread count.
 *
 * Thread rule: vae_evaluate reads the caller's Vae (owned by the calling
 * thread, unchanged) and runs `threads` workers, each on a private copy of
 * the parameters; they are joined before it returns. The progress hook runs
 * on the calling thread. */
#ifndef ZSPACE_VAE_VAE_EVAL_H
#define ZSPACE_VAE_VAE_EVAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "data/dataset.h"
#include "vae/vae.h"

#define VAE_ACTIVE_KL 0.01 /* nats: threshold for an active latent dimension */
enum { VAE_MAX_IW = 1000000 }; /* largest K accepted */

typedef struct {
    size_t n;          /* images to evaluate from the start of the split; 0 = all */
    int iw_k;          /* IWAE samples per image, 0..VAE_MAX_IW; 0 skips IWAE */
    uint64_t seed;     /* noise seed */
    int threads;       /* workers; 0 = nn_threads() */
    double *iwae_each; /* (n) per-image IWAE estimates, or NULL */
    /* Called on the calling thread as work completes (done/total images); may be NULL. */
    void (*progress)(void *user, size_t done, size_t total);
    void *user;
    /* Checked (acquire) before each chunk; non-zero makes the call return ERR_CANCELLED. */
    const atomic_int *cancel;
} VaeEvalOpts;

typedef struct {
    size_t n;                     /* images evaluated */
    int z;                        /* Z: entries of kl_per_dim in use */
    double neg_elbo, recon, kl;   /* nats per image */
    double kl_per_dim[VAE_MAX_Z]; /* (Z) mean KL of each latent dimension */
    int active_units;             /* dimensions with kl_per_dim > VAE_ACTIVE_KL */
    int iw_k;                     /* K used, 0 if IWAE was skipped */
    double iwae_ll;               /* mean IWAE log-likelihood bound; NaN when iw_k == 0 */
} VaeEval;

/* n all, iw_k 0, seed 0, threads 0, no hooks. */
void vae_eval_opts_default(VaeEvalOpts *o);

/* Evaluate v on the first o->n images of data (data->x must equal v's X).
 * Fills *out. ERR_ARG for bad options, ERR_CANCELLED if cancelled,
 * ERR_NOMEM. v is not modified. */
int vae_evaluate(const Vae *v, const DataSplit *data, const VaeEvalOpts *o, VaeEval *out,
                 Err *e);

#endif
