/* vae_infer: encode, decode and sample for any number of points, in chunks
 * of max_batch rows split over the Vae's threads (small inputs stay on the
 * calling thread: waking helpers costs more than decoding one z). */
#include <string.h>

#include "nn/loss.h"
#include "vae_impl.h"

enum { MODE_ENCODE, MODE_DECODE };
enum { PARALLEL_MIN_ROWS = 32 };

static void infer_part(void *arg, int part, int parts)
{
    Vae *v = arg;
    VaeWork *w = v->work;
    long lo, hi;
    pool_range(w->b, part, parts, 1, &lo, &hi);
    if (hi <= lo)
        return;
    int k = v->cfg.n_hidden;
    if (w->mode == MODE_ENCODE)
        vae_forward_layers(v, NULL, 0, k, (int)lo, (int)hi, NULL);
    else
        vae_forward_layers(v, NULL, k + 1, w->n_linear - 1, (int)lo, (int)hi, w->io_out);
}

static void run(Vae *v, int b)
{
    VaeWork *w = v->work;
    w->b = b;
    w->sp.rows = b;
    w->mixed = 0; /* inference is fp32 */
    if (b < PARALLEL_MIN_ROWS)
        infer_part(v, 0, 1);
    else
        pool_run(w->pool, infer_part, v);
}

void vae_encode(Vae *v, const float *x, size_t n, float *mu, float *logvar)
{
    VaeWork *w = v->work;
    int X = v->cfg.x, Z = v->cfg.z;
    const float *ml = w->out[v->cfg.n_hidden];
    for (size_t s = 0; s < n; s += (size_t)v->max_batch) {
        int b = n - s < (size_t)v->max_batch ? (int)(n - s) : v->max_batch;
        w->x = x + s * X;
        w->io_out = NULL;
        w->mode = MODE_ENCODE;
        run(v, b);
        for (int r = 0; r < b; r++) {
            memcpy(mu + (s + r) * Z, ml + (size_t)r * 2 * Z, (size_t)Z * sizeof *mu);
            if (logvar)
                memcpy(logvar + (s + r) * Z, ml + (size_t)r * 2 * Z + Z, (size_t)Z * sizeof *mu);
        }
    }
}

void vae_decode_logits(Vae *v, const float *z, size_t n, float *logits)
{
    VaeWork *w = v->work;
    int X = v->cfg.x, Z = v->cfg.z;
    for (size_t s = 0; s < n; s += (size_t)v->max_batch) {
        int b = n - s < (size_t)v->max_batch ? (int)(n - s) : v->max_batch;
        w->zin = z + s * Z;
        w->io_out = logits + s * X;
        w->mode = MODE_DECODE;
        run(v, b);
    }
    w->zin = NULL;
    w->io_out = NULL;
}

void vae_decode(Vae *v, const float *z, size_t n, float *xhat)
{
    vae_decode_logits(v, z, n, xhat);
    sigmoid_forward(xhat, xhat, (long)(n * (size_t)v->cfg.x));
}

void vae_sample(Vae *v, Rng *rng, size_t n, float *z, float *xhat)
{
    /* Chunk by chunk so z may be NULL: dz has room for max_batch latents. */
    int Z = v->cfg.z;
    for (size_t s = 0; s < n; s += (size_t)v->max_batch) {
        size_t b = n - s < (size_t)v->max_batch ? n - s : (size_t)v->max_batch;
        float *zb = z ? z + s * Z : v->work->dz;
        rng_normal_fill(rng, zb, b * (size_t)Z);
        vae_decode(v, zb, b, xhat + s * v->cfg.x);
    }
}
