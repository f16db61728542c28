/* save_job: see save_job.h. */
#include "save_job.h"

#include <stdio.h>
#include <string.h>

#include "core/timer.h"

static void *worker(void *arg)
{
    SaveJob *j = arg;
    double t0 = timer_now();
    err_clear(&j->err);
    vae_save(j->path, &j->v, &j->info, &j->err);
    j->ms = (timer_now() - t0) * 1e3;
    atomic_store_explicit(&j->done, 1, memory_order_release);
    if (j->wake)
        j->wake(j->wake_user);
    return NULL;
}

static void release(SaveJob *j)
{
    vae_free(&j->v);
    vae_file_info_free(&j->info);
}

int save_job_start(SaveJob *j, const Vae *src, const VaeFileInfo *info, const char *path,
                   void (*wake)(void *user), void *user, Err *e)
{
    if (j->running)
        return err_set(e, ERR_ARG, "a save is still being written");
    if (snprintf(j->path, sizeof j->path, "%s", path) >= (int)sizeof j->path)
        return err_set(e, ERR_ARG, "path too long");
    if (vae_init(&j->v, &src->cfg, 1, 0, e) != ERR_OK)
        return e->code;
    vae_file_info_init(&j->info);
    if (vae_copy_params(&j->v, src, e) != ERR_OK) {
        release(j);
        return e->code;
    }
    if (info) {
        snprintf(j->info.dataset, sizeof j->info.dataset, "%s", info->dataset);
        j->info.epochs = info->epochs;
        j->info.seed = info->seed;
        for (int i = 0; i < info->n_history; i++)
            if (vae_file_info_push(&j->info, &info->history[i], e) != ERR_OK) {
                release(j);
                return e->code;
            }
    }
    j->wake = wake;
    j->wake_user = user;
    atomic_store(&j->done, 0);
    if (pthread_create(&j->thread, NULL, worker, j) != 0) {
        release(j);
        return err_set(e, ERR_NOMEM, "cannot start the save thread");
    }
    j->running = true;
    return ERR_OK;
}

bool save_job_poll(SaveJob *j)
{
    if (!j->running || !atomic_load_explicit(&j->done, memory_order_acquire))
        return false;
    pthread_join(j->thread, NULL);
    j->running = false;
    release(j);
    return true;
}

void save_job_free(SaveJob *j)
{
    if (!j->running)
        return;
    pthread_join(j->thread, NULL);
    j->running = false;
    release(j);
}
