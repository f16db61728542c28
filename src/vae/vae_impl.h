/* vae_impl: the private layout behind vae.h, shared by the vae_*.c files of
 * the engine (not by save/load, which goes through vae_tensor_*).
 *
 * Layers are numbered in diagram order: encoder 0..k-1, the fused heads k
 * (out = 2Z: mu rows then logvar rows, so [mu | logvar] per sample comes out
 * of one GEMM), decoder k+1..2k+1. Layer 0's weight is stored transposed,
 * Wt (X, H1), for the sparse-input kernels; every other weight is (out, in).
 * Each tensor starts on a 64-byte boundary of the flat arrays. */
#ifndef ZSPACE_VAE_VAE_IMPL_H
#define ZSPACE_VAE_VAE_IMPL_H

#include <stdatomic.h>

#include "nn/gemm.h"
#include "nn/nn.h"
#include "nn/pool.h"
#include "nn/sparse.h"
#include "vae.h"

enum { VAE_MAX_LINEAR = 2 * VAE_MAX_LAYERS + 2, VAE_MAX_TENSORS = 2 * VAE_MAX_LINEAR + 2 };

typedef struct {
    int in, out;
    size_t w_off, b_off; /* into the flat arrays */
    int transposed;      /* weight stored (in, out) */
    int relu;            /* ReLU after this layer */
} VaeLinear;

typedef struct {
    VaeTensorInfo info;
    size_t off;
    int transposed; /* elements (o, i) live at off + i * shape[0] + o */
} VaeTensor;

/* One unit of the weight-gradient phase: rows r0..r1 of a layer's weight
 * (pixel rows of Wt for layer 0, whole SPARSE_TILEs) with their biases, or
 * layer 0's bias alone. */
typedef struct {
    int layer;
    int r0, r1;
    int bias_only;
} VaeGradItem;

struct VaeWork {
    int n_linear; /* 2k + 2 */
    VaeLinear lin[VAE_MAX_LINEAR];
    int n_tensors;
    VaeTensor tensor[VAE_MAX_TENSORS];
    int n_items;
    VaeGradItem *items;

    /* activations for max_batch rows */
    float *out[VAE_MAX_LINEAR];  /* (B, lin.out) post-activation; the last holds logits, then dlogits */
    float *dout[VAE_MAX_LINEAR]; /* (B, lin.out) gradient w.r.t. pre-activation (last: = out) */
    float *z, *dz;               /* (B, Z) */
    float *recon, *kl;           /* (B) per-sample loss terms */
    float *xbuf;                 /* (B, X) a batch gathered by vae_train_step_rows */
    float *mem;                  /* the one allocation behind the buffers above */

    SparseRows sp; /* the batch's input compacted (rows = current B) */
    void *sp_mem;

    /* Mixed precision (vae_set_precision): a bf16 training step reads the
     * bf16 copies below in its GEMMs; they are written where the fp32 data
     * is produced (Adam, the activation and gradient passes). Layer 0 (the
     * sparse kernels) stays fp32 and has no copy of its weight or dout. */
    NnPrecision prec;              /* NN_PREC_FP32 or NN_PREC_BF16 */
    NnGemmKind gemm_kind;          /* the backend that runs bf16 here */
    NnGemm *gemm[NN_MAX_THREADS];  /* per pool part; NULL in fp32 */
    uint16_t *wh;                  /* (n_params) bf16 copy of params */
    uint16_t *outh[VAE_MAX_LINEAR];  /* (B, lin.out) bf16 of out (not the heads', logits) */
    uint16_t *douth[VAE_MAX_LINEAR]; /* (B, lin.out) bf16 of dout (not layer 0) */
    uint16_t *zh;                  /* (B, Z) bf16 of z */
    void *hmem;                    /* the one allocation behind the bf16 buffers */
    int mixed;                     /* the current job is a bf16 training step */

    NnPool *pool;
    int threads;
    SparseCols cols[NN_MAX_THREADS]; /* per-thread weight-gradient scratch */
    void *cols_mem;

    /* the job being run by the pool (set by the owner before pool_run) */
    const float *x, *eps, *zin;
    const float *gather_images;   /* non-NULL: the rows phase first copies */
    const uint32_t *gather_rows;  /* gather_images rows gather_rows[r] into xbuf */
    int b;
    int mode;
    float lr;
    long adam_t;
    float *io_out; /* encode/decode destination */
    atomic_int next_item;
};

/* vae_train_step on the images rows[0..b) of `images` (N, X), gathered
 * into an internal buffer by the threads of the step itself (the epoch
 * driver's batches; saves a serial copy per step). */
int vae_train_step_rows(Vae *v, const float *images, const uint32_t *rows, const float *eps, int b,
                        float lr, VaeLoss *out, Err *e);

/* Input of linear layer i for the current job (x, z or a previous output),
 * with its bf16 copy when the job is mixed (.h is NULL otherwise). */
NnMat vae_layer_input(const Vae *v, int i);
/* Forward linear layers first..last for rows r0..r1 of the current job
 * (inputs and outputs are whole-batch buffers, indexed by row); the last
 * layer writes into last_out instead of its activation when non-NULL.
 * g is the calling part's GEMM backend (NULL: fp32). */
void vae_forward_layers(Vae *v, NnGemm *g, int first, int last, int r0, int r1, float *last_out);
/* Refresh the bf16 copy of params [off, off + n) (no-op in fp32). */
void vae_sync_bf16(Vae *v, size_t off, size_t n);

#endif
