/* vae_io: a Vae's parameters to and from a safetensors file.
 *
 * Tensors are the Vae's named parameter tensors exactly as vae_tensor_info
 * lists them ("enc.0.weight" (H1, X), "enc.0.bias" (H1), ..., "mu.weight"
 * (Z, Hk), "logvar.bias" (Z), "dec.0.weight" (Hk, Z), ..., "dec.k.weight"
 * (X, H1)), F32, row-major (out, in): a PyTorch state_dict of nn.Linear
 * layers loads them one to one (docs/MODEL_FORMAT.md). Gradients and Adam
 * state are not saved.
 *
 * __metadata__ (all strings, as safetensors requires):
 *   format_version "1", architecture "mlp-vae", producer "zspace <version>",
 *   pixels "784", latent "20", hidden "512" or "512,256", beta "1",
 *   dataset "mnist", epochs "10", seed "0",
 *   precision "fp32" or "bf16": the training step's GEMM operands (the
 *           tensors are F32 either way; absent in files of older versions),
 *   losses  JSON: {"train": [...], "train_recon": [...], "train_kl": [...],
 *                  "test": [...], "test_recon": [...], "test_kl": [...]}
 *           one entry per epoch trained, nats per sample.
 *
 * Loading rebuilds the VaeConfig from the metadata and then demands that
 * the tensors are exactly that architecture's: every one present with its
 * shape, nothing extra, every value finite. Any failure is one line naming
 * the file and the problem; the Vae is left untouched.
 *
 * Thread rule: no shared state; the Vae passed in must be owned by the
 * calling thread for the duration of the call. */
#ifndef ZSPACE_VAE_VAE_IO_H
#define ZSPACE_VAE_VAE_IO_H

#include <stdint.h>

#include "core/err.h"
#include "vae/vae.h"

#define VAE_FORMAT_VERSION "1"
#define VAE_ARCHITECTURE "mlp-vae"
/* Epochs of loss history a file may hold (a sanity bound for loading). */
#define VAE_MAX_HISTORY 100000

/* Losses of one epoch, nats per sample (NaN where not measured). */
typedef struct {
    double train, train_recon, train_kl;
    double test, test_recon, test_kl;
} VaeEpochLoss;

/* What a file says about how its model was made. */
typedef struct {
    char dataset[32];      /* "mnist", "fashion"; "" when unknown */
    long epochs;           /* epochs trained */
    uint64_t seed;         /* training seed */
    char precision[8];     /* "fp32" or "bf16" as trained; "" when unknown. On save, ""
                            * writes the Vae's own (vae_precision) */
    int n_history;         /* entries in history */
    VaeEpochLoss *history; /* (n_history) owned: vae_file_info_free; NULL if none */
} VaeFileInfo;

/* Zero fields, no history. */
void vae_file_info_init(VaeFileInfo *info);
/* Append one epoch's losses (grows history). */
int vae_file_info_push(VaeFileInfo *info, const VaeEpochLoss *l, Err *e);
void vae_file_info_free(VaeFileInfo *info);

/* Write v's parameters and info (may be NULL: dataset "", epochs 0, seed 0,
 * no history) to path atomically; a failed save leaves an existing file
 * untouched. */
int vae_save(const char *path, const Vae *v, const VaeFileInfo *info, Err *e);

/* Read path, build *v with vae_init(max_batch, 0 means 128) and load its
 * parameters; Adam state starts at zero. info (may be NULL) receives the
 * metadata (free it with vae_file_info_free). On failure *v and *info are
 * zeroed and nothing needs freeing. */
int vae_load(const char *path, Vae *v, int max_batch, VaeFileInfo *info, Err *e);

/* "512" or "512,256" from a config, into buf. */
void vae_hidden_str(const VaeConfig *c, char *buf, size_t size);
/* Parse "512" or "512,256,..." into c->hidden / c->n_hidden (1..VAE_MAX_LAYERS
 * widths of 1..VAE_MAX_HIDDEN). ERR_ARG with a message naming s on failure. */
int vae_hidden_parse(const char *s, VaeConfig *c, Err *e);

#endif
