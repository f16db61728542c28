/* mapview: see mapview.h. */
#include <float.h>
#include <math.h>

#include "mapview.h"

void map_to_screen_in(const MapView *v, UiRect r, float x, float y, float *sx, float *sy)
{
    *sx = (float)r.x + (float)r.w * 0.5f + (x - v->cx) * v->scale;
    *sy = (float)r.y + (float)r.h * 0.5f - (y - v->cy) * v->scale;
}

void map_from_screen_in(const MapView *v, UiRect r, float sx, float sy, float *x, float *y)
{
    *x = v->cx + (sx - (float)r.x - (float)r.w * 0.5f) / v->scale;
    *y = v->cy - (sy - (float)r.y - (float)r.h * 0.5f) / v->scale;
}

/* Limits of a drawable view. The centre stays well inside float's range, so
 * that the view's edges (centre +- half a window at the smallest scale) do
 * too; the scale keeps a pixel at least 4 float steps wide at the centre's
 * magnitude, or points and ticks could not be placed between pixels. */
#define MAP_MAX_COORD 1e30f
#define MAP_MIN_SCALE 1e-30f
#define MAP_MAX_SCALE 1e6f

void map_clamp_view(MapView *v)
{
    v->cx = isfinite(v->cx) ? fminf(fmaxf(v->cx, -MAP_MAX_COORD), MAP_MAX_COORD) : 0;
    v->cy = isfinite(v->cy) ? fminf(fmaxf(v->cy, -MAP_MAX_COORD), MAP_MAX_COORD) : 0;
    float m = fmaxf(fmaxf(fabsf(v->cx), fabsf(v->cy)), 1.0f);
    float ulp = nextafterf(m, INFINITY) - m;
    float hi = fminf(MAP_MAX_SCALE, 1.0f / (4.0f * ulp));
    if (!(v->scale >= MAP_MIN_SCALE)) /* NaN too */
        v->scale = MAP_MIN_SCALE;
    v->scale = fminf(v->scale, hi);
}

void map_fit_view(MapView *v, UiRect r, const float *xy, size_t n, float lo[2], float hi[2])
{
    lo[0] = lo[1] = -4;
    hi[0] = hi[1] = 4;
    if (xy && n > 0) {
        lo[0] = lo[1] = FLT_MAX;
        hi[0] = hi[1] = -FLT_MAX;
        for (size_t i = 0; i < n; i++)
            for (int k = 0; k < 2; k++) {
                float x = xy[i * 2 + (size_t)k];
                lo[k] = x < lo[k] ? x : lo[k];
                hi[k] = x > hi[k] ? x : hi[k];
            }
    }
    v->cx = lo[0] / 2 + hi[0] / 2; /* halves first: a box near FLT_MAX does not overflow */
    v->cy = lo[1] / 2 + hi[1] / 2;
    float sx = (float)r.w / fmaxf(hi[0] - lo[0], 1e-3f);
    float sy = (float)r.h / fmaxf(hi[1] - lo[1], 1e-3f);
    v->scale = 0.9f * fminf(sx, sy); /* a margin around the data */
    v->fitted = xy != NULL;
    v->user_moved = false;
    v->fit_rect = r;
    map_clamp_view(v);
}

bool map_view_stale(const MapView *v, UiRect r)
{
    const UiRect f = v->fit_rect;
    return v->fitted && !v->user_moved && (f.x != r.x || f.y != r.y || f.w != r.w || f.h != r.h);
}

/* Right-drag: move view v by a mouse motion of (dx, dy) pixels. */
void map_pan(MapView *v, float dx, float dy)
{
    v->cx -= dx / v->scale;
    v->cy += dy / v->scale;
    v->user_moved = true;
    map_clamp_view(v);
}

/* Wheel zoom of view v over rect r keeping the latent point under the
 * mouse fixed. */
void map_zoom_at(MapView *v, UiRect r, float notches, int mx, int my)
{
    float x, y;
    map_from_screen_in(v, r, (float)mx, (float)my, &x, &y);
    float s = v->scale * powf(1.2f, notches);
    float lo = fminf(1e-2f, v->scale); /* a fit to a huge cloud may sit below it */
    v->scale = s < lo ? lo : s;
    map_clamp_view(v);
    float nx, ny;
    map_from_screen_in(v, r, (float)mx, (float)my, &nx, &ny);
    v->cx += x - nx;
    v->cy += y - ny;
    v->user_moved = true;
    map_clamp_view(v); /* the centre moved: its float step too */
}
