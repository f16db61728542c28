/* nn: the process-wide thread default (see nn.h). */
#include "nn.h"

#include <cblas.h>
#include <stdatomic.h>
#include <unistd.h>

static atomic_int default_threads = 1;

void nn_set_threads(int threads)
{
    if (threads < 1)
        threads = 1;
    if (threads > NN_MAX_THREADS)
        threads = NN_MAX_THREADS;
    atomic_store(&default_threads, threads);
    /* zspace splits work itself; OpenBLAS threads would compete for the cores. */
    openblas_set_num_threads(1);
}

int nn_threads(void) { return atomic_load(&default_threads); }

int nn_online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > NN_MAX_THREADS ? NN_MAX_THREADS : (int)n;
}
