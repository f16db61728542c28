/* train_dump: the dump-state's "training" object (docs/dump-state.md):
 * the run's snapshot, the knobs and the form, the loss histories, where the
 * Training panel's buttons are and where the first map points are. */
#include <cjson/cJSON.h>
#include <math.h>

#include "app_impl.h"

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
    cJSON_AddNumberToObject(o, "lr", app_train_lr[tr->lr_i]);
    cJSON_AddNumberToObject(o, "slow_ms", tr->slow_ms);
    cJSON *form = cJSON_AddObjectToObject(o, "form");
    cJSON_AddStringToObject(form, "dataset", app_train_ds[tr->ds_i]);
    cJSON_AddNumberToObject(form, "latent", tr->z);
    cJSON_AddStringToObject(form, "latent_text", tr->z_text);
    cJSON_AddStringToObject(form, "latent_error", tr->z_error);
    cJSON_AddNumberToObject(form, "hidden", app_train_hidden[tr->hidden_i]);
    cJSON_AddNumberToObject(form, "batch", app_train_batch[tr->batch_i]);
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
                cJSON_AddItemToArray(head,
                                     cJSON_CreateNumber(j->mu[i * (size_t)j->z + (size_t)d]));
}
