/* image: see image.h. */
#include "image.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/png.h"

int viz_image_init(VizImage *im, int w, int h, const uint8_t bg[3], Err *e)
{
    memset(im, 0, sizeof *im);
    if (w < 1 || h < 1 || w > VIZ_MAX_SIDE || h > VIZ_MAX_SIDE)
        return err_set(e, ERR_ARG, "image size %dx%d out of range 1..%d", w, h, VIZ_MAX_SIDE);
    im->rgb = malloc((size_t)w * (size_t)h * 3);
    if (!im->rgb)
        return err_set(e, ERR_NOMEM, "out of memory for a %dx%d image", w, h);
    im->w = w;
    im->h = h;
    viz_fill_rect(im, 0, 0, w, h, bg);
    return ERR_OK;
}

void viz_image_free(VizImage *im)
{
    free(im->rgb);
    memset(im, 0, sizeof *im);
}

void viz_fill_rect(VizImage *im, int x, int y, int w, int h, const uint8_t rgb[3])
{
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > im->w ? im->w : x + w, y1 = y + h > im->h ? im->h : y + h;
    for (int yy = y0; yy < y1; yy++) {
        uint8_t *p = im->rgb + ((size_t)yy * im->w + x0) * 3;
        for (int xx = x0; xx < x1; xx++, p += 3)
            memcpy(p, rgb, 3);
    }
}

void viz_blend(VizImage *im, int x, int y, const uint8_t rgb[3], float a)
{
    if (x < 0 || y < 0 || x >= im->w || y >= im->h || !(a > 0))
        return;
    if (a > 1)
        a = 1;
    uint8_t *p = im->rgb + ((size_t)y * im->w + x) * 3;
    for (int c = 0; c < 3; c++)
        p[c] = (uint8_t)lrintf((float)p[c] + a * ((float)rgb[c] - (float)p[c]));
}

void viz_disc(VizImage *im, float cx, float cy, float r, const uint8_t rgb[3], float a)
{
    /* Coverage of a pixel ~ how far its centre lies inside the edge, clamped
     * to [0, 1]: a one-pixel soft edge, enough for small markers. */
    int x0 = (int)floorf(cx - r - 1), x1 = (int)ceilf(cx + r + 1);
    int y0 = (int)floorf(cy - r - 1), y1 = (int)ceilf(cy + r + 1);
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            float dx = (float)x + 0.5f - cx, dy = (float)y + 0.5f - cy;
            float cover = r + 0.5f - sqrtf(dx * dx + dy * dy);
            if (cover > 0)
                viz_blend(im, x, y, rgb, a * (cover > 1 ? 1 : cover));
        }
}

int viz_image_save_png(const VizImage *im, const char *path, Err *e)
{
    return io_png_write(path, im->rgb, im->w, im->h, 3, (size_t)im->w * 3, e);
}
