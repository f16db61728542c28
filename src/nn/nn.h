/* nn: process-wide settings of the numerical layer.
 *
 * zspace parallelizes its own work (each Vae owns a small pool of helper
 * threads, see nn/pool.h) and calls OpenBLAS single-threaded from each of
 * those threads, so two thread pools never fight over the two cores.
 * Thread rule: call nn_set_threads once at start-up, before any other thread
 * uses nn or vae; nn_threads may be read from any thread afterwards. */
#ifndef ZSPACE_NN_NN_H
#define ZSPACE_NN_NN_H

enum { NN_MAX_THREADS = 64 };

/* Set the default thread count for Vae instances created afterwards
 * (clamped to 1..NN_MAX_THREADS) and pin OpenBLAS to one thread. */
void nn_set_threads(int threads);
/* The current default (1 until nn_set_threads is called). */
int nn_threads(void);
/* The online CPUs, within 1..NN_MAX_THREADS: the thread count commands use
 * unless told otherwise. */
int nn_online_cpus(void);

#endif
