/* model: the explorer's model and data, and the encoder worker.
 *
 * The UI thread loads the model file itself (a few MB: fast) and keeps that
 * Vae as its own copy for decoding (one z is tens of microseconds). The
 * worker gets a second Vae with the same parameters, loads the dataset,
 * encodes the points shown on the map and computes each latent dimension's
 * mean KL, then publishes once.
 *
 * Thread rule (the shared state of ModelJob):
 *   - The worker writes the result fields (ds, mu, logvar, labels, n, kl_dim,
 *     err) while `state` is MODEL_WORKING, then locks `mu_lock`, sets `state`
 *     to MODEL_READY or MODEL_FAILED, bumps `seq`, unlocks, and wakes the UI
 *     with wake(wake_user) when wake is set. It never touches them again.
 *   - The UI thread reads `state`/`seq` under `mu_lock`; once it has seen
 *     MODEL_READY it reads the result fields without the lock (they are
 *     immutable from then on) until model_job_free joins the thread.
 *   - `cancel` (atomic) asks the worker to stop early (window closed).
 *
 * Re-encoding (live training): after the first publish the worker stays
 * alive and waits on `req_cond` for new weights. The UI fills a weights
 * buffer of its own, then under `mu_lock` swaps it with `req_weights`, sets
 * `req_pending` and signals (only pointers move under the lock; the newest
 * request wins). The worker swaps the inbox with its private `work_weights`,
 * encodes into its private back buffers (back_*), then under `mu_lock`
 * swaps them with the published out_* buffers, bumps `out_seq` and wakes
 * the UI. model_encode_poll, on the UI thread, swaps out_* with the UI's
 * mu/logvar/kl_dim under the lock. So mu/logvar/kl_dim above change only
 * on the UI thread, inside model_encode_poll, and stay the UI's to read. */
#ifndef ZSPACE_EXPLORE_MODEL_H
#define ZSPACE_EXPLORE_MODEL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "data/dataset.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

enum { MODEL_NONE, MODEL_WORKING, MODEL_READY, MODEL_FAILED };

typedef struct {
    /* inputs, set before the thread starts */
    Vae vae;            /* the worker's own copy */
    char dataset[32];
    bool all_points;
    void (*wake)(void *user); /* called on the worker after each publish */
    void *wake_user;

    /* results: see the thread rule above */
    Dataset ds;
    size_t n;           /* N points on the map */
    int z;              /* Z */
    float *mu;          /* (N, Z) posterior means */
    float *logvar;      /* (N, Z) posterior log-variances */
    uint8_t *labels;    /* (N) */
    float *kl_dim;      /* (Z) mean KL of each latent dimension, nats */
    Err err;

    pthread_mutex_t mu_lock;
    int state;
    uint64_t seq;
    atomic_int cancel;
    pthread_t thread;
    bool started;

    /* re-encoding with new weights: see the thread rule above */
    pthread_cond_t req_cond;       /* signalled with mu_lock held: request or cancel */
    float *req_weights;            /* (n_params) inbox, mu_lock */
    bool req_pending;              /* mu_lock */
    uint64_t req_tag;              /* caller's tag of the inbox weights, mu_lock */
    float *out_mu, *out_logvar, *out_kl; /* published result, mu_lock */
    uint64_t out_seq, out_tag;     /* mu_lock */
    float *back_mu, *back_logvar, *back_kl; /* worker only */
    float *work_weights;           /* worker only */
    float *ui_weights;             /* UI only: filled before a request */
    uint64_t ui_seen;              /* UI only: out_seq last taken */
    uint64_t reencodes;            /* UI only: re-encodes taken */
} ModelJob;

/* The explorer's model as the UI thread sees it. */
typedef struct {
    bool loaded;
    char path[4096];
    char name[256];      /* file name, for the status bar */
    Vae vae;             /* UI thread's copy, used for decoding */
    VaeFileInfo info;
    double test_loss;    /* last epoch's test loss, NaN if unknown */
    char dataset[32];    /* the dataset shown */
    ModelJob job;
} Model;

/* Load the model file on the calling (UI) thread. ERR_IO if it does not
 * exist (the caller shows how to create it); any other code is a bad file. */
int model_load(Model *m, const char *path, const char *dataset, Err *e);
/* Start the encoder worker on a copy of the loaded model. wake (may be
 * NULL) is called with user on the worker thread after each publish. */
int model_start_encode(Model *m, bool all_points, void (*wake)(void *user), void *user,
                       Err *e);
/* The job's state (MODEL_*) and seq, read under the lock. */
int model_job_state(ModelJob *j, uint64_t *seq);
/* Pixels (X floats in [0, 1]) of map point i: test images, then train. */
const float *model_point_image(const ModelJob *j, size_t i);
/* A model not read from a file (a training run creates it): config cfg,
 * weights from seed (the trainer's init gives the same ones), shown on
 * dataset; path is where the run saves it. */
int model_init_new(Model *m, const VaeConfig *cfg, uint64_t seed, const char *dataset,
                   const char *path, Err *e);
/* Ask the worker to re-encode the map's points with these weights (n_params
 * floats, the layout of m->vae); tag comes back with the result. The
 * newest request replaces one not yet started. UI thread; needs the job
 * started. */
void model_encode_request(Model *m, const float *weights, uint64_t tag);
/* Take a finished re-encode into job.mu/logvar/kl_dim (pointer swaps under
 * the lock). Returns true when new results arrived; *tag gets their tag. */
bool model_encode_poll(Model *m, uint64_t *tag);
/* Cancel and join the worker, free everything. */
void model_free(Model *m);

#endif
