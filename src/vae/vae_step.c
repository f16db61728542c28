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
 * only on the thread count, so a run is bit-reproducible per thread count. */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "nn/adam.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "nn/sparse.h"
#include "vae_impl.h"

/* What a pool job does: rows phase (forward, input gradients), weights
 * phase (gradients overwrite and Adam follows, or gradients accumulate). */
enum { MODE_FORWARD = 1, MODE_DX = 2, MODE_ADAM = 4 };

const float *vae_layer_input(const Vae *v, int i)
{
    const VaeWork *w = v->work;
    if (i == 0)
        return w->x;
    if (i == v->cfg.n_hidden + 1)
        return w->zin ? w->zin : w->z;
    return w->out[i - 1];
}

void vae_forward_layers(Vae *v, int first, int last, int r0, int r1, float *last_out)
{
    VaeWork *w = v->work;
    for (int i = first; i <= last; i++) {
        const VaeLinear *l = &w->lin[i];
        const float *in = vae_layer_input(v, i);
        float *out = i == last && last_out ? last_out : w->out[i];
        const float *wt = v->params + l->w_off, *b = v->params + l->b_off;
        if (l->transposed) { /* layer 0: compact these rows of x, then the sparse kernel */
            sparse_rows_build(&w->sp, in, r0, r1);
            sparse_forward(out, in, &w->sp, r0, r1, wt, b, l->out, l->relu);
        } else {
            linear_forward(out + (size_t)r0 * l->out, in + (size_t)r0 * l->in, wt, b, r1 - r0,
                           l->in, l->out, l->relu);
        }
    }
}

/* Row-local backward for rows r0..r1: from dlogits down to dout[0]. */
static void backward_rows(Vae *v, int r0, int r1)
{
    VaeWork *w = v->work;
    int k = v->cfg.n_hidden, Z = v->cfg.z, n = r1 - r0;
    for (int i = w->n_linear - 1; i >= 1; i--) {
        const VaeLinear *l = &w->lin[i];
        const float *dy = w->dout[i] + (size_t)r0 * l->out;
        if (i == k + 1) { /* into z, then through the reparameterization and KL */
            float *dz = w->dz + (size_t)r0 * Z, *dml = w->dout[k] + (size_t)r0 * 2 * Z;
            const float *ml = w->out[k] + (size_t)r0 * 2 * Z;
            linear_backward_input(dz, dy, v->params + l->w_off, n, l->in, l->out, 0);
            memset(dml, 0, (size_t)n * 2 * Z * sizeof *dml);
            reparam_backward(dml, dz, ml, w->eps + (size_t)r0 * Z, n, Z);
            gaussian_kl_backward(dml, ml, v->cfg.beta, n, Z);
            continue;
        }
        float *dx = w->dout[i - 1] + (size_t)r0 * l->in;
        linear_backward_input(dx, dy, v->params + l->w_off, n, l->in, l->out, 0);
        relu_backward_inplace(dx, w->out[i - 1] + (size_t)r0 * l->in, (long)n * l->in);
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
    if (w->mode & MODE_FORWARD) {
        vae_forward_layers(v, 0, k, r0, r1, NULL);
        const float *ml = w->out[k] + (size_t)r0 * 2 * Z;
        reparam_forward(w->z + (size_t)r0 * Z, ml, w->eps + (size_t)r0 * Z, n, Z);
        gaussian_kl_forward(w->kl + r0, NULL, ml, n, Z);
        vae_forward_layers(v, k + 1, w->n_linear - 1, r0, r1, NULL);
        float *logits = w->out[w->n_linear - 1] + (size_t)r0 * X;
        bce_logits_fused(w->recon + r0, logits, logits, w->x + (size_t)r0 * X, n, X);
    }
    if (w->mode & MODE_DX)
        backward_rows(v, r0, r1);
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
    for (;;) {
        int it = atomic_fetch_add_explicit(&w->next_item, 1, memory_order_relaxed);
        if (it >= w->n_items)
            return;
        const VaeGradItem *item = &w->items[it];
        const VaeLinear *l = &w->lin[item->layer];
        const float *x = vae_layer_input(v, item->layer), *dy = w->dout[item->layer];
        size_t woff, wn, boff = l->b_off + (size_t)item->r0, bn = (size_t)(item->r1 - item->r0);
        if (item->bias_only) {
            bias_backward(v->grads + l->b_off, dy, w->b, l->out, acc);
            woff = wn = 0;
        } else if (l->transposed) {
            sparse_backward_weight(v->grads + l->w_off, dy, x, &w->sp, l->out, item->r0,
                                   item->r1, acc, cols);
            woff = l->w_off + (size_t)item->r0 * l->out;
            wn = (size_t)(item->r1 - item->r0) * l->out;
            bn = 0;
        } else {
            linear_backward_weight(v->grads + l->w_off, v->grads + l->b_off, dy, x, w->b, l->in,
                                   l->out, item->r0, item->r1, acc);
            woff = l->w_off + (size_t)item->r0 * l->in;
            wn = (size_t)(item->r1 - item->r0) * l->in;
        }
        if (!(w->mode & MODE_ADAM))
            continue;
        adam_step(v->params + woff, v->grads + woff, v->adam_m + woff, v->adam_v + woff, wn, &ac,
                  w->adam_t);
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
}

/* After the rows phase of a training step: check the loss, then the weights
 * phase with Adam. */
static int finish_train(Vae *v, float lr, VaeLoss *out, Err *e)
{
    VaeLoss l;
    sum_loss(v, &l);
    if (out)
        *out = l;
    if (!isfinite(l.loss))
        return err_set(e, ERR_NUMERIC, "loss is %g at Adam step %ld: parameters left unchanged",
                       l.loss, v->adam_t + 1);
    run_weights(v, 1, lr);
    v->adam_t++;
    return ERR_OK;
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
