/* grid: see grid.h. */
#include "grid.h"

#include <math.h>
#include <string.h>

void viz_grid_style_default(VizGridStyle *s)
{
    memset(s, 0, sizeof *s);
    s->img_w = s->img_h = 28;
    s->scale = 2;
    s->pad = 2;
    s->margin = 4;
    memset(s->ink, 255, 3);
    s->bg[0] = 0x34; /* the explorer's border colour: cells read as tiles */
    s->bg[1] = 0x39;
    s->bg[2] = 0x44;
}

/* Extra pixels before row `row` from the groups above it. */
static int group_offset(const VizGridStyle *s, int row)
{
    return s->group_rows > 0 ? (row / s->group_rows) * s->group_gap : 0;
}

void viz_grid_size(const VizGridStyle *s, int rows, int cols, int *w, int *h)
{
    *w = 2 * s->margin + cols * s->img_w * s->scale + (cols - 1) * s->pad;
    *h = 2 * s->margin + rows * s->img_h * s->scale + (rows - 1) * s->pad +
         group_offset(s, rows - 1);
}

void viz_grid_cell_xy(const VizGridStyle *s, int row, int col, int *x, int *y)
{
    *x = s->margin + col * (s->img_w * s->scale + s->pad);
    *y = s->margin + row * (s->img_h * s->scale + s->pad) + group_offset(s, row);
}

void viz_draw_digit(VizImage *im, const VizGridStyle *s, const float *px, int x, int y)
{
    int k = s->scale;
    for (int r = 0; r < s->img_h; r++)
        for (int c = 0; c < s->img_w; c++) {
            float v = px[r * s->img_w + c];
            v = v > 0 ? (v < 1 ? v : 1) : 0; /* also maps NaN to paper */
            uint8_t rgb[3];
            for (int i = 0; i < 3; i++)
                rgb[i] = (uint8_t)lrintf((float)s->paper[i] +
                                         v * ((float)s->ink[i] - (float)s->paper[i]));
            viz_fill_rect(im, x + c * k, y + r * k, k, k, rgb);
        }
}

int viz_grid(VizImage *out, const VizGridStyle *s, const float *images, size_t n, int rows,
             int cols, Err *e)
{
    memset(out, 0, sizeof *out);
    if (rows < 1 || cols < 1 || (size_t)rows * (size_t)cols < n)
        return err_set(e, ERR_ARG, "grid %dx%d cannot hold %zu images", rows, cols, n);
    if (s->scale < 1 || s->scale > VIZ_MAX_SCALE || s->img_w < 1 || s->img_h < 1 || s->pad < 0 ||
        s->margin < 0 || s->group_rows < 0 || s->group_gap < 0)
        return err_set(e, ERR_ARG, "bad grid style (scale %d, pad %d, margin %d)", s->scale, s->pad,
                       s->margin);
    long long lw = 2LL * s->margin + (long long)cols * (s->img_w * s->scale + s->pad);
    long long lh =
        2LL * s->margin + (long long)rows * (s->img_h * s->scale + s->pad + s->group_gap);
    if (lw > VIZ_MAX_SIDE || lh > VIZ_MAX_SIDE)
        return err_set(e, ERR_ARG, "a %dx%d grid at scale %d is too large (limit %d pixels)", rows,
                       cols, s->scale, VIZ_MAX_SIDE);
    int w, h;
    viz_grid_size(s, rows, cols, &w, &h);
    if (viz_image_init(out, w, h, s->bg, e) != ERR_OK)
        return e ? e->code : ERR_NOMEM;
    size_t px = (size_t)s->img_w * (size_t)s->img_h;
    for (size_t i = 0; i < n; i++) {
        int x, y;
        viz_grid_cell_xy(s, (int)(i / (size_t)cols), (int)(i % (size_t)cols), &x, &y);
        viz_draw_digit(out, s, images + i * px, x, y);
    }
    return ERR_OK;
}
