/* compare: a second model beside the first (`zspace explore -m A --compare
 * B`: "β = 0 next to β = 10"). The map area splits in two: A's map on the
 * left (view_map.c), B's on the right (view_compare.c), both MapModels
 * (mapmodel.h) drawn by the one map pane (mappane.h),
 * each under a title naming its file, Z, β and test loss. Both show their
 * own encoding of the same images (B is shown on A's dataset), each with
 * its own pan and zoom; Home fits both. A click or drag on either map sets
 * the one shared z (App.z), both maps mark it, and the decoder panel shows
 * A's and B's decodes of it side by side.
 *
 * Z > 2: B's map is B's own projection, run by B's MapModel's worker with
 * the same recipe as A's (PCA at once, then t-SNE at perplexity 30),
 * without the card: A's card drives A's run only. Clicks and markers go
 * through each map's own place / invert.
 *
 * The Draw panel's digit (D) is encoded by both models: A's mu becomes z
 * as without B, and B's mu gets the drawn-digit marker on B's map, so the
 * two models' readings of one drawing can be compared. At Z = 2, B's map
 * also shows B's q(z|x) ellipses for its hovered point and for the drawing,
 * and the prior's rings when O is on (Z > 2: A's map only).
 *
 * Both models must have the same Z (app_check_compare, before the window
 * opens). Training (T, Space, .), walks (I, P, G) and the Sampling panel
 * (S, R) act on A as without B: the training views take the bottom of the
 * map area before it is split, and a walk or a sampled cell moves the one
 * z. A run of another Z replaces A: B then shows no decode of A's z.
 *
 * Thread rule: everything here belongs to the main thread. B's encoder is
 * a ModelJob (model.h) and its projection a ProjJob (proj.h); their threads
 * are reached only through those headers' rules. */
#ifndef ZSPACE_APP_COMPARE_H
#define ZSPACE_APP_COMPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "app_impl.h"
#include "mapmodel.h"

typedef struct AppCompare {
    MapModel map; /* B on its map: the UI's copy decodes, its job encodes */

    /* the Draw panel's digit as B encodes it, and where that is on B's map */
    uint8_t drawn_sha1[20]; /* the drawing (AppDraw.image_sha1) it was encoded from */
    bool drawn_valid, drawn_placed;
    float drawn_mu[VAE_MAX_Z], drawn_logvar[VAE_MAX_Z];
    float drawn_xy[2];
    uint64_t drawn_seq; /* B's layout it was placed on (Z > 2) */

    /* q(z|x) ellipses drawn on B's map in the last frame (Z = 2) */
    int n_ell;
    struct {
        const char *source; /* "hover" or "drawn" */
        float center[2], sigma[2];
    } ell[2];

    /* B's decode of the shared z */
    float dec_z[VAE_MAX_Z]; /* the z it decoded */
    bool dec_valid;
    uint8_t decoded[VAE_X];
    uint8_t sha1[20];
    uint64_t decodes;
    int img;         /* its texture */
    UiRect r_dec[2]; /* where A's and B's decodes were drawn */
} AppCompare;

#endif
