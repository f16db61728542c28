/* clf_job: load or train the default classifier on a worker (clf_job.h). */
#include "clf_job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/dataset.h"
#include "study/study.h"
#include "vae/vae.h"

static void on_batch(void *user, size_t done, size_t total, double loss)
{
    (void)loss;
    ClfJob *j = user;
    atomic_store(&j->progress, total ? (int)(done * 1000 / total) : 0);
}

/* Train the default recipe on the dataset's training split and cache it. */
static int train(ClfJob *j)
{
    Err *e = &j->err;
    Dataset ds;
    int rc = dataset_load(j->dataset, &ds, e);
    if (rc != ERR_OK)
        return rc;
    atomic_store_explicit(&j->state, CLF_JOB_TRAINING, memory_order_release);
    rc = clf_init(&j->clf, ds.train.x, CLF_DEFAULT_HIDDEN, 256, 0, e);
    if (rc == ERR_OK) {
        ClfTrainOpts o;
        clf_train_opts_default(&o);
        o.progress = on_batch;
        o.user = j;
        o.cancel = &j->cancel;
        rc = clf_train(&j->clf, &ds.train, STUDY_CLF_EPOCHS, 0, &o, NULL, e);
    }
    float *probs = rc == ERR_OK ? malloc(ds.test.n * CLF_CLASSES * sizeof *probs) : NULL;
    if (rc == ERR_OK && !probs)
        rc = err_set(e, ERR_NOMEM, "classifier: out of memory");
    if (rc == ERR_OK) {
        clf_predict(&j->clf, ds.test.images, ds.test.n, probs);
        ClfInfo info = {.epochs = STUDY_CLF_EPOCHS, .seed = 0};
        snprintf(info.dataset, sizeof info.dataset, "%s", ds.name);
        info.test_accuracy =
            clf_accuracy_of(probs, ds.test.labels, ds.test.n, CLF_CLASSES, NULL, NULL);
        j->accuracy = info.test_accuracy;
        j->trained = true;
        /* Cache it (the default model's folder normally exists already). A
         * failed save only costs retraining next time: keep the classifier. */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", j->path);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            if (mkdir(dir, 0755) != 0 && errno != EEXIST)
                dir[0] = '\0';
        }
        Err se = {0};
        (void)clf_save(j->path, &j->clf, &info, &se);
    }
    free(probs);
    if (rc != ERR_OK && j->clf.params)
        clf_free(&j->clf);
    dataset_free(&ds);
    return rc;
}

static void *worker(void *arg)
{
    ClfJob *j = arg;
    int rc;
    if (access(j->path, F_OK) == 0) {
        rc = clf_load(j->path, &j->clf, 256, NULL, &j->err);
        if (rc == ERR_OK && j->clf.x != VAE_X) {
            rc = err_set(&j->err, ERR_ARG, "%s: a classifier for %d pixels, not %d", j->path,
                         j->clf.x, VAE_X);
            clf_free(&j->clf);
        }
    } else {
        rc = train(j);
    }
    atomic_store_explicit(&j->state, rc == ERR_OK ? CLF_JOB_READY : CLF_JOB_FAILED,
                          memory_order_release);
    return NULL;
}

int clf_job_start(ClfJob *j, const char *dataset, Err *e)
{
    snprintf(j->dataset, sizeof j->dataset, "%s", dataset ? dataset : "mnist");
    clf_default_path(j->dataset, j->path, sizeof j->path);
    atomic_store(&j->state, CLF_JOB_LOADING);
    atomic_store(&j->cancel, 0);
    atomic_store(&j->progress, 0);
    if (pthread_create(&j->thread, NULL, worker, j) != 0) {
        atomic_store(&j->state, CLF_JOB_FAILED);
        return err_set(e, ERR_IO, "classifier: cannot start a thread");
    }
    j->started = true;
    return ERR_OK;
}

int clf_job_state(ClfJob *j)
{
    return atomic_load_explicit(&j->state, memory_order_acquire);
}

void clf_job_free(ClfJob *j)
{
    if (j->started) {
        atomic_store(&j->cancel, 1);
        pthread_join(j->thread, NULL);
        j->started = false;
    }
    if (j->clf.params)
        clf_free(&j->clf);
    memset(j, 0, sizeof *j);
}
