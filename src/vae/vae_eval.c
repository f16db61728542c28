/* vae_eval: see vae_eval.h.
 *
 * Work is cut into chunks of CHUNK images. For each chunk a worker runs one
 * vae_forward (recon, KL, per-dimension KL, eps from the chunk's stream)
 * and, with K > 0, the IWAE estimate of each image: the chunk's K * CHUNK
 * (image, sample) rows go through the decoder ROWS at a time, so small K
 * still makes full GEMM batches and large K never needs K rows of memory.
 * Each image keeps a running log-sum-exp (max m and sum s of exp(w - m)),
 * which is stable whatever the log-weights' range. Chunk results land in
 * per-chunk slots and are summed in chunk order at the end, so thread count
 * and scheduling never change the numbers. */
#include "vae_eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/loss.h"
#include "nn/nn.h"
#include "nn/pool.h"

enum {
    CHUNK = 128, /* images per work item (and per vae_forward) */
    ROWS = 256   /* decoder rows per IWAE batch */
};

/* Stream ids, so the ELBO's and the IWAE's noise never coincide. */
enum { STREAM_ELBO = 1, STREAM_IWAE = 2 };

static uint64_t stream_seed(uint64_t seed, uint64_t stream, uint64_t index)
{
    /* rng_seed runs this through splitmix64; the odd multipliers only keep
     * (seed, stream, index) triples from colliding for any realistic sizes. */
    return seed ^ (stream * 0xD1B54A32D192ED03ull) ^ (index * 0x9E3779B97F4A7C15ull);
}

typedef struct {
    double recon, kl; /* sums over the chunk's images */
    double *kl_dim;   /* (Z) sums over the chunk's images */
} ChunkResult;

typedef struct {
    Vae vae; /* private copy of the parameters, one thread */
    float *eps, *mu, *logvar, *z, *logits, *bce; /* scratch, see worker_alloc */
    double *kl_term, *lse_m, *lse_s;
    Rng *rngs; /* (CHUNK) one IWAE stream per image of the chunk */
} Worker;

typedef struct {
    const DataSplit *data;
    const VaeEvalOpts *o;
    size_t n, n_chunks;
    int z, x, k;
    Worker *workers;
    ChunkResult *chunks;
    double *iwae;              /* (n) per-image IWAE */
    atomic_size_t next_chunk;  /* work queue: the next chunk to take */
    atomic_size_t done_images; /* for progress */
    atomic_int cancelled;
} Job;

static int worker_alloc(Worker *w, const Vae *v, Err *e)
{
    memset(w, 0, sizeof *w);
    int z = v->cfg.z, x = v->cfg.x;
    int rc = vae_init(&w->vae, &v->cfg, ROWS, 0, e);
    if (rc == ERR_OK)
        rc = vae_set_threads(&w->vae, 1, e);
    if (rc == ERR_OK)
        rc = vae_copy_params(&w->vae, v, e);
    if (rc != ERR_OK)
        return rc;
    w->eps = malloc(sizeof(float) * ROWS * (size_t)z);
    w->mu = malloc(sizeof(float) * CHUNK * (size_t)z);
    w->logvar = malloc(sizeof(float) * CHUNK * (size_t)z);
    w->z = malloc(sizeof(float) * ROWS * (size_t)z);
    w->logits = malloc(sizeof(float) * ROWS * (size_t)x);
    w->bce = malloc(sizeof(float) * ROWS);
    w->kl_term = malloc(sizeof(double) * ROWS);
    w->lse_m = malloc(sizeof(double) * CHUNK);
    w->lse_s = malloc(sizeof(double) * CHUNK);
    w->rngs = malloc(sizeof(Rng) * CHUNK);
    if (!w->eps || !w->mu || !w->logvar || !w->z || !w->logits || !w->bce || !w->kl_term ||
        !w->lse_m || !w->lse_s || !w->rngs)
        return err_set(e, ERR_NOMEM, "evaluate: out of memory");
    return ERR_OK;
}

static void worker_free(Worker *w)
{
    if (w->vae.params)
        vae_free(&w->vae);
    free(w->eps);
    free(w->mu);
    free(w->logvar);
    free(w->z);
    free(w->logits);
    free(w->bce);
    free(w->kl_term);
    free(w->lse_m);
    free(w->lse_s);
    free(w->rngs);
    memset(w, 0, sizeof *w);
}

/* Negative ELBO pieces of images [i0, i0 + b). */
static void chunk_elbo(Job *j, Worker *w, size_t c, size_t i0, int b)
{
    const float *x = j->data->images + i0 * (size_t)j->x;
    Rng r;
    rng_seed(&r, stream_seed(j->o->seed, STREAM_ELBO, c));
    rng_normal_fill(&r, w->eps, (size_t)b * (size_t)j->z);
    ChunkResult *cr = &j->chunks[c];
    memset(cr->kl_dim, 0, sizeof(double) * (size_t)j->z);
    VaeLoss loss;
    vae_forward(&w->vae, x, w->eps, b, &loss, cr->kl_dim, NULL);
    cr->recon = loss.recon * b;
    cr->kl = loss.kl * b;
}

/* Running log-sum-exp: fold value v into (m, s) where the total is m + log s. */
static void lse_add(double *m, double *s, double v)
{
    if (v <= *m) {
        *s += exp(v - *m);
    } else {
        *s = *s * exp(*m - v) + 1.0; /* first value: exp(-inf) = 0 */
        *m = v;
    }
}

/* IWAE estimates of images [i0, i0 + b), K samples each. */
static void chunk_iwae(Job *j, Worker *w, size_t i0, int b)
{
    const int Z = j->z, X = j->x, K = j->k;
    const float *x = j->data->images + i0 * (size_t)X;
    vae_encode(&w->vae, x, (size_t)b, w->mu, w->logvar);
    for (int i = 0; i < b; i++) {
        rng_seed(&w->rngs[i], stream_seed(j->o->seed, STREAM_IWAE, i0 + (size_t)i));
        w->lse_m[i] = -INFINITY;
        w->lse_s[i] = 0.0;
    }
    size_t total = (size_t)b * (size_t)K;
    for (size_t r0 = 0; r0 < total; r0 += ROWS) {
        int rows = (int)(total - r0 < ROWS ? total - r0 : ROWS);
        /* Row r0 + r is sample (r0 + r) % K of image (r0 + r) / K. */
        for (int r = 0; r < rows; r++) {
            int img = (int)((r0 + (size_t)r) / (size_t)K);
            const float *mu = w->mu + (size_t)img * Z, *lv = w->logvar + (size_t)img * Z;
            float *eps = w->eps + (size_t)r * Z, *z = w->z + (size_t)r * Z;
            rng_normal_fill(&w->rngs[img], eps, (size_t)Z);
            /* log p(z) - log q(z|x) = -1/2 sum (z^2 - eps^2 - logvar); the
             * log(2 pi) terms cancel. */
            double t = 0.0;
            for (int d = 0; d < Z; d++) {
                z[d] = mu[d] + expf(0.5f * lv[d]) * eps[d];
                t += (double)z[d] * z[d] - (double)eps[d] * eps[d] - lv[d];
            }
            w->kl_term[r] = -0.5 * t;
        }
        vae_decode_logits(&w->vae, w->z, (size_t)rows, w->logits);
        for (int r = 0; r < rows; r++) {
            int img = (int)((r0 + (size_t)r) / (size_t)K);
            /* -log p(x|z) for this row against its own image */
            bce_logits_forward(&w->bce[r], w->logits + (size_t)r * X, x + (size_t)img * X, 1, X);
            lse_add(&w->lse_m[img], &w->lse_s[img], w->kl_term[r] - (double)w->bce[r]);
        }
    }
    for (int i = 0; i < b; i++)
        j->iwae[i0 + (size_t)i] = w->lse_m[i] + log(w->lse_s[i]) - log((double)K);
}

static void eval_part(void *arg, int part, int parts)
{
    (void)parts;
    Job *j = arg;
    Worker *w = &j->workers[part];
    for (;;) {
        if (j->o->cancel && atomic_load_explicit(j->o->cancel, memory_order_acquire)) {
            atomic_store(&j->cancelled, 1);
            return;
        }
        size_t c = atomic_fetch_add(&j->next_chunk, 1);
        if (c >= j->n_chunks)
            return;
        size_t i0 = c * CHUNK;
        int b = (int)(j->n - i0 < CHUNK ? j->n - i0 : CHUNK);
        chunk_elbo(j, w, c, i0, b);
        if (j->k > 0)
            chunk_iwae(j, w, i0, b);
        size_t done = atomic_fetch_add(&j->done_images, (size_t)b) + (size_t)b;
        if (part == 0 && j->o->progress)
            j->o->progress(j->o->user, done, j->n);
    }
}

void vae_eval_opts_default(VaeEvalOpts *o)
{
    memset(o, 0, sizeof *o);
}

int vae_evaluate(const Vae *v, const DataSplit *data, const VaeEvalOpts *o, VaeEval *out,
                 Err *e)
{
    memset(out, 0, sizeof *out);
    out->iwae_ll = NAN;
    if (data->x != v->cfg.x)
        return err_set(e, ERR_ARG, "evaluate: images have %d pixels, the model expects %d",
                       data->x, v->cfg.x);
    if (o->iw_k < 0 || o->iw_k > VAE_MAX_IW)
        return err_set(e, ERR_ARG, "evaluate: K = %d importance samples (1..%d, or 0 for none)",
                       o->iw_k, VAE_MAX_IW);
    size_t n = o->n ? o->n : data->n;
    if (n == 0 || n > data->n)
        return err_set(e, ERR_ARG, "evaluate: %zu images asked for, the split has %zu", n,
                       data->n);
    int threads = o->threads > 0 ? o->threads : nn_threads();
    if (threads > NN_MAX_THREADS)
        threads = NN_MAX_THREADS;
    Job j = {.data = data, .o = o, .n = n, .z = v->cfg.z, .x = v->cfg.x, .k = o->iw_k};
    j.n_chunks = (n + CHUNK - 1) / CHUNK;
    if ((size_t)threads > j.n_chunks)
        threads = (int)j.n_chunks; /* idle workers would only cost a model copy */
    atomic_init(&j.next_chunk, 0);
    atomic_init(&j.done_images, 0);
    atomic_init(&j.cancelled, 0);

    int rc = ERR_OK;
    NnPool *pool = NULL;
    double *kl_dims = malloc(sizeof(double) * j.n_chunks * (size_t)j.z);
    j.chunks = calloc(j.n_chunks, sizeof *j.chunks);
    j.workers = calloc((size_t)threads, sizeof *j.workers);
    j.iwae = o->iwae_each ? o->iwae_each : (j.k ? malloc(sizeof(double) * n) : NULL);
    if (!kl_dims || !j.chunks || !j.workers || (j.k && !j.iwae))
        rc = err_set(e, ERR_NOMEM, "evaluate: out of memory");
    for (size_t c = 0; rc == ERR_OK && c < j.n_chunks; c++)
        j.chunks[c].kl_dim = kl_dims + c * (size_t)j.z;
    for (int t = 0; rc == ERR_OK && t < threads; t++)
        rc = worker_alloc(&j.workers[t], v, e);
    if (rc == ERR_OK)
        rc = pool_init(&pool, threads, e);
    if (rc == ERR_OK) {
        pool_run(pool, eval_part, &j);
        if (atomic_load(&j.cancelled))
            rc = err_set(e, ERR_CANCELLED, "evaluate: cancelled");
    }
    if (rc == ERR_OK) {
        double recon = 0, kl = 0, iw = 0;
        for (size_t c = 0; c < j.n_chunks; c++) {
            recon += j.chunks[c].recon;
            kl += j.chunks[c].kl;
            for (int d = 0; d < j.z; d++)
                out->kl_per_dim[d] += j.chunks[c].kl_dim[d];
        }
        out->n = n;
        out->z = j.z;
        out->recon = recon / (double)n;
        out->kl = kl / (double)n;
        out->neg_elbo = out->recon + out->kl;
        for (int d = 0; d < j.z; d++) {
            out->kl_per_dim[d] /= (double)n;
            out->active_units += out->kl_per_dim[d] > VAE_ACTIVE_KL;
        }
        if (j.k) {
            for (size_t i = 0; i < n; i++)
                iw += j.iwae[i];
            out->iw_k = j.k;
            out->iwae_ll = iw / (double)n;
        }
        if (!isfinite(out->neg_elbo) || (j.k && !isfinite(out->iwae_ll)))
            rc = err_set(e, ERR_NUMERIC, "evaluate: the model gives a non-finite loss");
    }
    pool_free(pool);
    for (int t = 0; j.workers && t < threads; t++)
        worker_free(&j.workers[t]);
    free(j.workers);
    free(j.chunks);
    free(kl_dims);
    if (j.iwae != o->iwae_each)
        free(j.iwae);
    return rc;
}
