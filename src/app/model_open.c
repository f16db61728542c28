/* model_open: the one way the explorer replaces its shown model, used at
 * start-up (-m or the cached default) and by the Open dialog.
 *
 * The file is checked (read in full by vae_load) before the old model is
 * let go, so a bad file leaves the old one shown. Replacing it forgets
 * everything tied to the old points and weights: the map and its encoder
 * job, hover and nearest point, the live-map state of a finished training
 * run (so its weights no longer drive the new model), the projection of a
 * Z > 2 map (its worker stops; a new one starts when the new map is in),
 * and the sampling grids.
 * Thread rule: main thread; joins the old encoder and projection workers. */
#include <string.h>
#include <sys/stat.h>

#include "app_impl.h"

bool app_training_active(const App *a)
{
    const AppTrain *tr = &a->train;
    return tr->t && train_active(tr->t) && !train_state_finished(tr->snap.state);
}

void app_forget_model(App *a)
{
    if (a->map.pj_started) { /* settings chosen before any map (a session's) stay */
        float perplexity = a->proj.perplexity;
        memset(&a->proj, 0, sizeof a->proj);
        a->proj.perplexity = perplexity;
    }
    map_model_forget(&a->map); /* joins its workers; the view is refitted to the next map */
    a->map.opened = true; /* model_load / model_init_new set it up again */
    a->nearest = -1;
    a->decoded_valid = false;
    a->map.view.user_moved = false; /* the new map is fitted when it comes in */
    AppTrain *tr = &a->train;
    tr->model_run = 0;
    tr->enc_inflight = tr->gliding = tr->view_glide = false;
    tr->n_shown = 0;
    a->samp.valid[0] = a->samp.valid[1] = false;
}

int app_open_model(App *a, const char *path, const char *dataset, Err *e)
{
    if (app_training_active(a))
        return err_set(e, ERR_ARG, "a training run is active: stop it first");
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(e, ERR_IO, "%s: no such model file", path);
    if (S_ISDIR(st.st_mode))
        return err_set(e, ERR_IO, "%s: is a directory", path);
    Vae probe;
    VaeFileInfo info;
    memset(&probe, 0, sizeof probe);
    vae_file_info_init(&info);
    if (vae_load(path, &probe, 1, &info, e) != ERR_OK) {
        vae_file_info_free(&info);
        return e->code ? e->code : ERR_FORMAT;
    }
    vae_free(&probe);
    vae_file_info_free(&info);

    app_forget_model(a);
    if (map_model_load(&a->map, path, dataset, e) != ERR_OK) { /* changed since the check */
        snprintf(a->map.message, sizeof a->map.message, "Cannot open the model.\n\n%s", e->msg);
        return e->code;
    }
    a->z_dim = a->map.model.vae.cfg.z;
    memset(a->z, 0, sizeof a->z);
    a->z_dirty = true;
    Err ee = {0};
    if (map_model_encode(&a->map, a->opt.all_points, a->wake_event, &ee) != ERR_OK) {
        snprintf(a->map.message, sizeof a->map.message, "Cannot encode the dataset.\n\n%s", ee.msg);
        return ERR_OK; /* the model is shown (decoder, sliders); the map is not */
    }
    const DatasetInfo *di = dataset_find(a->map.model.dataset);
    snprintf(a->map.message, sizeof a->map.message, "Encoding the %s %s images\xe2\x80\xa6",
             di ? di->title : a->map.model.dataset, a->opt.all_points ? "train and test" : "test");
    return ERR_OK;
}
