/* train_live: the live map of a training run (view_train.h). Per frame,
 * app_train_frame copies the newest TrainSnapshot (weights at most ~10 times
 * a second), loads new weights into the UI's decoding copy of the model,
 * asks the encoder worker to re-encode the map every few batches and glides
 * the points to their new places. Nothing here waits on the trainer except
 * the brief snapshot copy. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"

static float ease(float f)
{
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return f * f * (3 - 2 * f);
}

/* New encoder results are in job.mu: glide the drawn points (and, unless
 * the user moved the view, the fitted view) from where they are. */
static void start_glide(App *a)
{
    AppTrain *tr = &a->train;
    const ModelJob *j = &a->map.model.job;
    cursor_set_nearest(&a->cur, app_nearest_point(a, a->cur.z));
    if (a->cur.dim != 2 || !a->map.ready || tr->n_shown != j->n)
        return;
    memcpy(tr->from, tr->shown, j->n * 2 * sizeof *tr->from);
    tr->gliding = true;
    tr->glide_t0 = a->now;
    if (!a->map.view.user_moved) {
        MapView keep = a->map.view;
        map_reset_view(a);
        float to[3] = {a->map.view.cx, a->map.view.cy, a->map.view.scale};
        a->map.view = keep;
        tr->view_from[0] = keep.cx;
        tr->view_from[1] = keep.cy;
        tr->view_from[2] = keep.scale;
        memcpy(tr->view_to, to, sizeof to);
        tr->view_glide = true;
    }
}

static void glide_step(App *a)
{
    AppTrain *tr = &a->train;
    const ModelJob *j = &a->map.model.job;
    if (!tr->gliding)
        return;
    /* Moving 70,000 points redraws the whole point layer (~10 ms on a
     * software renderer): a frame with a click skips it, and a drag takes it
     * every other frame, so the decode under the mouse comes first. The
     * glide is timed by the clock, so it only loses frames, not time. */
    if (ui_mouse(&a->ui)->pressed || (ui_mouse(&a->ui)->down && (a->frames & 1)))
        return;
    float f = ease((float)((a->now - tr->glide_t0) / APP_TRAIN_GLIDE_S));
    for (size_t i = 0; i < 2 * j->n; i++)
        tr->shown[i] = tr->from[i] + (j->mu[i] - tr->from[i]) * f;
    gfx_points_set(&a->map.pts, tr->shown, j->labels, (int)j->n);
    if (tr->view_glide && a->map.view.user_moved)
        tr->view_glide = false; /* the user took over the view */
    if (tr->view_glide) {
        /* centre linearly, zoom geometrically */
        a->map.view.cx = tr->view_from[0] + (tr->view_to[0] - tr->view_from[0]) * f;
        a->map.view.cy = tr->view_from[1] + (tr->view_to[1] - tr->view_from[1]) * f;
        a->map.view.scale = tr->view_from[2] * powf(tr->view_to[2] / tr->view_from[2], f);
        map_clamp_view(&a->map.view);
    }
    if (f >= 1) {
        tr->gliding = false;
        tr->view_glide = false;
    }
}

/* The first map of a model: remember what is drawn, so glides start there. */
static void track_first_map(App *a)
{
    AppTrain *tr = &a->train;
    const ModelJob *j = &a->map.model.job;
    if (!a->map.ready || a->cur.dim != 2 || tr->n_shown == j->n)
        return;
    free(tr->shown);
    free(tr->from);
    tr->shown = malloc(j->n * 2 * sizeof *tr->shown);
    tr->from = malloc(j->n * 2 * sizeof *tr->from);
    if (!tr->shown || !tr->from) {
        free(tr->shown);
        free(tr->from);
        tr->shown = tr->from = NULL;
        tr->n_shown = 0;
        return;
    }
    memcpy(tr->shown, j->mu, j->n * 2 * sizeof *tr->shown);
    tr->n_shown = j->n;
}

void app_train_follow_model(App *a)
{
    AppTrain *tr = &a->train;
    if (tr->map_gen == a->map.generation)
        return;
    tr->map_gen = a->map.generation;
    tr->model_run = 0;
    tr->enc_inflight = tr->gliding = tr->view_glide = false;
    tr->n_shown = 0;
}

void app_train_frame(App *a)
{
    AppTrain *tr = &a->train;
    app_train_follow_model(a);
    if (!tr->t)
        return;
    track_first_map(a);
    TrainSnapshot *s = &tr->snap;
    bool ours = a->map.loaded && s->run != 0 && s->run == tr->model_run;
    bool want = ours && (a->now - tr->last_take >= 0.1 || train_state_finished(s->state));
    train_snapshot_take(tr->t, s, want);
    ours = a->map.loaded && s->run != 0 && s->run == tr->model_run;
    if (ours && s->weights && s->weights_version > tr->applied &&
        train_snapshot_weights(s, &a->map.model.vae, NULL) == ERR_OK) {
        tr->applied = s->weights_version;
        tr->last_take = a->now;
        cursor_stale(&a->cur); /* the decoder panel shows the newest weights */
        Model *m = &a->map.model;
        m->vae.cfg.beta = s->used.beta;
        m->info.epochs = s->epochs_before + s->epoch;
        if (s->n_epoch_hist > 0 && !isnan(s->epoch_hist[s->n_epoch_hist - 1].test))
            m->test_loss = s->epoch_hist[s->n_epoch_hist - 1].test;
        bool due = s->weights_step >= tr->enc_step + APP_TRAIN_REENCODE_BATCHES ||
                   (train_state_finished(s->state) && s->weights_step != tr->enc_step) ||
                   (s->state == TRAIN_PAUSED && s->weights_step != tr->enc_step);
        /* The encoder shares the window's core: let it work at most about
         * half the time (wait as long as the last encoding took). */
        bool rested = a->now - tr->enc_done >= tr->enc_took || train_state_finished(s->state);
        if (!tr->enc_inflight && due && rested) {
            model_encode_request(m, s->weights, s->weights_step);
            tr->enc_inflight = true;
            tr->enc_step = s->weights_step;
            tr->enc_asked = a->now;
        }
    }
    uint64_t tag;
    if (a->map.ready && model_encode_poll(&a->map.model, &tag)) {
        tr->enc_inflight = false;
        tr->enc_done = a->now;
        tr->enc_took = a->now - tr->enc_asked;
        start_glide(a);
    }
    glide_step(a);
    if (train_state_finished(s->state) && train_active(tr->t)) {
        train_join(tr->t); /* the thread has published its last snapshot: this is quick */
        if (!tr->joined_seen && s->message[0])
            ui_toast(&a->ui, s->message);
        tr->joined_seen = true;
    }
}

/* While a run publishes, its wake-ups (at most ~30 a second) pace the
 * frames, glides included: on a software renderer every frame costs the
 * window's core, which the encoder shares. Without a run, a glide renders
 * continuously. */
bool app_train_busy(const App *a)
{
    const AppTrain *tr = &a->train;
    bool live = tr->t && train_active(tr->t) && tr->snap.state == TRAIN_RUNNING;
    return tr->gliding && tr->map_gen == a->map.generation && !live;
}
