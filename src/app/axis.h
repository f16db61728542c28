/* axis: where a plot's ticks go, and ranges safe to draw.
 *
 * Every tick loop of the explorer runs over an integer index with a cap,
 * never `v += step`: that loop stops moving when step falls below half an
 * ulp of v, and never ends when a bound is infinite. Ranges are made finite
 * (with room for a margin) before a step is worked out from them.
 * Headless: tests/test_axis.c. */
#ifndef ZSPACE_APP_AXIS_H
#define ZSPACE_APP_AXIS_H

#include <stdbool.h>

enum { AXIS_MAX_TICKS = 100 }; /* more than any window has room to label */

/* The largest magnitude a drawn range keeps: a 30% margin and a division
 * by a few pixels stay finite in double. */
#define AXIS_MAX_ABS 1e300

/* 1, 2 or 5 times a power of ten, at least raw; 1 when raw is not finite
 * and positive. */
double axis_step_at_least(double raw);

/* The multiples of step in [lo, hi], in increasing order, at most cap of
 * them, into out; returns how many. 0 when lo, hi or step is not finite, step
 * is not positive or hi < lo. Stops early when consecutive multiples can no
 * longer be told apart in double. */
int axis_ticks(double lo, double hi, double step, double *out, int cap);

/* Log axis ticks in [lo, hi] (0 < lo <= hi, finite): powers of ten, every
 * k-th decade so that at most `fit` labels are drawn (fit >= 1), and 2 and 5
 * times each when three per decade fit. At most cap, into out. */
int axis_log_ticks(double lo, double hi, int fit, double *out, int cap);

/* Clamp v into [-AXIS_MAX_ABS, AXIS_MAX_ABS]; NaN becomes fallback. */
double axis_clamp(double v, double fallback);

#endif
