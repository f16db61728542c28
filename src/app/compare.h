/* compare: a second model beside the first (`zspace explore -m A --compare
 * B`, issue 8: "β = 0 next to β = 10"). The map area splits in two: A's map
 * on the left (view_map.c, unchanged), B's on the right (view_compare.c),
 * each under a title naming its file, Z, β and test loss. Both show their
 * own encoding of the same images (B is shown on A's dataset), each with
 * its own pan and zoom; Home fits both. A click or drag on either map sets
 * the one shared z (App.z), both maps mark it, and the decoder panel shows
 * A's and B's decodes of it side by side.
 *
 * Z > 2: B's map is B's own projection, run by a second projection worker
 * (proj.h) with the same recipe as A's (PCA at once, then t-SNE at
 * perplexity 30), without the card: A's card drives A's run only. A click
 * on B's map is inverted through B's layout (place_inverse), the marker of
 * a z from elsewhere is placed on it by kNN (place_points), as view_proj.h
 * does for A.
 *
 * The Draw panel's digit (D) is encoded by both models: A's mu becomes z
 * as without B, and B's mu gets the drawn-digit marker on B's map, so the
 * two models' readings of one drawing can be compared. At Z = 2, B's map
 * also shows B's q(z|x) ellipses for its hovered point and for the drawing,
 * and the prior's rings when O is on (Z > 2: A's map only).
 *
 * Both models must have the same Z (app_check_compare, before the window
 * opens). Training (T, Space, .), walks (I, P, G) and the Sampling panel
 * (S, R) act on one model, so they are off while comparing: their keys
 * show a toast instead.
 *
 * Thread rule: everything here belongs to the main thread. B's encoder is
 * a ModelJob (model.h) and its projection a ProjJob (proj.h); their threads
 * are reached only through those headers' rules. */
#ifndef ZSPACE_APP_COMPARE_H
#define ZSPACE_APP_COMPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "app_impl.h"
#include "proj.h"

typedef struct AppCompare {
    Model model;             /* B: the UI's copy decodes, its job encodes the map */
    bool loaded;             /* model_load succeeded (model_free is due either way) */
    bool map_ready;          /* B's encoder results are in */
    bool failed;             /* B cannot be shown: message says why */
    uint64_t job_seq;
    char message[1024];      /* shown in B's map area while there is no map */

    /* B's map: where, how it is viewed, its point cloud */
    UiRect r_map;
    UiRect r_title[2];       /* A's and B's titles, above their maps */
    UiRect laid_out;         /* r_map when the view was last fitted */
    MapView view;
    GfxPoints pts;
    bool pts_ok;
    float pan_x, pan_y;      /* last mouse position while panning */
    int hover, hover_shown;  /* B's map point under the mouse (-1 none), the one img_hover holds */
    int img_hover;

    /* Z > 2: B's projection and the last click on it (as AppProj keeps A's) */
    ProjJob pj;
    ProjOut lay;
    bool pj_started;
    float click_xy[2];
    float click_z[VAE_MAX_Z];
    uint64_t click_seq;
    bool click_valid;

    /* the Draw panel's digit as B encodes it, and where that is on B's map */
    uint8_t drawn_sha1[20];  /* the drawing (AppDraw.image_sha1) it was encoded from */
    bool drawn_valid, drawn_placed;
    float drawn_mu[VAE_MAX_Z], drawn_logvar[VAE_MAX_Z];
    float drawn_xy[2];
    uint64_t drawn_seq;      /* B's layout it was placed on (Z > 2) */

    /* q(z|x) ellipses drawn on B's map in the last frame (Z = 2) */
    int n_ell;
    struct {
        const char *source;  /* "hover" or "drawn" */
        float center[2], sigma[2];
    } ell[2];

    /* B's decode of the shared z */
    float dec_z[VAE_MAX_Z];  /* the z it decoded */
    bool dec_valid;
    uint8_t decoded[VAE_X];
    uint8_t sha1[20];
    uint64_t decodes;
    int img;                 /* its texture */
    UiRect r_dec[2];         /* where A's and B's decodes were drawn */
} AppCompare;

#endif
