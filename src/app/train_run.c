/* train_run: the explorer's training runs (view_train.h): the trainer and
 * the thread budget, the setup of a default, continued or new run, starting
 * it (a new run's model is adopted through model_open.c), the T / Space / .
 * keys, and the Training panel's actions applied. Quitting stops the run,
 * which saves, and joins it (one batch plus a save). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app_impl.h"
#include "core/afile.h"
#include "core/xdg.h"
#include "nn/nn.h"
#include "wake.h"

const float app_train_lr[APP_TRAIN_N_LR] = {1e-4f, 3e-4f, 1e-3f, 3e-3f};
const int app_train_z[APP_TRAIN_N_Z] = {2, 8, 16, 32, 64};
const int app_train_hidden[APP_TRAIN_N_HIDDEN] = {128, 256, 512, 1024};
const int app_train_batch[APP_TRAIN_N_BATCH] = {32, 64, 128, 256};
const char *const app_train_ds[APP_TRAIN_N_DS] = {"mnist", "fashion"};

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
    train_panel_defaults(tr);
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
    s->params.lr = app_train_lr[tr->lr_i];
    s->params.delay_ms = (int)tr->slow_ms;
    s->notify = app_wake_cb; /* runs on the trainer thread */
    s->notify_user = app_wake_arg(a->wake_event);
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
    app_train_follow_model(a); /* a new model was adopted: the run drives it */
    tr->model_run = tr->snap.run;
    tr->applied = 0;
    tr->step_target = 0;
    tr->enc_step = 0;
    tr->joined_seen = false;
    app_ask_side(a, APP_SIDE_TRAINING, APP_SIDE_SHOW);
    return true;
}

void app_train_default(App *a, const char *path, const char *dataset)
{
    TrainSetup s;
    base_setup(a, &s);
    snprintf(s.dataset, sizeof s.dataset, "%s", dataset);
    snprintf(s.save_path, sizeof s.save_path, "%s", path);
    s.epochs = APP_TRAIN_DEFAULT_EPOCHS;
    if (!app_adopt_new_model(a, &s.cfg, s.seed, dataset, path))
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
    s.cfg.hidden[0] = app_train_hidden[tr->hidden_i];
    s.cfg.beta = tr->beta;
    s.batch = app_train_batch[tr->batch_i];
    s.epochs = tr->epochs;
    s.seed = (uint64_t)tr->seed;
    snprintf(s.dataset, sizeof s.dataset, "%s", app_train_ds[tr->ds_i]);
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
    if (app_adopt_new_model(a, &s.cfg, s.seed, s.dataset, s.save_path))
        start_run(a, &s);
}

/* One batch through the pause; step_target lets a script wait for it
 * (dump-state training.step_pending). */
static void single_step(AppTrain *tr)
{
    tr->step_target = (tr->step_target > tr->snap.steps ? tr->step_target : tr->snap.steps) + 1;
    train_single_step(tr->t);
}

bool app_train_key(App *a, UiKey k)
{
    AppTrain *tr = &a->train;
    if (ui_key_chorded(k))
        return false;
    switch (k.code) {
    case 't': app_ask_side(a, APP_SIDE_TRAINING, APP_SIDE_TOGGLE); return true;
    case UI_KEY_SPACE:
        if (!tr->t || !train_active(tr->t) || train_state_finished(tr->snap.state))
            return false;
        train_pause(tr->t, tr->snap.state != TRAIN_PAUSED);
        return true;
    case '.':
        if (tr->t && tr->snap.state == TRAIN_PAUSED)
            single_step(tr);
        return true;
    default: return false;
    }
}

/* The Training panel, and what the user asked for in it. */
void view_train(App *a)
{
    AppTrain *tr = &a->train;
    TrainPanelIn in = {0};
    in.live = app_training_active(a);
    in.can_train = tr->t != NULL;
    struct stat st;
    in.can_continue = !in.live && a->map.loaded && tr->t && stat(a->map.model.path, &st) == 0;
    tr->r_train = a->layout.train;
    int act = train_panel(&a->ui, tr, &in);
    if (!tr->t)
        return;
    if (act & (TRAIN_ACT_PAUSE | TRAIN_ACT_RESUME))
        train_pause(tr->t, (act & TRAIN_ACT_PAUSE) != 0);
    if (act & TRAIN_ACT_STEP)
        single_step(tr);
    if (act & TRAIN_ACT_STOP)
        train_stop(tr->t);
    if (act & TRAIN_ACT_CONTINUE)
        continue_model(a, tr->epochs);
    if (act & TRAIN_ACT_PARAMS) {
        TrainParams p = {tr->beta, app_train_lr[tr->lr_i], (int)tr->slow_ms};
        train_set_params(tr->t, &p);
    }
    if (act & TRAIN_ACT_NEW)
        new_model(a);
}
