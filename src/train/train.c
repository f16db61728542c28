/* train: the trainer thread (see train.h for the contract).
 *
 * The run loop, per batch: a control point (stop? pause -> sleep on the
 * condition variable until resumed, stepped or stopped; read the parameter
 * block), gather the batch, one Adam step at the current beta and lr,
 * record the losses, publish a snapshot (throttled), sleep the slow-motion
 * delay (interruptibly). Per epoch: evaluate the test split, autosave.
 *
 * Per-dimension KL: every KL_EVERY batches one extra forward pass on the
 * batch about to be trained (vae_forward's kl_dim) feeds a moving average;
 * that costs about 1/(3 KL_EVERY) of the training time (~2%) instead of a
 * second pass over data.
 *
 * Locks: ctl_lock (parameter block, wakes) and snap_lock (front buffer, seq)
 * are never held together and never around computation. */
#include "train.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rng.h"
#include "core/timer.h"
#include "nn/nn.h"
#include "vae/vae_eval.h"

enum { KL_EVERY = 16 };
#define KL_EMA 0.3            /* weight of a new per-dimension KL measurement */
#define RATE_DECAY 0.97       /* per batch, for the throughput average */
#define PUBLISH_MIN_S 0.03    /* progress snapshots at most ~33 per second */

/* The one shared-state struct between the controlling (UI) thread, the
 * trainer thread and snapshot readers.
 *
 *   control in (written by the controller, read by the trainer)
 *     stop, pause, steps     atomics; the setters change them while holding
 *                            ctl_lock and broadcast ctl_cond, so a trainer
 *                            asleep in a pause or a slow-motion delay never
 *                            misses a change.
 *     params                 guarded by ctl_lock; the trainer copies it at
 *                            each batch boundary.
 *   snapshots out (written by the trainer, read by anyone)
 *     buf[2]                 the two TrainSnapshot buffers. The one `front`
 *                            does not point at (the back) belongs to the
 *                            trainer alone and is filled without a lock.
 *     front, seq             guarded by snap_lock: the trainer swaps under
 *                            it; readers copy *front under it.
 *   controller only
 *     thread, active, runs
 *   trainer thread only (between pthread_create and pthread_join)
 *     run                    model, optimizer, data, buffers, history.
 * train_start resets the buffers under snap_lock while no thread runs; the
 * thread start and join order everything else. */
typedef struct {
    TrainSetup s;
    uint64_t id;
    Dataset ds;
    bool own_ds;
    DataSplit train, test;
    Vae v;
    bool have_v;
    VaeFileInfo info;
    long epochs_before;
    int threads;
    Rng rng;
    uint32_t *perm;
    float *xb, *eps;
    double kl_acc[VAE_MAX_Z];
    float kl_dim[VAE_MAX_Z];
    bool kl_seen;
    TrainBatchLoss *bh;
    size_t nbh, cap_bh;
    TrainParams p;   /* as read at the last control point */
    TrainState state;
    char message[512];
    char save_error[256];
    int epoch;       /* complete epochs in this run */
    size_t batch_i, batches;
    uint64_t steps, steps_saved;
    int saved_epochs;
    double t_start, rate_n, rate_t, last_pub, last_weights;
    uint64_t weights_version;
} Run;

struct Trainer {
    atomic_int stop; /* an int, not a bool: vae_evaluate takes it as its cancel flag */
    atomic_bool pause;
    atomic_int steps;
    pthread_mutex_t ctl_lock;
    pthread_cond_t ctl_cond;
    TrainParams params;

    pthread_mutex_t snap_lock;
    TrainSnapshot buf[2];
    TrainSnapshot *front;
    uint64_t seq;

    pthread_t thread;
    bool active;
    uint64_t runs;

    Run run;
};

int train_default_threads(void)
{
    int n = nn_online_cpus();
    return n > 1 ? n - 1 : 1;
}

const char *train_state_name(TrainState s)
{
    static const char *names[] = {"idle", "starting", "running", "paused",
                                  "stopping", "done", "failed"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

bool train_state_finished(TrainState s)
{
    return s == TRAIN_DONE || s == TRAIN_FAILED;
}

void train_setup_default(TrainSetup *s)
{
    memset(s, 0, sizeof *s);
    vae_config_default(&s->cfg);
    s->cfg.z = 2;
    snprintf(s->dataset, sizeof s->dataset, "mnist");
    s->batch = 128;
    s->epochs = 10;
    s->params.beta = 1.0f;
    s->params.lr = 1e-3f;
    s->precision = NN_PREC_AUTO;
}

static void clamp_params(TrainParams *p)
{
    if (!(p->beta >= 0))
        p->beta = 0;
    if (p->beta > 1000)
        p->beta = 1000;
    if (!(p->lr > 0))
        p->lr = 1e-6f;
    if (p->lr > 1)
        p->lr = 1;
    if (p->delay_ms < 0)
        p->delay_ms = 0;
    if (p->delay_ms > 10000)
        p->delay_ms = 10000;
}

int train_new(Trainer **out, Err *e)
{
    *out = NULL;
    Trainer *t = calloc(1, sizeof *t);
    if (!t)
        return err_set(e, ERR_NOMEM, "out of memory for the trainer");
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* delays immune to clock changes */
    pthread_mutex_init(&t->ctl_lock, NULL);
    pthread_cond_init(&t->ctl_cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&t->snap_lock, NULL);
    t->front = &t->buf[0];
    atomic_init(&t->stop, 0);
    atomic_init(&t->pause, false);
    atomic_init(&t->steps, 0);
    t->params.beta = 1.0f;
    t->params.lr = 1e-3f;
    *out = t;
    return ERR_OK;
}

void train_snapshot_free(TrainSnapshot *s)
{
    free(s->weights);
    free(s->batch_hist);
    free(s->epoch_hist);
    memset(s, 0, sizeof *s);
}

void train_free(Trainer *t)
{
    if (!t)
        return;
    if (t->active) {
        train_stop(t);
        train_join(t);
    }
    train_snapshot_free(&t->buf[0]);
    train_snapshot_free(&t->buf[1]);
    pthread_mutex_destroy(&t->ctl_lock);
    pthread_cond_destroy(&t->ctl_cond);
    pthread_mutex_destroy(&t->snap_lock);
    free(t);
}

/* ---- control ---- */

static void ctl_signal(Trainer *t)
{
    pthread_cond_broadcast(&t->ctl_cond);
    pthread_mutex_unlock(&t->ctl_lock);
}

void train_stop(Trainer *t)
{
    pthread_mutex_lock(&t->ctl_lock);
    atomic_store_explicit(&t->stop, 1, memory_order_release);
    ctl_signal(t);
}

void train_pause(Trainer *t, bool pause)
{
    pthread_mutex_lock(&t->ctl_lock);
    atomic_store_explicit(&t->pause, pause, memory_order_release);
    if (!pause)
        atomic_store_explicit(&t->steps, 0, memory_order_release);
    ctl_signal(t);
}

void train_single_step(Trainer *t)
{
    pthread_mutex_lock(&t->ctl_lock);
    atomic_fetch_add_explicit(&t->steps, 1, memory_order_acq_rel);
    ctl_signal(t);
}

void train_set_params(Trainer *t, const TrainParams *p)
{
    TrainParams q = *p;
    clamp_params(&q);
    pthread_mutex_lock(&t->ctl_lock);
    t->params = q;
    ctl_signal(t); /* a slow-motion sleep re-reads its delay */
}

void train_get_params(Trainer *t, TrainParams *p)
{
    pthread_mutex_lock(&t->ctl_lock);
    *p = t->params;
    pthread_mutex_unlock(&t->ctl_lock);
}

static bool stopping(Trainer *t)
{
    return atomic_load_explicit(&t->stop, memory_order_acquire) != 0;
}

/* ---- snapshots ---- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    void *q = realloc(*p, need * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = need;
    return 0;
}

/* Bring the back buffer up to date and swap it to the front. */
static void publish(Trainer *t, bool with_weights)
{
    Run *r = &t->run;
    TrainSnapshot *b = t->front == &t->buf[0] ? &t->buf[1] : &t->buf[0];
    if (b->run != r->id) { /* stale from an earlier run: start over */
        b->n_batch_hist = 0;
        b->n_epoch_hist = 0;
        b->weights_step = 0;
        b->weights_version = 0;
    }
    b->run = r->id;
    b->state = r->state;
    snprintf(b->message, sizeof b->message, "%s", r->message);
    snprintf(b->save_error, sizeof b->save_error, "%s", r->save_error);
    if (r->have_v)
        b->cfg = r->v.cfg;
    else
        b->cfg = r->s.cfg;
    b->cfg.beta = r->p.beta;
    snprintf(b->dataset, sizeof b->dataset, "%s", r->s.dataset);
    snprintf(b->save_path, sizeof b->save_path, "%s", r->s.save_path);
    b->threads = r->threads;
    b->precision = r->have_v ? vae_precision(&r->v) : NN_PREC_FP32;
    b->batch = r->s.batch;
    b->n_train = r->train.n;
    b->n_test = r->test.n;
    b->epochs_before = r->epochs_before;
    b->epoch = r->epoch;
    b->epochs = r->s.epochs;
    b->batch_i = r->batch_i;
    b->batches = r->batches;
    b->steps = r->steps;
    b->samples_per_s = r->rate_t > 0 ? r->rate_n / r->rate_t : 0;
    double now = timer_now();
    b->elapsed_s = now - r->t_start;
    b->eta_s = 0;
    if (!train_state_finished(r->state) && r->batches > 0) {
        double left_batches = (double)(r->s.epochs - r->epoch) * (double)r->batches -
                              (double)r->batch_i;
        double left_samples = left_batches * (double)r->s.batch;
        if (left_samples > (double)(r->s.epochs - r->epoch) * (double)r->train.n)
            left_samples = (double)(r->s.epochs - r->epoch) * (double)r->train.n;
        if (b->samples_per_s > 0)
            b->eta_s = left_samples / b->samples_per_s + left_batches * r->p.delay_ms / 1000.0;
    }
    b->saved_epochs = r->saved_epochs;
    b->used = r->p;
    memcpy(b->kl_dim, r->kl_dim, sizeof b->kl_dim);

    /* history: append what this buffer lacks (it was last filled two
     * publishes ago, so this is a handful of entries) */
    if (r->nbh > b->n_batch_hist &&
        grow((void **)&b->batch_hist, &b->cap_batch_hist, r->nbh, sizeof *b->batch_hist) == 0) {
        memcpy(b->batch_hist + b->n_batch_hist, r->bh + b->n_batch_hist,
               (r->nbh - b->n_batch_hist) * sizeof *b->batch_hist);
        b->n_batch_hist = r->nbh;
    }
    size_t cap_e = (size_t)b->cap_epoch_hist;
    if (r->info.n_history > 0 &&
        grow((void **)&b->epoch_hist, &cap_e, (size_t)r->info.n_history, sizeof *b->epoch_hist) ==
            0) {
        b->cap_epoch_hist = (int)cap_e;
        memcpy(b->epoch_hist, r->info.history, (size_t)r->info.n_history * sizeof *b->epoch_hist);
        b->n_epoch_hist = r->info.n_history;
    }

    if (with_weights && r->have_v) {
        if (b->n_weights != r->v.n_params) {
            free(b->weights);
            b->weights = malloc(r->v.n_params * sizeof *b->weights);
            b->n_weights = b->weights ? r->v.n_params : 0;
        }
        if (b->weights) {
            memcpy(b->weights, r->v.params, r->v.n_params * sizeof *b->weights);
            b->weights_step = r->steps;
            b->weights_version = ++r->weights_version;
        }
        r->last_weights = now;
    }
    r->last_pub = now;

    pthread_mutex_lock(&t->snap_lock);
    t->front = b;
    b->seq = ++t->seq;
    pthread_mutex_unlock(&t->snap_lock);
    if (r->s.notify)
        r->s.notify(r->s.notify_user);
}

uint64_t train_seq(Trainer *t)
{
    pthread_mutex_lock(&t->snap_lock);
    uint64_t s = t->seq;
    pthread_mutex_unlock(&t->snap_lock);
    return s;
}

bool train_snapshot_take(Trainer *t, TrainSnapshot *dst, bool want_weights)
{
    pthread_mutex_lock(&t->snap_lock);
    const TrainSnapshot *f = t->front;
    bool new_run = f->run != dst->run;
    bool newer_weights = want_weights && f->weights && f->weights_version > 0 &&
                         (new_run || f->weights_version > dst->weights_version);
    if (!new_run && f->seq == dst->seq && !newer_weights) {
        pthread_mutex_unlock(&t->snap_lock);
        return false;
    }
    /* Keep dst's arrays; take every scalar from the front. */
    TrainSnapshot d = *f;
    d.weights = dst->weights;
    d.n_weights = dst->n_weights;
    d.weights_step = new_run ? 0 : dst->weights_step;
    d.weights_version = new_run ? 0 : dst->weights_version;
    d.batch_hist = dst->batch_hist;
    d.cap_batch_hist = dst->cap_batch_hist;
    d.n_batch_hist = new_run ? 0 : dst->n_batch_hist;
    d.epoch_hist = dst->epoch_hist;
    d.cap_epoch_hist = dst->cap_epoch_hist;
    if (d.n_batch_hist > f->n_batch_hist)
        d.n_batch_hist = 0; /* cannot happen within a run; be safe */
    size_t need = f->n_batch_hist;
    if (need > d.cap_batch_hist) {
        size_t cap = d.cap_batch_hist ? d.cap_batch_hist : 1024;
        while (cap < need)
            cap *= 2;
        if (grow((void **)&d.batch_hist, &d.cap_batch_hist, cap, sizeof *d.batch_hist) != 0)
            need = d.n_batch_hist; /* out of memory: keep what we have */
    }
    if (need > d.n_batch_hist)
        memcpy(d.batch_hist + d.n_batch_hist, f->batch_hist + d.n_batch_hist,
               (need - d.n_batch_hist) * sizeof *d.batch_hist);
    d.n_batch_hist = need;
    size_t cap_e = (size_t)d.cap_epoch_hist;
    d.n_epoch_hist = 0;
    if (grow((void **)&d.epoch_hist, &cap_e, (size_t)f->n_epoch_hist + 16, sizeof *d.epoch_hist) ==
        0) {
        d.cap_epoch_hist = (int)cap_e;
        if (f->n_epoch_hist > 0)
            memcpy(d.epoch_hist, f->epoch_hist, (size_t)f->n_epoch_hist * sizeof *d.epoch_hist);
        d.n_epoch_hist = f->n_epoch_hist;
    }
    if (newer_weights) {
        if (d.n_weights != f->n_weights) {
            free(d.weights);
            d.weights = malloc(f->n_weights * sizeof *d.weights);
            d.n_weights = d.weights ? f->n_weights : 0;
        }
        if (d.weights) {
            memcpy(d.weights, f->weights, f->n_weights * sizeof *d.weights);
            d.weights_step = f->weights_step;
            d.weights_version = f->weights_version;
        }
    }
    pthread_mutex_unlock(&t->snap_lock);
    *dst = d;
    return true;
}

int train_snapshot_weights(const TrainSnapshot *s, Vae *v, Err *e)
{
    const VaeConfig *a = &v->cfg, *b = &s->cfg;
    bool same = a->x == b->x && a->z == b->z && a->n_hidden == b->n_hidden;
    for (int i = 0; same && i < a->n_hidden; i++)
        same = a->hidden[i] == b->hidden[i];
    if (!s->weights || !same || s->n_weights != v->n_params)
        return err_set(e, ERR_ARG, "the training snapshot's weights do not fit this model");
    memcpy(v->params, s->weights, v->n_params * sizeof *v->params);
    vae_params_changed(v);
    return ERR_OK;
}

/* ---- the run ---- */

/* Sleep ms milliseconds of slow motion; wakes early on stop or pause and
 * follows a changed delay. */
static void slow_motion(Trainer *t, double start)
{
    pthread_mutex_lock(&t->ctl_lock);
    for (;;) {
        if (stopping(t) || atomic_load_explicit(&t->pause, memory_order_acquire))
            break;
        double until = start + t->params.delay_ms / 1000.0;
        if (timer_now() >= until)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double left = until - timer_now();
        if (left <= 0)
            break;
        long ns = ts.tv_nsec + (long)((left - floor(left)) * 1e9);
        ts.tv_sec += (time_t)floor(left) + ns / 1000000000L;
        ts.tv_nsec = ns % 1000000000L;
        pthread_cond_timedwait(&t->ctl_cond, &t->ctl_lock, &ts);
    }
    pthread_mutex_unlock(&t->ctl_lock);
}

/* At a batch boundary: false means stop. Holds while paused; *stepped is
 * set when a single-step request lets one batch through a pause. */
static bool control_point(Trainer *t, bool *stepped)
{
    Run *r = &t->run;
    *stepped = false;
    for (;;) {
        if (stopping(t))
            return false;
        if (!atomic_load_explicit(&t->pause, memory_order_acquire)) {
            r->state = TRAIN_RUNNING;
            break;
        }
        int n = atomic_load_explicit(&t->steps, memory_order_acquire);
        while (n > 0 && !atomic_compare_exchange_weak_explicit(&t->steps, &n, n - 1,
                                                               memory_order_acq_rel,
                                                               memory_order_acquire)) {
        }
        if (n > 0) {
            *stepped = true;
            break;
        }
        if (r->state != TRAIN_PAUSED) {
            r->state = TRAIN_PAUSED;
            publish(t, true);
        }
        pthread_mutex_lock(&t->ctl_lock);
        while (!stopping(t) && atomic_load_explicit(&t->pause, memory_order_acquire) &&
               atomic_load_explicit(&t->steps, memory_order_acquire) == 0)
            pthread_cond_wait(&t->ctl_cond, &t->ctl_lock);
        pthread_mutex_unlock(&t->ctl_lock);
    }
    pthread_mutex_lock(&t->ctl_lock);
    r->p = t->params;
    pthread_mutex_unlock(&t->ctl_lock);
    return true;
}

static int save(Trainer *t)
{
    Run *r = &t->run;
    if (!r->s.save_path[0] || !r->have_v)
        return ERR_OK;
    Err e = {0};
    r->info.epochs = r->epochs_before + r->epoch;
    r->v.cfg.beta = r->p.beta;
    if (vae_save(r->s.save_path, &r->v, &r->info, &e) != ERR_OK) {
        snprintf(r->save_error, sizeof r->save_error, "%s", e.msg);
        return e.code;
    }
    r->save_error[0] = '\0';
    r->saved_epochs = (int)r->info.epochs;
    r->steps_saved = r->steps;
    return ERR_OK;
}

static int prepare(Trainer *t, Err *e)
{
    Run *r = &t->run;
    const TrainSetup *s = &r->s;
    if (s->train) {
        r->train = *s->train;
        if (s->test)
            r->test = *s->test;
    } else {
        const DatasetInfo *di = dataset_find(s->dataset);
        snprintf(r->message, sizeof r->message, "Loading %s\xe2\x80\xa6",
                 di ? di->title : s->dataset);
        publish(t, false);
        if (dataset_load(s->dataset, &r->ds, e) != ERR_OK)
            return e->code;
        r->own_ds = true;
        r->train = r->ds.train;
        r->test = r->ds.test;
    }
    if (s->train_limit > 0 && s->train_limit < r->train.n)
        r->train.n = s->train_limit;
    if (s->test_limit > 0 && s->test_limit < r->test.n)
        r->test.n = s->test_limit;
    if (r->train.n == 0 || r->train.n > UINT32_MAX)
        return err_set(e, ERR_ARG, "the training split has %zu images", r->train.n);

    if (s->init_path[0]) {
        if (vae_load(s->init_path, &r->v, s->batch, &r->info, e) != ERR_OK)
            return e->code;
    } else {
        if (vae_init(&r->v, &s->cfg, s->batch, s->seed, e) != ERR_OK)
            return e->code;
        vae_file_info_init(&r->info);
        r->info.seed = s->seed;
    }
    r->have_v = true;
    snprintf(r->info.dataset, sizeof r->info.dataset, "%s", s->dataset);
    if (r->train.x != r->v.cfg.x)
        return err_set(e, ERR_FORMAT, "the model takes %d pixels but the images have %d",
                       r->v.cfg.x, r->train.x);
    r->epochs_before = r->info.epochs;
    r->threads = s->threads > 0 ? s->threads : train_default_threads();
    if (vae_set_threads(&r->v, r->threads, e) != ERR_OK ||
        vae_set_precision(&r->v, s->precision, e) != ERR_OK)
        return e->code;
    /* the file records the precision of the training it last had */
    snprintf(r->info.precision, sizeof r->info.precision, "%s",
             nn_precision_name(vae_precision(&r->v)));
    /* Shuffling and noise: a stream apart from the init's, like the CLI;
     * a continued run mixes in its starting epoch so it does not replay
     * the first run's order. */
    Rng base;
    rng_seed(&base, s->seed + (uint64_t)r->epochs_before * 0x9E3779B97F4A7C15ull);
    r->rng = rng_split(&base);

    size_t n = r->train.n, B = (size_t)s->batch;
    r->batches = (n + B - 1) / B;
    double cap = (double)r->batches * s->epochs;
    r->cap_bh = cap > TRAIN_MAX_BATCH_HISTORY ? TRAIN_MAX_BATCH_HISTORY : (size_t)cap;
    r->perm = malloc(n * sizeof *r->perm);
    r->xb = malloc(B * (size_t)r->v.cfg.x * sizeof *r->xb);
    r->eps = malloc(B * (size_t)r->v.cfg.z * sizeof *r->eps);
    r->bh = malloc(r->cap_bh * sizeof *r->bh);
    if (!r->perm || !r->xb || !r->eps || !r->bh)
        return err_set(e, ERR_NOMEM, "out of memory for training on %zu images", n);
    for (size_t i = 0; i < n; i++)
        r->perm[i] = (uint32_t)i;
    r->message[0] = '\0';
    return ERR_OK;
}

/* One batch: returns ERR_NUMERIC (params untouched) on a NaN/Inf loss. */
static int train_batch(Trainer *t, size_t first, int b, VaeLoss *l, Err *e)
{
    Run *r = &t->run;
    int X = r->v.cfg.x, Z = r->v.cfg.z;
    for (int i = 0; i < b; i++)
        memcpy(r->xb + (size_t)i * X, r->train.images + (size_t)r->perm[first + (size_t)i] * X,
               (size_t)X * sizeof *r->xb);
    rng_normal_fill(&r->rng, r->eps, (size_t)b * Z);
    r->v.cfg.beta = r->p.beta;
    if (r->steps % KL_EVERY == 0) {
        VaeLoss kl;
        memset(r->kl_acc, 0, (size_t)Z * sizeof *r->kl_acc);
        vae_forward(&r->v, r->xb, r->eps, b, &kl, r->kl_acc, NULL);
        if (isfinite(kl.kl))
            for (int j = 0; j < Z; j++) {
                float m = (float)(r->kl_acc[j] / b);
                r->kl_dim[j] = r->kl_seen ? (float)((1 - KL_EMA) * r->kl_dim[j] + KL_EMA * m) : m;
            }
        r->kl_seen = true;
    }
    return vae_train_step(&r->v, r->xb, r->eps, b, r->p.lr, l, e);
}

static int run_epochs(Trainer *t, Err *e)
{
    Run *r = &t->run;
    const TrainSetup *s = &r->s;
    size_t n = r->train.n, B = (size_t)s->batch;
    r->state = atomic_load_explicit(&t->pause, memory_order_acquire) ? TRAIN_PAUSED : TRAIN_RUNNING;
    publish(t, true); /* the initial weights */
    while (r->epoch < s->epochs) {
        rng_shuffle_u32(&r->rng, r->perm, n);
        double sum_l = 0, sum_r = 0, sum_k = 0;
        size_t done = 0;
        r->batch_i = 0;
        for (size_t bi = 0; bi < r->batches; bi++) {
            bool stepped;
            if (!control_point(t, &stepped))
                return err_set(e, ERR_CANCELLED, "stopped");
            size_t first = bi * B;
            int b = n - first < B ? (int)(n - first) : (int)B;
            double t0 = timer_now();
            VaeLoss l;
            int rc = train_batch(t, first, b, &l, e);
            if (rc == ERR_NUMERIC) {
                snprintf(r->message, sizeof r->message,
                         "Training stopped: the loss became NaN or infinite in epoch %d, "
                         "batch %zu (a lower learning rate may help). The weights are the "
                         "last good ones.",
                         r->epoch + 1, bi + 1);
                return rc;
            }
            if (rc != ERR_OK)
                return rc;
            double now = timer_now();
            r->rate_n = r->rate_n * RATE_DECAY + b;
            r->rate_t = r->rate_t * RATE_DECAY + (now - t0);
            if (r->nbh < r->cap_bh)
                r->bh[r->nbh++] = (TrainBatchLoss){(float)l.loss, (float)l.recon, (float)l.kl};
            sum_l += l.loss * b;
            sum_r += l.recon * b;
            sum_k += l.kl * b;
            done += (size_t)b;
            r->steps++;
            r->batch_i = bi + 1;
            bool weights_due = now - r->last_weights >= (s->publish_ms > 0 ? s->publish_ms : 100) / 1000.0;
            if (stepped || weights_due || now - r->last_pub >= PUBLISH_MIN_S)
                publish(t, stepped || weights_due);
            if (r->p.delay_ms > 0 && !stepped)
                slow_motion(t, now);
        }
        /* The epoch is complete: record it, measure the test loss, save. */
        r->epoch++;
        r->batch_i = 0;
        VaeEpochLoss el = {sum_l / (double)done, sum_r / (double)done, sum_k / (double)done,
                           NAN, NAN, NAN};
        if (r->test.n > 0) {
            VaeEvalOpts eo;
            vae_eval_opts_default(&eo);
            eo.threads = r->threads;
            eo.cancel = &t->stop;
            eo.seed = (uint64_t)r->epoch;
            VaeEval te;
            Err ee = {0};
            int rc = vae_evaluate(&r->v, &r->test, &eo, &te, &ee);
            if (rc == ERR_OK) {
                el.test_recon = te.recon;
                el.test_kl = te.kl;
                el.test = te.recon + (double)r->p.beta * te.kl;
            } else if (rc != ERR_CANCELLED) {
                *e = ee;
                return rc;
            }
        }
        if (vae_file_info_push(&r->info, &el, e) != ERR_OK)
            return e->code;
        save(t);
        publish(t, true);
    }
    return ERR_OK;
}

static void release(Run *r)
{
    if (r->have_v)
        vae_free(&r->v);
    r->have_v = false;
    vae_file_info_free(&r->info);
    if (r->own_ds)
        dataset_free(&r->ds);
    r->own_ds = false;
    free(r->perm);
    free(r->xb);
    free(r->eps);
    free(r->bh);
    r->perm = NULL;
    r->xb = r->eps = NULL;
    r->bh = NULL;
    r->nbh = r->cap_bh = 0;
}

static void *run_main(void *arg)
{
    Trainer *t = arg;
    Run *r = &t->run;
    Err e = {0};
    int rc = prepare(t, &e);
    if (rc == ERR_OK)
        rc = run_epochs(t, &e);
    /* Messages name the file; the snapshot's save_path has the full path. */
    const char *path = strrchr(r->s.save_path, '/') ? strrchr(r->s.save_path, '/') + 1
                                                     : r->s.save_path;
    if (rc == ERR_OK) {
        r->state = TRAIN_DONE;
        snprintf(r->message, sizeof r->message, "Trained %d epoch%s (%ld in all)%s%.200s.", r->epoch,
                 r->epoch == 1 ? "" : "s", r->epochs_before + r->epoch,
                 r->saved_epochs >= 0 && path[0] ? "; saved to " : "",
                 r->saved_epochs >= 0 && path[0] ? path : "");
    } else if (rc == ERR_CANCELLED) {
        r->state = TRAIN_STOPPING;
        publish(t, false);
        if (r->steps > r->steps_saved)
            save(t);
        r->state = TRAIN_DONE;
        if (r->saved_epochs >= 0 && path[0] && r->steps_saved == r->steps)
            snprintf(r->message, sizeof r->message,
                     "Stopped in epoch %d after %llu batches; saved to %.200s.", r->epoch + 1,
                     (unsigned long long)r->steps, path);
        else
            snprintf(r->message, sizeof r->message, "Stopped in epoch %d after %llu batches%s.",
                     r->epoch + 1, (unsigned long long)r->steps,
                     r->save_error[0] ? " (not saved: see the error)" : "");
    } else {
        r->state = TRAIN_FAILED;
        if (rc != ERR_NUMERIC)
            snprintf(r->message, sizeof r->message, "Training failed: %s", e.msg);
        else if (r->saved_epochs >= 0 && path[0]) {
            size_t k = strlen(r->message);
            snprintf(r->message + k, sizeof r->message - k, " %.200s holds epoch %d.", path,
                     r->saved_epochs);
        }
    }
    publish(t, true);
    release(r);
    return NULL;
}

int train_start(Trainer *t, const TrainSetup *s, Err *e)
{
    if (t->active) {
        pthread_mutex_lock(&t->snap_lock);
        TrainState st = t->front->state;
        pthread_mutex_unlock(&t->snap_lock);
        if (!train_state_finished(st))
            return err_set(e, ERR_ARG, "training is still running; stop it first");
        train_join(t);
    }
    if (s->batch < 1 || s->batch > 4096)
        return err_set(e, ERR_ARG, "batch %d outside 1..4096", s->batch);
    if (s->epochs < 1 || s->epochs > TRAIN_MAX_EPOCHS)
        return err_set(e, ERR_ARG, "epochs %d outside 1..%d", s->epochs, TRAIN_MAX_EPOCHS);
    if (s->threads < 0 || s->threads > NN_MAX_THREADS)
        return err_set(e, ERR_ARG, "threads %d outside 0..%d", s->threads, NN_MAX_THREADS);
    if (s->precision != NN_PREC_AUTO && s->precision != NN_PREC_FP32 &&
        s->precision != NN_PREC_BF16)
        return err_set(e, ERR_ARG, "unknown precision %d", (int)s->precision);
    if (!s->init_path[0] && vae_config_check(&s->cfg, e) != ERR_OK)
        return e->code;
    if (!s->train && !dataset_find(s->dataset))
        return err_set(e, ERR_ARG, "unknown dataset '%s' (expected mnist or fashion)",
                       s->dataset);

    Run *r = &t->run;
    memset(r, 0, sizeof *r);
    r->s = *s;
    r->id = ++t->runs;
    r->state = TRAIN_STARTING;
    r->saved_epochs = -1;
    r->t_start = timer_now();
    r->last_weights = -1e9;
    r->p = s->params;
    clamp_params(&r->p);
    snprintf(r->message, sizeof r->message, "Starting\xe2\x80\xa6");

    pthread_mutex_lock(&t->ctl_lock);
    t->params = r->p;
    atomic_store_explicit(&t->stop, 0, memory_order_release);
    atomic_store_explicit(&t->pause, s->start_paused, memory_order_release);
    atomic_store_explicit(&t->steps, 0, memory_order_release);
    pthread_mutex_unlock(&t->ctl_lock);

    /* Readers see the new run (empty, starting) from now on. */
    pthread_mutex_lock(&t->snap_lock);
    TrainSnapshot *f = t->front;
    f->run = r->id;
    f->state = TRAIN_STARTING;
    snprintf(f->message, sizeof f->message, "%s", r->message);
    f->save_error[0] = '\0';
    f->cfg = s->cfg;
    snprintf(f->dataset, sizeof f->dataset, "%s", s->dataset);
    snprintf(f->save_path, sizeof f->save_path, "%s", s->save_path);
    f->n_batch_hist = 0;
    f->n_epoch_hist = 0;
    f->weights_version = 0;
    f->weights_step = 0;
    f->epoch = 0;
    f->epochs = s->epochs;
    f->batch_i = f->batches = 0;
    f->steps = 0;
    f->samples_per_s = f->eta_s = f->elapsed_s = 0;
    f->saved_epochs = -1;
    f->used = r->p;
    f->seq = ++t->seq;
    pthread_mutex_unlock(&t->snap_lock);

    if (pthread_create(&t->thread, NULL, run_main, t) != 0) {
        pthread_mutex_lock(&t->snap_lock);
        t->front->state = TRAIN_FAILED;
        snprintf(t->front->message, sizeof t->front->message,
                 "Cannot start the training thread.");
        t->front->seq = ++t->seq;
        pthread_mutex_unlock(&t->snap_lock);
        return err_set(e, ERR_NOMEM, "cannot start the training thread");
    }
    t->active = true;
    return ERR_OK;
}

bool train_active(const Trainer *t)
{
    return t->active;
}

double train_join(Trainer *t)
{
    if (!t->active)
        return 0;
    double t0 = timer_now();
    pthread_join(t->thread, NULL);
    t->active = false;
    return timer_now() - t0;
}
