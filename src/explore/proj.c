/* proj: see proj.h for the thread rule. The worker loop: wait for a request,
 * a resume or a stop; a request starts a run (PCA at once, then the t-SNE
 * affinities); a running t-SNE advances PROJ_CHUNK iterations per turn and
 * publishes after each, so pause, stop and new requests are seen within one
 * chunk (a new request or quit also interrupts the chunk itself). */
#include "proj.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timer.h"
#include "embed/pca.h"
#include "embed/tsne.h"

static int grow(float **p, size_t *cap, size_t need)
{
    if (*cap >= need)
        return 0;
    float *q = realloc(*p, need * sizeof *q);
    if (!q)
        return -1;
    *p = q;
    *cap = need;
    return 0;
}

/* Exchange two buffers with their capacities (pointer moves only). */
static void swap_buf(float **a, size_t *ca, float **b, size_t *cb)
{
    float *t = *a;
    *a = *b;
    *b = t;
    size_t c = *ca;
    *ca = *cb;
    *cb = c;
}

/* The worker's run in progress (worker only). */
typedef struct {
    TsneState s;
    bool have;          /* s is initialised */
    size_t n;
    int d;
    double step_time;   /* seconds spent in tsne_step this run */
    int iters_run;      /* iterations done by this run's tsne_step calls */
} Run;

/* Copy y (back.n points) into the back buffer and publish it with the back
 * fields (thread rule in proj.h). Also remembered for warm starts. */
static void publish(ProjJob *j, const float *y)
{
    size_t n2 = j->back.n * 2;
    if (grow(&j->back.y, &j->back.cap, n2) != 0 || grow(&j->prev_y, &j->prev_cap, n2) != 0)
        return; /* out of memory: the old layout stays up */
    if (n2 && y != j->back.y)
        memcpy(j->back.y, y, n2 * sizeof *y);
    if (n2 && y != j->prev_y)
        memcpy(j->prev_y, y, n2 * sizeof *y);
    j->prev_n = j->back.n;
    pthread_mutex_lock(&j->lock);
    float *oy = j->out.y;
    size_t ocap = j->out.cap;
    uint64_t seq = j->out.seq;
    j->out = j->back;
    j->out.seq = seq + 1;
    j->back.y = oy;
    j->back.cap = ocap;
    pthread_mutex_unlock(&j->lock);
    if (j->notify)
        j->notify(j->user);
}

static void fail(ProjJob *j, Run *r, const char *msg)
{
    j->back.state = PROJ_FAILED;
    snprintf(j->back.message, sizeof j->back.message, "%s", msg);
    if (j->prev_n != j->back.n || !j->prev_y)
        j->back.n = 0; /* nothing to show for these points */
    publish(j, j->prev_y); /* the last good layout of these points stays up */
    if (r->have)
        tsne_free(&r->s);
    r->have = false;
}

/* The end of a t-SNE run (done or stopped): KL and the final layout. */
static void finish(ProjJob *j, Run *r)
{
    j->back.kl = tsne_kl(&r->s);
    j->back.state = PROJ_DONE;
    j->back.iter = r->s.iter;
    publish(j, r->s.y);
    tsne_free(&r->s);
    r->have = false;
}

/* Start the run the request in work_x asks for. */
static void start_run(ProjJob *j, Run *r, int method, double perplexity, bool warm, uint64_t req)
{
    size_t n = r->n;
    int d = r->d;
    bool warm_ok = warm && method == PROJ_TSNE && j->prev_y && j->prev_n == n;
    j->back.n = n;
    j->back.method = PROJ_PCA;
    j->back.state = method == PROJ_PCA ? PROJ_DONE : PROJ_RUNNING;
    j->back.iter = 0;
    j->back.max_iter = method == PROJ_TSNE ? (warm_ok ? PROJ_WARM_ITERS : PROJ_TSNE_ITERS) : 0;
    j->back.perplexity = perplexity;
    j->back.kl = NAN;
    j->back.its = 0;
    j->back.warm = warm_ok;
    j->back.request = req;
    j->back.message[0] = '\0';
    r->step_time = 0;
    r->iters_run = 0;
    Err e = {0};
    if (!warm_ok) {
        /* PCA at once: the instant map, and what the t-SNE starts from */
        Pca p;
        float *y = malloc(n * 2 * sizeof *y);
        if (!y) {
            fail(j, r, "out of memory");
            return;
        }
        int k = d < 2 ? d : 2;
        if (n < 2 || d < 1 || pca_fit(&p, j->work_x, n, d, k, &e) != ERR_OK) {
            free(y);
            fail(j, r, n < 2 ? "fewer than 2 points" : e.msg);
            return;
        }
        if (k == 2) {
            pca_transform(&p, j->work_x, n, y);
        } else {
            float *c = malloc(n * sizeof *c);
            if (c)
                pca_transform(&p, j->work_x, n, c);
            for (size_t i = 0; i < n; i++)
                y[2 * i] = c ? c[i] : 0, y[2 * i + 1] = 0;
            free(c);
        }
        pca_free(&p);
        publish(j, y);
        free(y);
        if (method == PROJ_PCA)
            return;
    }
    TsneParams tp;
    tsne_params_default(&tp);
    tp.perplexity = perplexity;
    tp.threads = j->threads;
    if (warm_ok)
        tp.exag_iters = 0; /* the old map is clustered already: no exaggeration */
    int rc = tsne_init(&r->s, j->work_x, n, d, &tp, warm_ok ? j->prev_y : NULL, &j->cancel, &e);
    if (rc == ERR_CANCELLED)
        return; /* a newer request or quit */
    if (rc != ERR_OK) {
        fail(j, r, e.msg);
        return;
    }
    r->have = true;
    j->back.method = PROJ_TSNE;
    j->back.state = PROJ_RUNNING;
}

/* One chunk of the running t-SNE, then publish. */
static void step(ProjJob *j, Run *r)
{
    Err e = {0};
    int before = r->s.iter;
    double t0 = timer_now();
    int want = j->back.max_iter - r->s.iter;
    int rc = tsne_step(&r->s, want < PROJ_CHUNK ? want : PROJ_CHUNK, &e);
    r->step_time += timer_now() - t0;
    r->iters_run += r->s.iter - before;
    if (rc == ERR_CANCELLED)
        return;
    if (rc != ERR_OK) {
        fail(j, r, e.msg);
        return;
    }
    j->back.iter = r->s.iter;
    j->back.its = r->step_time > 0 ? r->iters_run / r->step_time : 0;
    j->back.state = PROJ_RUNNING;
    if (r->s.iter >= j->back.max_iter)
        finish(j, r);
    else
        publish(j, r->s.y);
}

static void *worker(void *arg)
{
    ProjJob *j = arg;
    Run r = {0};
    for (;;) {
        pthread_mutex_lock(&j->lock);
        for (;;) {
            if (j->quit || j->req_pending)
                break;
            if (r.have && (j->stop || !j->pause || j->back.state != PROJ_PAUSED))
                break;
            pthread_cond_wait(&j->cond, &j->lock);
        }
        if (j->quit) {
            pthread_mutex_unlock(&j->lock);
            break;
        }
        if (j->req_pending) {
            swap_buf(&j->req_x, &j->req_cap, &j->work_x, &j->work_cap);
            r.n = j->req_n;
            r.d = j->req_d;
            int method = j->req_method;
            double perp = j->req_perplexity;
            bool warm = j->req_warm;
            uint64_t req = j->req_count;
            j->req_pending = false;
            j->stop = false;
            atomic_store(&j->cancel, false);
            pthread_mutex_unlock(&j->lock);
            if (r.have)
                tsne_free(&r.s);
            r.have = false;
            start_run(j, &r, method, perp, warm, req);
            continue;
        }
        bool stop = j->stop, pause = j->pause;
        j->stop = false;
        pthread_mutex_unlock(&j->lock);
        if (stop) {
            finish(j, &r);
        } else if (pause) {
            j->back.state = PROJ_PAUSED;
            publish(j, r.s.y);
        } else {
            step(j, &r);
        }
    }
    if (r.have)
        tsne_free(&r.s);
    return NULL;
}

int proj_start(ProjJob *j, int threads, void (*notify)(void *user), void *user, Err *e)
{
    memset(j, 0, sizeof *j);
    j->threads = threads < 1 ? 1 : threads;
    j->notify = notify;
    j->user = user;
    j->out.kl = j->back.kl = NAN;
    atomic_init(&j->cancel, false);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->cond, NULL);
    if (pthread_create(&j->thread, NULL, worker, j) != 0) {
        pthread_cond_destroy(&j->cond);
        pthread_mutex_destroy(&j->lock);
        return err_set(e, ERR_NOMEM, "cannot start the projection thread");
    }
    j->started = true;
    return ERR_OK;
}

uint64_t proj_submit(ProjJob *j, const float *x, size_t n, int d, int method, double perplexity,
                     bool warm)
{
    if (!j->started || grow(&j->ui_x, &j->ui_cap, n * (size_t)d) != 0)
        return 0;
    memcpy(j->ui_x, x, n * (size_t)d * sizeof *x);
    pthread_mutex_lock(&j->lock);
    swap_buf(&j->req_x, &j->req_cap, &j->ui_x, &j->ui_cap);
    j->req_n = n;
    j->req_d = d;
    j->req_method = method;
    j->req_perplexity = perplexity;
    j->req_warm = warm;
    j->req_pending = true;
    uint64_t id = ++j->req_count;
    j->pause = false;
    j->stop = false;
    atomic_store(&j->cancel, true);
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&j->lock);
    return id;
}

void proj_pause(ProjJob *j, bool pause)
{
    if (!j->started)
        return;
    pthread_mutex_lock(&j->lock);
    j->pause = pause;
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&j->lock);
}

void proj_stop(ProjJob *j)
{
    if (!j->started)
        return;
    pthread_mutex_lock(&j->lock);
    j->stop = true;
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&j->lock);
}

bool proj_poll(ProjJob *j, ProjOut *ui)
{
    if (!j->started)
        return false;
    bool got = false;
    pthread_mutex_lock(&j->lock);
    if (j->out.seq != ui->seq) {
        float *uy = ui->y;
        size_t ucap = ui->cap;
        *ui = j->out;
        j->out.y = uy;
        j->out.cap = ucap;
        got = true;
    }
    pthread_mutex_unlock(&j->lock);
    return got;
}

void proj_out_free(ProjOut *o)
{
    free(o->y);
    memset(o, 0, sizeof *o);
}

void proj_free(ProjJob *j)
{
    if (!j->started)
        return;
    pthread_mutex_lock(&j->lock);
    j->quit = true;
    atomic_store(&j->cancel, true);
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&j->lock);
    pthread_join(j->thread, NULL);
    pthread_cond_destroy(&j->cond);
    pthread_mutex_destroy(&j->lock);
    free(j->req_x);
    free(j->ui_x);
    free(j->work_x);
    free(j->prev_y);
    proj_out_free(&j->out);
    proj_out_free(&j->back);
    memset(j, 0, sizeof *j);
}
