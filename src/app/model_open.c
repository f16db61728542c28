/* model_open: the one way the explorer replaces its shown model, used at
 * start-up (-m or the cached default), by the Open dialog and by a new
 * training run (a fresh model of its config).
 *
 * The file is checked (read in full by vae_load) before the old model is
 * let go, so a bad file leaves the old one shown. Replacing it forgets
 * everything tied to the old points and weights: the map and its encoder
 * job, hover and nearest point, and the projection of a Z > 2 map (its
 * worker stops; a new one starts when the new map is in). The map's
 * generation moves, so the panels drop what they hold about the old model
 * themselves when they next look: a finished training run's live map (its
 * weights no longer drive the new model) and the sampling grids.
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
    if (a->map.pj_started) /* settings chosen before any map (a session's) stay */
        app_proj_forget(&a->proj);
    map_model_forget(&a->map); /* joins its workers; the view is refitted to the next map */
    a->map.opened = true;      /* model_load / model_init_new set it up again */
    cursor_forget(&a->cur);
    a->map.view.user_moved = false; /* the new map is fitted when it comes in */
}

/* The new model's z starts at the origin; its map starts encoding. */
static int show_new_model(App *a, int z_dim, Err *e)
{
    cursor_reset(&a->cur, z_dim);
    int rc = map_model_encode(&a->map, a->opt.all_points, a->wake_event, e);
    if (rc != ERR_OK)
        snprintf(a->map.message, sizeof a->map.message, "Cannot encode the dataset.\n\n%s",
                 e->msg);
    return rc;
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
    Err ee = {0};
    if (show_new_model(a, a->map.model.vae.cfg.z, &ee) != ERR_OK)
        return ERR_OK; /* the model is shown (decoder, sliders); the map is not */
    const DatasetInfo *di = dataset_find(a->map.model.dataset);
    snprintf(a->map.message, sizeof a->map.message, "Encoding the %s %s images\xe2\x80\xa6",
             di ? di->title : a->map.model.dataset, a->opt.all_points ? "train and test" : "test");
    return ERR_OK;
}

/* Replace the shown model by a fresh one of config cfg (what a new run
 * trains), and start encoding the map with its initial weights. */
bool app_adopt_new_model(App *a, const VaeConfig *cfg, uint64_t seed, const char *ds,
                         const char *path)
{
    app_forget_model(a); /* the old model and all tied to its points */
    Err e = {0};
    if (model_init_new(&a->map.model, cfg, seed, ds, path, &e) != ERR_OK) {
        snprintf(a->map.message, sizeof a->map.message, "Cannot create the model.\n\n%s", e.msg);
        return false;
    }
    a->map.loaded = true;
    if (show_new_model(a, cfg->z, &e) != ERR_OK)
        return false;
    const DatasetInfo *info = dataset_find(ds);
    snprintf(a->map.message, sizeof a->map.message, "Encoding the %s test images\xe2\x80\xa6",
             info ? info->title : ds);
    return true;
}
