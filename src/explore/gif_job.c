/* gif_job: see gif_job.h. */
#include "gif_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timer.h"

static void *worker(void *arg)
{
    GifJob *j = arg;
    double t0 = timer_now();
    err_clear(&j->err);
    viz_gif_write(j->path, j->frames, j->n, &j->opts, &j->err);
    j->ms = (timer_now() - t0) * 1e3;
    atomic_store_explicit(&j->done, 1, memory_order_release);
    if (j->wake)
        j->wake(j->wake_user);
    return NULL;
}

int gif_job_start(GifJob *j, float *frames, size_t n, const VizGifOpts *o, const char *path,
                  void (*wake)(void *user), void *user, Err *e)
{
    if (j->running) {
        free(frames);
        return err_set(e, ERR_ARG, "a GIF is still being written");
    }
    if (snprintf(j->path, sizeof j->path, "%s", path) >= (int)sizeof j->path) {
        free(frames);
        return err_set(e, ERR_ARG, "path too long");
    }
    j->frames = frames;
    j->n = n;
    j->opts = *o;
    j->wake = wake;
    j->wake_user = user;
    atomic_store(&j->done, 0);
    if (pthread_create(&j->thread, NULL, worker, j) != 0) {
        free(j->frames);
        j->frames = NULL;
        return err_set(e, ERR_NOMEM, "cannot start the GIF thread");
    }
    j->running = true;
    return ERR_OK;
}

static void join(GifJob *j)
{
    pthread_join(j->thread, NULL);
    j->running = false;
    free(j->frames);
    j->frames = NULL;
}

bool gif_job_poll(GifJob *j)
{
    if (!j->running || !atomic_load_explicit(&j->done, memory_order_acquire))
        return false;
    join(j);
    return true;
}

bool gif_job_running(const GifJob *j)
{
    return j->running;
}

void gif_job_free(GifJob *j)
{
    if (j->running)
        join(j);
}
