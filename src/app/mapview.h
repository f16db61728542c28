/* mapview: how a map is viewed, its pan and zoom over a screen rect, and
 * the conversions between latent (or layout) coordinates and pixels.
 * Screen y grows downward, the map's second coordinate upward. No state
 * beyond the MapView itself; main thread. */
#ifndef ZSPACE_APP_MAPVIEW_H
#define ZSPACE_APP_MAPVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/cmd.h"

typedef struct {
    float cx, cy;    /* latent coordinates at the centre of the map rect */
    float scale;     /* pixels per latent unit */
    bool fitted;     /* fitted to the data at least once */
    bool user_moved; /* panned or zoomed since the last fit: keep it on resize */
    UiRect fit_rect; /* the rect the last fit was made for */
} MapView;

/* The view was fitted to the data and not moved since, but its rect has
 * changed (a resize, the training views taking the map's bottom, the
 * compare split): it should be fitted again to show the whole cloud. */
bool map_view_stale(const MapView *v, UiRect r);

/* Fit v to the box of xy (n, 2) (NULL: [-4, 4]^2) with a margin; lo, hi get the box. */
void map_fit_view(MapView *v, UiRect r, const float *xy, size_t n, float lo[2], float hi[2]);
void map_to_screen_in(const MapView *v, UiRect r, float x, float y, float *sx, float *sy);
void map_from_screen_in(const MapView *v, UiRect r, float sx, float sy, float *x, float *y);
/* Wheel zoom of v over r keeping the point under the mouse (mx, my) fixed. */
void map_zoom_at(MapView *v, UiRect r, float notches, int mx, int my);
void map_pan(MapView *v, float dx, float dy); /* a right-drag of (dx, dy) pixels */
/* Keep v drawable whatever set it (a session, a far-off model, the mouse):
 * a finite centre, a scale at which pixels are distinct floats there. */
void map_clamp_view(MapView *v);

#endif
