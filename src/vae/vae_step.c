/* vae_step: forward, backward and Adam on one batch, in two parallel phases.
 *
 * Phase "rows" splits the batch into contiguous row ranges, one per thread:
 * everything that is row-local runs there without a barrier (every layer's
 * forward, the loss, and every input gradient dX back to the first hidden
 * layer; the first layer's dX is never needed). Phase "weights" then
 * computes the weight and bias gradients dW = dY^T X in blocks of rows
 * (vae_impl.h's items, claimed from an atomic counter) and, when training,
 * applies Adam to each block while it is still in cache. Each block's result
 * does not depend on which thread computed it, and the row split depends
 * only on the thread count, so a run is bit-reproducible per thread count.
 *
 * A bf16 training step (w->mixed) runs the same code with each part's bf16
 * GEMM backend: every pass that produces a GEMM operand also writes its
 * bf16 copy (bias+ReLU, the ReLU gradient, Adam for the weights); the few
 * small or sparse-layer results get a separate conversion (layer 0's
 * output, z, the heads' gradient, dlogits). */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "nn/adam.h"
#include "nn/bf16.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "nn/sparse.h"
#include "vae_impl.h"

/* What a pool job does: rows phase (forward, input gradients), weights
 * phase (gradients overwrite and Adam follows, or gradients accumulate). */
enum { MODE_FORWARD = 1, MODE_DX = 2, MODE_ADAM = 4 };

NnMat vae_layer_input(const Vae *v, int i)
{
    const VaeWork *w = v->work;
    if (i == 0)
        return nn_mat(w->x, NULL);
    if (i == v->cfg.n_hidden + 1)
        return w->zin ? nn_mat(w->zin, NULL) : nn_mat(w->z, w->mixed ? w->zh : NULL);
    return nn_mat(w->out[i - 1], w->mixed ? w->outh[i - 1] : NULL);
}

/* Rows r0.. of m, whose rows are `width` wide. */
static NnMat rows_of(NnMat m, int r0, int width)
{
    size_t at = (size_t)r0 * width;
    return nn_mat(m.f ? m.f + at : NULL, m.h ? m.h + at : NULL);
}

static NnMat weight_of(const Vae *v, const VaeLinear *l)
{
    const VaeWork *w = v->work;
    return nn_mat(v->params + l->w_off, w->mixed ? w->wh + l->w_off : NULL);
}

void vae_forward_layers(Vae *v, NnGemm *g, int first, int last, int r0, int r1, float *last_out)
{
    VaeWork *w = v->work;
    for (int i = first; i <= last; i++) {
        const VaeLinear *l = &w->lin[i];
        NnMat in = vae_layer_input(v, i);
        float *out = i == last && last_out ? last_out : w->out[i];
        const float *b = v->params + l->b_off;
        /* bf16 copies of what feeds a GEMM: not the heads' [mu | logvar], not the logits */
        int feeds = i != v->cfg.n_hidden && i < w->n_linear - 1;
        uint16_t *outh = w->mixed && feeds ? w->outh[i] + (size_t)r0 * l->out : NULL;
        if (l->transposed) { /* layer 0: compact these rows of x, then the sparse kernel */
            sparse_rows_build(&w->sp, in.f, r0, r1);
            sparse_forward(out, in.f, &w->sp, r0, r1, v->params + l->w_off, b, l->out, l->relu);
            if (outh)
                bf16_from_floats(outh, out + (size_t)r0 * l->out, (long)(r1 - r0) * l->out);
        } else {
            linear_forward_g(g, out + (size_t)r0 * l->out, outh, rows_of(in, r0, l->in),
                             weight_of(v, l), b, r1 - r0, l->in, l->out, l->relu);
        }
    }
}

/* Gradient w.r.t. layer i's pre-activation, rows r0.. (bf16 copy when mixed). */
static NnMat dout_of(const Vae *v, int i, int r0)
{
    const VaeWork *w = v->work;
    size_t at = (size_t)r0 * w->lin[i].out;
    return nn_mat(w->dout[i] + at, w->mixed && i > 0 ? w->douth[i] + at : NULL);
}

/* Row-local backward for rows r0..r1: from dlogits down to dout[0]. */
static void backward_rows(Vae *v, NnGemm *g, int r0, int r1)
{
    VaeWork *w = v->work;
    int k = v->cfg.n_hidden, Z = v->cfg.z, n = r1 - r0;
    for (int i = w->n_linear - 1; i >= 1; i--) {
        const VaeLinear *l = &w->lin[i];
        NnMat dy = dout_of(v, i, r0);
        if (i == k + 1) { /* into z, then through the reparameterization and KL */
            float *dz = w->dz + (size_t)r0 * Z, *dml = w->dout[k] + (size_t)r0 * 2 * Z;
            const float *ml = w->out[k] + (size_t)r0 * 2 * Z;
            linear_backward_input_g(g, dz, dy, weight_of(v, l), n, l->in, l->out, 0);
            memset(dml, 0, (size_t)n * 2 * Z * sizeof *dml);
            reparam_backward(dml, dz, ml, w->eps + (size_t)r0 * Z, n, Z);
            gaussian_kl_backward(dml, ml, v->cfg.beta, n, Z);
            if (w->mixed)
                bf16_from_floats(w->douth[k] + (size_t)r0 * 2 * Z, dml, (long)n * 2 * Z);
            continue;
        }
        float *dx = w->dout[i - 1] + (size_t)r0 * l->in;
        linear_backward_input_g(g, dx, dy, weight_of(v, l), n, l->in, l->out, 0);
        uint16_t *dxh = w->mixed && i - 1 > 0 ? w->douth[i - 1] + (size_t)r0 * l->in : NULL;
        relu_backward_g(dx, dxh, w->out[i - 1] + (size_t)r0 * l->in, (long)n * l->in);
    }
}

static void rows_part(void *arg, int part, int parts)
{
    Vae *v = arg;
    VaeWork *w = v->work;
    int k = v->cfg.n_hidden, Z = v->cfg.z, X = v->cfg.x;
    long lo, hi;
    pool_range(w->b, part, parts, 1, &lo, &hi);
    int r0 = (int)lo, r1 = (int)hi, n = r1 - r0;
    if (n <= 0)
        return;
    if (w->gather_rows)
        for (int r = r0; r < r1; r++)
            memcpy(w->xbuf + (size_t)r * X, w->gather_images + (size_t)w->gather_rows[r] * X,
                   (size_t)X * sizeof *w->xbuf);
    NnGemm *g = w->mixed ? w->gemm[part] : NULL;
    if (w->mode & MODE_FORWARD) {
        vae_forward_layers(v, g, 0, k, r0, r1, NULL);
        const float *ml = w->out[k] + (size_t)r0 * 2 * Z;
        reparam_forward(w->z + (size_t)r0 * Z, ml, w->eps + (size_t)r0 * Z, n, Z);
        if (w->mixed)
            bf16_from_floats(w->zh + (size_t)r0 * Z, w->z + (size_t)r0 * Z, (long)n * Z);
        gaussian_kl_forward(w->kl + r0, NULL, ml, n, Z);
        vae_forward_layers(v, g, k + 1, w->n_linear - 1, r0, r1, NULL);
        float *logits = w->out[w->n_linear - 1] + (size_t)r0 * X;
        bce_logits_fused(w->recon + r0, logits, logits, w->x + (size_t)r0 * X, n, X);
        if (w->mixed && (w->mode & MODE_DX))
            bf16_from_floats(w->douth[w->n_linear - 1] + (size_t)r0 * X, logits, (long)n * X);
    }
    if (w->mode & MODE_DX)
        backward_rows(v, g, r0, r1);
}

static void weights_part(void *arg, int part, int parts)
{
    (void)parts;
    Vae *v = arg;
    VaeWork *w = v->work;
    int acc = !(w->mode & MODE_ADAM); /* training overwrites; vae_backward accumulates */
    AdamConfig ac = adam_default();
    ac.lr = w->lr;
    SparseCols *cols = &w->cols[part];
    NnGemm *g = w->mixed ? w->gemm[part] : NULL;
    for (;;) {
        int it = atomic_fetch_add_explicit(&w->next_item, 1, memory_order_relaxed);
        if (it >= w->n_items)
            return;
        const VaeGradItem *item = &w->items[it];
        const VaeLinear *l = &w->lin[item->layer];
        NnMat x = vae_layer_input(v, item->layer);
        const float *dy = w->dout[item->layer];
        size_t woff, wn, boff = l->b_off + (size_t)item->r0, bn = (size_t)(item->r1 - item->r0);
        if (item->bias_only) {
            bias_backward(v->grads + l->b_off, dy, w->b, l->out, acc);
            woff = wn = 0;
        } else if (l->transposed) {
            sparse_backward_weight(v->grads + l->w_off, dy, x.f, &w->sp, l->out, item->r0,
                                   item->r1, acc, cols);
            woff = l->w_off + (size_t)item->r0 * l->out;
            wn = (size_t)(item->r1 - item->r0) * l->out;
            bn = 0;
        } else {
            linear_backward_weight_g(g, v->grads + l->w_off, v->grads + l->b_off,
                                     dout_of(v, item->layer, 0), x, w->b, l->in, l->out, item->r0,
                                     item->r1, acc);
            woff = l->w_off + (size_t)item->r0 * l->in;
            wn = (size_t)(item->r1 - item->r0) * l->in;
        }
        if (!(w->mode & MODE_ADAM))
            continue;
        if (w->mixed && !l->transposed) /* layer 0's sparse kernels read the fp32 weight */
            adam_step_bf16(v->params + woff, w->wh + woff, v->grads + woff, v->adam_m + woff,
                           v->adam_v + woff, wn, &ac, w->adam_t);
        else
            adam_step(v->params + woff, v->grads + woff, v->adam_m + woff, v->adam_v + woff, wn,
                      &ac, w->adam_t);
        adam_step(v->params + boff, v->grads + boff, v->adam_m + boff, v->adam_v + boff, bn, &ac,
                  w->adam_t);
    }
}

static void run_weights(Vae *v, int train, float lr)
{
    VaeWork *w = v->work;
    w->mode = train ? MODE_ADAM : 0;
    w->lr = lr;
    w->adam_t = v->adam_t + 1;
    atomic_store_explicit(&w->next_item, 0, memory_order_relaxed);
    pool_run(w->pool, weights_part, v);
}

static void sum_loss(Vae *v, VaeLoss *out)
{
    VaeWork *w = v->work;
    double r = 0, k = 0;
    for (int i = 0; i < w->b; i++) {
        r += w->recon[i];
        k += w->kl[i];
    }
    out->n = (size_t)w->b;
    out->recon = r / w->b;
    out->kl = k / w->b;
    out->loss = out->recon + v->cfg.beta * out->kl;
}

/* Point the job at a batch and run the rows phase: x (B, X), or, when rows
 * is non-NULL, images rows[0..b) copied into xbuf by the rows phase itself. */
static void start(Vae *v, const float *x, const float *images, const uint32_t *rows,
                  const float *eps, int b, int mode)
{
    VaeWork *w = v->work;
    assert(b >= 1 && b <= v->max_batch);
    w->x = rows ? w->xbuf : x;
    w->gather_images = images;
    w->gather_rows = rows;
    w->eps = eps;
    w->zin = NULL;
    w->b = b;
    w->sp.rows = b;
    w->mode = mode;
    /* only training steps run in bf16; a forward for evaluation stays fp32 */
    w->mixed = w->prec == NN_PREC_BF16 && (mode & MODE_DX);
    pool_run(w->pool, rows_part, v);
    w->gather_rows = NULL;
}

void vae_forward(Vae *v, const float *x, const float *eps, int b, VaeLoss *out, double *kl_dim,
                 float *recon_each)
{
    start(v, x, NULL, NULL, eps, b, MODE_FORWARD);
    VaeLoss tmp;
    sum_loss(v, out ? out : &tmp);
    VaeWork *w = v->work;
    if (kl_dim) /* recomputes the same per-row values, adding the per-latent sums */
        gaussian_kl_forward(w->kl, kl_dim, w->out[v->cfg.n_hidden], b, v->cfg.z);
    if (recon_each)
        memcpy(recon_each, w->recon, (size_t)b * sizeof *recon_each);
}

void vae_backward(Vae *v)
{
    VaeWork *w = v->work;
    w->mixed = 0;
    w->mode = MODE_DX;
    pool_run(w->pool, rows_part, v);
    run_weights(v, 0, 0.0f);
}

void vae_zero_grad(Vae *v) { memset(v->grads, 0, v->n_params * sizeof *v->grads); }

void vae_adam_step(Vae *v, float lr)
{
    AdamConfig ac = adam_default();
    ac.lr = lr;
    v->adam_t++;
    adam_step(v->params, v->grads, v->adam_m, v->adam_v, v->n_params, &ac, v->adam_t);
    vae_params_changed(v);
}

/* After the rows phase of a training step: check the loss, then the weights
 * phase with Adam. */
static int gemm_status(Vae *v, Err *e)
{
    VaeWork *w = v->work;
    int rc = ERR_OK;
    for (int t = 0; t < w->threads; t++) {
        int r = nn_gemm_status(w->gemm[t], rc ? NULL : e);
        rc = rc ? rc : r;
    }
    return rc;
}

static int finish_train(Vae *v, float lr, VaeLoss *out, Err *e)
{
    VaeLoss l;
    sum_loss(v, &l);
    int rc = gemm_status(v, e);
    if (rc)
        return rc;
    if (out)
        *out = l;
    if (!isfinite(l.loss))
        return err_set(e, ERR_NUMERIC, "loss is %g at Adam step %ld: parameters left unchanged",
                       l.loss, v->adam_t + 1);
    run_weights(v, 1, lr);
    v->adam_t++;
    return gemm_status(v, e); /* a product that failed here left NaN in a gradient block */
}

int vae_train_step(Vae *v, const float *x, const float *eps, int b, float lr, VaeLoss *out,
                   Err *e)
{
    start(v, x, NULL, NULL, eps, b, MODE_FORWARD | MODE_DX);
    return finish_train(v, lr, out, e);
}

int vae_train_step_rows(Vae *v, const float *images, const uint32_t *rows, const float *eps, int b,
                        float lr, VaeLoss *out, Err *e)
{
    start(v, NULL, images, rows, eps, b, MODE_FORWARD | MODE_DX);
    return finish_train(v, lr, out, e);
}
