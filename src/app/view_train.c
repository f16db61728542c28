/* view_train: live training in the explorer (see view_train.h). Per frame,
 * app_train_frame copies the newest TrainSnapshot (weights at most ~10 times
 * a second), loads new weights into the UI's decoding copy of the model,
 * asks the encoder worker to re-encode the map every few batches and glides
 * the points to their new places; view_train draws the Training panel.
 * Nothing here waits on the trainer except the brief snapshot copy; quitting
 * stops the run, which saves, and joins it (one batch plus a save). */
#include <SDL.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app_impl.h"
#include "core/afile.h"
#include "core/xdg.h"
#include "core/timer.h"
#include "nn/nn.h"
#include "wake.h"

static const float lr_presets[] = {1e-4f, 3e-4f, 1e-3f, 3e-3f};
static const char *const lr_labels[] = {"1e-4", "3e-4", "1e-3", "3e-3"};
static const int z_presets[] = {2, 8, 16, 32, 64};
static const char *const z_labels[] = {"2", "8", "16", "32", "64"};
static const int hidden_presets[] = {128, 256, 512, 1024};
static const char *const hidden_labels[] = {"128", "256", "512", "1024"};
static const int batch_presets[] = {32, 64, 128, 256};
static const char *const batch_labels[] = {"32", "64", "128", "256"};
static const char *const ds_names[] = {"mnist", "fashion"};
static const char *const ds_labels[] = {"MNIST", "Fashion"};
enum { N_LR = 4, N_Z = 5, N_HIDDEN = 4, N_BATCH = 4 };

/* Runs on the trainer thread: wake the UI thread's loop (wake.h). */
static void notify(void *user)
{
    app_wake((uint32_t)(uintptr_t)user);
}

void app_train_init(App *a)
{
    AppTrain *tr = &a->train;
    Err e = {0};
    /* Thread budget, set once before any worker starts: OpenBLAS runs on one
     * thread inside each caller (the trainer, the encoder, decoding on the UI
     * thread), and the trainer's model gets train_default_threads() (cores
     * - 1), so the window keeps a core. */
    nn_set_threads(1);
    if (train_new(&tr->t, &e) != ERR_OK)
        tr->t = NULL;
    tr->beta = 1.0f;
    tr->lr_i = 2;
    tr->ds_i = 0;
    tr->z = 2;
    tr->hidden_i = 2;
    tr->batch_i = 2;
    tr->epochs = APP_TRAIN_DEFAULT_EPOCHS;
    tr->log_scale = true;
    tr->hover_dim = -1;
}

void app_train_free(App *a)
{
    AppTrain *tr = &a->train;
    train_free(tr->t); /* stops a run (which saves) and joins it */
    tr->t = NULL;
    train_snapshot_free(&tr->snap);
    free(tr->shown);
    free(tr->from);
    tr->shown = tr->from = NULL;
}

/* ZSPACE_TRAIN_LIMIT=N: runs train on the first N images only (quick
 * demos and the GUI tests). */
static size_t env_limit(void)
{
    const char *s = getenv("ZSPACE_TRAIN_LIMIT");
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return errno || *end || v < 1 ? 0 : (size_t)v;
}

static void cache_dir(char *buf, size_t n)
{
    xdg_path(XDG_CACHE, "", buf, n);
}

static void base_setup(App *a, TrainSetup *s)
{
    AppTrain *tr = &a->train;
    train_setup_default(s);
    s->train_limit = env_limit();
    s->params.beta = tr->beta;
    s->params.lr = lr_presets[tr->lr_i];
    s->params.delay_ms = (int)tr->slow_ms;
    s->notify = notify;
    s->notify_user = (void *)(uintptr_t)a->wake_event;
}

/* Start a run for the shown model; the run's weights drive it from now on. */
static bool start_run(App *a, const TrainSetup *s)
{
    AppTrain *tr = &a->train;
    Err e = {0};
    if (!tr->t) {
        ui_toast(&a->ui, "Training is not available (out of memory).");
        return false;
    }
    Err ignored = {0}; /* a failure shows when the autosave itself fails */
    afile_mkparent(s->save_path, &ignored);
    if (train_start(tr->t, s, &e) != ERR_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "Cannot train: %s", e.msg);
        ui_toast(&a->ui, msg);
        return false;
    }
    train_snapshot_take(tr->t, &tr->snap, false);
    tr->model_run = tr->snap.run;
    tr->applied = 0;
    tr->step_target = 0;
    tr->enc_step = 0;
    tr->joined_seen = false;
    app_ask_side(a, APP_SIDE_TRAINING, APP_SIDE_SHOW);
    return true;
}

/* Replace the shown model by a fresh one of config cfg (what a new run
 * trains), and start encoding the map with its initial weights. */
static bool adopt_new_model(App *a, const VaeConfig *cfg, uint64_t seed, const char *ds,
                            const char *path)
{
    app_forget_model(a); /* model_open.c: the old model and all tied to its points */
    Err e = {0};
    if (model_init_new(&a->map.model, cfg, seed, ds, path, &e) != ERR_OK) {
        snprintf(a->map.message, sizeof a->map.message, "Cannot create the model.\n\n%s", e.msg);
        return false;
    }
    a->map.loaded = true;
    a->z_dim = cfg->z;
    memset(a->z, 0, sizeof a->z);
    a->z_dirty = true;
    if (map_model_encode(&a->map, a->opt.all_points, a->wake_event, &e) != ERR_OK) {
        snprintf(a->map.message, sizeof a->map.message, "Cannot encode the dataset.\n\n%s", e.msg);
        return false;
    }
    const DatasetInfo *info = dataset_find(ds);
    snprintf(a->map.message, sizeof a->map.message, "Encoding the %s test images\xe2\x80\xa6",
             info ? info->title : ds);
    return true;
}

void app_train_default(App *a, const char *path, const char *dataset)
{
    TrainSetup s;
    base_setup(a, &s);
    snprintf(s.dataset, sizeof s.dataset, "%s", dataset);
    snprintf(s.save_path, sizeof s.save_path, "%s", path);
    s.epochs = APP_TRAIN_DEFAULT_EPOCHS;
    if (!adopt_new_model(a, &s.cfg, s.seed, dataset, path))
        return;
    if (start_run(a, &s))
        ui_toast(&a->ui, "No cached model yet: training the default one (watch it learn).");
}

/* Continue the shown model's file for `epochs` more epochs, saving to it. */
static void continue_model(App *a, int epochs)
{
    TrainSetup s;
    base_setup(a, &s);
    snprintf(s.dataset, sizeof s.dataset, "%s", a->map.model.dataset);
    snprintf(s.init_path, sizeof s.init_path, "%s", a->map.model.path);
    snprintf(s.save_path, sizeof s.save_path, "%s", a->map.model.path);
    s.params.beta = a->map.model.vae.cfg.beta;
    a->train.beta = s.params.beta;
    s.epochs = epochs;
    start_run(a, &s);
}

void app_train_resume_default(App *a)
{
    long have = a->map.model.info.epochs;
    if (have >= APP_TRAIN_DEFAULT_EPOCHS)
        return;
    continue_model(a, APP_TRAIN_DEFAULT_EPOCHS - (int)have);
    ui_toast(&a->ui, "The default model is not fully trained yet: training on.");
}

static void new_model(App *a)
{
    AppTrain *tr = &a->train;
    TrainSetup s;
    base_setup(a, &s);
    s.cfg.z = tr->z;
    s.cfg.hidden[0] = hidden_presets[tr->hidden_i];
    s.cfg.beta = tr->beta;
    s.batch = batch_presets[tr->batch_i];
    s.epochs = tr->epochs;
    s.seed = (uint64_t)tr->seed;
    snprintf(s.dataset, sizeof s.dataset, "%s", ds_names[tr->ds_i]);
    char dir[4096], stamp[32];
    cache_dir(dir, sizeof dir);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    int n = snprintf(s.save_path, sizeof s.save_path, "%s/%s-z%d-beta%g-%s.safetensors", dir,
                     s.dataset, s.cfg.z, (double)tr->beta, stamp);
    if (n < 0 || (size_t)n >= sizeof s.save_path) {
        ui_toast(&a->ui, "Cannot train: the cache path is too long.");
        return;
    }
    if (adopt_new_model(a, &s.cfg, s.seed, s.dataset, s.save_path))
        start_run(a, &s);
}

/* ---- per frame ---- */

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
    a->nearest = app_nearest_point(a, a->z);
    if (a->z_dim != 2 || !a->map.ready || tr->n_shown != j->n)
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
    if (a->ui.in.pressed || (a->ui.in.down && (a->frames & 1)))
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
    if (!a->map.ready || a->z_dim != 2 || tr->n_shown == j->n)
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

void app_train_frame(App *a)
{
    AppTrain *tr = &a->train;
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
        a->z_dirty = true; /* the decoder panel shows the newest weights */
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
    return tr->gliding && !live;
}

/* One batch through the pause; step_target lets a script wait for it
 * (dump-state training.step_pending). */
static void single_step(AppTrain *tr)
{
    tr->step_target = (tr->step_target > tr->snap.steps ? tr->step_target : tr->snap.steps) + 1;
    train_single_step(tr->t);
}

bool app_train_key(App *a, int32_t key, uint16_t mods)
{
    AppTrain *tr = &a->train;
    if (mods & (KMOD_CTRL | KMOD_ALT | KMOD_GUI))
        return false;
    switch (key) {
    case SDLK_t: app_ask_side(a, APP_SIDE_TRAINING, APP_SIDE_TOGGLE); return true;
    case SDLK_SPACE:
        if (!tr->t || !train_active(tr->t) || train_state_finished(tr->snap.state))
            return false;
        train_pause(tr->t, tr->snap.state != TRAIN_PAUSED);
        return true;
    case SDLK_PERIOD:
        if (tr->t && tr->snap.state == TRAIN_PAUSED)
            single_step(tr);
        return true;
    default: return false;
    }
}

/* ---- layout ---- */

void app_train_layout(App *a)
{
    AppTrain *tr = &a->train;
    if (app_side(a) != APP_SIDE_TRAINING)
        return;
    Ui *ui = &a->ui;
    int pad = ui_pad(ui);
    /* Map on top, curves and KL bars below it; the Training panel takes the
     * latent sliders' place under the decoder. */
    UiRect m = a->map.rect;
    int strip = m.h * 40 / 100;
    int min_strip = ui_text_height(ui, UI_FONT_BODY) * 9;
    if (strip < min_strip)
        strip = min_strip < m.h / 2 ? min_strip : m.h / 2;
    a->map.rect = ui_rect(m.x, m.y, m.w, m.h - strip - pad);
    int kl_w = m.w * 30 / 100;
    tr->r_curves = ui_rect(m.x, m.y + m.h - strip, m.w - kl_w - pad, strip);
    tr->r_kl = ui_rect(m.x + m.w - kl_w, m.y + m.h - strip, kl_w, strip);
    tr->r_train = a->r_sliders;
}

/* ---- the Training panel ---- */

/* A button with an explicit id (labels repeat: "-", "+"), optionally shown
 * selected or disabled. Same look as ui_button_at. */
static bool tbutton(AppTrain *tr, Ui *ui, const char *id, UiRect r, const char *label,
                    bool selected, bool enabled)
{
    const UiTheme *t = &ui->theme;
    if (tr->nbuttons < (int)(sizeof tr->buttons / sizeof tr->buttons[0])) {
        snprintf(tr->buttons[tr->nbuttons].id, sizeof tr->buttons[0].id, "%s", id);
        UiRect vis = ui_rect_intersect(r, ui->clip); /* scrolled out: w or h 0 */
        tr->buttons[tr->nbuttons++].r = vis;
    }
    int res = enabled ? ui_control(ui, ui_id_str(ui, id), r, UI_MOUSE_LEFT) : 0;
    bool over = ui_rect_contains(r, ui->in.mouse_x, ui->in.mouse_y);
    bool down = (res & UI_ACTIVE) && over;
    UiColor bg = selected || down ? t->accent : (res & UI_HOVER) ? t->button_hot : t->button;
    UiColor fg = selected || down ? t->on_accent : enabled ? t->text : t->text_dim;
    if (!enabled && !selected)
        bg.a = 120;
    float radius = (float)ui_pad(ui) * 0.6f;
    ui_draw_rect(ui, r, bg, radius);
    if (t->high_contrast)
        ui_draw_frame(ui, r, t->border, 2.0f, radius);
    int tw = ui_text_width(ui, UI_FONT_BODY, label), th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x + (r.w - tw) / 2, r.y + (r.h - th) / 2, fg, label);
    return (res & UI_RELEASE) && over;
}

/* "label  [a][b][c]": returns true when the choice changed. */
static bool choice(AppTrain *tr, Ui *ui, const char *id, const char *label, const char *const *names, int n,
                   int *sel, bool enabled)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    UiRect r = ui_row(ui, 0);
    int lw = r.w * 30 / 100;
    int th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x, r.y + (r.h - th) / 2, t->text, label);
    int x = r.x + lw, w = r.w - lw, gap = pad / 2;
    int bw = (w - (n - 1) * gap) / n;
    bool changed = false;
    for (int i = 0; i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "%s/%d", id, i);
        UiRect b = ui_rect(x + i * (bw + gap), r.y, i == n - 1 ? w - i * (bw + gap) : bw, r.h);
        if (tbutton(tr, ui, key, b, names[i], *sel == i, enabled) && *sel != i) {
            *sel = i;
            changed = true;
        }
    }
    return changed;
}

/* "label  [-] value [+]" for an integer. */
static bool stepper(AppTrain *tr, Ui *ui, const char *id, const char *label, int *v, int lo, int hi,
                    int step, bool enabled)
{
    const UiTheme *t = &ui->theme;
    UiRect r = ui_row(ui, 0);
    int lw = r.w * 30 / 100, th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x, r.y + (r.h - th) / 2, t->text, label);
    int bw = r.h * 3 / 2;
    char key[64], val[32];
    int old = *v;
    snprintf(key, sizeof key, "%s/-", id);
    if (tbutton(tr, ui, key, ui_rect(r.x + lw, r.y, bw, r.h), "\xe2\x88\x92", false,
                enabled && *v > lo))
        *v = *v - step < lo ? lo : *v - step;
    snprintf(key, sizeof key, "%s/+", id);
    if (tbutton(tr, ui, key, ui_rect(r.x + r.w - bw, r.y, bw, r.h), "+", false,
                enabled && *v < hi))
        *v = *v + step > hi ? hi : *v + step;
    snprintf(val, sizeof val, "%d", *v);
    int vw = ui_text_width(ui, UI_FONT_BODY, val);
    int cx = r.x + lw + bw + (r.w - lw - 2 * bw) / 2;
    ui_draw_text(ui, UI_FONT_BODY, cx - vw / 2, r.y + (r.h - th) / 2, t->text, val);
    return *v != old;
}

/* The beta slider (0..10) with its landmarks 0, 1 and 10 marked under the
 * track; values within a small distance of 1 snap to it. */
static bool beta_slider(Ui *ui, float *beta)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    UiRect r = ui_row(ui, 0);
    bool changed = ui_slider_at(ui, r, "\xce\xb2", beta, 0.0f, 10.0f, "%.2f");
    if (changed && fabsf(*beta - 1.0f) < 0.12f)
        *beta = 1.0f;
    /* the slider's track geometry (widgets.c: label 30% | track | value) */
    int lw = r.w * 30 / 100, vw = ui_text_width(ui, UI_FONT_BODY, "-0.00") + pad;
    int tx = r.x + lw + pad, tw = r.w - lw - vw - 2 * pad;
    int sh = ui_text_height(ui, UI_FONT_SMALL);
    UiRect marks = ui_row(ui, sh);
    static const float at[] = {0, 1, 10};
    static const char *const names[] = {"0", "1", "10"};
    for (int i = 0; i < 3; i++) {
        float x = (float)tx + at[i] / 10.0f * (float)tw;
        ui_draw_line(ui, x, (float)marks.y - (float)pad * 0.9f, x, (float)marks.y - 2, 2,
                     t->text_dim);
        int w = ui_text_width(ui, UI_FONT_SMALL, names[i]);
        int lx = (int)x - w / 2;
        if (i == 2)
            lx = (int)x - w; /* keep "10" inside the panel */
        ui_draw_text(ui, UI_FONT_SMALL, lx, marks.y, t->text_dim, names[i]);
    }
    return changed;
}

static void fmt_duration(double s, char *buf, size_t n)
{
    long v = (long)(s + 0.5);
    if (v >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", v / 3600, v / 60 % 60, v % 60);
    else
        snprintf(buf, n, "%ld:%02ld", v / 60, v % 60);
}

static UiColor state_color(const Ui *ui, TrainState st)
{
    switch (st) {
    case TRAIN_RUNNING: return ui_rgba(0x4c, 0xd1, 0x7a, 255);
    case TRAIN_PAUSED: return ui->theme.focus;
    case TRAIN_FAILED: return ui_rgba(0xff, 0x5a, 0x5a, 255);
    case TRAIN_STARTING:
    case TRAIN_STOPPING: return ui->theme.accent;
    default: return ui->theme.text_dim;
    }
}

static void progress_rows(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    const TrainSnapshot *s = &a->train.snap;
    int pad = ui_pad(ui);
    char buf[512];
    UiRect r = ui_row(ui, 0);
    int th = ui_text_height(ui, UI_FONT_BODY);
    float dot = (float)th * 0.3f;
    ui_draw_circle(ui, (float)r.x + dot, (float)(r.y + r.h / 2), dot, 0, state_color(ui, s->state));
    const char *name = s->run ? train_state_name(s->state) : "no run yet";
    char head[160], where[96] = "";
    snprintf(head, sizeof head, "%c%s", name[0] - 32 * (name[0] >= 'a' && name[0] <= 'z'),
             name + 1);
    if (s->run && s->batches > 0)
        snprintf(where, sizeof where, "epoch %d/%d \xc2\xb7 batch %zu/%zu",
                 s->epoch + (s->batch_i > 0 && s->epoch < s->epochs ? 1 : 0), s->epochs,
                 s->batch_i, s->batches);
    int hx = r.x + (int)(3 * dot) + pad / 2;
    /* state and progress on one line where they fit (a narrow column: two) */
    bool one = where[0] && ui_text_width(ui, UI_FONT_BODY, head) + 3 * pad +
                                   ui_text_width(ui, UI_FONT_BODY, where) <= r.x + r.w - hx;
    if (one)
        snprintf(head + strlen(head), sizeof head - strlen(head), "   %s", where);
    ui_draw_text(ui, UI_FONT_BODY, hx, r.y + (r.h - th) / 2, t->text, head);
    if (where[0] && !one)
        ui_label(ui, UI_FONT_BODY, t->text, where);
    if (s->run && s->batches > 0) {
        char eta[32], el[32];
        fmt_duration(s->eta_s, eta, sizeof eta);
        fmt_duration(s->elapsed_s, el, sizeof el);
        snprintf(buf, sizeof buf, "%.0f images/s \xc2\xb7 ETA %s \xc2\xb7 elapsed %s",
                 s->samples_per_s, train_state_finished(s->state) ? "\xe2\x80\x94" : eta, el);
        int h = ui_text_wrapped_height(ui, UI_FONT_BODY, ui_row_w(ui), buf);
        ui_draw_text_wrapped(ui, UI_FONT_BODY, ui_row(ui, h), t->text_dim, buf);
    }
    int cores = train_default_threads() + 1;
    snprintf(buf, sizeof buf, "trainer: %d thread%s, %s \xc2\xb7 the window keeps %d of %d cores",
             s->run ? s->threads : train_default_threads(),
             (s->run ? s->threads : train_default_threads()) == 1 ? "" : "s",
             s->run ? nn_precision_name(s->precision) : "precision auto",
             cores - train_default_threads(), cores);
    int bh = ui_text_wrapped_height(ui, UI_FONT_SMALL, ui_row_w(ui), buf);
    ui_draw_text_wrapped(ui, UI_FONT_SMALL, ui_row(ui, bh), t->text_dim, buf);
    const char *msg = s->state == TRAIN_FAILED || train_state_finished(s->state) ||
                              s->state == TRAIN_STARTING
                          ? s->message
                          : "";
    if (s->save_error[0]) {
        snprintf(buf, sizeof buf, "Autosave failed: %s", s->save_error);
        msg = buf;
    }
    if (msg[0]) {
        int h = ui_text_wrapped_height(ui, UI_FONT_SMALL, ui_row_w(ui), msg);
        UiRect mr = ui_row(ui, h);
        ui_draw_text_wrapped(ui, UI_FONT_SMALL, mr,
                             s->state == TRAIN_FAILED || s->save_error[0] ? state_color(ui, TRAIN_FAILED)
                                                                          : t->text,
                             msg);
    }
}

static void control_rows(App *a)
{
    AppTrain *tr = &a->train;
    Ui *ui = &a->ui;
    const TrainSnapshot *s = &tr->snap;
    int pad = ui_pad(ui);
    bool live = tr->t && train_active(tr->t) && !train_state_finished(s->state);
    UiRect r = ui_row(ui, 0);
    int bw = (r.w - 2 * pad) / 3;
    UiRect b0 = ui_rect(r.x, r.y, bw, r.h), b1 = ui_rect(r.x + bw + pad, r.y, bw, r.h),
           b2 = ui_rect(r.x + 2 * (bw + pad), r.y, r.w - 2 * (bw + pad), r.h);
    if (live) {
        bool paused = s->state == TRAIN_PAUSED;
        if (tbutton(tr, ui, "tr/pause", b0, paused ? "Resume" : "Pause", false,
                    s->state == TRAIN_RUNNING || paused))
            train_pause(tr->t, !paused);
        if (tbutton(tr, ui, "tr/step", b1, "Step", false, paused))
            single_step(tr);
        if (tbutton(tr, ui, "tr/stop", b2, "Stop", false, s->state != TRAIN_STOPPING))
            train_stop(tr->t);
    } else {
        /* (a new model is started from the form below) */
        struct stat st;
        bool can = a->map.loaded && tr->t && stat(a->map.model.path, &st) == 0;
        char label[64];
        snprintf(label, sizeof label, "Continue training: %d more epoch%s", tr->epochs,
                 tr->epochs == 1 ? "" : "s");
        if (ui_text_width(ui, UI_FONT_BODY, label) > r.w - 2 * pad)
            snprintf(label, sizeof label, "Continue: +%d epochs", tr->epochs);
        if (tbutton(tr, ui, "tr/continue", r, label, false, can))
            continue_model(a, tr->epochs);
    }
    bool knobs = beta_slider(ui, &tr->beta);
    int lr = tr->lr_i;
    knobs |= choice(tr, ui, "tr/lr", "lr", lr_labels, N_LR, &lr, true);
    tr->lr_i = lr;
    knobs |= ui_slider(ui, "slow-mo", &tr->slow_ms, 0, 1000, "%.0f ms");
    if (knobs && tr->t) {
        TrainParams p = {tr->beta, lr_presets[tr->lr_i], (int)tr->slow_ms};
        train_set_params(tr->t, &p);
    }
}

/* The free latent-size entry beside the presets (issue 5: "presets 2, 8,
 * 16, 32, 64 and free entry"). Its text and message belong to the one
 * Training panel on the UI thread, so they live here, not per App. */
static char z_text[8];
static char z_error[80];

/* A whole number in [lo, hi] with nothing else around it. */
static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (end == s || *end || errno || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static void z_entry(AppTrain *tr, Ui *ui, bool on)
{
    const UiTheme *t = &ui->theme;
    UiRect r = ui_row(ui, 0);
    int lw = r.w * 30 / 100, th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x, r.y + (r.h - th) / 2, on ? t->text : t->text_dim,
                 "type Z");
    bool focused = ui->focus == ui_text_field_id(ui, "tr/ztext");
    if (!focused && !z_error[0])
        snprintf(z_text, sizeof z_text, "%d", tr->z); /* follows presets and stepper */
    UiRect fr = ui_rect(r.x + lw, r.y, r.w - lw, r.h);
    if (tr->nbuttons < (int)(sizeof tr->buttons / sizeof tr->buttons[0])) { /* dump-state */
        snprintf(tr->buttons[tr->nbuttons].id, sizeof tr->buttons[0].id, "tr/ztext");
        tr->buttons[tr->nbuttons++].r = ui_rect_intersect(fr, ui->clip);
    }
    int res = on ? ui_text_field(ui, "tr/ztext", fr, z_text, (int)sizeof z_text, "1-256") : 0;
    if (!on)
        ui_draw_text(ui, UI_FONT_BODY, fr.x + ui_pad(ui), r.y + (r.h - th) / 2, t->text_dim,
                     z_text);
    if (res & (UI_TEXT_CHANGED | UI_TEXT_SUBMIT)) {
        int z;
        if (parse_int(z_text, 1, VAE_MAX_Z, &z)) {
            tr->z = z;
            z_error[0] = '\0';
        } else if (z_text[0] || (res & UI_TEXT_SUBMIT)) {
            snprintf(z_error, sizeof z_error, "Z must be a whole number from 1 to %d.",
                     VAE_MAX_Z);
        }
    }
    if (res & UI_TEXT_CANCEL)
        z_error[0] = '\0'; /* Esc: back to the current Z */
    if (z_error[0]) {
        UiColor red = t->high_contrast ? ui_rgba(255, 110, 110, 255) : ui_rgba(240, 96, 96, 255);
        int h = ui_text_wrapped_height(ui, UI_FONT_SMALL, ui_row_w(ui), z_error);
        ui_draw_text_wrapped(ui, UI_FONT_SMALL, ui_row(ui, h), red, z_error);
    }
}

static void form_rows(App *a)
{
    AppTrain *tr = &a->train;
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    bool live = tr->t && train_active(tr->t) && !train_state_finished(tr->snap.state);
    bool on = !live;
    ui_row(ui, ui_pad(ui) / 2);
    ui_label(ui, UI_FONT_BODY, t->text, live ? "New model (stop training first)" : "New model");
    choice(tr, ui, "tr/ds", "dataset", ds_labels, 2, &tr->ds_i, on);
    int zi = -1;
    for (int i = 0; i < N_Z; i++)
        if (z_presets[i] == tr->z)
            zi = i;
    if (choice(tr, ui, "tr/z", "latent Z", z_labels, N_Z, &zi, on)) {
        tr->z = z_presets[zi];
        z_error[0] = '\0';
    }
    if (stepper(tr, ui, "tr/zfree", "", &tr->z, 1, VAE_MAX_Z, 1, on))
        z_error[0] = '\0';
    z_entry(tr, ui, on);
    choice(tr, ui, "tr/hidden", "hidden", hidden_labels, N_HIDDEN, &tr->hidden_i, on);
    choice(tr, ui, "tr/batch", "batch", batch_labels, N_BATCH, &tr->batch_i, on);
    stepper(tr, ui, "tr/epochs", "epochs", &tr->epochs, 1, 1000, 1, true);
    stepper(tr, ui, "tr/seed", "seed", &tr->seed, 0, 1000000, 1, on);
    char label[64];
    snprintf(label, sizeof label, "Train a new Z=%d model", tr->z);
    if (tbutton(tr, ui, "tr/new", ui_row(ui, 0), label, false, on && tr->t))
        new_model(a);
    const char *path = tr->snap.run ? tr->snap.save_path : "";
    if (path[0]) {
        char buf[4200];
        snprintf(buf, sizeof buf, "autosaves each epoch to %s", path);
        int h = ui_text_wrapped_height(ui, UI_FONT_SMALL, ui_row_w(ui), buf);
        ui_draw_text_wrapped(ui, UI_FONT_SMALL, ui_row(ui, h), t->text_dim, buf);
    }
}

void view_train(App *a)
{
    Ui *ui = &a->ui;
    a->train.nbuttons = 0;
    ui_panel_begin(ui, "Training", a->train.r_train, true);
    progress_rows(a);
    control_rows(a);
    form_rows(a);
    ui_panel_end(ui);
}

/* ---- dump-state ---- */

void app_train_dump(const App *a, void *obj)
{
    const AppTrain *tr = &a->train;
    const TrainSnapshot *s = &tr->snap;
    cJSON *o = obj;
    bool live = tr->t && train_active(tr->t) && !train_state_finished(s->state);
    cJSON_AddBoolToObject(o, "running", live);
    cJSON_AddStringToObject(o, "state", s->run ? train_state_name(s->state) : "idle");
    cJSON_AddBoolToObject(o, "shown", app_side(a) == APP_SIDE_TRAINING);
    cJSON_AddStringToObject(o, "message", s->message);
    cJSON_AddStringToObject(o, "save_path", s->save_path);
    cJSON_AddNumberToObject(o, "epoch", s->epoch);
    cJSON_AddNumberToObject(o, "epochs", s->epochs);
    cJSON_AddNumberToObject(o, "epochs_before", (double)s->epochs_before);
    cJSON_AddNumberToObject(o, "saved_epochs", s->saved_epochs);
    cJSON_AddNumberToObject(o, "batch", (double)s->batch_i);
    cJSON_AddNumberToObject(o, "batches", (double)s->batches);
    cJSON_AddNumberToObject(o, "steps", (double)s->steps);
    cJSON_AddBoolToObject(o, "step_pending", tr->step_target > s->steps);
    cJSON_AddNumberToObject(o, "samples_per_s", s->samples_per_s);
    cJSON_AddNumberToObject(o, "eta_s", s->eta_s);
    cJSON_AddNumberToObject(o, "threads", s->threads);
    cJSON_AddNumberToObject(o, "n_train", (double)s->n_train);
    cJSON_AddNumberToObject(o, "beta", tr->beta);
    cJSON_AddNumberToObject(o, "lr", lr_presets[tr->lr_i]);
    cJSON_AddNumberToObject(o, "slow_ms", tr->slow_ms);
    cJSON *form = cJSON_AddObjectToObject(o, "form");
    cJSON_AddStringToObject(form, "dataset", ds_names[tr->ds_i]);
    cJSON_AddNumberToObject(form, "latent", tr->z);
    cJSON_AddStringToObject(form, "latent_text", z_text);
    cJSON_AddStringToObject(form, "latent_error", z_error);
    cJSON_AddNumberToObject(form, "hidden", hidden_presets[tr->hidden_i]);
    cJSON_AddNumberToObject(form, "batch", batch_presets[tr->batch_i]);
    cJSON_AddNumberToObject(form, "epochs", tr->epochs);
    cJSON_AddNumberToObject(form, "seed", tr->seed);
    cJSON_AddNumberToObject(o, "weights_applied", (double)tr->applied);
    cJSON_AddNumberToObject(o, "reencodes", (double)a->map.model.job.reencodes);
    /* per-batch losses (total), thinned to at most 200 values, and the
     * per-epoch history */
    cJSON *bl = cJSON_AddArrayToObject(o, "batch_loss");
    size_t n = s->n_batch_hist, stride = n > 200 ? (n + 199) / 200 : 1;
    for (size_t i = 0; i < n; i += stride)
        cJSON_AddItemToArray(bl, cJSON_CreateNumber(s->batch_hist[i].loss));
    cJSON_AddNumberToObject(o, "n_batch_loss", (double)n);
    cJSON *ep = cJSON_AddArrayToObject(o, "epoch_loss");
    for (int i = 0; i < s->n_epoch_hist; i++) {
        cJSON *e = cJSON_CreateObject();
        const VaeEpochLoss *l = &s->epoch_hist[i];
        cJSON_AddNumberToObject(e, "train", l->train);
        if (isnan(l->test))
            cJSON_AddNullToObject(e, "test");
        else
            cJSON_AddNumberToObject(e, "test", l->test);
        cJSON_AddItemToArray(ep, e);
    }
    cJSON *btn = cJSON_AddObjectToObject(o, "buttons");
    for (int i = 0; app_side(a) == APP_SIDE_TRAINING && i < tr->nbuttons; i++) {
        const UiRect *r = &tr->buttons[i].r;
        cJSON_AddItemToObject(btn, tr->buttons[i].id,
                              cJSON_CreateIntArray((const int[]){r->x, r->y, r->w, r->h}, 4));
    }
    cJSON *kl = cJSON_AddArrayToObject(o, "kl_dim");
    for (int d = 0; s->run && d < s->cfg.z; d++)
        cJSON_AddItemToArray(kl, cJSON_CreateNumber(s->kl_dim[d]));
    /* where the first map points are (the UI's copy of their encodings), so a
     * script can tell that the map moved */
    cJSON *head = cJSON_AddArrayToObject(o, "map_head");
    const ModelJob *j = &a->map.model.job;
    if (a->map.ready)
        for (size_t i = 0; i < 16 && i < j->n; i++)
            for (int d = 0; d < 2 && d < j->z; d++)
                cJSON_AddItemToArray(head, cJSON_CreateNumber(j->mu[i * (size_t)j->z + (size_t)d]));
}
