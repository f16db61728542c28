/* vae: the MLP variational autoencoder: parameters, forward/backward, Adam,
 * encode/decode/sample, and the training epoch driver.
 *
 * Dimension letters, used in shape comments everywhere in zspace:
 *   B batch, X pixels (784), H hidden, Z latent, N points.
 *
 * Model (the blog's VAE, generalized to 1..4 hidden layers):
 *   encoder  X -> H1 -> ... -> Hk (ReLU after each) -> heads mu (Z), logvar (Z)
 *   z = mu + exp(logvar / 2) * eps,   eps ~ N(0, I) supplied by the caller
 *   decoder  Z -> Hk -> ... -> H1 (ReLU after each) -> X logits -> sigmoid
 *   loss per sample = sum over pixels BCE(x, sigmoid(logits)) (from logits,
 *   stable form) + beta * KL(N(mu, exp(logvar)) || N(0, I)).
 *
 * Parameters, gradients and the two Adam moments live in four flat arrays of
 * n_params floats with one shared (private) layout. Tensors are reached by
 * index through vae_tensor_*: names and shapes follow PyTorch's nn.Linear
 * ("enc.0.weight" (H1, X), ..., "mu.weight" (Z, Hk), "logvar.bias" (Z),
 * "dec.0.weight" (Hk, Z), ..., last "dec.k.weight" (X, H1)), and get/set copy
 * in PyTorch's row-major (out, in) order whatever the internal layout is.
 *
 * Thread rule: a Vae (and everything reachable from it) is owned by one
 * thread at a time; different Vae instances may be used concurrently from
 * different threads. A Vae may own helper threads (vae_set_threads): they
 * work only inside this Vae's calls, sleep in between, never touch another
 * Vae, and are joined by vae_free. Determinism: the same seed, data, config and thread count give
 * bit-identical parameters. */
#ifndef ZSPACE_VAE_VAE_H
#define ZSPACE_VAE_VAE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/rng.h"
#include "data/dataset.h"
#include "nn/gemm.h"

enum {
    VAE_X = 784,          /* X for MNIST and Fashion-MNIST */
    VAE_MAX_Z = 256,      /* Z range 1..VAE_MAX_Z */
    VAE_MAX_LAYERS = 4,   /* hidden layers per side, 1..VAE_MAX_LAYERS */
    VAE_MAX_HIDDEN = 8192 /* width limit of one hidden layer */
};

typedef struct {
    int x;                      /* X: pixels per image */
    int z;                      /* Z: latent size */
    int n_hidden;               /* hidden layers in the encoder (the decoder mirrors them) */
    int hidden[VAE_MAX_LAYERS]; /* widths, input side first: {512, 256} = X->512->256->Z */
    float beta;                 /* KL weight, >= 0 */
} VaeConfig;

/* X 784, Z 20, hidden {512}, beta 1. */
void vae_config_default(VaeConfig *c);
/* ERR_ARG naming the bad field if c is out of range. */
int vae_config_check(const VaeConfig *c, Err *e);

typedef struct VaeWork VaeWork; /* activations, scratch, helper threads: private */

typedef struct {
    VaeConfig cfg;
    int max_batch;   /* largest B one forward pass takes; longer inputs are chunked */
    size_t n_params; /* floats in each of the four arrays below */
    float *params;   /* private layout: use vae_tensor_* to read or write by name */
    float *grads;    /* d(sum over the batch of the loss)/d params, same layout */
    float *adam_m;   /* Adam first moment, same layout */
    float *adam_v;   /* Adam second moment, same layout */
    long adam_t;     /* Adam steps taken (bias correction); save/restore it to resume */
    VaeWork *work;
} Vae;

/* Allocate everything (no allocation happens afterwards except in
 * vae_train_epoch's once-per-epoch shuffle buffer) and initialize like
 * PyTorch's nn.Linear: weight and bias ~ U(-1/sqrt(in), 1/sqrt(in)), drawn
 * from seed. Grads and Adam state start at zero. Threads start at
 * nn_threads(). On failure *v is zeroed and nothing needs freeing. */
int vae_init(Vae *v, const VaeConfig *c, int max_batch, uint64_t seed, Err *e);
void vae_free(Vae *v);

/* Use `threads` (1..NN_MAX_THREADS) threads inside this Vae's calls (the
 * caller's thread plus threads-1 helpers). threads > 1 also pins OpenBLAS to
 * one thread process-wide (as nn_set_threads does): the helpers call it. */
int vae_set_threads(Vae *v, int threads, Err *e);

/* Precision of the training step (vae_train_step*, vae_train_epoch):
 * NN_PREC_FP32 (the default, OpenBLAS) or NN_PREC_BF16 (mixed precision:
 * bf16 operands in the dense layers' GEMMs, fp32 sums, fp32 master weights,
 * Adam moments, loss and reparameterization); NN_PREC_AUTO picks bf16 where
 * the CPU does bf16 natively (nn_precision_resolve). ERR_ARG with one line
 * where bf16 is unavailable. Inference, vae_forward and vae_backward are
 * always fp32. Same seed, data, config, threads and precision give
 * bit-identical parameters. */
int vae_set_precision(Vae *v, NnPrecision p, Err *e);
/* NN_PREC_FP32 or NN_PREC_BF16. */
NnPrecision vae_precision(const Vae *v);
/* Call after writing v->params directly (not through vae_tensor_set or
 * vae_copy_params): refreshes the bf16 copy a bf16 training step reads. */
void vae_params_changed(Vae *v);

/* Copy parameters (not grads or Adam state) from src to dst; both must have
 * the same architecture (ERR_ARG otherwise). The UI keeps a snapshot this way. */
int vae_copy_params(Vae *dst, const Vae *src, Err *e);

/* ---- named tensors (save/load) ---- */

typedef enum { VAE_PARAMS, VAE_GRADS, VAE_ADAM_M, VAE_ADAM_V } VaeSlot;

typedef struct {
    char name[32];  /* "enc.0.weight", "enc.0.bias", "mu.weight", ..., "dec.1.bias" */
    int ndim;       /* 2 for a weight (out, in), 1 for a bias (out) */
    int shape[2];   /* shape[1] is 0 when ndim == 1 */
    size_t count;   /* elements */
} VaeTensorInfo;

/* Number of tensors: 2 * (2 * n_hidden + 3). Order: enc.*, mu, logvar, dec.*,
 * weight before bias. */
int vae_tensor_count(const Vae *v);
void vae_tensor_info(const Vae *v, int i, VaeTensorInfo *out);
/* Index of the tensor with this name, or -1. */
int vae_tensor_find(const Vae *v, const char *name);
/* Copy tensor i of a slot into out (count floats, row-major (out, in)). */
void vae_tensor_get(const Vae *v, VaeSlot slot, int i, float *out);
/* Overwrite tensor i of a slot from in (count floats, row-major (out, in)). */
void vae_tensor_set(Vae *v, VaeSlot slot, int i, const float *in);

/* ---- inference (any N; processed in chunks of max_batch) ---- */

/* x (N, X) -> mu (N, Z) and logvar (N, Z) (logvar may be NULL). Overwrites. */
void vae_encode(Vae *v, const float *x, size_t n, float *mu, float *logvar);
/* z (N, Z) -> xhat (N, X) pixel probabilities. Overwrites. One z takes well
 * under 50 us on one core (no helper threads are woken for small N). */
void vae_decode(Vae *v, const float *z, size_t n, float *xhat);
/* Same as vae_decode but writes the logits (pre-sigmoid), e.g. for IWAE. */
void vae_decode_logits(Vae *v, const float *z, size_t n, float *logits);
/* Draw n z ~ N(0, I) from rng, write them to z (N, Z) if non-NULL, decode
 * into xhat (N, X). */
void vae_sample(Vae *v, Rng *rng, size_t n, float *z, float *xhat);

/* ---- loss, gradients, Adam on one batch (B = 1..max_batch) ---- */

typedef struct {
    double recon; /* mean over samples of sum over pixels BCE, nats/sample */
    double kl;    /* mean KL(q(z|x) || N(0, I)), nats/sample */
    double loss;  /* recon + beta * kl */
    size_t n;     /* samples these means are over */
} VaeLoss;

/* Forward pass on x (B, X) in [0, 1] with noise eps (B, Z): fills *out.
 * kl_dim (Z) may be NULL; otherwise kl_dim[j] += sum over the batch of the
 * KL of latent j (for active units, divide by the sample count yourself).
 * recon_each (B) may be NULL; otherwise it receives each sample's BCE sum.
 * Keeps the activations (and pointers to x and eps, which must stay
 * unchanged) for vae_backward; any other call on v in between (encode,
 * decode, another forward) replaces them. */
void vae_forward(Vae *v, const float *x, const float *eps, int b, VaeLoss *out, double *kl_dim,
                 float *recon_each);
/* Backward of the last vae_forward: grads += d(sum over the batch of the
 * loss)/d params (the sum, like PyTorch's reduction='sum'). */
void vae_backward(Vae *v);
/* grads = 0. */
void vae_zero_grad(Vae *v);
/* One Adam step (PyTorch defaults: betas 0.9, 0.999, eps 1e-8, no weight
 * decay) from the current grads; increments adam_t and zeroes the grads. */
void vae_adam_step(Vae *v, float lr);
/* zero_grad + forward + backward + Adam on one batch. If the loss is NaN or
 * infinite, returns ERR_NUMERIC before anything is updated (params and Adam
 * state unchanged). */
int vae_train_step(Vae *v, const float *x, const float *eps, int b, float lr, VaeLoss *out,
                   Err *e);

/* ---- training epochs ---- */

typedef struct {
    size_t batch;         /* 1-based index of the batch just finished */
    size_t batches;       /* batches in this epoch */
    size_t samples;       /* samples done so far this epoch */
    double loss;          /* this batch's loss per sample */
    double epoch_loss;    /* mean loss per sample over the epoch so far */
    double samples_per_s; /* throughput over the epoch so far */
} VaeProgress;

typedef struct {
    int batch; /* B, 1..max_batch (default 128) */
    float lr;  /* Adam learning rate (default 1e-3) */
    /* Called on the training thread after every batch; may be NULL. */
    void (*progress)(void *user, const VaeProgress *p);
    void *user;
    /* Checked (acquire) before every batch; non-zero stops the epoch. May be NULL. */
    const atomic_int *cancel;
} VaeTrainOpts;

/* batch 128, lr 1e-3, no hooks. */
void vae_train_opts_default(VaeTrainOpts *o);

/* One epoch over train (train->x must equal cfg.x): a fresh permutation
 * from rng, minibatches of o->batch (the last one partial), eps drawn from
 * rng, vae_train_step on each. stats (may be NULL) receives the means over
 * the samples trained. Returns ERR_CANCELLED if cancel was raised (params hold
 * the batches done so far) or ERR_NUMERIC on a NaN/Inf loss (params hold the
 * last good step). */
int vae_train_epoch(Vae *v, const DataSplit *train, Rng *rng, const VaeTrainOpts *o,
                    VaeLoss *stats, Err *e);

#endif
