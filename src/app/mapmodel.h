/* mapmodel: a model shown on a map. The explorer's first model (A) is one,
 * the second of `--compare` (B) another; both are drawn by the same map
 * pane (mappane.h).
 *
 * It holds the model file and its encoder job (model.h), the point cloud
 * drawn from the job's results, the view (pan and zoom) over the map's
 * rect, the point under the mouse, and for Z > 2 the projection of the
 * latent means to 2-D (proj.h) with the last click on it.
 *
 * place (z -> map xy) and invert (map xy -> z) are the identity at Z = 2.
 * At Z > 2 (embed/place.h): a click at map position y becomes z = the
 * inverse-distance-weighted mean of the latent means of the PROJ_K
 * map-nearest points; a z from elsewhere (sliders, an older layout) is
 * placed at the inverse-distance-weighted mean of the map positions of its
 * PROJ_K latent-nearest points. A click's own position is kept for the
 * marker while z and the layout are unchanged.
 *
 * Thread rule: main thread. The encoder worker is reached only through
 * model.h's rules, the projection worker only through proj.h's. */
#ifndef ZSPACE_APP_MAPMODEL_H
#define ZSPACE_APP_MAPMODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "gfx/points.h"
#include "mapview.h"
#include "explore/model.h"
#include "explore/proj.h"
#include "ui/cmd.h"

/* Neighbours of the kNN placement and of the inverse map. */
#define PROJ_K 10

typedef struct {
    Model model;
    bool opened;      /* model_load was called: model_free is due */
    bool loaded;      /* model.vae is loaded */
    bool ready;       /* the encoder's results are in */
    bool failed;      /* cannot be shown though it may have points: message says why */
    uint64_t job_seq; /* the job's seq last looked at */
    /* bumped each time the model is forgotten: what others hold about it is stale */
    uint32_t generation;
    char message[5120]; /* shown in the map area while there is no map */

    /* where it is drawn, how it is viewed, its point cloud */
    UiRect rect;
    MapView view;
    GfxPoints pts;
    bool pts_ok;        /* pts is initialised */
    float pan_x, pan_y; /* last mouse position while panning */
    int hover;          /* point under the mouse, -1 none */
    int img_hover;      /* texture of the hovered point's image */
    int hover_shown;    /* the point img_hover holds */

    /* Z > 2: the projection and the last click on it */
    ProjJob pj;
    ProjOut lay; /* the newest layout taken from the worker */
    bool pj_started;
    float click_xy[2];
    float click_z[VAE_MAX_Z];
    uint64_t click_seq; /* lay.seq it was made on */
    bool click_valid;
} MapModel;

/* A map with no model: hover none, no textures yet (img_hover -1). */
void map_model_init(MapModel *m);
/* Load the model file (dataset NULL: its own) on the calling thread. */
int map_model_load(MapModel *m, const char *path, const char *dataset, Err *e);
/* Start the encoder worker on the loaded model. */
int map_model_encode(MapModel *m, bool all_points, uint32_t wake_event, Err *e);
/* The encoder's state, once per change: MODEL_READY (the results are in:
 * ready is set, a Z = 2 cloud is set up), MODEL_FAILED, or MODEL_WORKING
 * (nothing new). */
int map_model_poll(MapModel *m);
/* (N, 2) map positions: the means (Z = 2) or the current layout; NULL none. */
const float *map_model_xy(const MapModel *m);
/* A layout of the current points is shown (Z > 2). */
bool map_model_projected(const MapModel *m);
/* Where latent z goes on the map; false: nowhere yet. */
bool map_model_place(const MapModel *m, const float *z, float xy[2]);
/* The z at map position xy (remembered for place); false: no map. */
bool map_model_invert(MapModel *m, const float xy[2], float *z);
/* Z > 2: start the projection worker (threads), then ask for a layout of
 * the current means. perplexity is capped where t-SNE needs it for small
 * maps. Returns proj_submit's request number, 0 when it was not taken. */
int map_model_project_start(MapModel *m, int threads, uint32_t wake_event, Err *e);
uint64_t map_model_project(MapModel *m, int method, double perplexity, bool warm);
/* Take a published layout; true when one came. The cloud follows it when
 * it is of the current points. */
bool map_model_take_layout(MapModel *m);
/* Fit the view to the points in m->rect; lo, hi get their box. */
void map_model_fit(MapModel *m, float lo[2], float hi[2]);
/* Free the model and what hangs on its points (projection, click, hover);
 * the cloud and the view stay for the next model. */
void map_model_forget(MapModel *m);
void map_model_free(MapModel *m);

#endif
