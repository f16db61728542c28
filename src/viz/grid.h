/* grid: tiling small grey images (decoded digits) into one figure: sample
 * grids, reconstructions, the latent manifold, interpolation strips, GIF
 * frames. Pixels are upscaled by an integer factor with nearest-neighbour
 * sampling, so every MNIST pixel stays a crisp square on a projector.
 * Thread rule: pure functions on caller-owned buffers, any thread. */
#ifndef ZSPACE_VIZ_GRID_H
#define ZSPACE_VIZ_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "viz/image.h"

enum { VIZ_MAX_SCALE = 64 };

typedef struct {
    int img_w, img_h; /* one image's pixels (28 x 28) */
    int scale;        /* upscaling factor, 1..VIZ_MAX_SCALE */
    int pad;          /* pixels between neighbouring cells */
    int margin;       /* pixels around the whole grid */
    int group_rows;   /* 0, or: after every group_rows rows of cells ... */
    int group_gap;    /* ... this many extra pixels (recon: original/decoded pairs) */
    uint8_t ink[3];   /* colour of intensity 1 */
    uint8_t paper[3]; /* colour of intensity 0 */
    uint8_t bg[3];    /* between cells, in the margin and in empty cells */
} VizGridStyle;

/* 28 x 28, scale 2, pad 2, margin 4, no groups, white ink on black paper,
 * a dark slate background between cells. */
void viz_grid_style_default(VizGridStyle *s);
/* Size in pixels of a rows x cols grid. */
void viz_grid_size(const VizGridStyle *s, int rows, int cols, int *w, int *h);
/* Top-left pixel of cell (row, col). */
void viz_grid_cell_xy(const VizGridStyle *s, int row, int col, int *x, int *y);
/* Draw one image (img_h x img_w intensities, values clamped to [0, 1])
 * upscaled, with its top-left at (x, y); clipped to the canvas. */
void viz_draw_digit(VizImage *im, const VizGridStyle *s, const float *px, int x, int y);
/* A new image (viz_image_free) holding images (n, img_h * img_w) in a
 * rows x cols grid, filled row by row; n <= rows * cols (the rest of the
 * cells stay background; with n = 0, images may be NULL and the caller
 * draws cells itself with viz_grid_cell_xy and viz_draw_digit). */
int viz_grid(VizImage *out, const VizGridStyle *s, const float *images, size_t n, int rows,
             int cols, Err *e);

#endif
