/* view_train: the explorer's side of live training. The state
 * the UI thread keeps about the Trainer (src/train): its copy of the newest
 * snapshot, the "new model" form, the steering knobs, the live map (re-
 * encode requests to the encoder worker and the glide of points between
 * encodings) and the curve view's settings.
 *
 * Files (functions declared in app_impl.h):
 *   train_run.c  the trainer, starting default / continued / new runs, the
 *                T, Space and . keys; view_train applies the panel's actions
 *   train_live.c per frame: snapshots, new weights, re-encodes, glides
 *   train_dump.c the dump-state's "training"
 *   view_train.c the Training panel (train_panel): progress, start/pause/
 *                resume/stop, single step, beta slider, learning rate, slow
 *                motion, and the new-model form; the training views' layout
 *   view_curves  loss curves (total/recon/KL; train per batch smoothed over
 *                a faint raw trace, test per epoch; log scale; hover)
 *   view_klbars  KL per latent dimension, active units highlighted
 *                (view_curves.c)
 * A new run's fresh model replaces the shown one through model_open.c.
 *
 * Thread rule: everything here belongs to the main thread. The Trainer is
 * reached only through train.h (snapshots by copy, control by its setters);
 * the encoder worker through model_encode_request/poll. */
#ifndef ZSPACE_APP_VIEW_TRAIN_H
#define ZSPACE_APP_VIEW_TRAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "train/train.h"
#include "ui/ui.h"

/* Map refresh: re-encode the shown points at most every this many batches
 * (and only when the previous encoding is in, so a slow encode never queues
 * up work). */
#define APP_TRAIN_REENCODE_BATCHES 10
/* Seconds a point takes to glide to its newly encoded position. */
#define APP_TRAIN_GLIDE_S 0.45
/* Epochs of the embedded default model (what `zspace train` does). */
#define APP_TRAIN_DEFAULT_EPOCHS 10

/* The choices of the knobs and the new-model form (train_run.c); the
 * panel's state holds indices into them. */
enum {
    APP_TRAIN_N_LR = 4,
    APP_TRAIN_N_Z = 5,
    APP_TRAIN_N_HIDDEN = 4,
    APP_TRAIN_N_BATCH = 4,
    APP_TRAIN_N_DS = 2,
};
extern const float app_train_lr[APP_TRAIN_N_LR];
extern const int app_train_z[APP_TRAIN_N_Z]; /* presets; the form also takes any 1..VAE_MAX_Z */
extern const int app_train_hidden[APP_TRAIN_N_HIDDEN];
extern const int app_train_batch[APP_TRAIN_N_BATCH];
extern const char *const app_train_ds[APP_TRAIN_N_DS];

typedef struct {
    Trainer *t;           /* NULL if it could not be created */
    TrainSnapshot snap;   /* the newest snapshot taken */
    uint64_t model_run;   /* the run whose weights drive the shown model (0: none) */
    uint64_t applied;     /* weights_version last copied into the model */
    double last_take;     /* a->now of the last weights copy */
    uint64_t step_target; /* steps the run has once the asked single steps are done */
    bool joined_seen;     /* the finished run was joined and announced */
    uint32_t map_gen;     /* the shown model's generation (a->map) the above are about */

    /* steering (pushed with train_set_params when they change) */
    float beta, slow_ms;
    int lr_i; /* index into the learning-rate presets */
    /* new-model form; the free Z entry's text and its message */
    int ds_i, z, hidden_i, batch_i, epochs, seed;
    char z_text[8], z_error[80];

    /* live map */
    bool enc_inflight;                    /* a re-encode was requested and is not back */
    uint64_t enc_step;                    /* training step of the last requested weights */
    double enc_asked, enc_done, enc_took; /* a->now at request / result; duration */
    float *shown, *from;                  /* (N, 2) positions drawn / where the glide started */
    size_t n_shown;
    bool gliding;
    double glide_t0;
    float view_from[3], view_to[3]; /* cx, cy, scale: the fit glides too */
    bool view_glide;

    /* where the Training panel's buttons were drawn this frame (dump-state
     * reports them, so scripts can click them wherever the layout puts them) */
    struct {
        char id[24];
        UiRect r;
    } buttons[48];
    int nbuttons;

    /* curves */
    bool log_scale;
    UiRect r_train; /* where train_panel draws: the layout's, set each frame by view_train */
    int hover_dim;  /* KL bar under the mouse, -1 none */
} AppTrain;

/* What the Training panel shows besides its own state. */
typedef struct {
    bool live;         /* a run is active and not finished */
    bool can_train;    /* the trainer exists */
    bool can_continue; /* no run, and the shown model has a file to continue */
} TrainPanelIn;

/* What the user did in the Training panel this frame (bits). */
enum {
    TRAIN_ACT_PAUSE = 1,
    TRAIN_ACT_RESUME = 2,
    TRAIN_ACT_STEP = 4, /* one batch through the pause */
    TRAIN_ACT_STOP = 8,
    TRAIN_ACT_CONTINUE = 16, /* the shown model's file, `epochs` more epochs */
    TRAIN_ACT_NEW = 32,      /* a new model from the form */
    TRAIN_ACT_PARAMS = 64,   /* beta, learning rate or slow motion changed */
};

/* The Training panel in tr->r_train: edits the knobs, the form and the
 * button list of tr, reads its snapshot; returns TRAIN_ACT_* bits. */
int train_panel(Ui *ui, AppTrain *tr, const TrainPanelIn *in);
/* The panel's knobs as a new window shows them (beta 1, lr 1e-3, MNIST,
 * Z = 2, the default epochs, log-scale curves); the trainer is not touched. */
void train_panel_defaults(AppTrain *tr);

#endif
