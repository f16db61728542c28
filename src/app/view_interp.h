/* view_interp: latent walks in the explorer. The UI thread's
 * state around the walk player (walk.h): the path built from the current
 * stops (class centroids of the test images' latent means, or two points
 * A/B taken from z), the classifier that reads each shown digit (clf_job.h,
 * obtained off the UI thread), the class timeline along the path, and the
 * last GIF export.
 *
 * While the walk plays it drives the explorer's own z (app_set_z), so the
 * decoder panel shows the digit on the path and the map's marker moves with
 * it; moving z any other way (a click on the map, a slider) pauses it.
 *
 * Functions (declared in app_impl.h):
 *   app_walk_frame  each frame before update: classifier, path, clock -> z
 *   view_walk       the Walk panel (side column, in place of the sliders)
 *   view_walk_map   the path and its stops on the map (Z > 2: placed on
 *                   the projection by its kNN out-of-sample placement,
 *                   refreshed at most 4 times a second while t-SNE runs)
 *   app_walk_key    I panel, P play/pause, G export the walk as a GIF
 *
 * Thread rule: main thread; the classifier worker is reached only through
 * clf_job.h, the GIF writer only through gif_job.h. */
#ifndef ZSPACE_APP_VIEW_INTERP_H
#define ZSPACE_APP_VIEW_INTERP_H

#include <stdbool.h>
#include <stdint.h>

#include "explore/clf_job.h"
#include "explore/gif_job.h"
#include "viz/interp.h"
#include "walk.h"

enum {
    APP_WALK_TIMELINE = 120, /* classifier readings along the path */
    APP_WALK_GIF_STEPS = 16, /* GIF frames per leg */
    APP_WALK_MAP_SEG = 32,   /* polyline points per leg on the map (slerp legs curve) */
};

typedef struct {
    WalkState st;
    WalkButtons buttons;  /* where the panel's buttons were drawn */

    /* the path of the current stops */
    VizPath path;
    bool have_path;
    uint32_t built_version; /* st.version the path was built from */
    uint64_t built_enc;   /* the map encoding it was built from (re-encodes + 1) */
    int built_z;          /* Z it was built for */
    char why[320];        /* why there is no path (shown in the panel) */
    float set_z[VAE_MAX_Z]; /* the z the walk set last: another z pauses it */
    bool driving;         /* set_z is valid */
    double last_now;      /* a->now of the last frame */

    /* the path on the map: polyline then stops, (n_poly + n_stops, 2) map
     * coordinates (latent at Z = 2, the projection's layout at Z > 2) */
    float poly[((WALK_MAX_STOPS - 1) * APP_WALK_MAP_SEG + 1 + WALK_MAX_STOPS) * 2];
    int n_poly, n_poly_stops; /* 0: nothing to draw */
    uint32_t poly_version;  /* built_version / built_enc / layout it was placed for */
    uint64_t poly_enc, poly_lay;
    int poly_z;
    double poly_t;          /* a->now when placed */

    /* classifier */
    ClfJob clf;
    int cls;              /* class of the shown digit, -1 none */
    float prob;
    uint64_t classified;  /* a->cur.decodes when cls was computed */
    int8_t timeline[APP_WALK_TIMELINE];
    bool have_timeline;

    /* GIF export: frames are decoded on the UI thread (a few ms), written
     * by the job's worker; the last finished export is described below */
    GifJob gif_job;
    char gif[4096];
    int gif_frames;
    double gif_seconds;   /* decode on the UI thread + write on the worker */
    double gif_ui_ms;     /* of which the UI thread: the decode */
} AppWalk;

#endif
