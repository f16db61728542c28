/* model: see model.h. */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int model_load(Model *m, const char *path, const char *dataset, Err *e)
{
    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->job.mu_lock, NULL);
    pthread_cond_init(&m->job.req_cond, NULL);
    snprintf(m->path, sizeof m->path, "%s", path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base) < sizeof m->name ? strlen(base) : sizeof m->name - 1;
    memcpy(m->name, base, n);
    m->name[n] = '\0';
    m->test_loss = NAN;
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(e, ERR_IO, "%s: no such model file", path);
    /* max_batch 64: room for the sampling grids of a later issue. */
    if (vae_load(path, &m->vae, 64, &m->info, e) != ERR_OK)
        return e ? e->code : ERR_FORMAT;
    /* Decoding one z on the UI thread must not wake helper threads. */
    vae_set_threads(&m->vae, 1, NULL);
    if (m->info.n_history > 0)
        m->test_loss = m->info.history[m->info.n_history - 1].test;
    const char *ds = dataset ? dataset : m->info.dataset[0] ? m->info.dataset : "mnist";
    if (!dataset_find(ds))
        ds = "mnist";
    snprintf(m->dataset, sizeof m->dataset, "%s", ds);
    m->loaded = true;
    return ERR_OK;
}

static void wake(const ModelJob *j);

static void publish(ModelJob *j, int state)
{
    pthread_mutex_lock(&j->mu_lock);
    j->state = state;
    j->seq++;
    pthread_mutex_unlock(&j->mu_lock);
    wake(j);
}

/* Encode every map point with the worker's Vae into mu, logvar (N, Z) and
 * the mean KL of each dimension into kl (Z), in chunks so a cancel is
 * noticed quickly. */
static int encode_points(ModelJob *j, float *mu, float *logvar, float *kl)
{
    const DataSplit *parts[2] = {&j->ds.test, j->all_points ? &j->ds.train : NULL};
    int z = j->vae.cfg.z;
    size_t at = 0;
    for (int p = 0; p < 2 && parts[p]; p++) {
        const DataSplit *s = parts[p];
        for (size_t i = 0; i < s->n; i += 1000) {
            if (atomic_load_explicit(&j->cancel, memory_order_acquire))
                return err_set(&j->err, ERR_CANCELLED, "cancelled");
            size_t k = s->n - i < 1000 ? s->n - i : 1000;
            vae_encode(&j->vae, s->images + i * (size_t)s->x, k, mu + (at + i) * (size_t)z,
                       logvar + (at + i) * (size_t)z);
        }
        at += s->n;
    }
    /* KL(N(mu, sigma^2) || N(0, 1)) per dimension, averaged over points:
     * 0.5 (mu^2 + sigma^2 - 1 - log sigma^2). */
    double acc[VAE_MAX_Z] = {0};
    for (size_t i = 0; i < at; i++)
        for (int d = 0; d < z; d++) {
            double m = mu[i * (size_t)z + (size_t)d], lv = logvar[i * (size_t)z + (size_t)d];
            acc[d] += 0.5 * (m * m + exp(lv) - 1.0 - lv);
        }
    for (int d = 0; d < z; d++)
        kl[d] = (float)(acc[d] / (double)at);
    return ERR_OK;
}

static int encode_all(ModelJob *j)
{
    const DataSplit *parts[2] = {&j->ds.test, j->all_points ? &j->ds.train : NULL};
    size_t n = j->ds.test.n + (j->all_points ? j->ds.train.n : 0);
    int z = j->vae.cfg.z;
    j->mu = malloc(n * (size_t)z * sizeof *j->mu);
    j->logvar = malloc(n * (size_t)z * sizeof *j->logvar);
    j->labels = malloc(n);
    j->kl_dim = calloc((size_t)z, sizeof *j->kl_dim);
    if (!j->mu || !j->logvar || !j->labels || !j->kl_dim)
        return err_set(&j->err, ERR_NOMEM, "out of memory encoding %zu points", n);
    size_t at = 0;
    for (int p = 0; p < 2 && parts[p]; p++) {
        memcpy(j->labels + at, parts[p]->labels, parts[p]->n);
        at += parts[p]->n;
    }
    int rc = encode_points(j, j->mu, j->logvar, j->kl_dim);
    if (rc != ERR_OK)
        return rc;
    j->n = n;
    j->z = z;
    return ERR_OK;
}

static void wake(const ModelJob *j)
{
    if (j->wake)
        j->wake(j->wake_user);
}

#define SWAP(a, b)            \
    do {                      \
        float *swap_ = (a);   \
        (a) = (b);            \
        (b) = swap_;          \
    } while (0)

/* After the first publish: re-encode whenever the UI sends new weights,
 * until cancelled (thread rule in model.h). */
static void serve_requests(ModelJob *j)
{
    size_t nz = j->n * (size_t)j->z;
    j->back_mu = malloc(nz * sizeof *j->back_mu);
    j->back_logvar = malloc(nz * sizeof *j->back_logvar);
    j->back_kl = malloc((size_t)j->z * sizeof *j->back_kl);
    float *out[3] = {malloc(nz * sizeof(float)), malloc(nz * sizeof(float)),
                     malloc((size_t)j->z * sizeof(float))};
    pthread_mutex_lock(&j->mu_lock);
    j->out_mu = out[0];
    j->out_logvar = out[1];
    j->out_kl = out[2];
    pthread_mutex_unlock(&j->mu_lock);
    if (!j->back_mu || !j->back_logvar || !j->back_kl || !out[0] || !out[1] || !out[2])
        return; /* no memory: the map stays as first encoded */
    for (;;) {
        pthread_mutex_lock(&j->mu_lock);
        while (!j->req_pending && !atomic_load_explicit(&j->cancel, memory_order_acquire))
            pthread_cond_wait(&j->req_cond, &j->mu_lock);
        if (atomic_load_explicit(&j->cancel, memory_order_acquire)) {
            pthread_mutex_unlock(&j->mu_lock);
            return;
        }
        SWAP(j->req_weights, j->work_weights);
        j->req_pending = false;
        uint64_t tag = j->req_tag;
        pthread_mutex_unlock(&j->mu_lock);
        memcpy(j->vae.params, j->work_weights, j->vae.n_params * sizeof *j->vae.params);
        if (encode_points(j, j->back_mu, j->back_logvar, j->back_kl) != ERR_OK)
            return;
        pthread_mutex_lock(&j->mu_lock);
        SWAP(j->back_mu, j->out_mu);
        SWAP(j->back_logvar, j->out_logvar);
        SWAP(j->back_kl, j->out_kl);
        j->out_seq++;
        j->out_tag = tag;
        pthread_mutex_unlock(&j->mu_lock);
        wake(j);
    }
}

static void *worker(void *arg)
{
    ModelJob *j = arg;
    int rc = dataset_load(j->dataset, &j->ds, &j->err);
    if (rc == ERR_OK && j->ds.test.x != j->vae.cfg.x)
        rc = err_set(&j->err, ERR_FORMAT, "the model takes %d pixels but %s images have %d",
                     j->vae.cfg.x, j->ds.title, j->ds.test.x);
    if (rc == ERR_OK)
        rc = encode_all(j);
    publish(j, rc == ERR_OK ? MODEL_READY : MODEL_FAILED);
    if (rc == ERR_OK)
        serve_requests(j);
    return NULL;
}

int model_start_encode(Model *m, bool all_points, void (*wake)(void *user), void *user,
                       Err *e)
{
    ModelJob *j = &m->job;
    if (vae_init(&j->vae, &m->vae.cfg, 256, 0, e) != ERR_OK)
        return e ? e->code : ERR_NOMEM;
    if (vae_copy_params(&j->vae, &m->vae, e) != ERR_OK) {
        vae_free(&j->vae);
        return e ? e->code : ERR_ARG;
    }
    snprintf(j->dataset, sizeof j->dataset, "%s", m->dataset);
    j->all_points = all_points;
    j->wake = wake;
    j->wake_user = user;
    j->state = MODEL_WORKING;
    atomic_store(&j->cancel, 0);
    if (pthread_create(&j->thread, NULL, worker, j) != 0) {
        vae_free(&j->vae);
        j->state = MODEL_NONE;
        return err_set(e, ERR_NOMEM, "cannot start the encoder thread");
    }
    j->started = true;
    return ERR_OK;
}

int model_job_state(ModelJob *j, uint64_t *seq)
{
    pthread_mutex_lock(&j->mu_lock);
    int s = j->state;
    if (seq)
        *seq = j->seq;
    pthread_mutex_unlock(&j->mu_lock);
    return s;
}

int model_init_new(Model *m, const VaeConfig *cfg, uint64_t seed, const char *dataset,
                   const char *path, Err *e)
{
    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->job.mu_lock, NULL);
    pthread_cond_init(&m->job.req_cond, NULL);
    snprintf(m->path, sizeof m->path, "%s", path);
    const char *base = strrchr(path, '/');
    snprintf(m->name, sizeof m->name, "%.*s", (int)(sizeof m->name - 1), base ? base + 1 : path);
    m->test_loss = NAN;
    vae_file_info_init(&m->info);
    if (vae_init(&m->vae, cfg, 64, seed, e) != ERR_OK)
        return e ? e->code : ERR_NOMEM;
    vae_set_threads(&m->vae, 1, NULL);
    snprintf(m->dataset, sizeof m->dataset, "%s", dataset_find(dataset) ? dataset : "mnist");
    snprintf(m->info.dataset, sizeof m->info.dataset, "%s", m->dataset);
    m->info.seed = seed;
    m->loaded = true;
    return ERR_OK;
}

void model_encode_request(Model *m, const float *weights, uint64_t tag)
{
    ModelJob *j = &m->job;
    if (!j->started)
        return;
    if (!j->ui_weights)
        j->ui_weights = malloc(m->vae.n_params * sizeof *j->ui_weights);
    if (!j->ui_weights)
        return;
    memcpy(j->ui_weights, weights, m->vae.n_params * sizeof *j->ui_weights);
    pthread_mutex_lock(&j->mu_lock);
    SWAP(j->ui_weights, j->req_weights);
    j->req_pending = true;
    j->req_tag = tag;
    pthread_cond_signal(&j->req_cond);
    pthread_mutex_unlock(&j->mu_lock);
}

bool model_encode_poll(Model *m, uint64_t *tag)
{
    ModelJob *j = &m->job;
    if (!j->started)
        return false;
    bool got = false;
    pthread_mutex_lock(&j->mu_lock);
    if (j->out_seq != j->ui_seen) {
        j->ui_seen = j->out_seq;
        SWAP(j->out_mu, j->mu);
        SWAP(j->out_logvar, j->logvar);
        SWAP(j->out_kl, j->kl_dim);
        if (tag)
            *tag = j->out_tag;
        got = true;
    }
    pthread_mutex_unlock(&j->mu_lock);
    if (got)
        j->reencodes++;
    return got;
}

const float *model_point_image(const ModelJob *j, size_t i)
{
    const DataSplit *t = &j->ds.test;
    if (i < t->n)
        return t->images + i * (size_t)t->x;
    return j->ds.train.images + (i - t->n) * (size_t)j->ds.train.x;
}

void model_free(Model *m)
{
    ModelJob *j = &m->job;
    if (j->started) {
        pthread_mutex_lock(&j->mu_lock);
        atomic_store_explicit(&j->cancel, 1, memory_order_release);
        pthread_cond_broadcast(&j->req_cond); /* wakes a worker waiting for weights */
        pthread_mutex_unlock(&j->mu_lock);
        pthread_join(j->thread, NULL);
    }
    float *more[] = {j->req_weights, j->work_weights, j->ui_weights, j->out_mu, j->out_logvar,
                     j->out_kl, j->back_mu, j->back_logvar, j->back_kl};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        free(more[i]);
    pthread_cond_destroy(&j->req_cond);
    vae_free(&j->vae);
    dataset_free(&j->ds);
    free(j->mu);
    free(j->logvar);
    free(j->labels);
    free(j->kl_dim);
    pthread_mutex_destroy(&j->mu_lock);
    if (m->loaded)
        vae_free(&m->vae);
    vae_file_info_free(&m->info);
    memset(m, 0, sizeof *m);
}
