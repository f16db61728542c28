/* draw_prep: a hand-drawn digit turned into an MNIST-like 28x28 image, and
 * the soft round brush that paints it.
 *
 * MNIST's own recipe (LeCun et al.): each NIST digit was size-normalised to
 * fit a 20x20 box keeping its aspect ratio (grey levels from the
 * anti-aliasing), then put in a 28x28 field so that its centre of mass sits
 * at the field's centre. draw_prep_mnist does the same to a canvas:
 *   1. bounding box of the ink (pixels above DRAW_PREP_INK);
 *   2. scale it so its longer side is 20 pixels, by area averaging (each
 *      output pixel is the mean of the canvas area it covers, which is the
 *      anti-aliasing);
 *   3. place it in 28x28 at the whole-pixel offset that brings its centre
 *      of mass (pixel centres at i + 0.5) nearest to (14, 14); the offset is
 *      clamped so no ink falls off the field (a lopsided digit can then sit
 *      up to a few pixels off centre, where MNIST would have cut its ink).
 * An empty canvas is reported empty, with an all-zero image.
 *
 * The brush is stamped along each mouse segment as a capsule: coverage 1
 * within half the radius of the segment, falling smoothly (smoothstep) to 0
 * at the radius, and composited with max() so crossing strokes never get
 * darker than 1 and repainting is idempotent. A canvas of ~10x the output
 * with a radius of a tenth of the digit's height gives MNIST-like strokes.
 *
 * Thread rule: pure functions of their arguments; any thread. */
#ifndef ZSPACE_VIZ_DRAW_PREP_H
#define ZSPACE_VIZ_DRAW_PREP_H

#include <stdbool.h>

#define DRAW_PREP_SIDE 28   /* output field */
#define DRAW_PREP_BOX 20    /* the digit's longer side in the field */
#define DRAW_PREP_INK 0.05f /* canvas values above this are ink */

typedef struct {
    bool empty;
    int bbox[4];   /* x, y, w, h of the ink on the canvas, canvas pixels */
    int size[2];   /* w, h of the scaled digit in the field (longer = 20) */
    int offset[2]; /* its top-left corner in the field */
    float com[2];  /* the result's centre of mass (x, y), field pixels */
} DrawPrepInfo;

/* Paint the brush of `radius` canvas pixels along (x0, y0) -> (x1, y1)
 * (canvas pixel units, centres at i + 0.5; a dot when both ends are equal)
 * onto canvas (h rows of w floats in [0, 1]). Max-composites in place;
 * parts outside the canvas are dropped. */
void draw_prep_stroke(float *canvas, int w, int h, float x0, float y0, float x1, float y1,
                      float radius);

/* canvas (h rows of w floats in [0, 1]) -> out (28 * 28 floats in [0, 1],
 * row-major, overwritten). Returns false (and a zero image) when the canvas
 * has no ink. info may be NULL. */
bool draw_prep_mnist(const float *canvas, int w, int h, float *out, DrawPrepInfo *info);

#endif
