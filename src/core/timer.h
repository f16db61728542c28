/* timer: monotonic wall-clock seconds, for progress, ETA and benchmarks. */
#ifndef ZSPACE_CORE_TIMER_H
#define ZSPACE_CORE_TIMER_H

/* Seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double timer_now(void);

#endif
