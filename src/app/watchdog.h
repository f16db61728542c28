/* watchdog: turns a frozen window into a failed test. A monitor thread
 * watches the UI thread's frames; when one runs longer than the limit, it
 * signals the UI thread, whose handler prints where it was (a glibc
 * backtrace, of the spinning code itself since the handler runs on top of
 * it) to stderr and aborts.
 *
 * On in debug builds (5 s) and wherever ZSPACE_WATCHDOG=SECONDS says so (the
 * test suites set it); ZSPACE_WATCHDOG=0 turns it off (valgrind, a
 * debugger). Release builds without the variable start no thread.
 *
 * Thread rule: watchdog_start, _frame_begin, _frame_end and _stop are called
 * from the watched thread; the monitor reads the frame's start through one
 * atomic. One watchdog per process (the signal handler is process-wide). */
#ifndef ZSPACE_APP_WATCHDOG_H
#define ZSPACE_APP_WATCHDOG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/err.h"

typedef struct {
    bool running;
    double limit;                  /* seconds a frame may take */
    pthread_t watched, monitor;
    _Atomic long long frame_start; /* CLOCK_MONOTONIC ms of the open frame, 0: none */
    pthread_mutex_t mu;
    pthread_cond_t cv;             /* wakes the monitor to stop */
    bool stop;                     /* under mu */
} Watchdog;

/* The limit from ZSPACE_WATCHDOG (seconds; 0 off), else the build's default
 * (0 in release builds). A value that is not a number >= 0 is ignored. */
double watchdog_limit_from_env(void);

/* Watch the calling thread's frames: abort when one lasts over `seconds`.
 * seconds <= 0: do nothing (w is left stopped). */
int watchdog_start(Watchdog *w, double seconds, Err *e);
void watchdog_frame_begin(Watchdog *w);
void watchdog_frame_end(Watchdog *w);
void watchdog_stop(Watchdog *w); /* joins the monitor; safe when not started */

#endif
