/* view_proj: the explorer's map of a Z > 2 model ("Live" and "New
 * points"). The UI thread's side of the projection worker (proj.h): it sends
 * the map's latent means when they are in and again whenever live training
 * re-encodes them (a warm t-SNE start, so the map evolves smoothly), takes
 * each published layout into the point cloud, refits the view while the
 * user has not moved it, and draws the projection card (PCA / t-SNE,
 * pause, stop, perplexity, status line with iteration, it/s and KL).
 *
 * The layout, the worker and the inverse map are A's MapModel's
 * (mapmodel.h); this file drives them.
 *
 * Thread rule: everything here belongs to the main thread; the worker is
 * reached only through proj.h. */
#ifndef ZSPACE_APP_VIEW_PROJ_H
#define ZSPACE_APP_VIEW_PROJ_H

#include <stdbool.h>
#include <stdint.h>

#include "explore/proj.h"
#include "ui/cmd.h"
#include "vae/vae.h"

typedef struct {
    int method;              /* chosen: PROJ_PCA or PROJ_TSNE */
    float perplexity;        /* the slider */
    bool perp_dirty;         /* the slider moved: re-run once it is let go */
    uint64_t reencodes_seen; /* model.job.reencodes last taken */
    bool reencode_waiting;   /* new means are in, waiting for the run to get far enough */
    uint64_t last_request;   /* proj_submit's number of the newest request */
    uint64_t requests, warm_requests;
    bool paused;
    /* where the card and its buttons were drawn this frame (dump-state) */
    UiRect card, b_pca, b_tsne, b_pause, b_stop;
} AppProj;

/* The shown model was replaced: forget the old map's projection (method,
 * requests, pause) and keep the perplexity the user chose. */
void app_proj_forget(AppProj *p);

#endif
