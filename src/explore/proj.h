/* proj: the projection worker behind the explorer's map of a Z > 2 model.
 * Given the latent means (N, Z) of the map's points it publishes a PCA
 * layout at once, then (method t-SNE) runs t-SNE from the PCA start in
 * chunks of a few iterations, publishing the layout after each chunk so the
 * points fly into their clusters on screen. When new means arrive for the
 * same points (live training re-encoded the map) a warm request starts the
 * t-SNE from the previous layout without early exaggeration, so the map
 * evolves smoothly from one encoding to the next (the "latent movie").
 *
 * Thread rule (the shared state, all behind `lock`):
 *   - Requests: the UI copies the means into its own buffer, then under the
 *     lock swaps it with the inbox (req_*), sets req_pending, signals `cond`
 *     and sets the atomic `cancel`, which interrupts a running tsne_init or
 *     tsne_step at once (the newest request wins). pause / stop / quit are
 *     flags under the lock too (quit also sets `cancel`).
 *   - Publishing: the worker writes a layout into its private back buffer,
 *     then under the lock swaps it with the published one (`out`), fills the
 *     published fields and bumps out.seq, unlocks and calls notify (which in
 *     the explorer pushes an SDL event, so an idle window wakes up).
 *   - proj_poll, on the UI thread, swaps the published buffer with the UI's
 *     under the lock. Only pointers and a few numbers move under the lock,
 *     so neither side ever waits on the other's computation.
 * The worker owns its TsneState; nothing else touches it. No SDL in here:
 * the tests drive the worker headless. */
#ifndef ZSPACE_EXPLORE_PROJ_H
#define ZSPACE_EXPLORE_PROJ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum { PROJ_PCA = 1, PROJ_TSNE = 2 };
/* What the worker is doing with the published layout's run. */
enum { PROJ_IDLE, PROJ_RUNNING, PROJ_PAUSED, PROJ_DONE, PROJ_FAILED };

/* Iterations of a cold t-SNE run and of a warm continuation. */
#define PROJ_TSNE_ITERS 1000
#define PROJ_WARM_ITERS 300
/* Iterations between published layouts. */
#define PROJ_CHUNK 5

/* A published layout and what produced it. */
typedef struct {
    float *y;          /* (n, 2) the layout; a buffer of `cap` floats */
    size_t n, cap;
    int method;        /* PROJ_PCA or PROJ_TSNE */
    int state;         /* PROJ_* */
    int iter, max_iter;
    double perplexity;
    double kl;         /* KL(P||Q) at the end of a t-SNE run, NaN before */
    double its;        /* t-SNE iterations per second of this run so far */
    bool warm;         /* this run started from the previous layout */
    uint64_t seq;      /* layouts published so far */
    uint64_t request;  /* the request this layout answers (proj_submit's count) */
    char message[256]; /* why a run failed (state PROJ_FAILED) */
} ProjOut;

typedef struct {
    /* set by proj_start */
    void (*notify)(void *user);
    void *user;
    int threads;

    pthread_t thread;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    atomic_bool cancel;    /* interrupts tsne_init / tsne_step */

    /* lock */
    float *req_x;          /* (req_n, req_d) inbox */
    size_t req_n, req_cap;
    int req_d, req_method;
    double req_perplexity;
    bool req_warm, req_pending;
    uint64_t req_count;
    bool pause, stop, quit;
    ProjOut out;           /* published */

    /* UI only */
    float *ui_x;
    size_t ui_cap;

    /* worker only */
    float *work_x;
    size_t work_cap;
    ProjOut back;          /* the layout being prepared */
    float *prev_y;         /* the last layout computed (warm starts) */
    size_t prev_n, prev_cap;
} ProjJob;

/* Start the worker. threads: pthreads t-SNE uses inside its steps. notify
 * (may be NULL) is called on the worker thread after each publish. */
int proj_start(ProjJob *j, int threads, void (*notify)(void *user), void *user, Err *e);

/* Project x (n, d) (copied) by method at this perplexity. warm: continue the
 * t-SNE from the previous layout when it has the same n (no early
 * exaggeration, PROJ_WARM_ITERS iterations); otherwise PCA first. Replaces
 * any request not yet started and interrupts the current run. Returns the
 * request's number (ProjOut.request), 0 when out of memory. UI thread. */
uint64_t proj_submit(ProjJob *j, const float *x, size_t n, int d, int method, double perplexity,
                     bool warm);
/* Pause or resume the running t-SNE (between chunks). */
void proj_pause(ProjJob *j, bool pause);
/* End the running t-SNE now: its layout stays, KL is computed, state DONE. */
void proj_stop(ProjJob *j);
/* Take the newest published layout into *ui (buffers swapped, fields
 * copied). Returns true when it is newer than what *ui held. *ui starts
 * zeroed and is freed with proj_out_free. UI thread. */
bool proj_poll(ProjJob *j, ProjOut *ui);
void proj_out_free(ProjOut *o);
/* Stop and join the worker, free everything. Safe on a job never started
 * (zeroed). */
void proj_free(ProjJob *j);

#endif
