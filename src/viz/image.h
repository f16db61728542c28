/* image: the RGB canvas every exported figure is drawn on, plus the few
 * pixel operations the figures need (fills, alpha blending, anti-aliased
 * discs and 1-pixel lines) and saving as PNG. Plain memory, no SDL.
 * Thread rule: a VizImage belongs to one thread. */
#ifndef ZSPACE_VIZ_IMAGE_H
#define ZSPACE_VIZ_IMAGE_H

#include <stdint.h>

#include "core/err.h"

enum { VIZ_MAX_SIDE = 16384 };

typedef struct {
    int w, h;
    uint8_t *rgb; /* (h, w, 3) top row first */
} VizImage;

/* Allocate w x h (1..VIZ_MAX_SIDE each) filled with bg. On failure *im is
 * zeroed. */
int viz_image_init(VizImage *im, int w, int h, const uint8_t bg[3], Err *e);
void viz_image_free(VizImage *im);
/* Fill the rectangle (clipped to the image). */
void viz_fill_rect(VizImage *im, int x, int y, int w, int h, const uint8_t rgb[3]);
/* Blend rgb over pixel (x, y) with opacity a in [0, 1] (ignored outside). */
void viz_blend(VizImage *im, int x, int y, const uint8_t rgb[3], float a);
/* An anti-aliased filled disc centred at (cx, cy) (pixel centres at +0.5). */
void viz_disc(VizImage *im, float cx, float cy, float r, const uint8_t rgb[3], float a);
/* Write as an RGB PNG, atomically. */
int viz_image_save_png(const VizImage *im, const char *path, Err *e);

#endif
