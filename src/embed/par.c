/* par: see par.h. */
#include "par.h"

#include <pthread.h>

#define PAR_MAX 64

typedef struct {
    ParFn fn;
    void *ctx;
    int t, nt;
} ParPart;

static void *par_main(void *arg)
{
    ParPart *p = arg;
    p->fn(p->ctx, p->t, p->nt);
    return NULL;
}

void par_run(int nt, ParFn fn, void *ctx)
{
    if (nt < 1)
        nt = 1;
    if (nt > PAR_MAX)
        nt = PAR_MAX;
    ParPart parts[PAR_MAX];
    pthread_t th[PAR_MAX];
    int started[PAR_MAX] = {0};
    for (int t = 1; t < nt; t++) {
        parts[t] = (ParPart){fn, ctx, t, nt};
        started[t] = pthread_create(&th[t], NULL, par_main, &parts[t]) == 0;
    }
    fn(ctx, 0, nt);
    for (int t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else
            fn(ctx, t, nt);
    }
}

void par_range(size_t n, int t, int nt, size_t *lo, size_t *hi)
{
    *lo = n * (size_t)t / (size_t)nt;
    *hi = n * (size_t)(t + 1) / (size_t)nt;
}
