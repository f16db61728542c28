/* anim: decoded frames (grey images in [0, 1]) to a looping animated GIF,
 * each pixel an integer-scaled square, 256 grey levels (white ink on black,
 * like MNIST). Shared by `zspace interp` and the explorer's GIF export.
 * Thread rule: pure function of its inputs; writes one file atomically. */
#ifndef ZSPACE_VIZ_ANIM_H
#define ZSPACE_VIZ_ANIM_H

#include <stddef.h>

#include "core/err.h"

typedef struct {
    int img_w, img_h; /* one frame's pixels (28 x 28) */
    int scale;        /* upscaling, 1..64 (8) */
    int fps;          /* frames per second, 1..50 (20); GIF delays are whole centiseconds */
    int hold_ms;      /* extra time on stop frames, 0..60000 (0) */
    int stop_every;   /* frame k is a stop when k % stop_every == 0 (the path's steps); 0: none */
    int pingpong;     /* play forwards then backwards (without repeating either end) */
} VizGifOpts;

/* 28 x 28, scale 8, 20 fps, no holds, no stops, forwards only. */
void viz_gif_opts_default(VizGifOpts *o);
/* Write frames (n, img_h * img_w) as a GIF that loops forever. */
int viz_gif_write(const char *path, const float *frames, size_t n, const VizGifOpts *o, Err *e);
/* The delay in centiseconds the GIF gives frame k (of n forward frames), for
 * callers that show the same timing (e.g. a preview). */
int viz_gif_delay_cs(const VizGifOpts *o, size_t k);

#endif
