/* vae_train: the epoch driver (see vae_train_epoch in vae.h). The
 * permutation and noise buffers are allocated once per epoch, never per
 * batch; the step's own threads gather each batch's rows. */
#include <stdlib.h>
#include <string.h>

#include "core/timer.h"
#include "vae_impl.h"

void vae_train_opts_default(VaeTrainOpts *o)
{
    memset(o, 0, sizeof *o);
    o->batch = 128;
    o->lr = 1e-3f;
}

int vae_train_epoch(Vae *v, const DataSplit *train, Rng *rng, const VaeTrainOpts *o,
                    VaeLoss *stats, Err *e)
{
    int X = v->cfg.x, Z = v->cfg.z, B = o->batch;
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (train->x != X)
        return err_set(e, ERR_ARG, "images have %d pixels, the model expects %d", train->x, X);
    if (B < 1 || B > v->max_batch)
        return err_set(e, ERR_ARG, "batch %d outside 1..%d", B, v->max_batch);
    if (train->n == 0 || train->n > UINT32_MAX)
        return err_set(e, ERR_ARG, "training split has %zu images", train->n);
    size_t n = train->n;
    uint32_t *perm = malloc(n * sizeof *perm);
    float *eps = malloc((size_t)B * Z * sizeof *eps);
    int rc = ERR_OK;
    if (!perm || !eps) {
        rc = err_set(e, ERR_NOMEM, "out of memory for an epoch of %zu images", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    rng_shuffle_u32(rng, perm, n);
    size_t batches = (n + (size_t)B - 1) / (size_t)B, done_n = 0;
    double sum_r = 0, sum_k = 0, t0 = timer_now();
    for (size_t bi = 0; bi < batches; bi++) {
        if (o->cancel && atomic_load_explicit(o->cancel, memory_order_acquire)) {
            rc = err_set(e, ERR_CANCELLED, "training cancelled after %zu of %zu batches", bi,
                         batches);
            break;
        }
        size_t s = bi * (size_t)B;
        int b = n - s < (size_t)B ? (int)(n - s) : B;
        rng_normal_fill(rng, eps, (size_t)b * Z);
        VaeLoss l;
        if ((rc = vae_train_step_rows(v, train->images, perm + s, eps, b, o->lr, &l, e)))
            break;
        sum_r += l.recon * b;
        sum_k += l.kl * b;
        done_n += (size_t)b;
        if (o->progress) {
            double dt = timer_now() - t0;
            VaeProgress p = {.batch = bi + 1, .batches = batches, .samples = done_n,
                             .loss = l.loss, .epoch_loss = (sum_r + v->cfg.beta * sum_k) / done_n,
                             .samples_per_s = dt > 0 ? done_n / dt : 0};
            o->progress(o->user, &p);
        }
    }
    if (stats && done_n) {
        stats->n = done_n;
        stats->recon = sum_r / done_n;
        stats->kl = sum_k / done_n;
        stats->loss = stats->recon + v->cfg.beta * stats->kl;
    }
done:
    free(perm);
    free(eps);
    return rc;
}
