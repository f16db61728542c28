/* pool: a fixed set of helper threads that run one function in T parts.
 *
 * pool_run(p, fn, arg) calls fn(arg, part, T) for part = 0..T-1: part 0 on
 * the calling thread, the others on the helpers, and returns when all parts
 * are done (a full barrier: writes made by any part are visible to the caller
 * afterwards). Helpers spin briefly between jobs, then sleep on a condition
 * variable, so back-to-back phases of a training step do not pay a wake-up.
 * Thread rule: a pool is owned by one thread (the one calling pool_run);
 * the function runs concurrently on T threads and must only write memory
 * its part owns. A pool with T == 1 starts no threads. */
#ifndef ZSPACE_NN_POOL_H
#define ZSPACE_NN_POOL_H

#include "core/err.h"

typedef struct NnPool NnPool;
typedef void (*PoolFn)(void *arg, int part, int parts);

/* Start threads-1 helpers; *out receives the pool. */
int pool_init(NnPool **out, int threads, Err *e);
/* Stop and join the helpers; NULL is allowed. */
void pool_free(NnPool *p);
int pool_threads(const NnPool *p);
void pool_run(NnPool *p, PoolFn fn, void *arg);

/* Split [0, n) into `parts` near-equal contiguous ranges; range `part` is
 * [*lo, *hi). Multiples of `align` at every inner boundary (align >= 1). */
void pool_range(long n, int part, int parts, long align, long *lo, long *hi);

#endif
