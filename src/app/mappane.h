/* mappane: the one map pane, drawing any MapModel (mapmodel.h) into its
 * rect: A's map (view_map.c) and, with --compare, B's (view_compare.c).
 * Points coloured by label (drawn by gfx through a custom command), the
 * z1/z2 grid with ticks (Z = 2) or the projection's axis names (Z > 2),
 * the z marker, and the hovered point's tooltip with its image. Right drag
 * pans, the wheel zooms around the mouse, a left press or drag is a click.
 *
 * A frame of a pane: map_pane_begin (false: no map, its message is shown),
 * the caller's overlays inside the map's clip (map_pane_marker among
 * them), map_pane_end. Main thread. */
#ifndef ZSPACE_APP_MAPPANE_H
#define ZSPACE_APP_MAPPANE_H

#include <stdbool.h>

#include "app_impl.h"

typedef struct {
    const char *id; /* the pane's ui id ("map", "compare-map") */
    UiRect dead;    /* widgets drawn over the map take the mouse there */
    int points_id;  /* custom draw command of its cloud (APP_CUSTOM_POINTS*) */
} MapPaneIn;

/* Frame, grid or axes, points; *clicked and click: a left press or drag at
 * that map position this frame. False: there is no map (message shown). */
bool map_pane_begin(App *a, MapModel *m, const MapPaneIn *in, float click[2], bool *clicked);
/* The z marker where m places z; false: nowhere yet. */
bool map_pane_marker(App *a, const MapModel *m, const float *z);
/* Ends the clip; the hovered point's tooltip. */
void map_pane_end(App *a, const MapModel *m);
/* The custom draw command's body: m's cloud in r (GL, in gfx_render). */
void map_pane_points(App *a, MapModel *m, UiRect r);
/* The z1/z2 grid with ticks of m's view over its rect (Z = 2). */
void map_pane_grid(App *a, const MapModel *m);
/* Before gfx_render: the hovered point's image into m->img_hover. */
void map_pane_upload_hover(App *a, MapModel *m);

#endif
