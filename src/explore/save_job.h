/* save_job: write a copy of the shown model to a file on a worker thread,
 * so the UI never waits on the disk (a 3.2 MB model with its fsyncs took
 * 14-99 ms on the UI thread of a loaded 2-core machine).
 *
 * Thread rule: save_job_start (UI thread) copies the parameters and the
 * file info into the job, then starts the worker, which owns v, info, path,
 * err and ms until it sets `done` (release) and calls wake(wake_user) when
 * wake is set. The UI reads them only after save_job_poll has seen `done`
 * (acquire) and joined the thread. One save at a time. */
#ifndef ZSPACE_EXPLORE_SAVE_JOB_H
#define ZSPACE_EXPLORE_SAVE_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

typedef struct {
    Vae v;
    VaeFileInfo info;
    char path[4096];
    Err err;
    double ms;          /* how long vae_save took on the worker */
    void (*wake)(void *user); /* called on the worker when done */
    void *wake_user;
    pthread_t thread;
    bool running;       /* UI: started and not yet joined */
    atomic_int done;
} SaveJob;

/* Copy src (parameters) and info, start writing path. ERR_ARG while a
 * save runs, ERR_NOMEM / thread errors otherwise. */
int save_job_start(SaveJob *j, const Vae *src, const VaeFileInfo *info, const char *path,
                   void (*wake)(void *user), void *user, Err *e);
/* True once when the running save has finished (joined; read j->err, ms). */
bool save_job_poll(SaveJob *j);
/* Wait for a running save, then free the copy. */
void save_job_free(SaveJob *j);

#endif
