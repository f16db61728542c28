/* view_neigh: the Neighbours strip and presenter mode's hideable panels
 * and session file, as the App holds them.
 *
 * Neighbours (view_neigh.c): the k test images whose latent means are
 * nearest to the current z (neigh.h: full-Z means, not the 2-D map), as
 * thumbnails labelled with their class in the label palette, in a fixed
 * strip at the bottom of the "Latent z" slot (so a Z = 64 slider list
 * scrolls above it). The search runs in update, at most once per frame and
 * only when z or the data changed; thumbnails are uploaded in draw. A click
 * on a thumbnail makes that image's mean the current z.
 *
 * Presenter (presenter.c): Tab hides / shows the side column (the map
 * takes the width, keeping its centre and zoom), L the legend, B the status
 * bar; Ctrl+Shift+S saves the session (session.h) to --session FILE or
 * $XDG_CONFIG_HOME/zspace/session.json. A session given at start-up is
 * applied in steps: settings at once, z when the model is in, the view when
 * the map is.
 *
 * Thread rule: main thread only. */
#ifndef ZSPACE_APP_VIEW_NEIGH_H
#define ZSPACE_APP_VIEW_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#include "explore/neigh.h"
#include "explore/session.h"
#include "ui/ui.h"

enum { APP_NEIGH_K = 8 };

typedef struct {
    Neigh nb;
    int k;                        /* thumbnails asked for (APP_NEIGH_K) */
    UiRect rect;                  /* the strip; w == 0: not laid out this frame */
    int cols, thumb;              /* grid: columns, thumbnail side in pixels */
    bool shown;                   /* laid out in frame shown_frame */
    uint64_t shown_frame;
    UiRect cells[NEIGH_MAX];      /* where each thumbnail was drawn */
    int img[NEIGH_MAX];           /* gfx images (made on first draw) */
    int32_t img_point[NEIGH_MAX]; /* the point each image holds, -1 none */
    bool imgs_made;
    uint64_t img_tag;             /* the data version the images show */
    int hover;                    /* thumbnail under the mouse, -1 none */
    int clicks;                   /* thumbnails clicked (dump-state) */
} AppNeigh;

typedef struct {
    bool hide_side, hide_legend, hide_status;
    char session_path[4096];      /* where Ctrl+Shift+S saves */
    Session restore;              /* the start-up session (parts still to apply below) */
    bool restore_z, restore_view; /* waiting for the model / the map */
    int saves;                    /* sessions saved (dump-state) */
} AppPresenter;

#endif
