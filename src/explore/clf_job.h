/* clf_job: the explorer's digit classifier, obtained off the UI thread. A
 * worker loads the dataset's default classifier from the cache
 * (clf_default_path); when there is none it trains one with the same recipe
 * as `zspace classify train` (784-256-10, STUDY_CLF_EPOCHS epochs, seed 0)
 * and caches it, so the next launch just loads it.
 *
 * Thread rule: the worker owns `clf`, `err`, `trained` and `accuracy` until
 * it stores CLF_JOB_READY or CLF_JOB_FAILED into `state` (release); the UI
 * thread reads `state` (acquire) and from READY on owns `clf` (the worker
 * has exited). `progress` (batches done, per mille) is written by the worker
 * and read by the UI for the note it shows. `cancel` asks the worker to stop
 * (window closed); clf_job_free joins it. */
#ifndef ZSPACE_EXPLORE_CLF_JOB_H
#define ZSPACE_EXPLORE_CLF_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "classify/clf.h"
#include "core/err.h"

enum { CLF_JOB_NONE, CLF_JOB_LOADING, CLF_JOB_TRAINING, CLF_JOB_READY, CLF_JOB_FAILED };

typedef struct {
    char dataset[32];
    char path[4096];
    Clf clf;
    Err err;
    bool trained;       /* trained here rather than loaded */
    double accuracy;    /* test accuracy when trained here */
    atomic_int state;   /* CLF_JOB_* */
    atomic_int progress; /* training progress, 0..1000 */
    atomic_int cancel;
    pthread_t thread;
    bool started;
} ClfJob;

/* Start the worker for dataset (e.g. "mnist"). The job must be zeroed.
 * Returns ERR_OK or an error if the thread cannot start. */
int clf_job_start(ClfJob *j, const char *dataset, Err *e);
/* CLF_JOB_* (acquire). */
int clf_job_state(ClfJob *j);
/* Cancel, join and free. Safe on a zeroed job. */
void clf_job_free(ClfJob *j);

#endif
