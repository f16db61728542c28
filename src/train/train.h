/* train: training a Vae on a worker thread while a UI watches and steers.
 *
 * One Trainer runs at most one training run at a time on its own thread.
 * The trainer thread owns the model, the optimizer state, the dataset it
 * trains on (loaded in the thread, unless the caller lends splits) and the
 * batch buffers; nothing else touches them. Two things cross threads:
 *
 *   control in   atomic flags the UI sets at any time: stop (finish the
 *                current batch, save, exit), pause, single-step requests;
 *                and a parameter block (beta, learning rate, slow-motion
 *                delay) behind a mutex, read by the trainer at every batch
 *                boundary, so beta may change from one batch to the next.
 *   snapshots    TrainSnapshot, double-buffered: the trainer fills the back
 *   out          buffer (no lock), then under a mutex swaps it with the front
 *                and bumps `seq`. Readers copy the front under that mutex
 *                (train_snapshot_take: memcpy only, no computation), so the
 *                trainer never waits longer than one copy and a reader never
 *                sees a half-written snapshot.
 *
 * The trainer calls setup.notify (e.g. a function that does SDL_PushEvent)
 * after each publish, so this module does not depend on SDL.
 *
 * Safety: at every epoch end the model is evaluated on the test split and
 * saved atomically (vae_save) to setup.save_path. A stop saves the state
 * after the last complete batch (epochs in the file count complete passes)
 * and the thread exits within one batch plus the save. A NaN/Inf loss stops
 * the run (TRAIN_FAILED with a message); the weights stay those of the last
 * good step (the file keeps the last epoch-end save). Errors (unreadable
 * model, missing dataset, disk full) become the snapshot's message, never a
 * crash; a failed autosave does not stop training.
 *
 * Thread rule: the train_* functions below are called from one controlling
 * thread (the UI), except train_snapshot_take, train_set_params and
 * train_get_params, which any thread may call. A TrainSnapshot filled by
 * train_snapshot_take belongs to the caller. */
#ifndef ZSPACE_TRAIN_TRAIN_H
#define ZSPACE_TRAIN_TRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "data/dataset.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

typedef enum {
    TRAIN_IDLE,     /* no run has been started */
    TRAIN_STARTING, /* loading the dataset and the model */
    TRAIN_RUNNING,
    TRAIN_PAUSED,
    TRAIN_STOPPING, /* stop requested: finishing the batch, saving */
    TRAIN_DONE,     /* all epochs trained, or stopped; the thread has ended */
    TRAIN_FAILED,   /* error or NaN/Inf loss (see message); the thread has ended */
} TrainState;

/* Steerable while running (read at each batch boundary). */
typedef struct {
    float beta;   /* KL weight, 0..1000 */
    float lr;     /* Adam learning rate, (0, 1] */
    int delay_ms; /* slow motion: pause between batches, 0..10000 */
} TrainParams;

enum {
    TRAIN_MAX_EPOCHS = 10000,
    TRAIN_MAX_BATCH_HISTORY = 1 << 20, /* per-batch entries kept per run; later batches are not recorded */
};

typedef struct {
    /* The model: a new one from cfg and seed, or, when init_path is not
     * empty, the model in that file (its config; cfg is then ignored). */
    VaeConfig cfg;
    char init_path[4096];
    uint64_t seed;       /* init (new model), shuffling and noise */
    /* The data: splits lent by the caller (read-only, must outlive the
     * run), or when train is NULL the named dataset, loaded in the thread. */
    char dataset[32];    /* "mnist" or "fashion"; recorded in the file either way */
    const DataSplit *train, *test;
    size_t train_limit;  /* train on the first N images; 0 = all */
    size_t test_limit;   /* evaluate on the first N test images; 0 = all */
    int batch;           /* 1..4096 */
    int epochs;          /* epochs to train in this run, 1..TRAIN_MAX_EPOCHS */
    TrainParams params;  /* initial beta, lr, delay */
    bool start_paused;   /* wait for resume or a single step before the first batch */
    char save_path[4096]; /* autosave target; "" = never save */
    int threads;         /* compute threads for the model; 0 = train_default_threads() */
    NnPrecision precision; /* training precision (nn/gemm.h): auto (the default), fp32, bf16;
                            * bf16 where unavailable fails the run with its one line */
    int publish_ms;      /* least interval between weight copies into snapshots; 0 = 100 */
    /* Called on the trainer thread after every publish; quick and thread-
     * safe (it may not call train_*). NULL: none. */
    void (*notify)(void *user);
    void *notify_user;
} TrainSetup;

/* One batch's losses, nats per sample (loss = recon + beta * kl). */
typedef struct {
    float loss, recon, kl;
} TrainBatchLoss;

/* What a reader sees. Arrays are owned by the snapshot (train_snapshot_free). */
typedef struct {
    uint64_t seq;          /* publish counter of the Trainer (0 = nothing yet) */
    uint64_t run;          /* which run (1, 2, ...) this describes */
    TrainState state;
    char message[512];     /* failure reason, or what was saved where */
    char save_error[256];  /* last failed autosave ("" if none); training went on */

    /* the run */
    VaeConfig cfg;         /* the model's config (beta as last used) */
    char dataset[32];
    char save_path[4096];
    int threads;           /* compute threads the trainer uses */
    NnPrecision precision; /* NN_PREC_FP32 or NN_PREC_BF16 once the model is set up */
    int batch;
    size_t n_train, n_test; /* images trained on / evaluated on */
    TrainParams used;      /* the parameter block as last read by the trainer */

    /* progress */
    long epochs_before;    /* epochs the model had when the run started */
    int epoch;             /* epochs completed in this run */
    int epochs;            /* epochs this run will train */
    size_t batch_i;        /* batches done in the current epoch */
    size_t batches;        /* batches per epoch */
    uint64_t steps;        /* batches trained in this run */
    double samples_per_s;  /* recent throughput while training (not paused) */
    double eta_s;          /* seconds to the end of the run at that rate; 0 when done */
    double elapsed_s;      /* time since the run started */
    int saved_epochs;      /* epochs in the last successful save, -1 = none yet */

    /* latent usage: mean KL per dimension over recent training batches */
    float kl_dim[VAE_MAX_Z];

    /* weights: the whole parameter vector (Vae.params, the layout vae.h
     * gives cfg), copied at most every setup.publish_ms and at every pause,
     * single step, epoch end and the end of the run */
    size_t n_weights;
    float *weights;          /* (n_weights); NULL until taken with want_weights */
    uint64_t weights_step;   /* steps trained when these weights were copied */
    uint64_t weights_version; /* 1, 2, ... per copy within the run; 0 = none */

    /* history: one entry per batch of this run, one per epoch (including the
     * epochs the model had before the run, from its file) */
    size_t n_batch_hist, cap_batch_hist;
    TrainBatchLoss *batch_hist;
    int n_epoch_hist, cap_epoch_hist;
    VaeEpochLoss *epoch_hist;
} TrainSnapshot;

typedef struct Trainer Trainer;

/* Online CPUs minus one (the UI keeps a core), at least 1. */
int train_default_threads(void);
const char *train_state_name(TrainState s);
/* True for TRAIN_DONE and TRAIN_FAILED (the thread has ended or is ending). */
bool train_state_finished(TrainState s);

/* A setup with the CLI's defaults: Z 2, hidden 512, beta 1, lr 1e-3,
 * batch 128, 10 epochs, seed 0, dataset mnist, no saving. */
void train_setup_default(TrainSetup *s);

/* A trainer with no run. *out is NULL on failure. */
int train_new(Trainer **out, Err *e);
/* Stop and join a run in progress (which saves), then free. NULL is fine. */
void train_free(Trainer *t);

/* Start a run on a new thread. The previous run must have finished (its
 * snapshot says DONE or FAILED, or none was started); it is joined here.
 * ERR_ARG when a run is still active or the setup is out of range. */
int train_start(Trainer *t, const TrainSetup *s, Err *e);
/* True from train_start until the run's thread has been joined. */
bool train_active(const Trainer *t);
/* Ask the run to stop (save and exit); returns at once. */
void train_stop(Trainer *t);
/* Wait for the run's thread to end (after train_stop or when finished) and
 * join it. Returns how long it waited, in seconds. */
double train_join(Trainer *t);
/* Pause or resume at the next batch boundary. */
void train_pause(Trainer *t, bool pause);
/* While paused: train exactly one more batch, then stay paused. */
void train_single_step(Trainer *t);

/* Replace the parameter block (values are clamped to their ranges). */
void train_set_params(Trainer *t, const TrainParams *p);
void train_get_params(Trainer *t, TrainParams *p);

/* Copy the front snapshot into dst if its seq differs from dst->seq (or a
 * new run started): scalars, history (only the entries dst lacks) and, with
 * want_weights, the weights when they are newer than dst's. Returns true
 * when anything was copied. dst starts zeroed ({0}); its arrays grow here. */
bool train_snapshot_take(Trainer *t, TrainSnapshot *dst, bool want_weights);
/* Just the front's seq (cheap: no copy). */
uint64_t train_seq(Trainer *t);
void train_snapshot_free(TrainSnapshot *s);

/* Load dst's weights into v (same config: ERR_ARG otherwise). */
int train_snapshot_weights(const TrainSnapshot *s, Vae *v, Err *e);

#endif
