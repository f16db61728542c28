/* study: the blog's experiments (../shared/seed/vae-mnist-blog.md) as one
 * measured, reproducible run: train (or reuse) six VAEs, measure each with
 * the engine's evaluation and the classifier (metrics.h), judge the blog's
 * claims against the numbers (study_claims), write report/README.md
 * (study_report.c).
 *
 * The models: Z=2 beta=1, Z=64 beta=1, Z=2 beta=0, Z=2 beta=10, Z=64 beta=0,
 * Z=64 beta=10, all with one hidden layer of `hidden` units, trained exactly
 * as `zspace train` does (same seeding: vae_init from seed, shuffling and
 * noise from rng_split of seed), batch 128, lr 1e-3.
 *
 * Cache: each model lives in <cache_dir>/study-<dataset>-z<Z>-b<beta>-
 * h<H>-e<E>-s<seed>.safetensors (with "-n<limit>" when the training set was
 * cut). A file there is reused only if its metadata matches exactly:
 * dataset, latent, beta, hidden, epochs, seed (and its loss history has one
 * entry per epoch); otherwise it is retrained and replaced.
 *
 * Per model (StudyModel), on the test split (cut to test_limit if set):
 *   eval        vae_evaluate on the whole split: -ELBO (beta 1), recon, KL,
 *               active units; and IWAE with K = iw_k on the first iw_n images
 *   knn         leave-one-out 10-NN label accuracy of the latent means (exact)
 *   prior       n_samples decodes of z ~ N(0, I), scored by the classifier
 *   post        one z ~ q(z|x) for each of the first n_samples test images,
 *               decoded and scored (accuracy: against the image's label)
 *   recon_acc   per class: classifier accuracy on the decoded latent means of
 *               every test image of that class ("can this model draw a c?")
 *   blur        metric_blur of the prior and posterior decodes
 *   walks       straight lines in latent space from the latent mean of a test
 *               2 to that of a test 1 (the i-th 2 paired with the i-th 1, up
 *               to STUDY_WALKS pairs), STUDY_WALK_STEPS decodes each, ends
 *               included: how many distinct other digits the classifier reads
 *               along the way (the blog's "we don't pass through many digits")
 * Decodes are pixel probabilities (the means of the Bernoulli pixels), as
 * the blog shows them.
 *
 * Thread rule: study_run runs on the calling thread and uses `threads`
 * threads inside the engine calls; the progress hook is called on the
 * calling thread; cancel may be set from any thread (or a signal handler). */
#ifndef ZSPACE_STUDY_STUDY_H
#define ZSPACE_STUDY_STUDY_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "classify/clf.h"
#include "core/err.h"
#include "data/dataset.h"
#include "study/metrics.h"
#include "vae/vae.h"
#include "vae/vae_eval.h"

enum {
    STUDY_MODELS = 6,
    STUDY_KNN_K = 10,
    STUDY_KEEP = 64,           /* decoded samples of each kind kept for the figures */
    STUDY_CLF_EPOCHS = 5,      /* the default classifier's training */
    STUDY_DEFAULT_EPOCHS = 20, /* keeps the default study within 15 minutes on 2 cores */
    STUDY_WALKS = 100,         /* walks from a 2 to a 1 */
    STUDY_WALK_STEPS = 16,     /* decodes per walk, both ends included */
    STUDY_WALK_FROM = 2,
    STUDY_WALK_TO = 1,
};

typedef struct {
    int z;
    float beta;
} StudySpec;

/* The six models, in report order. */
extern const StudySpec study_specs[STUDY_MODELS];

typedef enum {
    STUDY_STAGE_CLASSIFIER, /* training the classifier (done/total: batches) */
    STUDY_STAGE_TRAIN,      /* training a VAE (done/total: batches of this epoch) */
    STUDY_STAGE_EVAL,       /* -ELBO on the test split (images) */
    STUDY_STAGE_IWAE,       /* IWAE (images) */
    STUDY_STAGE_METRICS,    /* kNN and classifier metrics (steps) */
    STUDY_STAGE_FIGURES,    /* figures (steps) */
    STUDY_STAGE_MODEL_DONE, /* a model is measured: see StudyProgress.result */
} StudyStage;

typedef struct {
    StudyStage stage;
    int model, n_models; /* 0-based model index; -1 outside the per-model stages */
    int epoch, epochs;   /* STUDY_STAGE_TRAIN: 1-based epoch */
    size_t done, total;
    double loss;         /* training loss so far this epoch (STAGE_TRAIN, STAGE_CLASSIFIER) */
    double seconds;      /* since study_run started */
    const struct StudyModel *result; /* STUDY_STAGE_MODEL_DONE: that model's numbers */
} StudyProgress;

typedef struct {
    const char *dataset;   /* "mnist" or "fashion" */
    int epochs;            /* per model */
    int hidden;            /* H of every model */
    uint64_t seed;         /* training seed of every model; sampling seeds derive from it */
    int threads;           /* engine threads (0: nn_threads()) */
    NnPrecision precision; /* training precision (nn/gemm.h; default auto); bf16 models
                            * are cached under their own names ("-bf16") */
    size_t train_limit;    /* 0: the whole training split; else its first N images */
    size_t test_limit;     /* 0: the whole test split; else its first N images */
    int n_samples;         /* prior and posterior samples per model */
    int iw_k;              /* IWAE samples per image (0 skips IWAE) */
    size_t iw_n;           /* IWAE images (first of the test split) */
    const char *cache_dir; /* where models are cached (created if missing) */
    const char *clf_path;  /* classifier file; trained and saved there if absent */
    int clf_epochs;        /* epochs if the classifier has to be trained */
    void (*progress)(void *user, const StudyProgress *p);
    void *user;
    const atomic_int *cancel;
} StudyOpts;

/* mnist, STUDY_DEFAULT_EPOCHS epochs, hidden 512, seed 0, 1,000 samples,
 * IWAE K = 1000 on 1,000 images, the classifier's default path, cache_dir
 * NULL (the caller sets it: study_default_cache_dir). */
void study_opts_default(StudyOpts *o);
/* $XDG_CACHE_HOME/zspace/study (XDG_CACHE_HOME defaults to ~/.cache). */
void study_default_cache_dir(char *buf, size_t size);
/* The cache file of a spec under o into buf. */
void study_model_path(const StudyOpts *o, const StudySpec *s, char *buf, size_t size);

/* Everything measured about one model. */
typedef struct StudyModel {
    StudySpec spec;
    char path[4096];        /* its file in the cache */
    int reused;             /* loaded from the cache rather than trained */
    double train_seconds;   /* 0 when reused */
    double measure_seconds;
    VaeEval eval;           /* whole test split, no IWAE */
    double iwae_ll;         /* NaN when iw_k == 0 */
    int iw_k;
    size_t iw_n;
    MeanSe knn;             /* leave-one-out 10-NN accuracy of the latent means */
    SampleScore prior, post;
    MeanSe blur_prior, blur_post;
    MeanSe recon_acc;                 /* over the whole test split */
    double recon_class_acc[METRIC_CLASSES];
    size_t class_count[METRIC_CLASSES];
    size_t n_walks;         /* walks made (fewer when the split has fewer 2s or 1s) */
    MeanSe walk_others;     /* distinct digits other than 2 and 1 read along a walk */
    size_t n_keep;          /* decoded samples kept, <= STUDY_KEEP */
    float *prior_images;    /* (n_keep, X) owned: the first prior samples */
    float *post_images;     /* (n_keep, X) owned: the first posterior samples */
    uint8_t post_labels[STUDY_KEEP]; /* labels of the images those came from */
} StudyModel;

typedef struct {
    char dataset[32], title[32];
    int epochs, hidden;
    uint64_t seed;
    int threads;
    size_t n_train, n_test;
    int n_samples;
    char clf_path[4096];
    int clf_trained;        /* trained during this run (else loaded) */
    int clf_hidden;
    double clf_accuracy;    /* on the (possibly cut) test split, measured in this run */
    int n_models;
    StudyModel models[STUDY_MODELS];
    double t_start;         /* timer_now() when study_run started */
    double seconds;         /* wall time of study_run (callers may extend it to cover figures) */
} StudyResult;

/* Train or reuse the classifier and the six models and measure them.
 * The trained models are left in the cache; r owns the kept samples
 * (study_result_free). On failure r is freed and e says why. */
int study_run(const StudyOpts *o, StudyResult *r, Err *e);
void study_result_free(StudyResult *r);

/* Measure one model (used by study_run; public for tests): fills m except
 * spec, path, reused and train_seconds. The sampling noise derives from
 * seed. m->*_images are allocated here. */
int study_measure(Vae *v, Clf *c, const DataSplit *test, const StudyOpts *o, uint64_t seed,
                  StudyModel *m, Err *e);

/* Index of the model with this spec in r, or -1. */
int study_find(const StudyResult *r, int z, float beta);

/* ---- claims (study_claims.c) ---- */

enum { STUDY_MAX_CLAIMS = 8 };

typedef struct {
    const char *claim;   /* the blog's words (static) */
    Verdict verdict;     /* overall */
    char text[1536];     /* how the numbers bear on it, with the numbers */
} StudyClaim;

/* Judge the blog's claims from r; returns how many were written (the claims
 * whose models are missing from r are left out). */
int study_claims(const StudyResult *r, StudyClaim *out, int max);

/* ---- the report (study_report.c) ---- */

/* A figure the report links to: path relative to the report directory. */
typedef struct {
    char group[64];   /* the model it shows ("Z=2 β=1"); figures of one group are adjacent */
    char file[256];
    char caption[512];
} StudyFigure;

enum { STUDY_MAX_FIGURES = 64 };

typedef struct {
    int n;
    StudyFigure fig[STUDY_MAX_FIGURES];
    char missing[1024]; /* figures that could not be made and why ("" if none) */
} StudyFigures;

/* Draw the report's figures into dir (study_figures.c) for the models of
 * r (reloaded from their cache files) and list them in *f; a figure that
 * cannot be made is named in f->missing, not faked. Progress through
 * o->progress (STUDY_STAGE_FIGURES). */
int study_figures(const char *dir, const StudyOpts *o, const StudyResult *r, StudyFigures *f,
                  Err *e);

/* Write dir/README.md (table, per-class table, claims, figures, method) and
 * dir/results.json (every number), atomically; dir must exist. */
int study_write_report(const char *dir, const StudyResult *r, const StudyFigures *f, Err *e);

/* A report folder is one unit: its figures and files are written into a
 * staging folder "<out>/.partial-XXXXXX" (study_stage_open fills stage), and
 * only a finished report is moved into out, figures first and README.md
 * (which lists them) last, one rename each. An interrupted or failed run
 * calls study_stage_abort, which deletes the staging folder: out keeps the
 * previous report untouched. */
int study_stage_open(const char *out, char *stage, size_t size, Err *e);
int study_stage_commit(const char *stage, const char *out, Err *e);
void study_stage_abort(const char *stage);

#endif
