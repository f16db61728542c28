/* pool: helper threads for data-parallel phases (see pool.h).
 *
 * Protocol: the owner publishes (fn, arg), sets `pending` to the number of
 * helpers and bumps `gen` (release). A helper that sees a new gen (acquire)
 * runs its part and decrements `pending` (release); the owner runs part 0
 * and waits for pending == 0 (acquire). Both sides spin briefly, then sleep
 * on a condition variable: helpers on `cv` (gen is only bumped with the
 * mutex held, so a helper that checks gen under the mutex cannot miss a
 * wake-up), the owner on `done_cv` (the helper that brings pending to 0
 * signals it under the mutex). Sleeping instead of yielding matters when
 * other processes hold the cores: a yield loop burns system time. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "nn.h"

/* ~50-100 us of spinning (a pause is ~20-50 ns): longer than the gap
 * between the phases of a step and between steps, much shorter than a frame. */
enum { SPIN_ITERS = 2000 };

typedef struct {
    NnPool *pool;
    int part;
} Helper;

struct NnPool {
    int threads;
    pthread_t tid[NN_MAX_THREADS];
    Helper helper[NN_MAX_THREADS];
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* helpers wait here for a new gen */
    pthread_cond_t done_cv; /* the owner waits here for pending == 0 */
    atomic_uint gen;
    atomic_int pending;
    atomic_int quit;
    PoolFn fn;
    void *arg;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void *helper_main(void *p_)
{
    Helper *h = p_;
    NnPool *p = h->pool;
    unsigned seen = 0;
    for (;;) {
        unsigned g;
        int spins = 0;
        while ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) == seen) {
            if (++spins < SPIN_ITERS) {
                cpu_relax();
                continue;
            }
            pthread_mutex_lock(&p->mu);
            while (atomic_load_explicit(&p->gen, memory_order_acquire) == seen)
                pthread_cond_wait(&p->cv, &p->mu);
            pthread_mutex_unlock(&p->mu);
            spins = 0;
        }
        seen = g;
        if (atomic_load_explicit(&p->quit, memory_order_acquire))
            return NULL;
        p->fn(p->arg, h->part, p->threads);
        if (atomic_fetch_sub_explicit(&p->pending, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_signal(&p->done_cv);
            pthread_mutex_unlock(&p->mu);
        }
    }
}

int pool_init(NnPool **out, int threads, Err *e)
{
    *out = NULL;
    if (threads < 1 || threads > NN_MAX_THREADS)
        return err_set(e, ERR_ARG, "thread count %d outside 1..%d", threads, NN_MAX_THREADS);
    NnPool *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(e, ERR_NOMEM, "out of memory for a thread pool");
    p->threads = threads;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    atomic_init(&p->gen, 0);
    atomic_init(&p->pending, 0);
    atomic_init(&p->quit, 0);
    for (int i = 1; i < threads; i++) {
        p->helper[i] = (Helper){p, i};
        if (pthread_create(&p->tid[i], NULL, helper_main, &p->helper[i])) {
            p->threads = i; /* pool_free joins the ones that started */
            pool_free(p);
            return err_set(e, ERR_NOMEM, "cannot start helper thread %d of %d", i, threads);
        }
    }
    *out = p;
    return ERR_OK;
}

void pool_free(NnPool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    atomic_store_explicit(&p->quit, 1, memory_order_release);
    atomic_fetch_add_explicit(&p->gen, 1, memory_order_release);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i < p->threads; i++)
        pthread_join(p->tid[i], NULL);
    pthread_cond_destroy(&p->cv);
    pthread_cond_destroy(&p->done_cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

int pool_threads(const NnPool *p) { return p ? p->threads : 1; }

void pool_run(NnPool *p, PoolFn fn, void *arg)
{
    if (!p || p->threads == 1) {
        fn(arg, 0, 1);
        return;
    }
    p->fn = fn;
    p->arg = arg;
    atomic_store_explicit(&p->pending, p->threads - 1, memory_order_relaxed);
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add_explicit(&p->gen, 1, memory_order_release);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    fn(arg, 0, p->threads);
    for (int spins = 0; spins < SPIN_ITERS; spins++) {
        if (atomic_load_explicit(&p->pending, memory_order_acquire) == 0)
            return;
        cpu_relax();
    }
    pthread_mutex_lock(&p->mu);
    while (atomic_load_explicit(&p->pending, memory_order_acquire) > 0)
        pthread_cond_wait(&p->done_cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void pool_range(long n, int part, int parts, long align, long *lo, long *hi)
{
    long units = (n + align - 1) / align;
    long a = units * part / parts, b = units * (part + 1) / parts;
    *lo = a * align < n ? a * align : n;
    *hi = b * align < n ? b * align : n;
}
