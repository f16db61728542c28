/* gif_job: write a walk's frames as a GIF on a worker thread, so pressing G
 * never holds the window (quantising and LZW-coding ~80 frames took 54-171
 * ms on the UI thread; a frame is 16.7 ms).
 *
 * Thread rule: gif_job_start (UI thread) takes ownership of the decoded
 * frames and starts the worker, which owns frames, path, opts, err and ms
 * until it sets `done` (release) and calls wake(wake_user) when wake is
 * set. The UI reads them only after gif_job_poll has seen `done` (acquire) and joined the thread. One export at a time. */
#ifndef ZSPACE_EXPLORE_GIF_JOB_H
#define ZSPACE_EXPLORE_GIF_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "viz/anim.h"

typedef struct {
    float *frames;      /* (n, 784) decoded images, owned */
    size_t n;
    VizGifOpts opts;
    char path[4096];
    Err err;
    double ms;          /* how long the worker took */
    void (*wake)(void *user); /* called on the worker when done */
    void *wake_user;
    pthread_t thread;
    bool running;       /* UI: started and not yet joined */
    atomic_int done;
} GifJob;

/* Start writing frames (malloc'd; the job frees them, also on failure) to
 * path. ERR_ARG while an export runs. */
int gif_job_start(GifJob *j, float *frames, size_t n, const VizGifOpts *o, const char *path,
                  void (*wake)(void *user), void *user, Err *e);
/* True once when the running export has finished (joined; read err, ms). */
bool gif_job_poll(GifJob *j);
bool gif_job_running(const GifJob *j);
/* Wait for a running export. */
void gif_job_free(GifJob *j);

#endif
