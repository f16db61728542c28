/* view_train: the explorer's side of live training (issue 5). The state
 * the UI thread keeps about the Trainer (src/train): its copy of the newest
 * snapshot, the "new model" form, the steering knobs, the live map (re-
 * encode requests to the encoder worker and the glide of points between
 * encodings) and the curve view's settings.
 *
 * Views (functions declared in app_impl.h):
 *   view_train   the Training panel: progress, start/pause/resume/stop,
 *                single step, beta slider, learning rate, slow motion, and
 *                the new-model form (view_train.c)
 *   view_curves  loss curves (total/recon/KL; train per batch smoothed over
 *                a faint raw trace, test per epoch; log scale; hover)
 *   view_klbars  KL per latent dimension, active units highlighted
 *                (view_curves.c)
 *
 * Thread rule: everything here belongs to the main thread. The Trainer is
 * reached only through train.h (snapshots by copy, control by its setters);
 * the encoder worker through model_encode_request/poll. */
#ifndef ZSPACE_APP_VIEW_TRAIN_H
#define ZSPACE_APP_VIEW_TRAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "train/train.h"
#include "ui/cmd.h"

/* Map refresh: re-encode the shown points at most every this many batches
 * (and only when the previous encoding is in, so a slow encode never queues
 * up work). */
#define APP_TRAIN_REENCODE_BATCHES 10
/* Seconds a point takes to glide to its newly encoded position. */
#define APP_TRAIN_GLIDE_S 0.45
/* Epochs of the embedded default model (what `zspace train` does). */
#define APP_TRAIN_DEFAULT_EPOCHS 10

typedef struct {
    Trainer *t;              /* NULL if it could not be created */
    TrainSnapshot snap;      /* the newest snapshot taken */
    uint64_t model_run;      /* the run whose weights drive the shown model (0: none) */
    uint64_t applied;        /* weights_version last copied into the model */
    double last_take;        /* a->now of the last weights copy */
    uint64_t step_target;    /* steps the run has once the asked single steps are done */
    bool joined_seen;        /* the finished run was joined and announced */

    /* steering (pushed with train_set_params when they change) */
    float beta, slow_ms;
    int lr_i;                /* index into the learning-rate presets */
    /* new-model form */
    int ds_i, z, hidden_i, batch_i, epochs, seed;

    /* live map */
    bool enc_inflight;       /* a re-encode was requested and is not back */
    uint64_t enc_step;       /* training step of the last requested weights */
    double enc_asked, enc_done, enc_took; /* a->now at request / result; duration */
    float *shown, *from;     /* (N, 2) positions drawn / where the glide started */
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
    UiRect r_train, r_curves, r_kl;
    int hover_dim;           /* KL bar under the mouse, -1 none */
} AppTrain;

#endif
