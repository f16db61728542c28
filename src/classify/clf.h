/* clf: the small digit classifier zspace trains itself, to judge images the
 * VAEs make (the study's sample quality) and to name the class of any image.
 *
 * Model: an MLP X -> H (ReLU) -> C logits -> softmax, C = 10 classes,
 * trained with softmax cross-entropy (mean over the batch) and Adam, built
 * from the nn layers (linear_forward / linear_backward_*, adam_step). The
 * default 784-256-10 reaches ~98% MNIST test accuracy in a few epochs.
 *
 * Parameters, gradients and Adam moments are four flat arrays of n_params
 * floats laid out as fc1.weight (H, X) | fc1.bias (H) | fc2.weight (C, H) |
 * fc2.bias (C): PyTorch nn.Linear names and (out, in) order, so the
 * safetensors file (clf_save) is a state_dict of two Linear layers.
 *
 * Thread rule: a Clf (and its scratch) is owned by one thread at a time; its
 * calls run on the calling thread only (OpenBLAS as the process set it).
 * Determinism: the same seed, data and options give bit-identical
 * parameters. */
#ifndef ZSPACE_CLASSIFY_CLF_H
#define ZSPACE_CLASSIFY_CLF_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/rng.h"
#include "data/dataset.h"

enum {
    CLF_CLASSES = DATASET_CLASSES, /* C */
    CLF_MAX_HIDDEN = 8192,
    CLF_DEFAULT_HIDDEN = 256,
};

typedef struct {
    int x, h, c;     /* X pixels, H hidden width, C classes */
    int max_batch;   /* largest B of one pass; longer inputs are chunked */
    size_t n_params; /* floats in each array below */
    float *params;   /* fc1.weight (H, X) | fc1.bias (H) | fc2.weight (C, H) | fc2.bias (C) */
    float *grads;    /* d(mean loss over the batch)/d params, same layout */
    float *adam_m, *adam_v;
    long adam_t;
    float *hid;      /* (max_batch, H) ReLU activations of the last forward */
    float *logits;   /* (max_batch, C) logits, then softmax gradients */
    float *dhid;     /* (max_batch, H) */
} Clf;

/* Allocate for X pixels and hidden width h (1..CLF_MAX_HIDDEN) and
 * initialize like PyTorch's nn.Linear (U(-1/sqrt(in), 1/sqrt(in)) from
 * seed). max_batch 0 means 128. On failure *m is zeroed. */
int clf_init(Clf *m, int x, int h, int max_batch, uint64_t seed, Err *e);
void clf_free(Clf *m);

/* Views into a parameter-layout array (params, grads, adam_m or adam_v). */
typedef struct {
    float *w1, *b1, *w2, *b2; /* (H, X), (H), (C, H), (C) */
} ClfTensors;
ClfTensors clf_tensors(const Clf *m, float *base);

/* probs (N, C): softmax class probabilities of x (N, X) in [0, 1]. Any N.
 * Overwrites probs. */
void clf_predict(Clf *m, const float *x, size_t n, float *probs);

/* One training step on x (B, X), labels (B), B = 1..max_batch: forward,
 * mean cross-entropy into *loss (may be NULL), backward, Adam with lr.
 * ERR_NUMERIC (nothing updated) if the loss is not finite. */
int clf_train_step(Clf *m, const float *x, const uint8_t *labels, int b, float lr, double *loss,
                   Err *e);

typedef struct {
    int batch; /* default 128 (<= max_batch) */
    float lr;  /* default 1e-3 */
    /* After every batch, on the calling thread: batches done / in the epoch. */
    void (*progress)(void *user, size_t done, size_t total, double loss);
    void *user;
    const atomic_int *cancel; /* checked before every batch; may be NULL */
} ClfTrainOpts;

void clf_train_opts_default(ClfTrainOpts *o);

/* One epoch over train in a fresh permutation from rng; *loss (may be NULL)
 * gets the mean cross-entropy. ERR_CANCELLED if cancel was raised. */
int clf_train_epoch(Clf *m, const DataSplit *train, Rng *rng, const ClfTrainOpts *o,
                    double *loss, Err *e);

/* The whole recipe, used by `zspace classify train` and the study alike so a
 * classifier is the same whoever trains it: epochs passes over train with
 * shuffling from rng_split of seed (the init uses seed itself). o->progress,
 * if set, sees batches counted over all epochs. */
int clf_train(Clf *m, const DataSplit *train, int epochs, uint64_t seed, const ClfTrainOpts *o,
              double *last_loss, Err *e);

/* Index of the largest of p[0..c) (the first on ties). */
int clf_argmax(const float *p, int c);

/* Accuracy of the argmax of probs (N, C) against labels; per_class_correct
 * and per_class_count (C each, may be NULL) receive the counts by true
 * label. Returns correct / N (0 when N is 0). */
double clf_accuracy_of(const float *probs, const uint8_t *labels, size_t n, int c,
                       size_t *per_class_correct, size_t *per_class_count);

/* ---- files (clf_io.c) ---- */

/* Default classifier file of a dataset:
 * $XDG_CACHE_HOME/zspace/classifier-<dataset>.safetensors (XDG_CACHE_HOME
 * defaults to ~/.cache). */
void clf_default_path(const char *dataset, char *buf, size_t size);

#define CLF_ARCHITECTURE "mlp-classifier"

/* What a classifier file says about how it was made. */
typedef struct {
    char dataset[32];    /* "mnist", "fashion" */
    long epochs;
    uint64_t seed;
    double test_accuracy; /* measured when it was trained; NaN if unknown */
} ClfInfo;

/* Save params and info atomically (safetensors: fc1.weight, fc1.bias,
 * fc2.weight, fc2.bias; metadata architecture, pixels, hidden, classes,
 * dataset, epochs, seed, test_accuracy, all strings). */
int clf_save(const char *path, const Clf *m, const ClfInfo *info, Err *e);
/* Load a file written by clf_save into a fresh *m (clf_init with max_batch;
 * 0 means 128); info may be NULL. Shapes, names and values (finite) are
 * checked; on failure *m is zeroed and e names the file and the problem. */
int clf_load(const char *path, Clf *m, int max_batch, ClfInfo *info, Err *e);

#endif
