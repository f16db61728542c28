/* draw_prep: the MNIST recipe for a drawn digit and the soft brush (see
 * draw_prep.h for the steps and why). */
#include "draw_prep.h"

#include <math.h>
#include <string.h>

static float smoothstep(float e0, float e1, float x)
{
    float t = (x - e0) / (e1 - e0);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return t * t * (3 - 2 * t);
}

void draw_prep_stroke(float *canvas, int w, int h, float x0, float y0, float x1, float y1,
                      float radius)
{
    if (radius <= 0)
        return;
    int xa = (int)floorf(fminf(x0, x1) - radius), xb = (int)ceilf(fmaxf(x0, x1) + radius);
    int ya = (int)floorf(fminf(y0, y1) - radius), yb = (int)ceilf(fmaxf(y0, y1) + radius);
    xa = xa < 0 ? 0 : xa;
    ya = ya < 0 ? 0 : ya;
    xb = xb > w ? w : xb;
    yb = yb > h ? h : yb;
    float dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    for (int y = ya; y < yb; y++)
        for (int x = xa; x < xb; x++) {
            /* distance from the pixel centre to the segment */
            float px = (float)x + 0.5f - x0, py = (float)y + 0.5f - y0;
            float t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            float ex = px - t * dx, ey = py - t * dy;
            float v = 1 - smoothstep(radius * 0.5f, radius, sqrtf(ex * ex + ey * ey));
            float *c = &canvas[(size_t)y * (size_t)w + (size_t)x];
            if (v > *c)
                *c = v;
        }
}

/* Overlap of source pixel i ([i, i + 1]) with the interval [lo, hi]. */
static float overlap(int i, float lo, float hi)
{
    float a = (float)i > lo ? (float)i : lo, b = (float)(i + 1) < hi ? (float)(i + 1) : hi;
    return b > a ? b - a : 0;
}

/* Source pixel range [*i0, *i1) covering [lo, hi], within [0, n). */
static void span(float lo, float hi, int n, int *i0, int *i1)
{
    *i0 = (int)floorf(lo);
    *i1 = (int)ceilf(hi);
    *i0 = *i0 < 0 ? 0 : *i0;
    *i1 = *i1 > n ? n : *i1;
}

bool draw_prep_mnist(const float *canvas, int w, int h, float *out, DrawPrepInfo *info)
{
    enum { S = DRAW_PREP_SIDE };
    DrawPrepInfo in = {.empty = true};
    memset(out, 0, sizeof(float) * S * S);
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (canvas[(size_t)y * (size_t)w + (size_t)x] > DRAW_PREP_INK) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
    if (x1 < 0) {
        if (info)
            *info = in;
        return false;
    }
    int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    float s = (float)DRAW_PREP_BOX / (float)(bw > bh ? bw : bh);
    int ow = (int)lroundf((float)bw * s), oh = (int)lroundf((float)bh * s);
    ow = ow < 1 ? 1 : ow > DRAW_PREP_BOX ? DRAW_PREP_BOX : ow;
    oh = oh < 1 ? 1 : oh > DRAW_PREP_BOX ? DRAW_PREP_BOX : oh;
    /* per-axis factors that tile the box exactly: output pixel o covers
     * source [o / f, (o + 1) / f] */
    float fx = (float)ow / (float)bw, fy = (float)oh / (float)bh;
    float digit[DRAW_PREP_BOX * DRAW_PREP_BOX];
    for (int oy = 0; oy < oh; oy++) {
        float ylo = (float)oy / fy, yhi = (float)(oy + 1) / fy;
        int iy0, iy1;
        span(ylo, yhi, bh, &iy0, &iy1);
        for (int ox = 0; ox < ow; ox++) {
            float xlo = (float)ox / fx, xhi = (float)(ox + 1) / fx;
            int ix0, ix1;
            span(xlo, xhi, bw, &ix0, &ix1);
            double acc = 0;
            for (int iy = iy0; iy < iy1; iy++) {
                float wy = overlap(iy, ylo, yhi);
                const float *row = canvas + (size_t)(y0 + iy) * (size_t)w + (size_t)x0;
                double racc = 0;
                for (int ix = ix0; ix < ix1; ix++)
                    racc += (double)overlap(ix, xlo, xhi) * row[ix];
                acc += wy * racc;
            }
            float v = (float)(acc * fx * fy); /* mean over the covered area */
            digit[oy * DRAW_PREP_BOX + ox] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
    }
    /* centre of mass of the scaled digit, then the whole-pixel offset that
     * brings it nearest to the field's centre without cutting ink */
    double m = 0, mx = 0, my = 0;
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++) {
            double v = digit[y * DRAW_PREP_BOX + x];
            m += v;
            mx += v * (x + 0.5);
            my += v * (y + 0.5);
        }
    double cx = m > 0 ? mx / m : ow * 0.5, cy = m > 0 ? my / m : oh * 0.5;
    int offx = (int)lround(S * 0.5 - cx), offy = (int)lround(S * 0.5 - cy);
    offx = offx < 0 ? 0 : offx > S - ow ? S - ow : offx;
    offy = offy < 0 ? 0 : offy > S - oh ? S - oh : offy;
    for (int y = 0; y < oh; y++)
        memcpy(out + (size_t)(offy + y) * S + (size_t)offx, digit + y * DRAW_PREP_BOX,
               sizeof(float) * (size_t)ow);
    in.empty = false;
    in.bbox[0] = x0;
    in.bbox[1] = y0;
    in.bbox[2] = bw;
    in.bbox[3] = bh;
    in.size[0] = ow;
    in.size[1] = oh;
    in.offset[0] = offx;
    in.offset[1] = offy;
    in.com[0] = (float)(cx + offx);
    in.com[1] = (float)(cy + offy);
    if (info)
        *info = in;
    return true;
}
